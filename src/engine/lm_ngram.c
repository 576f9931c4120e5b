/* lm_ngram.c: the back-off n-gram store behind both file formats: finding a context, the
 * next-word column in O(V + successors), and turning n-grams read in any order into the
 * forward trie (sorted levels, child ranges, contexts that only longer n-grams name).
 *
 * Back-off, as sphinxbase and every ARPA reader compute it: ln P(w | h_K) = p_m(w) +
 * bo(h_{m+1}) + ... + bo(h_K), where h_k is the last k words of the context, m the longest
 * k <= K with an n-gram (h_k, w), and bo of a context the model lacks is 0. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lm_internal.h"

static double ngram_bo(const struct lm_level *l, size_t i)
{
    if (l->word && (l->word[i] & LM_CONTEXT_ONLY))
        return 0;
    return l->bo_q ? l->bo[l->bo_q[i]] : l->bo[i];
}

/* Entry of [lo, hi) whose word is w. Branch-free halving: a model load makes millions of
 * these searches, and a mispredicted branch per step cost more than the memory. */
static bool ngram_search(const struct lm_level *l, size_t lo, size_t hi, uint32_t w, size_t *at)
{
    const uint32_t *base = l->word + lo;
    size_t n = hi - lo;

    if (n == 0)
        return false;
    while (n > 1) {
        size_t half = n / 2;
        base = (base[half - 1] & LM_WORD_MASK) < w ? base + half : base;
        n -= half;
    }
    *at = (size_t)(base - l->word);
    return (*base & LM_WORD_MASK) == w;
}

bool lm_ngram_find(const struct lm_ngram *ng, const uint32_t *words, int k, size_t *at)
{
    size_t i;

    if (k < 1 || k > ng->order || words[0] >= ng->n_words)
        return false;
    i = words[0];
    for (int j = 1; j < k; j++) {
        const struct lm_level *up = &ng->level[j - 1];
        if (words[j] >= ng->n_words ||
            !ngram_search(&ng->level[j], up->child[i], up->child[i + 1], words[j], &i))
            return false;
    }
    *at = i;
    return true;
}

/* logp[w] = p(w) + add for the successors [lo, hi) of one context. */
static void ngram_overwrite(const struct lm_level *l, size_t lo, size_t hi, double add,
                            double *logp)
{
    const uint32_t *word = l->word;
    const double *prob = l->prob;

    if (l->prob_q) {
        const uint16_t *q = l->prob_q;
        for (size_t i = lo; i < hi; i++)
            if (!(word[i] & LM_CONTEXT_ONLY))
                logp[word[i]] = prob[q[i]] + add;
    } else {
        for (size_t i = lo; i < hi; i++)
            if (!(word[i] & LM_CONTEXT_ONLY))
                logp[word[i]] = prob[i] + add;
    }
}

void lm_ngram_next(const struct lm_ngram *ng, const uint32_t *ctx, size_t n, double *logp)
{
    size_t at[LM_MAX_ORDER];
    bool found[LM_MAX_ORDER];
    double bo[LM_MAX_ORDER], tail[LM_MAX_ORDER];
    int top = ng->order - 1;
    const double *uni = ng->level[0].prob;

    if ((size_t)top > n)
        top = (int)n;
    for (int j = 0; j < top; j++) {
        if (ctx[n - 1 - j] >= ng->n_words) { /* a word the model cannot name cuts the context */
            top = j;
            break;
        }
    }
    for (int k = 1; k <= top; k++) {
        found[k] = lm_ngram_find(ng, ctx + n - k, k, &at[k]);
        bo[k] = found[k] ? ngram_bo(&ng->level[k - 1], at[k]) : 0;
    }
    /* tail[k]: the back-off weights of the contexts longer than k words. */
    tail[top] = 0;
    for (int k = top; k >= 1; k--)
        tail[k - 1] = tail[k] + bo[k];
    for (size_t w = 0; w < ng->n_words; w++)
        logp[w] = uni[w] + tail[0];
    for (int k = 1; k <= top; k++) {
        if (!found[k])
            continue;
        const struct lm_level *c = &ng->level[k - 1];
        ngram_overwrite(&ng->level[k], c->child[at[k]], c->child[at[k] + 1], tail[k], logp);
    }
}

void lm_level_free(struct lm_level *l)
{
    free(l->word);
    free(l->child);
    free(l->prob);
    free(l->bo);
    free(l->prob_q);
    free(l->bo_q);
    memset(l, 0, sizeof *l);
}

void lm_ngram_free(struct lm_ngram *ng)
{
    for (int k = 0; k < LM_MAX_ORDER; k++)
        lm_level_free(&ng->level[k]);
    memset(ng, 0, sizeof *ng);
}

static void ngram_ops_next(const struct lm *lm, const uint32_t *ctx, size_t n, double *logp)
{
    lm_ngram_next(lm->impl, ctx, n, logp);
}

static void ngram_ops_free(void *impl)
{
    if (impl)
        lm_ngram_free(impl);
    free(impl);
}

const struct lm_ops lm_ngram_ops_arpa = {"ARPA", ngram_ops_next, ngram_ops_free};
const struct lm_ops lm_ngram_ops_trie = {"Sphinx trie", ngram_ops_next, ngram_ops_free};

/* ---- Building from n-grams in any order ---- */

int lm_raw_push(struct lm_raw *r, const uint32_t *words, double prob, double bo, size_t where)
{
    size_t k = (size_t)r->k;

    if (r->n == r->cap) {
        size_t c = r->cap ? r->cap * 2 : 1024;
        void *p;
        if (r->n >= LM_MAX_NGRAMS || c > SIZE_MAX / (k * sizeof *r->words))
            return -1;
        if (!(p = realloc(r->words, c * k * sizeof *r->words)))
            return -1;
        r->words = p;
        if (!(p = realloc(r->prob, c * sizeof *r->prob)))
            return -1;
        r->prob = p;
        if (!(p = realloc(r->bo, c * sizeof *r->bo)))
            return -1;
        r->bo = p;
        if (!(p = realloc(r->where, c * sizeof *r->where)))
            return -1;
        r->where = p;
        r->cap = c;
    }
    memcpy(r->words + r->n * k, words, k * sizeof *words);
    r->prob[r->n] = prob;
    r->bo[r->n] = bo;
    r->where[r->n] = where;
    r->n++;
    return 0;
}

void lm_raw_free(struct lm_raw *r)
{
    free(r->words);
    free(r->prob);
    free(r->bo);
    free(r->where);
    r->words = NULL;
    r->prob = r->bo = NULL;
    r->where = NULL;
    r->n = r->cap = 0;
}

static int ngram_tuple_cmp(const uint32_t *a, const uint32_t *b, int k)
{
    for (int i = 0; i < k; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static bool ngram_raw_sorted(const struct lm_raw *r)
{
    for (size_t i = 1; i < r->n; i++)
        if (ngram_tuple_cmp(r->words + (i - 1) * r->k, r->words + i * r->k, r->k) > 0)
            return false;
    return true;
}

/* Puts r in the order of its words, oldest first, keeping the file order of equal n-grams:
 * one stable counting pass per word position, last position first. */
static int ngram_raw_sort(struct lm_raw *r, size_t n_words)
{
    size_t n = r->n, k = (size_t)r->k;
    uint32_t *perm, *tmp, *cnt, *words = NULL;
    double *prob = NULL, *bo = NULL;
    size_t *where = NULL;
    int rc = -1;

    if (n < 2 || ngram_raw_sorted(r))
        return 0;
    perm = malloc(n * sizeof *perm);
    tmp = malloc(n * sizeof *tmp);
    cnt = malloc((n_words + 1) * sizeof *cnt);
    if (!perm || !tmp || !cnt)
        goto out;
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    for (size_t pos = k; pos-- > 0;) {
        memset(cnt, 0, (n_words + 1) * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[r->words[i * k + pos] + 1]++;
        for (size_t w = 0; w < n_words; w++)
            cnt[w + 1] += cnt[w];
        for (size_t j = 0; j < n; j++) {
            uint32_t i = perm[j];
            tmp[cnt[r->words[i * k + pos]]++] = i;
        }
        uint32_t *t = perm;
        perm = tmp;
        tmp = t;
    }
    words = malloc(n * k * sizeof *words);
    prob = malloc(n * sizeof *prob);
    bo = malloc(n * sizeof *bo);
    where = malloc(n * sizeof *where);
    if (!words || !prob || !bo || !where)
        goto out;
    for (size_t j = 0; j < n; j++) {
        size_t i = perm[j];
        memcpy(words + j * k, r->words + i * k, k * sizeof *words);
        prob[j] = r->prob[i];
        bo[j] = r->bo[i];
        where[j] = r->where[i];
    }
    free(r->words);
    free(r->prob);
    free(r->bo);
    free(r->where);
    r->words = words;
    r->prob = prob;
    r->bo = bo;
    r->where = where;
    r->cap = n;
    words = NULL;
    prob = bo = NULL;
    where = NULL;
    rc = 0;
out:
    free(perm);
    free(tmp);
    free(cnt);
    free(words);
    free(prob);
    free(bo);
    free(where);
    return rc;
}

/* The repeated n-gram of a sorted r that the file repeats first, if any. */
static bool ngram_raw_dup(const struct lm_raw *r, struct lm_raw_dup *dup)
{
    bool any = false;

    for (size_t i = 1; i < r->n; i++) {
        const uint32_t *a = r->words + (i - 1) * r->k, *b = r->words + i * r->k;
        if (ngram_tuple_cmp(a, b, r->k) != 0 || (any && r->where[i] >= dup->second))
            continue;
        any = true;
        dup->k = r->k;
        memcpy(dup->words, b, (size_t)r->k * sizeof *b);
        dup->first = r->where[i - 1];
        dup->second = r->where[i];
    }
    return any;
}

/* Adds to lo (the (k-1)-grams, sorted) every context of hi (the k-grams, sorted) that lo
 * lacks, as a context-only entry, and sorts lo again. */
static int ngram_add_contexts(const struct lm_raw *hi, struct lm_raw *lo, size_t n_words)
{
    size_t j = 0, n_lo = lo->n;
    int k = hi->k;
    bool added = false;

    for (size_t i = 0; i < hi->n; i++) {
        const uint32_t *p = hi->words + i * (size_t)k;
        if (i > 0 && ngram_tuple_cmp(p - k, p, k - 1) == 0)
            continue; /* the same context as the n-gram before */
        while (j < n_lo && ngram_tuple_cmp(lo->words + j * (size_t)lo->k, p, k - 1) < 0)
            j++;
        if (j < n_lo && ngram_tuple_cmp(lo->words + j * (size_t)lo->k, p, k - 1) == 0)
            continue;
        if (lm_raw_push(lo, p, NAN, 0, hi->where[i]) < 0)
            return -1;
        added = true;
    }
    return added ? ngram_raw_sort(lo, n_words) : 0;
}

/* child[j] for the sorted (k-1)-grams lo: where the k-grams of hi that extend lo's entry j
 * begin. Every context of hi is in lo. */
static int ngram_link(const struct lm_raw *lo, const struct lm_raw *hi, uint32_t *child)
{
    size_t i = 0;

    for (size_t j = 0; j < lo->n; j++) {
        child[j] = (uint32_t)i;
        while (i < hi->n &&
               ngram_tuple_cmp(hi->words + i * (size_t)hi->k, lo->words + j * (size_t)lo->k,
                               lo->k) == 0)
            i++;
    }
    child[lo->n] = (uint32_t)i;
    return i == hi->n ? 0 : -1;
}

int lm_ngram_build(struct lm_ngram *ng, struct lm_raw *raw, struct lm_raw_dup *dup)
{
    int order = ng->order, rc = -1;
    size_t V = ng->n_words;

    for (int k = 2; k <= order; k++) {
        if (ngram_raw_sort(&raw[k - 1], V) < 0)
            goto out;
        if (ngram_raw_dup(&raw[k - 1], dup)) {
            rc = 1;
            goto out;
        }
    }
    for (int k = order; k >= 3; k--)
        if (ngram_add_contexts(&raw[k - 1], &raw[k - 2], V) < 0)
            goto out;
    if (order >= 2) {
        uint32_t *child = calloc(V + 1, sizeof *child);
        if (!(ng->level[0].child = child))
            goto out;
        for (size_t i = 0; i < raw[1].n; i++)
            child[raw[1].words[i * 2] + 1]++;
        for (size_t w = 0; w < V; w++)
            child[w + 1] += child[w];
    }
    for (int k = 2; k <= order; k++) {
        struct lm_raw *r = &raw[k - 1];
        struct lm_level *l = &ng->level[k - 1];
        l->n = r->n;
        if (!(l->word = malloc((r->n ? r->n : 1) * sizeof *l->word)))
            goto out;
        for (size_t i = 0; i < r->n; i++)
            l->word[i] = r->words[i * (size_t)k + (size_t)k - 1] |
                         (isnan(r->prob[i]) ? LM_CONTEXT_ONLY : 0);
        l->prob = r->prob;
        r->prob = NULL;
        if (k < order) {
            l->bo = r->bo;
            r->bo = NULL;
            if (!(l->child = malloc((r->n + 1) * sizeof *l->child)) ||
                ngram_link(r, &raw[k], l->child) < 0)
                goto out;
        }
        if (k > 2)
            lm_raw_free(&raw[k - 2]);
    }
    rc = 0;
out:
    for (int k = 2; k <= order; k++)
        lm_raw_free(&raw[k - 1]);
    return rc;
}
