/* test_model_edit.c: typing a slider's value, finding a token, undo and redo, and the words
 * the model gives for the focused slider, for 0 and for a draw: the explorer's state driven by
 * keys, without a terminal. */
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "keys.h"
#include "model.h"
#include "params_fixture.h"
#include "tap.h"
#include "lab_fixture.h"

#define FOCUS(m) model_focus_param(&(m))

static struct setting lab_items[2] = {{.name = "T=0.5 focused"}, {.name = "T=2.0 wild"}};
static const struct settings lab = {lab_items, 2};

/* Presses each key of a script such as "= 0 . 3 Enter". */
static unsigned keys(struct model *m, const char *script)
{
    return lab_keys(m, script);
}

static void start(struct model *m, const struct vocab *v)
{
    lab_items[0].params = test_params(0.5, 0, 1.0, 0.0, PRESET_HF);
    lab_items[1].params = test_params(2.0, 0, 1.0, 0.0, PRESET_HF);
    struct model_config c = {.vocab = v, .lab = &lab, .source_name = "decisions.tsv",
                             .params = params_default(), .samples = 1000, .seed = 7};
    model_or_bail(m, &c);
}

/* = and Enter open a line for the focused slider's value, read as the command line reads
 * it; the old value stays on a bad entry, with the command line's words. */
static void test_typed(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    keys(&m, "=");
    tap_ok(m.prompt.kind == PROMPT_VALUE && m.prompt.param == PARAM_TEMPERATURE,
           "= opens a value line for the focused slider");
    keys(&m, "0 . 7 3 5");
    tap_ok(strcmp(m.prompt.text, "0.735") == 0 && P_T(m.params) == 1.0,
           "digits go into the line; nothing changes before Enter");
    unsigned ch = keys(&m, "Enter");
    tap_ok(P_T(m.params) == strtod("0.735", NULL) && !m.prompt.kind &&
               (ch & MODEL_CHANGED_PARAMS),
           "Enter sets T to 0.735 exactly, off the slider's grid like -t 0.735");
    TAP_EQ_STR(m.message, "temperature = 0.735", "... and says so");
    keys(&m, "Right");
    tap_ok(P_T(m.params) == strtod("0.75", NULL), "a step from there lands on the grid (0.75)");
    keys(&m, "Enter 1 2 Backspace Enter");
    tap_ok(P_T(m.params) == 1.0, "Enter opens the line too; Backspace takes a digit out");
    keys(&m, "= a b c Enter");
    tap_ok(P_T(m.params) == 1.0 &&
               strstr(m.message, "temperature must be a finite number >= 0, got \"abc\" (not "
                                 "a number)"),
           "not a number: T stays, with the command line's words (%s)", m.message);
    keys(&m, "= - 1 Enter");
    tap_ok(P_T(m.params) == 1.0 && strstr(m.message, "must be a finite number >= 0, got -1"),
           "out of range: T stays (%s)", m.message);
    keys(&m, "= 9 Enter");
    tap_ok(P_T(m.params) == 1.0 && strstr(m.message, "slider ends at 5, got 9") &&
               strstr(m.message, "sweep -t 9"),
           "past the slider: refused as -t 9 is, pointing at sweep (%s)", m.message);
    keys(&m, "= 2 Escape");
    tap_ok(P_T(m.params) == 1.0 && !m.prompt.kind && !m.quit, "Esc cancels; it does not quit");
    keys(&m, "= Enter");
    tap_ok(P_T(m.params) == 1.0 && !m.prompt.kind, "Enter on nothing typed changes nothing");
    keys(&m, "= q ? Enter");
    tap_ok(!m.quit && !m.help && P_T(m.params) == 1.0 && strstr(m.message, "got \"q?\""),
           "q and ? are letters in the line, not quit and help");
    keys(&m, "Down = 5 0 Enter");
    tap_ok(P_K(m.params) == 10 && strstr(m.message, "top-k 50 is more than V: 10"),
           "top-k past V is V, the same tokens, and it says so (%s)", m.message);
    keys(&m, "= 1 . 5 Enter");
    tap_ok(P_K(m.params) == 10 && strstr(m.message, "top-k must be a whole number"),
           "top-k 1.5 refused in the command line's words (%s)", m.message);
    keys(&m, "Down = 0 Enter");
    tap_ok(P_P(m.params) == 1.0 && strstr(m.message, "top-p must be in (0, 1], got 0"),
           "top-p 0 refused: (0, 1] (%s)", m.message);
    keys(&m, "= 0 . 9 5 5 Enter");
    tap_ok(P_P(m.params) == strtod("0.955", NULL), "top-p 0.955 exactly");
    keys(&m, "= 1 Enter Down = 1 Enter");
    tap_ok(P_MINP(m.params) == 1.0, "min-p 1: its slider's end, allowed");
    struct action a = {ACT_PROMPT_OPEN, PROMPT_VALUE, 0};
    model_update(&m, &a);
    for (int i = 0; i < MODEL_PROMPT_MAX + 10; i++)
        press(&m, '9');
    tap_ok(m.prompt.len == MODEL_PROMPT_MAX - 1, "a long line stops at %d bytes",
           MODEL_PROMPT_MAX - 1);
    struct action click = {ACT_FOCUS_SET, PARAM_TEMPERATURE, 0};
    model_update(&m, &click);
    tap_ok(!m.prompt.kind && FOCUS(m) == PARAM_MIN_P,
           "a mouse action while typing cancels the line and only that");
    model_free(&m);
}

/* / finds a token by its text: rank order from the one found last, round to the top; the
 * row is scrolled to and remembered until the position changes or a find is cancelled. */
static void test_find(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    keys(&m, "/ i Enter");
    tap_ok(m.find.rank == 2 && strstr(m.message, "found \"i\" at #3 of 10"),
           "/i: review, the first with an i (%s)", m.message);
    keys(&m, "/ Enter");
    tap_ok(m.find.rank == 5, "/ Enter: the next, audit");
    keys(&m, "/ Enter / Enter / Enter");
    tap_ok(m.find.rank == 8 && strstr(m.message, "#9"), "... on to assign");
    keys(&m, "/ Enter");
    tap_ok(m.find.rank == 2 && strstr(m.message, "from the top"),
           "... and round to the top, saying so (%s)", m.message);
    keys(&m, "/ O P T Enter");
    tap_ok(m.find.rank == 2 && strstr(m.message, "no token holds \"OPT\""),
           "capitals match exactly: nothing, and the row found stays (%s)", m.message);
    keys(&m, "/ Enter");
    tap_ok(m.find.rank == 5, "... and so does the text searched for");
    keys(&m, "/ o p t Enter");
    tap_ok(m.find.rank == 6, "lower case matches either case: optimize");
    keys(&m, "/ Escape");
    tap_ok(m.find.rank == MODEL_FIND_NONE && !m.quit, "/ Esc clears the row found");
    keys(&m, "n");
    tap_ok(m.find.rank == MODEL_FIND_NONE && !m.prompt.kind, "n still means next position");
    model_free(&m);

    struct vocab big;
    lab_vocab_numbered(&big, 3000, "w%zu", 0.01);
    start(&m, &big);
    keys(&m, "/ w 2 9 9 9 Enter");
    size_t rows = (size_t)m.layout.hist.h;
    tap_ok(m.find.rank == 2999 && m.scroll <= 2999 && 2999 < m.scroll + rows,
           "the last of 3000: scrolled so that its row shows");
    keys(&m, "/ w 1 2 Enter");
    tap_ok(m.find.rank == 12 && m.scroll <= 12 && 12 < m.scroll + rows,
           "back up to w12 (scroll %zu)", m.scroll);
    model_free(&m);
    vocab_free(&big);
}

/* u undoes the last change of settings, 32 levels and more; U redoes. */
static void test_undo(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    keys(&m, "u");
    TAP_EQ_STR(m.message, "nothing to undo", "nothing to undo at the start");
    keys(&m, "Right Right Right");
    keys(&m, "u");
    tap_ok(P_T(m.params) == strtod("1.10", NULL) && strstr(m.message, "temperature back to 1.1"),
           "u: one step back (%s)", m.message);
    tap_ok(strstr(m.message, "undo: temperature back to 1.1 (2 more to undo)") != NULL,
           "... saying what came back, and how many more can");
    keys(&m, "U");
    tap_ok(P_T(m.params) == strtod("1.15", NULL), "U: redone");
    keys(&m, "u u u");
    tap_ok(P_T(m.params) == 1.0, "three undos: T back to 1");
    keys(&m, "Down Right Right");
    keys(&m, "u");
    tap_ok(P_K(m.params) == 1 && m.undo.ahead == 1, "top-k 2, undone: 1, one to redo");
    keys(&m, "Right");
    keys(&m, "U");
    tap_ok(P_K(m.params) == 2 && m.undo.ahead == 0 && strstr(m.message, "nothing to redo"),
           "a new change drops what could be redone");
    keys(&m, "Home");
    keys(&m, "o x");
    tap_ok(P_PRESET(m.params) == PRESET_CUSTOM, "llama, then a stage out: a custom chain");
    keys(&m, "u");
    tap_ok(P_PRESET(m.params) == PRESET_LLAMA && strstr(m.message, "the chain"),
           "u: the stage back (%s)", m.message);
    keys(&m, "u");
    tap_ok(P_PRESET(m.params) == PRESET_HF, "u: the hf chain back");
    keys(&m, "2");
    tap_ok(P_T(m.params) == 2.0, "lab setting 2");
    keys(&m, "u");
    tap_ok(P_T(m.params) == 1.0, "u: its change undone");
    uint64_t seed = m.seed;
    keys(&m, "s");
    keys(&m, "u");
    tap_ok(m.seed == seed && strstr(m.message, "seed"), "a new seed undone: the old draws back");
    model_update(&m, &(struct action){ACT_FOCUS_SET, PARAM_TEMPERATURE, 0.0});
    keys(&m, "Right r");
    tap_ok(P_T(m.params) == 1.0, "T 1.05, then r: reset");
    keys(&m, "u");
    tap_ok(P_T(m.params) == strtod("1.05", NULL) && strstr(m.message, "back to 1.05"),
           "a reset undone (%s)", m.message);
    keys(&m, "Escape");
    tap_ok(m.quit, "Esc still quits");
    model_free(&m);

    start(&m, v);
    double h0 = m.dist.entropy_bits;
    uint32_t c0 = dist_count_rank(&m.dist, 0);
    for (int i = 0; i < 40; i++)
        keys(&m, "Right");
    for (int i = 0; i < 40; i++)
        keys(&m, "u");
    tap_ok(m.undo.back == 0 && m.undo.ahead == 40 && P_T(m.params) == 1.0,
           "40 steps, 40 undos: back to the start (the %d newest are kept)", MODEL_UNDO_MAX);
    tap_ok(m.dist.entropy_bits == h0 && dist_count_rank(&m.dist, 0) == c0,
           "... and the numbers are the start's again, draws included");
    for (int i = 0; i < MODEL_UNDO_MAX + 10; i++)
        keys(&m, "Right");
    for (int i = 0; i < MODEL_UNDO_MAX + 10; i++)
        keys(&m, "u");
    tap_ok(P_T(m.params) == strtod("1.50", NULL) && strstr(m.message, "nothing to undo"),
           "%d steps: the first 10 can no longer be undone, the rest can", MODEL_UNDO_MAX + 10);
    model_free(&m);

    start(&m, v); /* a mouse drag is one change */
    for (int i = 1; i <= 5; i++) {
        struct action drag = {ACT_SET, PARAM_TEMPERATURE, 1.0 + 0.1 * i};
        model_update(&m, &drag);
    }
    keys(&m, "u");
    tap_ok(P_T(m.params) == 1.0 && m.undo.back == 0, "a drag's five moves undone at once");
    model_free(&m);
}

/* What 0 does, what a focused slider does, what Space drew where it cannot be seen. */
static void test_words(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    char buf[32];
    model_off_label(&m, buf, sizeof buf);
    TAP_EQ_STR(buf, "T=1", "0 on temperature: T=1");
    keys(&m, "Down");
    model_off_label(&m, buf, sizeof buf);
    TAP_EQ_STR(buf, "off", "0 on top-k: off");
    tap_ok(!m.message[0] && model_knob_shown(&m),
           "80x24: the focused slider's words are on screen, no message");
    keys(&m, "Space");
    tap_ok(!model_knob_shown(&m) && !m.message[0],
           "after a draw the generated line is the draws'");
    keys(&m, "Down");
    tap_ok(strstr(m.message, "top-p: keeps the fewest top tokens") != NULL,
           "so a focus move says the words on the status line (%s)", m.message);
    keys(&m, "Tab");
    tap_ok(strstr(m.message, "min-p: keeps tokens") != NULL, "Tab too");
    struct action small = {ACT_RESIZE, 40, 12.0};
    model_update(&m, &small);
    keys(&m, "Home Up Up Up 0");
    keys(&m, "Space");
    tap_ok(strstr(m.message, "drew \"") != NULL, "40x12: Space says what it drew (%s)",
           m.message);
    model_free(&m);
    start(&m, v);
    keys(&m, "Down o Up Up Up"); /* llama: top-k second, XTC just before temperature */
    model_off_label(&m, buf, sizeof buf);
    tap_ok(FOCUS(m) == PARAM_XTC_THRESHOLD && strcmp(buf, "thr=0.1") == 0,
           "0 on XTC's threshold: back to its default, thr=0.1");
    model_free(&m);
}

int main(void)
{
    struct vocab v;
    lab_vocab(&v);
    test_typed(&v);
    test_find(&v);
    test_undo(&v);
    test_words(&v);
    vocab_free(&v);
    return tap_done();
}
