/* vocab.h: a loaded vocabulary (tokens and logits) and its rank order, built once per file.
 * Everything downstream works in rank space: rank 0 is the highest logit, ties broken by
 * file order, -inf last. For any T > 0 that is also the order by probability. */
#ifndef LOGITSCOPE_VOCAB_H
#define LOGITSCOPE_VOCAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logitscope/error.h"

#define VOCAB_MAX_TOKENS ((size_t)1 << 26) /* 67M: larger than any real vocabulary */

struct vocab {
    char *source;         /* path it was loaded from, for messages */
    size_t n;             /* V, number of tokens (>= 1) */
    double *logits;       /* by file index */
    /* Token text: bytes text[tok_off[i] .. tok_off[i]+tok_len[i]), already unescaped;
     * may hold any byte including NUL. text == NULL means the names are "#INDEX". */
    char *text;
    size_t *tok_off;
    uint32_t *tok_len;
    /* Rank order, filled by vocab_sort(): */
    uint32_t *order;      /* rank -> file index */
    double *sorted;       /* logit by rank (order[] applied), for cache-friendly scans */
    size_t n_finite;      /* ranks [0, n_finite) have finite logits; the rest are -inf */
    double *moments;      /* the engine's power sums of each whole block of 64 ranks */
};

/* Loads FILE as TSV, or as .npy when its name ends in ".npy" (any case); "-" reads a TSV
 * from standard input (named "<stdin>" in messages). vocab_path (may be NULL, "-" for
 * standard input) names a one-token-per-line file for .npy. On error returns -1, fills err
 * with "FILE:LINE: what" (or "FILE: what") and leaves *v untouched and empty. On success
 * the vocabulary is already sorted. */
int vocab_load(struct vocab *v, const char *path, const char *vocab_path,
               struct ls_error *err);

/* A TSV from a stream already begun: its first head_len bytes were read (to tell the format)
 * and are given in head, the rest comes from fd, which stays open (`ended`: the stream ended
 * within the head, and is not read again). name is for messages
 * ("<stdin>"). The same checks as a file, as the bytes arrive: an endless stream with no
 * newline is refused at the line limit, never read into memory whole. */
int vocab_load_tsv_stream(struct vocab *v, int fd, const char *name, const void *head,
                          size_t head_len, bool ended, struct ls_error *err);

/* Builds a vocabulary from memory (tests, benchmark, synthetic data). names may be NULL
 * ("#INDEX" names). Validates like the loaders (no NaN, no +inf, not all -inf). */
int vocab_from_logits(struct vocab *v, const double *logits, size_t n,
                      const char *const *names, struct ls_error *err);

/* (Re)computes order/sorted/n_finite and the block moments. O(V), stable (radix sort
 * on the key bits). */
int vocab_sort(struct vocab *v);

void vocab_free(struct vocab *v);

/* Raw token bytes of file index i; writes "#i" into buf (>= 24 bytes) when names are absent. */
const char *vocab_token(const struct vocab *v, size_t i, char *buf, size_t *len);

#endif
