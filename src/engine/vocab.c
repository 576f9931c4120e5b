/* vocab.c: the loaded vocabulary and its rank order. The order is computed once per file by
 * a stable LSD radix sort, so every later filter is a prefix cut with no comparisons. */
#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "logitscope/vocab.h"
#include "vocab_build.h"

static int vocab_alloc_order(struct vocab *v)
{
    if (!v->order)
        v->order = malloc(v->n * sizeof *v->order);
    if (!v->sorted)
        v->sorted = malloc(v->n * sizeof *v->sorted);
    return v->order && v->sorted ? 0 : -1;
}

/* The rank order is a stable radix sort of 64-bit items `key << 32 | file index`, with keys
 * built so that unsigned ascending order is *descending* logit order, -inf last; sorting on
 * the key bits alone keeps equal keys in file order.
 *   - The key is that of the logit rounded to float32 (finite values clamped to its range).
 *     Rounding is monotone, so this order is right but among logits that share a float32;
 *     for float32 data (numpy files, real models) it is the whole answer.
 *   - Other doubles: each run that shares a float32 (usually exact duplicates, which cost one
 *     scan) is sorted again on the full 64-bit keys, 32 varying bits at a time.
 *   - The sort: one most-significant-digit pass on the top 11 varying key bits, after which
 *     each bucket fits the cache and is finished by least-significant-digit passes, their
 *     digits sized to the bucket. Tiny buckets take an insertion sort. */

#define VOCAB_DIGIT 11
#define VOCAB_SMALL 24   /* buckets up to this size take an insertion sort */
#define VOCAB_LOCAL 4096 /* ... and up to this size go straight to LSD passes */
#define VOCAB_AHEAD 16   /* random reads of logits are prefetched this many ranks ahead */

/* Order-preserving bits of a double, inverted for descending order: a negative number has
 * all its bits flipped, a positive one its sign bit set, then everything is inverted. -0.0
 * is folded into +0.0 so that equal logits tie. Branch-free, since signs come at random. */
static uint64_t vocab_key64(double x)
{
    uint64_t b;

    x += 0.0; /* -0.0 + 0.0 is +0.0 */
    memcpy(&b, &x, sizeof b);
    return b ^ ~((UINT64_C(0) - (b >> 63)) | UINT64_C(1) << 63);
}

/* The same for a float32. -inf gets the largest key of all. */
static uint32_t vocab_key32(float f)
{
    uint32_t b;

    f += 0.0f;
    memcpy(&b, &f, sizeof b);
    return b ^ ~((UINT32_C(0) - (b >> 31)) | UINT32_C(0x80000000));
}

/* The inverse of vocab_key32: the float32 back from its key. */
static double vocab_unkey32(uint32_t k)
{
    uint32_t e = ~k;
    float f;

    e = (e >> 31) ? e & UINT32_C(0x7fffffff) : ~e;
    memcpy(&f, &e, sizeof f);
    return f;
}

static unsigned vocab_high_bit(uint64_t x)
{
    unsigned h = 0;

    while (x >>= 1)
        h++;
    return h;
}

static uint64_t vocab_mask(unsigned width)
{
    return width >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << width) - 1;
}

/* Stable insertion sort of a[0..n) on the whole item: the key, then the file index. */
static void vocab_insertion(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > x; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

/* Stable LSD sort of src[0..n) on key bits [0, width) (bits [32, 32 + width) of the item;
 * the key bits above agree), the result in out, which is src or dst; the other is scratch.
 * Digits shrink with n, so a small bucket does not pay for 2048 counters; one read counts
 * every digit, and a digit on which every item agrees costs no pass. */
static void vocab_lsd(uint64_t *src, uint64_t *dst, size_t n, unsigned width, uint64_t *out)
{
    enum { MAXD = 3, NB = 1 << VOCAB_DIGIT };
    static_assert(MAXD * VOCAB_DIGIT >= 32, "three digits cover a key");
    uint32_t count[MAXD][NB];
    unsigned digit = vocab_high_bit(n), passes;
    uint64_t *cur = src, *other = dst, mask;

    if (width == 0 || n <= VOCAB_SMALL) {
        if (width)
            vocab_insertion(src, n);
        if (src != out)
            memcpy(out, src, n * sizeof *out);
        return;
    }
    digit = digit > VOCAB_DIGIT ? VOCAB_DIGIT : digit;
    passes = (width + digit - 1) / digit;
    passes = passes > MAXD ? MAXD : passes; /* keys have 32 bits: three 11-bit digits */
    digit = (width + passes - 1) / passes;  /* as even as the passes allow */
    mask = (UINT64_C(1) << digit) - 1;
    for (unsigned p = 0; p < passes; p++)
        memset(count[p], 0, (mask + 1) * sizeof *count[p]);
    for (size_t i = 0; i < n; i++)
        for (unsigned p = 0; p < passes; p++)
            count[p][(cur[i] >> (32 + p * digit)) & mask]++;
    for (unsigned p = 0; p < passes; p++) {
        unsigned shift = 32 + p * digit;
        uint32_t *pos = count[p], sum = 0;
        if (pos[(cur[0] >> shift) & mask] == n)
            continue;
        for (size_t b = 0; b <= mask; b++) {
            uint32_t c = pos[b];
            pos[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t it = cur[i];
            other[pos[(it >> shift) & mask]++] = it;
        }
        uint64_t *t = cur;
        cur = other;
        other = t;
    }
    if (cur != out)
        memcpy(out, cur, n * sizeof *out);
}

/* Stable sort of in[0..n) on key bits [0, width) into out[0..n); in is scratch. One MSD
 * pass on the top digit scatters into out, then each bucket is finished there by
 * vocab_lsd(), with its part of in as scratch, while it is in cache; with the usual two
 * LSD passes a bucket ends where it started, so nothing is copied. */
static void vocab_radix(uint64_t *in, uint64_t *out, size_t n, unsigned width)
{
    enum { NB = 1 << VOCAB_DIGIT };
    uint32_t count[NB];
    unsigned shift = 32 + width - VOCAB_DIGIT;
    size_t sum = 0;

    if (n <= VOCAB_LOCAL || width <= VOCAB_DIGIT) {
        vocab_lsd(in, out, n, width, out);
        return;
    }
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        count[(in[i] >> shift) & (NB - 1)]++;
    for (size_t b = 0; b < NB; b++) {
        uint32_t c = count[b];
        count[b] = (uint32_t)sum;
        sum += c;
    }
    for (size_t i = 0; i < n; i++)
        out[count[(in[i] >> shift) & (NB - 1)]++] = in[i];
    for (size_t b = 0, lo = 0; b < NB; lo = count[b++])
        vocab_lsd(out + lo, in + lo, count[b] - lo, width - VOCAB_DIGIT, out + lo);
}

/* Pass one: every logit becomes an item with its float32 key, -inf included (it sorts
 * last). Returns the finite count, whether every logit is a float32, and the key bits that
 * vary. Written with integer masks rather than branches or FP comparisons, so that the loop
 * vectorises. */
ENGINE_CLONES
static size_t vocab_items(const double *restrict logits, size_t n, uint64_t *restrict items,
                          bool *all_f32, uint32_t *varying)
{
    const double flt_max = FLT_MAX, neg_inf = -INFINITY;
    uint64_t max_bits, ninf_bits, sign = UINT64_C(1) << 63, finite = 0, inexact = 0;
    uint32_t any = 0, all = ~UINT32_C(0);

    memcpy(&max_bits, &flt_max, sizeof max_bits);
    memcpy(&ninf_bits, &neg_inf, sizeof ninf_bits);
    for (size_t i = 0; i < n; i++) {
        uint64_t xb, db;
        memcpy(&xb, &logits[i], sizeof xb);
        uint64_t ninf = xb == ninf_bits;
        uint64_t big = ((xb & ~sign) > max_bits) & !ninf; /* finite, beyond float32 */
        uint64_t cb = xb ^ ((xb ^ ((xb & sign) | max_bits)) & (UINT64_C(0) - big));
        double clamped;
        memcpy(&clamped, &cb, sizeof clamped);
        float f = (float)clamped;
        double back = f;
        memcpy(&db, &back, sizeof db);
        inexact |= db != xb;
        uint32_t k = vocab_key32(f);
        finite += !ninf;
        any |= k;
        all &= k;
        items[i] = (uint64_t)k << 32 | i;
    }
    *all_f32 = !inexact;
    *varying = any ^ all;
    return finite;
}

/* Re-keys run[0..m) with key64 bits [shift, shift + width) of their logits, width <= 32. */
static void vocab_rekey(const double *logits, uint64_t *run, size_t m, unsigned shift,
                        unsigned width)
{
    for (size_t j = 0; j < m; j++) {
        uint32_t i = (uint32_t)run[j];
        run[j] = ((vocab_key64(logits[i]) >> shift) & vocab_mask(width)) << 32 | i;
    }
}

/* Stable sort of run[0..m) on the full 64-bit keys of their logits: on the first 32 bits in
 * which the keys differ, then the runs that tie on those on the rest. */
static void vocab_sort_run(const double *logits, uint64_t *run, uint64_t *tmp, size_t m)
{
    uint64_t k0 = vocab_key64(logits[(uint32_t)run[0]]), diff = 0;
    unsigned lo = 0, width, w32;

    for (size_t j = 1; j < m; j++)
        diff |= vocab_key64(logits[(uint32_t)run[j]]) ^ k0;
    if (diff == 0) /* equal values: file order is already right */
        return;
    while (!(diff >> lo & 1))
        lo++;
    width = vocab_high_bit(diff) - lo + 1;
    w32 = width > 32 ? 32 : width;
    vocab_rekey(logits, run, m, lo + width - w32, w32);
    vocab_radix(run, tmp, m, w32);
    memcpy(run, tmp, m * sizeof *run);
    for (size_t a = 0, b; width > 32 && a < m; a = b) {
        for (b = a + 1; b < m && run[b] >> 32 == run[a] >> 32; b++)
            ;
        if (b - a > 1) {
            vocab_rekey(logits, run + a, b - a, lo, width - 32);
            vocab_radix(run + a, tmp, b - a, width - 32);
            memcpy(run + a, tmp, (b - a) * sizeof *run);
        }
    }
}

/* Stable insertion sort of a short run by its logits x[0..m), which move along with the
 * file indices idx[0..m). */
static void vocab_sort_short_run(uint32_t *idx, double *x, size_t m)
{
    for (size_t i = 1; i < m; i++) {
        uint64_t k = vocab_key64(x[i]);
        uint32_t ii = idx[i];
        double xi = x[i];
        size_t j = i;
        for (; j > 0 && vocab_key64(x[j - 1]) > k; j--) {
            idx[j] = idx[j - 1];
            x[j] = x[j - 1];
        }
        idx[j] = ii;
        x[j] = xi;
    }
}

/* Ranks [a, b) of doubles share a float32 key but not all their value: sorts them on the
 * full key, a short run by the values already fetched, a long one (rare) by the radix sort
 * with its part of sorted as scratch, fetched again after. */
static void vocab_fix_run(struct vocab *v, uint64_t *items, size_t a, size_t b)
{
    if (b - a <= VOCAB_SMALL) {
        vocab_sort_short_run(v->order + a, v->sorted + a, b - a);
        return;
    }
    vocab_sort_run(v->logits, items + a, (uint64_t *)(void *)(v->sorted + a), b - a);
    for (size_t r = a; r < b; r++) {
        v->order[r] = (uint32_t)items[r];
        v->sorted[r] = v->logits[v->order[r]];
    }
}

/* Writes order and sorted in one sweep: a float32's logit is decoded from its key, other
 * doubles are fetched (prefetched a few ranks ahead, since the reads are random), and a run
 * that shares a float32 key but holds different values (most such runs are exact
 * duplicates) is put in order as soon as it ends. */
static void vocab_fill(struct vocab *v, uint64_t *items, size_t m, bool f32)
{
    uint32_t *order = v->order;
    double *sorted = v->sorted;
    const double *logits = v->logits;
    size_t run = 0;
    bool mixed = false;

    for (size_t r = 0; f32 && r < m; r++) {
        order[r] = (uint32_t)items[r];
        sorted[r] = vocab_unkey32((uint32_t)(items[r] >> 32));
    }
    for (size_t r = 0; !f32 && r < m; r++) {
        uint32_t i = (uint32_t)items[r];
        double x = logits[i];
#ifdef __GNUC__
        if (r + VOCAB_AHEAD < m)
            __builtin_prefetch(&logits[(uint32_t)items[r + VOCAB_AHEAD]]);
#endif
        if (items[r] >> 32 != items[run] >> 32) {
            if (mixed)
                vocab_fix_run(v, items, run, r);
            run = r;
            mixed = false;
        }
        mixed |= r > run && x != sorted[r - 1];
        order[r] = i;
        sorted[r] = x;
    }
    if (mixed)
        vocab_fix_run(v, items, run, m);
    for (size_t r = m; r < v->n; r++) {
        order[r] = (uint32_t)items[r];
        sorted[r] = -INFINITY;
    }
}

/* Fills order, sorted and n_finite. The sorted array, not written until the end, holds the
 * items first and is the radix sort's scratch (same size, allocated memory). */
static int vocab_radix_order(struct vocab *v)
{
    uint64_t *items = malloc(v->n * sizeof *items), *first = (uint64_t *)(void *)v->sorted;
    uint32_t varying;
    bool f32;
    size_t m;

    static_assert(sizeof *v->sorted == sizeof *items, "sorted can hold the items");
    if (!items)
        return -1;
    m = vocab_items(v->logits, v->n, first, &f32, &varying);
    vocab_radix(first, items, v->n, varying ? vocab_high_bit(varying) + 1 : 0);
    vocab_fill(v, items, m, f32);
    v->n_finite = m;
    free(items);
    return 0;
}

/* The block moments of the sorted finite logits, for the engine's temperature steps. Sized
 * for every rank and allocated once, like order and sorted, so that a re-sort leaves the
 * pointers a dist holds valid. */
static int vocab_moments(struct vocab *v)
{
    if (!v->moments)
        v->moments = malloc((v->n / ENGINE_BLOCK + 1) * ENGINE_MOMENT_STRIDE * sizeof *v->moments);
    if (!v->moments)
        return -1;
    weights_moments(v->sorted, v->n_finite / ENGINE_BLOCK, v->moments);
    return 0;
}

int vocab_sort(struct vocab *v)
{
    if (!v || v->n == 0 || v->n > VOCAB_MAX_TOKENS || !v->logits || vocab_alloc_order(v) < 0)
        return -1;
    if (vocab_radix_order(v) < 0)
        return -1;
    return vocab_moments(v);
}

int vocab_sort_known(struct vocab *v, size_t n_finite)
{
    if (!v || v->n == 0 || n_finite > v->n || !v->logits || vocab_alloc_order(v) < 0)
        return -1;
    for (size_t r = 0; r < v->n; r++)
        v->sorted[r] = v->logits[v->order[r]];
    v->n_finite = n_finite;
    return vocab_moments(v);
}

static int vocab_cmp_index(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* idx[0..m) and their logits x in rank order, m > VOCAB_LOCAL: by vocab_sort on a small
 * vocabulary of them (listed by file index, so that ties fall in file order). Allocates. */
static int vocab_rank_many(uint32_t *idx, double *x, size_t m)
{
    struct vocab t = {.n = m, .logits = malloc(m * sizeof *t.logits)};
    uint32_t *by = malloc(m * sizeof *by);
    int rc = -1;
    if (t.logits && by) {
        memcpy(t.logits, x, m * sizeof *x);
        memcpy(by, idx, m * sizeof *idx);
        if (vocab_sort(&t) == 0) {
            for (size_t j = 0; j < m; j++) {
                idx[j] = by[t.order[j]];
                x[j] = t.sorted[j];
            }
            rc = 0;
        }
    }
    free(by);
    vocab_free(&t);
    return rc;
}

int vocab_sort_changed(struct vocab *v, const struct vocab *base, const uint32_t *changed,
                       size_t m, const uint32_t *mark, uint32_t *idx, double *x)
{
    if (!v || v->n != base->n || v->n > VOCAB_MAX_TOKENS || vocab_alloc_order(v) < 0)
        return -1;
    /* the changed tokens in rank order: listed by file index, then stably by logit, with
     * the sort's own key (a few take its insertion sort, many its radix sort) */
    memcpy(idx, changed, m * sizeof *idx);
    qsort(idx, m, sizeof *idx, vocab_cmp_index);
    for (size_t j = 0; j < m; j++)
        x[j] = v->logits[idx[j]];
    if (m <= VOCAB_LOCAL)
        vocab_sort_short_run(idx, x, m);
    else if (vocab_rank_many(idx, x, m) < 0)
        return -1;
    /* merged into base's order, which the unchanged tokens keep */
    size_t r = 0, j = 0, finite = 0;
    for (size_t out = 0; out < v->n; out++) {
        while (r < base->n && mark[base->order[r]])
            r++;
        bool from_base = j == m;
        if (r < base->n && j < m) {
            uint64_t kb = vocab_key64(base->sorted[r]), kc = vocab_key64(x[j]);
            from_base = kb < kc || (kb == kc && base->order[r] < idx[j]);
        }
        if (from_base) {
            v->order[out] = base->order[r];
            v->sorted[out] = base->sorted[r++];
        } else {
            v->order[out] = idx[j];
            v->sorted[out] = x[j++];
        }
        finite += !isinf(v->sorted[out]);
    }
    v->n_finite = finite;
    return vocab_moments(v);
}

void vocab_free(struct vocab *v)
{
    if (!v)
        return;
    free(v->source);
    free(v->logits);
    free(v->text);
    free(v->tok_off);
    free(v->tok_len);
    free(v->order);
    free(v->sorted);
    free(v->moments);
    memset(v, 0, sizeof *v);
}

const char *vocab_token(const struct vocab *v, size_t i, char *buf, size_t *len)
{
    size_t n;

    if (v->text && i < v->n) {
        if (len)
            *len = v->tok_len[i];
        return v->text + v->tok_off[i];
    }
    n = (size_t)snprintf(buf, 24, "#%zu", i);
    if (len)
        *len = n;
    return buf;
}
