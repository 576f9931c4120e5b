/* glyphs.h: every non-letter the screen draws, in a Unicode set (UTF-8 locales) and a pure
 * ASCII set (any other codeset, or --ascii). Each glyph is one terminal column. */
#ifndef LOGITSCOPE_TUI_GLYPHS_H
#define LOGITSCOPE_TUI_GLYPHS_H

#include <stdbool.h>

struct glyphs {
    bool ascii;
    const char *eighths[8];  /* partial cells: [n] covers n/8 of a cell, [0] unused */
    const char *full;        /* a whole bar cell */
    const char *track, *track_fill, *knob, *knob_off, *track_l, *track_r; /* caps: "" for none */
    const char *focus;       /* in front of the focused slider */
    const char *sample;      /* the sampled-frequency marker on a bar */
    const char *beyond;      /* ... when the sampled frequency is past the bars' scale */
    const char *mark;        /* the dashes of a top-p / top-k mark line */
    const char *gauge_l, *gauge_r, *gauge_empty;
    const char *ellipsis;    /* cut-off text */
    const char *sep;         /* between generated tokens */
    const char *arrow_up, *arrow_down;
    const char *box_tl, *box_tr, *box_bl, *box_br, *box_h, *box_v;
    bool braille;            /* the plot draws U+2800 dots (2x4 per cell) */
    const char *plot_dot, *plot_now; /* no braille: the curve, the point at the current T */
    const char *plot_axis, *plot_tick, *plot_mark; /* y axis; its ends; the current T */
    const char *levels[8];   /* the entropy strip: [n] is a cell filled (n + 1) / 8 high */
    const char *unseen;      /* the entropy strip: a position not run through the chain yet */
    const char *chosen;      /* in front of the chosen token's row of the histogram */
    const char *play;        /* a key script plays (the status line) */
    const char *dash;        /* between the script's name and what to do (with its spaces) */
    const char *ghost;       /* a cut token's bar: what it had before its stage removed it */
    const char *threshold;   /* a threshold sampler's bar, down the histogram's rows */
    const char *drawn;       /* in front of the row Space just drew */
};

/* The UTF-8 bytes of the braille cell with dot bits `dots` (U+2800 + dots) into buf[4]. */
const char *glyphs_braille(unsigned dots, char buf[4]);

const struct glyphs *glyphs_get(bool ascii);

/* The glyphs of a bar `eighths` eighth-cells long: full cells, then one partial cell. */
static inline const char *glyphs_partial(const struct glyphs *g, int eighths)
{
    return g->eighths[eighths & 7];
}

#endif
