/* model_chain.c: the chain itself: presets, and the stages a person removes, moves or adds
 * from the picker. The order rules are the engine's (chain_check); here they become messages. */
#include "model.h"
#include "model_internal.h"

#include <stdio.h>

int model_picker_entries(const struct model *m, enum sampler_id *out)
{
    int n = 0;
    for (int s = 0; s < SAMPLER_COUNT; s++)
        if (!chain_has(&m->params.chain, (enum sampler_id)s))
            out[n++] = (enum sampler_id)s;
    return n;
}

/* A sampler leaves the chain: its parameters go back to their defaults, so nothing is set
 * that does nothing (the same rule as the command line's). */
static void model_reset_sampler(struct model *m, enum sampler_id s)
{
    const struct sampler_spec *ss = sampler_spec(s);
    for (int i = 0; i < ss->n_params; i++)
        params_set(&m->params, ss->params[i], param_spec(ss->params[i])->def);
}

static void model_chain_message(struct model *m, const char *what)
{
    char chain[160];
    chain_format(&m->params.chain, " > ", chain, sizeof chain);
    model_say(m, "%s: %s", what, chain);
}

/* After the chain changed: the sliders, the layout (the rows), the distribution. */
static unsigned model_chain_changed(struct model *m, const char *what)
{
    model_build_sliders(m);
    model_relayout(m);
    model_apply(m);
    model_chain_message(m, what);
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

/* o: the next preset (a custom chain goes to hf); the parameters of samplers the preset
 * lacks go back to their defaults. */
unsigned model_next_preset(struct model *m)
{
    enum chain_preset p = chain_which_preset(&m->params.chain);
    struct chain next = chain_preset(p >= PRESET_COUNT - 1 ? PRESET_HF : p + 1);
    for (int s = 0; s < SAMPLER_COUNT; s++)
        if (!chain_has(&next, (enum sampler_id)s))
            model_reset_sampler(m, (enum sampler_id)s);
    m->params.chain = next;
    return model_chain_changed(m, chain_preset_name(chain_which_preset(&next)));
}

unsigned model_chain_remove(struct model *m)
{
    struct chain *c = &m->params.chain;
    int row = model_focus_row(m);
    if (c->n <= 1) {
        snprintf(m->message, sizeof m->message, "the chain keeps at least one sampler");
        return MODEL_CHANGED_VIEW;
    }
    enum sampler_id s = (enum sampler_id)c->stage[row];
    chain_remove(c, row);
    model_reset_sampler(m, s);
    char what[64];
    snprintf(what, sizeof what, "%s removed", sampler_spec(s)->name);
    return model_chain_changed(m, what);
}

unsigned model_chain_move_to(struct model *m, int from, int to)
{
    struct chain *c = &m->params.chain;
    if (from < 0 || from >= c->n)
        return MODEL_CHANGED_NONE;
    struct chain was = *c;
    if (chain_move(c, from, to - from) == from)
        return MODEL_CHANGED_NONE;
    struct ls_error why;
    if (chain_check(c, &why)) { /* penalties and DRY stay before the stages that cut */
        *c = was;
        model_say(m, "cannot move it there: %s", why.msg);
        return MODEL_CHANGED_VIEW;
    }
    unsigned changed = model_chain_changed(m, "moved"); /* focus keeps its parameter */
    model_slider_scroll(m);
    return changed;
}

unsigned model_picker_open(struct model *m)
{
    enum sampler_id avail[SAMPLER_COUNT];
    if (model_picker_entries(m, avail) == 0) {
        snprintf(m->message, sizeof m->message, "every sampler is in the chain");
        return MODEL_CHANGED_VIEW;
    }
    m->picker = true;
    m->picker_at = 0;
    model_relayout(m);
    return MODEL_CHANGED_VIEW;
}

unsigned model_picker_close(struct model *m)
{
    m->picker = false;
    model_relayout(m);
    return MODEL_CHANGED_VIEW;
}

/* Where s goes in c: at `want`, or the nearest place the chain allows (penalties and DRY
 * go before the stages that cut, those after them), the earlier on a tie. */
static int model_insert_at(const struct chain *c, int want, enum sampler_id s)
{
    for (int d = 0; d <= c->n; d++)
        for (int sign = -1; sign <= 1; sign += 2) {
            int at = want + sign * d;
            struct chain t = *c;
            if (at >= 0 && at <= c->n && chain_insert(&t, at, s) && chain_check(&t, NULL) == 0)
                return at;
        }
    return want;
}

/* Adds the picked sampler after the focused stage (or where the chain allows it) and focuses
 * it. */
unsigned model_picker_take(struct model *m, int entry)
{
    enum sampler_id avail[SAMPLER_COUNT];
    int n = model_picker_entries(m, avail);
    entry = entry >= 0 ? entry : m->picker_at;
    if (entry >= n)
        return MODEL_CHANGED_NONE;
    m->picker = false;
    chain_insert(&m->params.chain,
                 model_insert_at(&m->params.chain, model_focus_row(m) + 1, avail[entry]),
                 avail[entry]);
    char what[64];
    snprintf(what, sizeof what, "%s added", sampler_spec(avail[entry])->name);
    unsigned changed = model_chain_changed(m, what);
    int at = model_slider_of(m, sampler_spec(avail[entry])->params[0]);
    m->focus = at >= 0 ? at : m->focus;
    model_slider_scroll(m);
    return changed;
}

unsigned model_picker_move(struct model *m, int dir)
{
    enum sampler_id avail[SAMPLER_COUNT];
    int n = model_picker_entries(m, avail);
    m->picker_at = (m->picker_at + (dir < 0 ? n - 1 : 1)) % n;
    return MODEL_CHANGED_VIEW;
}
