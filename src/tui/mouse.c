/* mouse.c: mouse events to actions (pure, see mouse.h), and the few curses calls that make a
 * terminal report them. A knob follows the pointer with the same arithmetic slider_draw()
 * uses to place it, so the knob lands on the cell that was clicked. */
#include "mouse.h"

#include "widgets.h"

/* The slider row at y, or -1. */
static int mouse_slider_row(const struct layout *l, int y)
{
    int s = y - l->sliders.y;
    return s >= 0 && s < l->sliders.h && s < SLIDER_COUNT ? s : -1;
}

/* The value of slider s for a pointer at column x (clamped to the track's ends). */
static struct action mouse_set_at(const struct layout *l, const struct model *m, bool caps,
                                  int s, int x)
{
    int x0, inner;
    if (!slider_knob_span(l->sliders, m, l->label_w, caps, &x0, &inner))
        return (struct action){ACT_NONE, 0, 0.0};
    double f = inner > 1 ? (double)(x - x0) / (double)(inner - 1) : 0.0;
    return (struct action){ACT_SET, s, model_slider_at(m, (enum slider)s, f)};
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
    if (l->order.h > 0 && e->y == l->order.y) {
        out[0] = (struct action){ACT_ORDER, 0, 0.0};
        return 1;
    }
    int s = mouse_slider_row(l, e->y), x0, inner;
    if (s < 0)
        return 0;
    out[0] = (struct action){ACT_FOCUS_SET, s, 0.0};
    /* a cell of slack at each end: the caps, or a press just past the last cell */
    if (!slider_knob_span(l->sliders, m, l->label_w, caps, &x0, &inner) || e->x < x0 - 1 ||
        e->x > x0 + inner)
        return 1;
    drag->slider = s;
    out[1] = mouse_set_at(l, m, caps, s, e->x);
    return 2;
}

int mouse_actions(const struct mouse_event *e, const struct model *m, bool caps,
                  struct mouse_drag *drag, struct action *out)
{
    const struct layout *l = &m->layout;
    if (l->too_small) {
        drag->slider = -1;
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
        drag->slider = -1;
        return e->button == 1 ? mouse_press(e, l, m, caps, drag, out) : 0;
    case MOUSE_DRAG:
    case MOUSE_RELEASE: {
        int s = drag->slider;
        if (e->kind == MOUSE_RELEASE)
            drag->slider = -1;
        if (s < 0)
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

bool mouse_read(struct mouse_event *e)
{
    MEVENT me;
    if (getmouse(&me) != OK || !mouse_kind(me.bstate, &e->kind))
        return false;
    e->x = me.x;
    e->y = me.y;
    e->button = e->kind == MOUSE_WHEEL_UP || e->kind == MOUSE_WHEEL_DOWN ? 0 : 1;
    return true;
}
