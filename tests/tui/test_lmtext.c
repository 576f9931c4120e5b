/* test_lmtext.c: what a language model wrote, on an offscreen screen: the text row keeps the
 * end of the text in view at every width and length, marks the prompt words the model does
 * not know, shows </s> and escapes what a prompt holds; the newest word is in reverse video
 * without colour (NO_COLOR); the prompt typed on the status line shows its end. Offscreen
 * ticks follow the script's clock.
 *   test_lmtext TINY.ARPA */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "lm_model_fixture.h"
#include "logitscope/lm.h"
#include "screen_fixture.h"
#include "tap.h"
#include "tui.h"
#include "widgets.h"

static struct lm *tiny;

static void start(struct model *m, struct writer *w, const char *prompt, uint64_t seed)
{
    lm_model_start(m, w, tiny, prompt, params_default(), 100, seed);
}

static void stop(struct model *m, struct writer *w)
{
    lm_model_stop(m, w);
}

static struct tui_screen *screen(struct model *m, int cols, int rows, bool ascii, FILE *bytes)
{
    struct tui_opts o = {.ascii = ascii, .no_color = bytes != NULL};
    struct tui_screen *s = screen_open(&o, m, cols, rows, bytes, "xterm");
    tui_screen_frame(s, m);
    return s;
}

static const char *row(struct tui_screen *s, int y, char *buf, size_t cap)
{
    row_of(s, y, buf, cap);
    return buf;
}

static bool ends_with(const char *s, const char *end)
{
    size_t a = strlen(s), b = strlen(end);
    return a >= b && strcmp(s + a - b, end) == 0;
}

/* At every width and length the row ends with the last word, whole, or with its head and
 * an ellipsis when even it does not fit; words left out at the start show an ellipsis. */
static void test_end_in_view(void)
{
    static const int widths[] = {30, 40, 57, 80, 131, 200};
    bool end = true, start_cut = true;
    for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
        struct model m;
        struct writer w;
        start(&m, &w, "the cat", 7);
        struct tui_screen *s = screen(&m, widths[k], 24, k % 2 == 1, NULL);
        for (int i = 0; i < 40; i++) {
            tui_screen_key(s, &m, KEYC_SPACE);
            char buf[1024];
            size_t len;
            const char *last = writer_word_bytes(&w, w.n - 1, &len);
            char want[64];
            snprintf(want, sizeof want, " %.*s", (int)len, last);
            row(s, m.layout.text.y, buf, sizeof buf);
            if (!ends_with(buf, want)) {
                printf("# %d columns, %d words: \"%s\" does not end with \"%s\"\n", widths[k],
                       i + 1, buf, want);
                end = false;
            }
            int text_x = widget_value_x(m.layout.text, m.layout.label_w);
            const char *ell = k % 2 == 1 ? "~" : "\u2026";
            start_cut = start_cut && (strncmp(buf + text_x, "the cat", 7) == 0 ||
                                      strncmp(buf + text_x, ell, strlen(ell)) == 0);
        }
        tui_screen_close(s);
        stop(&m, &w);
    }
    tap_ok(end, "30 to 200 columns, 1 to 40 words: the row ends with the last word");
    tap_ok(start_cut, "and begins with the prompt, or an ellipsis where words are left out");
}

static void test_marks(void)
{
    struct model m;
    struct writer w;
    char buf[512];
    start(&m, &w, "the zebra \x1b[1mcat", 7);
    struct tui_screen *s = screen(&m, 80, 24, false, NULL);
    row(s, m.layout.text.y, buf, sizeof buf);
    tap_ok(strstr(buf, "the \u27e8zebra\u27e9 \u27e8\\e[1mcat\u27e9") != NULL,
           "unknown prompt words marked, an escape shown as \\e: %s", buf);
    tui_screen_close(s);
    s = screen(&m, 80, 24, true, NULL);
    row(s, m.layout.text.y, buf, sizeof buf);
    tap_ok(strstr(buf, "the [zebra] [\\e[1mcat]") != NULL, "ASCII marks: %s", buf);
    /* greedy after "the dog ran to the park": </s> */
    struct action home = {ACT_HOME, 0, 0.0};
    model_update(&m, &home);
    for (int i = 0; i < 12 && (w.n == w.n_prompt || w.words[w.n - 1].id != lm_eos(tiny)); i++)
        tui_screen_key(s, &m, KEYC_SPACE);
    row(s, m.layout.text.y, buf, sizeof buf);
    tap_ok(ends_with(buf, " </s>"), "</s> is shown as such: %s", buf);
    tui_screen_close(s);
    stop(&m, &w);
}

/* Whether bytes hold an SGR sequence that sets a colour (30-49, 90-107, 38;5, 48;5). */
static bool has_colour(const char *bytes)
{
    for (const char *p = bytes; (p = strstr(p, "\x1b[")) != NULL;) {
        p += 2;
        size_t n = strspn(p, "0123456789;");
        if (p[n] != 'm')
            continue;
        for (const char *q = p; q < p + n;) {
            long v = strtol(q, NULL, 10);
            if ((v >= 30 && v <= 49) || (v >= 90 && v <= 107))
                return true;
            q += strcspn(q, ";m");
            q += *q == ';';
        }
    }
    return false;
}

/* Without colour the newest word is still told apart: reverse video, and no colour code is
 * sent for the text. */
static void test_no_color(void)
{
    struct model m;
    struct writer w;
    start(&m, &w, "the", 3);
    for (int i = 0; i < 3; i++)
        model_update(&m, &(struct action){ACT_DRAW_ONE, 0, 0.0});
    FILE *f = tmpfile();
    struct tui_screen *s = screen(&m, 80, 24, false, f);
    tui_screen_close(s);
    char bytes[1 << 16];
    rewind(f);
    size_t n = fread(bytes, 1, sizeof bytes - 1, f);
    bytes[n] = '\0';
    fclose(f);
    size_t len;
    const char *last = writer_word_bytes(&w, w.n - 1, &len);
    char want[64];
    snprintf(want, sizeof want, "7m%.*s", (int)len, last);
    tap_ok(strstr(bytes, want) != NULL, "NO_COLOR: the newest word in reverse video (%s)", want);
    tap_ok(!has_colour(bytes), "and no colour at all");
    stop(&m, &w);
}

static void test_editor(void)
{
    struct model m;
    struct writer w;
    char buf[512];
    start(&m, &w, "the", 3);
    struct tui_screen *s = screen(&m, 40, 12, false, NULL);
    tui_screen_key(s, &m, 'e');
    tui_screen_key(s, &m, KEYC_CTRL('u'));
    const char *typed = "a cat sat on the mat and the dog saw it\x1b";
    for (const char *p = typed; *p; p++)
        tui_screen_key(s, &m, *p == 0x1b ? 0xe9 : (unsigned char)*p);
    row(s, m.layout.status.y, buf, sizeof buf);
    tap_ok(strncmp(buf, " prompt: ", 9) == 0 && strstr(buf, " it\u00e9_") &&
               strstr(buf, "Enter set"),
           "the typing line shows the end of a long prompt and its keys: %s", buf);
    tui_screen_key(s, &m, KEYC_ENTER);
    row(s, m.layout.text.y, buf, sizeof buf);
    tap_ok(ends_with(buf, "saw \u27e8it\u00e9\u27e9"), "Enter: the prompt is the text: %s", buf);
    tui_screen_close(s);
    stop(&m, &w);
}

/* Ticks are not keys: an offscreen screen takes them when told (the script's clock). */
static void test_ticks(void)
{
    struct model m;
    struct writer w;
    start(&m, &w, "the", 5);
    struct tui_screen *s = screen(&m, 80, 24, false, NULL);
    tap_ok(!tui_screen_tick(s, &m), "no tick writes before w");
    tui_screen_key(s, &m, 'w');
    size_t n = w.n;
    bool wrote = m.lm.writing ? tui_screen_tick(s, &m) && w.n == n + 1 : true;
    tap_ok(wrote, "while writing on, a tick writes a word and draws it");
    if (m.lm.writing) /* else a sentence ended */
        tui_screen_key(s, &m, 'w');
    n = w.n;
    tap_ok(!m.lm.writing && !tui_screen_tick(s, &m) && w.n == n,
           "after w again, ticks write nothing");
    tui_screen_close(s);
    stop(&m, &w);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    struct ls_error err = {{0}};
    if (argc < 2 || lm_load(&tiny, argv[1], &err) != 0) {
        printf("Bail out! usage: test_lmtext TINY.ARPA (%s)\n", err.msg);
        return 1;
    }
    test_end_in_view();
    test_marks();
    test_no_color();
    test_editor();
    test_ticks();
    lm_free(tiny);
    return tap_done();
}
