/* model_slider.c: the sliders, one per parameter of the chain's stages: their tracks, which
 * one has the focus, and the values they set (each a single engine run through model_apply). */
#include "model.h"
#include "model_internal.h"

#include <math.h>
#include <stdio.h>

/* top-k's track switches to a log scale beyond this many tokens: at V = 262,144 a linear
 * track would put every useful k (1..100) on the first cell. */
#define MODEL_TOPK_LINEAR_MAX 256

enum param_id model_focus_param(const struct model *m)
{
    return m->n_sliders ? m->sliders[m->focus].param : PARAM_TEMPERATURE;
}

int model_focus_row(const struct model *m)
{
    return m->n_sliders ? m->sliders[m->focus].row : 0;
}

int model_slider_of(const struct model *m, enum param_id p)
{
    for (int i = 0; i < m->n_sliders; i++)
        if (m->sliders[i].param == p)
            return i;
    return -1;
}

double model_slider_lo(enum param_id p)
{
    return param_spec(p)->slider_lo;
}

/* The largest vocabulary of the source: top-k's track ends there, so that it stays put while
 * the positions of a sequence change under it. */
size_t model_vocab_max(const struct model *m)
{
    return m->src->max_vocab;
}

double model_slider_hi(const struct model *m, enum param_id p)
{
    const struct param_spec *ps = param_spec(p);
    return ps->slider_hi > 0 ? ps->slider_hi : (double)model_vocab_max(m);
}

double model_slider_value(const struct model *m, enum param_id p)
{
    return params_get(&m->params, p);
}

bool model_slider_is_off(const struct model *m, enum param_id p)
{
    return p != PARAM_TEMPERATURE && params_is_off(&m->params, p);
}

static bool model_is_log(const struct model *m, enum param_id p)
{
    return p == PARAM_TOP_K && model_vocab_max(m) > MODEL_TOPK_LINEAR_MAX;
}

double model_slider_fraction(const struct model *m, enum param_id p)
{
    double v = model_slider_value(m, p), lo = model_slider_lo(p), hi = model_slider_hi(m, p);
    double f;
    if (model_is_log(m, p))
        f = log1p(v) / log1p(hi);
    else
        f = hi > lo ? (v - lo) / (hi - lo) : 0.0;
    return f < 0.0 ? 0.0 : f > 1.0 ? 1.0 : f;
}

double model_slider_at(const struct model *m, enum param_id p, double fraction)
{
    double lo = model_slider_lo(p), hi = model_slider_hi(m, p), v;
    fraction = fraction < 0.0 ? 0.0 : fraction > 1.0 ? 1.0 : fraction;
    if (model_is_log(m, p))
        v = expm1(fraction * log1p(hi));
    else
        v = lo + fraction * (hi - lo);
    double den = param_spec(p)->den, r = round(v * den) / den;
    return r < lo ? lo : r > hi ? hi : r;
}

/* `steps` grid steps from v. Off-grid values (from -t 0.73) snap to the grid in the direction
 * of travel; a value outside the range from the command line is never pushed further out. */
static double model_step_value(double v, enum param_id p, double hi, int steps)
{
    double den = param_spec(p)->den, x = v * den, lo = model_slider_lo(p);
    double base = steps > 0 ? floor(x + 1e-7) : ceil(x - 1e-7);
    double r = (base + steps) / den;
    double top = v > hi ? v : hi, bottom = v < lo ? v : lo;
    return r > top ? top : r < bottom ? bottom : r;
}

/* The sliders of the chain, stage by stage: every parameter of a stage, but dynatemp's
 * exponent only while dynatemp is on. Focus stays on its parameter when it is still there,
 * else goes to the row now at its place. */
void model_build_sliders(struct model *m)
{
    enum param_id was = model_focus_param(m);
    int at_row = model_focus_row(m), n = 0;
    const struct chain *c = &m->params.chain;
    for (int r = 0; r < c->n; r++) {
        const struct sampler_spec *ss = sampler_spec((enum sampler_id)c->stage[r]);
        enum param_id shown[SAMPLER_PARAMS_MAX];
        int cells = 0;
        for (int i = 0; i < ss->n_params; i++)
            if (ss->params[i] != PARAM_DYNATEMP_EXP ||
                params_real(&m->params, PARAM_DYNATEMP_RANGE) > 0)
                shown[cells++] = ss->params[i];
        for (int i = 0; i < cells; i++)
            m->sliders[n++] = (struct slider){shown[i], r, i, cells};
    }
    m->n_sliders = n;
    int keep = model_slider_of(m, was);
    if (keep < 0) { /* its sampler left: the first slider of the row now at its place */
        at_row = at_row < c->n ? at_row : c->n - 1;
        for (int i = n - 1; i >= 0; i--)
            if (m->sliders[i].row == at_row)
                keep = i;
    }
    m->focus = keep >= 0 ? keep : 0;
}

/* The first slider row shown, so that the focused one is on screen. */
void model_slider_scroll(struct model *m)
{
    int shown = m->layout.sliders.h, rows = m->params.chain.n;
    int row = model_focus_row(m);
    if (shown <= 0)
        return;
    if (row < m->slider_top)
        m->slider_top = row;
    if (row >= m->slider_top + shown)
        m->slider_top = row - shown + 1;
    if (m->slider_top > rows - shown)
        m->slider_top = rows - shown > 0 ? rows - shown : 0;
}

/* Sets parameter p to v; recomputes only when the value really changed. */
unsigned model_set(struct model *m, enum param_id p, double v)
{
    if (model_slider_value(m, p) == v)
        return MODEL_CHANGED_NONE;
    params_set(&m->params, p, v);
    if (p == PARAM_DYNATEMP_RANGE) /* its exponent's slider comes and goes with it */
        model_build_sliders(m);
    model_apply(m);
    return MODEL_CHANGED_PARAMS;
}

unsigned model_step(struct model *m, int steps)
{
    enum param_id p = model_focus_param(m);
    double v = model_slider_value(m, p), hi = model_slider_hi(m, p);
    if (p == PARAM_TOP_K) {
        /* integers: no grid arithmetic in doubles for a count that can pass 2^53 in theory */
        size_t k = params_whole(&m->params, PARAM_TOP_K), n = model_vocab_max(m);
        size_t mag = (size_t)(steps < 0 ? -steps : steps), top = k > n ? k : n;
        k = steps < 0 ? (k > mag ? k - mag : 0) : (top - k > mag ? k + mag : top);
        return model_set(m, p, (double)k);
    }
    return model_set(m, p, model_step_value(v, p, hi, steps));
}

/* 0: the sampler's "does nothing" value; temperature back to 1, and a parameter that has
 * no such value (XTC's threshold, dynatemp's exponent) back to its default. */
unsigned model_off(struct model *m)
{
    enum param_id p = model_focus_param(m);
    const struct param_spec *ps = param_spec(p);
    return model_set(m, p, isnan(ps->off) ? ps->def : ps->off);
}

void model_off_label(const struct model *m, char *buf, size_t cap)
{
    enum param_id p = model_focus_param(m);
    const struct param_spec *ps = param_spec(p);
    if (!isnan(ps->off) && p != PARAM_TEMPERATURE) {
        snprintf(buf, cap, "off");
        return;
    }
    char v[40];
    param_format_double(isnan(ps->off) ? ps->def : ps->off, v, sizeof v);
    snprintf(buf, cap, "%s=%s", ps->short_label, v);
}

/* Tab: every slider in turn, the cells of a shared row included. */
unsigned model_focus_cell(struct model *m, int dir)
{
    if (m->n_sliders == 0)
        return MODEL_CHANGED_NONE;
    m->focus = (m->focus + (dir < 0 ? m->n_sliders - 1 : 1)) % m->n_sliders;
    model_slider_scroll(m);
    return MODEL_CHANGED_VIEW;
}

/* Up and Down: the next row's first slider (its cell, when it has as many), wrapping. */
unsigned model_focus(struct model *m, int dir)
{
    int rows = m->params.chain.n;
    if (m->n_sliders == 0 || rows == 0)
        return MODEL_CHANGED_NONE;
    const struct slider *s = &m->sliders[m->focus];
    int row = (s->row + (dir < 0 ? rows - 1 : 1)) % rows, cell = s->cell, at = -1;
    for (int i = 0; i < m->n_sliders; i++)
        if (m->sliders[i].row == row && (at < 0 || m->sliders[i].cell <= cell))
            at = i;
    m->focus = at >= 0 ? at : m->focus;
    model_slider_scroll(m);
    return MODEL_CHANGED_VIEW;
}

unsigned model_focus_set(struct model *m, int param)
{
    int s = param >= 0 && param < PARAM_COUNT ? model_slider_of(m, (enum param_id)param) : -1;
    if (s < 0 || m->focus == s)
        return MODEL_CHANGED_NONE;
    m->focus = s;
    model_slider_scroll(m);
    return MODEL_CHANGED_VIEW;
}

unsigned model_set_action(struct model *m, const struct action *a)
{
    if (a->arg < 0 || a->arg >= PARAM_COUNT || isnan(a->value) ||
        model_slider_of(m, (enum param_id)a->arg) < 0)
        return MODEL_CHANGED_NONE;
    enum param_id p = (enum param_id)a->arg;
    double lo = model_slider_lo(p), hi = model_slider_hi(m, p), den = param_spec(p)->den;
    double v = round(a->value * den) / den;
    return model_set(m, p, v < lo ? lo : v > hi ? hi : v);
}

/* ---- the focused slider in words ---- */

bool model_knob_shown(const struct model *m)
{
    return m->layout.knob.h > 0 || (m->layout.gen.h > 0 && m->gen_count == 0);
}

/* Where the screen has no line for it, what the newly focused slider does goes on the status
 * line: the parameter table's meaning, the same words as --help. */
unsigned model_explain(struct model *m, unsigned changed)
{
    if (changed != MODEL_CHANGED_NONE && !model_knob_shown(m)) {
        const struct param_spec *ps = param_spec(model_focus_param(m));
        model_say(m, "%s: %s", ps->label, ps->meaning);
    }
    return changed;
}
