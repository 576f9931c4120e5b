/* lm.h: a language model as the explorer sees one: a vocabulary of words and, for any
 * context, the natural-log probability of every word coming next. Back-off n-gram models are
 * read from ARPA text (plain or gzipped) and from the Sphinx binary trie; the interface has
 * no n-gram in it, so another kind of model can sit behind the same calls.
 *
 * Word ids run from 0 to lm_size() - 1. A context is an array of ids, oldest first. An id of
 * lm_size() or more (LM_NO_WORD) in a context stands for a word the model cannot name: the
 * model then sees only the words after it, as the reference (sphinxbase) does with a word it
 * does not know. */
#ifndef LOGITSCOPE_LM_H
#define LOGITSCOPE_LM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logitscope/error.h"

#define LM_NO_WORD UINT32_MAX

struct lm;

/* Reads FILE, telling the format from its first bytes: gzip (then the content inside), the
 * Sphinx trie header "Trie Language Model", or else ARPA text. On error returns -1, fills
 * err with "FILE:LINE: what" (text) or "FILE: offset N: what" (binary) and sets *out to
 * NULL. Nothing is kept open after it returns. */
int lm_load(struct lm **out, const char *path, struct ls_error *err);

void lm_free(struct lm *lm);

/* "ARPA" or "Sphinx trie" (for a status line). */
const char *lm_format(const struct lm *lm);

/* Words in the vocabulary, <s>, </s> and <unk> included when the model has them. */
size_t lm_size(const struct lm *lm);

/* n of the longest n-grams (3 for a trigram model): only the last order - 1 words of a
 * context matter. */
int lm_order(const struct lm *lm);

/* The bytes of word id (NUL-terminated; *len gets the length when len is not NULL), or NULL
 * when id >= lm_size(). Raw file bytes: escape them (text.h) before they reach a terminal. */
const char *lm_word(const struct lm *lm, uint32_t id, size_t *len);

/* Exact lookup of w[0..len). */
bool lm_find(const struct lm *lm, const char *w, size_t len, uint32_t *id);

/* As typed, then lowercased (ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals).
 * false: the model does not know the word; the caller puts lm_unk() in the context. */
bool lm_lookup_word(const struct lm *lm, const char *w, size_t len, uint32_t *id);

/* The ids of <s>, </s> and <unk> (or <UNK>), or LM_NO_WORD when the model lacks one. */
uint32_t lm_bos(const struct lm *lm);
uint32_t lm_eos(const struct lm *lm);
uint32_t lm_unk(const struct lm *lm);

/* logp[0 .. lm_size()) = ln P(word | ctx[0..n)). <s> and <unk> get -INFINITY (they are never
 * written); </s> is a word like any other. The values are the model's own, not renormalised:
 * a back-off model's column sums to 1 only up to its rounding. For the n-gram models it does
 * not allocate and may run in several threads at once; a backend that keeps state (a neural
 * model's cache) need not promise that. */
void lm_next(const struct lm *lm, const uint32_t *ctx, size_t n, double *logp);

#endif
