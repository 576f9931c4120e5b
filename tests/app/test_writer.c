/* test_writer.c: the writer on the small ARPA models of lm_fixture.h, whose columns are easy
 * to follow: the prompt's words and their lookup, the context (and its restart after </s>),
 * the next-word vocabulary against lm_next, greedy writing against the argmax by hand,
 * draws that depend on the seed and the position alone, taking words back, the history and
 * the text with unknown words marked. Then the same on en-us.lm.bin when it is installed. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/lm_fixture.h"
#include "logitscope/lm.h"
#include "logitscope/text.h"
#include "tap.h"
#include "writer.h"

#define EN_US "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"

static struct lm *load(const char *path)
{
    struct lm *lm = NULL;
    struct ls_error err = {{0}};
    if (lm_load(&lm, path, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    return lm;
}

static uint32_t id_of(const struct lm *lm, const char *w)
{
    uint32_t id = LM_NO_WORD;
    if (!lm_find(lm, w, strlen(w), &id))
        printf("# no word %s\n", w);
    return id;
}

static void init(struct writer *w, const struct lm *lm, uint64_t seed)
{
    struct ls_error err = {{0}};
    if (writer_init(w, lm, seed, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
}

static void prompt(struct writer *w, const char *text)
{
    struct ls_error err = {{0}};
    if (writer_set_prompt(w, text, strlen(text), &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
}

/* The context as words ("<s> a"; "?" for LM_NO_WORD). */
static const char *context_words(const struct writer *w, char *buf, size_t cap)
{
    uint32_t ctx[16];
    size_t n = writer_context(w, ctx, 16), at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && i < 16; i++) {
        const char *word = ctx[i] == LM_NO_WORD ? "?" : lm_word(w->lm, ctx[i], NULL);
        at += (size_t)snprintf(buf + at, cap - at, "%s%s", i ? " " : "", word);
    }
    return buf;
}

static struct params greedy(void)
{
    struct params p = params_default();
    params_set(&p, PARAM_TEMPERATURE, 0);
    return p;
}

/* The id of the largest of lp[0..n), the first of equals. */
static uint32_t argmax(const double *lp, size_t n)
{
    uint32_t best = 0;
    for (uint32_t i = 1; i < n; i++)
        if (lp[i] > lp[best])
            best = i;
    return best;
}

static void test_context(const struct lm *lm)
{
    struct writer w;
    char buf[256];
    init(&w, lm, 1);
    static const char *const cases[][2] = {
        {"", "<s>"},
        {"a", "<s> a"},
        {"a b c", "b c"},
        {"  a\tb\n", "a b"}, {" \t\n", "<s>"},
        {"a </s>", "<s>"},
        {"a </s> b", "<s> b"},
        {"c b </s> a", "<s> a"},
        {"zebra a", "<unk> a"},
        {"A B", "a b"},
        {"a, (b).", "a b"}, {"(c)", "<s> c"},
        {"a ,", "a <unk>"},
        {"<s> a", "<s> a"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        prompt(&w, cases[i][0]);
        char shown[64]; /* a TAP line holds no raw tab or newline */
        text_escape(cases[i][0], strlen(cases[i][0]), TEXT_ASCII, shown, sizeof shown);
        TAP_EQ_STR(context_words(&w, buf, sizeof buf), cases[i][1], "prompt \"%s\": context %s",
                   shown, cases[i][1]);
    }
    prompt(&w, "Ab a");
    tap_ok(w.n == 2 && w.n_prompt == 2 && w.words[0].unknown && !w.words[1].unknown &&
               w.words[0].id == lm_unk(lm) && !w.words[0].written,
           "an unknown word enters the context as <unk> and is marked unknown");
    writer_free(&w);
}

static void test_vocab(const struct lm *lm)
{
    struct writer w;
    struct ls_error err = {{0}};
    size_t V = lm_size(lm);
    double *lp = malloc(V * sizeof *lp);
    init(&w, lm, 1);
    static const char *const prompts[] = {"", "a", "a b", "b a", "zebra", "a </s>"};
    for (size_t k = 0; k < sizeof prompts / sizeof prompts[0]; k++) {
        prompt(&w, prompts[k]);
        uint32_t ctx[8];
        size_t n = writer_context(&w, ctx, 8);
        lm_next(lm, ctx, n, lp);
        const struct vocab *v = writer_vocab(&w, &err);
        bool same = v && v->n == V;
        for (size_t i = 0; same && i < V; i++)
            same = v->logits[i] == lp[i] || (isinf(lp[i]) && isinf(v->logits[i]));
        for (size_t r = 1; same && r < v->n_finite; r++)
            same = v->sorted[r - 1] >= v->sorted[r];
        tap_ok(same, "prompt \"%s\": the vocabulary is lm_next's column, sorted", prompts[k]);
        tap_ok(v && isinf(v->logits[lm_bos(lm)]) && isinf(v->logits[lm_unk(lm)]) &&
                   v->n_finite == V - 2 && isfinite(v->logits[lm_eos(lm)]),
               "prompt \"%s\": <s> and <unk> are never candidates, </s> is", prompts[k]);
    }
    char buf[32];
    size_t len;
    const struct vocab *v = writer_vocab(&w, &err);
    const char *name = vocab_token(v, lm_eos(lm), buf, &len);
    tap_ok(len == 4 && memcmp(name, "</s>", 4) == 0, "</s> is named </s>");
    free(lp);
    writer_free(&w);
}

/* Greedy writing is the argmax of lm_next at every step, the context rebuilt by hand. */
static void test_greedy(const struct lm *lm, const char *start, size_t words)
{
    struct writer w;
    struct ls_error err = {{0}};
    struct params p = greedy();
    size_t V = lm_size(lm);
    double *lp = malloc(V * sizeof *lp);
    init(&w, lm, 7);
    prompt(&w, start);
    /* the context by hand: the prompt's ids, <s> again after each </s> */
    uint32_t *hist = malloc((w.n + words + 1) * sizeof *hist);
    size_t nh = 0;
    for (size_t i = 0; i < w.n; i++)
        hist[nh++] = w.words[i].id;
    bool same = true;
    for (size_t k = 0; k < words && same; k++) {
        uint32_t ctx[8];
        size_t order = (size_t)lm_order(lm), n = 0, from = nh;
        while (from > 0 && nh - from < order - 1 && hist[from - 1] != lm_eos(lm))
            from--;
        if ((from == 0 || hist[from - 1] == lm_eos(lm)) && nh - from < order - 1)
            ctx[n++] = lm_bos(lm);
        for (size_t i = from; i < nh; i++)
            ctx[n++] = hist[i];
        lm_next(lm, ctx, n, lp);
        uint32_t want = argmax(lp, V), got = LM_NO_WORD;
        same = writer_write(&w, &p, &got, &err) == 0 && got == want &&
               w.words[w.n - 1].logprob == lp[want] && w.words[w.n - 1].rank == 0;
        if (!same)
            printf("# word %zu: got %u, want %u (%s)\n", k, got, want, err.msg);
        hist[nh++] = want;
    }
    tap_ok(same, "greedy from \"%s\": %zu words, each the argmax of lm_next", start, words);
    free(hist);
    free(lp);
    writer_free(&w);
}

static void test_restart(const struct lm *lm)
{
    struct writer w;
    struct ls_error err = {{0}};
    struct params p = greedy();
    char buf[256];
    init(&w, lm, 1);
    prompt(&w, "a b");
    /* P(</s> | a b) = 10^-0.1 is the largest after "a b" */
    uint32_t id;
    tap_ok(writer_write(&w, &p, &id, &err) == 0 && id == lm_eos(lm), "\"a b\" greedy: </s>");
    TAP_EQ_STR(context_words(&w, buf, sizeof buf), "<s>", "after </s> the context is <s>");
    tap_ok(writer_write(&w, &p, &id, &err) == 0 && id == id_of(lm, "a"),
           "then a (P(a | <s>) = 10^-0.2)");
    TAP_EQ_STR(context_words(&w, buf, sizeof buf), "<s> a", "context <s> a");
    tap_ok(writer_write(&w, &p, &id, &err) == 0 && id == id_of(lm, "b"),
           "then b (P(b | <s> a) = 10^-0.05)");
    TAP_EQ_STR(writer_text(&w, 0, 0, NULL), "a b </s> a b", "the text shows </s>");
    TAP_EQ_STR(writer_text(&w, w.n_prompt, 0, NULL), "</s> a b", "the continuation alone");
    writer_free(&w);
}

/* The words written from one prompt with one seed at T = 1. */
static void write_ids(const struct lm *lm, uint64_t seed, const char *start, size_t n,
                      uint32_t *out)
{
    struct writer w;
    struct ls_error err = {{0}};
    struct params p = params_default();
    init(&w, lm, seed);
    prompt(&w, start);
    for (size_t i = 0; i < n; i++)
        if (writer_write(&w, &p, &out[i], &err) != 0)
            printf("Bail out! %s\n", err.msg);
    writer_free(&w);
}

static void test_seed(const struct lm *lm)
{
    uint32_t a[40], b[40], c[40];
    write_ids(lm, 42, "a", 40, a);
    write_ids(lm, 42, "a", 40, b);
    write_ids(lm, 43, "a", 40, c);
    tap_ok(memcmp(a, b, sizeof a) == 0, "the same seed writes the same 40 words");
    tap_ok(memcmp(a, c, sizeof a) != 0, "another seed writes other words");

    /* taking back and writing again gives the same word; so does writing with another
     * writer that took another way to the same text */
    struct writer w;
    struct ls_error err = {{0}};
    struct params p = params_default();
    uint32_t id;
    init(&w, lm, 42);
    prompt(&w, "a");
    bool same = true;
    for (size_t i = 0; i < 40 && same; i++) {
        same = writer_write(&w, &p, &id, &err) == 0 && id == a[i];
        if (i % 3 == 0 && same) {
            same = writer_unwrite(&w) && writer_write(&w, &p, &id, &err) == 0 && id == a[i];
        }
    }
    tap_ok(same, "taking a word back and writing again gives it back");
    writer_clear(&w);
    tap_ok(w.n == 1 && w.n_prompt == 1 && !writer_unwrite(&w),
           "writer_clear leaves the prompt; nothing more to take back");
    tap_ok(writer_write(&w, &p, &id, &err) == 0 && id == a[0], "and writes the first word again");
    writer_set_seed(&w, 43);
    writer_clear(&w);
    tap_ok(writer_write(&w, &p, &id, &err) == 0 && id == c[0],
           "writer_set_seed: the draws of that seed");
    writer_free(&w);
}

/* A unigram model: every draw is from the same distribution, so the counts of many draws
 * must follow it (a wrong use of the generator, one stream for all positions reseeded the
 * same way, would not). */
static void test_draw_counts(void)
{
    static const char uni[] = "\\data\\\nngram 1=4\n\n\\1-grams:\n-0.30103\tx\n-0.60206\ty\n"
                              "-0.60206\tz\n-99\t<s>\n\n\\end\\\n";
    struct lm *lm = load(tmp_text("uni.arpa", uni));
    struct writer w;
    struct ls_error err = {{0}};
    struct params p = params_default();
    size_t counts[4] = {0}, n = 8000;
    init(&w, lm, 5);
    prompt(&w, "");
    for (size_t i = 0; i < n; i++) {
        uint32_t id = 0;
        if (writer_write(&w, &p, &id, &err) == 0 && id < 4)
            counts[id]++;
    }
    /* x 1/2, y 1/4, z 1/4; five standard deviations: 0.028 for x */
    double fx = (double)counts[0] / (double)n, fy = (double)counts[1] / (double)n;
    tap_ok(fabs(fx - 0.5) < 0.028 && fabs(fy - 0.25) < 0.025 && counts[3] == 0,
           "8000 draws from a unigram model: x %.4f (1/2), y %.4f (1/4), <s> never", fx, fy);
    writer_free(&w);
    lm_free(lm);
}

/* A word pushed by hand is written as if drawn: the same logprob and rank, the same next
 * context; a word that cannot come next is refused. */
static void test_push(const struct lm *lm)
{
    uint32_t drawn[12];
    write_ids(lm, 9, "b", 12, drawn);
    struct writer a, b;
    struct ls_error err = {{0}};
    struct params p = params_default();
    init(&a, lm, 9);
    init(&b, lm, 1234);
    prompt(&a, "b");
    prompt(&b, "b");
    bool same = true;
    for (size_t i = 0; i < 12 && same; i++) {
        uint32_t id;
        same = writer_write(&a, &p, &id, &err) == 0 && writer_push(&b, drawn[i], &err) == 0 &&
               id == drawn[i] && a.words[a.n - 1].logprob == b.words[b.n - 1].logprob &&
               a.words[a.n - 1].rank == b.words[b.n - 1].rank;
    }
    tap_ok(same, "pushing the drawn words gives the same text, logprobs and ranks");
    TAP_EQ_STR(writer_text(&b, 0, 0, NULL), writer_text(&a, 0, 0, NULL), "  and the same text");
    tap_ok(writer_push(&b, lm_bos(lm), &err) == WRITER_NO_WORD &&
               writer_push(&b, lm_unk(lm), &err) == WRITER_NO_WORD &&
               writer_push(&b, (uint32_t)lm_size(lm), &err) == WRITER_NO_WORD && b.n == 13,
           "<s>, <unk> and a word past the vocabulary cannot be pushed: %s", err.msg);
    writer_free(&a);
    writer_free(&b);
}

/* A copy writes on as the original does; room reserved is never reallocated; a drawn
 * word keeps the probability the chain gave it. */
static void test_copy_reserve(const struct lm *lm)
{
    struct writer a, b;
    struct ls_error err = {{0}};
    struct params p = params_default();
    init(&a, lm, 17);
    init(&b, lm, 99);
    prompt(&a, "zebra b");
    for (int i = 0; i < 5; i++)
        writer_write(&a, &p, NULL, &err);
    prompt(&b, "c c c c c c c c");
    tap_ok(writer_copy(&b, &a, &err) == 0 && b.n == a.n && b.n_prompt == a.n_prompt &&
               b.seed == a.seed && b.words[0].unknown,
           "writer_copy: the same words, prompt and seed");
    TAP_EQ_STR(writer_text(&b, 0, 0, NULL), writer_text(&a, 0, 0, NULL), "  and the same text");
    size_t na, nb;
    const uint32_t *ha = writer_history(&a, &na), *hb = writer_history(&b, &nb);
    tap_ok(na == nb && memcmp(ha, hb, na * sizeof *ha) == 0, "  and the same history");
    bool same = true;
    for (int i = 0; i < 10 && same; i++) {
        uint32_t x, y;
        same = writer_write(&a, &p, &x, &err) == 0 && writer_write(&b, &p, &y, &err) == 0 &&
               x == y;
    }
    tap_ok(same, "  and writes on with the same words");
    tap_ok(writer_reserve(&a, 5000, 4000, &err) == 0, "writer_reserve");
    const struct writer_word *words = a.words;
    const char *typed = a.typed;
    for (int i = 0; i < 4000; i++)
        writer_write(&a, &p, NULL, &err);
    char long_prompt[3000];
    memset(long_prompt, 'a', sizeof long_prompt);
    writer_set_prompt(&a, long_prompt, sizeof long_prompt, &err);
    tap_ok(a.words == words && a.typed == typed, "  no reallocation within the room reserved");
    prompt(&a, "a");
    const struct dist *d = writer_dist(&a, &p, &err);
    double want[8];
    for (size_t r = 0; r < d->vocab->n && r < 8; r++)
        want[d->vocab->order[r]] = dist_prob_rank(d, r);
    writer_write(&a, &p, NULL, &err);
    const struct writer_word *last = &a.words[a.n - 1];
    tap_ok(last->chain_prob == want[last->id] && isnan(a.words[0].chain_prob),
           "a drawn word keeps its probability under the chain; a typed one has none");
    writer_free(&a);
    writer_free(&b);
}

static void test_text(const struct lm *lm)
{
    struct writer w;
    init(&w, lm, 1);
    prompt(&w, "A zebra, \x1b[31mb");
    TAP_EQ_STR(writer_text(&w, 0, 0, NULL), "A \xe2\x9f\xa8zebra,\xe2\x9f\xa9 \xe2\x9f\xa8\\e[31mb\xe2\x9f\xa9",
               "typed words as typed, unknown ones marked, escapes shown");
    TAP_EQ_STR(writer_text(&w, 0, TEXT_ASCII, NULL), "A [zebra,] [\\e[31mb]",
               "ASCII marks");
    size_t len;
    const char *b = writer_word_bytes(&w, 2, &len);
    tap_ok(len == 6 && memcmp(b, "\x1b[31mb", 6) == 0, "writer_word_bytes: the raw bytes");
    size_t nh;
    const uint32_t *h = writer_history(&w, &nh);
    tap_ok(nh == 3 && h[0] == id_of(lm, "a") && h[1] == lm_unk(lm) && h[2] == lm_unk(lm),
           "history: the prompt's ids, unknown ones as <unk>");
    prompt(&w, "");
    TAP_EQ_STR(writer_text(&w, 0, 0, NULL), "", "an empty prompt: no text");
    writer_free(&w);
}

/* A model without <s> and <unk>: an unknown word is LM_NO_WORD, outside the history. */
static void test_no_unk(void)
{
    struct lm *lm = load(tmp_text("prefix.arpa", fx_prefix_arpa));
    struct writer w;
    struct ls_error err = {{0}};
    char buf[256];
    init(&w, lm, 1);
    prompt(&w, "zebra b");
    TAP_EQ_STR(context_words(&w, buf, sizeof buf), "? b", "no <unk>: the context holds LM_NO_WORD");
    size_t nh;
    const uint32_t *h = writer_history(&w, &nh);
    tap_ok(nh == 1 && h[0] == id_of(lm, "b"), "and the history skips the word");
    prompt(&w, "");
    TAP_EQ_STR(context_words(&w, buf, sizeof buf), "", "no <s>: the start has no context");
    struct params p = greedy();
    uint32_t id;
    tap_ok(writer_write(&w, &p, &id, &err) == 0 && id == id_of(lm, "a"),
           "greedy from nothing: the likeliest unigram, a");
    writer_free(&w);
    lm_free(lm);
}

static void test_refusals(void)
{
    struct ls_error err = {{0}};
    struct writer w;
    static const char none[] = "\\data\\\nngram 1=2\n\n\\1-grams:\n-99\t<s>\n-1\t<unk>\n\n"
                               "\\end\\\n";
    struct lm *lm = load(tmp_text("none.arpa", none));
    tap_ok(writer_init(&w, lm, 1, &err) == -1 && strstr(err.msg, "no word to write"),
           "a model of <s> and <unk> alone is refused: %s", err.msg);
    lm_free(lm);
    /* after "a" every word has probability 0 */
    static const char dead[] = "\\data\\\nngram 1=3\nngram 2=1\n\n\\1-grams:\n-inf\ta\n"
                               "-inf\t</s>\n-99\t<s>\t0\n\n\\2-grams:\n-0.1\t<s> a\n\n\\end\\\n";
    lm = load(tmp_text("dead.arpa", dead));
    struct params p = params_default();
    uint32_t id;
    init(&w, lm, 1);
    prompt(&w, "");
    tap_ok(writer_write(&w, &p, &id, &err) == 0 && id == id_of(lm, "a"), "<s> a is possible");
    err.msg[0] = '\0';
    tap_ok(writer_write(&w, &p, &id, &err) == WRITER_NO_WORD && strstr(err.msg, "probability 0") &&
               w.n == 1,
           "then no word is: refused, nothing written: %s", err.msg);
    writer_free(&w);
    lm_free(lm);
}

static void test_en_us(void)
{
    if (access(EN_US, R_OK) != 0) {
        printf("# %s is not installed (Debian: pocketsphinx-en-us): its tests skip\n", EN_US);
        tap_ok(1, "# SKIP en-us.lm.bin");
        return;
    }
    struct lm *lm = load(EN_US);
    struct writer w;
    struct ls_error err = {{0}};
    char buf[256];
    init(&w, lm, 1);
    prompt(&w, "The cat sat on the");
    TAP_EQ_STR(context_words(&w, buf, sizeof buf), "on the", "en-us: context \"on the\"");
    const struct vocab *v = writer_vocab(&w, &err);
    tap_ok(v && v->n == 72547 && v->n_finite == 72546, "en-us: 72,547 words, all but <s> possible");
    prompt(&w, "Xyzzyq is");
    tap_ok(w.words[0].unknown && w.words[0].id == LM_NO_WORD,
           "en-us has no <unk>: an unknown word is LM_NO_WORD");
    TAP_EQ_STR(context_words(&w, buf, sizeof buf), "? is", "context: ? is");
    TAP_EQ_STR(writer_text(&w, 0, 0, NULL), "\xe2\x9f\xa8Xyzzyq\xe2\x9f\xa9 is", "marked");
    writer_free(&w);
    test_greedy(lm, "the cat sat on the", 30);
    test_greedy(lm, "", 30);
    lm_free(lm);
}

/* The writer's words are the history penalties, DRY and mirostat read. */
static void test_history(const struct lm *lm)
{
    struct writer w;
    struct ls_error err = {{0}};
    init(&w, lm, 1);
    prompt(&w, "a");
    struct params p = params_default();
    if (chain_parse_names("penalties;temperature", &p.chain, &err) != 0)
        printf("# %s\n", err.msg);
    params_set(&p, PARAM_TEMPERATURE, 0);
    params_set(&p, PARAM_PRESENCE_PENALTY, 100);
    params_set(&p, PARAM_REPEAT_LAST_N, -1);
    uint32_t got[3];
    bool seen[8] = {false};
    seen[id_of(lm, "a")] = true;
    bool fresh = true, own_rank = true;
    for (int i = 0; i < 3; i++) {
        const struct vocab *v = writer_vocab(&w, &err);
        fresh = fresh && writer_write(&w, &p, &got[i], &err) == 0 && got[i] < 8 && !seen[got[i]];
        size_t r = 0;
        while (v && r < v->n && v->order[r] != got[i])
            r++;
        own_rank = own_rank && w.words[w.n - 1].rank == r;
        if (got[i] < 8)
            seen[got[i]] = true;
    }
    tap_ok(fresh, "a presence penalty of 100 writes b, c and </s> once each after \"a\"");
    tap_ok(own_rank, "  each word's rank is the model's own, not the penalised order's");

    /* mirostat: mu moves with each word and comes back when it is taken back */
    prompt(&w, "a");
    p = params_default();
    if (chain_parse_names("mirostat;temperature", &p.chain, &err) != 0)
        printf("# %s\n", err.msg);
    params_set(&p, PARAM_MIROSTAT, 2);
    params_set(&p, PARAM_MIROSTAT_ENT, 1.5);
    tap_ok(isnan(w.mirostat_mu), "mirostat starts at its start (NaN: 2 tau)");
    uint32_t id;
    writer_write(&w, &p, &id, &err);
    double mu1 = w.mirostat_mu;
    tap_ok(isfinite(mu1) && mu1 != 3.0, "a written word moves mu (%g)", mu1);
    writer_write(&w, &p, &id, &err);
    tap_ok(w.mirostat_mu != mu1, "and the next one again (%g)", w.mirostat_mu);
    writer_unwrite(&w);
    tap_ok(w.mirostat_mu == mu1, "taking a word back restores mu");
    writer_clear(&w);
    tap_ok(isnan(w.mirostat_mu), "clearing the text restores the start");
    writer_free(&w);
}

int main(void)
{
    (void)fx_shuffled_trie; /* the fixture's trie writer is for the loader's tests */
    tmp_dir_make("writer");
    struct lm *small = load(tmp_text("small.arpa", fx_small_arpa));
    test_context(small);
    test_vocab(small);
    test_greedy(small, "", 20);
    test_greedy(small, "c c c", 20);
    test_restart(small);
    test_seed(small);
    test_push(small);
    test_copy_reserve(small);
    test_text(small);
    test_history(small);
    lm_free(small);
    test_draw_counts();
    test_no_unk();
    test_refusals();
    test_en_us();
    tmp_dir_remove();
    return tap_done();
}
