/* weights.c: the weights exp((x - x0) / T) of one temperature over a rank prefix, kept as
 * block sums. A block whose 64 logits lie close together gets its sums from its power sums
 * (a Taylor series in h / T, a dozen terms instead of 64 exponents); a wide one runs the vector
 * exponent over its ranks. Either way the sum is correct to a few ulp, and single weights
 * are recomputed on demand, so a temperature step costs O(V/64) and writes no O(V) array. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "fastexp.h"

/* moment_rho[K]: the largest rho = h / T (h the block's half-width) for which the series cut
 * after K terms is within 2^-54 of the block's mass, for both sums below: the remainder is
 * at most 3 rho^(K+1) / K! relative (e^(2 rho) <= 3 for rho <= 0.54). Values are
 * (2^-54 K! / 3)^(1 / (K + 1)); test_weights.c recomputes them. */
static const double moment_rho[ENGINE_MOMENTS + 1] = {
    1.850371707708594e-17, 4.301594713252974e-09, 3.332445010132978e-06,
    1.026484881901507e-04, 8.501470344688709e-04, 3.611935926361961e-03,
    1.041834613742858e-02, 2.350775682279327e-02, 4.492944520249715e-02,
    7.633121955624166e-02, 1.189005378865468e-01, 1.733941967256406e-01,
};

static const double factorial[ENGINE_MOMENTS + 1] = {
    1.0, 1.0, 2.0, 6.0, 24.0, 120.0, 720.0, 5040.0, 40320.0, 362880.0, 3628800.0, 39916800.0,
};

double weights_moment_rho(int k)
{
    return moment_rho[k];
}

/* Eight doubles as one value (GCC and clang vector extensions): the moment loop then keeps a
 * whole block in registers on AVX-512 instead of going through memory. */
typedef double weights_v8d __attribute__((vector_size(64)));

/* Each block: centre c = (first + last) / 2, half-width h, and Q_k = sum z^k / k! with
 * z = (x - c) / h in [-1, 1], rank i's power added into lane i & 7 in rank order. Scaled by
 * h, the sums neither overflow nor underflow whatever the logits' size (|Q_k| <= 64 / k!).
 * A block whose width overflows, or is subnormal, gets h = inf: it always takes the exact
 * path. */
ENGINE_CLONES
void weights_moments(const double *x, size_t blocks, double *moments)
{
    for (size_t b = 0; b < blocks; b++) {
        const double *xb = x + b * ENGINE_BLOCK;
        double *m = moments + b * ENGINE_MOMENT_STRIDE;
        double c = 0.5 * xb[0] + 0.5 * xb[ENGINE_BLOCK - 1];
        double h = fmax(xb[0] - c, c - xb[ENGINE_BLOCK - 1]);
        bool exact = isinf(h) || (h > 0 && h < DBL_MIN); /* 1 / h would overflow */
        double scale = h > 0 && !exact ? 1.0 / h : 0.0;
        weights_v8d z[ENGINE_BLOCK / 8], p[ENGINE_BLOCK / 8];
        for (int g = 0; g < ENGINE_BLOCK / 8; g++) {
            memcpy(&z[g], xb + 8 * g, sizeof z[g]);
            p[g] = z[g] = (z[g] - c) * scale;
        }
        for (int k = 1; k <= ENGINE_MOMENTS; k++) {
            weights_v8d a = p[0];
            for (int g = 1; g < ENGINE_BLOCK / 8; g++)
                a += p[g];
            for (int g = 0; g < ENGINE_BLOCK / 8; g++)
                p[g] *= z[g];
            m[1 + k] = (((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))) /
                       factorial[k];
        }
        m[0] = c;
        m[1] = exact ? INFINITY : h;
    }
}

/* The number of series terms block m needs at 1/T = u, or -1 when it is too wide. */
static int moment_terms(const double *m, double u)
{
    double rho = m[1] * u; /* NaN (0 * inf) and inf fail every test */
    for (int k = 0; k <= ENGINE_MOMENTS; k++)
        if (rho <= moment_rho[k])
            return k;
    return -1;
}

/* With y = (x - x0) / T = yc + rho z (yc = (c - x0) / T, rho = h / T):
 *   sum e^y      = e^yc * sum_k Q_k rho^k               (Q_0 = 64)
 *   sum e^y y    = e^yc * (yc * that + sum_k k Q_k rho^k). */
static void moment_sums(const double *m, int terms, double u, double x0, double t,
                        double *blk, double *blk_wy)
{
    const double *q = m + 2; /* q[k - 1] = Q_k */
    double rho = m[1] * u, s = 0, g = 0;
    for (int k = terms; k >= 1; k--) {
        s = s * rho + q[k - 1];
        g = g * rho + (double)k * q[k - 1];
    }
    double mass = (double)ENGINE_BLOCK + s * rho, yc = (m[0] - x0) / t;
    double e = fastexp_kernel(yc);
    *blk = e * mass;
    *blk_wy = e * (yc * mass + g * rho);
}

/* First rank in [lo, n) whose y = (x - x0) / t falls below `limit`. */
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

double weights_at(const struct weights *ws, size_t r)
{
    if (r >= ws->nonzero_end)
        return 0.0;
    double y = (ws->x[r] - ws->x0) / ws->t;
    return r < ws->normal_end ? fastexp_kernel(y) : exp(y);
}

void weights_range(const struct weights *ws, size_t lo, size_t hi, double *out)
{
    size_t normal = ws->normal_end < hi ? ws->normal_end : hi;
    if (lo < normal) {
        fastexp_shifted(ws->x + lo, ws->x0, ws->t, out, normal - lo);
        out += normal - lo;
        lo = normal;
    }
    for (; lo < hi; lo++)
        *out++ = weights_at(ws, lo);
}

/* w y of the weights w[0..n) of ranks lo.., zero where w is (y may be -inf there). */
static void weights_times_y(const struct weights *ws, size_t lo, const double *w, size_t n,
                            double *wy)
{
    for (size_t i = 0; i < n; i++)
        wy[i] = w[i] > 0 ? w[i] * ((ws->x[lo + i] - ws->x0) / ws->t) : 0.0;
}

/* Sums of a block that reaches into the subnormal or zero range, weight by weight. */
static void exact_block(const struct weights *ws, size_t b, double *blk, double *blk_wy)
{
    size_t lo = b * ENGINE_BLOCK;
    double w[ENGINE_BLOCK], wy[ENGINE_BLOCK];
    weights_range(ws, lo, lo + ENGINE_BLOCK, w);
    weights_times_y(ws, lo, w, ENGINE_BLOCK, wy);
    *blk = fastexp_lane_sum(w, ENGINE_BLOCK);
    *blk_wy = fastexp_lane_sum(wy, ENGINE_BLOCK);
}

/* The first block at or after lo: the ranks of lo's own block before it are not in range. */
static size_t head_block(const struct weights *ws)
{
    return (ws->lo + ENGINE_BLOCK - 1) / ENGINE_BLOCK;
}

void weights_begin(struct weights *ws, double t, size_t lo)
{
    const double *x = ws->x;
    double x0 = x[lo];
    ws->x0 = x0;
    ws->t = t;
    ws->lo = lo;
    ws->normal_end = first_below(x, x0, t, FASTEXP_NORMAL_MIN, lo, ws->n);
    ws->nonzero_end = first_below(x, x0, t, FASTEXP_ZERO, ws->normal_end, ws->n);
    size_t bh = head_block(ws);
    ws->head_end = bh * ENGINE_BLOCK < ws->n ? bh * ENGINE_BLOCK : ws->n;
    /* the head is summed one by one, in order, so that weights_cum() gives the same bits
     * for any prefix of it and pre[bh] is the last of them */
    double w[ENGINE_BLOCK], wy[ENGINE_BLOCK], part = 0;
    size_t nh = ws->head_end - lo;
    weights_range(ws, lo, ws->head_end, w);
    for (size_t i = 0; i < nh; i++)
        part += w[i];
    weights_times_y(ws, lo, w, nh, wy);
    ws->pre[bh] = part;
    ws->pre_wy[bh] = fastexp_lane_sum(wy, nh);
    ws->len = ws->head_end;
    ws->valid = true;
}

void weights_extend(struct weights *ws, size_t len)
{
    len = len < ws->n ? len : ws->n;
    if (len <= ws->len)
        return;
    const double *x = ws->x;
    double x0 = ws->x0, t = ws->t, u = 1.0 / t;
    size_t from = ws->len / ENGINE_BLOCK, full = len / ENGINE_BLOCK;
    size_t bh = head_block(ws);
    from = from > bh ? from : bh;
    size_t normal = ws->normal_end / ENGINE_BLOCK;
    size_t nonzero = (ws->nonzero_end + ENGINE_BLOCK - 1) / ENGINE_BLOCK;
    normal = normal < full ? normal : full;
    nonzero = nonzero < full ? nonzero : full;
    /* normal blocks: the series where it converges, runs of wide blocks in one vector call */
    for (size_t b = from; b < normal;) {
        const double *m = ws->moments + b * ENGINE_MOMENT_STRIDE;
        int terms = moment_terms(m, u);
        if (terms >= 0) {
            moment_sums(m, terms, u, x0, t, &ws->blk[b], &ws->blk_wy[b]);
            b++;
            continue;
        }
        size_t e = b + 1;
        while (e < normal && moment_terms(ws->moments + e * ENGINE_MOMENT_STRIDE, u) < 0)
            e++;
        fastexp_block_sums(x + b * ENGINE_BLOCK, x0, t, e - b, ENGINE_BLOCK, ws->blk + b,
                           ws->blk_wy + b);
        b = e;
    }
    for (size_t b = normal > from ? normal : from; b < nonzero; b++)
        exact_block(ws, b, &ws->blk[b], &ws->blk_wy[b]);
    size_t zero_from = nonzero > normal ? nonzero : normal;
    for (size_t b = zero_from > from ? zero_from : from; b < full; b++)
        ws->blk[b] = ws->blk_wy[b] = 0.0;
    for (size_t b = from; b < full; b++) {
        ws->pre[b + 1] = ws->pre[b] + ws->blk[b];
        ws->pre_wy[b + 1] = ws->pre_wy[b] + ws->blk_wy[b];
    }
    ws->len = len;
}

void weights_compute(struct weights *ws, double t, size_t len)
{
    weights_begin(ws, t, 0);
    weights_extend(ws, len);
}

double weights_cum(const struct weights *ws, size_t m)
{
    size_t from = m <= ws->head_end ? ws->lo : m / ENGINE_BLOCK * ENGINE_BLOCK;
    double w[ENGINE_BLOCK], part = 0, base = from == ws->lo ? 0 : ws->pre[m / ENGINE_BLOCK];
    weights_range(ws, from, m, w);
    for (size_t i = 0; i < m - from; i++)
        part += w[i];
    return base + part;
}

double weights_wy(const struct weights *ws, size_t m)
{
    size_t from = m <= ws->head_end ? ws->lo : m / ENGINE_BLOCK * ENGINE_BLOCK;
    double whole = from == ws->lo ? 0 : ws->pre_wy[m / ENGINE_BLOCK], w[ENGINE_BLOCK];
    weights_range(ws, from, m, w);
    weights_times_y(ws, from, w, m - from, w);
    return whole + fastexp_lane_sum(w, m - from);
}

double weights_entropy(const struct weights *ws, size_t m)
{
    double total = weights_cum(ws, m), h = log(total) - weights_wy(ws, m) / total;
    return h > 0 ? h : 0.0;
}

size_t weights_block_reaching(const struct weights *ws, size_t first, size_t blocks,
                              double div, double target)
{
    size_t lo = first, hi = blocks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ws->pre[mid + 1] / div >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

size_t weights_first_block(const struct weights *ws)
{
    return head_block(ws);
}

int weights_alloc(struct weights *ws, size_t cap)
{
    size_t blocks = cap / ENGINE_BLOCK + 2; /* the head's block may be one past the last */
    memset(ws, 0, sizeof *ws);
    ws->blk = malloc(blocks * sizeof *ws->blk);
    ws->blk_wy = malloc(blocks * sizeof *ws->blk_wy);
    ws->pre = malloc(blocks * sizeof *ws->pre);
    ws->pre_wy = malloc(blocks * sizeof *ws->pre_wy);
    return ws->blk && ws->blk_wy && ws->pre && ws->pre_wy ? 0 : -1;
}

void weights_release(struct weights *ws)
{
    free(ws->blk);
    free(ws->blk_wy);
    free(ws->pre);
    free(ws->pre_wy);
    memset(ws, 0, sizeof *ws);
}

void weights_bind(struct weights *ws, const struct vocab *v)
{
    ws->x = v->sorted;
    ws->moments = v->moments;
    ws->n = v->n_finite;
    ws->valid = false;
}
