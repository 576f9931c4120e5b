/* test_model_lm.c: the explorer with a language model, driven key by key on the small ARPA
 * models of lm_fixture.h (no terminal). Space writes exactly what writer_write writes with
 * the settings of the moment; the histogram is then the next word's after the new text;
 * Backspace gives back the histogram before, bit for bit; the prompt editor; writing on, a
 * word a tick, stopped by the end of a sentence or by any key; A/B compare's two texts from
 * one seed; the limits (a full text, a context with no word to come). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/lm_fixture.h"
#include "params_fixture.h"
#include "keymap.h"
#include "keyqueue.h"
#include "lm_model_fixture.h"
#include "logitscope/lm.h"
#include "model.h"
#include "tap.h"
#include "writer.h"

#define SAMPLES 2000

/* A unigram model without </s>: writing never ends a sentence. Ids: x 0, y 1, z 2, <s> 3. */
static const char fx_endless_arpa[] = "\\data\\\nngram 1=4\n\n\\1-grams:\n-0.30103\tx\n"
                                      "-0.60206\ty\n-0.60206\tz\n-99\t<s>\n\n\\end\\\n";
/* After "a" no word has a probability. */
static const char fx_dead_arpa[] = "\\data\\\nngram 1=3\nngram 2=1\n\n\\1-grams:\n-inf\ta\n"
                                   "-inf\t</s>\n-99\t<s>\t0\n\n\\2-grams:\n-0.1\t<s> a\n\n"
                                   "\\end\\\n";

static struct lm *load(const char *name, const char *text)
{
    struct lm *lm = NULL;
    struct ls_error err = {{0}};
    if (lm_load(&lm, tmp_text(name, text), &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    return lm;
}

static void writer_start(struct writer *w, const struct lm *lm, const char *prompt,
                         uint64_t seed)
{
    lm_writer_start(w, lm, prompt, seed);
}

static void start(struct model *m, struct writer *w, const struct lm *lm, const char *prompt,
                  struct params p, uint64_t seed)
{
    lm_model_start(m, w, lm, prompt, p, SAMPLES, seed);
}

static void stop(struct model *m, struct writer *w)
{
    lm_model_stop(m, w);
}

static unsigned tick(struct model *m)
{
    struct action a = {ACT_TICK, 0, 0.0};
    return model_update(m, &a);
}

static void type(struct model *m, const char *s)
{
    for (; *s; s++)
        press(m, (unsigned char)*s);
}

static size_t written(const struct writer *w)
{
    return w->n - w->n_prompt;
}

static struct params at_t(double t)
{
    struct params p = params_default();
    params_set(&p, PARAM_TEMPERATURE, t);
    return p;
}

/* The model's distribution is the one writer_dist gives for the same text and settings:
 * every rank's probability, the kept range and the entropy. */
static bool same_as_reference(struct model *m, const struct writer *text)
{
    struct writer ref;
    struct ls_error err = {{0}};
    writer_start(&ref, text->lm, "", 1);
    writer_copy(&ref, text, &err);
    const struct dist *d = writer_dist(&ref, &m->params, &err);
    bool same = d && d->vocab->n == m->dist.vocab->n && d->kept == m->dist.kept &&
                d->entropy_bits == m->dist.entropy_bits;
    for (size_t r = 0; same && r < d->vocab->n; r++)
        same = d->vocab->order[r] == m->vocab->order[r] &&
               dist_prob_rank(d, r) == dist_prob_rank(&m->dist, r);
    writer_free(&ref);
    return same;
}

/* Everything the histogram shows, to compare bit for bit. */
struct shown {
    size_t n, kept;
    uint32_t order[16];
    double prob[16], bits;
    uint32_t counts[16];
};

static void shown_of(const struct model *m, struct shown *s)
{
    memset(s, 0, sizeof *s);
    s->n = m->vocab->n < 16 ? m->vocab->n : 16;
    s->kept = m->dist.kept;
    s->bits = m->dist.entropy_bits;
    for (size_t r = 0; r < s->n; r++) {
        s->order[r] = m->vocab->order[r];
        s->prob[r] = dist_prob_rank(&m->dist, r);
        s->counts[r] = dist_count_rank(&m->dist, r);
    }
}

static void test_start(const struct lm *lm)
{
    struct model m;
    struct writer w;
    start(&m, &w, lm, "a", params_default(), 3);
    tap_ok(model_is_lm(&m) && !model_is_sequence(&m) && m.vocab == &w.vocab &&
               m.src->max_vocab == lm_size(lm),
           "--lm: the histogram's vocabulary is the writer's, every word of the model");
    tap_ok(same_as_reference(&m, &w), "it is the next word after the prompt, as writer_dist");
    tap_ok(m.layout.text.h == 1 && m.layout.text_a.h == 0 && m.layout.strip.h == 0,
           "the layout has the text row, no entropy strip");
    TAP_EQ_INT(model_tick_ms(&m), 0, "not writing on: no ticks");
    press(&m, 'n');
    tap_ok(strstr(m.message, "Space writes the next word") != NULL,
           "n (a sequence's key) says what moves the text instead: %s", m.message);
    stop(&m, &w);
}

/* Space writes the word writer_write writes with the settings of the moment, whatever the
 * sliders did before; the histogram is then the next word's. */
static void test_space(const struct lm *lm)
{
    static const double temps[] = {1.0, 0.5, 2.0};
    bool all = true, follows = true;
    for (size_t k = 0; k < sizeof temps / sizeof temps[0]; k++)
        for (uint64_t seed = 1; seed <= 6; seed++) {
            struct model m;
            struct writer w, ref;
            struct ls_error err = {{0}};
            start(&m, &w, lm, "b", at_t(temps[k]), seed);
            writer_start(&ref, lm, "b", seed);
            for (int i = 0; i < 14 && all; i++) {
                if (i == 5)
                    press(&m, KEYC_RIGHT); /* T up a step */
                if (i == 9) {
                    press(&m, KEYC_DOWN); /* top-k 2 */
                    press(&m, KEYC_RIGHT);
                    press(&m, KEYC_RIGHT);
                }
                struct params now = m.params;
                uint32_t want;
                all = writer_write(&ref, &now, &want, &err) == 0 &&
                      (press(&m, KEYC_SPACE) & MODEL_CHANGED_PARAMS) && w.n == ref.n &&
                      w.words[w.n - 1].id == want &&
                      w.words[w.n - 1].chain_prob == ref.words[ref.n - 1].chain_prob;
                follows = follows && same_as_reference(&m, &w);
            }
            writer_free(&ref);
            stop(&m, &w);
        }
    tap_ok(all, "Space writes writer_write's word, 14 words x 6 seeds x 3 temperatures, "
                "sliders moved between");
    tap_ok(follows, "after each word the histogram is the next word's after the new text");
}

static void test_backspace(const struct lm *lm)
{
    struct model m;
    struct writer w;
    struct shown before, after, again;
    start(&m, &w, lm, "a", at_t(1.3), 11);
    press(&m, KEYC_SPACE);
    press(&m, KEYC_SPACE);
    shown_of(&m, &before);
    uint32_t last = w.words[w.n - 1].id;
    press(&m, KEYC_SPACE);
    shown_of(&m, &after);
    tap_ok(memcmp(&before, &after, sizeof before) != 0, "a word written changes the histogram");
    unsigned ch = press(&m, KEYC_BACKSPACE);
    shown_of(&m, &again);
    tap_ok((ch & MODEL_CHANGED_PARAMS) && written(&w) == 2 && w.words[w.n - 1].id == last,
           "Backspace takes the last word back");
    tap_ok(memcmp(&before, &again, sizeof before) == 0,
           "and the histogram is the one before, bit for bit: order, probabilities, counts");
    press(&m, KEYC_BACKSPACE);
    press(&m, KEYC_BACKSPACE);
    ch = press(&m, KEYC_BACKSPACE);
    tap_ok(written(&w) == 0 && w.n == 1 && !(ch & MODEL_CHANGED_PARAMS) &&
               strstr(m.message, "only the prompt"),
           "at the prompt Backspace takes nothing: %s", m.message);
    stop(&m, &w);
}

/* e: the status line's typing line (the one of = and /) on the prompt as typed. */
static void test_editor(const struct lm *lm)
{
    struct model m;
    struct writer w;
    start(&m, &w, lm, "a", params_default(), 5);
    press(&m, KEYC_SPACE);
    press(&m, 'e');
    tap_ok(m.prompt.kind == PROMPT_TEXT && m.prompt.len == 1 && strcmp(m.prompt.text, "a") == 0,
           "e opens the typing line on the prompt as typed");
    press(&m, KEYC_BACKSPACE);
    type(&m, "b q? a");
    tap_ok(m.prompt.kind == PROMPT_TEXT && !m.quit && written(&w) == 1 &&
               strcmp(m.prompt.text, "b q? a") == 0,
           "typing: q and ? are letters, Space a space; Backspace erases");
    press(&m, KEYC_ENTER);
    tap_ok(!m.prompt.kind && w.n_prompt == 3 && written(&w) == 0 && !w.words[0].unknown &&
               w.words[1].unknown && !w.words[2].unknown && strstr(m.message, "3 words, 1"),
           "Enter: the new prompt, the written words gone: %s", m.message);
    tap_ok(same_as_reference(&m, &w), "the histogram is the next word after it");
    press(&m, 'e');
    press(&m, KEYC_CTRL('u'));
    type(&m, "c");
    press(&m, 0xe9); /* é */
    tap_ok(m.prompt.len == 3 && strcmp(m.prompt.text, "c\xc3\xa9") == 0,
           "Ctrl-U clears; a character is written as UTF-8");
    press(&m, KEYC_ESCAPE);
    tap_ok(!m.prompt.kind && !m.quit && w.n_prompt == 3 && written(&w) == 0,
           "Esc closes it, the prompt as it was");
    press(&m, 'e');
    press(&m, KEYC_CTRL('u'));
    for (int i = 0; i < MODEL_PROMPT_MAX + 10; i++)
        press(&m, 'b');
    tap_ok(m.prompt.len == MODEL_PROMPT_MAX - 1, "the line holds %d bytes",
           MODEL_PROMPT_MAX - 1);
    press(&m, KEYC_CTRL('u'));
    press(&m, KEYC_ENTER);
    tap_ok(w.n == 0 && same_as_reference(&m, &w), "an empty prompt: the start of a sentence");
    press(&m, 'e');
    struct action a = model_key_action(&m, KEYC_CTRL('c'));
    tap_ok((model_update(&m, &a) & MODEL_CHANGED_QUIT) != 0, "Ctrl-C while typing quits");
    stop(&m, &w);

    /* a prompt longer than the line: its head, whole characters */
    char longer[MODEL_PROMPT_MAX + 40];
    for (size_t i = 0; i + 1 < sizeof longer; i += 2)
        memcpy(longer + i, "\xc3\xa9", 2);
    longer[sizeof longer - 1] = '\0';
    start(&m, &w, lm, longer, params_default(), 5);
    press(&m, 'e');
    tap_ok(m.prompt.len == MODEL_PROMPT_MAX - 2 && m.prompt.text[m.prompt.len] == '\0',
           "a --prompt longer than the line: its first %d bytes, cut between characters",
           MODEL_PROMPT_MAX - 2);
    stop(&m, &w);

    /* a key queue: after e the keys are the prompt's, so a q among them is no quit */
    start(&m, &w, lm, "a", params_default(), 5);
    struct key_queue q;
    key_queue_clear(&q);
    key_queue_push(&q, 'e');
    key_queue_push(&q, 'q');
    tap_ok(!key_queue_quits(&m, KEYC_NONE, &q), "a q queued after e is typed, not a quit");
    stop(&m, &w);
}

/* w writes a word at once, then one each tick, until the end of a sentence or a key. */
static void test_write_on(const struct lm *small, const struct lm *endless)
{
    struct model m;
    struct writer w;
    /* greedy from "a": b (P(b | <s> a) = 10^-0.05), then </s> (P(</s> | a b) = 10^-0.1) */
    start(&m, &w, small, "a", at_t(0), 1);
    press(&m, 'w');
    tap_ok(m.lm.writing && written(&w) == 1 && w.words[w.n - 1].id == 3 &&
               model_tick_ms(&m) == MODEL_LM_PACE_MS,
           "w: b at once, then a tick every %d ms", MODEL_LM_PACE_MS);
    unsigned ch = tick(&m);
    tap_ok((ch & MODEL_CHANGED_PARAMS) && written(&w) == 2 && w.words[w.n - 1].id == lm_eos(small) &&
               !m.lm.writing && model_tick_ms(&m) == 0 && strstr(m.message, "sentence ended"),
           "the next tick writes </s>, and the writing stops there: %s", m.message);
    tap_ok(tick(&m) == MODEL_CHANGED_NONE && written(&w) == 2, "a tick after it writes nothing");
    stop(&m, &w);

    start(&m, &w, endless, "x", params_default(), 9);
    press(&m, 'w');
    for (int i = 0; i < 20; i++)
        tick(&m);
    tap_ok(m.lm.writing && written(&w) == 21 && m.lm.ticks == 20,
           "without </s> it writes on: a word at w, one each of 20 ticks");
    tap_ok(same_as_reference(&m, &w), "the histogram follows every tick");
    double t = params_real(&m.params, PARAM_TEMPERATURE);
    ch = press(&m, KEYC_RIGHT);
    tap_ok(!m.lm.writing && params_real(&m.params, PARAM_TEMPERATURE) > t &&
               (ch & MODEL_CHANGED_PARAMS),
           "any key stops it, and does what it does (Right: T up)");
    tap_ok(tick(&m) == MODEL_CHANGED_NONE && written(&w) == 21, "no tick writes after it");
    press(&m, 'w');
    tick(&m);
    t = params_real(&m.params, PARAM_TEMPERATURE);
    ch = press(&m, 'w');
    tap_ok(!m.lm.writing && written(&w) == 23 && params_real(&m.params, PARAM_TEMPERATURE) == t &&
               strstr(m.message, "stopped after 23"),
           "w again stops it and does nothing else: %s", m.message);
    press(&m, 'w');
    struct action q = model_key_action(&m, 'q');
    tap_ok((model_update(&m, &q) & MODEL_CHANGED_QUIT) && !m.lm.writing,
           "q while it writes quits at once");
    stop(&m, &w);
}

/* A/B compare: A writes with the pinned settings, B with the sliders', the same seed and
 * the k-th word's random numbers on both sides. */
static void test_compare(const struct lm *lm)
{
    struct model m;
    struct writer w, ra, rb;
    struct ls_error err = {{0}};
    uint64_t seed = 21;
    start(&m, &w, lm, "b", at_t(0.2), seed);
    press(&m, 'c');
    tap_ok(m.compare && m.lm.have_a && m.lm.a.n == w.n && m.layout.text_a.h == 1,
           "c: A's text is B's, shown over it");
    for (int i = 0; i < 6; i++)
        press(&m, KEYC_SPACE);
    bool same = m.lm.a.n == w.n;
    for (size_t i = 0; same && i < w.n; i++)
        same = m.lm.a.words[i].id == w.words[i].id;
    tap_ok(same, "with the same settings A and B write the same words: one seed, one draw "
                 "a word");
    press(&m, 'c');
    press(&m, 'c'); /* pin again at T 0.2, from the text so far */
    press(&m, KEYC_END); /* B: T 5 */
    writer_start(&ra, lm, "b", seed);
    writer_start(&rb, lm, "b", seed);
    writer_copy(&ra, &w, &err);
    writer_copy(&rb, &w, &err);
    bool a_ok = true, b_ok = true, differ = false;
    for (int i = 0; i < 10; i++) {
        press(&m, KEYC_SPACE);
        writer_write(&ra, &m.pin, NULL, &err);
        writer_write(&rb, &m.params, NULL, &err);
        a_ok = a_ok && m.lm.a.n == ra.n && m.lm.a.words[ra.n - 1].id == ra.words[ra.n - 1].id;
        b_ok = b_ok && w.n == rb.n && w.words[rb.n - 1].id == rb.words[rb.n - 1].id;
        differ = differ || m.lm.a.words[ra.n - 1].id != w.words[rb.n - 1].id;
    }
    tap_ok(a_ok, "A writes what writer_write writes with the pinned T 0.2");
    tap_ok(b_ok && differ, "B what it writes with the sliders' T 5, and the texts part");
    tap_ok(same_as_reference(&m, &w), "the histogram is B's next word");
    press(&m, KEYC_BACKSPACE);
    tap_ok(m.lm.a.n == ra.n - 1 && w.n == rb.n - 1, "Backspace takes a word back on both sides");
    press(&m, 'e');
    press(&m, KEYC_CTRL('u'));
    type(&m, "c a");
    press(&m, KEYC_ENTER);
    tap_ok(m.compare && m.lm.a.n == 2 && w.n == 2 && m.lm.a.n_prompt == 2 &&
               m.lm.a.words[1].id == w.words[1].id,
           "a new prompt starts both texts again");
    press(&m, 's');
    tap_ok(w.seed == m.seed && m.lm.a.seed == m.seed, "s: both writers draw with the new seed");
    writer_free(&ra);
    writer_free(&rb);
    stop(&m, &w);
}

/* A chain by names with the parameters given, or a TAP bail-out. */
static struct params chain_of(const char *names)
{
    struct params p = params_default();
    struct ls_error err = {{0}};
    if (chain_parse_names(names, &p.chain, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    return p;
}

/* The samplers that read the text read the words written: with penalties and mirostat in
 * the chain Space still writes writer_write's word and the histogram is writer_dist's for the
 * text (the history, mu and all); Backspace gives the histogram back bit for bit, mu too. */
static void test_history(const struct lm *lm, const struct lm *endless)
{
    static const char *const chains[] = {"penalties;temperature", "temperature;mirostat",
                                         "penalties;temperature;top_k"};
    bool all = true, follows = true, back = true, changes = false;
    for (size_t k = 0; k < sizeof chains / sizeof chains[0]; k++) {
        struct params p = chain_of(chains[k]);
        if (k == 1) {
            params_set(&p, PARAM_MIROSTAT, 2);
            params_set(&p, PARAM_MIROSTAT_ENT, 1.5);
        } else {
            params_set(&p, PARAM_REPEAT_PENALTY, 3.0);
            params_set(&p, PARAM_FREQUENCY_PENALTY, 0.5);
        }
        if (k == 2)
            params_set(&p, PARAM_TOP_K, 2);
        const struct lm *model = k == 1 ? lm : endless;
        struct model m;
        struct writer w, ref;
        struct ls_error err = {{0}};
        start(&m, &w, model, "x", p, 8);
        writer_start(&ref, model, "x", 8);
        for (int i = 0; i < 12 && all; i++) {
            struct shown before, again;
            shown_of(&m, &before);
            uint32_t want;
            all = writer_write(&ref, &m.params, &want, &err) == 0 &&
                  (press(&m, KEYC_SPACE) & MODEL_CHANGED_PARAMS) &&
                  w.words[w.n - 1].id == want &&
                  (w.mirostat_mu == ref.mirostat_mu ||
                   (isnan(w.mirostat_mu) && isnan(ref.mirostat_mu)));
            if (!all)
                printf("# %s, word %d: %s\n", chains[k], i, err.msg);
            follows = follows && same_as_reference(&m, &w);
            if (i % 4 == 3) {
                double mu = w.mirostat_mu;
                press(&m, KEYC_BACKSPACE);
                shown_of(&m, &again);
                back = back && memcmp(&before, &again, sizeof before) == 0 &&
                       (k != 1 || w.mirostat_mu != mu);
                press(&m, KEYC_SPACE);
            }
            /* with the same words before, a word already written is less likely now */
            changes = changes || (k != 1 && m.dist.vocab != m.dist.source);
        }
        if (k == 1)
            tap_ok(strstr(m.message, "mirostat mu") != NULL, "mirostat's mu shows as it moves: %s",
                   m.message);
        writer_free(&ref);
        stop(&m, &w);
    }
    tap_ok(all, "penalties, mirostat: Space writes writer_write's word, mu the same");
    tap_ok(follows, "and the histogram is writer_dist's for the text, history and all");
    tap_ok(changes, "penalties change the histogram once words repeat");
    tap_ok(back, "Backspace gives the histogram before back, bit for bit");

    /* compare with penalties on B alone: A's column goes, both texts go on */
    struct model m;
    struct writer w;
    start(&m, &w, endless, "x", params_default(), 3);
    press(&m, 'c');
    struct params pen = chain_of("penalties;temperature");
    params_set(&pen, PARAM_REPEAT_PENALTY, 3.0);
    m.params = pen; /* as the picker would make it, without its keys */
    bool hidden = false;
    for (int i = 0; i < 8; i++) {
        press(&m, KEYC_SPACE);
        hidden = hidden || (!m.compare && m.lm.ab && strstr(m.message, "column hidden"));
    }
    tap_ok(hidden && m.lm.ab && m.lm.a.n == w.n && m.layout.text_a.h == 1,
           "penalties on B alone: A's column is hidden, the two texts go on");
    press(&m, 'c');
    tap_ok(!m.compare && !m.lm.ab && m.layout.text_a.h == 0, "c: compare off");
    stop(&m, &w);
}

/* s: the next words are that seed's k-th draws. */
static void test_seed(const struct lm *lm)
{
    struct model m;
    struct writer w, ref;
    struct ls_error err = {{0}};
    start(&m, &w, lm, "a", params_default(), 4);
    press(&m, KEYC_SPACE);
    press(&m, 's');
    writer_start(&ref, lm, "a", m.seed);
    writer_copy(&ref, &w, &err);
    writer_set_seed(&ref, m.seed);
    bool same = true;
    for (int i = 0; i < 8 && same; i++) {
        uint32_t id;
        same = writer_write(&ref, &m.params, &id, &err) == 0 &&
               (press(&m, KEYC_SPACE) & MODEL_CHANGED_PARAMS) && w.words[w.n - 1].id == id;
    }
    tap_ok(same && w.seed == m.seed, "after s Space writes the new seed's words");
    unsigned long long s = m.seed;
    press(&m, 'r');
    tap_ok(w.seed == m.seed && m.seed != s && written(&w) == 9,
           "r: the starting seed again, the text stays");
    writer_free(&ref);
    stop(&m, &w);
}

static void test_limits(const struct lm *endless)
{
    struct model m;
    struct writer w;
    start(&m, &w, endless, "", params_default(), 2);
    for (int i = 0; i < MODEL_LM_WORDS_MAX; i++)
        press(&m, KEYC_SPACE);
    unsigned ch = press(&m, KEYC_SPACE);
    tap_ok(written(&w) == MODEL_LM_WORDS_MAX && !(ch & MODEL_CHANGED_PARAMS) &&
               strstr(m.message, "holds"),
           "the text holds %d written words: %s", MODEL_LM_WORDS_MAX, m.message);
    press(&m, 'w');
    tap_ok(!m.lm.writing, "writing on stops when it is full");
    stop(&m, &w);

    struct lm *dead = load("dead.arpa", fx_dead_arpa);
    start(&m, &w, dead, "", params_default(), 2);
    ch = press(&m, KEYC_SPACE);
    tap_ok(written(&w) == 0 && same_as_reference(&m, &w) && strstr(m.message, "taken back"),
           "a word after which nothing can come is taken back: %s", m.message);
    press(&m, 'e');
    type(&m, "a");
    press(&m, KEYC_ENTER);
    tap_ok(w.n == 0 && same_as_reference(&m, &w) && strstr(m.message, "empty"),
           "so is a prompt: %s", m.message);
    stop(&m, &w);
    struct model_config c = {.params = params_default(), .samples = 10, .seed = 1};
    struct ls_error err = {{0}};
    writer_start(&w, dead, "a", 1);
    c.writer = &w;
    tap_ok(model_init(&m, &c, &err) == -1 && err.msg[0], "model_init refuses such a prompt: %s",
           err.msg);
    writer_free(&w);
    lm_free(dead);
}

/* Without a language model the writing keys do nothing at all. */
static void test_without_lm(void)
{
    static const char *const names[] = {"a", "b"};
    static const double logits[] = {1.0, 0.0};
    struct vocab v;
    struct model m;
    struct ls_error err = {{0}};
    vocab_from_logits(&v, logits, 2, names, &err);
    struct model_config c = {.vocab = &v, .params = params_default(), .samples = 10, .seed = 1};
    model_init(&m, &c, &err);
    bool none = press(&m, KEYC_BACKSPACE) == MODEL_CHANGED_NONE &&
                press(&m, 'w') == MODEL_CHANGED_NONE && press(&m, 'e') == MODEL_CHANGED_NONE &&
                tick(&m) == MODEL_CHANGED_NONE;
    tap_ok(none && !model_is_lm(&m) && !m.prompt.kind && model_tick_ms(&m) == 0,
           "one vocabulary: Backspace, w, e and ticks do nothing");
    model_free(&m);
    vocab_free(&v);
}

int main(void)
{
    (void)fx_shuffled_trie; /* the fixture's trie writer is for the loader's tests */
    (void)fx_prefix_arpa;
    tmp_dir_make("model-lm");
    struct lm *small = load("small.arpa", fx_small_arpa);
    struct lm *endless = load("endless.arpa", fx_endless_arpa);
    test_start(small);
    test_space(small);
    test_backspace(small);
    test_editor(small);
    test_write_on(small, endless);
    test_compare(small);
    test_seed(small);
    test_history(small, endless);
    test_limits(endless);
    test_without_lm();
    lm_free(small);
    lm_free(endless);
    tmp_dir_remove();
    return tap_done();
}
