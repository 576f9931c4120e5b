/* stages.c: one kernel per sampler of the table. Each keeps a contiguous range of ranks:
 * most a prefix of the range (a binary search over single weights or the cumulative block
 * sums), typical-p a band around the rank where surprise crosses the entropy, XTC a suffix
 * (the runner forks on it). Probability thresholds are the parameter minus SAMPLER_SLACK. */
#include <math.h>

#include "engine_internal.h"

#define MIROSTAT_V1_M 100 /* tokens mirostat 1 estimates the exponent from (llama.cpp's m) */

static double real_of(const struct chain_run *s, enum param_id id)
{
    return params_real(s->p, id);
}

/* The probability filters keep at least this many: min_keep, where 0 means 1. */
static size_t run_min_keep(const struct chain_run *s)
{
    size_t mk = params_whole(s->p, PARAM_MIN_KEEP), n = s->hi - s->lo;
    mk = mk ? mk : 1;
    return mk < n ? mk : n;
}

/* Keeps [lo, m), but at least min_keep ranks. */
static void keep_prefix(struct chain_run *s, size_t m)
{
    size_t least = s->lo + run_min_keep(s);
    m = m > least ? m : least;
    s->hi = m < s->hi ? m : s->hi;
}

/* The first rank in [from, hi) whose weight is below c; weights fall with rank. */
static size_t first_weight_below(const struct weights *ws, size_t from, size_t hi, double c)
{
    while (from < hi) {
        size_t mid = from + (hi - from) / 2;
        if (weights_at(ws, mid) >= c)
            from = mid + 1;
        else
            hi = mid;
    }
    return from;
}

/* Keeps the prefix of ranks whose probability w / S is at least `bar` (minus the slack). */
static void keep_probability_at_least(struct chain_run *s, double bar)
{
    const struct weights *ws = run_blocks(s);
    double c = (bar - SAMPLER_SLACK) * run_total(s);
    keep_prefix(s, first_weight_below(ws, s->lo, s->hi, c));
}

/* T, or with a dynatemp range d > 0 (llama.cpp's dynamic temperature): t = tmin + (tmax -
 * tmin) (H / ln n)^exp, tmin = max(0, T - d), tmax = T + d. T = 0 is greedy: the range keeps
 * its first rank when the chain ends, and the samplers between that read probabilities have
 * nothing to cut (their limit as t -> 0 keeps that rank), while top-k and top-n-sigma, which
 * do not depend on t, still cut. */
static void stage_temperature(struct chain_run *s)
{
    double t = real_of(s, PARAM_TEMPERATURE), range = real_of(s, PARAM_DYNATEMP_RANGE);
    size_t n = s->hi - s->lo;
    if (range > 0) {
        if (n <= 1)
            return;
        double h = run_entropy(s), tmin = t - range > 0 ? t - range : 0, tmax = t + range;
        double norm = h / log((double)n);
        norm = norm < 0 ? 0 : norm > 1 ? 1 : norm; /* rounding can pass either end */
        t = tmin + (tmax - tmin) * pow(norm, real_of(s, PARAM_DYNATEMP_EXP));
        s->br->entropy_in = h;
    }
    s->t = t;
    s->ws = NULL;
    if (t == 0)
        s->greedy = true;
}

static void stage_top_k(struct chain_run *s)
{
    size_t k = params_whole(s->p, PARAM_TOP_K), n = s->hi - s->lo;
    if (k > 0 && k < n)
        s->hi = s->lo + k;
}

/* Smallest m in (lo, hi] whose cumulative mass reaches top_p (cum / total >= p - slack),
 * with cum as weights_cum() defines it: the head rank by rank, then a binary search of the
 * block sums and one block. */
static size_t top_p_end(const struct weights *ws, size_t lo, size_t hi, double total,
                        double top_p)
{
    double target = top_p - SAMPLER_SLACK, w[ENGINE_BLOCK];
    size_t head = ws->head_end < hi ? ws->head_end : hi;
    if (lo < head) {
        double part = 0;
        weights_range(ws, lo, head, w);
        for (size_t r = lo; r < head; r++) {
            part += w[r - lo];
            if (part / total >= target)
                return r + 1;
        }
        if (head == hi)
            return hi;
    }
    size_t full = hi / ENGINE_BLOCK;
    size_t b = weights_block_reaching(ws, weights_first_block(ws), full, total, target);
    size_t blo = b * ENGINE_BLOCK, bhi = b < full ? blo + ENGINE_BLOCK : hi;
    double base = ws->pre[b], part = 0;
    weights_range(ws, blo, bhi, w);
    for (size_t r = blo; r < bhi; r++) {
        part += w[r - blo];
        bool block_end = b < full && r + 1 == bhi;
        double cum = block_end ? ws->pre[b + 1] : base + part;
        if (cum / total >= target)
            return r + 1;
        if (block_end)
            return r + 1; /* reached by rounding only: the block sum said the cut is here */
    }
    return hi;
}

static void stage_top_p(struct chain_run *s)
{
    double p = real_of(s, PARAM_TOP_P);
    if (!(p < 1) || s->greedy)
        return;
    const struct weights *ws = run_blocks(s);
    keep_prefix(s, top_p_end(ws, s->lo, s->hi, run_total(s), p));
}

/* p_i >= min_p p_max: with w_lo = 1, weights >= min_p - slack. */
static void stage_min_p(struct chain_run *s)
{
    double mp = real_of(s, PARAM_MIN_P);
    if (!(mp > 0) || s->greedy)
        return;
    const struct weights *ws = run_weights(s);
    keep_prefix(s, first_weight_below(ws, s->lo + 1, s->hi, mp - SAMPLER_SLACK));
}

/* Typical-p over [lo, hi): a token's distance is |-ln p_i - H| = |y_i - ybar|, ybar the mean
 * of y under p. Ranks above the crossing c (y > ybar) and from it on (y <= ybar) each have
 * distances that grow away from c, so the tokens in order of distance are a merge of the two
 * runs, and the first k of them are a band [c - i, c - i + k). Ties go to the left run (the
 * more probable token). */
struct typical {
    const struct weights *ws;
    size_t lo, hi, c;
    double ybar, total;
};

static double typical_y(const struct typical *ty, size_t r)
{
    return (ty->ws->x[r] - ty->ws->x0) / ty->ws->t;
}

/* How many of the first k tokens come from the left run. */
static size_t typical_left(const struct typical *ty, size_t k)
{
    size_t n_left = ty->c - ty->lo, n_right = ty->hi - ty->c;
    size_t lo = k > n_right ? k - n_right : 0, hi = k < n_left ? k : n_left;
    /* the largest i in [lo, hi] such that left token i - 1 comes before right token k - i */
    while (lo < hi) {
        size_t i = lo + (hi - lo + 1) / 2;
        double dl = typical_y(ty, ty->c - i) - ty->ybar;
        bool before = k - i >= n_right || dl <= ty->ybar - typical_y(ty, ty->c + (k - i));
        if (before)
            lo = i;
        else
            hi = i - 1;
    }
    return lo;
}

static double typical_mass(const struct typical *ty, size_t k, size_t *a)
{
    *a = ty->c - typical_left(ty, k);
    return (weights_cum(ty->ws, *a + k) - weights_cum(ty->ws, *a)) / ty->total;
}

static void stage_typical(struct chain_run *s)
{
    double p = real_of(s, PARAM_TYPICAL_P);
    size_t n = s->hi - s->lo;
    if (!(p < 1) || n <= 1 || s->greedy)
        return;
    struct typical ty = {.ws = run_blocks(s), .lo = s->lo, .hi = s->hi};
    ty.total = run_total(s);
    ty.ybar = weights_wy(ty.ws, s->hi) / ty.total;
    size_t c = s->lo, hi = s->hi; /* c: the first rank with y <= ybar */
    while (c < hi) {
        size_t mid = c + (hi - c) / 2;
        if (typical_y(&ty, mid) <= ty.ybar)
            hi = mid;
        else
            c = mid + 1;
    }
    ty.c = c;
    /* the smallest band that reaches the mass, with at least min_keep tokens */
    size_t klo = run_min_keep(s), khi = n, a;
    while (klo < khi) {
        size_t k = klo + (khi - klo) / 2;
        if (typical_mass(&ty, k, &a) >= p - SAMPLER_SLACK)
            khi = k;
        else
            klo = k + 1;
    }
    typical_mass(&ty, klo, &a);
    s->lo = a;
    s->hi = a + klo;
    s->ws = NULL;
}

/* Logits at most n standard deviations below the top one (on logits: the temperature
 * scales both sides alike). It cuts whatever the temperature, so it also cuts when greedy. */
static void stage_top_n_sigma(struct chain_run *s)
{
    double ns = real_of(s, PARAM_TOP_N_SIGMA);
    if (!(ns > 0) || s->hi - s->lo <= 1)
        return;
    const double *x = s->d->vocab->sorted;
    double bar = -ns * run_sd(s) * (1 + SAMPLER_SLACK), top = x[s->lo];
    size_t lo = s->lo + 1, hi = s->hi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] - top >= bar)
            lo = mid + 1;
        else
            hi = mid;
    }
    s->hi = lo;
}

/* XTC's answer when it fires: m leading tokens with p >= threshold; if m >= 2 and n - (m -
 * 1) >= min_keep, the first m - 1 go. The runner decides whether it fires. */
static void stage_xtc(struct chain_run *s)
{
    double q = real_of(s, PARAM_XTC_PROBABILITY), thr = real_of(s, PARAM_XTC_THRESHOLD);
    size_t n = s->hi - s->lo;
    s->xtc_lo = 0;
    if (!(q > 0) || thr > 0.5 || n < 2 || s->greedy)
        return;
    const struct weights *ws = run_blocks(s);
    double c = (thr - SAMPLER_SLACK) * run_total(s);
    size_t m = first_weight_below(ws, s->lo, s->hi, c) - s->lo;
    if (m >= 2 && n - (m - 1) >= params_whole(s->p, PARAM_MIN_KEEP))
        s->xtc_lo = s->lo + m - 1;
}

static void stage_epsilon(struct chain_run *s)
{
    double e = real_of(s, PARAM_EPSILON);
    if (e > 0 && !s->greedy)
        keep_probability_at_least(s, e);
}

/* eta' = min(eta, sqrt(eta) e^-H), H in nats (Hugging Face's EtaLogitsWarper). */
double stage_eta_bar(double eta, double h)
{
    double bar = sqrt(eta) * exp(-h);
    return bar < eta ? bar : eta;
}

static void stage_eta(struct chain_run *s)
{
    double eta = real_of(s, PARAM_ETA);
    if (!(eta > 0) || s->greedy)
        return;
    keep_probability_at_least(s, stage_eta_bar(eta, run_entropy(s)));
}

/* p_i >= a p_max^2 with p_max = 1 / S: weights >= (a - slack) / S. */
static void stage_top_a(struct chain_run *s)
{
    double a = real_of(s, PARAM_TOP_A);
    if (!(a > 0) || s->greedy)
        return;
    const struct weights *ws = run_blocks(s);
    keep_prefix(s, first_weight_below(ws, s->lo, s->hi, (a - SAMPLER_SLACK) / run_total(s)));
}

/* Mirostat (Basu et al.; llama.cpp's rules) with the mu it was given: version 2 keeps the
 * tokens whose surprise -log2 p is at most mu, version 1 the top k for k estimated from mu
 * and the Zipf exponent of the first 100 tokens; each keeps at least one, min_keep aside (as
 * in llama.cpp). mu moves between positions: mirostat_update(). */
static void stage_mirostat(struct chain_run *s)
{
    double version = real_of(s, PARAM_MIROSTAT), mu = s->d->mirostat_mu;
    size_t n = s->hi - s->lo;
    if (!(version > 0) || n <= 1 || s->greedy)
        return;
    if (version == 2) {
        const struct weights *ws = run_blocks(s);
        double c = (exp2(-mu) - SAMPLER_SLACK) * run_total(s);
        size_t m = first_weight_below(ws, s->lo, s->hi, c);
        s->hi = m > s->lo ? m : s->lo + 1;
        return;
    }
    /* s_hat: the least-squares Zipf exponent of p_i / p_(i+1) against (i + 2) / (i + 1) */
    const double *x = s->d->vocab->sorted;
    double sum_tb = 0, sum_tt = 0;
    for (size_t i = 0; i + 1 < MIROSTAT_V1_M && i + 1 < n; i++) {
        double ti = log((double)(i + 2) / (double)(i + 1));
        double bi = (x[s->lo + i] - x[s->lo + i + 1]) / s->t;
        sum_tb += ti * bi;
        sum_tt += ti * ti;
    }
    double s_hat = sum_tb / sum_tt, eps = s_hat - 1;
    double k = pow(eps * exp2(mu) / (1 - pow((double)s->d->vocab->n, -eps)), 1 / s_hat);
    if (isnan(k))
        return; /* s_hat exactly 1: the estimate says nothing */
    size_t keep = !(k >= 1) ? 1 : k >= (double)n ? n : (size_t)k;
    s->hi = s->lo + keep;
}

static const stage_fn stage_kernels[SAMPLER_COUNT] = {
    [SAMPLER_TEMPERATURE] = stage_temperature,
    [SAMPLER_TOP_K] = stage_top_k,
    [SAMPLER_TOP_P] = stage_top_p,
    [SAMPLER_MIN_P] = stage_min_p,
    [SAMPLER_TYP_P] = stage_typical,
    [SAMPLER_TOP_N_SIGMA] = stage_top_n_sigma,
    [SAMPLER_XTC] = stage_xtc,
    [SAMPLER_EPSILON] = stage_epsilon,
    [SAMPLER_ETA] = stage_eta,
    [SAMPLER_TOP_A] = stage_top_a,
    [SAMPLER_PENALTIES] = history_penalties,
    [SAMPLER_DRY] = history_dry,
    [SAMPLER_MIROSTAT] = stage_mirostat,
};

stage_fn stage_kernel(enum sampler_id id)
{
    return stage_kernels[id];
}
