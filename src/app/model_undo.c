/* model_undo.c: undo (u) and redo (U) of the settings: a ring of the states before each
 * change, and a message that says what came back. */
#include "model.h"
#include "model_internal.h"

#include <stdio.h>

/* The actions that change settings: a state before each is kept to go back to. */
static bool model_is_setting(enum action_kind k)
{
    switch (k) {
    case ACT_STEP: case ACT_HOME: case ACT_END: case ACT_OFF: case ACT_SET: case ACT_LAB:
    case ACT_ORDER: case ACT_SEED: case ACT_RESET: case ACT_CHAIN_REMOVE: case ACT_CHAIN_MOVE:
    case ACT_CHAIN_DRAG: case ACT_PICK_TAKE: case ACT_PROMPT_DONE:
        return true;
    default:
        return false;
    }
}

static struct model_state *model_undo_slot(struct model *m, int i)
{
    return &m->undo.ring[(m->undo.first + i) % MODEL_UNDO_MAX];
}

/* After an action: `before` goes on the undo list when the action changed a setting. */
void model_undo_note(struct model *m, const struct action *a,
                     const struct model_state *before)
{
    struct model_undo *u = &m->undo;
    bool drag = a->kind == ACT_SET && u->set_param == a->arg && u->back > 0;
    u->set_param = a->kind == ACT_SET ? a->arg : -1;
    if (!model_is_setting(a->kind) || drag ||
        (params_equal(&before->params, &m->params) && before->seed == m->seed))
        return;
    if (u->back == MODEL_UNDO_MAX) { /* the oldest goes */
        u->first = (u->first + 1) % MODEL_UNDO_MAX;
        u->back--;
    }
    *model_undo_slot(m, u->back++) = *before;
    u->ahead = 0;
}

/* "top-p back to 0.9": what differs between two states, in a few words. */
static void model_state_diff(const struct model_state *from, const struct model_state *to,
                             char *buf, size_t cap)
{
    int changed = 0, which = -1;
    for (int i = 0; i < PARAM_COUNT; i++)
        if (params_get(&from->params, (enum param_id)i) !=
            params_get(&to->params, (enum param_id)i)) {
            changed++;
            which = i;
        }
    if (!chain_equal(&from->params.chain, &to->params.chain)) {
        char chain[160];
        chain_format(&to->params.chain, " > ", chain, sizeof chain);
        snprintf(buf, cap, "the chain back to %s", chain);
    } else if (changed == 1) {
        char v[40];
        if (param_spec((enum param_id)which)->kind == PARAM_WHOLE)
            snprintf(v, sizeof v, "%zu", params_whole(&to->params, (enum param_id)which));
        else
            param_format_double(params_real(&to->params, (enum param_id)which), v, sizeof v);
        snprintf(buf, cap, "%s back to %s", param_spec((enum param_id)which)->label, v);
    } else if (changed > 1) {
        snprintf(buf, cap, "%d settings back", changed);
    } else {
        snprintf(buf, cap, "the seed back to %llu", (unsigned long long)to->seed);
    }
}

/* u (dir -1) and U (dir +1): the state before the last change, or after the last undone. */
unsigned model_undo_step(struct model *m, int dir)
{
    struct model_undo *u = &m->undo;
    const char *what = dir < 0 ? "undo" : "redo";
    if (dir < 0 ? u->back == 0 : u->ahead == 0) {
        model_say(m, "nothing to %s", what);
        return MODEL_CHANGED_VIEW;
    }
    struct model_state *slot = model_undo_slot(m, dir < 0 ? u->back - 1 : u->back);
    struct model_state now = {m->params, m->seed}, to = *slot;
    *slot = now;
    u->back += dir;
    u->ahead -= dir;
    u->set_param = -1;
    m->params = to.params;
    if (m->seed != to.seed) {
        m->seed = to.seed;
        model_seed_gen(m);
    }
    model_build_sliders(m);
    model_relayout(m);
    model_apply(m);
    model_draw_a(m);
    char diff[200];
    model_state_diff(&now, &to, diff, sizeof diff);
    int left = dir < 0 ? u->back : u->ahead;
    model_say(m, "%s: %s (%d more to %s)", what, diff, left, what);
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}
