/* draw.c: N seeded draws from a distribution. Few kept tokens: Vose's alias table, O(1) a
 * draw. Many: the uniforms are sorted (bucket sort, O(N)) and walked once along the block
 * sums, so blocks without a draw are skipped; inside a block, a few draws are placed by
 * rejection, many by the block's CDF. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "logitscope/engine.h"

/* Vose's alias table over prob[0..k) (already in d->alias_prob, summing to total) for ranks
 * [br->lo, br->hi). */
static void alias_build_from(struct dist *d, const struct dist_branch *br, double total)
{
    size_t k = br->hi - br->lo, ns = 0, nl = 0;
    double *prob = d->alias_prob;
    uint32_t *alias = d->alias_idx, *stack = d->alias_idx + k;
    /* small indices grow from the bottom of the stack, large ones from the top */
    for (size_t i = 0; i < k; i++) {
        prob[i] = prob[i] * (double)k / total;
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

static void alias_build(struct dist *d, const struct dist_branch *br)
{
    weights_range(br->ws, br->lo, br->hi, d->alias_prob);
    alias_build_from(d, br, br->total);
}

/* Branch-free: whether the alias is taken is a coin flip the predictor cannot learn. The
 * column fits an int (k <= ENGINE_ALIAS_MAX), which converts without a range check. */
static size_t alias_draw(const struct dist *d, size_t k, struct rng *g)
{
    double x = rng_uniform(g) * (double)k;
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
static bool place_by_rejection(struct dist *d, const struct weights *ws, size_t b,
                               size_t draws, struct rng *g)
{
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

/* Counts the sorted uniforms u[j..n) (scaled by the total) that fall under each rank's step
 * of segment [lo, hi), whose cumulative mass starts at base; whole says it is block b, whose
 * end is pre[b + 1]. Returns the new j. */
static size_t walk_segment(struct dist *d, const struct dist_branch *br, size_t b, size_t lo,
                           size_t hi, bool whole, const double *u, size_t j, size_t n)
{
    const struct weights *ws = br->ws;
    double w[ENGINE_BLOCK], base = lo == br->lo ? 0 : ws->pre[b], part = 0;
    weights_range(ws, lo, hi, w);
    for (size_t r = lo; r < hi && j < n; r++) {
        part += w[r - lo];
        double cum = whole && r + 1 == hi ? ws->pre[b + 1] : base + part;
        for (; j < n && u[j] * br->total < cum; j++)
            d->counts[r]++;
    }
    return j;
}

/* Walks ranks [lo, hi) of a branch with the cumulative mass of weights_cum() and counts the
 * sorted uniforms u[0..n) that fall under each rank's step: the head rank by rank, then the
 * uniforms pick the block; inside one, the draws are placed by rejection when that is
 * cheaper, else by the block's weights, computed only when a draw lands in it. */
static void cdf_walk(struct dist *d, const struct dist_branch *br, const double *u, size_t n,
                     struct rng *g)
{
    const struct weights *ws = br->ws;
    size_t hi = br->hi, full = hi / ENGINE_BLOCK, j = 0;
    size_t head = ws->head_end < hi ? ws->head_end : hi;
    if (br->lo < head)
        j = walk_segment(d, br, 0, br->lo, head, false, u, j, n);
    for (size_t b = weights_first_block(ws); j < n && b * ENGINE_BLOCK < hi; b++) {
        bool whole = b < full;
        size_t lo = b * ENGINE_BLOCK, last = j;
        while (whole && last < n && u[last] * br->total < ws->pre[b + 1])
            last++;
        if (whole && (last == j || place_by_rejection(d, ws, b, last - j, g))) {
            j = last;
            continue;
        }
        j = walk_segment(d, br, b, lo, whole ? lo + ENGINE_BLOCK : hi, whole, u, j, n);
    }
    /* u * total can round up to the total itself: such a draw goes to the last kept rank */
    d->counts[hi - 1] += (uint32_t)(n - j);
}

/* n draws from one branch: g gives the uniforms, the rejection tries their own stream. */
static int draw_branch(struct dist *d, const struct dist_branch *br, size_t n, struct rng *g,
                       uint64_t tries_seed)
{
    size_t k = br->hi - br->lo;
    if (n == 0)
        return 0;
    if (k == 1) {
        d->counts[br->lo] += (uint32_t)n;
        return 0;
    }
    if (k <= ENGINE_ALIAS_MAX) {
        alias_build(d, br);
        for (size_t i = 0; i < n; i++)
            d->counts[br->lo + alias_draw(d, k, g)]++;
        return 0;
    }
    /* chunks bound the memory (20 bytes a draw) however large n is */
    size_t chunk = n < ENGINE_DRAW_CHUNK ? n : ENGINE_DRAW_CHUNK;
    if (draw_reserve(d, chunk) < 0)
        return -1;
    struct rng tries; /* rejection's own stream, so that the uniforms stay those of g */
    rng_seed(&tries, tries_seed);
    for (size_t done = 0; done < n; done += chunk) {
        size_t m = n - done < chunk ? n - done : chunk;
        cdf_walk(d, br, sorted_uniforms(d, m, g), m, &tries);
    }
    return 0;
}

#define DRAW_TRIES_KEY UINT64_C(0x6a09e667f3bcc909)
#define DRAW_FIRED_KEY UINT64_C(0xbb67ae8584caa73b)

/* A mixture over few ranks: one alias table over the mixture itself, whose probabilities are
 * those of flipping the coin and then drawing in the branch it picked, at one draw's cost. */
static void draw_mixture_alias(struct dist *d, size_t n, struct rng *g)
{
    size_t lo = d->first_kept, k = d->last_kept + 1 - lo;
    struct dist_branch whole = {.lo = lo, .hi = lo + k};
    double *prob = d->alias_prob;
    for (size_t i = 0; i < k; i++)
        prob[i] = dist_prob_rank(d, lo + i);
    alias_build_from(d, &whole, 1.0);
    for (size_t i = 0; i < n; i++)
        d->counts[lo + alias_draw(d, k, g)]++;
}

int engine_draw(struct dist *d, size_t n, uint64_t seed)
{
    struct rng g;
    rng_seed(&g, seed);
    memset(d->counts + d->first_kept, 0,
           (d->last_kept + 1 - d->first_kept) * sizeof *d->counts);
    d->samples = n;
    d->seed = seed;
    int rc = 0;
    if (n == 0)
        return 0;
    if (d->n_branch == 1) {
        rc = draw_branch(d, &d->br[0], n, &g, seed ^ DRAW_TRIES_KEY);
    } else if (d->last_kept + 1 - d->first_kept <= ENGINE_ALIAS_MAX) {
        draw_mixture_alias(d, n, &g);
    } else {
        /* each draw flips the coin; then each branch takes its draws */
        size_t fired = 0;
        for (size_t i = 0; i < n; i++)
            fired += rng_uniform(&g) < d->br[1].share;
        struct rng g1;
        rng_seed(&g1, seed ^ DRAW_FIRED_KEY);
        rc = draw_branch(d, &d->br[0], n - fired, &g, seed ^ DRAW_TRIES_KEY);
        rc |= draw_branch(d, &d->br[1], fired, &g1, seed ^ DRAW_FIRED_KEY ^ DRAW_TRIES_KEY);
    }
    if (rc < 0) {
        d->samples = 0;
        return -1;
    }
    return 0;
}

size_t engine_draw_one(const struct dist *d, struct rng *g)
{
    const struct dist_branch *br = &d->br[0];
    if (d->n_branch == 2 && rng_uniform(g) < d->br[1].share)
        br = &d->br[1];
    const struct weights *ws = br->ws;
    double t = rng_uniform(g) * br->total, w[ENGINE_BLOCK], part = 0;
    size_t hi = br->hi, full = hi / ENGINE_BLOCK;
    size_t head = ws->head_end < hi ? ws->head_end : hi;
    if (br->lo < head && (head == hi || t < ws->pre[weights_first_block(ws)])) {
        weights_range(ws, br->lo, head, w);
        for (size_t r = br->lo; r < head; r++) {
            part += w[r - br->lo];
            if (t < part)
                return r;
        }
        return head - 1;
    }
    /* the first block whose end lies above t: pre[b + 1] > t */
    size_t b = weights_block_reaching(ws, weights_first_block(ws), full, 1.0,
                                      nextafter(t, INFINITY));
    bool whole = b < full;
    size_t lo = b * ENGINE_BLOCK, end = whole ? lo + ENGINE_BLOCK : hi;
    weights_range(ws, lo, end, w);
    for (size_t r = lo; r < end; r++) {
        part += w[r - lo];
        if (t < (whole && r + 1 == end ? ws->pre[b + 1] : ws->pre[b] + part))
            return r;
    }
    return hi - 1;
}
