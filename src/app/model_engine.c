/* model_engine.c: the explorer's engine runs: B's distribution and A's pinned one in compare,
 * each with the history its chain reads. A key that changes a setting ends in model_apply(),
 * the one engine_apply and engine_draw it costs. */
#include "model.h"
#include "model_internal.h"

#include <stdio.h>
#include <string.h>

bool model_uses_history(const struct params *p)
{
    return chain_has(&p->chain, SAMPLER_PENALTIES) || chain_has(&p->chain, SAMPLER_DRY) ||
           chain_has(&p->chain, SAMPLER_MIROSTAT);
}

/* The history at position pos for d: the tokens a sequence chose before it, or else the
 * generated text (Space); mirostat's mu after it. Filled in the model's own buffers. */
static struct history model_history(struct model *m, const struct dist *d, size_t pos)
{
    struct history h;
    if (m->src->sequence) {
        h = source_history(m->src, pos, d->source, m->seq.hist_tokens, m->seq.hist_text,
                           m->seq.hist_len);
    } else {
        size_t n = model_gen_len(m);
        for (size_t i = 0; i < n; i++)
            m->hist[i] = model_gen_at(m, i);
        h = (struct history){.tokens = m->hist, .n = n};
    }
    h.mirostat_mu = m->mirostat_mu;
    return h;
}

/* engine_apply at position pos with its history when the chain reads one: the text a
 * language model wrote (its writer's), the tokens a sequence chose before pos, or else the
 * generated text (Space). Without memory for the re-sorted copy the dist is computed without
 * penalties and DRY, and says so. */
void model_engine(struct model *m, struct dist *d, const struct params *p, size_t pos)
{
    int lost;
    if (model_is_lm(m)) {
        lost = writer_apply(m->lm.writer, d, p);
    } else if (!model_uses_history(p)) {
        engine_apply(d, p);
        lost = 0;
    } else {
        struct history h = model_history(m, d, pos);
        lost = engine_apply_history(d, p, &h);
    }
    if (lost)
        model_say(m, "no memory for penalties and DRY: shown without them");
}

/* A and B side by side need one rank order: penalties and DRY with different settings
 * (or a temperature before them) sort the tokens differently, and then compare is off. */
static bool model_same_order(const struct model *m)
{
    const struct vocab *a = m->dist_a.vocab, *b = m->dist.vocab;
    return a == b || memcmp(a->order, b->order, a->n * sizeof *a->order) == 0;
}

void model_compare_check(struct model *m)
{
    if (m->lm.ab) { /* both texts go on; A's column shows while the orders agree */
        bool show = model_same_order(m);
        if (show != m->compare) {
            m->compare = show;
            model_relayout(m);
            if (!show)
                model_say(m, "A's column hidden: penalties or DRY rank the words differently "
                          "for A and B (both texts go on)");
        }
        return;
    }
    if (m->compare && !model_same_order(m)) {
        m->compare = false;
        model_relayout(m);
        model_say(m, "compare off: penalties or DRY rank the tokens differently for A and B");
    }
}

/* The distribution at position pos and what each of its stages was given: one engine run
 * (with the history when the chain reads one) and the stage inputs that the histogram's
 * ghosts, threshold lines and running total read. */
void model_run(struct model *m, size_t pos)
{
    model_engine(m, &m->dist, &m->params, pos);
    m->vocab = m->dist.vocab;
    engine_stage_inputs(&m->inputs, &m->dist);
}

void model_apply(struct model *m)
{
    model_rescan(m);
    model_run(m, m->seq.pos);
    engine_draw(&m->dist, m->samples, m->seed);
    m->applies++;
    model_mark(m, m->seq.pos, m->dist.source, &m->dist);
    model_curve_refresh(m);
    model_compare_check(m);
}

/* A's draws follow B's N and seed, so a new seed or a reset redraws both. */
void model_draw_a(struct model *m)
{
    if (m->compare || m->lm.ab)
        engine_draw(&m->dist_a, m->samples, m->seed);
}

/* A panel's own dist, allocated when the panel first opens, never per keystroke. False (and
 * the message says so) when there is no memory for it. */
bool model_panel_dist(struct model *m, struct dist *d, bool *ready, const char *panel)
{
    if (*ready)
        return true;
    if (dist_init_cap(d, m->dist.source, model_vocab_max(m)) != 0) {
        snprintf(m->message, sizeof m->message, "no memory for %s", panel);
        return false;
    }
    *ready = true;
    return true;
}

/* c: A is the same engine run (engine_apply, then engine_draw with B's N and seed) on the
 * settings of the moment; B keeps moving with the sliders. */
unsigned model_compare(struct model *m)
{
    if (m->compare || m->lm.ab) {
        m->compare = m->lm.ab = false;
        model_relayout(m);
        snprintf(m->message, sizeof m->message, "compare off");
        return MODEL_CHANGED_VIEW;
    }
    if (!model_panel_dist(m, &m->dist_a, &m->have_a, "A/B compare") ||
        (model_is_lm(m) && !model_lm_compare(m)))
        return MODEL_CHANGED_VIEW;
    m->pin = m->params;
    model_engine(m, &m->dist_a, &m->pin, m->seq.pos);
    m->applies++;
    m->compare = true;
    m->lm.ab = model_is_lm(m);
    model_relayout(m);
    model_draw_a(m);
    snprintf(m->message, sizeof m->message, "%s",
             model_is_lm(m) ? "A pinned: Space writes both, A as now, B with the sliders "
                              "(c: off)"
                            : "A pinned; the sliders move B (c again: off)");
    return MODEL_CHANGED_VIEW;
}
