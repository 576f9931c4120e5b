/* pipeline.c: engine_apply(), the sampling pipeline in rank space. Every filter is a prefix
 * of the rank order: top-k a length, top-p a scan of block sums, min-p a binary search; the
 * one exponent pass covers only the prefix that can still be kept. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "fastexp.h"
#include "logitscope/engine.h"

struct params params_default(void)
{
    return (struct params){.temperature = 1.0, .top_k = 0, .top_p = 1.0, .min_p = 0.0,
                           .order = ORDER_HF};
}

int params_check(const struct params *p, struct ls_error *err)
{
    if (!(isfinite(p->temperature) && p->temperature >= 0))
        return ls_error_set(err, "temperature must be a finite number >= 0, got %g",
                            p->temperature);
    if (!(p->top_p > 0 && p->top_p <= 1))
        return ls_error_set(err, "top-p must be in (0, 1], got %g", p->top_p);
    if (!(p->min_p >= 0 && p->min_p <= 1))
        return ls_error_set(err, "min-p must be in [0, 1], got %g", p->min_p);
    if (p->order != ORDER_HF && p->order != ORDER_LLAMA)
        return ls_error_set(err, "order must be hf or llama");
    return 0;
}

const char *order_name(enum order o)
{
    return o == ORDER_LLAMA ? "llama" : "hf";
}

int order_parse(const char *s, enum order *out)
{
    if (strcmp(s, "hf") == 0)
        *out = ORDER_HF;
    else if (strcmp(s, "llama") == 0)
        *out = ORDER_LLAMA;
    else
        return -1;
    return 0;
}

const char *cut_name(enum cut c)
{
    static const char *const names[] = {"", "top-k", "top-p", "min-p", "T=0", "-inf"};
    return (unsigned)c < sizeof names / sizeof *names ? names[c] : "";
}

int dist_init(struct dist *d, const struct vocab *v)
{
    size_t f = v->n_finite, blocks = (f + ENGINE_BLOCK - 1) / ENGINE_BLOCK;
    size_t alias = f < ENGINE_ALIAS_MAX ? f : ENGINE_ALIAS_MAX;
    memset(d, 0, sizeof *d);
    d->vocab = v;
    d->blocks = blocks;
    d->w = malloc(f * sizeof *d->w);
    d->w1 = malloc(f * sizeof *d->w1);
    d->blk = malloc(blocks * sizeof *d->blk);
    d->blk1 = malloc(blocks * sizeof *d->blk1);
    d->counts = calloc(f, sizeof *d->counts);
    d->alias_prob = malloc(alias * sizeof *d->alias_prob);
    d->alias_idx = malloc(2 * alias * sizeof *d->alias_idx);
    if (!d->w || !d->w1 || !d->blk || !d->blk1 || !d->counts || !d->alias_prob ||
        !d->alias_idx) {
        dist_free(d);
        return -1;
    }
    return 0;
}

void dist_free(struct dist *d)
{
    free(d->w);
    free(d->w1);
    free(d->blk);
    free(d->blk1);
    free(d->counts);
    free(d->alias_prob);
    free(d->alias_idx);
    free(d->draw_u);
    free(d->draw_tmp);
    memset(d, 0, sizeof *d);
}

/* Sum of one block in a fixed order with eight independent chains: fast, and the same bits
 * on every machine. */
static double block_sum(const double *w, size_t n)
{
    double a[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++)
            a[j] += w[i + j];
    for (; i < n; i++)
        a[i & 7] += w[i];
    return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

/* Sum of w * (x - x0) over ranks [0, n) in eight fixed lanes, skipping zero weights (their
 * x - x0 may be -inf): the entropy term, needed only over the kept prefix. */
static double sum_wy(const double *w, const double *x, double x0, size_t n)
{
    double a[8] = {0};
    for (size_t i = 0; i < n; i++)
        a[i & 7] += w[i] > 0 ? w[i] * (x[i] - x0) : 0.0;
    return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

double weights_cum(const struct weights *ws, size_t m)
{
    size_t full = m / ENGINE_BLOCK;
    double base = 0, part = 0;
    for (size_t b = 0; b < full; b++)
        base += ws->blk[b];
    for (size_t r = full * ENGINE_BLOCK; r < m; r++)
        part += ws->w[r];
    return base + part;
}

/* First rank whose y = (x - x0) / t falls below `limit`, searching [lo, n). */
static size_t first_below(const double *x, double x0, double t, double limit, size_t lo,
                          size_t n)
{
    size_t hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((x[mid] - x0) / t < limit)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* w[r] = exp((x[r] - x[0]) / t) for r < len, and the block sums. Whole blocks in the normal
 * range take the fused vector pass; the rest, libm for the few subnormal results and exactly
 * 0 below them. */
static void weights_compute(struct weights *ws, const double *x, double t, size_t len)
{
    double x0 = x[0];
    size_t normal_end = first_below(x, x0, t, FASTEXP_NORMAL_MIN, 0, len);
    size_t nonzero_end = first_below(x, x0, t, FASTEXP_ZERO, normal_end, len);
    size_t fused = normal_end / ENGINE_BLOCK, lo = fused * ENGINE_BLOCK;
    fastexp_blocks(x, x0, t, ws->w, fused, ENGINE_BLOCK, ws->blk);
    fastexp_shifted(x + lo, x0, t, ws->w + lo, normal_end - lo);
    for (size_t r = normal_end; r < nonzero_end; r++)
        ws->w[r] = exp((x[r] - x0) / t);
    if (len > nonzero_end)
        memset(ws->w + nonzero_end, 0, (len - nonzero_end) * sizeof *ws->w);
    ws->len = len;
    for (size_t b = fused; lo < len; lo += ENGINE_BLOCK, b++)
        ws->blk[b] = block_sum(ws->w + lo, len - lo < ENGINE_BLOCK ? len - lo : ENGINE_BLOCK);
}

/* weights_compute() into the distribution's own w/blk, skipped when they already hold this
 * temperature over this prefix (the last block's sum depends on len, so len must match). */
static void weights_final(struct dist *d, struct weights *ws, double t, size_t len)
{
    ws->len = len;
    if (d->cache_valid && d->cache_t == t && d->cache_len == len)
        return;
    weights_compute(ws, d->vocab->sorted, t, len);
    d->cache_valid = true;
    d->cache_t = t;
    d->cache_len = len;
}

void dist_invalidate(struct dist *d)
{
    d->cache_valid = false;
}

/* Smallest m in [1, len] whose cumulative mass over the first `len` ranks reaches top_p
 * (cum / total >= p - slack), with cum as weights_cum() defines it. */
static size_t top_p_end(const struct weights *ws, size_t len, double top_p)
{
    double total = weights_cum(ws, len), target = top_p - ENGINE_TOP_P_SLACK;
    size_t full = len / ENGINE_BLOCK, b = 0;
    double base = 0;
    for (; b < full && (base + ws->blk[b]) / total < target; b++)
        base += ws->blk[b];
    double part = 0;
    for (size_t r = b * ENGINE_BLOCK; r < len; r++) {
        part += ws->w[r];
        bool block_end = r + 1 == (b + 1) * ENGINE_BLOCK;
        double cum = block_end ? base + ws->blk[b] : base + part;
        if (cum / total >= target)
            return r + 1;
        if (block_end)
            return r + 1; /* reached by rounding only: the block sum said the cut is here */
    }
    return len;
}

/* Ranks [0, m) with w >= (min_p - slack) * w[0] (w[0] = 1), m >= 1: weights fall with rank.
 * The slack, like top-p's, keeps a token that sits on the boundary up to rounding. */
static size_t min_p_end(const double *w, size_t len, double min_p)
{
    size_t lo = 1, hi = len;
    min_p -= ENGINE_MIN_P_SLACK;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w[mid] >= min_p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* top-k, top-p and min-p on one weight vector: sets k_end, p_end, minp_end. */
static void apply_filters(struct dist *d, const struct weights *ws, const struct params *p)
{
    size_t f = d->vocab->n_finite;
    d->k_end = p->top_k && p->top_k < f ? p->top_k : f;
    d->p_end = p->top_p < 1 ? top_p_end(ws, d->k_end, p->top_p) : d->k_end;
    d->minp_end = p->min_p > 0 ? min_p_end(ws->w, d->p_end, p->min_p) : d->p_end;
}

static void set_greedy(struct dist *d)
{
    d->cache_valid = false;
    d->w[0] = 1;
    d->blk[0] = 1;
    d->kept = 1;
}

static void apply_hf(struct dist *d, const struct params *p)
{
    size_t f = d->vocab->n_finite;
    struct weights ws = {d->w, d->blk, 0};
    if (p->temperature == 0) {
        d->k_end = p->top_k && p->top_k < f ? p->top_k : f;
        d->p_end = d->minp_end = d->k_end;
        set_greedy(d);
        return;
    }
    size_t len = p->top_k && p->top_k < f ? p->top_k : f;
    weights_final(d, &ws, p->temperature, len);
    apply_filters(d, &ws, p);
    d->kept = d->minp_end;
}

static void apply_llama(struct dist *d, const struct params *p)
{
    const double *x = d->vocab->sorted;
    struct weights ws1 = {d->w1, d->blk1, d->vocab->n_finite};
    if (!d->w1_ready) {
        weights_compute(&ws1, x, 1.0, d->vocab->n_finite);
        d->w1_ready = true;
    }
    apply_filters(d, &ws1, p);
    if (p->temperature == 0) {
        set_greedy(d);
        return;
    }
    struct weights ws = {d->w, d->blk, 0};
    weights_final(d, &ws, p->temperature, d->minp_end);
    d->kept = d->minp_end;
}

void engine_apply(struct dist *d, const struct params *p)
{
    d->params = *p;
    d->samples = 0;
    if (p->order == ORDER_LLAMA)
        apply_llama(d, p);
    else
        apply_hf(d, p);

    struct weights ws = {d->w, d->blk, d->kept};
    const double *x = d->vocab->sorted;
    d->total = weights_cum(&ws, d->kept);
    /* H = ln S - sum(w y) / S with y = (x - x0) / T; both terms are >= 0. */
    double t = p->temperature > 0 ? p->temperature : 1.0;
    double h = log(d->total) - (sum_wy(d->w, x, x[0], d->kept) / t) / d->total;
    d->entropy_bits = h > 0 ? h / log(2.0) : 0.0;
    d->perplexity = exp2(d->entropy_bits);
    d->top_prob = 1.0 / d->total;
}

enum cut dist_cut(const struct dist *d, size_t r)
{
    if (r >= d->vocab->n_finite)
        return CUT_NEG_INF;
    if (r >= d->k_end)
        return CUT_TOP_K;
    if (r >= d->p_end)
        return CUT_TOP_P;
    if (r >= d->minp_end)
        return CUT_MIN_P;
    if (r >= d->kept)
        return CUT_GREEDY;
    return CUT_NONE;
}

double dist_cum(const struct dist *d, size_t r)
{
    struct weights ws = {d->w, d->blk, d->kept};
    size_t m = r + 1 < d->kept ? r + 1 : d->kept;
    return weights_cum(&ws, m) / d->total;
}
