/* lm_fixture.h: what the language-model tests share: small ARPA models whose back-off is easy
 * to follow by hand, and a writer of the Sphinx binary trie for a trigram model, so the trie
 * reader can be fed broken files without sphinxbase; the files go to tmpfile_fixture.h's
 * directory. Header-only; included once per test program. */
#ifndef LOGITSCOPE_LM_FIXTURE_H
#define LOGITSCOPE_LM_FIXTURE_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpfile_fixture.h"

/* Every n-gram's context and suffix present, as KenLM and SRILM write them. Word ids follow
 * the 1-grams: </s> 0, <s> 1, a 2, b 3, c 4, <unk> 5. */
static const char fx_small_arpa[] =
    "\\data\\\n"
    "ngram 1=6\n"
    "ngram 2=5\n"
    "ngram 3=3\n"
    "\n"
    "\\1-grams:\n"
    "-1.0\t</s>\n"
    "-99\t<s>\t-0.5\n"
    "-0.8\ta\t-0.3\n"
    "-0.9\tb\t-0.2\n"
    "-1.2\tc\t-0.4\n"
    "-2.0\t<unk>\n"
    "\n"
    "\\2-grams:\n"
    "-0.2\t<s> a\t-0.1\n"
    "-0.4\ta b\t-0.25\n"
    "-0.3\ta c\n"
    "-0.6\tb </s>\n"
    "-0.5\tb a\t-0.15\n"
    "\n"
    "\\3-grams:\n"
    "-0.05\t<s> a b\n"
    "-0.1\ta b </s>\n"
    "-0.2\tb a c\n"
    "\n"
    "\\end\\\n";

/* The 3-gram "c a b" has no 2-gram "c a" for its context: sphinxbase and this reader both
 * take bo("c a") as 0. Ids: a 0, b 1, c 2, </s> 3. */
static const char fx_prefix_arpa[] =
    "\\data\\\n"
    "ngram 1=4\n"
    "ngram 2=3\n"
    "ngram 3=2\n"
    "\\1-grams:\n"
    "-0.5 a -0.3\n"
    "-0.6 b -0.2\n"
    "-0.7 c -0.1\n"
    "-1.0 </s>\n"
    "\\2-grams:\n"
    "-0.2 a b -0.4\n"
    "-0.3 b c -0.05\n"
    "-0.25 b </s>\n"
    "\\3-grams:\n"
    "-0.01 c a b\n"
    "-0.02 a b c\n"
    "\\end\\\n";

#define FX_LN10 2.302585092994045684

/* ---- A Sphinx trie writer for trigram models (the layout lm_trie.c documents) ---- */

struct fx_ngram {
    uint32_t w[3]; /* oldest first */
    double log10_prob, log10_bo;
};

struct fx_bytes {
    unsigned char *b;
    size_t n, cap;
};

static void fx_put(struct fx_bytes *o, const void *p, size_t n)
{
    if (o->n + n > o->cap) {
        o->cap = (o->n + n) * 2;
        if (!(o->b = realloc(o->b, o->cap))) {
            printf("Bail out! out of memory\n");
            exit(1);
        }
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void fx_put_u32(struct fx_bytes *o, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    fx_put(o, b, 4);
}

static void fx_put_f32(struct fx_bytes *o, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    fx_put_u32(o, u);
}

static float fx_units(double log10_value)
{
    return (float)(log10_value * FX_LN10 / log(1.0001));
}

static unsigned fx_bits(uint32_t max)
{
    unsigned b = 0;
    while (max) {
        b++;
        max >>= 1;
    }
    return b;
}

static void fx_set_bits(unsigned char *base, uint64_t bit, unsigned len, uint32_t v)
{
    for (unsigned i = 0; i < len; i++)
        if (v >> i & 1)
            base[(bit + i) / 8] |= (unsigned char)(1u << ((bit + i) % 8));
}

/* Reversed order: by last word, then the word before it, and so on. */
static int fx_rev_cmp(const struct fx_ngram *a, const struct fx_ngram *b, int k)
{
    for (int j = k - 1; j >= 0; j--)
        if (a->w[j] != b->w[j])
            return a->w[j] < b->w[j] ? -1 : 1;
    return 0;
}

static void fx_rev_sort(struct fx_ngram *g, size_t n, int k)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && fx_rev_cmp(&g[j - 1], &g[j], k) > 0; j--) {
            struct fx_ngram t = g[j];
            g[j] = g[j - 1];
            g[j - 1] = t;
        }
}

/* The trie bytes of a trigram model (every 3-gram's last two words must be a 2-gram). Each
 * n-gram gets a quantisation bin of its own, so the values are exact to float32. */
static struct fx_bytes fx_trie(const char *const *words, size_t V, const double *uni_prob,
                               const double *uni_bo, const struct fx_ngram *big, size_t n2,
                               const struct fx_ngram *tri, size_t n3)
{
    struct fx_bytes o = {0};
    struct fx_ngram *b2 = malloc(n2 * sizeof *b2), *b3 = malloc(n3 * sizeof *b3);
    size_t bins = (size_t)1 << 16, wb = fx_bits((uint32_t)V);
    size_t t2 = wb + 32 + fx_bits((uint32_t)n3), t3 = wb + 16;
    size_t s2 = ((n2 + 1) * t2 + 7) / 8 + 8, s3 = ((n3 + 1) * t3 + 7) / 8 + 8;
    unsigned char *a2 = calloc(s2, 1), *a3 = calloc(s3, 1);
    uint32_t *first3 = calloc(n2 + 1, sizeof *first3);

    memcpy(b2, big, n2 * sizeof *b2);
    memcpy(b3, tri, n3 * sizeof *b3);
    fx_rev_sort(b2, n2, 2);
    fx_rev_sort(b3, n3, 3);
    fx_put(&o, "Trie Language Model", 19);
    fx_put(&o, "\3", 1);
    fx_put_u32(&o, (uint32_t)V);
    fx_put_u32(&o, (uint32_t)n2);
    fx_put_u32(&o, (uint32_t)n3);
    fx_put_u32(&o, 1);
    for (size_t i = 0; i < bins; i++) /* 2-gram probabilities */
        fx_put_f32(&o, i < n2 ? fx_units(b2[i].log10_prob) : 0);
    for (size_t i = 0; i < bins; i++) /* 2-gram back-off weights */
        fx_put_f32(&o, i < n2 ? fx_units(b2[i].log10_bo) : 0);
    for (size_t i = 0; i < bins; i++) /* 3-gram probabilities */
        fx_put_f32(&o, i < n3 ? fx_units(b3[i].log10_prob) : 0);
    /* The 3-grams below 2-gram i begin at the first one whose last two words are not less. */
    for (size_t i = 0; i < n2; i++) {
        size_t j = 0;
        while (j < n3 && (b3[j].w[2] < b2[i].w[1] ||
                          (b3[j].w[2] == b2[i].w[1] && b3[j].w[1] < b2[i].w[0])))
            j++;
        first3[i] = (uint32_t)j;
    }
    first3[n2] = (uint32_t)n3;
    for (size_t w = 0, i = 0; w <= V; w++) {
        while (i < n2 && b2[i].w[1] < w)
            i++;
        fx_put_f32(&o, w < V ? fx_units(uni_prob[w]) : 0);
        fx_put_f32(&o, w < V ? fx_units(uni_bo[w]) : 0);
        fx_put_u32(&o, (uint32_t)(w < V ? i : n2));
    }
    for (size_t i = 0; i <= n2; i++) {
        uint64_t at = (uint64_t)i * t2;
        if (i < n2) {
            fx_set_bits(a2, at, (unsigned)wb, b2[i].w[0]);
            fx_set_bits(a2, at + wb, 16, (uint32_t)i);      /* back-off bin */
            fx_set_bits(a2, at + wb + 16, 16, (uint32_t)i); /* probability bin */
        }
        fx_set_bits(a2, at + wb + 32, (unsigned)(t2 - wb - 32), first3[i]);
    }
    for (size_t i = 0; i < n3; i++) {
        fx_set_bits(a3, (uint64_t)i * t3, (unsigned)wb, b3[i].w[0]);
        fx_set_bits(a3, (uint64_t)i * t3 + wb, 16, (uint32_t)i);
    }
    fx_put(&o, a2, s2);
    fx_put(&o, a3, s3);
    size_t total = 0;
    for (size_t w = 0; w < V; w++)
        total += strlen(words[w]) + 1;
    fx_put_u32(&o, (uint32_t)total);
    for (size_t w = 0; w < V; w++)
        fx_put(&o, words[w], strlen(words[w]) + 1);
    free(b2);
    free(b3);
    free(a2);
    free(a3);
    free(first3);
    return o;
}

/* Rewrites the word of 3-gram entry i (in file order) of a trie from fx_trie, to break the
 * order of the entries below one 2-gram as en-us.lm.bin does in two places. */
static void fx_trie_set_word3(struct fx_bytes *t, size_t V, size_t n2, size_t n3, size_t i,
                              uint32_t word)
{
    size_t wb = fx_bits((uint32_t)V), t2 = wb + 32 + fx_bits((uint32_t)n3), t3 = wb + 16;
    size_t at = 19 + 1 + 12 + 4 + 3 * ((size_t)1 << 16) * 4 + (V + 1) * 12 +
                ((n2 + 1) * t2 + 7) / 8 + 8;

    for (size_t b = 0; b < wb; b++) {
        uint64_t bit = (uint64_t)i * t3 + b;
        t->b[at + bit / 8] &= (unsigned char)~(1u << (bit % 8));
    }
    fx_set_bits(t->b + at, (uint64_t)i * t3, (unsigned)wb, word);
}

/* A model whose three 3-grams share the 2-gram "b </s>": in the trie their words a, b, c
 * are rewritten as b, a, c, and sphinxbase's search then cannot find the first. Ids: </s> 0,
 * <s> 1, a 2, b 3, c 4. */
static const char *const fx_shuffled_words[] = {"</s>", "<s>", "a", "b", "c"};
static const double fx_shuffled_prob[] = {-1.0, -99, -0.8, -0.9, -1.2};
static const double fx_shuffled_bo[] = {0, -0.5, -0.3, -0.2, -0.4};
static const struct fx_ngram fx_shuffled_big[] = {
    {{2, 3, 0}, -0.4, -0.25}, {{3, 3, 0}, -0.7, -0.3}, {{4, 3, 0}, -0.35, -0.2},
    {{3, 0, 0}, -0.6, 0},     {{1, 2, 0}, -0.2, -0.1}};
static const struct fx_ngram fx_shuffled_tri[] = {
    {{2, 3, 0}, -0.1, 0}, {{3, 3, 0}, -0.15, 0}, {{4, 3, 0}, -0.12, 0}};

static struct fx_bytes fx_shuffled_trie(void)
{
    struct fx_bytes t = fx_trie(fx_shuffled_words, 5, fx_shuffled_prob, fx_shuffled_bo,
                                fx_shuffled_big, 5, fx_shuffled_tri, 3);
    fx_trie_set_word3(&t, 5, 5, 3, 0, 3);
    fx_trie_set_word3(&t, 5, 5, 3, 1, 2);
    return t;
}

#endif
