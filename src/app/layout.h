/* layout.h: where each part of the explorer goes for a given terminal size: the parts, the
 * plot's cells, the help overlay's box, the page a scroll moves. Pure arithmetic (no curses,
 * no drawing), so every size from 1x1 up can be checked without a terminal. The model keeps
 * the layout of its screen (model_update), and the view draws into it. */
#ifndef LOGITSCOPE_APP_LAYOUT_H
#define LOGITSCOPE_APP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "keymap.h"

#define LAYOUT_DEFAULT_COLS 80 /* a terminal that cannot say its size, and --snapshot's */
#define LAYOUT_DEFAULT_ROWS 24
#define LAYOUT_SLIDER_ROWS_MIN 4 /* a row per chain stage: this many always, more with room */
#define LAYOUT_HIST_MIN 2    /* token rows the histogram always has */
#define LAYOUT_MIN_COLS 30
/* four slider rows, the chain line, a gauge row, the histogram's least and the status line */
#define LAYOUT_MIN_ROWS (LAYOUT_SLIDER_ROWS_MIN + 1 + 1 + LAYOUT_HIST_MIN + 1)
#define LAYOUT_WIDE_COLS 60 /* from here: long labels, two gauge lines, a sampled column */
#define LAYOUT_LABEL_W_WIDE 11 /* slider labels on wide terminals ("temperature") */
#define LAYOUT_LABEL_W_NARROW 5 /* and on narrow ones ("top-k") */
#define LAYOUT_PLOT_SIDE_COLS 110 /* from here the plot (g) sits right of the histogram */
#define LAYOUT_PLOT_SIDE_MAX_W 90 /* ... in two fifths of the width, at most this wide */
#define LAYOUT_PLOT_MIN_ROWS 4    /* three rows of curve and the T axis, or no plot */
#define LAYOUT_PLOT_MIN_COLS 24
#define LAYOUT_PLOT_GUTTER 6 /* y labels and axis left of the curve */
#define LAYOUT_PLOT_MAX_W 160
#define LAYOUT_PLOT_MAX_H 48
#define LAYOUT_HELP_LEGEND_LINES 4 /* under the keys: how to read the bars (help.c) */
#define LAYOUT_HIST_BEFORE_KNOB 12 /* the line explaining the focused slider gets a row of
                                    * its own once the histogram keeps this many (8 tokens,
                                    * mark rows and "... more"); else it borrows the generated
                                    * line's while nothing is generated */

/* A rectangle of the screen; h == 0 means "not shown". */
struct rect {
    int y, x, h, w;
};

/* The entropy plot's curve inside its rectangle. */
struct plot_geom {
    int x, y, w, h; /* the curve's cells (the T axis is the row below) */
    int dx, dy;     /* dots per cell: 2x4 braille, 1x1 ASCII */
    int title_y;    /* -1: no title row */
};

/* The help overlay's box and what of its content fits. */
struct help_geom {
    int y, x, h, w;
    int text_x, text_w; /* the content's columns: inside the border and a space each side */
    int kw;      /* the key column; a key name wider than kw - 1 gets a line of its own,
                  * its description the next (narrow terminals: nothing is cut) */
    int lines;   /* content lines: the keys, a blank line, the legend */
    int page;    /* content lines shown */
    int max_top; /* the last first line: the help scrolls from 0 to here */
};

/* What a layout is for: the terminal's size, and whether it draws ASCII glyphs (no braille
 * dots in the plot, ASCII key names in the help). */
struct layout_screen {
    int cols, rows;
    bool ascii;
};

struct layout {
    int cols, rows;
    bool too_small;
    bool wide;
    int label_w;            /* slider labels */
    struct rect title;      /* file, V, N, seed */
    struct rect sliders;    /* a row per chain stage, or as many as fit (they scroll) */
    struct rect chain;      /* the chain, in order */
    struct rect gauge;      /* one or two rows */
    struct rect header;     /* histogram column titles */
    struct rect hist;       /* token rows, mark rows and the "... N more" row */
    struct rect text_a;     /* a language model's A text in A/B compare, over `text` */
    struct rect text;       /* a sequence's text around the current position, or the text a
                             * language model writes (B's in compare) */
    struct rect strip;      /* a sequence's entropy strip: a cell per position */
    struct rect knob;       /* what the focused slider does, in plain words (h 0: in the
                             * generated line's row while that is empty) */
    struct rect gen;        /* the generated line */
    struct rect caption;    /* a key script's caption, under the frame (h == 0: none) */
    struct rect status;     /* keys, or the last message */
    struct rect plot;       /* the entropy curve (g); h == 0 when off or hidden */
    bool plot_hidden;       /* g is on but there is no room: the status line says so */
    struct plot_geom curve; /* the plot's cells inside plot (w == 0: none) */
    int plot_dots;          /* the curve's dot columns: one temperature sample each (0: none) */
    int page_rows;          /* token rows a page scrolls (PgUp PgDn), at least 1 */
    struct help_geom help;  /* the help overlay, when it is open (h == 0: no room for it) */
    struct rect picker;     /* the picker of samplers to add, when open (h == 0: closed) */
};

/* The rows under the histogram a source asks for (layout_make's `strips`). */
enum layout_strips {
    LAYOUT_STRIP_TEXT = 1 << 0,    /* a text row: a sequence's, or what a language model wrote */
    LAYOUT_STRIP_ENTROPY = 1 << 1, /* a sequence's entropy strip */
    LAYOUT_STRIP_TEXT_A = 1 << 2,  /* a second text row over it: A's, in A/B compare */
    LAYOUT_STRIPS_SEQUENCE = LAYOUT_STRIP_TEXT | LAYOUT_STRIP_ENTROPY,
};

/* slider_rows: the chain's stages; hist_wanted: rows the histogram could use (tokens + mark
 * rows). */
void layout_compute(struct layout *l, int cols, int rows, int slider_rows, size_t hist_wanted);
/* The same with the rows of `strips` (enum layout_strips): they come right after the chain
 * line, before the histogram's comfort. */
void layout_compute_strips(struct layout *l, int cols, int rows, int slider_rows,
                           size_t hist_wanted, unsigned strips);

/* The same with a caption too: its row, over the status line, is the first part to get a row
 * beyond the fixed minimum (which always leaves one: every size that is not too small shows
 * the caption). */
void layout_compute_parts(struct layout *l, int cols, int rows, int slider_rows,
                          size_t hist_wanted, unsigned strips, bool caption);

/* Makes room for the plot: the right part of the histogram's rows on wide terminals, else
 * some of its rows under the gauge; plot_hidden when neither leaves a usable histogram. */
void layout_add_plot(struct layout *l);

/* The plot's curve in r: braille dots (2x4 a cell) or ASCII (1x1). w == 0 when there is no
 * room for one. */
void layout_plot(struct rect r, bool braille, struct plot_geom *g);

/* Lines the help overlay gives binding b: 1, or 2 when its key names are wider than the key
 * column (the description goes on the next line). */
int layout_help_entry_lines(const struct help_geom *hg, const struct keymap_binding *b,
                            bool ascii);

/* The help's content, line by line: every key binding, then what each sampler does (its
 * rule from the sampler table, wrapped at words), then how to read the bars. */
enum layout_help_part {
    LAYOUT_HELP_KEY,     /* binding `entry`: its keys and words (sub 0), or the words (sub 1) */
    LAYOUT_HELP_BLANK,
    LAYOUT_HELP_HEADING, /* "what each sampler does" */
    LAYOUT_HELP_SAMPLER, /* sampler `entry`: its name (sub 0), then its rule's lines */
    LAYOUT_HELP_LEGEND,  /* legend line `entry` */
};
struct layout_help_line {
    enum layout_help_part part;
    int entry;
    int sub;           /* a line of the entry */
    bool name;         /* the entry's name goes on this line */
    size_t from, len;  /* SAMPLER: the bytes of its rule on this line */
};
/* Content line i of the help in box hg; false past the end. */
bool layout_help_line(const struct help_geom *hg, bool ascii, int i,
                      struct layout_help_line *out);

/* The help overlay at cols x rows with the key names in ASCII or not; false when there is no
 * room for a box (then h is 0, page 1 and max_top 0). */
bool layout_help(struct help_geom *hg, int cols, int rows, bool ascii);

/* The picker's box for `entries` lines of at most `width` columns, centred, a border round
 * them; h == 0 when there is no room. */
void layout_picker(struct layout *l, int entries, int width);

/* The whole layout of screen s: the parts (the plot's too when plot is open, the rows of
 * strips, a caption's row when caption), the plot's cells, the page size and the help box. */
void layout_make(struct layout *l, const struct layout_screen *s, int slider_rows,
                 size_t hist_wanted, bool plot, unsigned strips, bool caption);

#endif
