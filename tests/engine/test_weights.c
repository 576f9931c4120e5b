/* test_weights.c: the block sums behind every temperature step (src/engine/weights.c). A
 * block summed from its power series must agree with the long-double sum of its 64
 * exponentials to a few ulp at every width the series accepts, and so must a block past
 * that width (the exact path), a block that reaches into the subnormal range, and a block
 * whose power sums overflow. The series' width table must follow its formula. */
#include <float.h>
#include <stdlib.h>

#include "engine_internal.h"
#include "logitscope/engine.h"
#include "tap.h"

/* Long-double references over ranks [lo, hi) of the sorted logits. */
static long double ref_sum(const double *x, size_t lo, size_t hi, double t)
{
    long double s = 0;
    for (size_t r = lo; r < hi; r++)
        s += expl(((long double)x[r] - x[0]) / t);
    return s;
}

static long double ref_sum_wy(const double *x, size_t lo, size_t hi, double t, long double *abs)
{
    long double s = 0;
    *abs = 0;
    for (size_t r = lo; r < hi; r++) {
        long double y = ((long double)x[r] - x[0]) / t, w = expl(y);
        s += w * y;
        *abs += w * fabsl(y);
    }
    return s;
}

struct block_case {
    struct vocab v;
    struct weights ws;
};

static int case_make(struct block_case *c, const double *l, size_t n)
{
    struct ls_error err;
    if (vocab_from_logits(&c->v, l, n, NULL, &err) < 0) {
        printf("# %s\n", err.msg);
        return -1;
    }
    if (weights_alloc(&c->ws, n) < 0)
        return -1;
    weights_bind(&c->ws, &c->v);
    return 0;
}

static void case_free(struct block_case *c)
{
    weights_release(&c->ws);
    vocab_free(&c->v);
}

/* Each block's error against long double, in ulp of the block's scale, over what the
 * inputs allow: the two roundings in y = (x - x0) / T move a weight by up to |y| ulp (as
 * they do every weight, on any path), plus 4 ulp for the exponent and the sums. The scale
 * of sum w y is the mass plus sum w |y|, since the entropy divides it by the total. Returns
 * the worst ratio; <= 1 passes. */
static double block_errors(struct block_case *c, double t)
{
    const double *x = c->v.sorted;
    size_t n = c->v.n_finite, blocks = n / ENGINE_BLOCK;
    double worst = 0;
    weights_compute(&c->ws, t, n);
    for (size_t b = 0; b < blocks; b++) {
        size_t lo = b * ENGINE_BLOCK, hi = lo + ENGINE_BLOCK;
        long double want = ref_sum(x, lo, hi, t), abs;
        long double want_wy = ref_sum_wy(x, lo, hi, t, &abs);
        double allowed = 4 + fabs((x[hi - 1] - x[0]) / t);
        if (want < DBL_MIN * 0x1p52) /* the subnormal range has its own test */
            continue;
        double e = (double)(fabsl(c->ws.blk[b] - want) / want) / DBL_EPSILON;
        double e_wy = (double)(fabsl(c->ws.blk_wy[b] - want_wy) / (abs + want)) / DBL_EPSILON;
        worst = fmax(worst, fmax(e, e_wy) / allowed);
    }
    return worst;
}

/* Temperatures from 0.002 to 500 times `scale` (the logits' own scale): h / T sweeps from far
 * past the series' reach to nothing. */
static void sweep_case(const char *name, const double *l, size_t n, double scale)
{
    struct block_case c;
    if (case_make(&c, l, n) < 0) {
        tap_ok(0, "%s: set up", name);
        return;
    }
    double worst = 0, worst_t = 0;
    for (double t = 0.002; t < 500; t *= 1.07) {
        double e = block_errors(&c, t * scale);
        if (e > worst) {
            worst = e;
            worst_t = t * scale;
        }
    }
    tap_ok(worst <= 1, "%s: block sums within rounding of long double (worst %.2f of the "
                       "allowance, at T=%g)", name, worst, worst_t);
    case_free(&c);
}

static void test_rho_table(void)
{
    int ok = 1;
    for (int k = 0; k <= ENGINE_MOMENTS; k++) {
        double rho = weights_moment_rho(k), fact = tgamma(k + 1.0);
        double want = pow(0x1p-54 * fact / 3, 1.0 / (k + 1));
        double bound = 3 * pow(rho, k + 1) / fact; /* the remainder the table promises */
        if (!(rho <= want * (1 + 1e-15) && rho >= want * (1 - 1e-12) &&
              bound <= 0x1p-54 * (1 + 1e-12))) {
            printf("# k=%d: table %.17g, formula %.17g\n", k, rho, want);
            ok = 0;
        }
    }
    tap_ok(ok, "series width table: rho_k = (2^-54 k! / 3)^(1/(k+1))");
    tap_ok(exp(2 * weights_moment_rho(ENGINE_MOMENTS)) <= 3, "e^(2 rho) <= 3 over the table");
}

static void test_block_shapes(void)
{
    enum { N = 64 * 24 };
    static double l[N];
    for (int i = 0; i < N; i++) /* blocks 1e-4 apart: the series covers nearly every T */
        l[i] = 2.0 - i * 1e-4;
    sweep_case("dense", l, N, 1);
    for (int i = 0; i < N; i++) /* h = 0.32 a block: the series only for T > 1.85 */
        l[i] = 5.0 - i * 0.01;
    sweep_case("spread", l, N, 1);
    srand(3);
    for (int i = 0; i < N; i++) { /* a Gaussian body: dense middle, sparse tails */
        double u1 = (rand() + 1.0) / ((double)RAND_MAX + 2), u2 = rand() / (double)RAND_MAX;
        l[i] = 2.5 * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
    }
    l[7] = 14;
    sweep_case("gaussian", l, N, 1);
    /* the same shapes at the ends of the double range: the power sums are scaled by each
     * block's width, so that they neither underflow nor overflow */
    for (int i = 0; i < N; i++)
        l[i] *= 1e-300;
    sweep_case("gaussian, logits * 1e-300", l, N, 1e-300);
    for (int i = 0; i < N; i++)
        l[i] = l[i] * 1e300 * 1e300; /* back from 1e-300, then up to 1e300 */
    sweep_case("gaussian, logits * 1e300", l, N, 1e300);
    for (int i = 0; i < N; i++) /* ties: every block is one value */
        l[i] = (double)(i / 64) * -0.5;
    sweep_case("flat blocks", l, N, 1);
}

/* Blocks that reach into the subnormal and zero range take the weight-by-weight path. */
static void test_subnormal_blocks(void)
{
    enum { N = 64 * 8 };
    static double l[N];
    for (int i = 0; i < N; i++)
        l[i] = -(double)i * 1.6; /* 0 down to -816: normal, subnormal, then zero */
    struct block_case c;
    case_make(&c, l, N);
    weights_compute(&c.ws, 1.0, N);
    int ok = 1;
    for (size_t b = 0; b < N / ENGINE_BLOCK; b++) {
        long double want = ref_sum(c.v.sorted, b * 64, b * 64 + 64, 1.0);
        double got = c.ws.blk[b], w = (double)want;
        ok &= w == 0 ? got == 0 : fabs(got - w) <= 1e-13 * w + 2 * DBL_TRUE_MIN;
    }
    tap_ok(ok, "blocks across the subnormal range and below it sum right");
    tap_ok(weights_at(&c.ws, 460) > 0 && weights_at(&c.ws, 460) < DBL_MIN &&
               weights_at(&c.ws, 480) == 0,
           "single weights: subnormal at -736, exactly 0 at -768");
    case_free(&c);
}

/* A block spanning 2e150 at T = 1e152 (h / T = 0.01): unscaled, its power sums would
 * overflow. */
static void test_overflow_guard(void)
{
    enum { N = 64 * 2 };
    double l[N];
    for (int i = 0; i < N; i++)
        l[i] = 1e150 - i * (2e150 / 63);
    struct block_case c;
    case_make(&c, l, N);
    double e = block_errors(&c, 1e152);
    tap_ok(isfinite(c.ws.blk[0]) && isfinite(c.ws.blk_wy[0]) && e <= 1,
           "a block 2e150 wide at T = 1e152 is summed right (%.2f of the allowance)", e);
    case_free(&c);
}

/* The cumulative mass of any prefix, and single weights, against long double. */
static void test_prefixes(void)
{
    enum { N = 5000 };
    static double l[N];
    for (int i = 0; i < N; i++)
        l[i] = sin(i * 0.37) * 4 + (i % 17 == 0 ? 3 : 0);
    struct block_case c;
    case_make(&c, l, N);
    int ok = 1;
    double worst = 0;
    for (double t = 0.05; t < 20; t *= 1.9) {
        weights_compute(&c.ws, t, N);
        for (size_t m = 1; m <= N; m += 37) {
            long double want = ref_sum(c.v.sorted, 0, m, t);
            worst = fmax(worst, (double)(fabsl(weights_cum(&c.ws, m) - want) / want));
        }
        for (size_t r = 0; r < N; r += 13) {
            long double y = ((long double)c.v.sorted[r] - c.v.sorted[0]) / t, want = expl(y);
            if (want > LDBL_MIN * 1e3L)
                ok &= fabsl(weights_at(&c.ws, r) - want) <= want * 4e-16L * (1 + fabsl(y));
        }
    }
    tap_ok(worst <= 1e-14, "cumulative mass of every prefix within 1e-14 (worst %.3g)", worst);
    tap_ok(ok, "single weights within 4 ulp (1 + |y|) of exp");
    case_free(&c);
}

/* Ranges that start anywhere: weights relative to their first rank, the head of its block
 * summed one by one, cumulative mass and sum of w y of every prefix against long double, and
 * a set extended in steps equal to one computed at once. */
static void test_ranges(void)
{
    enum { N = 3000 };
    static double l[N];
    for (int i = 0; i < N; i++)
        l[i] = sin(i * 0.61) * 5 + (i % 23 == 0 ? 4 : 0);
    struct block_case c, d;
    case_make(&c, l, N);
    case_make(&d, l, N);
    const double *x = c.v.sorted;
    double worst = 0, worst_wy = 0;
    int same = 1;
    const size_t starts[] = {0, 1, 63, 64, 65, 100, 1000, 2900, 2999};
    for (size_t s = 0; s < sizeof starts / sizeof *starts; s++) {
        size_t lo = starts[s];
        for (double t = 0.1; t < 30; t *= 2.3) {
            weights_begin(&c.ws, t, lo);
            weights_extend(&c.ws, N);
            weights_begin(&d.ws, t, lo);
            for (size_t len = lo; len <= N; len += 97)
                weights_extend(&d.ws, len);
            weights_extend(&d.ws, N);
            for (size_t m = lo; m <= N; m += 7) {
                long double want = 0, want_wy = 0, abs = 0;
                for (size_t r = lo; r < m; r++) {
                    long double y = ((long double)x[r] - x[lo]) / t, w = expl(y);
                    want += w;
                    want_wy += w * y;
                    abs += w * fabsl(y);
                }
                if (m > lo) {
                    worst = fmax(worst, (double)(fabsl(weights_cum(&c.ws, m) - want) / want));
                    worst_wy = fmax(worst_wy, (double)(fabsl(weights_wy(&c.ws, m) - want_wy) /
                                                       (abs + want)));
                } else {
                    same &= weights_cum(&c.ws, m) == 0;
                }
                same &= weights_cum(&c.ws, m) == weights_cum(&d.ws, m) &&
                        weights_wy(&c.ws, m) == weights_wy(&d.ws, m);
            }
            same &= weights_at(&c.ws, lo) == 1.0;
        }
    }
    tap_ok(worst <= 1e-14, "ranges from any rank: prefix masses within 1e-14 (worst %.3g)",
           worst);
    tap_ok(worst_wy <= 1e-14, "ranges from any rank: sums of w y within 1e-14 (worst %.3g)",
           worst_wy);
    tap_ok(same, "extending in steps gives the bits of one pass; the first weight is 1");
    case_free(&c);
    case_free(&d);
}

int main(void)
{
    test_ranges();
    test_rho_table();
    test_block_shapes();
    test_subnormal_blocks();
    test_overflow_guard();
    test_prefixes();
    return tap_done();
}
