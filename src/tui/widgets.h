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

/* slider.c: a row per chain stage, the chain line, the picker. */
void sliders_draw(const struct ui *u, struct rect r, const struct model *m, int label_w);
void chain_draw(const struct ui *u, struct rect r, const struct model *m, int label_w);
void picker_draw(const struct ui *u, struct rect r, const struct model *m);
/* The cells slider `slider`'s knob can be on: x0 .. x0 + inner - 1 (caps: ASCII's "[" and "]"
 * around the track). False when it shows no track (too narrow). */
bool slider_knob_span(struct rect r, const struct model *m, int label_w, int slider, bool caps,
                      int *x0, int *inner);
/* The slider under (y, x) in the sliders' rectangle r, or -1. */
int slider_at(struct rect r, const struct model *m, int label_w, int y, int x);
/* A parameter's value as its slider shows it ("1.00", "off", "50"). */
void slider_value_text(const struct model *m, enum param_id p, char *buf, size_t cap);
/* The same for any settings (A's in compare mode). */
void param_value_text(const struct params *ps, enum param_id p, char *buf, size_t cap);
/* Where each stage's name is on the chain line: x == -1 when it did not fit. Returns how
 * many fit; *preset_x is where the preset's name starts. */
struct chain_span {
    int x, w;
    int form; /* 0 long names, 1 short, 2 short with bare arrows */
};
int chain_line_geom(struct rect r, const struct model *m, int label_w, bool ascii,
                    struct chain_span *spans, int *preset_x);
/* The picker's entry under (y, x), or -1. */
int picker_entry_at(struct rect r, const struct model *m, int y, int x);

/* gauge.c: entropy from 0 to log2(V), perplexity, kept, top token. */
void gauge_draw(const struct ui *u, struct rect r, const struct model *m, int label_w);

/* hist.c: one row per token by rank, with mark rows where filters end. */
enum hist_kind {
    HIST_TOKEN, /* rank */
    HIST_MARK,  /* stages cut between rank - 1 and rank; marks says which */
    HIST_ABOVE, /* "ranks [0, rank) above" */
    HIST_MORE,  /* "... ranks [rank, V) more" */
};
/* A mark's bits: 1 << s where sampler s ends the range, 1 << (HIST_MARK_START + s) where it
 * starts it. */
#define HIST_MARK_START 16
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
/* Where the sampled share's tick goes on a bar `bar8` eighth-cells long, the share at `samp8`
 * eighths on the same scale, in bars `w` cells wide; `above`: the share is larger than the
 * exact probability. The bar's cells [0, ceil(bar8 / 8)) always keep their own glyphs, so a
 * tick never makes a bar look shorter: a share above the bar ticks the first cell after it
 * or one further right (in_bar false: a tick glyph); a share below it recolours the bar's
 * own cell there (in_bar true: the glyph stays). Only a bar that fills all w cells has no
 * cell after it: then the last one is recoloured. */
struct hist_tick {
    int cell; /* -1: no cell (w <= 0) */
    bool in_bar;
};
struct hist_tick hist_tick_place(long bar8, long samp8, bool above, int w);

/* strip.c: a sequence's text strip and entropy strip; the mouse finds positions with the
 * same geometry. */
#define TEXT_STRIP_MAX_W 512 /* columns of text shown at most: the rest of a wider row is blank */
struct text_strip {
    bool shown;
    int x, end;              /* the text's columns: [x, end) and a last one for an ellipsis */
    size_t from, to;         /* the text's bytes shown */
    size_t cur_from, cur_to; /* the current token's, widened to whole characters */
    int cur_w;               /* its columns (1 for a token without bytes: a mark) */
    bool more_left, more_right; /* text is left out there (an ellipsis shows it) */
};
void text_strip_geom(const struct model *m, struct rect r, int label_w, struct text_strip *t);
/* The position whose text is at column x, or SOURCE_NONE. */
size_t text_strip_position_at(const struct model *m, const struct text_strip *t, int x);
void text_strip_draw(const struct ui *u, struct rect r, const struct model *m, int label_w);
struct entropy_strip {
    int x, cells;  /* one cell per position from `first` on */
    size_t first;
    int count_x;   /* where " 3/12" goes */
};
void entropy_strip_geom(const struct model *m, struct rect r, int label_w,
                        struct entropy_strip *g);
/* The position of the cell at column x, or SOURCE_NONE. */
size_t entropy_strip_position_at(const struct entropy_strip *g, int x);
void entropy_strip_draw(const struct ui *u, struct rect r, const struct model *m, int label_w);

/* lmtext.c: a language model's text (side_a: A's, in compare) and the facts of the last
 * word written (the generated line's row). */
void lm_text_draw(const struct ui *u, struct rect r, const struct model *m, int label_w,
                  bool side_a);
void lm_word_draw(const struct ui *u, struct rect r, const struct model *m);

/* caption.c: a key script's own parts: its caption in its row, and while it plays on the live
 * terminal, "▶ playing NAME — any key takes over" on the status line from x, as much as fits
 * before end (only "▶ NAME" when brief: a message follows). Returns where it ended. */
void caption_draw(const struct ui *u, struct rect r, const struct model *m);
int playing_draw(const struct ui *u, int y, int x, int end, const struct model *m, bool brief);
/* fields.c: a line of fields, each drawn whole or not at all. When they do not all fit, data
 * the fields are shortened (their short form, their data text down to raw_min columns with
 * an ellipsis) or left out, highest rank first; room left over is given back in the
 * opposite order. A field that comes first only because those before it are left out loses
 * its leading blanks. */
#define FIELDS_MAX 16
struct field {
    const char *text;  /* our own text, the blanks before it included ("  V=10") */
    const char *brief; /* a shorter form tried before the field goes; NULL: none */
    attr_t attr;
    int rank;          /* 0 matters most: the highest rank goes first */
    int squeeze;       /* the rank at which it is shortened (0: its rank) */
    int group;         /* not 0: a group's fields are shortened, left out and shown together */
    int with;          /* not 0: shown only while field with - 1 is (a name and its number; a
                        * list whose items only make sense in order) */
    bool right;        /* at the right end of the line (one blank at least before it) */
    const char *raw;   /* data text drawn after `text` (escaped), or NULL */
    size_t raw_len;
    int raw_min, raw_max; /* its fewest and most columns (raw_max 0: its whole width) */
    bool raw_space;    /* leading and trailing spaces shown (tokens) */
    attr_t raw_attr;
    /* set by fields_fit */
    bool shown, short_form;
    int raw_w;
};
/* Decides what of f[0..n) is shown in `room` columns; returns the columns taken. */
int fields_fit(const struct ui *u, struct field *f, int n, int room);
/* Fits f into [x, end) and draws it; returns the columns the left-hand fields took. */
int fields_draw(const struct ui *u, int y, int x, int end, struct field *f, int n);
/* How much of escaped text s[0..n) to show in maxw columns: all of it, or whole words that
 * leave room for an ellipsis (*ellipsis_sep: " " when a number ends them, so it stays
 * apart), or for one long word a cut that is never inside a number. */
size_t fields_cut_words(const char *s, size_t n, int maxw, const char **ellipsis_sep);
/* A message (raw: it is escaped) in maxw columns, cut at a word with an ellipsis. */
int fields_message(const struct ui *u, int y, int x, int maxw, const char *raw, size_t len,
                   attr_t a);

/* chrome.c: the title bar, the generated line, the status line, the too-small screen. */
void title_draw(const struct ui *u, struct rect r, const struct model *m);
/* Compare mode: A's settings over A's bars in w columns ("A T 0.70 p 0.95 k 6 llama"): the
 * chain's stages that act, in its order, each value whole; the later ones go first. */
void pin_draw(const struct ui *u, int y, int x, int w, const struct params *pin, attr_t a);
void gen_draw(const struct ui *u, struct rect r, const struct model *m);
/* What the focused slider does, in plain words (the parameter table's meaning). */
void knob_draw(const struct ui *u, struct rect r, const struct model *m, int label_w);
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
