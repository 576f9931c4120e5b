/* plot.c: the entropy curve (g). H in bits, 0 to log2(finite logits), against T from 0 to 5 for the
 * current filters: the model's samples, each one engine_apply's entropy. Braille dots (2x4 per
 * cell) in UTF-8, '.' in ASCII; the current temperature is a highlighted point and a mark on
 * the T axis, so a temperature step repaints a handful of cells. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "widgets.h"

/* Dot bits of a braille cell by (column, row) inside it (Unicode's dot numbering). */
static const unsigned char plot_braille_bit[2][4] = {{0x01, 0x02, 0x04, 0x40},
                                                     {0x08, 0x10, 0x20, 0x80}};

/* H at dot column d of `cols`: the sample there when there is one per column, else the
 * straight line between the two samples around it. */
static double plot_h_at(const struct model_curve *c, int d, int cols)
{
    if (c->n < 2 || cols < 2)
        return c->n ? c->bits[0] : 0.0;
    double pos = (double)d * (double)(c->n - 1) / (double)(cols - 1);
    size_t j = (size_t)pos;
    if (j >= c->n - 1)
        return c->bits[c->n - 1];
    double f = pos - (double)j;
    return f == 0.0 ? c->bits[j] : c->bits[j] * (1.0 - f) + c->bits[j + 1] * f;
}

/* Dot row from the top for H (0 at the bottom, hmax at the top). */
static int plot_row(double h, double hmax, int rows)
{
    double f = hmax > 0 ? h / hmax : 0.0;
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return rows - 1 - (int)lround(f * (rows - 1));
}

static void plot_set(const struct plot_geom *g, unsigned char *cells, int d, int row)
{
    int cx = d / g->dx, cy = row / g->dy;
    unsigned char bit = g->dx == 2 ? plot_braille_bit[d % 2][row % 4] : 1;
    cells[cy * g->w + cx] |= bit;
}

static double plot_hmax(const struct model *m)
{
    /* the gauge's top: a -inf logit can never be drawn, so it does not raise the ceiling */
    return m->vocab->n_finite > 1 ? log2((double)m->vocab->n_finite) : 1.0;
}

/* The dot column of temperature t (clamped to the axis). */
static int plot_t_column(double t, int cols)
{
    double f = t / param_spec(PARAM_TEMPERATURE)->slider_hi;
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return (int)lround(f * (cols - 1));
}

int plot_raster(const struct model *m, const struct plot_geom *g, unsigned char *cells)
{
    int cols = g->w * g->dx, rows = g->h * g->dy;
    memset(cells, 0, (size_t)(g->w * g->h));
    if (cols < 2 || rows < 1)
        return -1;
    double hmax = plot_hmax(m);
    int prev = 0;
    for (int d = 0; d < cols; d++) {
        int y = plot_row(plot_h_at(&m->curve, d, cols), hmax, rows);
        /* steep stretches: fill the rows between neighbours so the line stays unbroken */
        int s = y > prev ? 1 : -1;
        for (int r = prev + s; d > 0 && y != prev && r != y; r += s)
            plot_set(g, cells, d, r);
        plot_set(g, cells, d, y);
        prev = y;
    }
    int dn = plot_t_column(params_real(&m->params, PARAM_TEMPERATURE), cols);
    int yn = plot_row(m->dist.entropy_bits, hmax, rows);
    plot_set(g, cells, dn, yn);
    return (yn / g->dy) * g->w + dn / g->dx;
}

/* The y axis: the most H can be at the top, 0 at the bottom, "bits" between. */
static void plot_gutter(const struct ui *u, const struct plot_geom *g, double hmax)
{
    attr_t a = ui_attr(u, ROLE_HEADER);
    for (int i = 0; i < g->h; i++) {
        bool end = i == 0 || i == g->h - 1;
        ui_text(u, g->y + i, g->x - 1, 1, end ? u->g->plot_tick : u->g->plot_axis,
                ui_attr(u, ROLE_TRACK));
        if (i == 0)
            ui_printf(u, g->y, g->x - LAYOUT_PLOT_GUTTER, LAYOUT_PLOT_GUTTER - 1, a, "%5.2f", hmax);
        else if (i == g->h - 1)
            ui_text(u, g->y + i, g->x - 2, 1, "0", a);
        else if (i == g->h / 2 && g->h >= 3)
            ui_text(u, g->y + i, g->x - LAYOUT_PLOT_GUTTER + 1, LAYOUT_PLOT_GUTTER - 2, "bits", a);
    }
}

/* The T axis: 0 to 5 under their columns, A's temperature in compare mode, the current
 * temperature's mark on top. */
static void plot_t_axis(const struct ui *u, const struct plot_geom *g, const struct model *m)
{
    int y = g->y + g->h, cols = g->w * g->dx;
    attr_t a = ui_attr(u, ROLE_HEADER);
    ui_text(u, y, g->x - LAYOUT_PLOT_GUTTER + 1, LAYOUT_PLOT_GUTTER - 2, "T", a);
    for (int k = 0; k <= 5; k++) {
        char digit[2] = {(char)('0' + k), '\0'};
        ui_text(u, y, g->x + plot_t_column(k, cols) / g->dx, 1, digit, a);
    }
    if (m->compare)
        ui_text(u, y, g->x + plot_t_column(params_real(&m->pin, PARAM_TEMPERATURE), cols) / g->dx, 1, "A",
                ui_attr(u, ROLE_BAR_A));
    ui_text(u, y, g->x + plot_t_column(params_real(&m->params, PARAM_TEMPERATURE), cols) / g->dx, 1, u->g->plot_mark,
            ui_attr(u, ROLE_PLOT_NOW));
}

static void plot_cells(const struct ui *u, const struct plot_geom *g, const unsigned char *cells,
                       int now)
{
    char buf[4];
    for (int i = 0; i < g->w * g->h; i++) {
        if (!cells[i])
            continue;
        const char *glyph = g->dx == 2 ? glyphs_braille(cells[i], buf)
                                       : i == now ? u->g->plot_now : u->g->plot_dot;
        ui_text(u, g->y + i / g->w, g->x + i % g->w, 1, glyph,
                ui_attr(u, i == now ? ROLE_PLOT_NOW : ROLE_PLOT));
    }
}

/* Any sampler other than temperature that does something. */
static bool plot_any_filter(const struct params *p)
{
    for (int i = 0; i < SAMPLER_COUNT; i++)
        if (i != SAMPLER_TEMPERATURE && chain_has(&p->chain, (enum sampler_id)i) &&
            !sampler_is_off(p, (enum sampler_id)i))
            return true;
    return false;
}

void plot_draw(const struct ui *u, struct rect r, const struct plot_geom *g,
               const struct model *m)
{
    if (g->w == 0 || !m->curve.valid)
        return;
    unsigned char cells[LAYOUT_PLOT_MAX_W * LAYOUT_PLOT_MAX_H];
    int now = plot_raster(m, g, cells);
    if (g->title_y >= 0)
        ui_printf(u, g->title_y, r.x + 1, r.w - 2, ui_attr(u, ROLE_HEADER),
                  "entropy vs temperature (%s%s)", model_is_llama(m) ? "llama" : "hf",
                  plot_any_filter(&m->params) ? ", these filters" : ", no filter");
    plot_gutter(u, g, plot_hmax(m));
    plot_cells(u, g, cells, now);
    plot_t_axis(u, g, m);
}
