/* test_tui.c: the tui without a terminal: layouts at every size, the histogram's row plan,
 * offscreen frames from 1x1 up (no crash, nothing past the edge), and the bytes a slider step
 * costs at 80x24, captured from the very stream curses writes to. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "keymap.h"
#include "layout.h"
#include "model.h"
#include "params_fixture.h"
#include "tap.h"
#include "lab_fixture.h"
#include "screen_fixture.h"
#include "tui.h"
#include "widgets.h"

static void start(struct model *m, const struct vocab *v)
{
    lab_model(m, v, "decisions.tsv", 10000, 1);
}

static void test_layout(void)
{
    struct layout l;
    layout_compute(&l, 80, 24, 4, 13);
    tap_ok(!l.too_small && l.wide, "80x24 is wide");
    tap_ok(l.title.h == 1 && l.chain.h == 1 && l.gauge.h == 2 && l.header.h == 1 &&
               l.gen.h == 1 && l.status.h == 1 && l.knob.h == 1 && l.knob.y == l.gen.y - 1,
           "80x24, four samplers: every part, the focused slider's words above the generated "
           "line");
    TAP_EQ_INT(l.hist.h, 12, "80x24, four samplers: 12 histogram rows (10 tokens, marks)");
    TAP_EQ_INT(l.status.y, 23, "the status line is the last row");
    layout_compute(&l, 40, 12, 4, 13);
    tap_ok(!l.too_small && !l.wide && l.chain.h == 1 && l.hist.h >= 4, "40x12 is usable");
    layout_compute(&l, 80, 24, 7, 13);
    tap_ok(l.sliders.h == 7 && l.hist.h == 10 && l.title.h == 1 && l.gen.h == 1 && l.knob.h == 0,
           "80x24, seven samplers (hf, llama): a row each, 10 histogram rows, every part but a "
           "row of its own for the focused slider's words");
    layout_compute(&l, 80, 24, 10, 13);
    tap_ok(l.sliders.h == 10 && l.hist.h == 7 && l.status.y == 23,
           "80x24, ten samplers: ten rows of sliders, 7 of histogram");
    layout_compute(&l, 40, 12, SAMPLER_COUNT, 13);
    tap_ok(l.sliders.h == LAYOUT_SLIDER_ROWS_MIN && l.hist.h >= 4,
           "40x12, every sampler: four slider rows (they scroll), the histogram keeps its rows");
    layout_compute(&l, LAYOUT_MIN_COLS - 1, 24, 4, 13);
    tap_ok(l.too_small, "too narrow");
    layout_compute(&l, 80, LAYOUT_MIN_ROWS - 1, 4, 13);
    tap_ok(l.too_small, "too short");
    bool fits = true;
    for (int rows = LAYOUT_MIN_ROWS; rows <= 80; rows++) {
        for (int sliders = 1; sliders <= SAMPLER_COUNT; sliders++) {
            layout_compute(&l, 80, rows, sliders, 100);
            fits = fits && l.status.y == rows - 1 && l.hist.h >= 2 && l.chain.h == 1 &&
                   l.sliders.h >= (sliders < 4 ? sliders : 4) && l.sliders.h <= sliders;
        }
    }
    tap_ok(fits, "every height from the minimum to 80 fills the screen exactly");
    layout_compute_strips(&l, 80, 24, 7, 13, LAYOUT_STRIPS_SEQUENCE);
    tap_ok(l.text.h == 1 && l.strip.h == 1 && l.text.y == l.hist.y + l.hist.h &&
               l.strip.y == l.text.y + 1 && l.gen.y == l.strip.y + 1 && l.hist.h == 8,
           "80x24 with a sequence: its text and entropy strip under the histogram, which "
           "gives up two rows");
    fits = true;
    for (int rows = LAYOUT_MIN_ROWS; rows <= 80; rows++) {
        layout_compute_strips(&l, 80, rows, 7, 100, LAYOUT_STRIPS_SEQUENCE);
        int parts = l.title.h + l.sliders.h + l.chain.h + l.gauge.h + l.header.h + l.hist.h +
                    l.text.h + l.strip.h + l.knob.h + l.gen.h + l.status.h;
        fits = fits && parts == rows && l.status.y == rows - 1 && l.hist.h >= 2 &&
               (rows < LAYOUT_MIN_ROWS + 2 || (l.text.h == 1 && l.strip.h == 1));
    }
    tap_ok(fits, "with a sequence every height fills the screen; the strips from 11 rows");
}

static void test_plan(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    struct hist_item items[40];
    size_t n = hist_plan(&m, 13, items);
    TAP_EQ_INT(n, 10, "ten tokens, no marks with the filters off");
    n = hist_plan(&m, 5, items);
    tap_ok(n == 5 && items[3].kind == HIST_TOKEN && items[4].kind == HIST_MORE &&
               items[4].rank == 4,
           "5 rows: four tokens and '... 6 more'");
    press(&m, KEYC_DOWN); /* top-k */
    press(&m, KEYC_DOWN); /* top-p */
    for (int i = 0; i < 10; i++)
        press(&m, KEYC_LEFT); /* 0.90 */
    press(&m, KEYC_UP);       /* top-k */
    for (int i = 0; i < 7; i++)
        press(&m, KEYC_RIGHT); /* 7 */
    n = hist_plan(&m, 20, items);
    size_t marks = 0, pos_p = 0, pos_k = 0;
    for (size_t i = 0; i < n; i++)
        if (items[i].kind == HIST_MARK) {
            marks++;
            if (items[i].marks & (1u << SAMPLER_TOP_P))
                pos_p = items[i].rank;
            if (items[i].marks & (1u << SAMPLER_TOP_K))
                pos_k = items[i].rank;
        }
    size_t p_end = m.dist.br[0].after[dist_stage_of(&m.dist, SAMPLER_TOP_P)].hi;
    tap_ok(marks == 2 && pos_p == p_end && pos_k == 7 && n == 12,
           "top-p 0.9 and top-k 7: two mark rows at top-p's end (%zu) and 7", p_end);
    press(&m, KEYC_HOME); /* top-k 0: off */
    press(&m, KEYC_UP);
    press(&m, '0');
    m.scroll = 4;
    n = hist_plan(&m, 4, items);
    tap_ok(items[0].kind == HIST_ABOVE && items[0].rank == 4 && items[1].rank == 4 &&
               items[3].kind == HIST_MORE,
           "scrolled: '... 4 above', tokens, '... more'");
    model_free(&m);
}

/* Frames at every size from 1x1 to 90x30: nothing crashes, nothing is drawn out of bounds
 * (the dump has exactly `rows` lines, none wider than `cols` bytes in ASCII mode). */
static void test_sizes(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    struct tui_screen *s = screen_open(&(struct tui_opts){.ascii = true}, &m, 1, 1, NULL,
                                       "xterm-256color");
    bool ok = true;
    for (int rows = 1; rows <= 30 && ok; rows += (rows < 12 ? 1 : 3))
        for (int cols = 1; cols <= 90 && ok; cols += (cols < 45 ? 1 : 5)) {
            tui_screen_resize(s, &m, cols, rows);
            tui_screen_frame(s, &m);
            size_t len;
            char *buf = screen_text(s, &len);
            int lines = 0;
            for (char *p = buf, *nl; p < buf + len; p = nl + 1, lines++) {
                nl = memchr(p, '\n', (size_t)(buf + len - p));
                if (!nl || nl - p > cols)
                    ok = false;
                if (!nl)
                    break;
            }
            if (lines != rows) {
                ok = false;
                printf("# %dx%d: %d lines\n", cols, rows, lines);
            }
            free(buf);
        }
    tap_ok(ok, "every size from 1x1 to 90x30 draws inside the screen");
    press(&m, '?');
    tui_screen_resize(s, &m, 80, 24);
    tui_screen_frame(s, &m);
    tui_screen_close(s);
    tap_ok(true, "the help overlay draws");
    model_free(&m);
}

/* Bytes written so far: curses writes to the stream's file descriptor directly, so the
 * capture is a real file. */
static size_t bytes_now(FILE *f)
{
    struct stat st;
    fflush(f);
    return fstat(fileno(f), &st) == 0 ? (size_t)st.st_size : 0;
}

/* Every position of every slider, both ways, one step at a time: the worst single step in
 * bytes (steps of 900 bytes or more are listed). */
static size_t sweep_worst(struct tui_screen *s, struct model *m, FILE *f, const char *what)
{
    size_t worst = 0, total = 0, steps = 0;
    for (int slider = 0; slider < m->n_sliders; slider++) {
        for (int dir = 0; dir < 2; dir++) {
            for (int i = 0; i < 101; i++) {
                size_t before = bytes_now(f);
                unsigned changed = model_update(m, &(struct action){ACT_STEP, dir ? -1 : 1, 0});
                tui_screen_frame(s, m);
                size_t cost = bytes_now(f) - before;
                if (!(changed & MODEL_CHANGED_PARAMS))
                    break;
                if (cost >= 900)
                    printf("# %s step %d to %g: %zu bytes\n",
                           param_spec(model_focus_param(m))->name, dir ? -1 : 1,
                           model_slider_value(m, model_focus_param(m)), cost);
                worst = cost > worst ? cost : worst;
                total += cost;
                steps++;
            }
        }
        press(m, '0');
        press(m, KEYC_TAB);
        tui_screen_frame(s, m);
    }
    printf("# all %zu slider steps at 80x24%s: worst %zu bytes, mean %zu bytes\n", steps, what,
           worst, total / steps);
    return worst;
}

/* What one key costs on the wire at 80x24 in a 256-colour xterm. */
static void test_bytes(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    FILE *f = tmpfile();
    struct tui_screen *s = screen_open(&(struct tui_opts){.ascii = false}, &m, 80, 24, f,
                                       "xterm-256color");
    tui_screen_frame(s, &m);
    size_t first = bytes_now(f), worst = 0, total = 0;
    tap_ok(first > 1000, "the first frame is a full paint (%zu bytes)", first);
    static const int keys[] = {KEYC_RIGHT, KEYC_RIGHT, KEYC_RIGHT, KEYC_LEFT, KEYC_LEFT,
                               KEYC_DOWN,  KEYC_LEFT,  KEYC_LEFT,  KEYC_DOWN, KEYC_RIGHT,
                               KEYC_RIGHT, KEYC_DOWN,  KEYC_RIGHT, KEYC_UP,   KEYC_UP,
                               KEYC_UP,    KEYC_RIGHT};
    size_t steps = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        size_t before = bytes_now(f);
        press(&m, keys[i]);
        tui_screen_frame(s, &m);
        size_t cost = bytes_now(f) - before;
        if (keys[i] == KEYC_LEFT || keys[i] == KEYC_RIGHT) {
            worst = cost > worst ? cost : worst;
            total += cost;
            steps++;
        }
    }
    printf("# slider steps at 80x24 (xterm-256color): worst %zu bytes, mean %zu bytes\n", worst,
           total / steps);
    tap_ok(worst < 1024, "a slider step costs under 1 KB (worst %zu bytes)", worst);
    size_t before = bytes_now(f);
    tui_screen_frame(s, &m);
    TAP_EQ_INT(bytes_now(f) - before, 0, "an unchanged frame sends nothing");

    /* every position of every slider, both ways: the worst single step anywhere */
    press(&m, 'r');
    tui_screen_frame(s, &m);
    worst = sweep_worst(s, &m, f, "");
    tap_ok(worst < 1024, "every slider step over every range costs under 1 KB (worst %zu)", worst);
    /* the same with the plot (g) and A/B compare (c) on */
    press(&m, 'r');
    press(&m, 'g');
    press(&m, 'c');
    press(&m, 'w'); /* an unbound key: clears c's message */
    tui_screen_frame(s, &m);
    worst = sweep_worst(s, &m, f, " with the plot and compare on");
    tap_ok(worst < 1024, "... and with the plot and compare on (worst %zu)", worst);
    tui_screen_close(s);
    fclose(f);
    model_free(&m);
}

/* Whether the SGR sequences in buf turn on `attr` (2 dim, 1 bold...) or set the 256-colour
 * foreground `fg256` (38;5;N). Either may be -1: not looked for. */
static bool sgr_uses(const char *buf, size_t len, int attr, int fg256)
{
    for (size_t i = 0; i + 2 < len; i++) {
        if (buf[i] != '\033' || buf[i + 1] != '[')
            continue;
        size_t j = i + 2;
        int params[32], n = 0, cur = 0;
        bool any = false;
        for (; j < len && (buf[j] == ';' || (buf[j] >= '0' && buf[j] <= '9')); j++) {
            if (buf[j] == ';') {
                if (n < 32)
                    params[n++] = any ? cur : 0;
                cur = 0, any = false;
            } else {
                cur = cur * 10 + (buf[j] - '0'), any = true;
            }
        }
        if (j >= len || buf[j] != 'm')
            continue;
        if (n < 32)
            params[n++] = any ? cur : 0;
        for (int k = 0; k < n; k++) {
            if ((params[k] == 38 || params[k] == 48) && k + 2 < n && params[k + 1] == 5) {
                if (params[k] == 38 && params[k + 2] == fg256)
                    return true;
                k += 2;
            } else if (params[k] == attr) {
                return true;
            }
        }
    }
    return false;
}

/* The first frame of the llama preset with the plot on, in a theme and terminal, as bytes. */
static char *theme_frame(const struct vocab *v, int theme, const char *term, size_t *len)
{
    struct model m;
    start(&m, v);
    press(&m, 'o'); /* llama */
    press(&m, 'g');
    FILE *f = tmpfile();
    if (!f) {
        printf("Bail out! no tmpfile\n");
        exit(1);
    }
    struct tui_screen *s = screen_open(&(struct tui_opts){.theme = theme}, &m, 80, 24, f, term);
    tui_screen_frame(s, &m);
    tui_screen_close(s);
    *len = bytes_now(f);
    char *buf = malloc(*len + 1);
    rewind(f);
    if (!buf || fread(buf, 1, *len, f) != *len) {
        printf("Bail out! cannot read the frame back\n");
        exit(1);
    }
    fclose(f);
    model_free(&m);
    return buf;
}

/* --theme: light draws no yellow (unreadable on white), contrast no dim greys. */
static void test_themes(const struct vocab *v)
{
    TAP_EQ_STR(tui_theme_name(0), "dark", "theme 0 is dark, the default");
    TAP_EQ_INT(tui_theme_find("contrast"), 2, "contrast is theme 2");
    TAP_EQ_INT(tui_theme_find("Light"), -1, "names are exact");
    tap_ok(tui_theme_name(3) == NULL, "three themes");
    size_t len;
    char *dark = theme_frame(v, 0, "xterm-256color", &len);
    tap_ok(sgr_uses(dark, len, -1, 220), "dark: the knob is yellow (38;5;220)");
    tap_ok(sgr_uses(dark, len, -1, 244), "dark: off sliders are grey (38;5;244)");
    free(dark);
    dark = theme_frame(v, 0, "screen", &len);
    tap_ok(sgr_uses(dark, len, 2, -1), "dark, 8 colours: off sliders are dim");
    free(dark);
    char *light = theme_frame(v, 1, "xterm-256color", &len);
    tap_ok(!sgr_uses(light, len, 93, 220) && !sgr_uses(light, len, 33, 11),
           "light: no yellow at all");
    tap_ok(sgr_uses(light, len, -1, 166), "light: the knob is orange (38;5;166)");
    free(light);
    light = theme_frame(v, 1, "screen", &len);
    tap_ok(!sgr_uses(light, len, 33, -1), "light, 8 colours: no yellow");
    free(light);
    char *contrast = theme_frame(v, 2, "xterm-256color", &len);
    tap_ok(!sgr_uses(contrast, len, -1, 244) && !sgr_uses(contrast, len, -1, 240),
           "contrast: no dark greys");
    tap_ok(sgr_uses(contrast, len, 1, -1), "contrast: bold");
    free(contrast);
    contrast = theme_frame(v, 2, "screen", &len);
    tap_ok(!sgr_uses(contrast, len, 2, -1), "contrast, 8 colours: nothing dim");
    free(contrast);
}

/* An ASCII offscreen screen of cols x rows showing m, its bytes thrown away. */
static struct tui_screen *ascii_screen(struct model *m, int cols, int rows)
{
    return screen_open(&(struct tui_opts){.ascii = true}, m, cols, rows, NULL, NULL);
}

/* Keys through an offscreen screen, as key scripts drive it: the frame follows. */
static void test_screen_keys(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    struct tui_screen *s = ascii_screen(&m, 80, 24);
    tui_screen_frame(s, &m);
    bool go_on = tui_screen_key(s, &m, KEYC_RIGHT) && tui_screen_key(s, &m, KEYC_RIGHT) &&
                 tui_screen_key(s, &m, KEYC_RESIZE) && tui_screen_key(s, &m, 'w');
    FILE *f = tmpfile();
    tui_screen_dump(s, f);
    rewind(f);
    char line[256];
    bool found = false;
    while (fgets(line, sizeof line, f))
        found = found || (strstr(line, "temperature") && strstr(line, "1.10"));
    fclose(f);
    tap_ok(go_on && found, "two Right keys offscreen: the frame shows T 1.10");
    /* the view only reads: a frame, with the plot, compare and help open, leaves every byte
     * of the model as it was */
    tui_screen_key(s, &m, 'g');
    tui_screen_key(s, &m, 'c');
    tui_screen_key(s, &m, '?');
    static struct model before;
    memcpy(&before, &m, sizeof m);
    tui_screen_frame(s, &m);
    tap_ok(m.plot && m.compare && m.help && memcmp(&before, &m, sizeof m) == 0,
           "drawing a frame changes nothing in the model");
    tui_screen_key(s, &m, '?');
    tap_ok(!tui_screen_key(s, &m, 'q'), "q ends the explorer offscreen too");
    tui_screen_close(s);
    model_free(&m);
}

/* While "terminal too small" shows, keys that would change something unseen do nothing;
 * quitting, repainting and help still work, and so does everything once it is big enough. */
static void test_too_small_keys(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    struct tui_screen *s = ascii_screen(&m, 20, 5);
    tui_screen_frame(s, &m);
    const int keys[] = {KEYC_RIGHT, KEYC_RIGHT, KEYC_RIGHT, KEYC_RIGHT, KEYC_DOWN, '6', 'o',
                        's', 'r', 'c', 'g', KEYC_SPACE, KEYC_PAGEDOWN};
    bool go_on = true;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        go_on = go_on && tui_screen_key(s, &m, keys[i]);
    tap_ok(go_on && P_T(m.params) == 1.0 && model_focus_param(&m) == PARAM_TEMPERATURE &&
               P_PRESET(m.params) == PRESET_HF && !m.compare && !m.plot && m.gen_count == 0,
           "too small: keys do nothing unseen");
    tui_screen_key(s, &m, '?');
    tap_ok(m.help, "too small: ? still toggles help");
    tui_screen_key(s, &m, '?');
    tui_screen_resize(s, &m, 80, 24);
    tui_screen_key(s, &m, KEYC_RIGHT);
    tap_ok(P_T(m.params) == strtod("1.05", NULL), "big enough again: Right steps");
    tui_screen_resize(s, &m, 20, 5);
    tap_ok(!tui_screen_key(s, &m, 'q'), "too small: q still quits");
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
    test_plan(&v);
    test_sizes(&v);
    test_bytes(&v);
    test_screen_keys(&v);
    test_too_small_keys(&v);
    test_themes(&v);
    vocab_free(&v);
    return tap_done();
}
