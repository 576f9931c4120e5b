/* draw.c: N seeded draws from a distribution. Few kept tokens: Vose's alias table, O(1) a
 * draw. Many: the uniforms are sorted (bucket sort, O(N)) and walked once along the block
 * sums, so blocks without a draw are skipped; inside a block, a few draws are placed by
 * rejection, many by the block's CDF. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "logitscope/engine.h"

static void alias_build(struct dist *d)
{
    size_t k = d->kept, ns = 0, nl = 0;
    double *prob = d->alias_prob;
    uint32_t *alias = d->alias_idx, *stack = d->alias_idx + k;
    /* small indices grow from the bottom of the stack, large ones from the top */
    weights_range(&d->fin, 0, k, prob);
    for (size_t i = 0; i < k; i++) {
        prob[i] = prob[i] * (double)k / d->total;
        if (prob[i] < 1)
            stack[ns++] = (uint32_t)i;
        else
            stack[k - 1 - nl++] = (uint32_t)i;
    }
    while (ns && nl) {
        uint32_t s = stack[--ns], l = stack[k - nl];
        alias[s] = l;
        prob[l] -= 1 - prob[s];
        if (prob[l] < 1) {
            nl--;
            stack[ns++] = l;
        }
    }
    /* leftovers are 1 up to rounding */
    while (nl)
        prob[stack[k - nl--]] = 1;
    while (ns)
        prob[stack[--ns]] = 1;
}

/* Branch-free: whether the alias is taken is a coin flip the predictor cannot learn. The
 * column fits an int (kept <= ENGINE_ALIAS_MAX), which converts without a range check. */
static size_t alias_draw(const struct dist *d, struct rng *g)
{
    double x = rng_uniform(g) * (double)d->kept;
    uint32_t i = (uint32_t)(int32_t)x, other = d->alias_idx[i];
    return x - (double)i < d->alias_prob[i] ? i : other;
}

static int draw_reserve(struct dist *d, size_t n)
{
    if (n <= d->draw_cap)
        return 0;
    double *u = realloc(d->draw_u, 2 * n * sizeof *u);
    if (!u)
        return -1;
    d->draw_u = u;
    uint32_t *tmp = realloc(d->draw_tmp, (n + 1) * sizeof *tmp);
    if (!tmp)
        return -1;
    d->draw_tmp = tmp;
    d->draw_cap = n;
    return 0;
}

/* n uniforms in [0, 1), sorted: counting sort into n buckets, then insertion sort, which
 * sees about one element a bucket. */
static const double *sorted_uniforms(struct dist *d, size_t n, struct rng *g)
{
    double *raw = d->draw_u, *out = d->draw_u + n;
    uint32_t *start = d->draw_tmp;
    memset(start, 0, (n + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++) {
        raw[i] = rng_uniform(g);
        start[(size_t)(raw[i] * (double)n) + 1]++;
    }
    for (size_t b = 0; b < n; b++)
        start[b + 1] += start[b];
    for (size_t i = 0; i < n; i++)
        out[start[(size_t)(raw[i] * (double)n)]++] = raw[i];
    for (size_t i = 1; i < n; i++) {
        double v = out[i];
        size_t j = i;
        for (; j > 0 && out[j - 1] > v; j--)
            out[j] = out[j - 1];
        out[j] = v;
    }
    return out;
}

/* A whole block that holds only a few draws, and whose weights vary by less than a factor
 * of two on average, places them by rejection: a rank taken uniformly from the block is kept
 * with probability w / w_max (w_max = the block's first, its largest), one exponent a try
 * instead of the block's 64 and a walk through them. Exact: a kept rank is r with
 * probability proportional to w_r. The tries come from their own generator, g. */
static bool place_by_rejection(struct dist *d, size_t b, size_t draws, struct rng *g)
{
    const struct weights *ws = &d->fin;
    size_t lo = b * ENGINE_BLOCK;
    double top = weights_at(ws, lo);
    if (draws > ENGINE_REJECT_MAX || !(2 * ws->blk[b] >= ENGINE_BLOCK * top))
        return false;
    for (size_t i = 0; i < draws; i++) {
        size_t r;
        double v;
        do { /* the top 6 bits pick the rank, the low 53 the test */
            uint64_t x = rng_next(g);
            r = lo + (size_t)(x >> 58);
            v = (double)(x & ((UINT64_C(1) << 53) - 1)) * 0x1p-53;
        } while (!(v * top < weights_at(ws, r)));
        d->counts[r]++;
    }
    return true;
}

/* Walks ranks [0, kept) with the cumulative mass of weights_cum() and counts the sorted
 * uniforms u[0..n) (scaled by the total) that fall under each rank's step. The uniforms pick
 * the block; inside one, the draws are placed by rejection when that is cheaper, else by the
 * block's weights, computed only when a draw lands in it. */
static void cdf_walk(struct dist *d, const double *u, size_t n, struct rng *g)
{
    const struct weights *ws = &d->fin;
    size_t kept = d->kept, j = 0, full = kept / ENGINE_BLOCK;
    double w[ENGINE_BLOCK];
    for (size_t b = 0; j < n && b * ENGINE_BLOCK < kept; b++) {
        bool whole = b < full;
        size_t lo = b * ENGINE_BLOCK, hi = whole ? lo + ENGINE_BLOCK : kept, last = j;
        while (whole && last < n && u[last] * d->total < ws->pre[b + 1])
            last++;
        if (whole && (last == j || place_by_rejection(d, b, last - j, g))) {
            j = last;
            continue;
        }
        double base = ws->pre[b], part = 0;
        weights_range(ws, lo, hi, w);
        for (size_t r = lo; r < hi && j < n; r++) {
            part += w[r - lo];
            double cum = whole && r + 1 == hi ? ws->pre[b + 1] : base + part;
            for (; j < n && u[j] * d->total < cum; j++)
                d->counts[r]++;
        }
    }
    /* u * total can round up to the total itself: such a draw goes to the last kept rank */
    d->counts[kept - 1] += (uint32_t)(n - j);
}

int engine_draw(struct dist *d, size_t n, uint64_t seed)
{
    struct rng g;
    rng_seed(&g, seed);
    memset(d->counts, 0, d->kept * sizeof *d->counts);
    d->samples = n;
    d->seed = seed;
    if (n == 0)
        return 0;
    if (d->kept == 1) {
        d->counts[0] = (uint32_t)n;
        return 0;
    }
    if (d->kept <= ENGINE_ALIAS_MAX) {
        alias_build(d);
        for (size_t i = 0; i < n; i++)
            d->counts[alias_draw(d, &g)]++;
        return 0;
    }
    /* chunks bound the memory (20 bytes a draw) however large n is */
    size_t chunk = n < ENGINE_DRAW_CHUNK ? n : ENGINE_DRAW_CHUNK;
    if (draw_reserve(d, chunk) < 0) {
        d->samples = 0;
        return -1;
    }
    struct rng tries; /* rejection's own stream, so that the uniforms stay those of g */
    rng_seed(&tries, seed ^ UINT64_C(0x6a09e667f3bcc909));
    for (size_t done = 0; done < n; done += chunk) {
        size_t m = n - done < chunk ? n - done : chunk;
        cdf_walk(d, sorted_uniforms(d, m, &g), m, &tries);
    }
    return 0;
}

size_t engine_draw_one(const struct dist *d, struct rng *g)
{
    const struct weights *ws = &d->fin;
    double t = rng_uniform(g) * d->total, w[ENGINE_BLOCK], part = 0;
    size_t full = d->kept / ENGINE_BLOCK;
    /* the first block whose end lies above t: pre[b + 1] > t */
    size_t b = weights_block_reaching(ws, full, 1.0, nextafter(t, INFINITY));
    bool whole = b < full;
    size_t lo = b * ENGINE_BLOCK, hi = whole ? lo + ENGINE_BLOCK : d->kept;
    weights_range(ws, lo, hi, w);
    for (size_t r = lo; r < hi; r++) {
        part += w[r - lo];
        if (t < (whole && r + 1 == hi ? ws->pre[b + 1] : ws->pre[b] + part))
            return r;
    }
    return d->kept - 1;
}
