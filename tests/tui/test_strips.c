/* test_strips.c: a sequence's text strip and entropy strip, without a terminal: the window of
 * text keeps the current token in view at every position and width, byte-level tokens join
 * into their character, a click on either strip goes to the position under it (decoded with
 * the geometry the drawing uses), and the current token is drawn in reverse video.
 *   test_strips SEQUENCES_DIR */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/text.h"
#include "model_fixture.h"
#include "mouse.h"
#include "screen_fixture.h"
#include "tap.h"
#include "tui.h"
#include "widgets.h"

static void start(struct model *m, const struct source *src, size_t position, int cols,
                  bool ascii)
{
    struct model_config c = {.source = src, .position = position, .source_name = "t",
                             .params = params_default(), .samples = 100, .seed = 1};
    model_or_bail(m, &c);
    model_update(m, &(struct action){ACT_GLYPHS, ascii ? 1 : 0, 0.0});
    model_update(m, &(struct action){ACT_RESIZE, cols, 24.0});
}

static void load(struct seq *s, const char *dir, const char *name)
{
    char path[1024];
    struct ls_error err = {{0}};
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (seq_load(s, path, NULL, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
}

/* At every position and several widths: the current token is inside the window, the
 * window's columns fit the row, and a click on each character of it goes to the position
 * that holds the character. */
static void test_text_geometry(const struct source *src)
{
    static const int widths[] = {30, 40, 61, 80, 200};
    bool inside = true, fits = true, clicks = true;
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        for (size_t i = 0; i < src->n; i++) {
            struct model m;
            start(&m, src, i, widths[w], w % 2 == 1);
            const struct layout *l = &m.layout;
            struct text_strip t;
            text_strip_geom(&m, l->text, l->label_w, &t);
            size_t off = m.seq.step.text_off;
            inside = inside && t.shown && t.from <= t.cur_from && t.cur_from <= off &&
                     off + m.seq.step.text_len <= t.cur_to && t.cur_to <= t.to;
            /* columns: the ellipses and every character shown */
            int cols = (t.more_left ? 1 : 0) + (t.more_right ? 1 : 0) + t.cur_w;
            for (size_t b = t.from; b < t.to; b++) {
                char esc[16];
                if (b >= t.cur_from && b < t.cur_to)
                    continue;
                size_t n = 1;
                while (b + n < t.to && ((unsigned char)src->text[b + n] & 0xc0) == 0x80)
                    n++;
                size_t e = text_escape(src->text + b, n, m.screen.ascii ? TEXT_ASCII : 0, esc,
                                       sizeof esc);
                cols += (int)text_width(esc, e);
                b += n - 1;
            }
            fits = fits && t.x + cols <= t.end + 1;
            for (int x = t.x; x <= t.end; x++) {
                size_t at = text_strip_position_at(&m, &t, x);
                if (at == SOURCE_NONE)
                    continue;
                struct source_step st;
                source_step(src, at, &st);
                clicks = clicks && (at == i || (st.text_len > 0 && st.text_off < t.to &&
                                                st.text_off + st.text_len > t.from));
            }
            model_free(&m);
        }
    }
    tap_ok(inside, "the current token is in the window at every position and width");
    tap_ok(fits, "the window fits its row");
    tap_ok(clicks, "a click on the text finds a position shown there");
}

/* Position 9 of openai-chat.json is the first half of the wave emoji: highlighted, the
 * whole character is. */
static void test_join(const struct source *src)
{
    struct model m;
    start(&m, src, 8, 80, false);
    struct text_strip t;
    text_strip_geom(&m, m.layout.text, m.layout.label_w, &t);
    tap_ok(m.seq.step.text_len == 3 && t.cur_to - t.cur_from == 4 && t.cur_w == 2,
           "3 bytes of a 4-byte character: the whole character, 2 columns wide");
    size_t at = text_strip_position_at(&m, &t, t.x + 2);
    TAP_EQ_INT(at, 0, "the text's third column is position 1's ('The')");
    model_free(&m);
    start(&m, src, 9, 80, false);
    text_strip_geom(&m, m.layout.text, m.layout.label_w, &t);
    tap_ok(t.cur_to - t.cur_from == 4, "the second half: the same character");
    model_free(&m);
}

static void test_clicks(const struct source *src)
{
    struct model m;
    start(&m, src, 0, 80, false);
    const struct layout *l = &m.layout;
    struct mouse_drag drag = {-1, -1};
    struct action a[MOUSE_ACTIONS_MAX];
    struct entropy_strip g;
    entropy_strip_geom(&m, l->strip, l->label_w, &g);
    tap_ok(l->text.h == 1 && l->strip.h == 1 && g.cells == (int)src->n && g.first == 0,
           "80x24: the text row and a cell per position");
    struct mouse_event e = {MOUSE_PRESS, 1, g.x + 6, l->strip.y};
    int n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].kind == ACT_POSITION_SET && a[0].arg == 6,
           "a press on the seventh cell: position 7");
    model_update(&m, &a[0]);
    TAP_EQ_INT(m.seq.pos, 6, "... and the model goes there");
    e.x = g.x + g.cells + 3;
    TAP_EQ_INT(mouse_actions(&e, &m, false, &drag, a), 0, "past the cells: nothing");
    struct text_strip t;
    text_strip_geom(&m, l->text, l->label_w, &t);
    e = (struct mouse_event){MOUSE_PRESS, 1, t.x + 1, l->text.y};
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].kind == ACT_POSITION_SET && a[0].arg == 0,
           "a press on 'The' in the text: position 1");
    model_free(&m);
}

/* A response of 60 positions at 30 columns: the strip's window follows the current
 * position, which stays in it. */
static void test_window(void)
{
    char json[8192];
    size_t n = (size_t)snprintf(json, sizeof json, "{\"choices\": [{\"logprobs\": {\"content\": [");
    for (int i = 0; i < 60; i++)
        n += (size_t)snprintf(json + n, sizeof json - n,
                              "%s{\"token\": \"w%d \", \"logprob\": -0.5, \"top_logprobs\": "
                              "[{\"token\": \"w%d \", \"logprob\": -0.5}, {\"token\": \"x\", "
                              "\"logprob\": -1}]}", i ? ", " : "", i, i);
    n += (size_t)snprintf(json + n, sizeof json - n, "]}}]}");
    struct seq s;
    struct ls_error err = {{0}};
    if (seq_load_memory(&s, "long", (unsigned char *)strdup(json), n, NULL, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    struct source src;
    source_of_seq(&src, &s);
    bool follows = true;
    for (size_t i = 0; i < src.n; i++) {
        struct model m;
        start(&m, &src, i, 30, false);
        struct entropy_strip g;
        entropy_strip_geom(&m, m.layout.strip, m.layout.label_w, &g);
        follows = follows && g.cells > 0 && g.cells < 60 && g.first <= i &&
                  i < g.first + (size_t)g.cells && g.first + (size_t)g.cells <= 60 &&
                  entropy_strip_position_at(&g, g.x + (int)(i - g.first)) == i;
        model_free(&m);
    }
    tap_ok(follows, "30 columns, 60 positions: the cells follow the current position");
    seq_free(&s);
}

/* The current token is drawn in reverse video (no colour: the attribute alone). */
static void test_highlight(const struct source *src)
{
    struct model m;
    start(&m, src, 4, 80, false);
    FILE *f = tmpfile();
    if (!f) {
        printf("Bail out! no tmpfile\n");
        exit(1);
    }
    struct tui_screen *s = screen_open(&(struct tui_opts){.no_color = true}, &m, 80, 24, f,
                                       "xterm");
    tui_screen_frame(s, &m);
    tui_screen_close(s);
    char bytes[1 << 16];
    rewind(f);
    size_t n = fread(bytes, 1, sizeof bytes - 1, f);
    bytes[n] = '\0';
    tap_ok(strstr(bytes, "7m restless") != NULL && strstr(bytes, "7m blue") == NULL,
           "' restless' (position 5) in reverse video, ' blue' not");
    fclose(f);
    model_free(&m);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    if (argc < 2) {
        printf("Bail out! usage: test_strips SEQUENCES_DIR\n");
        return 1;
    }
    struct seq chat, old;
    load(&chat, argv[1], "openai-chat.json");
    load(&old, argv[1], "llamacpp.json");
    struct source src, src_old;
    source_of_seq(&src, &chat);
    source_of_seq(&src_old, &old);
    test_text_geometry(&src);
    test_text_geometry(&src_old);
    test_join(&src);
    test_clicks(&src);
    test_window();
    test_highlight(&src);
    seq_free(&chat);
    seq_free(&old);
    return tap_done();
}
