/* test_caption.c: what a key script adds to the screen, offscreen: the caption's row at every
 * height (escaped, cut with an ellipsis on a character boundary), and the status line's note
 * while a script plays live. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "layout.h"
#include "model.h"
#include "tap.h"
#include "lab_fixture.h"
#include "screen_fixture.h"
#include "tui.h"

static const char *captions[] = {
    "T divides the logits",
    "\x1b]0;owned\x07 \xe2\x80\xae \\ back", /* the title, a bidi override, a backslash */
    /* 60 two-byte characters: longer than a 40-column row */
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
};

static void start(struct model *m, const struct vocab *v, const char *script)
{
    struct model_config c = {.vocab = v, .source_name = "decisions.tsv",
                             .params = params_default(), .samples = 10000, .seed = 1,
                             .script_name = script, .captions = captions, .n_captions = 3};
    model_or_bail(m, &c);
}

static struct tui_screen *screen(struct model *m, int cols, int rows, bool ascii, FILE *bytes)
{
    return screen_open(&(struct tui_opts){.ascii = ascii}, m, cols, rows, bytes, NULL);
}

static void act(struct tui_screen *s, struct model *m, enum action_kind kind, int arg)
{
    tui_screen_action(s, m, &(struct action){kind, arg, 0.0});
}

static void test_layout(void)
{
    bool fits = true;
    for (int rows = LAYOUT_MIN_ROWS; rows <= 80; rows++)
        for (int sliders = 1; sliders <= SAMPLER_COUNT; sliders++)
            for (int strips = 0; strips < 2; strips++) {
                struct layout l;
                layout_compute_parts(&l, 80, rows, sliders, 100, strips, true);
                int parts = l.title.h + l.sliders.h + l.chain.h + l.gauge.h + l.header.h +
                            l.hist.h + l.text.h + l.strip.h + l.gen.h + l.knob.h +
                            l.caption.h + l.status.h;
                fits = fits && parts == rows && l.caption.h == 1 &&
                       l.caption.y == rows - 2 && l.status.y == rows - 1 && l.hist.h >= 2;
            }
    tap_ok(fits, "with a caption every height fills the screen, the caption over the status");
    struct layout with, without;
    layout_compute_parts(&with, 80, 24, 7, 13, false, true);
    layout_compute_parts(&without, 80, 24, 7, 13, false, false);
    tap_ok(with.hist.h == without.hist.h - 1 && with.gen.h == 1 && with.title.h == 1 &&
               without.caption.h == 0,
           "80x24: the caption takes one histogram row, every other part stays");
}

static void test_rows(const struct vocab *v)
{
    struct model m;
    start(&m, v, "lab.play");
    struct tui_screen *s = screen(&m, 80, 24, false, NULL);
    char line[512];
    act(s, &m, ACT_SAY, 0);
    row_of(s, 22, line, sizeof line);
    TAP_EQ_STR(line, " T divides the logits", "80x24: the caption's row is the 23rd");
    act(s, &m, ACT_SAY, 1);
    row_of(s, 22, line, sizeof line);
    TAP_EQ_STR(line, " \\e]0;owned\\x07 \\u202e \\ back",
               "control bytes and a bidi override come out escaped; a backslash stays one");
    act(s, &m, ACT_SAY, 2);
    tui_screen_resize(s, &m, 40, 12);
    tui_screen_frame(s, &m);
    row_of(s, 10, line, sizeof line);
    char want[256] = " ";
    memcpy(want + 1, captions[2], 37 * 2);
    strcpy(want + 1 + 37 * 2, "\xe2\x80\xa6");
    TAP_EQ_STR(line, want, "40x12: a long caption is cut to 37 characters and an ellipsis");
    tui_screen_resize(s, &m, LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
    tui_screen_frame(s, &m);
    row_of(s, LAYOUT_MIN_ROWS - 2, line, sizeof line);
    tap_ok(strncmp(line, want, 1 + 27 * 2) == 0 && strstr(line, "\xe2\x80\xa6"),
           "30x9: the caption still has its row: %s", line);
    tui_screen_close(s);
    /* ASCII: every non-ASCII character escaped, the ellipsis is ~, never half an escape */
    s = screen(&m, 40, 12, true, NULL);
    tui_screen_frame(s, &m);
    row_of(s, 10, line, sizeof line);
    TAP_EQ_STR(line, " \\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9~",
               "40x12 ASCII: whole escapes, then ~");
    tui_screen_close(s);
    model_free(&m);
}

static void test_playing(const struct vocab *v)
{
    struct model m;
    start(&m, v, "lab.play");
    struct tui_screen *s = screen(&m, 80, 24, false, NULL);
    char line[512];
    act(s, &m, ACT_PLAY, MODEL_PLAY_LIVE);
    row_of(s, 23, line, sizeof line);
    tap_ok(strncmp(line, " \xe2\x96\xb6 playing lab.play \xe2\x80\x94 any key takes over  ",
                   strlen(" \xe2\x96\xb6 playing lab.play \xe2\x80\x94 any key takes over  ")) ==
                   0 && strstr(line, "? help") && !strstr(line, "step"),
           "80x24: the note instead of the hints: %s", line);
    tui_screen_key(s, &m, 's'); /* a message, as a script's key leaves one */
    row_of(s, 23, line, sizeof line);
    tap_ok(strncmp(line, " \xe2\x96\xb6 lab.play  new seed ", 23) == 0,
           "a message follows the script's name: %s", line);
    tui_screen_resize(s, &m, 40, 12);
    tui_screen_key(s, &m, KEYC_RIGHT);
    row_of(s, 11, line, sizeof line);
    tap_ok(strncmp(line, " \xe2\x96\xb6 playing lab.play ", 22) == 0 && !strstr(line, "key"),
           "40x12: as much of the note as fits: %s", line);
    tui_screen_close(s);
    model_free(&m);
    /* a long name from a file is escaped and cut; ASCII glyphs */
    start(&m, v, "a very long name for a lesson script\x1b[2J.play");
    s = screen(&m, 40, 12, true, NULL);
    act(s, &m, ACT_PLAY, MODEL_PLAY_LIVE);
    row_of(s, 11, line, sizeof line);
    tap_ok(strncmp(line, " > playing a very long", 22) == 0 && strchr(line, '~') &&
               !strchr(line, '\x1b'),
           "40x12 ASCII: a long name is cut with ~: %s", line);
    tui_screen_resize(s, &m, 100, 24);
    tui_screen_frame(s, &m);
    row_of(s, 23, line, sizeof line);
    tap_ok(strstr(line, "script\\e[2J.play - any key takes over") != NULL,
           "100x24 ASCII: the name escaped, then what to do: %s", line);
    act(s, &m, ACT_PLAY, MODEL_PLAY_PERSON);
    row_of(s, 23, line, sizeof line);
    tap_ok(strncmp(line, " you have the keys", 18) == 0, "taking over says so: %s", line);
    tui_screen_close(s);
    model_free(&m);
}

int main(void)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    struct vocab v;
    lab_vocab(&v);
    test_layout();
    test_rows(&v);
    test_playing(&v);
    vocab_free(&v);
    return tap_done();
}
