/* loader.h: private glue between vocab.c, the file loaders and settings.c (not installed).
 * The three text formats share one line reader and one token unescaper, so a token reads
 * the same in a TSV, a --vocab list and a settings name. */
#ifndef LOGITSCOPE_LOADER_H
#define LOGITSCOPE_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "logitscope/error.h"
#include "logitscope/vocab.h"

/* Reads a text file line by line: the '\n' and one trailing '\r' are stripped, a NUL byte
 * is an error. Line numbers start at 1. */
struct line_reader {
    FILE *f;
    const char *path;
    char *buf;
    size_t cap;
    size_t lineno;
    bool any_bytes; /* tells "the file is empty" from "only comments" */
};

int line_open(struct line_reader *r, const char *path, struct ls_error *err);
/* 1: a line in (*s, *len); 0: end of file; -1: error, err filled. */
int line_next(struct line_reader *r, const char **s, size_t *len, struct ls_error *err);
void line_close(struct line_reader *r);
/* Empty, or only spaces. */
bool line_is_blank(const char *s, size_t len);

/* Undoes \t \n \\ \xHH in s[0..len) into out (room for len bytes; the result is never
 * longer). On a bad escape returns -1 and writes the reason into why. */
int token_unescape(const char *s, size_t len, char *out, size_t *out_len, char *why,
                   size_t why_cap);

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

int vocab_load_tsv(struct vocab *v, const char *path, struct ls_error *err);
int vocab_load_npy(struct vocab *v, const char *path, const char *vocab_path,
                   struct ls_error *err);

/* vocab_sort when the rank order is already known, order[] holding what vocab_sort gave
 * these very logits before (a revisited row of a 2-D .npy): fills sorted, n_finite and the
 * block moments without sorting again. */
int vocab_sort_known(struct vocab *v, size_t n_finite);

#endif
