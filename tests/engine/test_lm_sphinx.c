/* test_lm_sphinx.c: the loader against its reference, CMU sphinxbase (libsphinxbase-dev,
 * linked into this test only). For the Debian model en-us.lm.bin (pocketsphinx-en-us) and for
 * the fixture's small ARPA models, as ARPA and as tries written by sphinxbase and by the
 * fixture, every word's ln P(word | context) must be what ngram_ng_prob returns, up to its
 * rounding: sphinxbase sums float32 values in units of ln(1.0001) and truncates toward zero,
 * so ours, in those units, must lie in (ref - 1, ref]. Without sphinxbase at configure time,
 * or without the model, the test says SKIP and why. */
#include <stdio.h>

#if !LM_HAVE_SPHINXBASE

int main(void)
{
    printf("1..0 # SKIP sphinxbase (Debian: libsphinxbase-dev) was not found when the build was "
           "configured\n");
    return 0;
}

#else

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lm_fixture.h"
#include "logitscope/lm.h"
#include "tap.h"

#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

#ifndef LM_EN_US
#define LM_EN_US "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"
#endif

struct oracle {
    const char *name;
    struct lm *lm;
    ngram_model_t *ref;
    int32 *ref_id; /* our id -> sphinxbase's */
    double unit;   /* ln(1.0001) */
    double *lp;
    size_t checked, bad;
};

static logmath_t *lmath;

static ngram_model_t *ref_read(const char *path, ngram_file_type_t type)
{
    ngram_model_t *m = ngram_model_read(NULL, path, type, lmath);

    if (!m)
        printf("# sphinxbase cannot read %s\n", path);
    return m;
}

static bool oracle_open(struct oracle *o, const char *name, const char *ours, const char *theirs,
                        ngram_file_type_t type)
{
    struct ls_error err = {{0}};

    memset(o, 0, sizeof *o);
    o->name = name;
    o->unit = log(1.0001);
    if (lm_load(&o->lm, ours, &err) != 0) {
        printf("# %s\n", err.msg);
        tap_ok(0, "%s: logitscope loads it", name);
        return false;
    }
    if (!(o->ref = ref_read(theirs, type))) {
        tap_ok(0, "%s: sphinxbase loads it", name);
        lm_free(o->lm);
        return false;
    }
    size_t V = lm_size(o->lm), same = 0;
    o->ref_id = malloc(V * sizeof *o->ref_id);
    o->lp = malloc(V * sizeof *o->lp);
    for (size_t i = 0; i < V; i++) {
        o->ref_id[i] = ngram_wid(o->ref, lm_word(o->lm, (uint32_t)i, NULL));
        same += o->ref_id[i] == (int32)i;
    }
    TAP_EQ_INT(ngram_model_get_counts(o->ref)[0], V, "%s: the same number of words", name);
    TAP_EQ_INT(same, V, "%s: every word has the same id in both", name);
    return true;
}

static void oracle_close(struct oracle *o)
{
    if (o->ref)
        ngram_model_free(o->ref);
    lm_free(o->lm);
    free(o->ref_id);
    free(o->lp);
}

/* Compares the column after ctx for the words ws[0..nw) (all words when ws is NULL). */
static void compare(struct oracle *o, const uint32_t *ctx, size_t n, const uint32_t *ws,
                    size_t nw)
{
    int32 hist[8];
    int32 n_hist = 0, used;
    uint32_t bos = lm_bos(o->lm), unk = lm_unk(o->lm);
    size_t V = lm_size(o->lm);

    lm_next(o->lm, ctx, n, o->lp);
    for (size_t j = 0; j < n && n_hist < 8; j++) /* sphinxbase wants the newest first */
        hist[n_hist++] = ctx[n - 1 - j] < V ? o->ref_id[ctx[n - 1 - j]] : NGRAM_INVALID_WID;
    if (!ws)
        nw = V;
    for (size_t i = 0; i < nw; i++) {
        uint32_t w = ws ? ws[i] : (uint32_t)i;
        double mine = o->lp[w];
        bool ok;
        int32 ref = 0;
        if (w == bos || w == unk) {
            ok = isinf(mine) && mine < 0;
        } else {
            ref = ngram_ng_prob(o->ref, o->ref_id[w], hist, n_hist, &used);
            double d = mine / o->unit - ref, tol = 1e-6 * fabs((double)ref) + 0.01;
            ok = d > -1 - tol && d < tol;
        }
        o->checked++;
        if (!ok && o->bad++ < 5) {
            printf("# %s: context", o->name);
            for (size_t j = 0; j < n; j++)
                printf(" %s", ctx[j] < V ? lm_word(o->lm, ctx[j], NULL) : "(none)");
            printf(", word %s: ours %.4f, sphinxbase %d (units of ln 1.0001)\n",
                   lm_word(o->lm, w, NULL), mine / o->unit, ref);
        }
    }
}

static void oracle_report(struct oracle *o, const char *what)
{
    tap_ok(o->bad == 0 && o->checked > 0, "%s: %s: %zu probabilities, %zu differ", o->name, what,
           o->checked, o->bad);
    o->checked = o->bad = 0;
}

/* Every context of up to `len` words over a small vocabulary (and one word it lacks), every
 * word. */
static void compare_all(struct oracle *o, size_t len)
{
    uint32_t V = (uint32_t)lm_size(o->lm), ctx[4];

    for (size_t n = 0; n <= len; n++) {
        size_t combos = 1;
        for (size_t j = 0; j < n; j++)
            combos *= V + 1;
        for (size_t c = 0; c < combos; c++) {
            size_t x = c;
            for (size_t j = 0; j < n; j++, x /= V + 1)
                ctx[j] = x % (V + 1) == V ? LM_NO_WORD : (uint32_t)(x % (V + 1));
            compare(o, ctx, n, NULL, 0);
        }
    }
    oracle_report(o, "every context and word");
}

static void test_small_models(void)
{
    struct oracle o;
    const char *small = tmp_text("small.arpa", fx_small_arpa);
    const char *prefix = tmp_text("prefix.arpa", fx_prefix_arpa);

    if (oracle_open(&o, "small.arpa", small, small, NGRAM_ARPA)) {
        compare_all(&o, 3);
        /* sphinxbase's own binary trie of the same model, read by us. */
        const char *bin = tmp_path("small-sphinx.lm.bin");
        tap_ok(ngram_model_write(o.ref, bin, NGRAM_BIN) == 0, "sphinxbase writes small.arpa as a trie");
        oracle_close(&o);
        if (oracle_open(&o, "small-sphinx.lm.bin", bin, small, NGRAM_ARPA)) {
            compare_all(&o, 3);
            oracle_close(&o);
        }
    }
    if (oracle_open(&o, "prefix.arpa", prefix, prefix, NGRAM_ARPA)) {
        compare_all(&o, 3);
        /* Its trie lacks the context "c a": our reader rebuilds it the slow way. */
        const char *bin = tmp_path("prefix-sphinx.lm.bin");
        tap_ok(ngram_model_write(o.ref, bin, NGRAM_BIN) == 0, "sphinxbase writes prefix.arpa as a trie");
        oracle_close(&o);
        if (oracle_open(&o, "prefix-sphinx.lm.bin", bin, prefix, NGRAM_ARPA)) {
            compare_all(&o, 3);
            oracle_close(&o);
        }
    }
    /* The fixture's own trie writer, read by sphinxbase and by us. */
    static const char *const words[] = {"</s>", "<s>", "a", "b", "c", "<unk>"};
    static const double up[] = {-1.0, -99, -0.8, -0.9, -1.2, -2.0}, ub[] = {0, -0.5, -0.3, -0.2,
                                                                              -0.4, 0};
    static const struct fx_ngram big[] = {{{1, 2, 0}, -0.2, -0.1}, {{2, 3, 0}, -0.4, -0.25},
                                          {{2, 4, 0}, -0.3, 0},    {{3, 0, 0}, -0.6, 0},
                                          {{3, 2, 0}, -0.5, -0.15}};
    static const struct fx_ngram tri[] = {{{1, 2, 3}, -0.05, 0}, {{2, 3, 0}, -0.1, 0},
                                          {{3, 2, 4}, -0.2, 0}};
    struct fx_bytes t = fx_trie(words, 6, up, ub, big, 5, tri, 3);
    const char *mine = tmp_write("small-fixture.lm.bin", t.b, t.n);
    free(t.b);
    if (oracle_open(&o, "small-fixture.lm.bin", mine, mine, NGRAM_BIN)) {
        compare_all(&o, 3);
        oracle_close(&o);
    }
    /* Out of order: both must leave out the same 3-gram. */
    t = fx_shuffled_trie();
    const char *shuffled = tmp_write("shuffled.lm.bin", t.b, t.n);
    free(t.b);
    if (oracle_open(&o, "shuffled.lm.bin", shuffled, shuffled, NGRAM_BIN)) {
        compare_all(&o, 3);
        oracle_close(&o);
    }
}

/* A small deterministic generator (the test must not depend on libc's rand). */
static uint64_t lcg_state = 0x853c49e6748fea9bu;

static uint32_t lcg(uint32_t n)
{
    lcg_state = lcg_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)((lcg_state >> 33) % n);
}

/* A word drawn from the column, so the next context is one the model knows. */
static uint32_t draw(const double *lp, size_t V)
{
    double u = (double)lcg(1u << 30) / (double)(1u << 30), c = 0;

    for (size_t w = 0; w < V; w++) {
        c += exp(lp[w]);
        if (c > u)
            return (uint32_t)w;
    }
    return (uint32_t)(V - 1);
}

/* The 40 likeliest words of the column (the model's own n-grams, mostly) and 360 others. */
static size_t sample_words(const double *lp, size_t V, uint32_t *ws)
{
    size_t n = 0;
    uint32_t top[40];
    size_t nt = 0;

    for (uint32_t w = 0; w < V; w++) { /* a running top 40 by insertion */
        if (!isfinite(lp[w]))
            continue;
        if (nt < 40 || lp[w] > lp[top[nt - 1]]) {
            size_t j = nt < 40 ? nt++ : 39;
            while (j > 0 && lp[top[j - 1]] < lp[w]) {
                top[j] = top[j - 1];
                j--;
            }
            top[j] = w;
        }
    }
    for (size_t i = 0; i < nt; i++)
        ws[n++] = top[i];
    while (n < 400)
        ws[n++] = lcg((uint32_t)V);
    return n;
}

static void test_en_us(void)
{
    struct oracle o;
    FILE *f = fopen(LM_EN_US, "rb");

    if (!f) {
        printf("ok %d # SKIP %s is missing (Debian package pocketsphinx-en-us)\n", ++tap_count,
               LM_EN_US);
        return;
    }
    fclose(f);
    if (!oracle_open(&o, "en-us.lm.bin", LM_EN_US, LM_EN_US, NGRAM_BIN))
        return;
    size_t V = lm_size(o.lm);
    TAP_EQ_INT(V, 72547, "en-us.lm.bin has 72,547 words");
    TAP_EQ_INT(lm_order(o.lm), 3, "and is a trigram model");
    TAP_EQ_INT(lm_unk(o.lm), LM_NO_WORD, "it has no <unk>");

    /* Whole columns. "whips and": the file lists the 3-gram "whips and bullhorns" out of
     * order, so sphinxbase never finds it; "teased and" is its neighbour that it does find. */
    static const char *const full[] = {
        "",          "<s>",         "the",           "of the",     "<s> the",
        "i want to", "? the",       "the ?",         "zyuganov zydeco", "whips and",
        "teased and", "</s>",       "<s> <s>",       "the the",
    };
    for (size_t i = 0; i < sizeof full / sizeof *full; i++) {
        uint32_t ctx[4];
        size_t n = 0;
        char buf[64], *save = NULL;
        snprintf(buf, sizeof buf, "%s", full[i]);
        for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
            if (strcmp(w, "?") == 0 || !lm_find(o.lm, w, strlen(w), &ctx[n]))
                ctx[n++] = LM_NO_WORD;
            else
                n++;
        compare(&o, ctx, n, NULL, 0);
        char what[96];
        snprintf(what, sizeof what, "every word after \"%s\"", full[i]);
        oracle_report(&o, what);
    }

    /* 300 more contexts, 400 words each: single words; pairs the model continues (its
     * trigram contexts); pairs at random (mostly backed off); and triples cut by a word the
     * model does not know. */
    uint32_t *ws = malloc(400 * sizeof *ws);
    for (int kind = 0; kind < 4; kind++) {
        for (int i = 0; i < 75; i++) {
            uint32_t ctx[3];
            size_t n;
            if (kind == 0) {
                ctx[0] = lcg((uint32_t)V);
                n = 1;
            } else if (kind == 1) {
                ctx[0] = lcg((uint32_t)V);
                lm_next(o.lm, ctx, 1, o.lp);
                ctx[1] = draw(o.lp, V);
                n = 2;
            } else if (kind == 2) {
                ctx[0] = lcg((uint32_t)V);
                ctx[1] = lcg((uint32_t)V);
                n = 2;
            } else {
                ctx[0] = lcg((uint32_t)V);
                ctx[1] = LM_NO_WORD;
                ctx[2] = lcg((uint32_t)V);
                n = 3;
            }
            lm_next(o.lm, ctx, n, o.lp);
            size_t nw = sample_words(o.lp, V, ws);
            compare(&o, ctx, n, ws, nw);
        }
        static const char *const kinds[] = {"75 one-word contexts", "75 pairs the model continues",
                                            "75 random pairs", "75 triples cut in the middle"};
        oracle_report(&o, kinds[kind]);
    }
    free(ws);
    oracle_close(&o);
}

int main(void)
{
    err_set_logfp(NULL); /* sphinxbase's chatter would mix with TAP */
    lmath = logmath_init(1.0001, 0, 0);
    tmp_dir_make("lm-sphinx");
    test_small_models();
    test_en_us();
    logmath_free(lmath);
    tmp_dir_remove();
    return tap_done();
}

#endif
