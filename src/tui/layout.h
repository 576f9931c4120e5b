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
};

/* hist_wanted: rows the histogram could use (tokens + mark rows). */
void layout_compute(struct layout *l, int cols, int rows, size_t hist_wanted);

#endif
