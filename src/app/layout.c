/* layout.c: a fixed minimum (sliders, one gauge row, the status line, two histogram rows),
 * then optional parts by priority while room is left, then the rest to the histogram; the
 * plot's cells inside its part; the help overlay's box, sized to the key map's lines. */
#include "layout.h"

#include <string.h>

#include "keymap.h"
#include "logitscope/sampler.h"
#include "logitscope/text.h"

#define LAYOUT_HIST_COMFORT 5 /* rows the histogram gets before any optional part */
#define LAYOUT_HIST_WANT_MAX 100000 /* no screen has more rows */

static void layout_take(int *left, int *h, int want)
{
    int n = want < *left ? want : *left;
    n = n < 0 ? 0 : n;
    *h += n;
    *left -= n;
}

/* The next h rows from *y down, across the screen. */
static struct rect layout_row(int *y, int h, int cols)
{
    struct rect r = {*y, 0, h, cols};
    *y += h;
    return r;
}

void layout_compute(struct layout *l, int cols, int rows, int slider_rows, size_t hist_wanted)
{
    layout_compute_strips(l, cols, rows, slider_rows, hist_wanted, 0);
}

void layout_compute_strips(struct layout *l, int cols, int rows, int slider_rows,
                           size_t hist_wanted, unsigned strips)
{
    layout_compute_parts(l, cols, rows, slider_rows, hist_wanted, strips, false);
}

void layout_compute_parts(struct layout *l, int cols, int rows, int slider_rows,
                          size_t hist_wanted, unsigned strips, bool caption)
{
    memset(l, 0, sizeof *l);
    l->cols = cols;
    l->rows = rows;
    if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
        l->too_small = true;
        return;
    }
    l->wide = cols >= LAYOUT_WIDE_COLS;
    l->label_w = l->wide ? LAYOUT_LABEL_W_WIDE : LAYOUT_LABEL_W_NARROW;
    int want = hist_wanted > LAYOUT_HIST_WANT_MAX ? LAYOUT_HIST_WANT_MAX : (int)hist_wanted;
    want = want < LAYOUT_HIST_MIN ? LAYOUT_HIST_MIN : want;
    /* always there: up to four slider rows, a gauge row, the histogram's least and the status
     * line; a long chain's other rows come once the histogram is comfortable */
    slider_rows = slider_rows < 1 ? 1 : slider_rows;
    int sliders = slider_rows < LAYOUT_SLIDER_ROWS_MIN ? slider_rows : LAYOUT_SLIDER_ROWS_MIN;
    int gauge = 1, hist = LAYOUT_HIST_MIN, status = 1;
    int left = rows - (sliders + gauge + hist + status);
    int title = 0, chain = 0, header = 0, gen = 0, text = 0, text_a = 0, strip = 0, said = 0;
    int knob = 0;
    /* a caption is what the class is asked to look at: it comes first */
    layout_take(&left, &said, caption ? 1 : 0);
    layout_take(&left, &chain, 1);
    layout_take(&left, &text, strips & LAYOUT_STRIP_TEXT ? 1 : 0);
    layout_take(&left, &text_a, strips & LAYOUT_STRIP_TEXT_A ? 1 : 0);
    layout_take(&left, &strip, strips & LAYOUT_STRIP_ENTROPY ? 1 : 0);
    layout_take(&left, &hist, (want < LAYOUT_HIST_COMFORT ? want : LAYOUT_HIST_COMFORT) - hist);
    layout_take(&left, &sliders, slider_rows - sliders);
    layout_take(&left, &title, 1);
    layout_take(&left, &gauge, 1);
    layout_take(&left, &header, 1);
    layout_take(&left, &gen, 1);
    if (gen && hist + left > LAYOUT_HIST_BEFORE_KNOB)
        layout_take(&left, &knob, 1);
    hist += left; /* the rest: more rows of tokens (or blank room below them) */

    int y = 0; /* top to bottom, each part the whole width */
    l->title = layout_row(&y, title, cols);
    l->sliders = layout_row(&y, sliders, cols);
    l->chain = layout_row(&y, chain, cols);
    l->gauge = layout_row(&y, gauge, cols);
    l->header = layout_row(&y, header, cols);
    l->hist = layout_row(&y, hist, cols);
    l->text_a = layout_row(&y, text_a, cols);
    l->text = layout_row(&y, text, cols);
    l->strip = layout_row(&y, strip, cols);
    l->knob = layout_row(&y, knob, cols);
    l->gen = layout_row(&y, gen, cols);
    l->caption = layout_row(&y, said, cols);
    l->status = layout_row(&y, status, cols);
}

#define LAYOUT_PLOT_ROWS 7       /* stacked: six rows of curve and the T axis */
#define LAYOUT_PLOT_SIDE_ROWS 21 /* beside the histogram: a taller curve, not a poster */
#define LAYOUT_HIST_UNDER_PLOT 4 /* stacked: token rows the histogram keeps at least */

/* Wide terminals: the plot takes the right two fifths of the header and histogram rows. */
static bool layout_plot_side(struct layout *l)
{
    struct rect top = l->header.h ? l->header : l->hist;
    int h = l->header.h + l->hist.h, w = l->cols * 2 / 5;
    w = w > LAYOUT_PLOT_SIDE_MAX_W ? LAYOUT_PLOT_SIDE_MAX_W : w;
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

#define LAYOUT_PLOT_TITLE_ROWS_MIN 10 /* from this height a title row "entropy vs temperature" */

void layout_plot(struct rect r, bool braille, struct plot_geom *g)
{
    memset(g, 0, sizeof *g);
    g->dx = braille ? 2 : 1;
    g->dy = braille ? 4 : 1;
    bool title = r.h >= LAYOUT_PLOT_TITLE_ROWS_MIN;
    g->title_y = title ? r.y : -1;
    g->y = r.y + (title ? 1 : 0);
    g->h = r.h - 1 - (title ? 1 : 0); /* the last row is the T axis */
    g->x = r.x + LAYOUT_PLOT_GUTTER;
    g->w = r.w - LAYOUT_PLOT_GUTTER - 1;
    g->w = g->w > LAYOUT_PLOT_MAX_W ? LAYOUT_PLOT_MAX_W : g->w;
    g->h = g->h > LAYOUT_PLOT_MAX_H ? LAYOUT_PLOT_MAX_H : g->h;
    if (g->w < 2 || g->h < 1)
        g->w = g->h = 0;
}


#define LAYOUT_HELP_WANT_W 52 /* the box's width when there is room (wider for long key names) */
#define LAYOUT_HELP_PAD 2     /* a border and a space each side; the gap after the key column */
#define LAYOUT_HELP_KEYS_MIN_W 4 /* the key column at its narrowest ("? F1") */
#define LAYOUT_HELP_TEXT_MIN_W 6 /* narrower, the box is not drawn */

static int layout_width(const char *s)
{
    return (int)text_width(s, strlen(s));
}

static int layout_help_keys_w(const struct keymap_binding *b, bool ascii)
{
    return layout_width(ascii ? b->help.ascii_keys : b->help.keys);
}

int layout_help_entry_lines(const struct help_geom *hg, const struct keymap_binding *b,
                            bool ascii)
{
    return layout_help_keys_w(b, ascii) > hg->kw - 1 ? 2 : 1;
}

/* The line-th line (from 0) of s wrapped at blanks in w columns: its bytes; returns how many
 * lines there are. A word wider than w is cut between characters. */
static int layout_wrap(const char *s, int w, int line, size_t *from, size_t *len)
{
    size_t n = strlen(s), at = 0;
    int lines = 0;
    *from = *len = 0;
    w = w < 1 ? 1 : w;
    while (at < n) {
        size_t width, fit = text_fit(s + at, n - at, (size_t)w, &width), take = fit;
        if (at + fit < n && s[at + fit] != ' ') { /* back to the last blank, if any */
            size_t k = fit;
            while (k > 0 && s[at + k - 1] != ' ')
                k--;
            take = k > 0 ? k : fit;
        }
        if (take == 0)
            take = 1;
        if (lines == line) {
            *from = at;
            *len = take;
            while (*len > 0 && s[at + *len - 1] == ' ')
                (*len)--;
        }
        lines++;
        at += take;
        while (at < n && s[at] == ' ')
            at++;
    }
    return lines > 0 ? lines : 1;
}

/* Lines sampler s takes: its name alone when it is wider than the key column, then its rule. */
static int layout_help_sampler_lines(const struct help_geom *hg, enum sampler_id s)
{
    const struct sampler_spec *ss = sampler_spec(s);
    size_t from, len;
    bool alone = layout_width(ss->label) > hg->kw - 1;
    return (alone ? 1 : 0) + layout_wrap(ss->meaning, hg->text_w - hg->kw, 0, &from, &len);
}

bool layout_help_line(const struct help_geom *hg, bool ascii, int i,
                      struct layout_help_line *out)
{
    size_t nkeys;
    const struct keymap_binding *b = keymap_bindings(&nkeys);
    memset(out, 0, sizeof *out);
    if (i < 0)
        return false;
    for (size_t e = 0; e < nkeys; e++) {
        int n = layout_help_entry_lines(hg, &b[e], ascii);
        if (i < n) {
            *out = (struct layout_help_line){LAYOUT_HELP_KEY, (int)e, i, i == 0, 0, 0};
            return true;
        }
        i -= n;
    }
    if (i < 2) { /* a blank line, then the heading */
        out->part = i == 0 ? LAYOUT_HELP_BLANK : LAYOUT_HELP_HEADING;
        return true;
    }
    i -= 2;
    for (int s = 0; s < SAMPLER_COUNT; s++) {
        int n = layout_help_sampler_lines(hg, (enum sampler_id)s);
        if (i >= n) {
            i -= n;
            continue;
        }
        const struct sampler_spec *ss = sampler_spec((enum sampler_id)s);
        bool alone = layout_width(ss->label) > hg->kw - 1;
        *out = (struct layout_help_line){LAYOUT_HELP_SAMPLER, s, i, i == 0, 0, 0};
        if (!alone || i > 0)
            layout_wrap(ss->meaning, hg->text_w - hg->kw, i - (alone ? 1 : 0), &out->from,
                        &out->len);
        return true;
    }
    if (i == 0) {
        out->part = LAYOUT_HELP_BLANK;
        return true;
    }
    i -= 1;
    if (i < LAYOUT_HELP_LEGEND_LINES) {
        out->part = LAYOUT_HELP_LEGEND;
        out->entry = i;
        return true;
    }
    return false;
}

bool layout_help(struct help_geom *hg, int cols, int rows, bool ascii)
{
    size_t nkeys;
    const struct keymap_binding *lines = keymap_bindings(&nkeys);
    int keys_w = 0, what_w = 0; /* the widest key names and description */
    for (size_t i = 0; i < nkeys; i++) {
        int w = layout_help_keys_w(&lines[i], ascii), d = layout_width(lines[i].help.what);
        keys_w = w > keys_w ? w : keys_w;
        what_w = d > what_w ? d : what_w;
    }
    int want_w = LAYOUT_HELP_PAD + keys_w + LAYOUT_HELP_PAD + what_w + LAYOUT_HELP_PAD;
    want_w = want_w > LAYOUT_HELP_WANT_W ? want_w : LAYOUT_HELP_WANT_W;
    hg->w = want_w < cols ? want_w : cols;
    hg->text_w = hg->w - 2 * LAYOUT_HELP_PAD;
    /* wide enough: one aligned column of keys; else a narrow key column that the short key
     * names fit, and the long ones wrap */
    int key_col = keys_w + LAYOUT_HELP_PAD;
    hg->kw = key_col + what_w <= hg->text_w ? key_col : hg->text_w - what_w;
    hg->kw = hg->kw < LAYOUT_HELP_KEYS_MIN_W ? LAYOUT_HELP_KEYS_MIN_W : hg->kw;
    struct layout_help_line line;
    hg->lines = 0;
    while (layout_help_line(hg, ascii, hg->lines, &line))
        hg->lines++;
    hg->h = hg->lines + 2 < rows ? hg->lines + 2 : rows; /* the lines and two borders */
    hg->y = (rows - hg->h) / 2;
    hg->x = (cols - hg->w) / 2;
    hg->text_x = hg->x + LAYOUT_HELP_PAD;
    hg->page = hg->h - 2;
    hg->max_top = hg->lines > hg->page ? hg->lines - hg->page : 0;
    if (hg->page >= 1 && hg->text_w >= LAYOUT_HELP_TEXT_MIN_W)
        return true;
    hg->h = 0; /* no room for a box */
    hg->page = 1;
    hg->max_top = 0;
    return false;
}

void layout_picker(struct layout *l, int entries, int width)
{
    int h = entries + 2, w = width + 4; /* a border and a space each side */
    h = h < l->rows ? h : l->rows;
    w = w < l->cols ? w : l->cols;
    l->picker = h >= 3 && w >= 8 && !l->too_small
                    ? (struct rect){(l->rows - h) / 2, (l->cols - w) / 2, h, w}
                    : (struct rect){0, 0, 0, 0};
}

void layout_make(struct layout *l, const struct layout_screen *s, int slider_rows,
                 size_t hist_wanted, bool plot, unsigned strips, bool caption)
{
    layout_compute_parts(l, s->cols, s->rows, slider_rows, hist_wanted, strips, caption);
    if (plot)
        layout_add_plot(l);
    layout_plot(l->plot, !s->ascii, &l->curve);
    l->plot_dots = l->curve.w * l->curve.dx;
    l->page_rows = l->hist.h > 2 ? l->hist.h - 1 : 1;
    layout_help(&l->help, s->cols, s->rows, s->ascii);
}
