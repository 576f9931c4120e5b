/* pipeline.c: engine_apply(), the sampling pipeline in rank space. Every filter is a prefix
 * of the rank order: top-k a length, top-p a binary search of the cumulative block sums,
 * min-p a binary search of the weights; the block sums (weights.c) cover only the prefix
 * that can still be kept. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
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

/* A weights view over the vocabulary with its own block buffers. */
static int weights_init(struct weights *ws, const struct vocab *v, size_t blocks)
{
    *ws = (struct weights){.x = v->sorted, .moments = v->moments};
    ws->blk = malloc((blocks ? blocks : 1) * sizeof *ws->blk);
    ws->blk_wy = malloc((blocks ? blocks : 1) * sizeof *ws->blk_wy);
    ws->pre = malloc((blocks + 1) * sizeof *ws->pre);
    return ws->blk && ws->blk_wy && ws->pre ? 0 : -1;
}

static void weights_free(struct weights *ws)
{
    free(ws->blk);
    free(ws->blk_wy);
    free(ws->pre);
}

int dist_init(struct dist *d, const struct vocab *v)
{
    size_t f = v->n_finite, blocks = f / ENGINE_BLOCK;
    size_t alias = f < ENGINE_ALIAS_MAX ? f : ENGINE_ALIAS_MAX;
    memset(d, 0, sizeof *d);
    d->vocab = v;
    int fin = weights_init(&d->fin, v, blocks), one = weights_init(&d->one, v, blocks);
    d->counts = calloc(f, sizeof *d->counts);
    d->alias_prob = malloc(alias * sizeof *d->alias_prob);
    d->alias_idx = malloc(2 * alias * sizeof *d->alias_idx);
    if (fin < 0 || one < 0 || !d->counts || !d->alias_prob || !d->alias_idx) {
        dist_free(d);
        return -1;
    }
    return 0;
}

void dist_free(struct dist *d)
{
    weights_free(&d->fin);
    weights_free(&d->one);
    free(d->counts);
    free(d->alias_prob);
    free(d->alias_idx);
    free(d->draw_u);
    free(d->draw_tmp);
    memset(d, 0, sizeof *d);
}

/* The final weights at temperature t over the first len ranks, skipped when fin already
 * holds them (the last partial block is not summed, but len fixes the whole blocks). */
static void weights_final(struct dist *d, double t, size_t len)
{
    if (d->cache_valid && d->fin.t == t && d->fin.len == len)
        return;
    weights_compute(&d->fin, t, len);
    d->cache_valid = true;
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
    size_t full = len / ENGINE_BLOCK;
    size_t b = weights_block_reaching(ws, full, total, target);
    size_t lo = b * ENGINE_BLOCK, hi = b < full ? lo + ENGINE_BLOCK : len;
    double w[ENGINE_BLOCK], base = ws->pre[b], part = 0;
    weights_range(ws, lo, hi, w);
    for (size_t r = lo; r < hi; r++) {
        part += w[r - lo];
        bool block_end = b < full && r + 1 == hi;
        double cum = block_end ? ws->pre[b + 1] : base + part;
        if (cum / total >= target)
            return r + 1;
        if (block_end)
            return r + 1; /* reached by rounding only: the block sum said the cut is here */
    }
    return len;
}

/* Ranks [0, m) with w >= (min_p - slack) * w[0] (w[0] = 1), m >= 1: weights fall with rank.
 * The slack, like top-p's, keeps a token that sits on the boundary up to rounding. */
static size_t min_p_end(const struct weights *ws, size_t len, double min_p)
{
    size_t lo = 1, hi = len;
    min_p -= ENGINE_MIN_P_SLACK;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (weights_at(ws, mid) >= min_p)
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
    d->minp_end = p->min_p > 0 ? min_p_end(ws, d->p_end, p->min_p) : d->p_end;
}

/* T = 0: rank 0 alone, with weight exp(0) = 1. The block sums are not touched, but the
 * cache no longer describes fin. */
static void set_greedy(struct dist *d)
{
    d->cache_valid = false;
    d->fin.x0 = d->fin.x[0];
    d->fin.t = 1.0;
    d->fin.len = d->fin.normal_end = d->fin.nonzero_end = 1;
    d->fin.pre[0] = 0.0;
    d->kept = 1;
}

static void apply_hf(struct dist *d, const struct params *p)
{
    size_t f = d->vocab->n_finite;
    if (p->temperature == 0) {
        d->k_end = p->top_k && p->top_k < f ? p->top_k : f;
        d->p_end = d->minp_end = d->k_end;
        set_greedy(d);
        return;
    }
    weights_final(d, p->temperature, p->top_k && p->top_k < f ? p->top_k : f);
    apply_filters(d, &d->fin, p);
    d->kept = d->minp_end;
}

static void apply_llama(struct dist *d, const struct params *p)
{
    if (!d->one_ready) {
        weights_compute(&d->one, 1.0, d->vocab->n_finite);
        d->one_ready = true;
    }
    apply_filters(d, &d->one, p);
    if (p->temperature == 0) {
        set_greedy(d);
        return;
    }
    weights_final(d, p->temperature, d->minp_end);
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

    d->total = weights_cum(&d->fin, d->kept);
    /* H = ln S - sum(w y) / S with y = (x - x0) / T; both terms are >= 0. y, not x - x0:
     * with logits near 1e307, w (x - x0) overflows where w y does not. */
    double h = log(d->total) - weights_wy(&d->fin, d->kept) / d->total;
    d->entropy_bits = h > 0 ? h / log(2.0) : 0.0;
    d->perplexity = exp2(d->entropy_bits);
    d->top_prob = 1.0 / d->total;
}

double dist_prob_rank(const struct dist *d, size_t r)
{
    return r < d->kept ? weights_at(&d->fin, r) / d->total : 0.0;
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
    size_t m = r + 1 < d->kept ? r + 1 : d->kept;
    return weights_cum(&d->fin, m) / d->total;
}
