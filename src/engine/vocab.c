/* vocab.c: the loaded vocabulary and its rank order. The order is computed once per file by
 * a stable LSD radix sort, so every later filter is a prefix cut with no comparisons. */
#include <assert.h>
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "loader.h"
#include "logitscope/vocab.h"

static int vocab_alloc_order(struct vocab *v)
{
    if (!v->order)
        v->order = malloc(v->n * sizeof *v->order);
    if (!v->rank)
        v->rank = malloc(v->n * sizeof *v->rank);
    if (!v->sorted)
        v->sorted = malloc(v->n * sizeof *v->sorted);
    return v->order && v->rank && v->sorted ? 0 : -1;
}

/* The rank order is a stable LSD radix sort of 64-bit items `key << 32 | file index`: sorting
 * on the key bits alone keeps equal keys in file order. Keys are built so that unsigned
 * ascending order is *descending* logit order. -inf logits are never sorted: they are
 * parked at the end in file order.
 *   - float32 data (numpy files, real models) has exact 32-bit keys: one pass builds the
 *     items, then at most three 11-bit radix passes; a digit on which every key agrees is
 *     skipped.
 *   - other doubles: the first 32 bits in which the 64-bit keys differ are radix-sorted, and
 *     the runs that tie on them (usually exact duplicates) are sorted on the rest.
 * Each radix pass moves 8 bytes per token: O(V), no comparisons. */

#define VOCAB_DIGIT 11

/* Order-preserving bits of a double, inverted for descending order. -0.0 is folded into
 * +0.0 so that equal logits tie. */
static uint64_t vocab_key64(double x)
{
    uint64_t b;

    if (x == 0.0)
        x = 0.0;
    memcpy(&b, &x, sizeof b);
    b = (b >> 63) ? ~b : b | (UINT64_C(1) << 63);
    return ~b;
}

/* The same for a value known to be a float32. */
static uint32_t vocab_key32(float f)
{
    uint32_t b;

    if (f == 0.0f)
        f = 0.0f;
    memcpy(&b, &f, sizeof b);
    b = (b >> 31) ? ~b : b | UINT32_C(0x80000000);
    return ~b;
}

/* Inverses of vocab_key32 and vocab_key64: the logit back from its key. */
static double vocab_unkey32(uint32_t k)
{
    uint32_t e = ~k;
    float f;

    e = (e >> 31) ? e & UINT32_C(0x7fffffff) : ~e;
    memcpy(&f, &e, sizeof f);
    return f;
}

static double vocab_unkey64(uint64_t k)
{
    uint64_t e = ~k;
    double x;

    e = (e >> 63) ? e & ~(UINT64_C(1) << 63) : ~e;
    memcpy(&x, &e, sizeof x);
    return x;
}

static unsigned vocab_high_bit(uint64_t x)
{
    unsigned h = 0;

    while (x >>= 1)
        h++;
    return h;
}

static unsigned vocab_low_bit(uint64_t x)
{
    unsigned l = 0;

    while (x && !(x & 1)) {
        x >>= 1;
        l++;
    }
    return l;
}

static uint64_t vocab_mask(unsigned width)
{
    return width >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << width) - 1;
}

/* Stable LSD sort of items on bits [32, 32 + width), width <= 32. The histograms of all
 * digits come from one read; a digit on which every item agrees costs no pass. */
static void vocab_lsd(uint64_t *items, uint64_t *tmp, size_t n, unsigned width)
{
    enum { NB = 1 << VOCAB_DIGIT, MAXD = (32 + VOCAB_DIGIT - 1) / VOCAB_DIGIT };
    static_assert(NB * MAXD * sizeof(uint32_t) <= 32768, "histograms fit the stack");
    uint32_t count[MAXD][NB];
    unsigned digits = (width + VOCAB_DIGIT - 1) / VOCAB_DIGIT;
    uint64_t *src = items, *dst = tmp;

    if (n < 2 || width == 0)
        return;
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (unsigned d = 0; d < digits; d++)
            count[d][(items[i] >> (32 + d * VOCAB_DIGIT)) & (NB - 1)]++;
    for (unsigned d = 0; d < digits; d++) {
        unsigned shift = 32 + d * VOCAB_DIGIT;
        uint32_t *pos = count[d], sum = 0;
        if (pos[(src[0] >> shift) & (NB - 1)] == n)
            continue;
        for (size_t b = 0; b < NB; b++) {
            uint32_t c = pos[b];
            pos[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t it = src[i];
            dst[pos[(it >> shift) & (NB - 1)]++] = it;
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != items)
        memcpy(items, src, n * sizeof *items);
}

/* Stable merge sort of items on their high 32 bits, for mid-sized tie runs. */
static void vocab_merge(uint64_t *a, uint64_t *tmp, size_t m)
{
    uint64_t *src = a, *dst = tmp;

    for (size_t w = 1; w < m; w *= 2) {
        for (size_t lo = 0; lo < m; lo += 2 * w) {
            size_t mid = lo + w < m ? lo + w : m, hi = lo + 2 * w < m ? lo + 2 * w : m;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                dst[o++] = (src[j] >> 32) < (src[i] >> 32) ? src[j++] : src[i++];
            while (i < mid)
                dst[o++] = src[i++];
            while (j < hi)
                dst[o++] = src[j++];
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, m * sizeof *a);
}

/* Pass one: finite logits become items at the front (32-bit float keys while every value
 * so far is a float32), -inf indices fill the back in file order. Returns the finite count
 * and whether every finite logit was a float32. */
static size_t vocab_items32(const struct vocab *v, uint64_t *items, bool *all_f32)
{
    size_t m = 0, back = v->n;
    bool f32 = true;

    for (size_t i = 0; i < v->n; i++) {
        double x = v->logits[i];
        if (isinf(x)) {
            items[--back] = i;
            continue;
        }
        if (f32) { /* after the first non-float32 value only indices are needed */
            float f = fabs(x) <= FLT_MAX ? (float)x : 0.0f;
            f32 = (double)f == x;
            items[m++] = (uint64_t)vocab_key32(f) << 32 | i;
        } else {
            items[m++] = i;
        }
    }
    for (size_t a = m, b = v->n; a + 1 < b; a++, b--) { /* the back was filled backwards */
        uint64_t t = items[a];
        items[a] = items[b - 1];
        items[b - 1] = t;
    }
    *all_f32 = f32;
    return m;
}

/* Items in a run tie on their first 32 varying key bits: order them on the next bits
 * [lo, lo + width). Runs arrive in file order and the sorts are stable. Exact duplicates
 * (the usual reason for a run) cost one scan; only runs of 4096 or more use the radix
 * sort, so the whole stays O(V). */
static void vocab_fix_run(const double *logits, uint64_t *run, uint64_t *tmp, size_t m,
                          unsigned lo, unsigned width)
{
    uint64_t diff = 0;

    for (size_t j = 0; j < m; j++) {
        uint32_t i = (uint32_t)run[j];
        run[j] = ((vocab_key64(logits[i]) >> lo) & vocab_mask(width)) << 32 | i;
        diff |= (run[j] ^ run[0]) >> 32;
    }
    if (diff == 0)
        return;
    if (m < 4096)
        vocab_merge(run, tmp, m);
    else
        vocab_lsd(run, tmp, m, width);
}

/* Doubles that are not all float32s: rebuild the m finite items on the first 32 bits in
 * which their 64-bit keys differ, sort, then settle the runs that tie on those bits.
 * Returns true when the items hold the whole varying part of the key (so the logit can be
 * decoded from them); *base, *lo, *width describe that window. */
static bool vocab_sort64(const struct vocab *v, uint64_t *items, uint64_t *tmp, size_t m,
                         uint64_t *base, unsigned *lo, unsigned *width)
{
    uint64_t k0 = vocab_key64(v->logits[(uint32_t)items[0]]), diff = 0;
    unsigned w32, top;

    for (size_t j = 0; j < m; j++) { /* keys kept in tmp for the second sweep */
        tmp[j] = vocab_key64(v->logits[(uint32_t)items[j]]);
        diff |= tmp[j] ^ k0;
    }
    *base = k0;
    *lo = vocab_low_bit(diff);
    *width = diff ? vocab_high_bit(diff) - *lo + 1 : 0;
    w32 = *width > 32 ? 32 : *width;
    top = *lo + *width - w32;
    for (size_t j = 0; j < m; j++)
        items[j] = ((tmp[j] >> top) & vocab_mask(w32)) << 32 | (uint32_t)items[j];
    vocab_lsd(items, tmp, m, w32);
    for (size_t a = 0, b; *width > 32 && a < m; a = b) {
        for (b = a + 1; b < m && items[b] >> 32 == items[a] >> 32; b++)
            ;
        if (b - a > 1)
            vocab_fix_run(v->logits, items + a, tmp, b - a, *lo, top - *lo);
    }
    return *width <= 32;
}

/* Writes order, rank and sorted in one sweep. With `decode`, sorted comes from the item's
 * key window over `base` instead of a random read of v->logits. */
static void vocab_fill(struct vocab *v, const uint64_t *items, size_t m, bool decode,
                       bool f32, uint64_t base, unsigned lo, unsigned width)
{
    uint64_t mask = vocab_mask(width) << lo;

    for (size_t r = 0; r < v->n; r++) {
        uint32_t i = (uint32_t)items[r];
        uint64_t k = (base & ~mask) | ((items[r] >> 32) << lo & mask);
        v->order[r] = i;
        v->rank[i] = (uint32_t)r;
        if (r >= m)
            v->sorted[r] = -INFINITY;
        else if (!decode)
            v->sorted[r] = v->logits[i];
        else
            v->sorted[r] = f32 ? vocab_unkey32((uint32_t)k) : vocab_unkey64(k);
    }
}

/* Fills order, rank, sorted and n_finite. The sorted array, not written until the end,
 * doubles as the radix sort's scratch buffer (same size, allocated memory). */
static int vocab_radix_order(struct vocab *v)
{
    uint64_t *items = malloc(v->n * sizeof *items), *tmp = (uint64_t *)(void *)v->sorted;
    uint64_t base = 0;
    unsigned lo = 0, width = 32;
    bool f32, decode = true;
    size_t m;

    static_assert(sizeof *v->sorted == sizeof *items, "sorted can hold the items");
    if (!items)
        return -1;
    m = vocab_items32(v, items, &f32);
    if (f32)
        vocab_lsd(items, tmp, m, 32);
    else if (m > 0)
        decode = vocab_sort64(v, items, tmp, m, &base, &lo, &width);
    vocab_fill(v, items, m, decode, f32, base, lo, width);
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
    free(v->rank);
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

const char *vocab_logit_problem(double x)
{
    if (isnan(x))
        return "is NaN";
    if (isinf(x) && x > 0)
        return "is +inf (only -inf is allowed)";
    return NULL;
}

int vocab_finish(struct vocab *tmp, struct vocab *out, const char *who, struct ls_error *err)
{
    size_t finite = 0;

    for (size_t i = 0; i < tmp->n; i++) {
        const char *why = vocab_logit_problem(tmp->logits[i]);
        if (why) {
            ls_error_set(err, "%s: element %zu %s", who, i, why);
            vocab_free(tmp);
            return -1;
        }
        finite += !isinf(tmp->logits[i]);
    }
    if (tmp->n == 0 || finite == 0) {
        ls_error_set(err, tmp->n ? "%s: every logit is -inf" : "%s: no tokens", who);
        vocab_free(tmp);
        return -1;
    }
    if (vocab_sort(tmp) < 0) {
        ls_error_set(err, "%s: out of memory sorting %zu tokens", who, tmp->n);
        vocab_free(tmp);
        return -1;
    }
    *out = *tmp;
    return 0;
}

/* ".npy" in any case at the end of the name. */
static int vocab_is_npy(const char *path)
{
    size_t n = strlen(path);
    const char *ext = ".npy";

    if (n < 4)
        return 0;
    for (size_t i = 0; i < 4; i++)
        if (tolower((unsigned char)path[n - 4 + i]) != ext[i])
            return 0;
    return 1;
}

int vocab_load(struct vocab *v, const char *path, const char *vocab_path,
               struct ls_error *err)
{
    if (!path)
        return ls_error_set(err, "no logits file given");
    if (vocab_is_npy(path))
        return vocab_load_npy(v, path, vocab_path, err);
    if (vocab_path)
        return ls_error_set(err, "%s: a separate token list only goes with .npy logits; "
                                 "%s names its own tokens", vocab_path, path);
    return vocab_load_tsv(v, path, err);
}

/* Copies the names into one text buffer, as the loaders store them. */
static int vocab_copy_names(struct vocab *t, const char *const *names)
{
    size_t total = 1, o = 0;

    for (size_t i = 0; i < t->n; i++)
        total += strlen(names[i] ? names[i] : "");
    t->text = malloc(total);
    t->tok_off = malloc(t->n * sizeof *t->tok_off);
    t->tok_len = malloc(t->n * sizeof *t->tok_len);
    if (!t->text || !t->tok_off || !t->tok_len)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        size_t len = strlen(names[i] ? names[i] : "");
        if (len > UINT32_MAX)
            return -1;
        memcpy(t->text + o, names[i] ? names[i] : "", len);
        t->tok_off[i] = o;
        t->tok_len[i] = (uint32_t)len;
        o += len;
    }
    return 0;
}

int vocab_from_logits(struct vocab *v, const double *logits, size_t n,
                      const char *const *names, struct ls_error *err)
{
    struct vocab t = {0};

    if (n == 0 || !logits)
        return ls_error_set(err, "logits: no tokens");
    if (n > VOCAB_MAX_TOKENS)
        return ls_error_set(err, "logits: %zu tokens, more than the %zu supported", n,
                            VOCAB_MAX_TOKENS);
    t.n = n;
    t.logits = malloc(n * sizeof *t.logits);
    if (!t.logits || (names && vocab_copy_names(&t, names) < 0)) {
        vocab_free(&t);
        return ls_error_set(err, "logits: out of memory for %zu tokens", n);
    }
    memcpy(t.logits, logits, n * sizeof *t.logits);
    return vocab_finish(&t, v, "logits", err);
}
