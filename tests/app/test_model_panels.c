/* test_model_panels.c: the plot (g), A/B compare (c) and the histogram's aids (z, b, m, the
 * drawn row, what each stage was given) in the model, without a terminal.
 * Every point of the curve and every number of A is checked against a direct engine run, and
 * the engine runs are counted: the curve is recomputed only when a filter, the order or the
 * plot's width (the terminal's size or glyphs) changes, never on a temperature step. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "keys.h"
#include "model.h"
#include "params_fixture.h"
#include "tap.h"
#include "lab_fixture.h"

static void start(struct model *m, const struct vocab *v)
{
    lab_model(m, v, "t", 10000, 42);
}

static unsigned act(struct model *m, enum action_kind kind, int arg, double value)
{
    struct action a = {kind, arg, value};
    return model_update(m, &a);
}

/* Every sample of the curve is engine_apply's entropy at its temperature. */
static bool curve_is_engine(const struct model *m)
{
    struct dist d;
    if (dist_init(&d, m->vocab) != 0)
        return false;
    bool same = m->curve.valid && m->curve.n >= 2;
    for (size_t i = 0; same && i < m->curve.n; i++) {
        struct params p = m->params;
        params_set(&p, PARAM_TEMPERATURE, model_curve_t(m, i));
        engine_apply(&d, &p);
        same = d.entropy_bits == m->curve.bits[i];
    }
    dist_free(&d);
    return same;
}

/* A is a fresh engine run on the pinned settings with B's N and seed. */
static bool a_is_engine(const struct model *m)
{
    struct dist d;
    if (dist_init(&d, m->vocab) != 0)
        return false;
    engine_apply(&d, &m->pin);
    engine_draw(&d, m->samples, m->seed);
    bool same = d.kept == m->dist_a.kept && d.entropy_bits == m->dist_a.entropy_bits &&
                memcmp(d.counts, m->dist_a.counts, d.kept * sizeof *d.counts) == 0;
    dist_free(&d);
    return same;
}

static void test_plot(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    tap_ok(!m.plot && !m.curve.ready, "the plot starts off, nothing allocated for it");
    unsigned ch = press(&m, 'g');
    tap_ok(m.plot && m.curve.ready && (ch & MODEL_CHANGED_VIEW), "g opens the plot");
    tap_ok(m.layout.plot.h == 6 && m.layout.plot_dots == 146,
           "the model lays the plot out at once: 80x24 braille, 73 cells of 2 dot columns, "
           "six rows (the histogram keeps four)");
    TAP_EQ_INT(m.curve.n, 146, "one temperature per dot column");
    TAP_EQ_INT(m.curve.applies, 146, "one engine run per sample");
    tap_ok(curve_is_engine(&m), "every point is engine_apply's entropy at its temperature");
    tap_ok(model_curve_t(&m, 0) == 0.0 && model_curve_t(&m, 145) == 5.0,
           "the samples run from T = 0 to T = 5");
    tap_ok(model_curve_t(&m, 29) == 1.0 && m.curve.bits[29] == m.dist.entropy_bits,
           "at T = 1 the curve is the gauge's number");
    unsigned long before = m.curve.applies;
    for (int i = 0; i < 7; i++)
        press(&m, KEYC_RIGHT);
    press(&m, KEYC_HOME);
    TAP_EQ_INT(m.curve.applies, before, "temperature steps only move the marker");
    act(&m, ACT_RESIZE, 80, 24);
    TAP_EQ_INT(m.curve.applies, before, "the same size again: nothing recomputed");
    press(&m, KEYC_DOWN); /* top-k */
    press(&m, KEYC_DOWN); /* top-p */
    press(&m, KEYC_LEFT);
    TAP_EQ_INT(m.curve.applies, before + 146, "a top-p step recomputes the curve once");
    tap_ok(curve_is_engine(&m), "... for the new top-p");
    press(&m, KEYC_UP); /* top-k */
    press(&m, KEYC_RIGHT);
    press(&m, KEYC_RIGHT);
    tap_ok(m.curve.applies == before + 3 * 146 && curve_is_engine(&m),
           "top-k steps recompute it, each once");
    press(&m, 'o');
    tap_ok(m.curve.applies == before + 4 * 146 && curve_is_engine(&m), "o recomputes it (llama)");
    act(&m, ACT_RESIZE, 37, 24);
    tap_ok(m.layout.plot_dots == 60 && m.curve.n == 60 && curve_is_engine(&m),
           "a narrower terminal (37x24): 60 samples");
    act(&m, ACT_GLYPHS, 1, 0);
    tap_ok(m.layout.plot_dots == 30 && m.curve.n == 30 && curve_is_engine(&m),
           "ASCII glyphs: one dot column a cell, 30 samples");
    act(&m, ACT_GLYPHS, 0, 0);
    before = m.curve.applies;
    press(&m, 'g');
    press(&m, KEYC_RIGHT);
    tap_ok(!m.plot && m.curve.applies == before, "plot closed: filter steps cost nothing extra");
    press(&m, 'g');
    tap_ok(m.plot && m.curve.applies == before + 60 && curve_is_engine(&m),
           "reopened after a filter moved: recomputed once");
    before = m.curve.applies;
    press(&m, 'g');
    press(&m, 'g');
    TAP_EQ_INT(m.curve.applies, before, "reopened with nothing moved: the old curve is kept");
    act(&m, ACT_RESIZE, 40, 12);
    press(&m, KEYC_LEFT);
    tap_ok(m.layout.plot_hidden && m.curve.applies == before,
           "40x12: no room for the plot, so nothing computed");
    model_free(&m);
}

/* At large V the number of samples is capped (each engine run costs ~0.05 ms at 262,144):
 * 524,288 tokens get fewer samples than the plot's 146 columns. */
static void test_plot_big(void)
{
    size_t n = 524288;
    double *l = malloc(n * sizeof *l);
    for (size_t i = 0; i < n; i++)
        l[i] = -0.001 * (double)i;
    struct vocab v;
    struct ls_error err;
    if (!l || vocab_from_logits(&v, l, n, NULL, &err) != 0) {
        printf("Bail out! big vocab\n");
        exit(1);
    }
    free(l);
    struct model m;
    start(&m, &v);
    press(&m, 'g');
    size_t cap = MODEL_CURVE_WORK / n, key = MODEL_CURVE_KEY_WORK / n;
    key = key < 2 ? 2 : key;
    TAP_EQ_INT(m.curve.n, cap < MODEL_CURVE_MIN ? MODEL_CURVE_MIN : cap,
               "V = 524,288: the samples are capped by the work budget");
    tap_ok(m.curve.applies == key && m.curve.pending == m.curve.n - key && model_busy(&m) &&
               m.curve.have[0] && m.curve.have[m.curve.n - 1],
           "the keystroke computes %zu of them, both ends first; the rest wait", key);
    double mid = m.curve.bits[1];
    tap_ok(!m.curve.have[1] && mid > m.curve.bits[0] && mid < m.curve.bits[m.curve.n - 1],
           "a waiting sample is drawn on the line between its neighbours");
    int ticks = 0;
    while (model_busy(&m) && ticks < 100) {
        unsigned ch = act(&m, ACT_IDLE, 0, 0);
        ticks += (ch & MODEL_CHANGED_VIEW) != 0;
    }
    tap_ok(!model_busy(&m) && ticks == (int)((m.curve.n - key + key - 1) / key) &&
               m.curve.applies == m.curve.n,
           "idle ticks finish it, %zu samples a tick (%d ticks)", key, ticks);
    tap_ok(curve_is_engine(&m), "... and then every sample is the engine's");
    TAP_EQ_INT(act(&m, ACT_IDLE, 0, 0), MODEL_CHANGED_NONE, "nothing waits: idle does nothing");
    model_free(&m);
    vocab_free(&v);
}

static void test_compare(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    press(&m, KEYC_LEFT); /* T 0.95 */
    unsigned long applies = m.applies;
    press(&m, 'c');
    tap_ok(m.compare && m.have_a && m.message[0], "c pins A and says so");
    tap_ok(params_equal(&m.pin, &m.params) && a_is_engine(&m),
           "A is the engine's run on the settings of the moment");
    TAP_EQ_INT(m.applies, applies + 1, "pinning A is one engine run");
    struct params pinned = m.pin;
    double h_a = m.dist_a.entropy_bits;
    for (int i = 0; i < 6; i++)
        press(&m, KEYC_LEFT);
    press(&m, KEYC_DOWN);
    press(&m, '[');
    tap_ok(params_equal(&m.pin, &pinned) && m.dist_a.entropy_bits == h_a &&
               a_is_engine(&m),
           "the sliders move B; A stays as pinned");
    tap_ok(P_T(m.params) != P_T(m.pin) && m.dist.entropy_bits != h_a,
           "B differs from A");
    press(&m, 's');
    tap_ok(a_is_engine(&m), "s: A is redrawn with B's new seed");
    press(&m, 'r');
    tap_ok(m.compare && params_equal(&m.pin, &pinned) && a_is_engine(&m),
           "r resets the settings; A stays pinned");
    press(&m, 'c');
    tap_ok(!m.compare, "c again leaves compare mode");
    press(&m, KEYC_RIGHT);
    press(&m, 'c');
    tap_ok(m.compare && P_T(m.pin) == P_T(m.params) && a_is_engine(&m),
           "c once more pins the new settings");
    model_free(&m);
}

static void test_focus_set(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    unsigned ch = act(&m, ACT_FOCUS_SET, PARAM_MIN_P, 0);
    tap_ok(model_focus_param(&m) == PARAM_MIN_P && (ch & MODEL_CHANGED_VIEW),
           "ACT_FOCUS_SET focuses min-p");
    ch = act(&m, ACT_FOCUS_SET, PARAM_MIN_P, 0);
    tap_ok(ch == MODEL_CHANGED_NONE, "focusing the focused slider changes nothing");
    act(&m, ACT_FOCUS_SET, PARAM_TOP_A, 0);
    tap_ok(model_focus_param(&m) == PARAM_MIN_P, "a sampler not in the chain is ignored");
    act(&m, ACT_FOCUS_SET, 99, 0);
    tap_ok(model_focus_param(&m) == PARAM_MIN_P, "a parameter that does not exist is ignored");
    model_free(&m);
}

/* z, b and m turn the histogram's columns and scale on and off; the running total shows by
 * itself while top-p is on, until m says otherwise. */
static void test_aids(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    tap_ok(!m.logits && !m.log_bars && !model_cum_shown(&m), "at start: no logits, linear, no total");
    unsigned ch = press(&m, 'z');
    tap_ok(m.logits && (ch & MODEL_CHANGED_VIEW) && !(ch & MODEL_CHANGED_PARAMS),
           "z: the logit columns, no engine run");
    press(&m, 'b');
    tap_ok(m.log_bars, "b: bars on a log scale");
    press(&m, 'z');
    press(&m, 'b');
    tap_ok(!m.logits && !m.log_bars, "z and b again: off");
    act(&m, ACT_RESIZE, 40, 12);
    press(&m, 'z');
    tap_ok(m.logits && strstr(m.message, "taller terminal"),
           "40x12 has no header row to name the columns: the message says so (%s)", m.message);
    press(&m, 'z');
    act(&m, ACT_RESIZE, 80, 24);
    act(&m, ACT_SET, PARAM_TOP_P, 0.9);
    tap_ok(model_cum_shown(&m), "top-p on: the running total shows");
    press(&m, 'm');
    tap_ok(!model_cum_shown(&m), "m hides it while top-p is on");
    press(&m, 'm');
    act(&m, ACT_SET, PARAM_TOP_P, 1.0);
    tap_ok(model_cum_shown(&m), "m again: shown, and it stays when top-p goes off");
    model_free(&m);
}

/* Space lights the row it drew for one frame: the next key, whatever it is, puts it out. */
static void test_drawn(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    tap_ok(m.drawn == SOURCE_NONE, "nothing drawn at start");
    press(&m, ' ');
    size_t last = m.gen[(m.gen_count - 1) % MODEL_GEN_MAX];
    tap_ok(m.drawn != SOURCE_NONE && m.vocab->order[m.drawn] == last,
           "Space: the drawn row is the token it appended");
    unsigned ch = press(&m, 'w'); /* an unbound key */
    tap_ok(m.drawn == SOURCE_NONE && (ch & MODEL_CHANGED_VIEW),
           "the next key puts it out (and redraws)");
    press(&m, ' ');
    act(&m, ACT_RESIZE, 100, 30);
    tap_ok(m.drawn != SOURCE_NONE, "a resize is not a key: the row stays lit");
    model_free(&m);
}

/* What each stage was given is computed with every engine run: a top-p cut token's ghost is
 * its probability in top-p's input, here (hf: T first) the whole vocabulary at T. */
static void test_inputs(const struct vocab *v)
{
    struct model m;
    start(&m, v);
    act(&m, ACT_SET, PARAM_TEMPERATURE, 0.7);
    act(&m, ACT_SET, PARAM_TOP_P, 0.5);
    int p = dist_stage_of(&m.dist, SAMPLER_TOP_P);
    size_t cut = m.dist.br[0].hi;
    struct dist d;
    struct params all = m.params;
    params_set(&all, PARAM_TOP_P, 1.0);
    if (dist_init(&d, m.vocab) != 0) {
        printf("Bail out! dist_init\n");
        exit(1);
    }
    engine_apply(&d, &all);
    tap_ok(dist_cut_stage(&m.dist, cut) == p &&
               fabs(stage_input_prob(&m.inputs, p, cut) - dist_prob_rank(&d, cut)) < 1e-15,
           "top-p 0.5: rank %zu's ghost is its probability with top-p off", cut);
    act(&m, ACT_SET, PARAM_TOP_P, 0.3);
    tap_ok(m.dist.br[0].hi < cut && dist_cut_stage(&m.dist, cut - 1) == p,
           "a step recomputes them with the distribution");
    dist_free(&d);
    model_free(&m);
}

int main(void)
{
    struct vocab v;
    lab_vocab(&v);
    test_aids(&v);
    test_drawn(&v);
    test_inputs(&v);
    test_plot(&v);
    test_plot_big();
    test_compare(&v);
    test_focus_set(&v);
    vocab_free(&v);
    return tap_done();
}
