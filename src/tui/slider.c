/* slider.c: a row per chain stage (label, then a track with a knob and the value, or several
 * on one row for a stage with several parameters), the chain line beneath them, and the
 * picker of samplers to add. The geometry functions here are also what mouse.c reads, so a
 * click lands where the drawing put things. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "widgets.h"

#define SLIDER_CELL_GAP 2 /* between the cells of one row */

void param_value_text(const struct params *ps_, enum param_id p, char *buf, size_t cap)
{
    double v = params_get(ps_, p);
    const struct param_spec *ps = param_spec(p);
    double grid = pow(10.0, ps->decimals);
    if (p != PARAM_TEMPERATURE && params_is_off(ps_, p))
        snprintf(buf, cap, "off");
    else if (ps->kind == PARAM_WHOLE)
        snprintf(buf, cap, "%zu", params_whole(ps_, p));
    else if (fabs(v * grid - round(v * grid)) < 1e-9)
        snprintf(buf, cap, "%.*f", ps->decimals, v); /* on the grid: fixed decimals, no jumps */
    else
        snprintf(buf, cap, "%.4g", v); /* an off-grid start value such as -t 0.735 */
}

void slider_value_text(const struct model *m, enum param_id p, char *buf, size_t cap)
{
    param_value_text(&m->params, p, buf, cap);
}

/* Width of a value column: "262144" for the biggest vocabularies, "0.000" at least. */
static int slider_value_w(const struct model *m)
{
    int w = snprintf(NULL, 0, "%zu", m->vocab->n);
    return w < 6 ? 6 : w;
}

/* The columns of cell `cell` of `cells` on a slider row of r. */
static void slider_cell_span(struct rect r, int label_w, int cell, int cells, int *x, int *w)
{
    int x0 = widget_value_x(r, label_w), room = r.x + r.w - x0;
    int cw = (room - (cells - 1) * SLIDER_CELL_GAP) / cells;
    *x = x0 + cell * (cw + SLIDER_CELL_GAP);
    *w = cw;
}

/* A cell's parts: a sub-label on shared rows, the track, the value. */
struct slider_cell {
    int label_x, label_w;
    int track_x, track_w; /* track_w 0: no room for a track */
    int value_x, value_w;
};

static void slider_cell_geom(struct rect r, const struct model *m, int label_w,
                             const struct slider *s, struct slider_cell *c)
{
    int x, w;
    slider_cell_span(r, label_w, s->cell, s->cells, &x, &w);
    memset(c, 0, sizeof *c);
    c->value_w = slider_value_w(m);
    if (s->cells > 1) {
        c->label_x = x;
        c->label_w = (int)strlen(param_spec(s->param)->short_label);
        x += c->label_w + 1;
        w -= c->label_w + 1;
    }
    c->track_x = x;
    c->track_w = w - 1 - c->value_w;
    if (c->track_w < 3) { /* no room for a track: the value alone, right after the label */
        c->track_w = 0;
        c->value_x = x;
        c->value_w = w;
    } else {
        c->value_x = x + c->track_w + 1;
    }
}

bool slider_knob_span(struct rect r, const struct model *m, int label_w, int slider, bool caps,
                      int *x0, int *inner)
{
    struct slider_cell c;
    slider_cell_geom(r, m, label_w, &m->sliders[slider], &c);
    *x0 = c.track_x + (caps ? 1 : 0);
    *inner = c.track_w - (caps ? 2 : 0);
    return c.track_w >= 3 && *inner >= 1;
}

int slider_at(struct rect r, const struct model *m, int label_w, int y, int x)
{
    int row = m->slider_top + (y - r.y);
    if (y < r.y || y >= r.y + r.h)
        return -1;
    int best = -1;
    for (int i = 0; i < m->n_sliders; i++) {
        if (m->sliders[i].row != row)
            continue;
        int cx, cw;
        slider_cell_span(r, label_w, m->sliders[i].cell, m->sliders[i].cells, &cx, &cw);
        if (best < 0 || x >= cx - SLIDER_CELL_GAP)
            best = i; /* the cell at x, or the row's first left of every cell */
    }
    return best;
}

static void slider_track(const struct ui *u, int y, int x, int w, const struct model *m,
                         enum param_id p)
{
    const struct glyphs *g = u->g;
    bool off = model_slider_is_off(m, p);
    int caps = g->track_l[0] ? 1 : 0;
    int inner = w - 2 * caps;
    if (inner < 1)
        return;
    int knob = (int)lround(model_slider_fraction(m, p) * (inner - 1));
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

static void slider_cell_draw(const struct ui *u, int y, struct rect r, const struct model *m,
                             int index, int label_w)
{
    const struct slider *s = &m->sliders[index];
    struct slider_cell c;
    slider_cell_geom(r, m, label_w, s, &c);
    if (s->cells > 1)
        ui_text(u, y, c.label_x, c.label_w, param_spec(s->param)->short_label,
                ui_attr(u, m->focus == index ? ROLE_FOCUS : ROLE_LABEL));
    char val[32];
    slider_value_text(m, s->param, val, sizeof val);
    attr_t va = ui_attr(u, model_slider_is_off(m, s->param) ? ROLE_OFF : ROLE_VALUE);
    if (ui_width(val) > c.value_w)
        return; /* a number is shown whole or not at all */
    if (c.track_w == 0) {
        ui_text(u, y, c.value_x, c.value_w, val, va);
        return;
    }
    slider_track(u, y, c.track_x, c.track_w, m, s->param);
    ui_printf(u, y, c.value_x, c.value_w, va, "%*s", c.value_w, val);
}

/* A row's label: the sampler's name, or its short one when the name does not fit. */
static const char *slider_row_label(enum sampler_id id, int label_w)
{
    const struct sampler_spec *ss = sampler_spec(id);
    return (int)strlen(ss->label) <= label_w ? ss->label : ss->short_name;
}

void sliders_draw(const struct ui *u, struct rect r, const struct model *m, int label_w)
{
    int focus_row = m->n_sliders ? m->sliders[m->focus].row : -1;
    for (int y = 0; y < r.h; y++) {
        int row = m->slider_top + y;
        if (row >= m->params.chain.n)
            break;
        enum sampler_id id = (enum sampler_id)m->params.chain.stage[row];
        bool focus = row == focus_row, single = sampler_spec(id)->n_params == 1;
        if (focus)
            ui_text(u, r.y + y, r.x, 1, u->g->focus, ui_attr(u, ROLE_FOCUS));
        ui_text(u, r.y + y, r.x + WIDGET_INDENT, label_w, slider_row_label(id, label_w),
                ui_attr(u, focus && (single || m->sliders[m->focus].cells == 1) ? ROLE_FOCUS
                                                                               : ROLE_LABEL));
        for (int i = 0; i < m->n_sliders; i++)
            if (m->sliders[i].row == row)
                slider_cell_draw(u, r.y + y, r, m, i, label_w);
    }
    /* more rows than room: which way the rest are, in the gap before the labels */
    if (m->slider_top > 0)
        ui_text(u, r.y, r.x + 1, 1, u->g->arrow_up, ui_attr(u, ROLE_HEADER));
    if (m->slider_top + r.h < m->params.chain.n)
        ui_text(u, r.y + r.h - 1, r.x + 1, 1, u->g->arrow_down, ui_attr(u, ROLE_HEADER));
}

/* ---- the chain line ---- */

/* How the chain line is written: long names and spaced arrows, short names, then short
 * names with bare arrows; stages that still do not fit are left out whole, after an ellipsis
 * mark. */
static int chain_name_w(enum sampler_id id, int form)
{
    const struct sampler_spec *ss = sampler_spec(id);
    return (int)strlen(form == 0 ? ss->label : ss->short_name);
}

int chain_line_geom(struct rect r, const struct model *m, int label_w, bool ascii,
                    struct chain_span *spans, int *preset_x)
{
    const struct chain *c = &m->params.chain;
    int x0 = widget_value_x(r, label_w), end = r.x + r.w - 4; /* room for " (o)" */
    const char *preset = chain_preset_name(chain_which_preset(c));
    int start = x0 + (int)strlen(preset) + 2; /* "hf: " */
    *preset_x = x0;
    for (int form = 0; form < 3; form++) {
        int arrow = form == 2 ? 1 : ascii ? 4 : 3, x = start, shown = 0; /* "→", " -> ", " → " */
        for (int i = 0; i < c->n; i++) {
            int w = chain_name_w((enum sampler_id)c->stage[i], form);
            if (x + w > end)
                break;
            spans[i] = (struct chain_span){x, w, form};
            x += w + arrow;
            shown++;
        }
        if (shown == c->n || form == 2) {
            for (int i = shown; i < c->n; i++)
                spans[i] = (struct chain_span){-1, 0, form};
            return shown;
        }
    }
    return 0;
}

void chain_draw(const struct ui *u, struct rect r, const struct model *m, int label_w)
{
    if (r.h <= 0)
        return;
    const struct chain *c = &m->params.chain;
    struct chain_span spans[SAMPLER_COUNT];
    int preset_x, shown = chain_line_geom(r, m, label_w, u->g->ascii, spans, &preset_x);
    int end = r.x + r.w;
    ui_text(u, r.y, r.x + WIDGET_INDENT, label_w, label_w >= LAYOUT_LABEL_W_WIDE ? "chain" : "chn",
            ui_attr(u, ROLE_LABEL));
    int x = preset_x;
    x += ui_text(u, r.y, x, end - x, chain_preset_name(chain_which_preset(c)),
                 ui_attr(u, ROLE_VALUE));
    ui_text(u, r.y, x, end - x, ":", ui_attr(u, ROLE_HEADER));
    int focus_row = m->n_sliders ? m->sliders[m->focus].row : -1;
    for (int i = 0; i < shown; i++) {
        enum sampler_id id = (enum sampler_id)c->stage[i];
        const struct sampler_spec *ss = sampler_spec(id);
        if (i > 0) {
            const char *arrow = spans[i].form < 2 ? (u->g->ascii ? " -> " : " \u2192 ")
                                                  : (u->g->ascii ? ">" : "\u2192");
            int ax = spans[i - 1].x + spans[i - 1].w;
            ui_text(u, r.y, ax, spans[i].x - ax, arrow, ui_attr(u, ROLE_HEADER));
        }
        enum theme_role role = i == focus_row            ? ROLE_FOCUS
                               : sampler_is_off(&m->params, id) ? ROLE_OFF
                                                                : ROLE_HEADER;
        ui_text(u, r.y, spans[i].x, spans[i].w, spans[i].form == 0 ? ss->label : ss->short_name,
                ui_attr(u, role));
    }
    if (shown < c->n && shown > 0)
        ui_text(u, r.y, spans[shown - 1].x + spans[shown - 1].w + 1, 1, u->g->ellipsis,
                ui_attr(u, ROLE_HEADER));
    if (end - r.x >= 5)
        ui_text(u, r.y, end - 3, 3, "(o)", ui_attr(u, ROLE_HEADER));
}

/* ---- the picker ---- */

void picker_draw(const struct ui *u, struct rect r, const struct model *m)
{
    if (r.h <= 0)
        return;
    enum sampler_id avail[SAMPLER_COUNT];
    int n = model_picker_entries(m, avail);
    attr_t border = ui_attr(u, ROLE_TRACK);
    ui_box(u, r.y, r.x, r.h, r.w);
    ui_text(u, r.y, r.x + 2, r.w - 4, " add a sampler ", border);
    const char *foot = u->g->ascii ? " Enter add  Esc close " : " \u23ce add  Esc close ";
    if (ui_width(foot) <= r.w - 4)
        ui_text(u, r.y + r.h - 1, r.x + r.w - 2 - ui_width(foot), ui_width(foot), foot, border);
    for (int i = 0; i < n && i < r.h - 2; i++) {
        const struct sampler_spec *ss = sampler_spec(avail[i]);
        int y = r.y + 1 + i, x = r.x + 2, w = r.w - 4;
        attr_t a = ui_attr(u, i == m->picker_at ? ROLE_FOCUS : ROLE_LABEL);
        if (i == m->picker_at)
            ui_repeat(u, y, r.x + 1, r.w - 2, " ", a);
        int lw = ui_text(u, y, x, w, ss->label, a);
        /* the meaning cut at a word, never inside one */
        fields_message(u, y, x + lw + 2, w - lw - 2, ss->meaning, strlen(ss->meaning),
                       i == m->picker_at ? a : ui_attr(u, ROLE_HELP));
    }
}

int picker_entry_at(struct rect r, const struct model *m, int y, int x)
{
    enum sampler_id avail[SAMPLER_COUNT];
    int n = model_picker_entries(m, avail), i = y - r.y - 1;
    if (r.h <= 0 || x <= r.x || x >= r.x + r.w - 1 || i < 0 || i >= n || i >= r.h - 2)
        return -1;
    return i;
}
