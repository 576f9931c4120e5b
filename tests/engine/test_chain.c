/* test_chain.c: chains of every sampler in every order against the literal long-double
 * reference (chain_ref.h): random inputs, random chains (with random histories for
 * penalties, DRY and mirostat), ranges that start past rank 0 and cross blocks, XTC's
 * mixture, the cache stepping through chains, and the draws of a mixture. */
#include <float.h>
#include <stdlib.h>

#include "chain_ref.h"
#include "logitscope/engine.h"
#include "params_fixture.h"
#include "tap.h"
#include "dist_fixture.h"

/* The rank of file index `index` in what the dist ranks (a re-sorted copy after penalties
 * or DRY). */
static size_t rank_of(const struct fixture *f, size_t index)
{
    size_t r = 0;
    while (r < f->v.n && f->d.vocab->order[r] != index)
        r++;
    return r;
}

static void describe(const struct params *p, char *buf, size_t cap)
{
    char chain[200];
    chain_format(&p->chain, ";", chain, sizeof chain);
    size_t len = (size_t)snprintf(buf, cap, "[%s]", chain);
    for (int i = 0; i < PARAM_COUNT && len < cap; i++) {
        char num[40];
        param_format(p, (enum param_id)i, num, sizeof num);
        len += (size_t)snprintf(buf + len, cap - len, " %s=%s", param_spec((enum param_id)i)->name,
                                num);
    }
}

/* Every probability within 1e-12 relative (and cut exactly where the reference cuts), and
 * the entropy within 1e-12 bits. A temperature that dynatemp computed from an entropy carries
 * that entropy's rounding, which moves p by |ln p| times as much: hence the second term. */
static int agrees_history(struct fixture *f, const double *l, size_t n, const struct params *p,
                          const struct history *hist, const char *const *names,
                          const char *what)
{
    double *want = malloc(n * sizeof *want);
    long double h;
    engine_apply_history(&f->d, p, hist);
    ref_chain_history(l, n, p, hist, names, want, &h);
    int ok = 1;
    char desc[800];
    if (fabs(f->d.entropy_bits - (double)h) > 1e-12 * fmax(1.0, (double)h)) {
        describe(p, desc, sizeof desc);
        printf("# %s: entropy %.17g want %.17g %s\n", what, f->d.entropy_bits, (double)h, desc);
        ok = 0;
    }
    for (size_t i = 0; i < n && ok; i++) {
        size_t r = rank_of(f, i);
        double got = dist_prob_rank(&f->d, r);
        if ((got == 0) != (want[i] == 0) || (dist_is_kept(&f->d, r) != (want[i] > 0) &&
                                             want[i] > DBL_MIN) ||
            fabs(got - want[i]) > (1e-12 + 4e-15 * fabs(log(want[i]))) * want[i] + 1e-300) {
            describe(p, desc, sizeof desc);
            printf("# %s: token %zu (rank %zu) got %.17g want %.17g %s\n", what, i, r, got,
                   want[i], desc);
            ok = 0;
        }
    }
    free(want);
    return ok;
}

static int agrees(struct fixture *f, const double *l, size_t n, const struct params *p,
                  const char *what)
{
    return agrees_history(f, l, n, p, NULL, NULL, what);
}

/* Penalties and DRY before every stage that cuts: moved to the front when they are not. */
static void chain_fix(struct chain *c)
{
    if (chain_check(c, NULL) == 0)
        return;
    struct chain fixed = {0};
    for (int i = 0; i < c->n; i++)
        if (sampler_changes_logits((enum sampler_id)c->stage[i]))
            fixed.stage[fixed.n++] = c->stage[i];
    for (int i = 0; i < c->n; i++)
        if (!sampler_changes_logits((enum sampler_id)c->stage[i]))
            fixed.stage[fixed.n++] = c->stage[i];
    *c = fixed;
}

/* A random chain: each sampler in or out, in a random order, with random parameters that
 * do something about half the time. */
static struct params random_params(void)
{
    struct params p = params_default();
    int ids[SAMPLER_COUNT];
    for (int i = 0; i < SAMPLER_COUNT; i++)
        ids[i] = i;
    for (int i = SAMPLER_COUNT - 1; i > 0; i--) {
        int j = rand() % (i + 1), t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
    }
    p.chain.n = 0;
    for (int i = 0; i < SAMPLER_COUNT; i++)
        if (rand() % 3)
            p.chain.stage[p.chain.n++] = (unsigned char)ids[i];
    if (p.chain.n == 0)
        p.chain.stage[p.chain.n++] = SAMPLER_TEMPERATURE;
    double u = (double)rand() / RAND_MAX;
    static const double temps[] = {0, 0.05, 0.3, 0.7, 1, 1.7, 5};
    params_set(&p, PARAM_TEMPERATURE, temps[rand() % 7]);
    if (rand() % 3 == 0)
        params_set(&p, PARAM_DYNATEMP_RANGE, 0.1 + 2 * u);
    params_set(&p, PARAM_DYNATEMP_EXP, rand() % 2 ? 1.0 : 0.5 + 2 * u);
    p.v[PARAM_TOP_K].whole = rand() % 3 ? 0 : (size_t)(rand() % 70);
    params_set(&p, PARAM_TOP_P, rand() % 2 ? 1.0 : 0.01 + 0.98 * rand() / RAND_MAX);
    params_set(&p, PARAM_MIN_P, rand() % 2 ? 0.0 : 0.3 * rand() / RAND_MAX);
    params_set(&p, PARAM_TYPICAL_P, rand() % 2 ? 1.0 : 0.05 + 0.9 * rand() / RAND_MAX);
    params_set(&p, PARAM_TOP_N_SIGMA, rand() % 2 ? 0.0 : 0.2 + 3.0 * rand() / RAND_MAX);
    params_set(&p, PARAM_XTC_THRESHOLD, 0.6 * rand() / RAND_MAX);
    params_set(&p, PARAM_XTC_PROBABILITY, rand() % 2 ? 0.0 : rand() % 4 ? 0.5 : 1.0);
    params_set(&p, PARAM_EPSILON, rand() % 2 ? 0.0 : 0.05 * rand() / RAND_MAX);
    params_set(&p, PARAM_ETA, rand() % 2 ? 0.0 : 0.05 * rand() / RAND_MAX);
    params_set(&p, PARAM_TOP_A, rand() % 2 ? 0.0 : 0.5 * rand() / RAND_MAX);
    p.v[PARAM_MIN_KEEP].whole = rand() % 3 ? 0 : (size_t)(rand() % 5);
    static const double last_n[] = {-1, 0, 1, 3, 8, 64};
    params_set(&p, PARAM_REPEAT_PENALTY, rand() % 2 ? 1.0 : 0.5 + 1.5 * rand() / RAND_MAX);
    params_set(&p, PARAM_FREQUENCY_PENALTY, rand() % 2 ? 0.0 : 2.0 * rand() / RAND_MAX - 0.5);
    params_set(&p, PARAM_PRESENCE_PENALTY, rand() % 2 ? 0.0 : 2.0 * rand() / RAND_MAX - 0.5);
    params_set(&p, PARAM_REPEAT_LAST_N, last_n[rand() % 6]);
    params_set(&p, PARAM_DRY_MULTIPLIER, rand() % 2 ? 0.0 : 3.0 * rand() / RAND_MAX);
    params_set(&p, PARAM_DRY_BASE, 1 + 2.0 * rand() / RAND_MAX);
    params_set(&p, PARAM_DRY_ALLOWED_LENGTH, rand() % 4);
    params_set(&p, PARAM_DRY_PENALTY_LAST_N, last_n[rand() % 6]);
    params_set(&p, PARAM_MIROSTAT, rand() % 3);
    params_set(&p, PARAM_MIROSTAT_ENT, 8.0 * rand() / RAND_MAX);
    if (rand() % 4 == 0)
        memset(&p.breakers, 0, sizeof p.breakers);
    chain_fix(&p.chain);
    return p;
}

/* 1 to 60 random logits with ties, -inf and wide ranges (one is finite); returns how many. */
static size_t random_logits(double *l)
{
    size_t n = 1 + (size_t)rand() % 60;
    for (size_t i = 0; i < n; i++) {
        int kind = rand() % 10;
        l[i] = kind == 0 ? -INFINITY : kind == 1 ? 1.0 : ((double)rand() / RAND_MAX - 0.5) * 20;
    }
    l[rand() % n] = 2.5;
    return n;
}

/* Random logits through random chains. */
static void test_random_chains(void)
{
    srand(17);
    int bad = 0, runs = 0, forked = 0;
    for (int trial = 0; trial < 2000; trial++) {
        double l[64];
        size_t n = random_logits(l);
        struct fixture f;
        fixture_make(&f, l, n);
        struct params p = random_params();
        runs++;
        bad += !agrees(&f, l, n, &p, "random chain");
        forked += f.d.n_branch == 2;
        fixture_free(&f);
    }
    tap_ok(bad == 0, "%d random chains agree with the reference (%d disagree)", runs, bad);
    tap_ok(forked > 100, "of which %d mixed two XTC branches", forked);
}

/* Random chains with random histories: repeats from a small alphabet, tokens the vocabulary
 * lacks, breaker tokens (":"), and mirostat's mu at its start or anywhere. */
static void test_random_histories(void)
{
    srand(31);
    char names_buf[64][8];
    const char *names[64];
    for (int i = 0; i < 64; i++) {
        snprintf(names_buf[i], sizeof names_buf[i], i % 9 == 4 ? ":" : "t%d", i);
        names[i] = names_buf[i];
    }
    int bad = 0, runs = 0, changed = 0;
    for (int trial = 0; trial < 2000; trial++) {
        double l[64];
        size_t n = random_logits(l);
        struct fixture f;
        fixture_named(&f, l, n, names);
        uint32_t tok[48];
        size_t len = (size_t)rand() % 48, alphabet = 1 + (size_t)rand() % (n < 6 ? n : 6);
        for (size_t i = 0; i < len; i++)
            tok[i] = rand() % 12 == 0 ? HISTORY_ABSENT : (uint32_t)(rand() % alphabet);
        struct history h = {tok, len, NULL, NULL, rand() % 2 ? NAN : 12.0 * rand() / RAND_MAX - 1};
        struct params p = random_params();
        if (rand() % 2) { /* mostly a history sampler in front */
            chain_insert(&p.chain, 0, rand() % 2 ? SAMPLER_PENALTIES : SAMPLER_DRY);
            chain_insert(&p.chain, rand() % (p.chain.n + 1), SAMPLER_MIROSTAT);
            chain_fix(&p.chain);
        }
        runs++;
        bad += !agrees_history(&f, l, n, &p, &h, names, "random history");
        changed += f.d.vocab != &f.v;
        fixture_free(&f);
    }
    tap_ok(bad == 0, "%d random chains with histories agree with the reference (%d disagree)",
           runs, bad);
    tap_ok(changed > 300, "of which %d changed logits", changed);
}

/* Thousands of tokens: the ranges that start past rank 0 (typical-p's band, XTC's fired
 * branch) cut through blocks of 64, so their heads, their block sums and their partial last
 * blocks all take part. */
static void test_big_ranges(void)
{
    enum { N = 5000 };
    static double l[N];
    srand(23);
    for (int i = 0; i < N; i++) {
        double u1 = (rand() + 1.0) / ((double)RAND_MAX + 2), u2 = rand() / (double)RAND_MAX;
        l[i] = 1.5 * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
    }
    for (int i = 0; i < 40; i++)
        l[i * 97] += 4 + 0.1 * i;
    struct fixture f;
    fixture_make(&f, l, N);
    int ok = 1;
    static const double typ[] = {0.2, 0.5, 0.9, 0.99};
    for (int i = 0; i < 4; i++)
        for (int o = 0; o < PRESET_COUNT; o++) {
            struct params p = test_params(0.9, 0, 1, 0, (enum chain_preset)o);
            if (!chain_has(&p.chain, SAMPLER_TYP_P))
                chain_insert(&p.chain, 1, SAMPLER_TYP_P);
            params_set(&p, PARAM_TYPICAL_P, typ[i]);
            ok &= agrees(&f, l, N, &p, "typical band");
        }
    tap_ok(ok, "5000 tokens: typical-p's band over blocks agrees with the reference");
    ok = 1;
    static const double thr[] = {0.0005, 0.001, 0.01, 0.05};
    static const double temps[] = {0.5, 1, 2.5};
    int moved = 0;
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 3; k++) {
            struct params p = test_params(temps[k], 0, 1, 0, PRESET_LLAMA);
            params_set(&p, PARAM_XTC_THRESHOLD, thr[i]);
            params_set(&p, PARAM_XTC_PROBABILITY, 0.5);
            ok &= agrees(&f, l, N, &p, "xtc mixture");
            moved += f.d.n_branch == 2 && f.d.br[1].lo > 64;
            params_set(&p, PARAM_XTC_PROBABILITY, 1.0);
            params_set(&p, PARAM_TOP_P, 0.9);
            ok &= agrees(&f, l, N, &p, "xtc always, then top-p");
        }
    tap_ok(ok, "5000 tokens: XTC's branches, mixed or alone, agree with the reference");
    tap_ok(moved > 0, "and some fired branches start past the first block (%d)", moved);
    ok = 1;
    for (int i = 0; i < 40; i++) {
        struct params p = random_params();
        ok &= agrees(&f, l, N, &p, "big random chain");
    }
    tap_ok(ok, "5000 tokens: 40 random chains agree with the reference");
    fixture_free(&f);
}

/* The running sum of probabilities is dist_cum, in a mixture too. */
static void test_cum_mixture(void)
{
    enum { N = 700 };
    static double l[N];
    for (int i = 0; i < N; i++)
        l[i] = -0.01 * i + (i < 5 ? 3 : 0);
    struct fixture f;
    fixture_make(&f, l, N);
    struct params p = test_params(1, 0, 1, 0, PRESET_LLAMA);
    params_set(&p, PARAM_XTC_THRESHOLD, 0.02);
    params_set(&p, PARAM_XTC_PROBABILITY, 0.3);
    params_set(&p, PARAM_MIN_P, 0.5);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.n_branch, 2, "XTC at 0.3 forks");
    double cum = 0;
    int ok = 1;
    for (size_t r = 0; r < N; r++) {
        cum += dist_prob_rank(&f.d, r);
        ok &= fabs(dist_cum(&f.d, r) - cum) < 1e-13;
    }
    tap_ok(ok, "dist_cum is the running sum of the mixture's probabilities");
    TAP_NEAR(cum, 1, 1e-14, "the mixture sums to 1");
    tap_ok(dist_xtc_removes(&f.d, 0) && !dist_xtc_removes(&f.d, 4) && dist_is_kept(&f.d, 0),
           "rank 0 is kept, but XTC removes it when it fires; rank 4 it keeps");
    TAP_NEAR(dist_prob_rank(&f.d, 0), 0.7 * dist_branch_prob(&f.d, 0, 0), 1e-15,
             "rank 0 has 1 - q of its unfired probability");
    fixture_free(&f);
}

/* One long-lived dist stepped through random chains (reusing its weight sets) gives bit for
 * bit what a fresh dist computes. */
static void test_cache(void)
{
    enum { N = 3000 };
    static double l[N];
    for (int i = 0; i < N; i++)
        l[i] = cos(i * 0.91) * 3 + (i % 211 == 0 ? 5 : 0);
    struct fixture live, fresh;
    fixture_make(&live, l, N);
    fixture_make(&fresh, l, N);
    srand(29);
    int same = 1;
    struct params p = random_params();
    for (int i = 0; i < 300; i++) {
        /* mostly one change at a time, as a person at the sliders makes them */
        struct params q = random_params();
        int which = rand() % (PARAM_COUNT + 1);
        if (which == PARAM_COUNT)
            p.chain = q.chain;
        else
            p.v[which] = q.v[which];
        if (params_check(&p, NULL) < 0)
            continue;
        engine_apply(&live.d, &p);
        dist_invalidate(&fresh.d);
        engine_apply(&fresh.d, &p);
        same &= live.d.kept == fresh.d.kept && live.d.n_branch == fresh.d.n_branch &&
                live.d.entropy_bits == fresh.d.entropy_bits;
        for (size_t r = 0; r < N; r++)
            same &= dist_prob_rank(&live.d, r) == dist_prob_rank(&fresh.d, r) &&
                    dist_cut(&live.d, r) == dist_cut(&fresh.d, r);
        engine_draw(&live.d, 500, 7);
        engine_draw(&fresh.d, 500, 7);
        for (size_t r = 0; r < N; r++)
            same &= dist_count_rank(&live.d, r) == dist_count_rank(&fresh.d, r);
    }
    tap_ok(same, "300 cached steps through random chains equal fresh computations bit for bit");
    fixture_free(&live);
    fixture_free(&fresh);
}

/* Draws of a mixture: each draw flips the coin, so the counts follow the mixture. */
static void test_mixture_draws(void)
{
    const double l[] = {3, 2.9, 1, 0.5, 0, -1};
    struct fixture f;
    fixture_make(&f, l, 6);
    struct params p = test_params(1, 0, 1, 0, PRESET_LLAMA);
    params_set(&p, PARAM_XTC_THRESHOLD, 0.1);
    params_set(&p, PARAM_XTC_PROBABILITY, 0.4);
    engine_apply(&f.d, &p);
    TAP_EQ_INT(f.d.n_branch, 2, "a mixture");
    enum { N = 400000 };
    engine_draw(&f.d, N, 99);
    double worst = 0, total = 0;
    for (size_t r = 0; r < 6; r++) {
        double pr = dist_prob_rank(&f.d, r), c = dist_count_rank(&f.d, r);
        total += c;
        if (pr > 0)
            worst = fmax(worst, fabs(c - N * pr) / sqrt(N * pr * (1 - pr)));
    }
    tap_ok(worst < 5, "mixture draws within 5 sigma of the mixture's probabilities (%.2f)",
           worst);
    TAP_EQ_INT(total, N, "counts add up to N");
    unsigned first[6];
    for (size_t r = 0; r < 6; r++)
        first[r] = dist_count_rank(&f.d, r);
    engine_draw(&f.d, N, 99);
    int same = 1;
    for (size_t r = 0; r < 6; r++)
        same &= first[r] == dist_count_rank(&f.d, r);
    tap_ok(same, "the same seed, the same counts");
    struct rng g;
    rng_seed(&g, 5);
    size_t hits[6] = {0};
    for (int i = 0; i < 60000; i++)
        hits[engine_draw_one(&f.d, &g)]++;
    worst = 0;
    for (size_t r = 0; r < 6; r++) {
        double pr = dist_prob_rank(&f.d, r);
        if (pr > 0)
            worst = fmax(worst, fabs(hits[r] - 60000 * pr) / sqrt(60000 * pr * (1 - pr)));
        else
            worst = hits[r] ? 99 : worst;
    }
    tap_ok(worst < 5, "single draws follow the mixture too (%.2f sigma)", worst);
    fixture_free(&f);

    /* more ranks than an alias table holds: the coin per draw, then each branch's walk */
    enum { V = 6000 };
    static double wide[V];
    for (int i = 0; i < V; i++)
        wide[i] = i < 3 ? 9 - i : -0.0004 * i;
    fixture_make(&f, wide, V);
    params_set(&p, PARAM_XTC_THRESHOLD, 0.01);
    params_set(&p, PARAM_TEMPERATURE, 1);
    engine_apply(&f.d, &p);
    tap_ok(f.d.n_branch == 2 && f.d.kept == V, "a mixture over %d ranks", V);
    engine_draw(&f.d, N, 3);
    double chi = 0;
    size_t bins = 0, drawn = 0;
    double expect = 0, got = 0; /* the tail in chunks of 200 ranks, the head rank by rank */
    for (size_t r = 0; r < V; r++) {
        expect += N * dist_prob_rank(&f.d, r);
        got += dist_count_rank(&f.d, r);
        drawn += dist_count_rank(&f.d, r);
        if (r < 3 || (r + 1) % 200 == 0 || r + 1 == V) {
            chi += (got - expect) * (got - expect) / expect;
            bins++;
            expect = got = 0;
        }
    }
    tap_ok(drawn == N && chi < bins + 6 * sqrt(2.0 * bins),
           "its draws follow the mixture (chi-square %.1f over %zu bins)", chi, bins);
    fixture_free(&f);
}

int main(void)
{
    test_random_chains();
    test_random_histories();
    test_big_ranges();
    test_cum_mixture();
    test_cache();
    test_mixture_draws();
    return tap_done();
}
