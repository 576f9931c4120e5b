/* widgets.h: the explorer's parts. Each *_draw() reads the model and draws into its rectangle
 * only; none of them allocates or keeps state between frames. */
#ifndef LOGITSCOPE_TUI_WIDGETS_H
#define LOGITSCOPE_TUI_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"
#include "model.h"
#include "ui.h"

/* The instruments' rows: a focus marker and a space, the label (label_w columns), a space,
 * then the value or track. */
#define WIDGET_INDENT 2
static inline int widget_value_x(struct rect r, int label_w)
{
    return r.x + WIDGET_INDENT + label_w + 1;
}

/* slider.c */
void sliders_draw(const struct ui *u, struct rect r, const struct model *m, int label_w);
void slider_draw(const struct ui *u, int y, struct rect r, const struct model *m,
                 enum slider s, int label_w);
void order_draw(const struct ui *u, struct rect r, const struct model *m, int label_w);
/* Where a slider's track is: x and width, caps included. */
void slider_track_geom(struct rect r, const struct model *m, int label_w, int *x, int *w);
/* The cells the knob can be on: x0 .. x0 + inner - 1 (caps: ASCII's "[" and "]" around the
 * track). False when the slider shows no track (too narrow). */
bool slider_knob_span(struct rect r, const struct model *m, int label_w, bool caps, int *x0,
                      int *inner);
/* The slider's value as shown ("1.00", "off", "50"). */
void slider_value_text(const struct model *m, enum slider s, char *buf, size_t cap);

/* gauge.c: entropy from 0 to log2(V), perplexity, kept, top token. */
void gauge_draw(const struct ui *u, struct rect r, const struct model *m, int label_w);

/* hist.c: one row per token by rank, with mark rows where filters end. */
enum hist_kind {
    HIST_TOKEN, /* rank */
    HIST_MARK,  /* a filter ends between rank - 1 and rank; marks says which */
    HIST_ABOVE, /* "ranks [0, rank) above" */
    HIST_MORE,  /* "... ranks [rank, V) more" */
};
enum hist_mark {
    HIST_MARK_K = 1,
    HIST_MARK_P = 2,
    HIST_MARK_MIN_P = 4,
};
struct hist_item {
    enum hist_kind kind;
    size_t rank;
    unsigned marks;
};
/* Rows to show from m->scroll in `rows` rows; items has room for rows entries. */
size_t hist_plan(const struct model *m, int rows, struct hist_item *items);
/* The column titles go in header (h may be 0), the rows in r: both share one set of columns. */
void hist_draw(const struct ui *u, struct rect header, struct rect r, const struct model *m,
               bool wide);
/* "31.24%" (decimals 2) or "31.2%" (1). */
void fmt_percent(char *buf, size_t cap, double p, int decimals);

/* chrome.c: the title bar, the generated line, the status line, the too-small screen. */
void title_draw(const struct ui *u, struct rect r, const struct model *m);
void gen_draw(const struct ui *u, struct rect r, const struct model *m);
/* note (may be NULL): shown like a message when there is none (e.g. no room for the plot). */
void status_draw(const struct ui *u, struct rect r, const struct model *m, const char *note);
void too_small_draw(const struct ui *u, int cols, int rows);

/* plot.c: the entropy curve (g) from the model's samples. */
/* The curve's dots into cells[g->w * g->h] (dot bits per cell); returns the cell of the
 * current (T, H), or -1 when there is no room. */
int plot_raster(const struct model *m, const struct plot_geom *g, unsigned char *cells);
/* r: the plot's part of the screen (its title row), g: its curve's cells in r. */
void plot_draw(const struct ui *u, struct rect r, const struct plot_geom *g,
               const struct model *m);

/* help.c: the overlay listing every key, in the box hg (the model's layout.help). */
void help_draw(const struct ui *u, const struct help_geom *hg, const struct model *m);

#endif
