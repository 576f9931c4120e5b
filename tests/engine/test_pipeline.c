/* test_pipeline.c: engine_apply() against the rules (README, Semantics), edge by edge, and
 * against a naive reference (long double, file order, a plain sort per filter) on random inputs. */
#include <float.h>
#include <stdlib.h>

#include "logitscope/engine.h"
#include "params_fixture.h"
#include "tap.h"
#include "dist_fixture.h"

static struct params mk(double t, size_t k, double p, double minp, enum chain_preset o)
{
    return test_params(t, k, p, minp, o);
}

/* The rank of file index `index` (the fixtures are small: a scan will do). */
static size_t rank_of(const struct fixture *f, size_t index)
{
    size_t r = 0;
    while (r < f->v.n && f->v.order[r] != index)
        r++;
    return r;
}

static double prob_of(const struct fixture *f, size_t index)
{
    return dist_prob_rank(&f->d, rank_of(f, index));
}

/* ---- the naive reference: the written semantics, literally ---- */

static const long double *ref_q; /* what ref_cmp compares by */

/* Descending probability, ties by file order. */
static int ref_cmp(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (ref_q[i] != ref_q[j])
        return ref_q[i] > ref_q[j] ? -1 : 1;
    return (i > j) - (i < j);
}

static void ref_order(const long double *q, const int *keep, size_t n, size_t *idx, size_t *m)
{
    *m = 0;
    for (size_t i = 0; i < n; i++)
        if (keep[i])
            idx[(*m)++] = i;
    ref_q = q;
    qsort(idx, *m, sizeof *idx, ref_cmp);
}

static void ref_softmax(const double *l, const int *keep, size_t n, double t, long double *q)
{
    long double mx = -INFINITY, s = 0;
    for (size_t i = 0; i < n; i++)
        if (keep[i] && l[i] > mx)
            mx = l[i];
    for (size_t i = 0; i < n; i++)
        s += q[i] = keep[i] ? expl(((long double)l[i] - mx) / t) : 0;
    for (size_t i = 0; i < n; i++)
        q[i] /= s;
}

static void ref_filters(const double *l, int *keep, size_t n, double t, struct params p,
                        size_t *idx, long double *q)
{
    size_t m;
    ref_softmax(l, keep, n, t, q);
    ref_order(q, keep, n, idx, &m);
    if (P_K(p) && P_K(p) < m)
        for (size_t r = P_K(p); r < m; r++)
            keep[idx[r]] = 0;
    ref_softmax(l, keep, n, t, q);
    ref_order(q, keep, n, idx, &m);
    if (P_P(p) < 1) {
        long double cum = 0;
        size_t r = 0;
        while (r < m) {
            cum += q[idx[r++]];
            if (cum >= P_P(p) - 1e-12)
                break;
        }
        for (; r < m; r++)
            keep[idx[r]] = 0;
    }
    ref_softmax(l, keep, n, t, q);
    ref_order(q, keep, n, idx, &m);
    if (P_MINP(p) > 0)
        for (size_t r = 0; r < m; r++)
            if (q[idx[r]] < (P_MINP(p) - 1e-12) * q[idx[0]])
                keep[idx[r]] = 0;
}

/* Fills prob (file order) with the reference distribution. */
static void ref_apply(const double *l, size_t n, struct params p, double *prob)
{
    int *keep = malloc(n * sizeof *keep);
    size_t *idx = malloc(n * sizeof *idx);
    long double *q = malloc(n * sizeof *q);
    for (size_t i = 0; i < n; i++)
        keep[i] = !isinf(l[i]);
    if (P_PRESET(p) == PRESET_HF && P_T(p) > 0) {
        ref_filters(l, keep, n, P_T(p), p, idx, q);
        ref_softmax(l, keep, n, P_T(p), q);
    } else {
        if (P_PRESET(p) == PRESET_LLAMA)
            ref_filters(l, keep, n, 1.0, p, idx, q);
        if (P_T(p) > 0) {
            ref_softmax(l, keep, n, P_T(p), q);
        } else { /* greedy: the first maximum in file order among the survivors */
            size_t best = n;
            for (size_t i = 0; i < n; i++)
                if (keep[i] && (best == n || l[i] > l[best]))
                    best = i;
            for (size_t i = 0; i < n; i++)
                q[i] = i == best;
        }
    }
    for (size_t i = 0; i < n; i++)
        prob[i] = (double)q[i];
    free(keep);
    free(idx);
    free(q);
}

static int agrees_with_ref(const double *l, size_t n, struct params p, const char *what)
{
    struct fixture f;
    double *want = malloc(n * sizeof *want);
    int ok = 1;
    fixture_make(&f, l, n);
    engine_apply(&f.d, &p);
    ref_apply(l, n, p, want);
    long double h = 0;
    for (size_t i = 0; i < n; i++)
        h -= want[i] > 0 ? want[i] * log2l(want[i]) : 0;
    if (fabs(f.d.entropy_bits - (double)h) > 1e-12 * fmax(1.0, (double)h)) {
        printf("# %s: entropy %.17g want %.17g (T=%g k=%zu p=%g minp=%g %s)\n", what,
               f.d.entropy_bits, (double)h, P_T(p), P_K(p), P_P(p), P_MINP(p),
               chain_preset_name(P_PRESET(p)));
        ok = 0;
    }
    for (size_t i = 0; i < n && ok; i++) {
        double got = prob_of(&f, i);
        int same_cut = (got == 0) == (want[i] == 0);
        if (!same_cut || fabs(got - want[i]) > 1e-12 * fmax(1e-300, want[i]) + 1e-300) {
            printf("# %s: token %zu got %.17g want %.17g (T=%g k=%zu p=%g minp=%g %s)\n",
                   what, i, got, want[i], P_T(p), P_K(p), P_P(p), P_MINP(p),
                   chain_preset_name(P_PRESET(p)));
            ok = 0;
        }
    }
    fixture_free(&f);
    free(want);
    return ok;
}

/* ---- the lab ---- */

static const double lab[10] = {2.2, 1.8, 1.4, 0.9, 0.2, 0.1, -0.3, -0.6, -0.8, -1.0};

static void test_lab(void)
{
    struct fixture f;
    fixture_make(&f, lab, 10);
    struct params p = mk(0.1, 0, 1, 0, PRESET_HF);
    engine_apply(&f.d, &p);
    TAP_NEAR(f.d.top_prob, 0.98165, 1e-4, "lab T=0.1: approve gets 0.982");
    TAP_NEAR(f.d.entropy_bits, 0.1335, 1e-3, "lab T=0.1: entropy 0.134 bits");
    TAP_EQ_INT(f.v.order[0], 0, "lab: approve is rank 0");
    params_set(&p, PARAM_TEMPERATURE, 2.0);
    engine_apply(&f.d, &p);
    TAP_NEAR(f.d.top_prob, 0.2127, 1e-3, "lab T=2.0: approve gets 0.213");
    TAP_NEAR(f.d.entropy_bits, 3.111, 1e-3, "lab T=2.0: entropy 3.111 bits");
    TAP_NEAR(f.d.perplexity, exp2(f.d.entropy_bits), 1e-15, "perplexity is 2^H");
    TAP_EQ_INT(f.d.kept, 10, "no filter: all ten kept");
    for (int i = 0; i < 6; i++) {
        double temps[] = {0.1, 0.2, 0.5, 1.0, 1.5, 2.0};
        tap_ok(agrees_with_ref(lab, 10, mk(temps[i], 0, 1, 0, PRESET_HF), "lab"),
               "lab T=%g agrees with the reference", temps[i]);
    }
    fixture_free(&f);
}

/* ---- edges ---- */

static void test_greedy(void)
{
    const double l[] = {1, 3, 2, 3, -INFINITY};
    struct fixture f;
    fixture_make(&f, l, 5);
    struct params p = mk(0, 0, 1, 0, PRESET_HF);
    engine_apply(&f.d, &p);
    TAP_NEAR(prob_of(&f, 1), 1.0, 0, "T=0: all mass on the first maximum in file order");
    TAP_NEAR(prob_of(&f, 3), 0.0, 0, "T=0: the tied later maximum gets nothing");
    TAP_EQ_INT(f.d.kept, 1, "T=0 keeps one");
    TAP_NEAR(f.d.entropy_bits, 0, 0, "T=0: entropy 0");
    TAP_EQ_INT(dist_cut(&f.d, rank_of(&f, 3)), CUT_GREEDY, "T=0: the tie is cut by T=0");
    TAP_EQ_INT(dist_cut(&f.d, rank_of(&f, 4)), CUT_NEG_INF, "-inf is cut as -inf");
    p.chain = chain_preset(PRESET_LLAMA);
    engine_apply(&f.d, &p);
    TAP_NEAR(prob_of(&f, 1), 1.0, 0, "T=0 llama: first maximum");
    engine_draw(&f.d, 100, 1);
    TAP_EQ_INT(f.d.counts[0], 100, "T=0: every draw is the maximum");
    fixture_free(&f);
}

static void test_top_k(void)
{
    const double l[] = {0, 2, 1, 2, 2, -1};
    struct fixture f;
    fixture_make(&f, l, 6);
    struct params p = mk(1, 2, 1, 0, PRESET_HF);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 2, "top-k=2 keeps exactly two of a three-way tie");
    tap_ok(prob_of(&f, 1) > 0 && prob_of(&f, 3) > 0 && prob_of(&f, 4) == 0,
           "top-k tie at the boundary broken by file order");
    TAP_NEAR(prob_of(&f, 1), 0.5, 1e-15, "survivors renormalised");
    TAP_EQ_INT(dist_cut(&f.d, rank_of(&f, 4)), cut_by(SAMPLER_TOP_K), "cut marked top-k");
    params_set(&p, PARAM_TOP_K, 6);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 6, "k = V keeps all");
    params_set(&p, PARAM_TOP_K, 1000);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 6, "k > V keeps all");
    params_set(&p, PARAM_TOP_K, 1);
    engine_apply(&f.d, &p);
    TAP_NEAR(prob_of(&f, 1), 1.0, 0, "k = 1 is greedy");
    fixture_free(&f);
}

static void test_top_p(void)
{
    /* probabilities exactly 1/2, 1/4, 1/4 */
    const double l[] = {log(2.0), 0, 0};
    struct fixture f;
    fixture_make(&f, l, 3);
    struct params p = mk(1, 0, 0.75, 0, PRESET_HF);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 2, "top-p=0.75 on 1/2,1/4,1/4: cum reaches p at two");
    tap_ok(prob_of(&f, 1) > 0 && prob_of(&f, 2) == 0, "top-p tie broken by file order");
    TAP_EQ_INT(dist_cut(&f.d, rank_of(&f, 2)), cut_by(SAMPLER_TOP_P), "cut marked top-p");
    params_set(&p, PARAM_TOP_P, 0.5);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 1, "top-p=0.5: the first token alone reaches it");
    params_set(&p, PARAM_TOP_P, 0.5 + 1e-13);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 1, "top-p within 1e-12 above the mass still counts as reached");
    params_set(&p, PARAM_TOP_P, 0.5 + 1e-9);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 2, "top-p 1e-9 above the mass takes the next token");
    params_set(&p, PARAM_TOP_P, 1e-300);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 1, "tiny p keeps at least one");
    params_set(&p, PARAM_TOP_P, 1);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 3, "p = 1 is off");
    fixture_free(&f);
}

static void test_min_p(void)
{
    const double l[] = {1, 1, log(0.5) + 1, log(0.4) + 1};
    struct fixture f;
    fixture_make(&f, l, 4);
    struct params p = mk(1, 0, 1, 1, PRESET_HF);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 2, "min-p = 1 keeps exactly the tied maxima");
    params_set(&p, PARAM_MIN_P, 0.45);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 3, "min-p=0.45 keeps p >= 0.45 p_max");
    TAP_EQ_INT(dist_cut(&f.d, rank_of(&f, 3)), cut_by(SAMPLER_MIN_P), "cut marked min-p");
    fixture_free(&f);

    /* log-probabilities exactly on the boundary: p_b / p_a = 0.5 up to one rounding */
    int kept_all = 1;
    for (int i = 1; i <= 60; i++) {
        double a = 0.3 + 0.01 * i, r = 0.1 + 0.013 * i;
        const double lp[] = {log(a), log(a * r)};
        fixture_make(&f, lp, 2);
        p = mk(1, 0, 1, r, PRESET_HF);
        engine_apply(&f.d, &p);
        kept_all &= f.d.kept == 2;
        fixture_free(&f);
    }
    tap_ok(kept_all, "min-p keeps a token exactly on the boundary (log-probability input)");
}

static void test_inputs(void)
{
    struct fixture f;
    const double one[] = {-3.5};
    fixture_make(&f, one, 1);
    struct params p = mk(0.7, 0, 0.9, 0.1, PRESET_HF);
    engine_apply(&f.d, &p);
    TAP_NEAR(prob_of(&f, 0), 1, 0, "V = 1: probability 1");
    TAP_NEAR(f.d.entropy_bits, 0, 0, "V = 1: entropy 0");
    fixture_free(&f);

    const double masked[] = {-INFINITY, -INFINITY, 4, -INFINITY};
    fixture_make(&f, masked, 4);
    engine_apply(&f.d, &p);
    TAP_NEAR(prob_of(&f, 2), 1, 0, "all but one -inf: it gets everything");
    TAP_EQ_INT(f.v.n_finite, 1, "three -inf ranks");
    fixture_free(&f);

    const double huge[] = {1e30, -1e30, 1e30 - 1e15, 0};
    fixture_make(&f, huge, 4);
    p = mk(1, 0, 1, 0, PRESET_HF);
    engine_apply(&f.d, &p);
    TAP_NEAR(prob_of(&f, 0), 1, 0, "logits of +-1e30: no overflow, the top wins");
    tap_ok(isfinite(f.d.entropy_bits) && f.d.entropy_bits == 0, "+-1e30: entropy is 0, not NaN");
    params_set(&p, PARAM_TEMPERATURE, 1e20);
    engine_apply(&f.d, &p);
    tap_ok(isfinite(f.d.entropy_bits), "+-1e30 at T=1e20 stays finite");
    tap_ok(agrees_with_ref(huge, 4, p, "huge"), "+-1e30 at T=1e20 agrees with the reference");
    fixture_free(&f);

    const double subnormal[] = {0, -720, -740, -800};
    fixture_make(&f, subnormal, 4);
    p = mk(1, 0, 1, 0, PRESET_HF);
    engine_apply(&f.d, &p);
    tap_ok(prob_of(&f, 1) > 0 && prob_of(&f, 1) < DBL_MIN && prob_of(&f, 3) == 0,
           "weights in the subnormal range are kept exactly, below it they are 0");
    tap_ok(agrees_with_ref(subnormal, 4, p, "subnormal"), "subnormal weights agree with the reference");
    fixture_free(&f);

    const double extreme[] = {DBL_MAX, -DBL_MAX, 0};
    fixture_make(&f, extreme, 3);
    engine_apply(&f.d, &p);
    tap_ok(isfinite(f.d.entropy_bits) && prob_of(&f, 0) == 1, "+-DBL_MAX: x - x0 overflows safely");
    fixture_free(&f);

    /* The same y = (x - x0) / T at the ends of the double range gives the same distribution:
     * logits near 1e307 (w (x - x0) would overflow), logits near 1e-300 with T of that size
     * (blocks 1e-301 wide), and near 1e-305 with blocks of subnormal width. */
    static double at_scale[3][256], unit[3][256];
    const double scales[3] = {1e307, 1e-300, 1e-305};
    for (int i = 0; i < 256; i++) {
        unit[0][i] = i ? -1.5 : 1.0;
        unit[1][i] = i < 32 ? 0 : i < 64 ? -0.34 : -10 - 0.01 * i;
        unit[2][i] = 1 - 1e-7 * i;
        for (int k = 0; k < 3; k++)
            at_scale[k][i] = unit[k][i] * scales[k];
    }
    for (int k = 0; k < 3; k++) {
        struct fixture g;
        fixture_make(&f, at_scale[k], 256);
        fixture_make(&g, unit[k], 256);
        p = mk(scales[k], 0, 1, 0, PRESET_HF);
        engine_apply(&f.d, &p);
        params_set(&p, PARAM_TEMPERATURE, 1);
        engine_apply(&g.d, &p);
        tap_ok(isfinite(f.d.entropy_bits) && fabs(f.d.entropy_bits - g.d.entropy_bits) < 1e-12 &&
                   fabs(f.d.br[0].total - g.d.br[0].total) < 1e-12 * g.d.br[0].total &&
                   fabs(dist_cum(&f.d, 100) - dist_cum(&g.d, 100)) < 1e-12,
               "logits at scale %g, T = %g: the distribution of the same y at scale 1 "
               "(H %.17g, want %.17g)", scales[k], scales[k], f.d.entropy_bits, g.d.entropy_bits);
        fixture_free(&f);
        fixture_free(&g);
    }

    double uniform[1000];
    for (int i = 0; i < 1000; i++)
        uniform[i] = 0.25;
    fixture_make(&f, uniform, 1000);
    engine_apply(&f.d, &p);
    TAP_NEAR(f.d.entropy_bits, log2(1000.0), 1e-13, "uniform over 1000: log2(1000) bits");
    TAP_NEAR(f.d.perplexity, 1000, 1e-11, "uniform over 1000: perplexity 1000");
    params_set(&p, PARAM_TOP_P, 0.5);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 500, "uniform, top-p 0.5: 500 kept");
    TAP_EQ_INT(f.v.order[0], 0, "uniform: rank order is file order");
    fixture_free(&f);

    struct ls_error err;
    struct params bad = mk(-1, 0, 1, 0, PRESET_HF);
    tap_ok(params_check(&bad, &err) < 0 && strstr(err.msg, "temperature"),
           "negative temperature rejected: %s", err.msg);
    bad = mk(1, 0, 0, 0, PRESET_HF);
    tap_ok(params_check(&bad, &err) < 0 && strstr(err.msg, "top-p"), "top-p 0 rejected: %s",
           err.msg);
    bad = mk(1, 0, 1, 1.5, PRESET_HF);
    tap_ok(params_check(&bad, &err) < 0, "min-p 1.5 rejected: %s", err.msg);
    bad = mk(NAN, 0, 1, 0, PRESET_HF);
    tap_ok(params_check(&bad, &err) < 0, "NaN temperature rejected");
    bad = mk(0, 0, 1, 1, PRESET_HF);
    tap_ok(params_check(&bad, &err) == 0, "T=0, p=1, min-p=1 accepted");
}

static void test_orders_differ(void)
{
    /* at T=1 the top two hold 0.73 of the mass; at T=3 the same cut needs more tokens */
    const double l[] = {3, 2, 1, 0, -1};
    struct fixture f;
    fixture_make(&f, l, 5);
    struct params p = mk(3, 0, 0.7, 0, PRESET_LLAMA);
    engine_apply(&f.d, &p);
    size_t llama_kept = f.d.kept;
    p.chain = chain_preset(PRESET_HF);
    engine_apply(&f.d, &p);
    tap_ok(llama_kept == 2 && f.d.kept > 2, "llama filters at T=1 (kept %zu), hf after T (kept %zu)",
           llama_kept, f.d.kept);
    fixture_free(&f);
}

/* random logits with ties, -inf and wide ranges against the reference */
static void test_random(void)
{
    srand(7);
    int bad = 0, runs = 0;
    for (int trial = 0; trial < 300; trial++) {
        size_t n = 1 + (size_t)rand() % 60;
        double l[64];
        for (size_t i = 0; i < n; i++) {
            int kind = rand() % 10;
            l[i] = kind == 0 ? -INFINITY : kind == 1 ? 1.0 : ((double)rand() / RAND_MAX - 0.5) * 20;
        }
        l[rand() % n] = 2.5; /* never all -inf */
        double temps[] = {0, 0.05, 0.3, 0.7, 1, 1.7, 5};
        struct params p = mk(temps[rand() % 7], (size_t)(rand() % 3 ? 0 : rand() % 70),
                             rand() % 2 ? 1.0 : 0.01 + 0.98 * rand() / RAND_MAX,
                             rand() % 2 ? 0.0 : 0.3 * rand() / RAND_MAX,
                             rand() % 2 ? PRESET_HF : PRESET_LLAMA);
        runs++;
        bad += !agrees_with_ref(l, n, p, "random");
    }
    tap_ok(bad == 0, "%d random inputs agree with the reference (%d disagree)", runs, bad);
}

/* more than one block: cuts and cumulative sums across block boundaries */
static void test_blocks(void)
{
    enum { N = 5000 };
    static double l[N];
    for (int i = 0; i < N; i++)
        l[i] = sin(i * 0.37) * 4 + (i % 17 == 0 ? 3 : 0);
    int ok = 1;
    double ps[] = {0.1, 0.5, 0.9, 0.999};
    for (int o = 0; o < 2; o++)
        for (int i = 0; i < 4; i++)
            ok &= agrees_with_ref(l, N, mk(0.8, 0, ps[i], 0, (enum chain_preset)o), "blocks");
    ok &= agrees_with_ref(l, N, mk(1.3, 700, 0.95, 0.01, PRESET_HF), "blocks k");
    tap_ok(ok, "5000 tokens: top-p, top-k, min-p across blocks agree with the reference");
    struct fixture f;
    fixture_make(&f, l, N);
    struct params p = mk(0.8, 0, 0.9, 0, PRESET_HF);
    engine_apply(&f.d, &p);
    double cum = 0;
    int mono = 1;
    for (size_t r = 0; r < f.d.kept; r++) {
        cum += dist_prob_rank(&f.d, r);
        mono &= fabs(dist_cum(&f.d, r) - cum) < 1e-12;
    }
    tap_ok(mono, "dist_cum matches the running sum of probabilities");
    TAP_NEAR(dist_cum(&f.d, f.d.kept - 1), 1.0, 0, "dist_cum reaches exactly 1 at the last kept");
    fixture_free(&f);
}

/* A model-sized vocabulary (a Gaussian body, a few standouts, some ties): most blocks are
 * summed from their power series, and every probability and the entropy must still agree
 * with the long-double reference, over temperatures from nearly greedy to flat. */
static void test_big_vocab(void)
{
    enum { N = 40000 };
    static double l[N];
    srand(5);
    for (int i = 0; i < N; i++) {
        double u1 = (rand() + 1.0) / ((double)RAND_MAX + 2), u2 = rand() / (double)RAND_MAX;
        l[i] = i % 50 == 0 ? l[i / 2] : 2.5 * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
    }
    for (int i = 0; i < 6; i++)
        l[i * 6007] += 12 - i;
    int ok = 1;
    double temps[] = {0.03, 0.2, 0.7, 1.0, 1.9, 4.5};
    for (int i = 0; i < 6; i++) {
        ok &= agrees_with_ref(l, N, mk(temps[i], 0, 1, 0, PRESET_HF), "big");
        ok &= agrees_with_ref(l, N, mk(temps[i], 0, 0.95, 0, PRESET_HF), "big top-p");
    }
    ok &= agrees_with_ref(l, N, mk(1.3, 0, 0.9, 0.001, PRESET_LLAMA), "big llama");
    tap_ok(ok, "40000 tokens: probabilities and entropy agree with the reference at six T");
}

/* One long-lived dist stepped through random settings (as the explorer does, reusing cached
 * weights) gives bit for bit what a fresh dist computes. */
static void test_cache(void)
{
    enum { N = 3000 };
    static double l[N];
    for (int i = 0; i < N; i++)
        l[i] = cos(i * 0.91) * 3;
    struct fixture live, fresh;
    fixture_make(&live, l, N);
    srand(11);
    int same = 1, steps = 0;
    double temps[] = {0, 0.7, 0.7, 1.0, 2.5};
    for (int i = 0; i < 200; i++) {
        struct params p = mk(temps[rand() % 5], (size_t)(rand() % 4 ? 0 : rand() % 900),
                             rand() % 3 ? 0.9 : 0.5 + 0.5 * rand() / RAND_MAX,
                             rand() % 3 ? 0.0 : 0.05, rand() % 2 ? PRESET_HF : PRESET_LLAMA);
        engine_apply(&live.d, &p);
        fixture_make(&fresh, l, N);
        engine_apply(&fresh.d, &p);
        same &= live.d.kept == fresh.d.kept && live.d.br[0].total == fresh.d.br[0].total &&
                live.d.entropy_bits == fresh.d.entropy_bits;
        for (size_t r = 0; r < live.d.kept; r++)
            same &= dist_prob_rank(&live.d, r) == dist_prob_rank(&fresh.d, r) &&
                    dist_cum(&live.d, r) == dist_cum(&fresh.d, r);
        fixture_free(&fresh);
        steps++;
    }
    tap_ok(same, "%d cached steps equal fresh computations bit for bit", steps);
    fixture_free(&live);
}

int main(void)
{
    test_cache();
    test_lab();
    test_greedy();
    test_top_k();
    test_top_p();
    test_min_p();
    test_inputs();
    test_orders_differ();
    test_random();
    test_blocks();
    test_big_vocab();
    return tap_done();
}
