/* test_history.c: the samplers that need history (history.c and the mirostat stage): the
 * expected values of llama.cpp's tests/test-sampling.cpp for penalties and DRY (each case
 * says which), edges worked by hand, the re-sorted vocabulary and its cache, mirostat's mu,
 * and history_parse. */
#include <float.h>
#include <stdlib.h>

#include "logitscope/engine.h"
#include "params_fixture.h"
#include "tap.h"
#include "dist_fixture.h"

static struct params no_breakers(struct params p)
{
    memset(&p.breakers, 0, sizeof p.breakers);
    return p;
}

static struct history tokens_of(const uint32_t *t, size_t n)
{
    return (struct history){.tokens = t, .n = n, .mirostat_mu = NAN};
}

/* Probability of file index i in the dist (the rank is the dist's own vocabulary's). */
static double prob_of(const struct dist *d, size_t i)
{
    for (size_t r = 0; r < d->vocab->n; r++)
        if (d->vocab->order[r] == i)
            return dist_prob_rank(d, r);
    return -1;
}

/* Every token's probability, by file index, within tol of want. */
static int probs_are(struct fixture *f, const struct params *p, const struct history *h,
                     const double *want, double tol)
{
    if (engine_apply_history(&f->d, p, h) < 0) {
        printf("# engine_apply_history failed\n");
        return 0;
    }
    for (size_t i = 0; i < f->v.n; i++)
        if (fabs(prob_of(&f->d, i) - want[i]) > tol) {
            printf("# token %zu: %.8f, want %.8f\n", i, prob_of(&f->d, i), want[i]);
            return 0;
        }
    return 1;
}

/* ---- llama.cpp's tests/test-sampling.cpp: test_penalties and test_dry, their tolerance
 * 1e-5. Their penalty_last_n is the whole history (last_tokens.size()); their DRY breakers
 * are token sequences, ours are text, so a breaker token here is one whose name holds ":". */

static void test_llama_penalties(void)
{
    static const double p5[] = {0.2, 0.2, 0.2, 0.2, 0.2};
    static const struct {
        uint32_t last[5];
        size_t n;
        double repeat, freq, pres, want[5];
    } cases[] = {
        {{0}, 1, 50, 0, 0, {0, 0.25, 0.25, 0.25, 0.25}},
        {{0, 1, 2}, 3, 50, 0, 0, {0, 0, 0, 0.5, 0.5}},
        {{0, 1, 2, 0, 0}, 5, 50, 0, 0, {0, 0, 0, 0.5, 0.5}},
        {{0}, 1, 1, 5, 5, {0.000011, 0.249997, 0.249997, 0.249997, 0.249997}},
        {{0, 1, 2}, 3, 1, 5, 5, {0.000023, 0.000023, 0.000023, 0.499966, 0.499966}},
        {{0, 1, 2, 0, 0}, 5, 1, 5, 5, {0.000000, 0.000023, 0.000023, 0.499977, 0.499977}},
    };
    struct fixture f;
    fixture_probs(&f, p5, 5, NULL);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct params p = with(with(with(with(only(SAMPLER_PENALTIES), PARAM_REPEAT_PENALTY,
                                              cases[i].repeat),
                                         PARAM_FREQUENCY_PENALTY, cases[i].freq),
                                    PARAM_PRESENCE_PENALTY, cases[i].pres),
                               PARAM_REPEAT_LAST_N, (double)cases[i].n);
        struct history h = tokens_of(cases[i].last, cases[i].n);
        tap_ok(probs_are(&f, &p, &h, cases[i].want, 1e-5),
               "llama.cpp test_penalties case %zu (repeat %g, frequency %g, presence %g)", i + 1,
               cases[i].repeat, cases[i].freq, cases[i].pres);
    }
    fixture_free(&f);
}

static void test_llama_dry(void)
{
    static const char *const names[] = {"t0", "t1", "t2", "t3", "t4"};
    static const char *const colon3[] = {"t0", "t1", "t2", ":", "t4"};
    struct fixture f;
    struct params p;
    struct history h;
#define DRY(mult, base, allowed, last)                                                      \
    no_breakers(with(with(with(with(only(SAMPLER_DRY), PARAM_DRY_MULTIPLIER, mult),          \
                              PARAM_DRY_BASE, base),                                         \
                         PARAM_DRY_ALLOWED_LENGTH, allowed),                                 \
                    PARAM_DRY_PENALTY_LAST_N, last))

    fixture_probs(&f, (double[]){0.25, 0.25, 0.25, 0.25}, 4, names);
    p = DRY(1.0, 1.1, 2, 4);
    h = tokens_of((uint32_t[]){0, 1}, 2);
    tap_ok(probs_are(&f, &p, &h, (double[]){0.25, 0.25, 0.25, 0.25}, 1e-5),
           "llama.cpp test_dry 1: two tokens are no longer than allowed: unchanged");
    p = DRY(1.0, 1.1, 2, 5);
    h = tokens_of((uint32_t[]){0, 1, 2, 0, 1}, 5);
    tap_ok(probs_are(&f, &p, &h, (double[]){0.296923, 0.296923, 0.109232, 0.296923}, 1e-5),
           "llama.cpp test_dry 2: 0 1 repeats, so 2 (which followed it) loses 1");
    fixture_free(&f);

    fixture_probs(&f, (double[]){0.2, 0.2, 0.2, 0.2, 0.2}, 5, colon3);
    p = DRY(1.0, 1.1, 2, 6);
    dry_breakers_add(&p.breakers, ":", 1, NULL);
    h = tokens_of((uint32_t[]){0, 1, 3, 4, 0, 1}, 6);
    tap_ok(probs_are(&f, &p, &h, (double[]){0.2, 0.2, 0.2, 0.2, 0.2}, 1e-5),
           "llama.cpp test_dry 3: the token after the repeat is a breaker: unchanged");
    fixture_free(&f);

    fixture_probs(&f, (double[]){0.2, 0.2, 0.2, 0.2, 0.2}, 5, names);
    p = DRY(2.0, 1.1, 2, 5);
    h = tokens_of((uint32_t[]){0, 1, 2, 0, 1}, 5);
    tap_ok(probs_are(&f, &p, &h, (double[]){0.241818, 0.241818, 0.032727, 0.241818, 0.241818},
                     1e-5),
           "llama.cpp test_dry 4: multiplier 2");
    p = DRY(1.0, 1.1, 4, 7);
    h = tokens_of((uint32_t[]){0, 1, 2, 3, 4, 0, 1}, 7);
    tap_ok(probs_are(&f, &p, &h, (double[]){0.2, 0.2, 0.2, 0.2, 0.2}, 1e-5),
           "llama.cpp test_dry 5: a repeat of 2 with 4 allowed: unchanged");
    fixture_free(&f);
}

/* ---- penalties by hand ---- */

static void test_penalties_edges(void)
{
    /* logits 2, 1, 0, -1, -2: repeat 2 halves a positive logit, doubles a negative one */
    static const double l[] = {2, 1, 0, -1, -2};
    struct fixture f;
    fixture_make(&f, l, 5);
    struct params p = with(only(SAMPLER_PENALTIES), PARAM_REPEAT_PENALTY, 2);
    struct history h = tokens_of(NULL, 0);
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.vocab == &f.v && fabs(prob_of(&f.d, 0) - exp(2) / (exp(2) + exp(1) + 1 +
                                                                   exp(-1) + exp(-2))) < 1e-15,
           "an empty history changes nothing and the dist keeps the vocabulary itself");
    uint32_t t[] = {0, 3, 3, 4};
    h = tokens_of(t, 4);
    engine_apply_history(&f.d, &p, &h);
    double w[5] = {exp(1), exp(1), 1, exp(-2), exp(-4)}, s = 0;
    for (int i = 0; i < 5; i++)
        s += w[i];
    tap_ok(fabs(prob_of(&f.d, 0) - w[0] / s) < 1e-15 && fabs(prob_of(&f.d, 3) - w[3] / s) < 1e-15 &&
               fabs(prob_of(&f.d, 4) - w[4] / s) < 1e-15 && fabs(prob_of(&f.d, 2) - 1 / s) < 1e-15,
           "repeat 2: 2 -> 1, -1 -> -2, -2 -> -4 (a negative logit is multiplied); once or "
           "twice the same");
    tap_ok(f.d.vocab != &f.v && f.d.vocab->order[0] == 0 && f.d.vocab->order[1] == 1 &&
               f.d.vocab->sorted[1] == 1.0,
           "the dist ranks a re-sorted copy: 0 and 1 tie at 1, file order breaks the tie");
    /* frequency and presence: logit - (count * f + p) */
    p = with(with(only(SAMPLER_PENALTIES), PARAM_FREQUENCY_PENALTY, 0.5), PARAM_PRESENCE_PENALTY,
             0.25);
    engine_apply_history(&f.d, &p, &h);
    double x[5] = {2 - 0.75, 1, 0, -1 - 1.25, -2 - 0.75};
    s = 0;
    for (int i = 0; i < 5; i++)
        s += exp(x[i]);
    tap_ok(fabs(prob_of(&f.d, 3) - exp(x[3]) / s) < 1e-15 &&
               fabs(prob_of(&f.d, 0) - exp(x[0]) / s) < 1e-15,
           "frequency 0.5, presence 0.25: twice written loses 1.25, once 0.75");
    /* last_n: only the last N count; 0 = off; -1 = all */
    p = with(with(only(SAMPLER_PENALTIES), PARAM_PRESENCE_PENALTY, 10), PARAM_REPEAT_LAST_N, 2);
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.vocab->order[0] == 0 && f.d.vocab->sorted[0] == 2 && prob_of(&f.d, 3) < 1e-5 &&
               prob_of(&f.d, 4) < 1e-5,
           "last_n 2 of 4: tokens 3 and 4 are penalised, token 0 (written first) is not");
    p = with(p, PARAM_REPEAT_LAST_N, -1);
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.vocab->order[0] == 1 && prob_of(&f.d, 0) < 1e-4, "last_n -1: the whole history");
    p = with(p, PARAM_REPEAT_LAST_N, 0);
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.vocab == &f.v && sampler_is_off(&p, SAMPLER_PENALTIES),
           "last_n 0 is off: the vocabulary itself again");
    p = with(p, PARAM_REPEAT_LAST_N, 1000);
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.vocab->order[0] == 1, "last_n longer than the history: all of it");
    /* tokens the vocabulary lacks are never penalised, and out-of-range ids count as lacked */
    uint32_t absent[] = {HISTORY_ABSENT, 99, 1};
    h = tokens_of(absent, 3);
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.vocab->order[0] == 0 && f.d.vocab->sorted[0] == 2 && prob_of(&f.d, 1) < 1e-4,
           "absent tokens are skipped; token 1 is penalised");
    /* after temperature: x / t - pen is (x - pen t) / t; the repeat penalty commutes */
    p = with(with(params_default(), PARAM_PRESENCE_PENALTY, 1), PARAM_TEMPERATURE, 0.5);
    p.chain.n = 2;
    p.chain.stage[0] = SAMPLER_TEMPERATURE;
    p.chain.stage[1] = SAMPLER_PENALTIES;
    uint32_t one[] = {0};
    h = tokens_of(one, 1);
    engine_apply_history(&f.d, &p, &h);
    double y[5] = {2 / 0.5 - 1, 2, 0, -2, -4};
    s = 0;
    for (int i = 0; i < 5; i++)
        s += exp(y[i]);
    tap_ok(fabs(prob_of(&f.d, 0) - exp(y[0]) / s) < 1e-14 && f.d.br[0].t == 0.5,
           "temperature 0.5 then presence 1: softmax(x / 0.5) with token 0's 4 -> 3");
    p = with(p, PARAM_TEMPERATURE, 0);
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.kept == 1 && prob_of(&f.d, 0) == 1 && f.d.vocab == &f.v,
           "T = 0 before penalties: greedy picks the top token of the logits as they were");
    fixture_free(&f);
}

/* ---- DRY by hand ---- */

static void test_dry_edges(void)
{
    /* tokens x : b c y z, equal logits: y's penalty shows the repeat length DRY saw */
    static const char *const names[] = {"x", ":", "b", "c", "y", "z"};
    static const double l[6] = {0};
    struct fixture f;
    fixture_named(&f, l, 6, names);
    struct params p = with(with(with(only(SAMPLER_DRY), PARAM_DRY_MULTIPLIER, 1),
                                PARAM_DRY_BASE, 2),
                           PARAM_DRY_ALLOWED_LENGTH, 2);
    uint32_t t[] = {0, 1, 2, 3, 4, 0, 1, 2, 3};
    struct history h = tokens_of(t, 9);
    engine_apply_history(&f.d, &p, &h); /* default breakers: ":" among them */
    double s = 5 + exp(-1);
    tap_ok(fabs(prob_of(&f.d, 4) - exp(-1) / s) < 1e-15,
           "x : b c repeats, but the breaker ':' limits it to b c: y loses 1 * 2^(2 - 2)");
    struct params q = no_breakers(p);
    engine_apply_history(&f.d, &q, &h);
    s = 5 + exp(-4);
    tap_ok(fabs(prob_of(&f.d, 4) - exp(-4) / s) < 1e-15,
           "no breakers: the whole x : b c counts, y loses 2^(4 - 2)");
    /* allowed length boundaries: a repeat of exactly `allowed` costs multiplier, one less
     * costs nothing */
    q = with(q, PARAM_DRY_ALLOWED_LENGTH, 4);
    engine_apply_history(&f.d, &q, &h);
    tap_ok(fabs(prob_of(&f.d, 4) - exp(-1) / (5 + exp(-1))) < 1e-15,
           "allowed 4, repeat 4: y loses exactly the multiplier");
    q = with(q, PARAM_DRY_ALLOWED_LENGTH, 5);
    engine_apply_history(&f.d, &q, &h);
    tap_ok(f.d.vocab == &f.v, "allowed 5, repeat 4: nothing changes");
    /* the window: last_n 5 sees c y x : b c (from position 4 on) */
    q = with(with(q, PARAM_DRY_ALLOWED_LENGTH, 1), PARAM_DRY_PENALTY_LAST_N, 4);
    engine_apply_history(&f.d, &q, &h);
    tap_ok(f.d.vocab == &f.v, "last_n 4 (x : b c): no repeat inside the window");
    q = with(q, PARAM_DRY_PENALTY_LAST_N, 6);
    engine_apply_history(&f.d, &q, &h);
    tap_ok(fabs(prob_of(&f.d, 4) - exp(-1) / (5 + exp(-1))) < 1e-15,
           "last_n 6 (c y x : b c): c repeats once, y loses 2^(1 - 1)");
    /* a breaker token is not penalised even when it extends a repeat */
    uint32_t t2[] = {2, 1, 2};
    h = tokens_of(t2, 3);
    p = with(p, PARAM_DRY_ALLOWED_LENGTH, 1);
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.vocab == &f.v && prob_of(&f.d, 1) == 1.0 / 6,
           "b : b: ':' would extend b but is a breaker: never penalised");
    fixture_free(&f);

    /* absent tokens: they match each other by text, and are never penalised */
    static const char *const n2[] = {"a", "b", "c"};
    fixture_named(&f, (double[]){0, 0, 0}, 3, n2);
    uint32_t t3[] = {HISTORY_ABSENT, 1, HISTORY_ABSENT, HISTORY_ABSENT, 1};
    const char *txt[] = {"q", "b", "r", "q", "b"};
    size_t len[] = {1, 1, 1, 1, 1};
    h = (struct history){t3, 5, txt, len, NAN};
    p = no_breakers(with(with(with(only(SAMPLER_DRY), PARAM_DRY_MULTIPLIER, 1), PARAM_DRY_BASE,
                              2),
                         PARAM_DRY_ALLOWED_LENGTH, 2));
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.vocab == &f.v, "q b r q b: the token after the repeat (r) is absent: nothing");
    uint32_t t4[] = {HISTORY_ABSENT, 1, 2, HISTORY_ABSENT, 1};
    const char *txt4[] = {"q", "b", "c", "q", "b"};
    h = (struct history){t4, 5, txt4, len, NAN};
    engine_apply_history(&f.d, &p, &h);
    tap_ok(fabs(prob_of(&f.d, 2) - exp(-1) / (2 + exp(-1))) < 1e-15,
           "q b c q b with q absent: q matches q by its text, c loses 1");
    h.text = NULL;
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.vocab == &f.v, "without text an absent token matches nothing: b alone is short");
    fixture_free(&f);

    /* a breaker across two tokens: "ab" in "xa" + "by" */
    static const char *const n3[] = {"xa", "by", "c", "d"};
    fixture_named(&f, (double[]){0, 0, 0, 0}, 4, n3);
    p = with(p, PARAM_DRY_ALLOWED_LENGTH, 1);
    dry_breakers_add(&p.breakers, "ab", 2, NULL);
    uint32_t t5[] = {2, 3, 0, 1, 2, 3};
    h = tokens_of(t5, 6);
    engine_apply_history(&f.d, &p, &h);
    tap_ok(fabs(prob_of(&f.d, 0) - exp(-2) / (3 + exp(-2))) < 1e-15,
           "c d xa by c d with breaker \"ab\": the repeat c d stops at it, xa loses 2^(2 - 1)");
    uint32_t t6[] = {1, 2, 3, 0, 1, 2, 3};
    h = tokens_of(t6, 7);
    engine_apply_history(&f.d, &p, &h);
    tap_ok(fabs(prob_of(&f.d, 0) - exp(-2) / (3 + exp(-2))) < 1e-15,
           "by c d xa by c d: the breaker across xa by limits the repeat to c d");
    p = no_breakers(p);
    engine_apply_history(&f.d, &p, &h);
    tap_ok(fabs(prob_of(&f.d, 0) - exp(-4) / (3 + exp(-4))) < 1e-15,
           "without it by c d repeats: xa loses 2^(3 - 1)");
    fixture_free(&f);
}

/* ---- the re-sorted copy follows what changed, and only that ---- */

static void test_copy(void)
{
    enum { N = 300 };
    double l[N];
    for (int i = 0; i < N; i++)
        l[i] = sin(i * 0.7) * 3;
    struct fixture f, g;
    fixture_make(&f, l, N);
    fixture_make(&g, l, N);
    struct params p = params_default();
    struct ls_error err;
    chain_parse_names("penalties;dry;top_k;top_p;temperature", &p.chain, &err);
    p = with(with(with(with(p, PARAM_REPEAT_PENALTY, 1.5), PARAM_DRY_MULTIPLIER, 0.8),
                  PARAM_TOP_P, 0.9),
             PARAM_TEMPERATURE, 0.7);
    uint32_t t[40];
    for (int i = 0; i < 40; i++)
        t[i] = (uint32_t)((i * 37) % 11 * 13);
    int ok = 1;
    for (int step = 0; step < 40 && ok; step++) {
        struct history h = tokens_of(t, (size_t)step);
        struct params q = with(p, PARAM_TOP_P, step % 3 ? 0.9 : 0.95);
        if (step % 5 == 4) /* now and then without history: back to the vocabulary itself */
            engine_apply(&f.d, &q);
        else
            engine_apply_history(&f.d, &q, &h);
        dist_free(&g.d);
        dist_init(&g.d, &g.v);
        if (step % 5 == 4)
            engine_apply(&g.d, &q);
        else
            engine_apply_history(&g.d, &q, &h);
        for (size_t r = 0; r < N && ok; r++)
            ok = f.d.vocab->order[r] == g.d.vocab->order[r] &&
                 dist_prob_rank(&f.d, r) == dist_prob_rank(&g.d, r);
        ok = ok && f.d.entropy_bits == g.d.entropy_bits;
    }
    tap_ok(ok, "40 steps of a growing history, other sliders moving, history on and off: "
               "the same bits as a fresh dist each time");
    /* the entropy of the copy is that of the changed logits */
    struct history h = tokens_of(t, 40);
    engine_apply_history(&f.d, &p, &h);
    double changed[N];
    memcpy(changed, l, sizeof changed);
    struct fixture c;
    for (size_t r = 0; r < N; r++)
        changed[f.d.vocab->order[r]] = f.d.vocab->sorted[r];
    fixture_make(&c, changed, N);
    struct params plain = p;
    chain_parse_names("top_k;top_p;temperature", &plain.chain, &err);
    plain = with(with(plain, PARAM_REPEAT_PENALTY, 1), PARAM_DRY_MULTIPLIER, 0);
    engine_apply(&c.d, &plain);
    tap_ok(c.d.kept == f.d.kept && fabs(c.d.entropy_bits - f.d.entropy_bits) < 1e-12,
           "the same chain without penalties and DRY on the changed logits gives the same dist");
    fixture_free(&c);
    fixture_free(&f);
    fixture_free(&g);
}

/* The copy's rank order is vocab_sort's for the changed logits, ties (with -0.0 == 0.0)
 * in file order, -inf last. */
static void test_copy_ties(void)
{
    static const double l[] = {1, 2, 0.5, 2, 1, -0.0, 0.0, 1, -INFINITY, 2, 0.5, 3, -1, 1};
    enum { N = sizeof l / sizeof *l };
    struct fixture f, g;
    fixture_make(&f, l, N);
    struct params p = with(with(only(SAMPLER_PENALTIES), PARAM_REPEAT_PENALTY, 2),
                           PARAM_PRESENCE_PENALTY, 0);
    int ok = 1;
    uint32_t hist[][4] = {{1, 3, 11, 8}, {9, 3, 12, 2}, {13, 0, 7, 4}, {11, 11, 5, 6}};
    for (int c = 0; c < 4 && ok; c++) {
        for (int pres = 0; pres < 3 && ok; pres++) {
            p = with(p, PARAM_PRESENCE_PENALTY, pres * 0.5);
            struct history h = tokens_of(hist[c], 4);
            engine_apply_history(&f.d, &p, &h);
            double changed[N];
            for (size_t r = 0; r < N; r++)
                changed[f.d.vocab->order[r]] = f.d.vocab->sorted[r];
            fixture_make(&g, changed, N);
            ok = f.d.vocab->n_finite == g.v.n_finite;
            for (size_t r = 0; r < N && ok; r++)
                ok = f.d.vocab->order[r] == g.v.order[r] &&
                     f.d.vocab->sorted[r] == g.v.sorted[r]; /* -0.0 == 0.0: they tie */
            if (!ok)
                printf("# history %d, presence %g\n", c, pres * 0.5);
            fixture_free(&g);
        }
    }
    tap_ok(ok, "the changed copy ranks as a full sort of its logits would, ties in file order");
    fixture_free(&f);

    /* thousands of changed tokens (the radix sort's path), among many ties */
    enum { M = 12000, H = 5000 };
    static double big[M], changed[M];
    static uint32_t t[H];
    for (int i = 0; i < M; i++)
        big[i] = (i * 7919) % 13 - 6.0 + (i % 5 == 0 ? -0.0 : 0.0);
    for (int i = 0; i < H; i++)
        t[i] = (uint32_t)((i * 2 + 1) % M);
    fixture_make(&f, big, M);
    p = with(with(only(SAMPLER_PENALTIES), PARAM_REPEAT_PENALTY, 2), PARAM_REPEAT_LAST_N, -1);
    struct history h = tokens_of(t, H);
    engine_apply_history(&f.d, &p, &h);
    for (size_t r = 0; r < M; r++)
        changed[f.d.vocab->order[r]] = f.d.vocab->sorted[r];
    fixture_make(&g, changed, M);
    ok = 1;
    for (size_t r = 0; r < M && ok; r++)
        ok = f.d.vocab->order[r] == g.v.order[r] && f.d.vocab->sorted[r] == g.v.sorted[r];
    tap_ok(ok && big[1] < 0 && changed[1] == big[1] * 2 && changed[2] == big[2],
           "5000 changed tokens of 12000: the same order as a full sort");
    fixture_free(&g);
    fixture_free(&f);
}

/* ---- mirostat ---- */

static void test_mirostat(void)
{
    /* p = 0.5, 0.25, 0.125, 0.0625, 0.0625: surprises 1, 2, 3, 4, 4 bits */
    static const double pr[] = {0.5, 0.25, 0.125, 0.0625, 0.0625};
    struct fixture f;
    fixture_probs(&f, pr, 5, NULL);
    struct params p = with(with(with(only(SAMPLER_MIROSTAT), PARAM_MIROSTAT, 2),
                                PARAM_MIROSTAT_ENT, 1.25),
                           PARAM_MIROSTAT_LR, 0.5);
    engine_apply(&f.d, &p);
    tap_ok(f.d.mirostat_mu == 2.5 && f.d.kept == 2,
           "v2 starts at mu = 2 tau = 2.5: surprise <= 2.5 keeps 0.5 and 0.25");
    struct history h = tokens_of(NULL, 0);
    h.mirostat_mu = 3.0;
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.kept == 3, "mu 3: surprise 3 is kept (the slack side)");
    /* a fixed sequence of chosen tokens, by hand: mu 2.5 keeps 1/2, 1/4 (renormalised 2/3,
     * 1/3), and so does mu 2.83; mu 3.17 keeps three (4/7, 2/7, 1/7) */
    double mu1 = 2.5 - 0.5 * (log2(1.5) - 1.25), mu2 = mu1 - 0.5 * (log2(1.5) - 1.25);
    double mu3 = mu2 - 0.5 * (log2(1.75) - 1.25), got[3];
    h.mirostat_mu = NAN;
    for (int step = 0; step < 3; step++) {
        engine_apply_history(&f.d, &p, &h);
        h.mirostat_mu = got[step] = mirostat_update(&f.d, 0);
    }
    tap_ok(fabs(got[0] - mu1) < 1e-15 && fabs(got[1] - mu2) < 1e-15 && fabs(got[2] - mu3) < 1e-15,
           "the top token chosen three times: mu 2.5 -> %.4f -> %.4f -> %.4f", got[0], got[1],
           got[2]);
    /* longer: rank 0 six times, then rank 1 */
    double mu = NAN, want = 2.5;
    int ok = 1;
    for (int step = 0; step < 12; step++) {
        h.mirostat_mu = mu;
        engine_apply_history(&f.d, &p, &h);
        size_t r = step < 6 ? 0 : 1;
        double q = dist_prob_rank(&f.d, r);
        want = want - 0.5 * (-log2(q) - 1.25);
        mu = mirostat_update(&f.d, r);
        ok = ok && fabs(mu - want) < 1e-15;
        if (!ok)
            printf("# step %d: mu %.17g want %.17g (kept %zu)\n", step, mu, want, f.d.kept);
    }
    tap_ok(ok, "mu - eta (surprise - tau) with the surprise in the distribution drawn from, "
               "over twelve chosen tokens");
    h.mirostat_mu = -3;
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.kept == 1 && dist_prob_rank(&f.d, 0) == 1, "mu below every surprise: one kept");
    h.mirostat_mu = 100;
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.kept == 5, "mu 100: everything kept");
    p = with(p, PARAM_MIROSTAT, 0);
    engine_apply_history(&f.d, &p, &h);
    tap_ok(f.d.kept == 5 && mirostat_update(&f.d, 0) == 100, "version 0 is off: mu stays");
    fixture_free(&f);

    /* version 1: s_hat from p_i / p_(i+1) = 2 for every pair: exactly 1 over the first
     * pairs, then ln 1 = 0 for the tie; k from llama.cpp's formula */
    fixture_probs(&f, pr, 5, NULL);
    p = with(with(with(only(SAMPLER_MIROSTAT), PARAM_MIROSTAT, 1), PARAM_MIROSTAT_ENT, 1),
             PARAM_MIROSTAT_LR, 0.1);
    engine_apply(&f.d, &p);
    double tb = 0, tt = 0;
    for (int i = 0; i < 4; i++) {
        double ti = log((i + 2.0) / (i + 1.0)), bi = i < 3 ? log(2.0) : 0;
        tb += ti * bi;
        tt += ti * ti;
    }
    double sh = tb / tt, e = sh - 1, k = pow(e * exp2(2.0) / (1 - pow(5.0, -e)), 1 / sh);
    TAP_EQ_INT(f.d.kept, k < 1 ? 1 : k > 5 ? 5 : (long long)k,
               "v1 keeps the top k for k = (e 2^mu / (1 - V^-e))^(1 / s_hat)");
    fixture_free(&f);

    /* the loop: drawing with the engine, the text's surprise settles at tau */
    enum { N = 2000 };
    double l[N];
    for (int i = 0; i < N; i++)
        l[i] = -1.1 * log(i + 1.0); /* Zipf */
    fixture_make(&f, l, N);
    p = with(with(with(only(SAMPLER_MIROSTAT), PARAM_MIROSTAT, 2), PARAM_MIROSTAT_ENT, 4),
             PARAM_MIROSTAT_LR, 0.1);
    struct rng g;
    rng_seed(&g, 7);
    h.mirostat_mu = NAN;
    double sum = 0;
    for (int step = 0; step < 3000; step++) {
        engine_apply_history(&f.d, &p, &h);
        size_t r = engine_draw_one(&f.d, &g);
        if (step >= 1000)
            sum += -log2(dist_prob_rank(&f.d, r));
        h.mirostat_mu = mirostat_update(&f.d, r);
    }
    TAP_NEAR(sum / 2000, 4.0, 0.02, "v2 drawing 3000 tokens (seed 7): the mean surprise of the "
                                   "last 2000 is tau = 4 bits");
    fixture_free(&f);
}

/* ---- history_parse ---- */

static void test_parse(void)
{
    static const char *const names[] = {"the", " cat", "sat", "a\tb"};
    struct fixture f;
    fixture_named(&f, (double[]){1, 2, 3, 4}, 4, names);
    struct history_text t;
    struct ls_error err;
    tap_ok(history_parse(&t, &f.v, "the \\x20cat  dog a\\tb", &err) == 0 && t.h.n == 4 &&
               t.h.tokens[0] == 0 && t.h.tokens[1] == 1 && t.h.tokens[2] == HISTORY_ABSENT &&
               t.h.tokens[3] == 3 && t.h.text_len[2] == 3 && memcmp(t.h.text[2], "dog", 3) == 0 &&
               isnan(t.h.mirostat_mu),
           "tokens by their text, TSV escapes, an unknown one absent with its text");
    history_text_free(&t);
    tap_ok(history_parse(&t, &f.v, "the \\q", &err) < 0 && strstr(err.msg, "token 2"),
           "a bad escape: %s", err.msg);
    tap_ok(history_parse(&t, &f.v, "   ", &err) == 0 && t.h.n == 0, "only spaces: empty");
    history_text_free(&t);
    fixture_free(&f);
    fixture_make(&f, (double[]){1, 2, 3}, 3);
    tap_ok(history_parse(&t, &f.v, "#2 #0 #3 x", &err) == 0 && t.h.tokens[0] == 2 &&
               t.h.tokens[1] == 0 && t.h.tokens[2] == HISTORY_ABSENT &&
               t.h.tokens[3] == HISTORY_ABSENT,
           "no names: #INDEX");
    history_text_free(&t);
    fixture_free(&f);
}

/* ---- the chain's order, and DRY's breakers as settings ---- */

static void test_chain_rules(void)
{
    struct chain c;
    struct ls_error err;
    tap_ok(chain_parse_names("temperature;penalties;dry;top_k", &c, &err) == 0,
           "temperature, penalties, dry, then the cuts");
    tap_ok(chain_parse_names("top_k;dry", &c, &err) < 0 &&
               strstr(err.msg, "dry changes logits") && strstr(err.msg, "\"dry;top_k\""),
           "dry after top_k: %s", err.msg);
    tap_ok(chain_parse_letters("edkt", &c, &err) == 0 && c.stage[0] == SAMPLER_PENALTIES &&
               c.stage[1] == SAMPLER_DRY,
           "llama.cpp's letters e (penalties) and d (dry)");
    tap_ok(chain_parse_names("top_k;mirostat;temperature", &c, &err) == 0,
           "mirostat is a filter: anywhere");
    struct params p = params_default();
    p.chain.stage[0] = SAMPLER_XTC;
    p.chain.stage[1] = SAMPLER_PENALTIES;
    p.chain.n = 2;
    tap_ok(params_check(&p, &err) < 0 && strstr(err.msg, "penalties changes logits"),
           "params_check refuses it too");
    struct dry_breakers b = dry_breakers_default(), back;
    char buf[300];
    dry_breakers_format(&b, buf, sizeof buf);
    TAP_EQ_STR(buf, "\\n;:;\";*", "llama.cpp's default breakers, as the CSV writes them");
    tap_ok(dry_breakers_parse(buf, strlen(buf), &back, &err) == 0 &&
               memcmp(&back, &b, sizeof b) == 0,
           "read back the same");
    memset(&b, 0, sizeof b);
    dry_breakers_add(&b, "a;b", 3, NULL);
    dry_breakers_add(&b, "none", 4, NULL);
    dry_breakers_add(&b, "\t\\", 2, NULL);
    dry_breakers_format(&b, buf, sizeof buf);
    TAP_EQ_STR(buf, "a\\x3bb;\\x6eone;\\t\\\\", "';', a breaker spelled none, tab and backslash");
    tap_ok(dry_breakers_parse(buf, strlen(buf), &back, &err) == 0 &&
               memcmp(&back, &b, sizeof b) == 0,
           "read back the same");
    memset(&b, 0, sizeof b);
    dry_breakers_format(&b, buf, sizeof buf);
    TAP_EQ_STR(buf, "none", "no breakers: none");
    char out[64];
    const char *esc = "\\n\\r\\t\\'\\\"\\\\\\x41\\q\\x4";
    size_t n = dry_breaker_unescape(esc, strlen(esc), out);
    tap_ok(n == 12 && memcmp(out, "\n\r\t'\"\\A\\q\\x4", 12) == 0,
           "llama.cpp's escapes; \\q and a short \\x stay as written");
    dry_breakers_add(&b, "0123456789012345678901234567890123456789XYZ", 43, NULL);
    size_t len;
    dry_breaker(&b, 0, &len);
    TAP_EQ_INT(len, DRY_BREAKER_MAX, "a breaker is cut to 40 bytes, as llama.cpp cuts it");
    tap_ok(dry_breakers_add(&b, "a\0b", 3, &err) < 0, "a NUL inside: %s", err.msg);
}

int main(void)
{
    test_llama_penalties();
    test_llama_dry();
    test_penalties_edges();
    test_dry_edges();
    test_copy();
    test_copy_ties();
    test_mirostat();
    test_parse();
    test_chain_rules();
    return tap_done();
}
