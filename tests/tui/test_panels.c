/* test_panels.c: golden frames of the plot (g) and A/B compare (c) on data/decisions.tsv,
 * driven key by key through an offscreen screen as the live explorer takes them, and
 * compared with tests/tui/golden/panels-*.txt. LOGITSCOPE_GOLDEN_UPDATE=1 rewrites them
 * (look at the new frames before committing them).
 *   test_panels GOLDEN_DIR */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "layout.h"
#include "logitscope/vocab.h"
#include "model.h"
#include "model_fixture.h"
#include "screen_fixture.h"
#include "tap.h"
#include "tui.h"

struct panel_case {
    const char *name; /* golden file: panels-NAME.txt */
    int cols, rows;
    bool ascii;
    const char *keys; /* key names as in key scripts, space-separated */
};

static const struct panel_case panel_cases[] = {
    {"plot-80x24-utf8", 80, 24, false, "g"},
    {"plot-80x24-ascii", 80, 24, true, "g"},
    {"plot-topk-80x24-utf8", 80, 24, false, "g Down Right Right Right Up Left Left Left"},
    {"compare-80x24-utf8", 80, 24, false, "c Left Left Left Left Left Left Down Down [ w"},
    {"both-80x24-utf8", 80, 24, false, "g c Left Left Left Left Left Left Down Down [ w"},
    {"both-80x24-ascii", 80, 24, true, "g c Left Left Left Left Left Left Down Down [ w"},
    {"both-120x40-utf8", 120, 40, false, "g c Left Left Left Left Left Left Down Down [ w"},
    {"both-120x40-ascii", 120, 40, true, "g c Left Left Left Left Left Left Down Down [ w"},
    {"both-40x12-utf8", 40, 12, false, "g c Left Left Left x"},
};

static char *panel_frame(const struct vocab *v, const struct panel_case *pc, size_t *len)
{
    struct model_config c = {.vocab = v, .source_name = "decisions.tsv",
                             .params = params_default(), .samples = ENGINE_DEFAULT_SAMPLES,
                             .seed = ENGINE_DEFAULT_SEED};
    struct model m;
    struct ls_error err;
    if (model_init(&m, &c, &err) != 0)
        return NULL;
    struct tui_opts o = {.ascii = pc->ascii};
    struct tui_screen *s = tui_screen_open(&o, &m, pc->cols, pc->rows, NULL, NULL, &err);
    char *buf = NULL;
    *len = 0;
    if (s) {
        tui_screen_frame(s, &m);
        if (screen_keys(s, &m, pc->keys))
            buf = screen_text(s, len);
        tui_screen_close(s);
    }
    model_free(&m);
    return buf;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    FILE *out = open_memstream(&buf, len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, out);
    fclose(out);
    fclose(f);
    return buf;
}

static void panel_check(const struct vocab *v, const char *dir, const struct panel_case *pc,
                        bool update)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/panels-%s.txt", dir, pc->name);
    size_t len, glen = 0;
    char *frame = panel_frame(v, pc, &len);
    if (!frame) {
        tap_ok(false, "%s: frame", pc->name);
        return;
    }
    if (update) {
        FILE *f = fopen(path, "wb");
        tap_ok(f && fwrite(frame, 1, len, f) == len && fclose(f) == 0, "%s: golden written",
               pc->name);
        free(frame);
        return;
    }
    char *golden = read_all(path, &glen);
    bool same = golden && glen == len && memcmp(golden, frame, len) == 0;
    if (!same) {
        printf("# %s differs from %s; this frame:\n# ", pc->name, path);
        for (const char *p = frame; *p; p++)
            fputs(*p == '\n' && p[1] ? "\n# " : (char[2]){*p, '\0'}, stdout);
    }
    tap_ok(same, "%s (%dx%d, keys: %s)", pc->name, pc->cols, pc->rows, pc->keys);
    free(golden);
    free(frame);
}

/* Where the plot goes: under the gauge at 80x24, beside the histogram from 110 columns,
 * nowhere (with a note) at 40x12. */
static void panel_layouts(void)
{
    struct layout l;
    layout_compute(&l, 80, 24, 4, 13);
    layout_add_plot(&l);
    tap_ok(l.plot.h == 7 && l.plot.w == 80 && l.plot.y == 8 && l.header.y == 15 &&
               l.hist.h == 5 && l.knob.h == 1 && l.status.y == 23,
           "80x24: the plot takes seven histogram rows under the gauge");
    layout_compute(&l, 120, 40, 4, 13);
    layout_add_plot(&l);
    tap_ok(l.plot.x == 72 && l.plot.w == 48 && l.plot.y == l.header.y && l.hist.w == 71 &&
               l.hist.h == 28 && !l.plot_hidden,
           "120x40: the plot sits right of the histogram");
    layout_compute(&l, 40, 12, 4, 13);
    layout_add_plot(&l);
    tap_ok(l.plot.h == 0 && l.plot_hidden && l.hist.h == 5, "40x12: no room, the plot is hidden");
}

/* With both panels on, every size from 1x1 to 130x45 draws (ASan and UBSan watch): the dump
 * has one line per row. */
static void panel_sizes(const struct vocab *v)
{
    struct model_config c = {.vocab = v, .params = params_default(), .samples = 100, .seed = 1};
    struct model m;
    model_or_bail(&m, &c);
    struct tui_screen *s = screen_open(&(struct tui_opts){.ascii = false}, &m, 1, 1, NULL, NULL);
    tui_screen_key(s, &m, 'g');
    tui_screen_key(s, &m, 'c');
    bool ok = true;
    for (int rows = 1; rows <= 45 && ok; rows += rows < 14 ? 1 : 4)
        for (int cols = 1; cols <= 130 && ok; cols += cols < 40 ? 1 : 6) {
            tui_screen_resize(s, &m, cols, rows);
            tui_screen_key(s, &m, KEYC_RESIZE);
            size_t len, lines = 0;
            char *buf = screen_text(s, &len);
            for (size_t i = 0; i < len; i++)
                lines += buf[i] == '\n';
            ok = lines == (size_t)rows;
            if (!ok)
                printf("# %dx%d: %zu lines\n", cols, rows, lines);
            free(buf);
        }
    tap_ok(ok, "plot and compare on: every size from 1x1 to 130x45 draws");
    tui_screen_close(s);
    model_free(&m);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    if (argc < 2) {
        printf("Bail out! usage: test_panels GOLDEN_DIR\n");
        return 1;
    }
    const char *data = getenv("LOGITSCOPE_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/decisions.tsv", data ? data : "data");
    struct vocab v;
    struct ls_error err;
    if (vocab_load(&v, path, NULL, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        return 1;
    }
    const char *up = getenv("LOGITSCOPE_GOLDEN_UPDATE");
    for (size_t i = 0; i < sizeof panel_cases / sizeof panel_cases[0]; i++)
        panel_check(&v, argv[1], &panel_cases[i], up && up[0] == '1');
    panel_layouts();
    panel_sizes(&v);
    vocab_free(&v);
    return tap_done();
}
