/* test_samplers.c: every sampler's rule and edges, one at a time and in short chains, with
 * numbers worked by hand; the expected values of llama.cpp's tests/test-sampling.cpp and
 * Hugging Face's tests/generation/test_logits_process.py where their rules equal ours (each
 * case says where it comes from, and where we differ it says how); the chain's own plumbing
 * (presets, parsing, editing, checks, cut names). */
#include <float.h>
#include <stdlib.h>

#include "logitscope/engine.h"
#include "params_fixture.h"
#include "tap.h"
#include "dist_fixture.h"

static double prob_of(const struct fixture *f, size_t index)
{
    for (size_t r = 0; r < f->v.n; r++)
        if (f->v.order[r] == index)
            return dist_prob_rank(&f->d, r);
    return -1;
}

/* The kept probabilities, highest first, equal (within tol) to `want` normalised to sum 1
 * (the reference tests often list them before their own renormalisation). */
static int kept_are(struct fixture *f, const struct params *p, const double *want, size_t nw,
                    double tol)
{
    engine_apply(&f->d, p);
    double sum = 0, got[64], exp_[64];
    size_t n = 0;
    for (size_t i = 0; i < nw; i++)
        sum += want[i];
    for (size_t i = 0; i < nw; i++)
        exp_[i] = want[i] / sum;
    for (size_t i = 1; i < nw; i++) /* highest first */
        for (size_t j = i; j > 0 && exp_[j - 1] < exp_[j]; j--) {
            double t = exp_[j];
            exp_[j] = exp_[j - 1];
            exp_[j - 1] = t;
        }
    for (size_t r = 0; r < f->v.n && n < 64; r++)
        if (dist_is_kept(&f->d, r))
            got[n++] = dist_prob_rank(&f->d, r);
    if (n != nw) {
        printf("# kept %zu, want %zu\n", n, nw);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (fabs(got[i] - exp_[i]) > tol) {
            printf("# kept[%zu] = %.8f, want %.8f\n", i, got[i], exp_[i]);
            return 0;
        }
    return 1;
}

/* ---- llama.cpp's tests/test-sampling.cpp, main(): the same probabilities, the same
 * expectations, their tolerance 1e-5 ---- */

static void test_llama_cases(void)
{
    static const double p4[] = {0.1, 0.2, 0.3, 0.4};
    struct fixture f;
    fixture_probs(&f, p4, 4, NULL);
    struct params p;
    /* test_temp, test_temp_ext */
    tap_ok(kept_are(&f, (p = with(only(SAMPLER_TEMPERATURE), PARAM_TEMPERATURE, 1), &p), p4, 4,
                    1e-5), "llama.cpp test_temp T=1: unchanged");
    tap_ok(kept_are(&f, (p = with(only(SAMPLER_TEMPERATURE), PARAM_TEMPERATURE, 0), &p),
                    (double[]){1}, 1, 1e-5), "llama.cpp test_temp T=0: the top token alone");
    p = with(with(only(SAMPLER_TEMPERATURE), PARAM_DYNATEMP_RANGE, 0), PARAM_DYNATEMP_EXP, 1);
    tap_ok(kept_are(&f, &p, p4, 4, 1e-5), "llama.cpp test_temp_ext (1, 0, 1): unchanged");
    p = with(p, PARAM_TEMPERATURE, 0);
    tap_ok(kept_are(&f, &p, (double[]){1}, 1, 1e-5), "llama.cpp test_temp_ext (0, 0, 1): greedy");
    /* test_top_k */
    static const struct { size_t k; double want[4]; size_t n; } topk[] = {
        {1, {1.0}, 1}, {3, {0.44444, 0.33333, 0.22222}, 3},
        {4, {0.4, 0.3, 0.2, 0.1}, 4}, {0, {0.1, 0.2, 0.3, 0.4}, 4},
    };
    for (size_t i = 0; i < 4; i++) {
        p = only(SAMPLER_TOP_K);
        p.v[PARAM_TOP_K].whole = topk[i].k;
        tap_ok(kept_are(&f, &p, topk[i].want, topk[i].n, 1e-5), "llama.cpp test_top_k k=%zu",
               topk[i].k);
    }
    /* test_top_p; their p = 0 keeps one token: ours is (0, 1], so the smallest p stands in */
    static const struct { double p; double want[4]; size_t n; } topp[] = {
        {1e-300, {1.0}, 1}, {0.7, {0.571429, 0.428571}, 2},
        {0.8, {0.44444, 0.33333, 0.22222}, 3}, {1.0, {0.1, 0.2, 0.3, 0.4}, 4},
    };
    for (size_t i = 0; i < 4; i++)
        tap_ok(kept_are(&f, (p = with(only(SAMPLER_TOP_P), PARAM_TOP_P, topp[i].p), &p),
                        topp[i].want, topp[i].n, 1e-5), "llama.cpp test_top_p p=%g", topp[i].p);
    /* test_min_p (their 1.05 is outside our [0, 1]) */
    static const struct { double m; double want[4]; size_t n; } minp[] = {
        {0.00, {0.1, 0.2, 0.3, 0.4}, 4}, {0.24, {0.1, 0.2, 0.3, 0.4}, 4},
        {0.26, {0.2, 0.3, 0.4}, 3},      {0.49, {0.2, 0.3, 0.4}, 3},
        {0.51, {0.3, 0.4}, 2},           {0.74, {0.3, 0.4}, 2},
        {0.76, {0.4}, 1},                {1.00, {0.4}, 1},
    };
    for (size_t i = 0; i < 8; i++)
        tap_ok(kept_are(&f, (p = with(only(SAMPLER_MIN_P), PARAM_MIN_P, minp[i].m), &p),
                        minp[i].want, minp[i].n, 1e-5), "llama.cpp test_min_p %.2f", minp[i].m);
    /* test_top_n_sigma */
    p = with(only(SAMPLER_TOP_N_SIGMA), PARAM_TOP_N_SIGMA, 1);
    tap_ok(kept_are(&f, &p, (double[]){0.428571, 0.571429}, 2, 1e-5),
           "llama.cpp test_top_n_sigma n=1: 0.3 and 0.4");
    tap_ok(kept_are(&f, (p = with(p, PARAM_TOP_N_SIGMA, 0), &p), p4, 4, 1e-5),
           "llama.cpp test_top_n_sigma n=0 is a no-op");
    tap_ok(kept_are(&f, (p = with(p, PARAM_TOP_N_SIGMA, 3), &p), p4, 4, 1e-5),
           "llama.cpp test_top_n_sigma n=3 keeps all");
    fixture_free(&f);

    /* test_xtc: their probability 0.99 fires with their seed; ours is a mixture, so the
     * fired branch alone is probability 1 */
    static const double p4d[] = {0.4, 0.3, 0.2, 0.1};
    fixture_probs(&f, p4d, 4, NULL);
    static const struct { double t; double want[4]; size_t n; } xtc[] = {
        {0.09, {0.1}, 1}, {0.19, {0.2, 0.1}, 2}, {0.29, {0.3, 0.2, 0.1}, 3},
        {0.39, {0.4, 0.3, 0.2, 0.1}, 4},
    };
    for (size_t i = 0; i < 4; i++) {
        p = with(with(only(SAMPLER_XTC), PARAM_XTC_PROBABILITY, 1), PARAM_XTC_THRESHOLD,
                 xtc[i].t);
        tap_ok(kept_are(&f, &p, xtc[i].want, xtc[i].n, 1e-5), "llama.cpp test_xtc threshold %g",
               xtc[i].t);
    }
    fixture_free(&f);
    /* test_typical */
    fixture_probs(&f, (double[]){0.97, 0.01, 0.01, 0.01}, 4, NULL);
    p = with(only(SAMPLER_TYP_P), PARAM_TYPICAL_P, 0.5);
    tap_ok(kept_are(&f, &p, (double[]){1}, 1, 1e-5), "llama.cpp test_typical: 0.97 alone");
    fixture_free(&f);
    fixture_probs(&f, (double[]){0.4, 0.2, 0.2, 0.2}, 4, NULL);
    tap_ok(kept_are(&f, &p, (double[]){0.2, 0.2, 0.2}, 3, 1e-5),
           "llama.cpp test_typical: the three 0.2s, not the 0.4");
    fixture_free(&f);
}

/* llama.cpp's test_sampler_queue: logits log(id) for ids 0..9999, so p is proportional to
 * the id; k, p and m in every order with min_keep 1, and the sizes and ids their formulas
 * give. Their token 0 has logit -inf; llama.cpp's top-p keeps it at p = 1, ours never keeps
 * a -inf logit, so the formulas' token 0 is left out here. */
static void queue_case(const char *seq, int top_k, float top_p, float min_p)
{
    enum { N = 10000 };
    static double l[N];
    for (int i = 0; i < N; i++)
        l[i] = log((double)i);
    struct fixture f;
    fixture_make(&f, l, N);
    struct params p = params_default();
    struct ls_error err;
    chain_parse_letters(seq, &p.chain, &err);
    p.v[PARAM_TOP_K].whole = (size_t)top_k;
    params_set(&p, PARAM_TOP_P, top_p);
    params_set(&p, PARAM_MIN_P, min_p);
    p.v[PARAM_MIN_KEEP].whole = 1;
    engine_apply(&f.d, &p);
    long min_id = 0, size = N;
    for (const char *s = seq; *s; s++) {
        if (*s == 'k') {
            size = size < top_k ? size : top_k;
            min_id = min_id > N - top_k ? min_id : N - top_k;
        } else if (*s == 'p') {
            long divisor = (long)N * (N - 1) / 2 - min_id * (min_id - 1) / 2;
            long target = (long)ceilf(top_p * (float)divisor), cum = 0;
            size = 0;
            min_id = N;
            do {
                min_id--;
                size++;
                cum += min_id;
            } while (cum < target);
        } else {
            long want = (long)ceilf((1.0f - min_p) * N);
            want = want < 1 ? 1 : want;
            size = want < size ? want : size;
            long lo = (long)floorf(min_p * N);
            lo = lo < 1 ? 1 : lo;
            lo = lo > N - size ? lo : N - size;
            min_id = lo < N - 1 ? lo : N - 1;
        }
    }
    if (min_id == 0) { /* their token 0: never ours */
        size--;
        min_id = 1;
    }
    size_t last = f.d.last_kept;
    tap_ok((long)f.d.kept == size && f.v.order[0] == N - 1 && (long)f.v.order[last] == min_id,
           "llama.cpp test_sampler_queue \"%s\" k=%d p=%g m=%g: %zu kept (want %ld), lowest id "
           "%u (want %ld)", seq, top_k, top_p, min_p, f.d.kept, size, f.v.order[last], min_id);
    fixture_free(&f);
}

static void test_llama_queue(void)
{
    queue_case("k", 10000, 1.0f, 1.0f);
    queue_case("k", 1, 1.0f, 1.0f);
    queue_case("p", 10000, 1.0f, 1.0f);
    queue_case("m", 10000, 1.0f, 1.0f);
    queue_case("k", 100, 1.0000f, 1.0f);
    queue_case("p", 10000, 0.0003f, 1.0f);
    queue_case("p", 10000, 0.8000f, 1.0f);
    queue_case("m", 10000, 1.0000f, 9997.9f / 9999.0f);
    queue_case("m", 10000, 1.0000f, 0.1f);
    static const char *const pairs[] = {"kp", "km", "pk", "pm", "mk", "mp",
                                        "kpm", "kmp", "pkm", "pmk", "mkp", "mpk"};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        queue_case(pairs[i], 100, 0.8f, 0.1f);
    queue_case("mp", 100, 0.8f, 9997.9f / 9999.0f);
}

/* ---- Hugging Face's tests/generation/test_logits_process.py ---- */

static size_t kept_count(struct fixture *f, const struct params *p)
{
    engine_apply(&f->d, p);
    return f->d.kept;
}

/* The tests' "ramp": arange(10) - 5, and the same times 100. */
static void ramps(double a[10], double b[10])
{
    for (int i = 0; i < 10; i++) {
        a[i] = i - 5;
        b[i] = (i - 5) * 100.0;
    }
}

static void test_hf_cases(void)
{
    struct fixture f;
    struct params p;
    double ra[10], rb[10];
    ramps(ra, rb);
    /* test_top_k_dist_warper: a ramp and a ramp with its first half raised */
    double ramp[10], raised[10];
    for (int i = 0; i < 10; i++) {
        ramp[i] = i;
        raised[i] = i < 5 ? i + 10 : i;
    }
    p = only(SAMPLER_TOP_K);
    p.v[PARAM_TOP_K].whole = 3;
    fixture_make(&f, ramp, 10);
    engine_apply(&f.d, &p);
    tap_ok(f.d.kept == 3 && prob_of(&f, 7) > 0 && prob_of(&f, 6) == 0,
           "HF test_top_k_dist_warper: the ramp keeps its last three");
    fixture_free(&f);
    fixture_make(&f, raised, 10);
    engine_apply(&f.d, &p);
    tap_ok(f.d.kept == 3 && prob_of(&f, 2) > 0 && prob_of(&f, 4) > 0 && prob_of(&f, 1) == 0,
           "HF test_top_k_dist_warper: the raised ramp keeps ids 2..4");
    fixture_free(&f);
    /* test_top_p_dist_warper */
    fixture_probs(&f, (double[]){0.3, 0.1, 0.1, 0.5}, 4, NULL);
    tap_ok(kept_are(&f, (p = with(only(SAMPLER_TOP_P), PARAM_TOP_P, 0.8), &p),
                    (double[]){0.3, 0.5}, 2, 1e-6), "HF test_top_p_dist_warper, row 1");
    fixture_free(&f);
    fixture_probs(&f, (double[]){0.15, 0.3, 0.3, 0.25}, 4, NULL);
    tap_ok(kept_are(&f, &p, (double[]){0.3, 0.3, 0.25}, 3, 1e-6),
           "HF test_top_p_dist_warper, row 2");
    fixture_free(&f);
    p = with(only(SAMPLER_TOP_P), PARAM_TOP_P, 0.9);
    p.v[PARAM_MIN_KEEP].whole = 2;
    fixture_make(&f, ra, 10);
    size_t a = kept_count(&f, &p);
    fixture_free(&f);
    fixture_make(&f, rb, 10);
    size_t b = kept_count(&f, &p);
    fixture_free(&f);
    tap_ok(a == 3 && b == 2, "HF top-p 0.9, min_tokens_to_keep 2 on the ramps: [3, 2]");
    /* test_min_p_dist_warper */
    p = with(only(SAMPLER_MIN_P), PARAM_MIN_P, 0.05);
    fixture_probs(&f, (double[]){0.9, 0.0274, 0.047, 0.0274}, 4, NULL);
    tap_ok(kept_are(&f, &p, (double[]){0.9, 0.047}, 2, 1e-6), "HF test_min_p_dist_warper, row 1");
    fixture_free(&f);
    fixture_probs(&f, (double[]){0.15, 0.3, 0.3, 0.25}, 4, NULL);
    tap_ok(kept_are(&f, &p, (double[]){0.15, 0.3, 0.3, 0.25}, 4, 1e-6),
           "HF test_min_p_dist_warper, row 2");
    fixture_free(&f);
    fixture_probs(&f, (double[]){0.97, 0.01, 0.01, 0.01}, 4, NULL);
    tap_ok(kept_are(&f, &p, (double[]){1}, 1, 1e-6), "HF test_min_p_dist_warper, row 3");
    fixture_free(&f);
    p = with(only(SAMPLER_MIN_P), PARAM_MIN_P, 0.9);
    p.v[PARAM_MIN_KEEP].whole = 2;
    fixture_make(&f, ra, 10);
    a = kept_count(&f, &p);
    fixture_free(&f);
    fixture_make(&f, rb, 10);
    b = kept_count(&f, &p);
    fixture_free(&f);
    tap_ok(a == 2 && b == 2, "HF min-p 0.9, min_tokens_to_keep 2 on the ramps: [2, 2]");
    /* test_typical_dist_warper */
    p = with(only(SAMPLER_TYP_P), PARAM_TYPICAL_P, 0.5);
    fixture_probs(&f, (double[]){0.97, 0.01, 0.01, 0.01}, 4, NULL);
    tap_ok(kept_are(&f, &p, (double[]){1}, 1, 1e-6), "HF test_typical_dist_warper, row 1");
    fixture_free(&f);
    fixture_probs(&f, (double[]){0.4, 0.2, 0.2, 0.2}, 4, NULL);
    tap_ok(kept_are(&f, &p, (double[]){0.2, 0.2, 0.2}, 3, 1e-6),
           "HF test_typical_dist_warper, row 2");
    fixture_free(&f);
    double uniform[5] = {0.2, 0.2, 0.2, 0.2, 0.2};
    p.v[PARAM_MIN_KEEP].whole = 3;
    fixture_make(&f, uniform, 5);
    tap_ok(kept_count(&f, &p) >= 3, "HF typical, min_tokens_to_keep 3 on a uniform row");
    fixture_free(&f);
    p = with(only(SAMPLER_TYP_P), PARAM_TYPICAL_P, 0.7);
    p.v[PARAM_MIN_KEEP].whole = 2;
    fixture_make(&f, ra, 10);
    a = kept_count(&f, &p);
    fixture_free(&f);
    fixture_make(&f, rb, 10);
    b = kept_count(&f, &p);
    fixture_free(&f);
    tap_ok(a == 2 && b == 2, "HF typical 0.7, min_tokens_to_keep 2 on the ramps: [2, 2] (%zu, %zu)",
           a, b);
    /* test_epsilon_dist_warper */
    p = with(only(SAMPLER_EPSILON), PARAM_EPSILON, 0.1);
    fixture_probs(&f, (double[]){0.87, 0.099, 0.001, 0.03}, 4, NULL);
    tap_ok(kept_are(&f, &p, (double[]){1}, 1, 1e-6), "HF test_epsilon_dist_warper, row 1");
    fixture_free(&f);
    fixture_probs(&f, (double[]){0.4, 0.299, 0.101, 0.2}, 4, NULL);
    tap_ok(kept_are(&f, &p, (double[]){0.4, 0.299, 0.101, 0.2}, 4, 1e-6),
           "HF test_epsilon_dist_warper, row 2");
    fixture_free(&f);
    p = with(only(SAMPLER_EPSILON), PARAM_EPSILON, 5e-2);
    p.v[PARAM_MIN_KEEP].whole = 2;
    fixture_make(&f, ra, 10);
    a = kept_count(&f, &p);
    fixture_free(&f);
    fixture_make(&f, rb, 10);
    b = kept_count(&f, &p);
    fixture_free(&f);
    tap_ok(a == 3 && b == 2, "HF epsilon 0.05, min_tokens_to_keep 2 on the ramps: [3, 2]");
    /* test_eta_dist_warper: cutoffs min(0.0625, 0.1320) and min(0.0625, 0.1644) */
    p = with(only(SAMPLER_ETA), PARAM_ETA, 0.0625);
    fixture_make(&f, (double[]){-INFINITY, log(0.1), log(0.8), log(0.1)}, 4);
    tap_ok(kept_are(&f, &p, (double[]){0.1, 0.8, 0.1}, 3, 1e-6), "HF test_eta_dist_warper, row 1");
    fixture_free(&f);
    fixture_probs(&f, (double[]){0.01, 0.04, 0.9, 0.05}, 4, NULL);
    tap_ok(kept_are(&f, &p, (double[]){1}, 1, 1e-6), "HF test_eta_dist_warper, row 2");
    fixture_free(&f);
    p = with(only(SAMPLER_ETA), PARAM_ETA, 0.1);
    p.v[PARAM_MIN_KEEP].whole = 2;
    fixture_make(&f, ra, 10);
    a = kept_count(&f, &p);
    fixture_free(&f);
    fixture_make(&f, rb, 10);
    b = kept_count(&f, &p);
    fixture_free(&f);
    tap_ok(a == 2 && b == 2, "HF eta 0.1, min_tokens_to_keep 2 on the ramps: [2, 2]");
    /* test_temperature_dist_warper: uniform stays uniform, peaks sharpen and flatten */
    double row[20];
    for (int i = 0; i < 20; i++)
        row[i] = 1.0 / 20;
    row[5] += 0.1;
    row[10] -= 0.4;
    fixture_make(&f, row, 20);
    double base = (engine_apply(&f.d, (p = only(SAMPLER_TEMPERATURE), &p)), f.d.top_prob);
    double sharp = (engine_apply(&f.d, (p = with(p, PARAM_TEMPERATURE, 0.5), &p)), f.d.top_prob);
    double smooth = (engine_apply(&f.d, (p = with(p, PARAM_TEMPERATURE, 1.3), &p)), f.d.top_prob);
    tap_ok(sharp > base && smooth < base, "HF test_temperature_dist_warper: T 0.5 sharpens, 1.3 "
                                          "flattens");
    fixture_free(&f);
}

/* ---- our rules, edge by edge ---- */

static void test_typical_band(void)
{
    struct fixture f;
    /* 0.5, 0.2, 0.2, 0.1: H = 1.2206; distances 0.527, 0.389, 0.389, 1.082 */
    fixture_probs(&f, (double[]){0.5, 0.2, 0.2, 0.1}, 4, NULL);
    struct params p = with(only(SAMPLER_TYP_P), PARAM_TYPICAL_P, 0.3);
    engine_apply(&f.d, &p);
    tap_ok(f.d.br[0].lo == 1 && f.d.br[0].hi == 3, "typical 0.3: the band is ranks 1-2 (%zu-%zu)",
           f.d.br[0].lo, f.d.br[0].hi);
    TAP_EQ_INT(dist_cut(&f.d, 0), cut_by(SAMPLER_TYP_P), "the top token is cut by typical");
    TAP_EQ_STR(cut_name(dist_cut(&f.d, 0)), "typical", "named \"typical\"");
    p = with(p, PARAM_TYPICAL_P, 0.45);
    engine_apply(&f.d, &p);
    tap_ok(f.d.br[0].lo == 0 && f.d.br[0].hi == 3,
           "typical 0.45: the band grows to the nearer neighbour, the 0.5 above");
    p.v[PARAM_MIN_KEEP].whole = 4;
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 4, "min_keep 4 grows the band to every token");
    fixture_free(&f);
    /* e^1, e^0, e^-1: p = 0.665, 0.245, 0.090 and H = 0.832 nats; distances 0.424, 0.576 and
     * 1.576: the top token is the most typical here */
    double l[3] = {1.0, 0.0, -1.0};
    fixture_make(&f, l, 3);
    p = with(only(SAMPLER_TYP_P), PARAM_TYPICAL_P, 0.2);
    engine_apply(&f.d, &p);
    tap_ok(f.d.kept == 1 && f.d.br[0].lo == 0, "typical 0.2 on e^1, e^0, e^-1: the top one");
    p = with(p, PARAM_TYPICAL_P, 0.8);
    engine_apply(&f.d, &p);
    tap_ok(f.d.kept == 2 && f.d.br[0].lo == 0, "typical 0.8: then the 0.245 (0.576 before 1.576)");
    fixture_free(&f);
    /* flat: every distance is 0, so the band grows from the top in rank order */
    double flat[6] = {0, 0, 0, 0, 0, 0};
    fixture_make(&f, flat, 6);
    p = with(only(SAMPLER_TYP_P), PARAM_TYPICAL_P, 0.5);
    engine_apply(&f.d, &p);
    tap_ok(f.d.br[0].lo == 0 && f.d.kept == 3, "typical 0.5 on six equal tokens: the first three");
    fixture_free(&f);
}

static void test_xtc_rules(void)
{
    struct fixture f;
    fixture_probs(&f, (double[]){0.4, 0.3, 0.2, 0.1}, 4, NULL);
    struct params p = with(with(only(SAMPLER_XTC), PARAM_XTC_THRESHOLD, 0.25),
                           PARAM_XTC_PROBABILITY, 1);
    engine_apply(&f.d, &p);
    tap_ok(f.d.n_branch == 1 && f.d.br[0].lo == 1 && f.d.kept == 3,
           "XTC always, threshold 0.25: the 0.4 goes, the 0.3 (the last top choice) stays");
    TAP_EQ_STR(cut_name(dist_cut(&f.d, 0)), "xtc", "cut: xtc");
    TAP_NEAR(f.d.top_prob, 0.5, 1e-15, "the 0.3 now has half the mass");
    TAP_EQ_INT(f.d.top_rank, 1, "and is the top");
    p.v[PARAM_MIN_KEEP].whole = 4;
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 4, "min_keep 4: n - (m - 1) = 3 < 4, no firing");
    p.v[PARAM_MIN_KEEP].whole = 3;
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 3, "min_keep 3: 3 >= 3, it fires");
    p.v[PARAM_MIN_KEEP].whole = 0;
    p = with(p, PARAM_XTC_THRESHOLD, 0.51);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 4, "threshold above 0.5: off");
    p = with(p, PARAM_XTC_THRESHOLD, 0);
    engine_apply(&f.d, &p);
    tap_ok(f.d.kept == 1 && f.d.top_rank == 3, "threshold 0: every token is a top choice, the "
                                               "last stays");
    p = with(with(p, PARAM_XTC_THRESHOLD, 0.25), PARAM_XTC_PROBABILITY, 0.5);
    engine_apply(&f.d, &p);
    tap_ok(f.d.n_branch == 2 && f.d.kept == 4, "probability 0.5: two branches, all four kept");
    TAP_NEAR(dist_prob_rank(&f.d, 0), 0.5 * 0.4, 1e-15, "the 0.4 keeps half its probability");
    TAP_NEAR(dist_prob_rank(&f.d, 1), 0.5 * 0.3 + 0.5 * 0.5, 1e-15,
             "the 0.3 gets half of 0.3 and half of 0.5");
    double h = 0;
    for (size_t r = 0; r < 4; r++) {
        double q = dist_prob_rank(&f.d, r);
        h -= q * log2(q);
    }
    TAP_NEAR(f.d.entropy_bits, h, 1e-14, "the entropy is the mixture's");
    tap_ok(dist_xtc_removes(&f.d, 0) && !dist_xtc_removes(&f.d, 1), "XTC removes the 0.4 when it "
                                                                    "fires");
    p = with(p, PARAM_XTC_PROBABILITY, 0);
    engine_apply(&f.d, &p);
    tap_ok(f.d.n_branch == 1 && f.d.kept == 4, "probability 0: off");
    fixture_free(&f);
    double one[1] = {0};
    fixture_make(&f, one, 1);
    p = with(p, PARAM_XTC_PROBABILITY, 1);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 1, "one token: off");
    fixture_free(&f);
}

static void test_other_rules(void)
{
    struct fixture f;
    fixture_probs(&f, (double[]){0.5, 0.3, 0.15, 0.05}, 4, NULL);
    struct params p;
    /* epsilon: p >= 0.15 keeps three; above every p it keeps the top (or min_keep) */
    TAP_EQ_INT(kept_count(&f, (p = with(only(SAMPLER_EPSILON), PARAM_EPSILON, 0.15), &p)), 3,
               "epsilon 0.15 keeps p >= 0.15, the boundary included");
    TAP_EQ_INT(kept_count(&f, (p = with(p, PARAM_EPSILON, 0.9), &p)), 1,
               "epsilon above every p keeps the top one");
    p.v[PARAM_MIN_KEEP].whole = 2;
    TAP_EQ_INT(kept_count(&f, &p), 2, "... or min_keep");
    TAP_EQ_STR(cut_name(dist_cut(&f.d, 3)), "epsilon", "cut: epsilon");
    /* eta: H = 1.1481 nats; sqrt(0.3) e^-H = 0.1738 < 0.3: the bar is 0.1738 */
    p = with(only(SAMPLER_ETA), PARAM_ETA, 0.3);
    TAP_EQ_INT(kept_count(&f, &p), 2, "eta 0.3: bar min(0.3, 0.174) = 0.174 keeps two");
    TAP_EQ_STR(cut_name(dist_cut(&f.d, 2)), "eta", "cut: eta");
    p = with(p, PARAM_ETA, 0.02);
    TAP_EQ_INT(kept_count(&f, &p), 4, "eta 0.02: bar min(0.02, 0.045) = 0.02 keeps all");
    /* top-a: p >= a p_max^2 = a / 4 */
    p = with(only(SAMPLER_TOP_A), PARAM_TOP_A, 0.6);
    TAP_EQ_INT(kept_count(&f, &p), 3, "top-a 0.6: bar 0.15 keeps three");
    TAP_EQ_STR(cut_name(dist_cut(&f.d, 3)), "top-a", "cut: top-a");
    TAP_EQ_INT(kept_count(&f, (p = with(p, PARAM_TOP_A, 100), &p)), 1,
               "top-a 100: the bar is above the top, which stays");
    /* top-n-sigma on equal logits: sd 0, every tie kept */
    fixture_free(&f);
    double flat[5] = {2, 2, 2, 2, 2};
    fixture_make(&f, flat, 5);
    TAP_EQ_INT(kept_count(&f, (p = with(only(SAMPLER_TOP_N_SIGMA), PARAM_TOP_N_SIGMA, 1), &p)), 5,
               "top-n-sigma on equal logits keeps every one");
    fixture_free(&f);
    double wide[4] = {1e300, -1e300, 0, 5e299};
    fixture_make(&f, wide, 4);
    TAP_EQ_INT(kept_count(&f, &p), 4, "top-n-sigma: an infinite sd keeps all");
    fixture_free(&f);
}

/* Dynamic temperature: t = tmin + (tmax - tmin) (H / ln n)^exp. */
static void test_dynatemp(void)
{
    struct fixture f;
    fixture_probs(&f, (double[]){0.5, 0.3, 0.15, 0.05}, 4, NULL);
    struct params p = with(with(only(SAMPLER_TEMPERATURE), PARAM_TEMPERATURE, 1),
                           PARAM_DYNATEMP_RANGE, 0.5);
    engine_apply(&f.d, &p);
    double h = -(0.5 * log(0.5) + 0.3 * log(0.3) + 0.15 * log(0.15) + 0.05 * log(0.05));
    double want = 0.5 + 1.0 * (h / log(4.0));
    TAP_NEAR(f.d.br[0].after[0].t, want, 1e-14, "T 1, range 0.5: t = 0.5 + (H / ln 4) = %.4f",
             want);
    TAP_NEAR(f.d.br[0].entropy_in, h, 1e-14, "the entropy it saw is recorded");
    p = with(p, PARAM_DYNATEMP_EXP, 2);
    engine_apply(&f.d, &p);
    TAP_NEAR(f.d.br[0].after[0].t, 0.5 + pow(h / log(4.0), 2), 1e-14, "exponent 2");
    p = with(with(p, PARAM_TEMPERATURE, 0.2), PARAM_DYNATEMP_EXP, 1);
    engine_apply(&f.d, &p);
    TAP_NEAR(f.d.br[0].after[0].t, 0.7 * (h / log(4.0)), 1e-14, "tmin is never below 0");
    fixture_free(&f);
    double flat[8] = {0};
    fixture_make(&f, flat, 8);
    engine_apply(&f.d, &p);
    TAP_NEAR(f.d.br[0].after[0].t, 0.7, 1e-14, "a uniform range: H = ln n, so t = tmax");
    fixture_free(&f);
    double one[1] = {3};
    fixture_make(&f, one, 1);
    engine_apply(&f.d, &p);
    TAP_NEAR(f.d.br[0].after[0].t, 1, 0, "one token: unchanged");
    fixture_free(&f);
}

/* T = 0 in a chain: probability samplers after it have nothing to cut (their limit as t
 * goes to 0 keeps the top), top-k still cuts, and the rest say T=0. */
static void test_greedy_chain(void)
{
    const double l[] = {3, 2, 1, 0, -1, -2};
    struct fixture f;
    fixture_make(&f, l, 6);
    struct params p = test_params(0, 3, 0.5, 0.3, PRESET_HF);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.kept, 1, "hf, T=0: one token");
    TAP_EQ_STR(cut_name(dist_cut(&f.d, 1)), "T=0", "rank 1 is cut by T=0");
    TAP_EQ_STR(cut_name(dist_cut(&f.d, 4)), "top-k", "rank 4 by top-k, as before the chain");
    p = test_params(0, 3, 0.5, 0.3, PRESET_LLAMA);
    engine_apply(&f.d, &p);
    TAP_EQ_STR(cut_name(dist_cut(&f.d, 5)), "top-k", "llama, T=0: top-k cut first");
    p = test_params(100, 0, 1, 0.1, PRESET_LLAMA);
    size_t llama = kept_count(&f, &p);
    p.chain = chain_preset(PRESET_HF);
    size_t hf = kept_count(&f, &p);
    tap_ok(llama == 3 && hf == 6, "T=100 with min-p 0.1: llama (T last) keeps %zu, hf keeps %zu",
           llama, hf);
    fixture_free(&f);
}

static void test_chain_plumbing(void)
{
    struct chain c;
    struct ls_error err;
    char buf[200];
    c = chain_preset(PRESET_LLAMA);
    chain_format(&c, ";", buf, sizeof buf);
    TAP_EQ_STR(buf, "top_n_sigma;top_k;typ_p;top_p;min_p;xtc;temperature", "the llama preset");
    c = chain_preset(PRESET_VLLM);
    chain_format(&c, ",", buf, sizeof buf);
    TAP_EQ_STR(buf, "temperature,min_p,top_k,top_p", "the vllm preset");
    c = chain_preset(PRESET_HF);
    chain_format(&c, ";", buf, sizeof buf);
    TAP_EQ_STR(buf, "temperature;top_k;top_p;min_p;typ_p;epsilon;eta", "the hf preset");
    TAP_EQ_INT(chain_which_preset(&c), PRESET_HF, "recognised as hf");
    tap_ok(chain_parse_names(" top-k ; temperature ,min_p", &c, &err) == 0 && c.n == 3 &&
               c.stage[0] == SAMPLER_TOP_K && chain_which_preset(&c) == PRESET_CUSTOM,
           "names with spaces, - for _, both separators");
    tap_ok(chain_parse_names(";;", &c, &err) < 0 && strstr(err.msg, "empty"), "an empty chain");
    tap_ok(chain_parse_letters("kpmyxst", &c, &err) == 0 && c.n == 7, "llama.cpp's letters");
    tap_ok(chain_parse_letters("kk", &c, &err) < 0 && strstr(err.msg, "twice"), "a letter twice");
    c = chain_preset(PRESET_VLLM);
    TAP_EQ_INT(chain_move(&c, 0, 2), 2, "move temperature two places later");
    chain_format(&c, ";", buf, sizeof buf);
    TAP_EQ_STR(buf, "min_p;top_k;temperature;top_p", "  in place");
    TAP_EQ_INT(chain_move(&c, 2, -9), 0, "move it back past the start: clamped");
    chain_remove(&c, 1);
    tap_ok(c.n == 3 && !chain_has(&c, SAMPLER_MIN_P), "remove min_p");
    tap_ok(chain_insert(&c, 1, SAMPLER_XTC) && c.stage[1] == SAMPLER_XTC, "insert xtc at 1");
    tap_ok(!chain_insert(&c, 0, SAMPLER_XTC), "xtc is there already");
    struct params p = params_default();
    p.chain.stage[1] = SAMPLER_TEMPERATURE;
    tap_ok(params_check(&p, &err) < 0 && strstr(err.msg, "twice"), "params_check: %s", err.msg);
    p = params_default();
    p.chain.n = 0;
    tap_ok(params_check(&p, &err) < 0, "params_check: an empty chain");
    for (int i = 0; i < PARAM_COUNT; i++) {
        const struct param_spec *ps = param_spec((enum param_id)i);
        if (ps->kind == PARAM_WHOLE)
            continue;
        p = params_default();
        params_set(&p, (enum param_id)i, ps->hi != HUGE_VAL ? ps->hi + 0.5
                                         : ps->lo == -HUGE_VAL ? HUGE_VAL : ps->lo - 1);
        tap_ok(params_check(&p, &err) < 0 && strstr(err.msg, ps->flag + 2),
               "params_check refuses %s out of range: %s", ps->name, err.msg);
    }
    p = params_default();
    TAP_EQ_INT(params_unused(&p), -1, "defaults: nothing unused");
    params_set(&p, PARAM_TOP_A, 0.2);
    TAP_EQ_INT(params_unused(&p), PARAM_TOP_A, "top_a set, not in hf");
    for (int s = 0; s < SAMPLER_COUNT; s++) {
        const struct sampler_spec *ss = sampler_spec((enum sampler_id)s);
        tap_ok(sampler_find(ss->name, strlen(ss->name)) == s && ss->n_params >= 1 &&
                   param_spec(ss->params[0])->sampler == (enum sampler_id)s &&
                   strcmp(cut_name(cut_by((enum sampler_id)s)), ss->label) == 0,
               "table row %s: findable, owns its parameters, names its cuts \"%s\"", ss->name,
               ss->label);
    }
}

int main(void)
{
    test_llama_cases();
    test_llama_queue();
    test_hf_cases();
    test_typical_band();
    test_xtc_rules();
    test_other_rules();
    test_dynatemp();
    test_greedy_chain();
    test_chain_plumbing();
    return tap_done();
}
