/* hist_cols.h: what the histogram's rows (hist.c) share with its geometry and header
 * (hist_cols.c): one set of columns, the bars' scale, and the header row. */
#ifndef LOGITSCOPE_TUI_HIST_COLS_H
#define LOGITSCOPE_TUI_HIST_COLS_H

#include <stdbool.h>
#include <stddef.h>

#include "widgets.h"

#define HIST_PCT_W(decimals) ((decimals) + 5) /* "100.00%": 3 digits, a point, decimals, % */

/* A threshold sampler's bar, at the cell of the bars where its probability falls. */
struct hist_line {
    int stage;
    int cell;
};

struct hist_cols {
    int tok_x, tok_w, bar_x, bar_w, pct_x, pct_w, samp_x, samp_w;
    int cum_x, cum_w, logit_x, logit_w, scaled_x, scaled_w;
    int end; /* one past the last column of numbers */
    int decimals;
    double scale;  /* the probability of a full bar: 1, or a zoom (hist_scale) */
    bool log;      /* b: bars from 10^floor_exp to scale on a log scale */
    int floor_exp;
    bool ab;       /* A/B compare: A's bar and percentage left of B's */
    int bar_a_x, pct_a_x;
    int cum_stage; /* the running total of what top-p was given (its stage), or -1: of the
                    * final distribution */
    struct hist_line lines[SAMPLER_COUNT];
    int n_lines;
};

/* The columns of the rows in r. titled: the header row shows (without it the optional
 * columns would be numbers nobody can name, so they are left out). */
void hist_columns(const struct ui *u, struct rect r, const struct model *m, bool wide,
                  bool titled, struct hist_cols *c);
/* The column titles in r (one row), over the columns c. */
void hist_header(const struct ui *u, struct rect r, const struct hist_cols *c,
                 const struct model *m, bool wide);

/* The raw bytes of the token at rank (vocab_token: "#i" in buf, >= 24 bytes, when the
 * vocabulary has no names). */
const char *hist_token(const struct model *m, size_t rank, char *buf, size_t *len);
/* What a cut token had in the distribution the stage that cut it was given (0 when T = 0 or
 * a -inf logit removed it: it never had anything). */
double hist_ghost(const struct model *m, size_t rank);
/* Where probability p falls on the bars, in eighth-cells from the left end (below 0 or past
 * the end when it falls outside the scale). */
double hist_pos8(const struct hist_cols *c, double p);
/* A bar's length in eighth-cells: p's place on the scale, within the bars; a positive p
 * at least one eighth (kept is never invisible). */
long hist_eighths(const struct hist_cols *c, double p);
/* The first of `forms` (n of them) that fits in w columns, or "". */
const char *hist_fit(const char *const *forms, int n, int w);

#endif
