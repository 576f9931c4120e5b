/* lm_trie_internal.h: what the Sphinx trie's reader (lm_trie.c) and its conversion walk
 * (lm_trie_walk.c) share: the file as read, and its bit fields. Not installed. */
#ifndef LOGITSCOPE_LM_TRIE_INTERNAL_H
#define LOGITSCOPE_LM_TRIE_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "lm_internal.h"

#define TRIE_UNIGRAM_BYTES 12
/* One word in this many of a forward level is copied to a small array that stays in cache,
 * so the million context lookups of a conversion each touch one or two lines of the level. */
#define TRIE_SAMPLE 32

/* One bit-packed array of the reversed trie: the k-grams. */
struct trie_array {
    const uint8_t *base;
    size_t offset;  /* of base in the file */
    unsigned word_bits, quant_bits, next_bits, total_bits;
    uint32_t count; /* entries the header declares */
    uint32_t used;  /* entries [0, used) can be reached: the end pointer of the order below */
};

struct trie_file {
    const char *path;
    const uint8_t *data;
    size_t size;
    int order;
    uint32_t counts[LM_MAX_ORDER];
    size_t quant_off, uni_off;
    struct trie_array rev[LM_MAX_ORDER + 1]; /* rev[k]: the k-grams, k >= 2 */
    double unit;                             /* ln(1.0001) */
    struct lm *lm;
    struct lm_ngram *ng;
    uint32_t *parent; /* for each k-gram of the file, its context in the forward level */
    uint8_t *hidden[LM_MAX_ORDER + 1]; /* bit e of hidden[k]: sphinxbase cannot find k-gram e */
    uint32_t *sample[LM_MAX_ORDER];    /* every TRIE_SAMPLE-th word of a forward level */
    struct lm_raw *raw;
};

/* "FILE: offset N: what". */
int trie_error(const struct trie_file *t, struct ls_error *err, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static inline uint32_t trie_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* len <= 25 bits at bit offset `bit` of base (the arrays carry 8 bytes of slack at the end).
 * Called for every field of the file, so on a little-endian machine the four bytes are one
 * load. */
static inline uint32_t trie_bits(const uint8_t *base, uint64_t bit, unsigned len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v;
    memcpy(&v, base + (bit >> 3), sizeof v);
#else
    uint32_t v = trie_u32(base + (bit >> 3));
#endif
    return (v >> (bit & 7)) & (uint32_t)((1ull << len) - 1);
}

static inline uint32_t rev_word(const struct trie_array *a, uint32_t e)
{
    return trie_bits(a->base, (uint64_t)e * a->total_bits, a->word_bits);
}

static inline uint32_t rev_next(const struct trie_array *a, uint32_t e)
{
    return trie_bits(a->base, (uint64_t)e * a->total_bits + a->word_bits + a->quant_bits,
                     a->next_bits);
}

static inline uint16_t rev_prob(const struct trie_array *a, uint32_t e)
{
    return (uint16_t)trie_bits(a->base,
                               (uint64_t)e * a->total_bits + a->word_bits + a->quant_bits - 16,
                               16);
}

static inline uint16_t rev_bo(const struct trie_array *a, uint32_t e)
{
    return (uint16_t)trie_bits(a->base, (uint64_t)e * a->total_bits + a->word_bits, 16);
}

static inline size_t rev_offset(const struct trie_array *a, uint32_t e)
{
    return a->offset + (size_t)((uint64_t)e * a->total_bits / 8);
}

static inline uint32_t uni_next(const struct trie_file *t, uint32_t w)
{
    return trie_u32(t->data + t->uni_off + (size_t)w * TRIE_UNIGRAM_BYTES + 8);
}

/* ---- The conversion walk (lm_trie_walk.c), once the file is read and checked ---- */

/* The k-grams into forward level k - 1: count each context's successors, then place them.
 * 1: a context is missing (the caller falls back to lm_ngram_build). */
int trie_level(struct trie_file *t, int k, struct ls_error *err);
/* The slow way, for a file in which some context is not itself an n-gram: every n-gram as a
 * raw record, then lm_ngram_build adds the missing contexts. Values by entry, not by bin. */
int trie_rebuild(struct trie_file *t, struct ls_error *err);

#endif
