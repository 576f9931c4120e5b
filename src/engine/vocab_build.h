/* vocab_build.h: a vocabulary built token by token, then checked and sorted. Private to the
 * engine; every loader, whatever its format, ends through vocab_finish(), so all of them
 * refuse the same bad logits with the same words. */
#ifndef LOGITSCOPE_VOCAB_BUILD_H
#define LOGITSCOPE_VOCAB_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "logitscope/error.h"
#include "logitscope/vocab.h"

/* A vocabulary under construction: tokens (and, for TSV, logits) appended one by one. */
struct vocab_build {
    struct vocab v;
    size_t cap;             /* tokens room in tok_off/tok_len (and logits) */
    size_t text_len, text_cap;
    bool with_logits;
};

/* Appends one escaped token (and its logit when with_logits). -1 with why on a bad escape,
 * a token too long, or no memory. */
int vocab_build_add(struct vocab_build *b, const char *esc, size_t len, double logit,
                    char *why, size_t why_cap);

/* Why a logit cannot be used ("is NaN", "is +inf (only -inf is allowed)"), or NULL. */
const char *vocab_logit_problem(double x);

/* Validates the logits (names the first bad index after `who`), sorts, and moves the
 * finished vocabulary into *out. Frees tmp's buffers on error. */
int vocab_finish(struct vocab *tmp, struct vocab *out, const char *who, struct ls_error *err);

/* vocab_sort when the rank order is already known, order[] holding what vocab_sort gave
 * these very logits before (a revisited row of a 2-D .npy): fills sorted, n_finite and the
 * block moments without sorting again. */
int vocab_sort_known(struct vocab *v, size_t n_finite);

#endif
