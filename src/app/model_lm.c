/* model_lm.c: the explorer with a language model: Space writes a word with the chain,
 * Backspace takes it back, the prompt editor, writing on at a pace, and A's own text in A/B
 * compare. Every change of the text refills the writer's vocabulary in place and enters the
 * model's one position again, so the histogram follows at once. Room for the longest text is
 * reserved up front: a keystroke never allocates (but the first c, which makes A's writer). */
#include <math.h>
#include <string.h>

#include "model.h"
#include "model_internal.h"

/* A prompt the editor makes has at most this many words (a letter and a space each). */
#define MODEL_LM_PROMPT_WORDS (MODEL_PROMPT_MAX / 2)

/* The bytes of a writer's prompt as typed, up to the end of its last word. */
static size_t model_lm_typed_len(const struct writer *w)
{
    const struct writer_word *last = w->n_prompt ? &w->words[w->n_prompt - 1] : NULL;
    return last ? last->off + last->len : 0;
}

/* The room a writer needs: its prompt (or the longest the editor makes) and every word
 * that may be written after it. */
static int model_lm_reserve(struct writer *w, size_t prompt_words, size_t prompt_bytes,
                            struct ls_error *err)
{
    size_t words = prompt_words > MODEL_LM_PROMPT_WORDS ? prompt_words : MODEL_LM_PROMPT_WORDS;
    size_t bytes = prompt_bytes > MODEL_PROMPT_MAX ? prompt_bytes : MODEL_PROMPT_MAX;
    return writer_reserve(w, words + MODEL_LM_WORDS_MAX, bytes, err);
}

int model_lm_init(struct model *m, struct writer *w, struct ls_error *err)
{
    if (model_lm_reserve(w, w->n, model_lm_typed_len(w), err) != 0 ||
        writer_prepare(w, err) != 0)
        return -1;
    m->lm.writer = w;
    return 0;
}

void model_lm_free(struct model *m)
{
    if (m->lm.have_a)
        writer_free(&m->lm.a);
    m->lm.have_a = false;
    m->lm.writer = NULL;
}

void model_lm_seed(struct model *m)
{
    if (!model_is_lm(m))
        return;
    writer_set_seed(m->lm.writer, m->seed);
    if (m->lm.have_a)
        writer_set_seed(&m->lm.a, m->seed);
}

int model_tick_ms(const struct model *m)
{
    return m->lm.writing ? MODEL_LM_PACE_MS : 0;
}

static size_t model_lm_written(const struct writer *w)
{
    return w->n - w->n_prompt;
}

bool model_lm_stop(struct model *m)
{
    if (!m->lm.writing)
        return false;
    m->lm.writing = false;
    model_say(m, "stopped after %zu words: w writes on", model_lm_written(m->lm.writer));
    return true;
}

/* A side in compare, else NULL. */
static struct writer *model_lm_a(struct model *m)
{
    return m->lm.ab && m->lm.have_a ? &m->lm.a : NULL;
}

/* The text changed: its context's vocabulary, refilled in place, is the position again, its
 * distribution shown from the top. False (err says why) when the model gives no word a
 * probability after this text. */
static bool model_lm_follow(struct model *m, struct ls_error *err)
{
    struct writer *w = m->lm.writer;
    if (writer_prepare(w, err) != 0)
        return false;
    m->scroll = 0;
    model_enter(m, 0, &w->vocab);
    return true;
}

static unsigned model_lm_fail(struct model *m, const char *side, const struct ls_error *err)
{
    m->lm.writing = false;
    model_say(m, "%s%s", side, err->msg);
    return MODEL_CHANGED_VIEW;
}

/* With mirostat in the chain, how its mu moved with B's last word (written or taken back:
 * from, to). */
static void model_lm_say_mu(struct model *m, double from, double to)
{
    if (!chain_has(&m->params.chain, SAMPLER_MIROSTAT) ||
        sampler_is_off(&m->params, SAMPLER_MIROSTAT))
        return;
    double start = mirostat_start(&m->params); /* NaN: at the start of the text */
    model_say(m, "mirostat mu %.2f -> %.2f (tau %.2f)", isnan(from) ? start : from,
              isnan(to) ? start : to, params_real(&m->params, PARAM_MIROSTAT_ENT));
}

/* One word on each side: B with the sliders' chain, A (in compare) with the pinned one, each
 * its writer's k-th draw from the same seed. Nothing is written when either side cannot. */
unsigned model_lm_write(struct model *m)
{
    if (!model_is_lm(m))
        return MODEL_CHANGED_NONE;
    struct writer *b = m->lm.writer, *a = model_lm_a(m);
    struct ls_error err = {{0}};
    if (model_lm_written(b) >= MODEL_LM_WORDS_MAX) {
        m->lm.writing = false;
        model_say(m, "the text holds %d written words: Backspace takes some back, e starts "
                  "again", MODEL_LM_WORDS_MAX);
        return MODEL_CHANGED_VIEW;
    }
    if (a && writer_write(a, &m->pin, NULL, &err) != 0)
        return model_lm_fail(m, "A: ", &err);
    if (writer_write(b, &m->params, NULL, &err) != 0) {
        if (a)
            writer_unwrite(a);
        return model_lm_fail(m, "", &err);
    }
    if (!model_lm_follow(m, &err)) {
        /* the text before it had words to come: its column is back as it was */
        writer_unwrite(b);
        if (a)
            writer_unwrite(a);
        model_lm_follow(m, &err);
        m->lm.writing = false;
        model_say(m, "after that word the model gives no word a probability: taken back");
        return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
    }
    model_lm_say_mu(m, b->words[b->n - 1].mu_before, b->mirostat_mu);
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

unsigned model_lm_unwrite(struct model *m)
{
    if (!model_is_lm(m))
        return MODEL_CHANGED_NONE;
    struct writer *a = model_lm_a(m);
    struct ls_error err = {{0}};
    struct writer *b = m->lm.writer;
    double mu = b->mirostat_mu;
    if (!writer_unwrite(b)) {
        model_say(m, "only the prompt is left: e edits it");
        return MODEL_CHANGED_VIEW;
    }
    if (a)
        writer_unwrite(a);
    model_lm_follow(m, &err); /* a text the histogram showed before: it has words to come */
    model_lm_say_mu(m, mu, b->mirostat_mu);
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

/* The last word either side wrote is </s>. */
static bool model_lm_sentence_ended(struct model *m)
{
    const struct writer *b = m->lm.writer, *a = model_lm_a(m);
    uint32_t eos = lm_eos(b->lm);
    return eos != LM_NO_WORD &&
           ((model_lm_written(b) && b->words[b->n - 1].id == eos) ||
            (a && model_lm_written(a) && a->words[a->n - 1].id == eos));
}

/* After a word written on: at the end of a sentence the writing stops. */
static unsigned model_lm_on(struct model *m, unsigned changed)
{
    if (m->lm.writing && model_lm_sentence_ended(m)) {
        m->lm.writing = false;
        model_say(m, "a sentence ended (</s>): w writes on");
    }
    return changed;
}

unsigned model_lm_write_on(struct model *m)
{
    if (!model_is_lm(m))
        return MODEL_CHANGED_NONE;
    m->lm.writing = true;
    model_say(m, "writing a word every %.1f s: any key stops it", MODEL_LM_PACE_MS / 1000.0);
    return model_lm_on(m, model_lm_write(m) | MODEL_CHANGED_VIEW);
}

unsigned model_lm_tick(struct model *m)
{
    if (!m->lm.writing || m->layout.too_small)
        return MODEL_CHANGED_NONE;
    unsigned changed = model_lm_write(m);
    m->lm.ticks++;
    return model_lm_on(m, changed);
}

bool model_lm_prompt_fill(struct model *m)
{
    if (!model_is_lm(m))
        return false;
    const struct writer *w = m->lm.writer;
    struct model_prompt *p = &m->prompt;
    size_t len = model_lm_typed_len(w);
    if (len >= sizeof p->text) { /* a longer --prompt: its head, cut between characters */
        len = sizeof p->text - 1;
        while (len > 0 && ((unsigned char)w->typed[len] & 0xc0) == 0x80)
            len--;
    }
    memcpy(p->text, w->typed, len);
    p->text[len] = '\0';
    p->len = len;
    return true;
}

unsigned model_lm_prompt_set(struct model *m, const char *text, size_t len)
{
    struct writer *b = m->lm.writer;
    struct ls_error err = {{0}};
    /* reserved: no allocation, no failure */
    writer_set_prompt(b, text, len, &err);
    bool dead = !model_lm_follow(m, &err);
    if (dead) { /* the start of a sentence always has words to come (writer_init) */
        writer_set_prompt(b, "", 0, &err);
        model_lm_follow(m, &err);
    }
    if (m->lm.have_a && writer_copy(&m->lm.a, b, &err) != 0 && m->lm.ab) {
        m->compare = m->lm.ab = false;
        model_relayout(m);
        model_say(m, "compare off: %s", err.msg);
        return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
    }
    size_t unknown = 0;
    for (size_t i = 0; i < b->n_prompt; i++)
        unknown += b->words[i].unknown;
    if (dead)
        model_say(m, "after that prompt the model gives no word a probability: the prompt is "
                  "empty");
    else if (unknown)
        model_say(m, "prompt: %zu words, %zu the model does not know (marked)", b->n_prompt,
                  unknown);
    else
        model_say(m, "prompt: %zu words", b->n_prompt);
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

bool model_lm_compare(struct model *m)
{
    struct model_lm *l = &m->lm;
    struct ls_error err = {{0}};
    const struct writer *b = l->writer;
    if (!l->have_a) {
        if (writer_init(&l->a, b->lm, m->seed, &err) != 0) {
            model_say(m, "no memory for A's text: %s", err.msg);
            return false;
        }
        l->have_a = true;
        if (model_lm_reserve(&l->a, b->n_prompt, model_lm_typed_len(b), &err) != 0) {
            model_say(m, "no memory for A's text: %s", err.msg);
            return false;
        }
    }
    if (writer_copy(&l->a, b, &err) != 0) {
        model_say(m, "no memory for A's text: %s", err.msg);
        return false;
    }
    return true;
}
