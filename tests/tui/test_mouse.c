/* test_mouse.c: mouse events decoded into actions without a terminal (mouse_actions on an
 * 80x24 layout), then end to end on an offscreen screen: a click puts the knob on the cell
 * that was clicked, a drag follows the pointer, the wheel scrolls; and every event curses
 * queues behind one KEY_MOUSE is read, in order. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "mouse.h"
#include "params_fixture.h"
#include "tap.h"
#include "lab_fixture.h"
#include "screen_fixture.h"
#include "tui.h"
#include "tui_curses.h"
#include "widgets.h"

static void start(struct model *m, const struct vocab *v)
{
    lab_model(m, v, "t", 1000, 1);
}

static struct mouse_event ev(enum mouse_kind kind, int x, int y)
{
    bool wheel = kind == MOUSE_WHEEL_UP || kind == MOUSE_WHEEL_DOWN;
    return (struct mouse_event){kind, wheel ? 0 : 1, x, y};
}

static void test_decode(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    const struct layout l = m.layout; /* the model starts at 80x24 */
    struct mouse_drag drag = {-1, -1};
    struct action a[MOUSE_ACTIONS_MAX];
    int ts = model_slider_of(&m, PARAM_TEMPERATURE), ks = model_slider_of(&m, PARAM_TOP_K);
    int x0, inner, kx0, kinner;
    slider_knob_span(l.sliders, &m, l.label_w, ts, false, &x0, &inner);
    slider_knob_span(l.sliders, &m, l.label_w, ks, false, &kx0, &kinner);
    int yt = l.sliders.y + m.sliders[ts].row, yk = l.sliders.y + m.sliders[ks].row;

    struct mouse_event e = ev(MOUSE_PRESS, x0, yt);
    int n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 2 && a[0].kind == ACT_FOCUS_SET && a[0].arg == PARAM_TEMPERATURE &&
               a[1].kind == ACT_SET && a[1].arg == PARAM_TEMPERATURE && a[1].value == 0.0,
           "a press on the track's first cell: focus temperature, set it to 0");
    tap_ok(drag.slider == ts, "... and starts a drag");
    e = ev(MOUSE_RELEASE, x0 + inner - 1, yt + 5);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].kind == ACT_SET && a[0].value == 5.0 && drag.slider == -1,
           "released on the last cell (off the row): 5.00, the drag ends");
    e = ev(MOUSE_DRAG, x0 + 3, yt);
    TAP_EQ_INT(mouse_actions(&e, &m, false, &drag, a), 0, "motion without a drag: nothing");

    int ds = model_slider_of(&m, PARAM_DYNATEMP_RANGE), dx0, dinner;
    slider_knob_span(l.sliders, &m, l.label_w, ds, false, &dx0, &dinner);
    e = ev(MOUSE_PRESS, dx0 + dinner - 1, yt);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(dx0 > x0 + inner && n == 2 && a[0].arg == PARAM_DYNATEMP_RANGE && a[1].value == 5.0,
           "temperature's row: a press on its second cell sets dynatemp");

    e = ev(MOUSE_PRESS, kx0 + (kinner - 1) / 2, yk);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 2 && a[1].arg == PARAM_TOP_K && a[1].value == 5.0,
           "the middle of top-k's track (V = 10): k = 5");
    e = ev(MOUSE_DRAG, kx0 + kinner + 20, l.hist.y + 2);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].arg == PARAM_TOP_K && a[0].value == 10.0,
           "dragged past the end, over the histogram: k = V");
    e = ev(MOUSE_DRAG, 0, yt);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].arg == PARAM_TOP_K && a[0].value == 0.0,
           "dragged left past the start: top-k off, still top-k");

    int ms = model_slider_of(&m, PARAM_MIN_P);
    e = ev(MOUSE_PRESS, 3, l.sliders.y + m.sliders[ms].row);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].kind == ACT_FOCUS_SET && a[0].arg == PARAM_MIN_P && drag.slider == -1,
           "a press on a label only focuses");
    e = ev(MOUSE_PRESS, 15, l.chain.y);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].kind == ACT_ORDER, "a press on the preset's name: the next preset");
    struct chain_span spans[SAMPLER_COUNT];
    int preset_x, shown = chain_line_geom(l.chain, &m, l.label_w, false, spans, &preset_x);
    tap_ok(shown == 7, "the hf chain's seven stages fit on the chain line at 80 columns");
    e = ev(MOUSE_PRESS, spans[1].x, l.chain.y);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].kind == ACT_FOCUS_SET && a[0].arg == PARAM_TOP_K && drag.stage == 1,
           "a press on top-k on the chain line focuses it and starts dragging it");
    model_update(&m, &a[0]);
    e = ev(MOUSE_DRAG, spans[3].x, l.chain.y);
    TAP_EQ_INT(mouse_actions(&e, &m, false, &drag, a), 0, "nothing moves while dragging");
    e = ev(MOUSE_RELEASE, spans[3].x + 1, l.chain.y);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].kind == ACT_CHAIN_DRAG && a[0].arg == 1 && a[0].value == 3 &&
               drag.stage == -1,
           "released on min-p: move top-k to stage 3");
    unsigned ch = model_update(&m, &a[0]);
    char chain[160];
    chain_format(&m.params.chain, ";", chain, sizeof chain);
    tap_ok((ch & MODEL_CHANGED_PARAMS) &&
               strcmp(chain, "temperature;top_p;min_p;top_k;typ_p;epsilon;eta") == 0 &&
               model_focus_param(&m) == PARAM_TOP_K,
           "the model moves it: %s, still focused", chain);
    e = ev(MOUSE_PRESS, spans[2].x, l.chain.y);
    mouse_actions(&e, &m, false, &drag, a);
    e = ev(MOUSE_RELEASE, spans[2].x, l.hist.y);
    TAP_EQ_INT(mouse_actions(&e, &m, false, &drag, a), 0, "released off the chain line: nothing");

    e = ev(MOUSE_PRESS, 20, l.hist.y);
    TAP_EQ_INT(mouse_actions(&e, &m, false, &drag, a), 0, "a press on a bar: nothing");
    e = (struct mouse_event){MOUSE_PRESS, 3, x0, yt};
    TAP_EQ_INT(mouse_actions(&e, &m, false, &drag, a), 0, "the right button: nothing");

    e = ev(MOUSE_WHEEL_DOWN, 10, 2);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].kind == ACT_SCROLL_ROWS && a[0].arg == MOUSE_WHEEL_ROWS,
           "wheel down scrolls the histogram down");
    e = ev(MOUSE_WHEEL_UP, 10, 20);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].arg == -MOUSE_WHEEL_ROWS, "wheel up scrolls it up");

    int ax0, ainner;
    slider_knob_span(l.sliders, &m, l.label_w, ts, true, &ax0, &ainner);
    e = ev(MOUSE_PRESS, ax0, yt);
    n = mouse_actions(&e, &m, true, &drag, a);
    tap_ok(ax0 == x0 + 1 && ainner == inner - 2 && n == 2 && a[1].value == 0.0,
           "ASCII tracks: the '[' cap shifts the first cell by one");

    struct action pick = {ACT_CHAIN_PICK, 0, 0};
    model_update(&m, &pick);
    const struct rect pr = m.layout.picker;
    e = ev(MOUSE_PRESS, pr.x + 3, pr.y + 2);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(m.picker && pr.h > 0 && n == 1 && a[0].kind == ACT_PICK_TAKE && a[0].arg == 1,
           "picker open: a press on its second entry takes it");
    e = ev(MOUSE_PRESS, 0, 0);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].kind == ACT_PICK_CLOSE, "a press outside it closes it");
    model_update(&m, &a[0]);

    m.help = true;
    e = ev(MOUSE_PRESS, x0, yt);
    n = mouse_actions(&e, &m, false, &drag, a);
    tap_ok(n == 1 && a[0].kind == ACT_HELP, "with help open a press closes it");
    m.help = false;
    struct action small = {ACT_RESIZE, 20, 5};
    model_update(&m, &small);
    e = ev(MOUSE_PRESS, 1, 1);
    TAP_EQ_INT(mouse_actions(&e, &m, false, &drag, a), 0, "too small: nothing");
    model_free(&m);
}

/* The row of the dump that holds "temperature", and the column of the knob on it. */
static int knob_column(struct tui_screen *s)
{
    FILE *f = tmpfile();
    tui_screen_dump(s, f);
    rewind(f);
    char line[1024];
    int col = -1;
    while (col < 0 && fgets(line, sizeof line, f)) {
        if (!strstr(line, "temperature"))
            continue;
        char *k = strstr(line, "\u25cf");
        if (k) { /* columns: every character before the knob is one cell */
            col = 0;
            for (char *p = line; p < k; p++)
                col += ((unsigned char)*p & 0xC0) != 0x80;
        }
    }
    fclose(f);
    return col;
}

/* m started on the lab's vocabulary, on an offscreen 80x24 screen. */
static struct tui_screen *start_on_screen(struct model *m, const struct vocab *v)
{
    start(m, v);
    return screen_open(&(struct tui_opts){.ascii = false}, m, 80, 24, NULL, NULL);
}

static void test_screen(const struct vocab *v)
{
    struct model m;
    struct tui_screen *s = start_on_screen(&m, v);
    tui_screen_frame(s, &m);
    const struct layout l = m.layout;
    int x0, inner;
    slider_knob_span(l.sliders, &m, l.label_w, model_slider_of(&m, PARAM_TEMPERATURE), false,
                     &x0, &inner);
    bool lands = true;
    for (int x = x0; x < x0 + inner; x += 7) {
        struct mouse_event e = ev(MOUSE_PRESS, x, l.sliders.y);
        tui_screen_mouse(s, &m, &e);
        e.kind = MOUSE_RELEASE;
        tui_screen_mouse(s, &m, &e);
        if (knob_column(s) != x) {
            printf("# clicked column %d, knob at %d (T %g)\n", x, knob_column(s),
                   P_T(m.params));
            lands = false;
        }
    }
    tap_ok(lands, "a click anywhere on the track puts the knob on that cell");
    struct mouse_event e = ev(MOUSE_PRESS, x0 + inner / 5, l.sliders.y);
    tui_screen_mouse(s, &m, &e);
    double before = P_T(m.params);
    e = ev(MOUSE_DRAG, x0 + inner / 2, l.sliders.y + 3);
    tui_screen_mouse(s, &m, &e);
    tap_ok(P_T(m.params) > before && knob_column(s) == x0 + inner / 2,
           "a drag moves the knob with the pointer (T %.2f)", P_T(m.params));
    e = ev(MOUSE_RELEASE, x0 + inner / 2, l.sliders.y + 3);
    tui_screen_mouse(s, &m, &e);
    e = ev(MOUSE_WHEEL_DOWN, 5, 5);
    tui_screen_resize(s, &m, 80, 12);
    tui_screen_frame(s, &m);
    tui_screen_mouse(s, &m, &e);
    TAP_EQ_INT(m.scroll, MOUSE_WHEEL_ROWS, "the wheel scrolls the tokens by three rows");
    tui_screen_close(s);
    model_free(&m);
}

/* One KEY_MOUSE can stand for several reports (curses gathers those already read: a press
 * and its release, a press and its first motion); mouse_read gives them all, oldest first. */
static void test_read_queue(const struct vocab *v)
{
    struct model m;
    struct tui_screen *s = start_on_screen(&m, v);
    FILE *null = fopen("/dev/null", "w");
    if (!null) {
        printf("Bail out! cannot open /dev/null\n");
        exit(1);
    }
    mouse_enable(null, true);
    static const struct {
        mmask_t bstate;
        enum mouse_kind kind;
        int x;
    } reports[] = {
        {BUTTON1_PRESSED, MOUSE_PRESS, 43},
        {REPORT_MOUSE_POSITION, MOUSE_DRAG, 30},
        {BUTTON1_RELEASED, MOUSE_RELEASE, 14},
    };
    for (int n = 1; n <= 3; n++) {
        for (int i = 0; i < n; i++) {
            MEVENT me = {.x = reports[i].x, .y = 1, .bstate = reports[i].bstate};
            ungetmouse(&me);
        }
        struct mouse_event got[MOUSE_EVENTS_MAX];
        int k = mouse_read(got, MOUSE_EVENTS_MAX);
        bool same = k == n;
        for (int i = 0; same && i < n; i++)
            same = got[i].kind == reports[i].kind && got[i].x == reports[i].x && got[i].y == 1 &&
                   got[i].button == 1;
        tap_ok(same, "%d report(s) behind one KEY_MOUSE: all %d read, oldest first (got %d)", n,
               n, k);
        TAP_EQ_INT(mouse_read(got, MOUSE_EVENTS_MAX), 0, "... and none is left for the next one");
    }
    mouse_enable(null, false);
    fclose(null);
    tui_screen_close(s);
    model_free(&m);
}

int main(void)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    struct vocab v;
    lab_vocab(&v);
    test_decode(&v);
    test_screen(&v);
    test_read_queue(&v);
    vocab_free(&v);
    return tap_done();
}
