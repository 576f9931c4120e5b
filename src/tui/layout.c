/* layout.c: a fixed minimum (sliders, one gauge row, the status line, two histogram rows),
 * then optional parts by priority while room is left, then the rest to the histogram. */
#include "layout.h"

#include <string.h>

#define LAYOUT_HIST_MIN 2
#define LAYOUT_HIST_COMFORT 5 /* rows the histogram gets before any optional part */

static void layout_take(int *left, int *h, int want)
{
    int n = want < *left ? want : *left;
    n = n < 0 ? 0 : n;
    *h += n;
    *left -= n;
}

void layout_compute(struct layout *l, int cols, int rows, size_t hist_wanted)
{
    memset(l, 0, sizeof *l);
    l->cols = cols;
    l->rows = rows;
    if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
        l->too_small = true;
        return;
    }
    l->wide = cols >= LAYOUT_WIDE_COLS;
    l->label_w = l->wide ? 11 : 5;
    int want = hist_wanted > 100000 ? 100000 : (int)hist_wanted;
    want = want < LAYOUT_HIST_MIN ? LAYOUT_HIST_MIN : want;
    int left = rows - (4 + 1 + 1 + LAYOUT_HIST_MIN);
    int title = 0, order = 0, gauge = 1, header = 0, gen = 0, hist = LAYOUT_HIST_MIN;
    layout_take(&left, &order, 1);
    layout_take(&left, &hist, (want < LAYOUT_HIST_COMFORT ? want : LAYOUT_HIST_COMFORT) - hist);
    layout_take(&left, &title, 1);
    layout_take(&left, &gauge, 1);
    layout_take(&left, &header, 1);
    layout_take(&left, &gen, 1);
    hist += left; /* the rest: more rows of tokens (or blank room below them) */

    int y = 0;
    l->title = (struct rect){y, 0, title, cols};
    y += title;
    l->sliders = (struct rect){y, 0, 4, cols};
    y += 4;
    l->order = (struct rect){y, 0, order, cols};
    y += order;
    l->gauge = (struct rect){y, 0, gauge, cols};
    y += gauge;
    l->header = (struct rect){y, 0, header, cols};
    y += header;
    l->hist = (struct rect){y, 0, hist, cols};
    y += hist;
    l->gen = (struct rect){y, 0, gen, cols};
    y += gen;
    l->status = (struct rect){y, 0, 1, cols};
}

#define LAYOUT_PLOT_ROWS 7       /* stacked: six rows of curve and the T axis */
#define LAYOUT_PLOT_SIDE_ROWS 21 /* beside the histogram: a taller curve, not a poster */
#define LAYOUT_HIST_UNDER_PLOT 4 /* stacked: token rows the histogram keeps at least */

/* Wide terminals: the plot takes the right two fifths of the header and histogram rows. */
static bool layout_plot_side(struct layout *l)
{
    struct rect top = l->header.h ? l->header : l->hist;
    int h = l->header.h + l->hist.h, w = l->cols * 2 / 5;
    w = w > 90 ? 90 : w;
    if (l->cols < LAYOUT_PLOT_SIDE_COLS || h < LAYOUT_PLOT_MIN_ROWS)
        return false;
    h = h > LAYOUT_PLOT_SIDE_ROWS ? LAYOUT_PLOT_SIDE_ROWS : h;
    l->plot = (struct rect){top.y, l->cols - w, h, w};
    l->header.w = l->hist.w = l->cols - w - 1;
    return true;
}

void layout_add_plot(struct layout *l)
{
    if (l->too_small || layout_plot_side(l))
        return;
    int h = l->hist.h - LAYOUT_HIST_UNDER_PLOT;
    h = h > LAYOUT_PLOT_ROWS ? LAYOUT_PLOT_ROWS : h;
    if (h < LAYOUT_PLOT_MIN_ROWS || l->cols < LAYOUT_PLOT_MIN_COLS) {
        l->plot_hidden = true;
        return;
    }
    int y = l->header.h ? l->header.y : l->hist.y;
    l->plot = (struct rect){y, 0, h, l->cols};
    l->header.y += h;
    l->hist.y += h;
    l->hist.h -= h;
}
