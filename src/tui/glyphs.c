/* glyphs.c: the two glyph sets. The ASCII set is what a C-locale terminal or a serial
 * console can show; it keeps the same shapes: '#' for full cells, '=' and '-' for parts. */
#include "glyphs.h"

static const struct glyphs glyphs_unicode = {
    .ascii = false,
    .eighths = {"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589"},
    .full = "\u2588",
    .track = "\u2500",
    .track_fill = "\u2501",
    .knob = "\u25cf",
    .knob_off = "\u25cb",
    .track_l = "",
    .track_r = "",
    .focus = "\u25b8",
    .sample = "\u2502",
    .beyond = "\u203a",
    .mark = "\u254c",
    .gauge_l = "\u2595",
    .gauge_r = "\u258f",
    .gauge_empty = " ",
    .ellipsis = "\u2026",
    .sep = "\u00b7",
    .arrow_up = "\u2191",
    .arrow_down = "\u2193",
    .box_tl = "\u250c",
    .box_tr = "\u2510",
    .box_bl = "\u2514",
    .box_br = "\u2518",
    .box_h = "\u2500",
    .box_v = "\u2502",
    .braille = true,
    .plot_dot = "\u2022",
    .plot_now = "\u25cf",
    .plot_axis = "\u2502",
    .plot_tick = "\u2524",
    .plot_mark = "\u25b2",
    .levels = {"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587",
               "\u2588"},
    .unseen = "\u00b7",
    .chosen = "\u00bb",
    .play = "\u25b6",
    .dash = " \u2014 ",
    .ghost = "\u2591",
    .threshold = "\u254e",
    .drawn = "\u25b6",
};

static const struct glyphs glyphs_ascii = {
    .ascii = true,
    .eighths = {"", "-", "-", "-", "=", "=", "=", "="},
    .full = "#",
    .track = "-",
    .track_fill = "=",
    .knob = "O",
    .knob_off = "o",
    .track_l = "[",
    .track_r = "]",
    .focus = ">",
    .sample = "|",
    .beyond = ">",
    .mark = "-",
    .gauge_l = "[",
    .gauge_r = "]",
    .gauge_empty = ".",
    .ellipsis = "~",
    .sep = "|",
    .arrow_up = "^",
    .arrow_down = "v",
    .box_tl = "+",
    .box_tr = "+",
    .box_bl = "+",
    .box_br = "+",
    .box_h = "-",
    .box_v = "|",
    .braille = false,
    .plot_dot = ".",
    .plot_now = "*",
    .plot_axis = "|",
    .plot_tick = "+",
    .plot_mark = "^",
    .levels = {"_", ".", ":", "-", "=", "+", "*", "#"},
    .unseen = "?",
    .chosen = ">",
    .play = ">",
    .dash = " - ",
    .ghost = ".",
    .threshold = ":",
    .drawn = "*",
};

const struct glyphs *glyphs_get(bool ascii)
{
    return ascii ? &glyphs_ascii : &glyphs_unicode;
}

const char *glyphs_braille(unsigned dots, char buf[4])
{
    unsigned cp = 0x2800u + (dots & 0xFFu);
    buf[0] = (char)(0xE0u | (cp >> 12));
    buf[1] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
    buf[2] = (char)(0x80u | (cp & 0x3Fu));
    buf[3] = '\0';
    return buf;
}
