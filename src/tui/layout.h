/* layout.h: where each part of the explorer goes for a given terminal size. Pure arithmetic
 * (no drawing), so every size from 1x1 up can be checked without a terminal. */
#ifndef LOGITSCOPE_TUI_LAYOUT_H
#define LOGITSCOPE_TUI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "ui.h"

#define LAYOUT_MIN_COLS 30
#define LAYOUT_MIN_ROWS 9
#define LAYOUT_WIDE_COLS 60 /* from here: long labels, two gauge lines, a sampled column */
#define LAYOUT_PLOT_SIDE_COLS 110 /* from here the plot (g) sits right of the histogram */
#define LAYOUT_PLOT_MIN_ROWS 4    /* three rows of curve and the T axis, or no plot */
#define LAYOUT_PLOT_MIN_COLS 24

struct layout {
    int cols, rows;
    bool too_small;
    bool wide;
    int label_w;         /* slider labels */
    struct rect title;   /* file, V, N, seed */
    struct rect sliders; /* four rows */
    struct rect order;   /* the order of operations */
    struct rect gauge;   /* one or two rows */
    struct rect header;  /* histogram column titles */
    struct rect hist;    /* token rows, mark rows and the "... N more" row */
    struct rect gen;     /* the generated line */
    struct rect status;  /* keys, or the last message */
    struct rect plot;    /* the entropy curve (g); h == 0 when off or hidden */
    bool plot_hidden;    /* g is on but there is no room: the status line says so */
};

/* hist_wanted: rows the histogram could use (tokens + mark rows). */
void layout_compute(struct layout *l, int cols, int rows, size_t hist_wanted);

/* Makes room for the plot: the right part of the histogram's rows on wide terminals, else
 * some of its rows under the gauge; plot_hidden when neither leaves a usable histogram. */
void layout_add_plot(struct layout *l);

#endif
