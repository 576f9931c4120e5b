/* lm_internal.h: private glue between lm.c (the interface and the vocabulary), the back-off
 * n-gram store (lm_ngram.c) and the two file readers (lm_arpa.c, lm_trie.c). A backend is an
 * ops table plus whatever it keeps in lm->impl; the callers only ever see struct lm. */
#ifndef LOGITSCOPE_LM_INTERNAL_H
#define LOGITSCOPE_LM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logitscope/error.h"
#include "logitscope/lm.h"

#define LM_MAX_ORDER 10
/* Word ids stay below 2^25: the Sphinx trie cannot pack more, and the top bit of a stored
 * word is free for LM_CONTEXT_ONLY. */
#define LM_MAX_WORDS ((size_t)1 << 25)
#define LM_MAX_NGRAMS ((size_t)UINT32_MAX - 1)

struct lm_ops {
    const char *format;
    void (*next)(const struct lm *lm, const uint32_t *ctx, size_t n, double *logp);
    void (*free_impl)(void *impl);
};

/* Words as one NUL-separated text, and an open-addressing hash from text to id. */
struct lm_vocab {
    size_t n;
    char *text;
    size_t text_len, text_cap;
    uint32_t *off;   /* word i is text + off[i]; n + 1 entries once finished */
    size_t off_cap;
    uint32_t *slot;  /* id + 1, or 0 for an empty slot */
    size_t mask;     /* slots - 1 (a power of two minus one) */
};

struct lm {
    const struct lm_ops *ops;
    void *impl;
    int order;
    struct lm_vocab vocab;
    uint32_t bos, eos, unk;
};

/* Appends a word. 0: added; 1: already there (*dup gets its id); -1: no memory or too many
 * words. */
int lm_vocab_add(struct lm_vocab *v, const char *w, size_t len, uint32_t *dup);
bool lm_vocab_find(const struct lm_vocab *v, const char *w, size_t len, uint32_t *id);
void lm_vocab_free(struct lm_vocab *v);

/* A fresh model for a loader to fill; lm_finish() then looks up <s>, </s> and <unk>. */
struct lm *lm_new(const struct lm_ops *ops);
void lm_finish(struct lm *lm);

/* Why zlib failed on g, or NULL when it did not: zlib's words without the path it puts in
 * front (the callers name the file themselves). */
const char *lm_gz_error(void *gz, const char *path);

/* Writes w[0..len) for a message: escaped (text.h), cut to about 60 bytes with "...". */
const char *lm_quote(const char *w, size_t len, char *buf, size_t cap);

/* ---- The back-off n-gram store (lm_ngram.c) ----
 *
 * A forward trie: level[k - 1] holds the k-grams sorted by their first k - 1 words (the
 * context, an entry of the level below) and then by the last word. The successors of the
 * context that an entry e of level j spells are the entries [child[e], child[e + 1]) of level
 * j + 1, so a next-word column is the unigram column plus back-off weights, overwritten by
 * the successors of each context suffix that the model has. */

/* In lm_level.word: the entry is only a context (the file has n-grams after it but not the
 * n-gram itself); it has no probability and a back-off weight of 0. */
#define LM_CONTEXT_ONLY 0x80000000u
#define LM_WORD_MASK 0x7fffffffu

struct lm_level {
    size_t n;
    uint32_t *word;    /* NULL in level[0]: unigram i is word i */
    uint32_t *child;   /* n + 1 entries, below the top level only */
    /* Natural-log probability and back-off weight, by entry; or by quantised id when
     * prob_q / bo_q are set (the Sphinx trie's 16-bit bins). */
    double *prob, *bo;
    uint16_t *prob_q, *bo_q;
};

struct lm_ngram {
    int order;
    size_t n_words;
    struct lm_level level[LM_MAX_ORDER];
};

/* Finds the k-gram words[0..k) (oldest first); false when the model lacks it. */
bool lm_ngram_find(const struct lm_ngram *ng, const uint32_t *words, int k, size_t *at);
void lm_ngram_next(const struct lm_ngram *ng, const uint32_t *ctx, size_t n, double *logp);
void lm_ngram_free(struct lm_ngram *ng);
/* Frees one level's arrays and zeroes it. */
void lm_level_free(struct lm_level *l);
extern const struct lm_ops lm_ngram_ops_arpa, lm_ngram_ops_trie;

/* The k-grams of one order as a reader found them, in any order; lm_ngram_build sorts them
 * and turns them into levels. where: a line number or a byte offset, for messages. */
struct lm_raw {
    int k;
    size_t n, cap;
    uint32_t *words; /* n * k, oldest first */
    double *prob, *bo;
    size_t *where;
};

/* A repeated n-gram found by lm_ngram_build. */
struct lm_raw_dup {
    int k;
    uint32_t words[LM_MAX_ORDER];
    size_t first, second; /* the two `where`s */
};

int lm_raw_push(struct lm_raw *r, const uint32_t *words, double prob, double bo, size_t where);
void lm_raw_free(struct lm_raw *r);

/* Builds ng->level[1 .. order) from raw[1 .. order) (raw[k - 1] holds the k-grams; the
 * unigram level[0].prob / bo must be set, ng->order and ng->n_words too). A context that
 * appears only inside longer n-grams becomes an LM_CONTEXT_ONLY entry. Frees the raw arrays
 * whatever happens. 0: done; 1: an n-gram is listed twice (*dup filled); -1: no memory. */
int lm_ngram_build(struct lm_ngram *ng, struct lm_raw *raw, struct lm_raw_dup *dup);

/* ---- The readers ---- */
int lm_arpa_load(struct lm **out, const char *path, struct ls_error *err);
/* gz: the file is gzip-compressed (the trie inside is read into memory). */
int lm_trie_load(struct lm **out, const char *path, bool gz, struct ls_error *err);

#endif
