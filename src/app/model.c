/* model.c: the explorer's state machine. Every action that changes a parameter runs the one
 * engine path (engine_apply, then engine_draw) exactly once; nothing here allocates after
 * model_init(), so a keystroke costs the same at V = 10 and V = 262,144. */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* top-k's track switches to a log scale beyond this many tokens: at V = 262,144 a linear
 * track would put every useful k (1..100) on the first cell. */
#define MODEL_TOPK_LINEAR_MAX 256

static const struct slider_spec model_specs[SLIDER_COUNT] = {
    [SLIDER_TEMPERATURE] = {"temperature", "T", 0.0, 5.0, 20, 1.0, false},
    [SLIDER_TOP_P] = {"top-p", "top-p", 0.01, 1.0, 100, 1.0, true},
    [SLIDER_TOP_K] = {"top-k", "top-k", 0.0, 0.0, 1, 0.0, true},
    [SLIDER_MIN_P] = {"min-p", "min-p", 0.0, 1.0, 100, 0.0, true},
};

bool model_is_llama(const struct model *m)
{
    return chain_which_preset(&m->params.chain) == PRESET_LLAMA;
}

const struct slider_spec *model_slider_spec(enum slider s)
{
    return &model_specs[s < SLIDER_COUNT ? s : 0];
}

double model_slider_hi(const struct model *m, enum slider s)
{
    return s == SLIDER_TOP_K ? (double)m->vocab->n : model_specs[s].hi;
}

enum param_id model_slider_param(enum slider s)
{
    static const enum param_id params[SLIDER_COUNT] = {
        [SLIDER_TEMPERATURE] = PARAM_TEMPERATURE,
        [SLIDER_TOP_P] = PARAM_TOP_P,
        [SLIDER_TOP_K] = PARAM_TOP_K,
        [SLIDER_MIN_P] = PARAM_MIN_P,
    };
    return params[s < SLIDER_COUNT ? s : 0];
}

double model_slider_value(const struct model *m, enum slider s)
{
    return params_get(&m->params, model_slider_param(s));
}

bool model_slider_is_off(const struct model *m, enum slider s)
{
    const struct slider_spec *sp = &model_specs[s];
    return sp->has_off && model_slider_value(m, s) == sp->off;
}

static bool model_topk_is_log(const struct model *m)
{
    return m->vocab->n > MODEL_TOPK_LINEAR_MAX;
}

double model_slider_fraction(const struct model *m, enum slider s)
{
    double v = model_slider_value(m, s), lo = model_specs[s].lo, hi = model_slider_hi(m, s);
    double f;
    if (s == SLIDER_TOP_K && model_topk_is_log(m))
        f = log1p(v) / log1p(hi);
    else
        f = hi > lo ? (v - lo) / (hi - lo) : 0.0;
    return f < 0.0 ? 0.0 : f > 1.0 ? 1.0 : f;
}

double model_slider_at(const struct model *m, enum slider s, double fraction)
{
    double lo = model_specs[s].lo, hi = model_slider_hi(m, s), v;
    fraction = fraction < 0.0 ? 0.0 : fraction > 1.0 ? 1.0 : fraction;
    if (s == SLIDER_TOP_K && model_topk_is_log(m))
        v = expm1(fraction * log1p(hi));
    else
        v = lo + fraction * (hi - lo);
    double den = model_specs[s].den, r = round(v * den) / den;
    return r < lo ? lo : r > hi ? hi : r;
}

/* Writes a value into params. The caller keeps it inside the slider's range. */
static void model_slider_store(struct model *m, enum slider s, double v)
{
    params_set(&m->params, model_slider_param(s), v);
}

/* `steps` grid steps from v. Off-grid values (from -t 0.73) snap to the grid in the direction
 * of travel; a value outside the range from the command line is never pushed further out. */
static double model_step_value(double v, const struct slider_spec *sp, double hi, int steps)
{
    double den = sp->den, x = v * den;
    double base = steps > 0 ? floor(x + 1e-7) : ceil(x - 1e-7);
    double r = (base + steps) / den;
    double top = v > hi ? v : hi, bottom = v < sp->lo ? v : sp->lo;
    return r > top ? top : r < bottom ? bottom : r;
}

double model_curve_t(const struct model *m, size_t i)
{
    size_t n = m->curve.n > 1 ? m->curve.n : 2;
    return model_specs[SLIDER_TEMPERATURE].hi * (double)i / (double)(n - 1);
}

/* Samples for `want` dot columns: one each, fewer when V makes each engine_apply slow. */
static size_t model_curve_samples(const struct model *m, size_t want)
{
    size_t v = m->vocab->n_finite ? m->vocab->n_finite : 1, cap = MODEL_CURVE_WORK / v;
    cap = cap < MODEL_CURVE_MIN ? MODEL_CURVE_MIN : cap;
    size_t n = want < cap ? want : cap;
    n = n > MODEL_CURVE_MAX ? MODEL_CURVE_MAX : n;
    return n < 2 ? 2 : n;
}

/* The curve does not depend on the temperature: it is recomputed only when a filter, the
 * order or the plot's width changed, so a temperature step only moves the marker. Every
 * point is engine_apply's own entropy, the number `sweep --format summary` prints. */
static void model_curve_refresh(struct model *m)
{
    struct model_curve *c = &m->curve;
    size_t want = m->layout.plot_dots > 0 ? (size_t)m->layout.plot_dots : 0;
    if (!m->plot || !c->ready || want == 0)
        return;
    size_t n = model_curve_samples(m, want);
    if (c->valid && c->n == n && params_equal_but_t(&c->key, &m->params))
        return;
    c->key = m->params;
    c->n = n;
    struct params p = m->params;
    for (size_t i = 0; i < n; i++) {
        params_set(&p, PARAM_TEMPERATURE, model_curve_t(m, i));
        engine_apply(&c->dist, &p);
        c->bits[i] = c->dist.entropy_bits;
        c->applies++;
    }
    c->valid = true;
}

static void model_apply(struct model *m)
{
    engine_apply(&m->dist, &m->params);
    engine_draw(&m->dist, m->samples, m->seed);
    m->applies++;
    model_curve_refresh(m);
}

/* A's draws follow B's N and seed, so a new seed or a reset redraws both. */
static void model_draw_a(struct model *m)
{
    if (m->compare)
        engine_draw(&m->dist_a, m->samples, m->seed);
}

/* Sets slider s to v; recomputes only when the value really changed. */
static unsigned model_set(struct model *m, enum slider s, double v)
{
    if (model_slider_value(m, s) == v)
        return MODEL_CHANGED_NONE;
    model_slider_store(m, s, v);
    model_apply(m);
    return MODEL_CHANGED_PARAMS;
}

static unsigned model_step(struct model *m, int steps)
{
    enum slider s = m->focus;
    double v = model_slider_value(m, s), hi = model_slider_hi(m, s);
    if (s == SLIDER_TOP_K) {
        /* integers: no grid arithmetic in doubles for a count that can pass 2^53 in theory */
        size_t k = params_whole(&m->params, PARAM_TOP_K), n = m->vocab->n, mag = (size_t)(steps < 0 ? -steps : steps);
        size_t top = k > n ? k : n;
        k = steps < 0 ? (k > mag ? k - mag : 0) : (top - k > mag ? k + mag : top);
        return model_set(m, s, (double)k);
    }
    return model_set(m, s, model_step_value(v, &model_specs[s], hi, steps));
}

static void model_seed_rngs(struct model *m)
{
    rng_seed(&m->seed_rng, m->seed ^ 0x5DEECE66DULL);
    rng_seed(&m->gen_rng, m->seed ^ 0x9E3779B97F4A7C15ULL);
}

static unsigned model_lab(struct model *m, int index)
{
    const struct settings *lab = m->start.lab;
    if (!lab || index < 1 || (size_t)index > lab->n) {
        snprintf(m->message, sizeof m->message, "no lab setting %d (%zu loaded)", index,
                 lab ? lab->n : (size_t)0);
        return MODEL_CHANGED_VIEW;
    }
    const struct setting *st = &lab->items[index - 1];
    struct chain keep = m->params.chain; /* the chain is the explorer's own */
    m->params = st->params;
    m->params.chain = keep;
    model_apply(m);
    snprintf(m->message, sizeof m->message, "lab %d: %s", index, st->name ? st->name : "");
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

static unsigned model_new_seed(struct model *m)
{
    m->seed = rng_next(&m->seed_rng) & 0xFFFFFFFFu; /* short enough to type into --seed */
    rng_seed(&m->gen_rng, m->seed ^ 0x9E3779B97F4A7C15ULL);
    engine_draw(&m->dist, m->samples, m->seed);
    model_draw_a(m);
    snprintf(m->message, sizeof m->message, "new seed %llu", (unsigned long long)m->seed);
    return MODEL_CHANGED_DRAWS | MODEL_CHANGED_VIEW;
}

static unsigned model_draw_one(struct model *m)
{
    size_t r = engine_draw_one(&m->dist, &m->gen_rng);
    m->gen[m->gen_count % MODEL_GEN_MAX] = m->vocab->order[r];
    m->gen_count++;
    return MODEL_CHANGED_VIEW;
}

static unsigned model_reset(struct model *m)
{
    m->params = m->start.params;
    m->samples = m->start.samples;
    m->seed = m->start.seed;
    m->focus = SLIDER_TEMPERATURE;
    m->help = false;
    m->scroll = 0;
    m->gen_count = 0;
    model_seed_rngs(m);
    model_apply(m);
    model_draw_a(m); /* the panels stay as they are: r resets the settings, A stays pinned */
    snprintf(m->message, sizeof m->message, "reset");
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

size_t model_scroll_max(const struct model *m)
{
    size_t n = m->vocab->n, rows = (size_t)m->layout.page_rows;
    return n > rows ? n - rows : 0;
}

#define MODEL_MARK_ROWS 3 /* the histogram's mark rows: where top-k, top-p and min-p end */
_Static_assert(SLIDER_COUNT == LAYOUT_SLIDER_ROWS, "the layout has a row for each slider");
#define MODEL_SCREEN_MAX 100000 /* columns or rows: far beyond any terminal */

/* The layout for the screen and the panels open now, and what follows from it: the scroll
 * and the help's first line kept in range, the curve sampled for the plot's width. Every
 * action that changes the screen or opens or closes a panel ends here. */
static void model_relayout(struct model *m)
{
    layout_make(&m->layout, &m->screen, m->vocab->n + MODEL_MARK_ROWS, m->plot);
    size_t max = model_scroll_max(m), help_max = (size_t)m->layout.help.max_top;
    m->scroll = m->scroll > max ? max : m->scroll;
    m->help_top = m->help_top > help_max ? help_max : m->help_top;
    model_curve_refresh(m);
}

static int model_screen_size(double v)
{
    return !(v > 0) ? 0 : v > MODEL_SCREEN_MAX ? MODEL_SCREEN_MAX : (int)v;
}

/* ACT_RESIZE and ACT_GLYPHS: the terminal, as the tui sees it. */
static unsigned model_screen(struct model *m, const struct action *a)
{
    struct layout_screen s = m->screen;
    if (a->kind == ACT_GLYPHS) {
        s.ascii = a->arg != 0;
    } else {
        s.cols = model_screen_size(a->arg);
        s.rows = model_screen_size(a->value);
    }
    if (s.cols == m->screen.cols && s.rows == m->screen.rows && s.ascii == m->screen.ascii)
        return MODEL_CHANGED_NONE;
    m->screen = s;
    model_relayout(m);
    return MODEL_CHANGED_VIEW;
}

static unsigned model_scroll_by(struct model *m, long long rows)
{
    size_t old = m->scroll, max = model_scroll_max(m);
    if (rows < 0)
        m->scroll = (unsigned long long)-rows > m->scroll ? 0 : m->scroll - (size_t)-rows;
    else
        m->scroll = (unsigned long long)rows > max - (m->scroll < max ? m->scroll : max)
                        ? max
                        : m->scroll + (size_t)rows;
    return m->scroll != old ? MODEL_CHANGED_VIEW : MODEL_CHANGED_NONE;
}

static unsigned model_focus(struct model *m, int dir)
{
    int f = ((int)m->focus + (dir < 0 ? SLIDER_COUNT - 1 : 1)) % SLIDER_COUNT;
    m->focus = (enum slider)f;
    return MODEL_CHANGED_VIEW;
}

/* A panel's own dist, allocated when the panel first opens, never per keystroke. False (and
 * the message says so) when there is no memory for it. */
static bool model_panel_dist(struct model *m, struct dist *d, bool *ready, const char *panel)
{
    if (*ready)
        return true;
    if (dist_init(d, m->vocab) != 0) {
        snprintf(m->message, sizeof m->message, "no memory for %s", panel);
        return false;
    }
    *ready = true;
    return true;
}

/* g */
static unsigned model_plot(struct model *m)
{
    if (!m->plot && !model_panel_dist(m, &m->curve.dist, &m->curve.ready, "the plot"))
        return MODEL_CHANGED_VIEW;
    m->plot = !m->plot;
    model_relayout(m);
    return MODEL_CHANGED_VIEW;
}

/* c: A is the same engine run (engine_apply, then engine_draw with B's N and seed) on the
 * settings of the moment; B keeps moving with the sliders. */
static unsigned model_compare(struct model *m)
{
    if (m->compare) {
        m->compare = false;
        model_relayout(m);
        snprintf(m->message, sizeof m->message, "compare off");
        return MODEL_CHANGED_VIEW;
    }
    if (!model_panel_dist(m, &m->dist_a, &m->have_a, "A/B compare"))
        return MODEL_CHANGED_VIEW;
    m->pin = m->params;
    engine_apply(&m->dist_a, &m->pin);
    m->applies++;
    m->compare = true;
    model_relayout(m);
    model_draw_a(m);
    snprintf(m->message, sizeof m->message, "A pinned; the sliders move B (c again: off)");
    return MODEL_CHANGED_VIEW;
}

static unsigned model_focus_set(struct model *m, int s)
{
    if (s < 0 || s >= SLIDER_COUNT || m->focus == (enum slider)s)
        return MODEL_CHANGED_NONE;
    m->focus = (enum slider)s;
    return MODEL_CHANGED_VIEW;
}

static unsigned model_set_action(struct model *m, const struct action *a)
{
    if (a->arg < 0 || a->arg >= SLIDER_COUNT || isnan(a->value))
        return MODEL_CHANGED_NONE;
    enum slider s = (enum slider)a->arg;
    double lo = model_specs[s].lo, hi = model_slider_hi(m, s), den = model_specs[s].den;
    double v = round(a->value * den) / den;
    return model_set(m, s, v < lo ? lo : v > hi ? hi : v);
}

/* Help open: rows and pages, kept between the first line and the last page. */
static unsigned model_help_scroll(struct model *m, const struct action *a)
{
    if (!m->help)
        return MODEL_CHANGED_NONE;
    int shown = m->layout.help.page;
    double page = shown > 1 ? shown - 1 : 1; /* one line of context */
    double top = (double)m->help_top + a->arg + a->value * page, max = m->layout.help.max_top;
    top = top < 0 ? 0 : top > max ? max : top;
    if ((size_t)top == m->help_top)
        return MODEL_CHANGED_NONE;
    m->help_top = (size_t)top;
    return MODEL_CHANGED_VIEW;
}

/* The actions that change a parameter or the view. */
static unsigned model_dispatch(struct model *m, const struct action *a)
{
    enum slider s = m->focus;
    switch (a->kind) {
    case ACT_FOCUS: return model_focus(m, a->arg);
    case ACT_STEP: return model_step(m, a->arg);
    case ACT_HOME: return model_set(m, s, model_specs[s].lo);
    case ACT_END: return model_set(m, s, model_slider_hi(m, s));
    case ACT_OFF: return model_set(m, s, model_specs[s].off);
    case ACT_SET: return model_set_action(m, a);
    case ACT_LAB: return model_lab(m, a->arg);
    case ACT_ORDER:
        m->params.chain = chain_preset(model_is_llama(m) ? PRESET_HF : PRESET_LLAMA);
        model_apply(m);
        return MODEL_CHANGED_PARAMS;
    case ACT_SEED: return model_new_seed(m);
    case ACT_DRAW_ONE: return model_draw_one(m);
    case ACT_RESET: return model_reset(m);
    case ACT_HELP:
        m->help = !m->help;
        m->help_top = 0;
        return MODEL_CHANGED_VIEW;
    case ACT_HELP_SCROLL: return model_help_scroll(m, a);
    case ACT_SCROLL: return model_scroll_by(m, (long long)a->arg * m->layout.page_rows);
    case ACT_SCROLL_ROWS: return model_scroll_by(m, a->arg);
    case ACT_REDRAW: return MODEL_CHANGED_REDRAW;
    case ACT_QUIT: m->quit = true; return MODEL_CHANGED_QUIT;
    case ACT_PLOT: return model_plot(m);
    case ACT_COMPARE: return model_compare(m);
    case ACT_RESIZE:
    case ACT_GLYPHS: return model_screen(m, a);
    case ACT_FOCUS_SET: return model_focus_set(m, a->arg);
    case ACT_NONE: break;
    }
    return MODEL_CHANGED_NONE;
}

/* While "terminal too small" shows, nothing can be seen changing: only the keys that quit,
 * repaint or toggle help act, so that no setting moves unseen. */
static bool model_acts_when_too_small(enum action_kind kind)
{
    return kind == ACT_QUIT || kind == ACT_REDRAW || kind == ACT_HELP;
}

unsigned model_update(struct model *m, const struct action *a)
{
    /* The terminal's news is not a person's doing: the message stays, and so does help.
     * Anything a person does clears the last message, and with help open any key just
     * closes it. */
    if (a->kind == ACT_RESIZE || a->kind == ACT_GLYPHS)
        return model_dispatch(m, a);
    if (m->layout.too_small && !model_acts_when_too_small(a->kind))
        return MODEL_CHANGED_NONE;
    unsigned changed = m->message[0] ? MODEL_CHANGED_VIEW : MODEL_CHANGED_NONE;
    m->message[0] = '\0';
    if (m->help && a->kind != ACT_REDRAW && a->kind != ACT_SCROLL_ROWS &&
        a->kind != ACT_HELP_SCROLL) {
        m->help = false;
        return changed | MODEL_CHANGED_VIEW;
    }
    return changed | model_dispatch(m, a);
}

size_t model_gen_len(const struct model *m)
{
    return m->gen_count < MODEL_GEN_MAX ? m->gen_count : MODEL_GEN_MAX;
}

uint32_t model_gen_at(const struct model *m, size_t i)
{
    size_t first = m->gen_count - model_gen_len(m);
    return m->gen[(first + i) % MODEL_GEN_MAX];
}

int model_init(struct model *m, const struct model_config *c, struct ls_error *err)
{
    memset(m, 0, sizeof *m);
    if (params_check(&c->params, err) != 0)
        return -1;
    m->start = *c;
    m->vocab = c->vocab;
    /* k >= V keeps every token: V is the same distribution, and the top of the slider */
    if (params_whole(&m->start.params, PARAM_TOP_K) > c->vocab->n)
        m->start.params.v[PARAM_TOP_K].whole = c->vocab->n;
    if (dist_init(&m->dist, c->vocab) != 0)
        return ls_error_set(err, "out of memory for %zu tokens", c->vocab->n);
    m->screen = (struct layout_screen){LAYOUT_DEFAULT_COLS, LAYOUT_DEFAULT_ROWS, false};
    model_relayout(m);
    model_reset(m);
    m->message[0] = '\0';
    m->applies = 1;
    return 0;
}

void model_free(struct model *m)
{
    dist_free(&m->dist);
    if (m->curve.ready)
        dist_free(&m->curve.dist);
    if (m->have_a)
        dist_free(&m->dist_a);
}
