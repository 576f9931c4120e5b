/* test_inputs.c: what each stage of the chain was given (engine_stage_inputs): its
 * probabilities against a long-double softmax of the same range and temperature, top-p's
 * running total against the very cut top-p made (to the bit), each threshold sampler's bar
 * against the tokens it kept and cut, greedy and unknown stages, and the scaled logits. */
#include <float.h>
#include <stdlib.h>

#include "logitscope/engine.h"
#include "params_fixture.h"
#include "tap.h"

struct fixture {
    struct vocab v;
    struct dist d;
    struct stage_inputs s;
};

static void fixture_make(struct fixture *f, const double *logits, size_t n)
{
    struct ls_error err;
    if (vocab_from_logits(&f->v, logits, n, NULL, &err) < 0 || dist_init(&f->d, &f->v) < 0 ||
        stage_inputs_init(&f->s, n) < 0) {
        printf("Bail out! fixture\n");
        exit(1);
    }
}

static void fixture_free(struct fixture *f)
{
    stage_inputs_free(&f->s);
    dist_free(&f->d);
    vocab_free(&f->v);
}

static void run(struct fixture *f, const struct params *p)
{
    engine_apply(&f->d, p);
    if (engine_stage_inputs(&f->s, &f->d) != 0) {
        printf("Bail out! engine_stage_inputs\n");
        exit(1);
    }
}

static const double lab[] = {2.2, 1.8, 1.4, 0.9, 0.2, 0.1, -0.3, -0.6, -0.8, -1.0};

/* softmax((x_r - x_lo) / t) over [lo, hi), in long double: rank r's share. */
static double ref_prob(const struct vocab *v, size_t lo, size_t hi, double t, size_t r)
{
    long double sum = 0;
    for (size_t i = lo; i < hi; i++)
        sum += expl(((long double)v->sorted[i] - v->sorted[lo]) / t);
    return (double)(expl(((long double)v->sorted[r] - v->sorted[lo]) / t) / sum);
}

/* hf: T 0.7 -> top-k 6 -> top-p 0.9. A top-p cut token's ghost is its share of the six at
 * T 0.7; a top-k cut token's, its share of all ten at T 0.7. */
static void test_ghosts(void)
{
    struct fixture f;
    fixture_make(&f, lab, 10);
    run(&f, (struct params[]){test_params(0.7, 6, 0.9, 0, PRESET_HF)});
    int k = dist_stage_of(&f.d, SAMPLER_TOP_K), p = dist_stage_of(&f.d, SAMPLER_TOP_P);
    TAP_EQ_INT(dist_cut_stage(&f.d, 0), -1, "a kept rank has no cutting stage");
    TAP_EQ_INT(dist_cut_stage(&f.d, 4), p, "rank 4 is cut by top-p");
    TAP_EQ_INT(dist_cut_stage(&f.d, 7), k, "rank 7 is cut by top-k");
    bool ok = true;
    for (size_t r = 4; r < 6; r++)
        ok = ok && fabs(stage_input_prob(&f.s, p, r) - ref_prob(&f.v, 0, 6, 0.7, r)) < 1e-14;
    tap_ok(ok, "top-p's cut tokens: their share of top-k's six at T 0.7");
    ok = true;
    for (size_t r = 6; r < 10; r++)
        ok = ok && fabs(stage_input_prob(&f.s, k, r) - ref_prob(&f.v, 0, 10, 0.7, r)) < 1e-14;
    tap_ok(ok, "top-k's cut tokens: their share of all ten at T 0.7");
    TAP_NEAR(stage_input_prob(&f.s, k, 0), ref_prob(&f.v, 0, 10, 0.7, 0), 1e-14,
             "a kept token's share of a stage's input too");
    tap_ok(stage_input_prob(&f.s, p, 7) == 0.0, "outside a stage's input: 0");
    int t = dist_stage_of(&f.d, SAMPLER_TEMPERATURE);
    tap_ok(isnan(stage_input_prob(&f.s, t, 0)) && isnan(stage_input_cum(&f.s, t, 0)),
           "a stage that cut nothing and measures nothing is not computed (NaN)");
    TAP_NEAR(stage_input_cum(&f.s, p, 5), 1.0, 0, "the running total ends at exactly 1");
    fixture_free(&f);
}

/* llama: the filters see T = 1 (temperature comes last). */
static void test_llama(void)
{
    struct fixture f;
    fixture_make(&f, lab, 10);
    struct params p = test_params(0.5, 0, 1, 0.2, PRESET_LLAMA);
    run(&f, &p);
    int m = dist_stage_of(&f.d, SAMPLER_MIN_P);
    double bar = stage_input_threshold(&f.s, m);
    TAP_NEAR(bar, 0.2 * ref_prob(&f.v, 0, 10, 1.0, 0), 1e-14,
             "llama: min-p's bar is 0.2 p_max at T 1");
    TAP_NEAR(stage_input_prob(&f.s, m, 9), ref_prob(&f.v, 0, 10, 1.0, 9), 1e-14,
             "llama: a min-p cut token's ghost is its share at T 1");
    fixture_free(&f);
}

/* top-p's running total decides the cut: the last kept rank reaches P (less the slack), the
 * one before does not; on a long vocabulary too, where the sums go through the blocks. */
static void test_top_p_total(void)
{
    enum { N = 5000 };
    static double x[N];
    unsigned s = 12345;
    for (size_t i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        x[i] = (double)(s >> 8) / (1u << 24) * 8.0 - 4.0;
    }
    struct fixture f;
    fixture_make(&f, x, N);
    bool ok = true;
    double ps[] = {0.05, 0.3, 0.5, 0.77, 0.9, 0.95, 0.99, 0.999};
    double ts[] = {0.3, 0.8, 1.0, 1.7};
    for (size_t a = 0; a < sizeof ps / sizeof ps[0]; a++)
        for (size_t b = 0; b < sizeof ts / sizeof ts[0]; b++) {
            struct params p = test_params(ts[b], 0, ps[a], 0, PRESET_HF);
            run(&f, &p);
            int i = dist_stage_of(&f.d, SAMPLER_TOP_P);
            size_t end = f.d.br[0].after[i].hi;
            double at = stage_input_cum(&f.s, i, end - 1);
            double before = end >= 2 ? stage_input_cum(&f.s, i, end - 2) : 0;
            bool here = at >= ps[a] - SAMPLER_SLACK && before < ps[a] - SAMPLER_SLACK;
            if (!here)
                printf("# p %g T %g: end %zu, total there %.17g, before %.17g\n", ps[a], ts[b],
                       end, at, before);
            ok = ok && here;
        }
    tap_ok(ok, "5,000 tokens: top-p's running total crosses P exactly where top-p cut");
    fixture_free(&f);
}

/* Each threshold sampler alone (T 1.3 first): every token it kept has at least its bar in
 * what it was given, every token it cut less. */
static void test_bars(void)
{
    struct fixture f;
    fixture_make(&f, lab, 10);
    static const struct {
        enum sampler_id s;
        enum param_id p;
        double v;
    } cases[] = {{SAMPLER_MIN_P, PARAM_MIN_P, 0.3},   {SAMPLER_EPSILON, PARAM_EPSILON, 0.05},
                 {SAMPLER_ETA, PARAM_ETA, 0.09},     {SAMPLER_TOP_A, PARAM_TOP_A, 0.5}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct params p = params_default();
        p.chain.n = 2;
        p.chain.stage[0] = SAMPLER_TEMPERATURE;
        p.chain.stage[1] = (unsigned char)cases[c].s;
        p = with(with(p, PARAM_TEMPERATURE, 1.3), cases[c].p, cases[c].v);
        run(&f, &p);
        double bar = stage_input_threshold(&f.s, 1);
        size_t hi = f.d.br[0].after[1].hi;
        bool ok = bar > 0 && hi > 1 && hi < 10;
        for (size_t r = 0; r < 10 && ok; r++) {
            double q = stage_input_prob(&f.s, 1, r);
            ok = r < hi ? q >= bar - SAMPLER_SLACK : q < bar;
        }
        tap_ok(ok, "%s %g: its bar %.6f parts the kept (%zu) from the cut",
               sampler_spec(cases[c].s)->label, cases[c].v, bar, hi);
    }
    /* XTC, firing always: the tokens at or above its threshold go, all but the last */
    struct params p = params_default();
    p.chain.n = 2;
    p.chain.stage[0] = SAMPLER_TEMPERATURE;
    p.chain.stage[1] = SAMPLER_XTC;
    p = with(with(p, PARAM_XTC_THRESHOLD, 0.1), PARAM_XTC_PROBABILITY, 1);
    run(&f, &p);
    double bar = stage_input_threshold(&f.s, 1);
    size_t above = 0;
    while (above < 10 && stage_input_prob(&f.s, 1, above) >= bar)
        above++;
    tap_ok(bar == 0.1 && f.d.br[0].lo == above - 1,
           "xtc 0.10: %zu tokens at or above its bar, all but the last removed (kept from %zu)",
           above, f.d.br[0].lo);
    fixture_free(&f);
}

/* T = 0 first: the filters after it see all of the mass on the top rank and have no bar;
 * top-k still cuts, its cut tokens had nothing. */
static void test_greedy(void)
{
    struct fixture f;
    fixture_make(&f, lab, 10);
    run(&f, (struct params[]){test_params(0, 3, 1, 0.1, PRESET_HF)});
    int k = dist_stage_of(&f.d, SAMPLER_TOP_K), m = dist_stage_of(&f.d, SAMPLER_MIN_P);
    tap_ok(f.s.in[k].greedy && stage_input_prob(&f.s, k, 0) == 1.0 &&
               stage_input_prob(&f.s, k, 5) == 0.0,
           "greedy: top-k was given all of the mass on rank 0");
    tap_ok(isnan(stage_input_threshold(&f.s, m)), "greedy: min-p has no bar");
    TAP_EQ_INT(dist_cut_stage(&f.d, 1), -1, "greedy: rank 1 is cut by T=0, not by a stage");
    TAP_EQ_INT(dist_cut_stage(&f.d, 5), k, "greedy: rank 5 is cut by top-k");
    tap_ok(isnan(dist_scaled_logit(&f.d, 0)), "greedy: no logit / T");
    fixture_free(&f);
}

static void test_logits(void)
{
    struct fixture f;
    static const double x[] = {1.5, -INFINITY, 0.25};
    fixture_make(&f, x, 3);
    run(&f, (struct params[]){test_params(0.5, 0, 1, 0, PRESET_HF)});
    tap_ok(dist_logit(&f.d, 0) == 1.5 && dist_logit(&f.d, 1) == 0.25 &&
               dist_logit(&f.d, 2) == -INFINITY,
           "logits by rank, -inf last");
    tap_ok(dist_scaled_logit(&f.d, 0) == 3.0 && dist_scaled_logit(&f.d, 1) == 0.5 &&
               dist_scaled_logit(&f.d, 2) == -INFINITY,
           "logit / T at T 0.5");
    TAP_EQ_INT(dist_cut_stage(&f.d, 2), -1, "a -inf token has no cutting stage");
    struct params p = with(test_params(1, 0, 1, 0, PRESET_HF), PARAM_DYNATEMP_RANGE, 0.5);
    run(&f, &p);
    tap_ok(dist_scaled_logit(&f.d, 0) == 1.5 / f.d.br[0].t && f.d.br[0].t != 1.0,
           "with dynatemp: over the temperature it picked (%g)", f.d.br[0].t);
    fixture_free(&f);
}

/* A vocabulary larger than the buffers: refused, nothing known. */
static void test_capacity(void)
{
    struct fixture f;
    fixture_make(&f, lab, 10);
    struct stage_inputs small;
    if (stage_inputs_init(&small, 4) != 0) {
        printf("Bail out! stage_inputs_init\n");
        exit(1);
    }
    engine_apply(&f.d, (struct params[]){test_params(1, 3, 1, 0, PRESET_HF)});
    tap_ok(engine_stage_inputs(&small, &f.d) == -1 && isnan(stage_input_prob(&small, 1, 0)),
           "ten tokens into room for four: refused");
    stage_inputs_free(&small);
    fixture_free(&f);
}

int main(void)
{
    test_ghosts();
    test_llama();
    test_top_p_total();
    test_bars();
    test_greedy();
    test_logits();
    test_capacity();
    return tap_done();
}
