/* mouse.c: mouse events to actions (pure, see mouse.h), and the few curses calls that make a
 * terminal report them. A knob follows the pointer with the same arithmetic slider_draw()
 * uses to place it, so the knob lands on the cell that was clicked. */
#include "mouse.h"

#include "widgets.h"

/* The value of slider s for a pointer at column x (clamped to the track's ends). */
static struct action mouse_set_at(const struct layout *l, const struct model *m, bool caps,
                                  int s, int x)
{
    int x0, inner;
    if (!slider_knob_span(l->sliders, m, l->label_w, s, caps, &x0, &inner))
        return (struct action){ACT_NONE, 0, 0.0};
    double f = inner > 1 ? (double)(x - x0) / (double)(inner - 1) : 0.0;
    enum param_id p = m->sliders[s].param;
    return (struct action){ACT_SET, (int)p, model_slider_at(m, p, f)};
}

/* The chain stage whose name is at column x of the chain line, or -1; *preset: x is on the
 * preset's name (or the line's label). */
static int mouse_stage_at(const struct layout *l, const struct model *m, bool caps, int x,
                          bool *preset)
{
    struct chain_span spans[SAMPLER_COUNT];
    int preset_x, shown = chain_line_geom(l->chain, m, l->label_w, caps, spans, &preset_x);
    *preset = x < (shown ? spans[0].x : preset_x + 6);
    for (int i = 0; i < shown; i++)
        if (x >= spans[i].x - 1 && x <= spans[i].x + spans[i].w)
            return i;
    return -1;
}

static int mouse_press_chain(const struct mouse_event *e, const struct layout *l,
                             const struct model *m, bool caps, struct mouse_drag *drag,
                             struct action *out)
{
    bool preset;
    int stage = mouse_stage_at(l, m, caps, e->x, &preset);
    if (preset) {
        out[0] = (struct action){ACT_ORDER, 0, 0.0};
        return 1;
    }
    if (stage < 0)
        return 0;
    drag->stage = stage;
    enum sampler_id id = (enum sampler_id)m->params.chain.stage[stage];
    out[0] = (struct action){ACT_FOCUS_SET, (int)sampler_spec(id)->params[0], 0.0};
    return 1;
}

/* A press on a sequence's text or entropy strip: the position there. */
static int mouse_press_strip(const struct mouse_event *e, const struct layout *l,
                             const struct model *m, struct action *out)
{
    size_t pos;
    if (e->y == l->text.y) {
        struct text_strip t;
        text_strip_geom(m, l->text, l->label_w, &t);
        pos = text_strip_position_at(m, &t, e->x);
    } else {
        struct entropy_strip g;
        entropy_strip_geom(m, l->strip, l->label_w, &g);
        pos = entropy_strip_position_at(&g, e->x);
    }
    if (pos == SOURCE_NONE)
        return 0;
    out[0] = (struct action){ACT_POSITION_SET, (int)pos, 0.0};
    return 1;
}

/* A left press: focus the slider under it, and on its track set it and start a drag. */
static int mouse_press(const struct mouse_event *e, const struct layout *l,
                       const struct model *m, bool caps, struct mouse_drag *drag,
                       struct action *out)
{
    if (m->help) {
        out[0] = (struct action){ACT_HELP, 0, 0.0};
        return 1;
    }
    if (m->picker) {
        int entry = picker_entry_at(l->picker, m, e->y, e->x);
        out[0] = entry >= 0 ? (struct action){ACT_PICK_TAKE, entry, 0.0}
                            : (struct action){ACT_PICK_CLOSE, 0, 0.0};
        return 1;
    }
    if (l->chain.h > 0 && e->y == l->chain.y)
        return mouse_press_chain(e, l, m, caps, drag, out);
    if (model_is_sequence(m) &&
        ((l->text.h > 0 && e->y == l->text.y) || (l->strip.h > 0 && e->y == l->strip.y)))
        return mouse_press_strip(e, l, m, out);
    int s = slider_at(l->sliders, m, l->label_w, e->y, e->x), x0, inner;
    if (s < 0)
        return 0;
    out[0] = (struct action){ACT_FOCUS_SET, (int)m->sliders[s].param, 0.0};
    /* a cell of slack at each end: the caps, or a press just past the last cell */
    if (!slider_knob_span(l->sliders, m, l->label_w, s, caps, &x0, &inner) || e->x < x0 - 1 ||
        e->x > x0 + inner)
        return 1;
    drag->slider = s;
    out[1] = mouse_set_at(l, m, caps, s, e->x);
    return 2;
}

/* Dragging a stage: nothing moves until the release, on the stage it lands on. */
static int mouse_release_stage(const struct mouse_event *e, const struct layout *l,
                               const struct model *m, bool caps, int from, struct action *out)
{
    bool preset;
    int to = e->y == l->chain.y ? mouse_stage_at(l, m, caps, e->x, &preset) : -1;
    if (to < 0 || to == from)
        return 0;
    out[0] = (struct action){ACT_CHAIN_DRAG, from, (double)to};
    return 1;
}

int mouse_actions(const struct mouse_event *e, const struct model *m, bool caps,
                  struct mouse_drag *drag, struct action *out)
{
    const struct layout *l = &m->layout;
    if (l->too_small) {
        drag->slider = drag->stage = -1;
        return 0;
    }
    switch (e->kind) {
    case MOUSE_WHEEL_UP:
    case MOUSE_WHEEL_DOWN:
        out[0] = (struct action){ACT_SCROLL_ROWS,
                                 e->kind == MOUSE_WHEEL_UP ? -MOUSE_WHEEL_ROWS : MOUSE_WHEEL_ROWS,
                                 0.0};
        return 1;
    case MOUSE_PRESS:
        drag->slider = drag->stage = -1;
        return e->button == 1 ? mouse_press(e, l, m, caps, drag, out) : 0;
    case MOUSE_DRAG:
    case MOUSE_RELEASE: {
        int s = drag->slider, stage = drag->stage;
        if (e->kind == MOUSE_RELEASE)
            drag->slider = drag->stage = -1;
        if (stage >= 0)
            return e->kind == MOUSE_RELEASE ? mouse_release_stage(e, l, m, caps, stage, out) : 0;
        if (s < 0 || s >= m->n_sliders)
            return 0;
        out[0] = mouse_set_at(l, m, caps, s, e->x);
        return out[0].kind == ACT_NONE ? 0 : 1;
    }
    }
    return 0;
}

/* Press, release, the wheel (buttons 4 and 5) and motion; curses' own click detection off,
 * so a press arrives at once instead of after the double-click interval. */
#define MOUSE_MASK (BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED | \
                    REPORT_MOUSE_POSITION)

void mouse_enable(FILE *out, bool on)
{
    if (on) {
        mousemask(MOUSE_MASK, NULL);
        mouseinterval(0);
        /* curses turns on 1000 (press and release only); 1002 adds motion while a button is
         * down, which is what a drag needs. It must come after curses' own. */
        fputs("\033[?1002h", out);
    } else {
        fputs("\033[?1002l", out);
        mousemask(0, NULL);
    }
    fflush(out);
}

/* Motion first: a drag may carry the button's bits as well. */
static bool mouse_kind(mmask_t b, enum mouse_kind *kind)
{
    if (b & BUTTON4_PRESSED)
        *kind = MOUSE_WHEEL_UP;
    else if (b & BUTTON5_PRESSED)
        *kind = MOUSE_WHEEL_DOWN;
    else if (b & REPORT_MOUSE_POSITION)
        *kind = MOUSE_DRAG;
    else if (b & BUTTON1_PRESSED)
        *kind = MOUSE_PRESS;
    else if (b & BUTTON1_RELEASED)
        *kind = MOUSE_RELEASE;
    else
        return false;
    return true;
}

/* curses gathers the reports that have already arrived into one KEY_MOUSE (even with
 * mouseinterval(0) it looks for more input, without waiting): a press read together with its
 * release or first motion, as after a quick click or on a busy machine, is one KEY_MOUSE with
 * two events queued, and getmouse() hands them back newest first, one per call. So the queue
 * is drained and turned around; one getmouse() would take the release and lose the press. */
int mouse_read(struct mouse_event *events, int max)
{
    MEVENT queued[MOUSE_EVENTS_MAX], me;
    int n = 0;
    while (getmouse(&me) == OK) /* to the end: nothing may be left for the next KEY_MOUSE */
        if (n < MOUSE_EVENTS_MAX)
            queued[n++] = me;
    int got = 0;
    while (n > 0 && got < max) {
        const MEVENT *q = &queued[--n];
        struct mouse_event *e = &events[got];
        if (!mouse_kind(q->bstate, &e->kind))
            continue;
        e->x = q->x;
        e->y = q->y;
        e->button = e->kind == MOUSE_WHEEL_UP || e->kind == MOUSE_WHEEL_DOWN ? 0 : 1;
        got++;
    }
    return got;
}
