/* slider.c: the four parameter sliders (label, track with a knob, value or "off") and the
 * order-of-operations line beneath them. */
#include <math.h>
#include <stdio.h>

#include "widgets.h"

void slider_value_text(const struct model *m, enum slider s, char *buf, size_t cap)
{
    double v = model_slider_value(m, s);
    if (model_slider_is_off(m, s))
        snprintf(buf, cap, "off");
    else if (s == SLIDER_TOP_K)
        snprintf(buf, cap, "%zu", params_whole(&m->params, PARAM_TOP_K));
    else if (fabs(v * 100.0 - round(v * 100.0)) < 1e-9)
        snprintf(buf, cap, "%.2f", v); /* on the grid: always two decimals, so it never jumps */
    else
        snprintf(buf, cap, "%.4g", v); /* an off-grid start value such as -t 0.735 */
}

/* Width of the value column: "262144" for the biggest vocabularies, "0.00" at least. */
static int slider_value_w(const struct model *m)
{
    int w = snprintf(NULL, 0, "%zu", m->vocab->n);
    return w < 6 ? 6 : w;
}

void slider_track_geom(struct rect r, const struct model *m, int label_w, int *x, int *w)
{
    *x = widget_value_x(r, label_w);
    *w = r.w - (*x - r.x) - 1 - slider_value_w(m);
}

bool slider_knob_span(struct rect r, const struct model *m, int label_w, bool caps, int *x0,
                      int *inner)
{
    int tx, tw;
    slider_track_geom(r, m, label_w, &tx, &tw);
    *x0 = tx + (caps ? 1 : 0);
    *inner = tw - (caps ? 2 : 0);
    return tw >= 3 && *inner >= 1; /* slider_draw's rule for showing a track */
}

static void slider_track(const struct ui *u, int y, int x, int w, const struct model *m,
                         enum slider s)
{
    const struct glyphs *g = u->g;
    bool off = model_slider_is_off(m, s);
    int caps = g->track_l[0] ? 1 : 0;
    int inner = w - 2 * caps;
    if (inner < 1)
        return;
    int knob = (int)lround(model_slider_fraction(m, s) * (inner - 1));
    attr_t track = ui_attr(u, ROLE_TRACK);
    if (caps)
        ui_text(u, y, x, 1, g->track_l, track);
    x += caps;
    ui_repeat(u, y, x, knob, off ? g->track : g->track_fill,
              off ? track : ui_attr(u, ROLE_TRACK_FILL));
    ui_text(u, y, x + knob, 1, off ? g->knob_off : g->knob,
            off ? ui_attr(u, ROLE_OFF) : ui_attr(u, ROLE_KNOB));
    ui_repeat(u, y, x + knob + 1, inner - knob - 1, g->track, track);
    if (caps)
        ui_text(u, y, x + inner, 1, g->track_r, track);
}

void slider_draw(const struct ui *u, int y, struct rect r, const struct model *m,
                 enum slider s, int label_w)
{
    const struct slider_spec *sp = model_slider_spec(s);
    bool focus = m->focus == s;
    attr_t label = ui_attr(u, focus ? ROLE_FOCUS : ROLE_LABEL);
    if (focus)
        ui_text(u, y, r.x, 1, u->g->focus, ui_attr(u, ROLE_FOCUS));
    ui_text(u, y, r.x + WIDGET_INDENT, label_w,
            label_w >= LAYOUT_LABEL_W_WIDE ? sp->name : sp->short_name, label);

    char val[32];
    slider_value_text(m, s, val, sizeof val);
    int vw = slider_value_w(m), track_x, track_w;
    slider_track_geom(r, m, label_w, &track_x, &track_w);
    attr_t va = ui_attr(u, model_slider_is_off(m, s) ? ROLE_OFF : ROLE_VALUE);
    if (track_w < 3) { /* no room for a track: the value alone */
        ui_printf(u, y, track_x, r.w - (track_x - r.x), va, "%s", val);
        return;
    }
    slider_track(u, y, track_x, track_w, m, s);
    ui_printf(u, y, track_x + track_w + 1, vw, va, "%*s", vw, val);
}

void sliders_draw(const struct ui *u, struct rect r, const struct model *m, int label_w)
{
    for (int s = 0; s < SLIDER_COUNT && s < r.h; s++)
        slider_draw(u, r.y + s, r, m, (enum slider)s, label_w);
}

void order_draw(const struct ui *u, struct rect r, const struct model *m, int label_w)
{
    if (r.h <= 0)
        return;
    bool llama = model_is_llama(m);
    const char *arrow = u->g->ascii ? " -> " : " \u2192 ";
    int x = r.x + WIDGET_INDENT, end = r.x + r.w;
    ui_text(u, r.y, x, end - x, label_w >= LAYOUT_LABEL_W_WIDE ? "order" : "ord",
            ui_attr(u, ROLE_LABEL));
    x = widget_value_x(r, label_w);
    x += ui_text(u, r.y, x, end - x, llama ? "llama" : "hf", ui_attr(u, ROLE_VALUE));
    char chain[160];
    bool wide = label_w >= LAYOUT_LABEL_W_WIDE;
    if (llama)
        snprintf(chain, sizeof chain, wide ? ": top-k%stop-p%smin-p (on T=1)%stemperature"
                                           : ": k%sp%smin-p%sT", arrow, arrow, arrow);
    else
        snprintf(chain, sizeof chain, wide ? ": temperature%stop-k%stop-p%smin-p"
                                           : ": T%sk%sp%smin-p", arrow, arrow, arrow);
    x += ui_text(u, r.y, x, end - x, chain, ui_attr(u, ROLE_HEADER));
    if (end - x >= 5)
        ui_text(u, r.y, end - 3, 3, "(o)", ui_attr(u, ROLE_HEADER));
}
