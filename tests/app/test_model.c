/* test_model.c: the explorer's state driven by key sequences, without a terminal. Every
 * number is checked against a direct engine_apply() with the same parameters: what the
 * screen shows after some keys is what `sweep` computes for those settings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "keys.h"
#include "model.h"
#include "params_fixture.h"
#include "tap.h"
#include "lab_fixture.h"

#define FOCUS(m) model_focus_param(&(m))

static struct setting lab_items[] = {
    {.name = "T=0.1 almost deterministic"},
    {.name = "T=0.2 very focused"},
    {.name = "T=0.5 focused"},
    {.name = "T=1.0 baseline (logits as given)"},
    {.name = "T=1.5 creative"},
    {.name = "T=2.0 very creative"},
};
static const struct settings lab = {lab_items, 6};
static const double lab_temps[6] = {0.1, 0.2, 0.5, 1.0, 1.5, 2.0};

/* The lab's six settings: the file's values, built here. */
static void lab_fill(void)
{
    for (int i = 0; i < 6; i++)
        lab_items[i].params = test_params(lab_temps[i], 0, 1.0, 0.0, PRESET_HF);
}

/* The terminal is cols x rows now, as the tui says at start and on every resize. */
static unsigned resize(struct model *m, int cols, int rows)
{
    struct action a = {ACT_RESIZE, cols, rows};
    return model_update(m, &a);
}

/* Presses each key of a script such as "Right Right Down End"; returns the last change. */
static unsigned keys(struct model *m, const char *script)
{
    return lab_keys(m, script);
}

/* The model's distribution equals a fresh engine run with the same parameters. */
static bool same_as_engine(const struct model *m)
{
    struct dist d;
    if (dist_init(&d, m->vocab) != 0)
        return false;
    engine_apply(&d, &m->params);
    engine_draw(&d, m->samples, m->seed);
    bool same = d.kept == m->dist.kept && d.entropy_bits == m->dist.entropy_bits &&
                d.top_prob == m->dist.top_prob && d.samples == m->dist.samples;
    for (size_t r = 0; same && r < m->vocab->n; r++)
        same = dist_prob_rank(&d, r) == dist_prob_rank(&m->dist, r) &&
               dist_count_rank(&d, r) == dist_count_rank(&m->dist, r) &&
               dist_cut(&d, r) == dist_cut(&m->dist, r);
    dist_free(&d);
    return same;
}

static void start(struct model *m, struct vocab *v, struct params p)
{
    struct model_config c = {
        .vocab = v, .lab = &lab, .source_name = "decisions.tsv", .params = p,
        .samples = 10000, .seed = ENGINE_DEFAULT_SEED,
    };
    model_or_bail(m, &c);
}

static void test_start(struct vocab *v)
{
    struct model m;
    start(&m, v, params_default());
    tap_ok(FOCUS(m) == PARAM_TEMPERATURE, "focus starts on temperature");
    tap_ok(P_T(m.params) == 1.0 && P_K(m.params) == 0 && P_P(m.params) == 1.0 &&
               P_MINP(m.params) == 0.0 && P_PRESET(m.params) == PRESET_HF,
           "starts from the given parameters");
    tap_ok(same_as_engine(&m), "the first frame's numbers are the engine's");
    tap_ok(!model_slider_is_off(&m, PARAM_TEMPERATURE), "temperature has no off state");
    tap_ok(model_slider_is_off(&m, PARAM_TOP_P) && model_slider_is_off(&m, PARAM_TOP_K) &&
               model_slider_is_off(&m, PARAM_MIN_P) && model_slider_is_off(&m, PARAM_ETA),
           "the filters start off");
    TAP_EQ_INT(m.n_sliders, 8, "hf: eight sliders, temperature's row holds T and dynatemp");
    tap_ok(m.sliders[1].param == PARAM_DYNATEMP_RANGE && m.sliders[1].row == 0 &&
               m.sliders[1].cells == 2 && m.sliders[2].param == PARAM_TOP_K &&
               m.sliders[2].row == 1,
           "in chain order, a row per stage");
    TAP_EQ_INT(m.applies, 1, "one engine run at start");
    model_free(&m);
}

static void test_temperature(struct vocab *v)
{
    struct model m;
    start(&m, v, params_default());
    unsigned ch = keys(&m, "Right");
    tap_ok(ch & MODEL_CHANGED_PARAMS, "Right changes a parameter");
    tap_ok(P_T(m.params) == strtod("1.05", NULL), "Right: T = 1.05 exactly as parsed");
    TAP_EQ_INT(m.applies, 2, "one engine run per keystroke");
    keys(&m, "l l h");
    tap_ok(P_T(m.params) == strtod("1.1", NULL), "l l h: T = 1.1");
    keys(&m, "[");
    tap_ok(P_T(m.params) == strtod("0.6", NULL), "[: ten steps down, T = 0.6");
    keys(&m, "] ]");
    tap_ok(P_T(m.params) == strtod("1.6", NULL), "] ]: T = 1.6");
    keys(&m, "SLeft");
    tap_ok(P_T(m.params) == strtod("1.1", NULL), "Shift+Left: ten steps down");
    keys(&m, "SRight");
    tap_ok(P_T(m.params) == strtod("1.6", NULL), "Shift+Right: ten steps up");
    keys(&m, "Home");
    tap_ok(P_T(m.params) == 0.0, "Home: T = 0");
    tap_ok(same_as_engine(&m) && m.dist.kept == 1, "T = 0 is greedy");
    keys(&m, "Left");
    tap_ok(P_T(m.params) == 0.0, "Left at 0 stays at 0");
    unsigned long before = m.applies;
    ch = keys(&m, "Left");
    tap_ok(!(ch & MODEL_CHANGED_PARAMS) && m.applies == before, "no change, no engine run");
    keys(&m, "End");
    tap_ok(P_T(m.params) == 5.0, "End: T = 5");
    keys(&m, "Right");
    tap_ok(P_T(m.params) == 5.0, "Right at 5 stays at 5");
    keys(&m, "0");
    tap_ok(P_T(m.params) == 1.0, "0: temperature back to 1.0");
    /* every grid value is the double its decimal spelling parses to */
    keys(&m, "Home");
    bool exact = true;
    for (int i = 1; i <= 100; i++) {
        char buf[16];
        keys(&m, "Right");
        snprintf(buf, sizeof buf, "%d.%02d", i * 5 / 100, i * 5 % 100);
        exact = exact && P_T(m.params) == strtod(buf, NULL);
    }
    tap_ok(exact, "100 steps walk 0.05 .. 5.00, each exactly its decimal");
    tap_ok(same_as_engine(&m), "numbers after 100 steps are the engine's");
    model_free(&m);
}

static void test_filters(struct vocab *v)
{
    struct model m;
    start(&m, v, params_default());
    keys(&m, "j");
    tap_ok(FOCUS(m) == PARAM_TOP_K, "j: focus on top-k, the chain's second stage");
    keys(&m, "Right Right Right");
    TAP_EQ_INT(P_K(m.params), 3, "top-k 3");
    tap_ok(same_as_engine(&m) && m.dist.kept == 3, "top-k 3 keeps 3");
    tap_ok(dist_cut(&m.dist, 3) == cut_by(SAMPLER_TOP_K), "rank 3 is cut by top-k");
    keys(&m, "End");
    TAP_EQ_INT(P_K(m.params), 10, "End: top-k = V");
    keys(&m, "Right");
    TAP_EQ_INT(P_K(m.params), 10, "top-k stops at V");
    keys(&m, "[");
    TAP_EQ_INT(P_K(m.params), 0, "[ from 10: top-k 0 (off)");
    keys(&m, "Left");
    TAP_EQ_INT(P_K(m.params), 0, "top-k never below 0");

    keys(&m, "Down");
    tap_ok(FOCUS(m) == PARAM_TOP_P, "Down: focus on top-p");
    keys(&m, "Left");
    tap_ok(P_P(m.params) == strtod("0.99", NULL), "top-p Left: 0.99");
    keys(&m, "[ [ [ [ [ [ [ [ [ [ [");
    tap_ok(P_P(m.params) == strtod("0.01", NULL), "top-p stops at 0.01");
    keys(&m, "End");
    tap_ok(P_P(m.params) == 1.0 && model_slider_is_off(&m, PARAM_TOP_P), "End: top-p off");
    keys(&m, "Home");
    tap_ok(P_P(m.params) == strtod("0.01", NULL), "Home: top-p 0.01");
    keys(&m, "0");
    tap_ok(P_P(m.params) == 1.0, "0: top-p off");

    keys(&m, "Down");
    tap_ok(FOCUS(m) == PARAM_MIN_P, "Down: focus on min-p");
    keys(&m, "Right Right Right Right Right Right Right Right Right Right");
    tap_ok(P_MINP(m.params) == strtod("0.1", NULL), "min-p 0.1");
    tap_ok(same_as_engine(&m) && m.dist.kept == 6, "min-p 0.1 keeps 6");
    keys(&m, "Down Down Down Down");
    tap_ok(FOCUS(m) == PARAM_TEMPERATURE, "Down past eta wraps to temperature");
    keys(&m, "Up");
    tap_ok(FOCUS(m) == PARAM_ETA, "Up wraps back to eta");
    keys(&m, "Down Tab");
    tap_ok(FOCUS(m) == PARAM_DYNATEMP_RANGE, "Tab: dynatemp, the next slider on temperature's row");
    keys(&m, "Right");
    tap_ok(params_real(&m.params, PARAM_DYNATEMP_RANGE) == strtod("0.05", NULL) &&
               model_slider_of(&m, PARAM_DYNATEMP_EXP) == 2 && m.sliders[2].row == 0,
           "dynatemp on: its exponent's slider joins the row");
    tap_ok(same_as_engine(&m), "dynatemp 0.05: the engine's numbers");
    keys(&m, "0");
    tap_ok(model_slider_of(&m, PARAM_DYNATEMP_EXP) < 0 && FOCUS(m) == PARAM_DYNATEMP_RANGE,
           "0: dynatemp off, its exponent's slider gone, focus kept");
    keys(&m, "BTab BTab");
    tap_ok(FOCUS(m) == PARAM_ETA, "Shift+Tab twice: back past temperature to eta");
    model_free(&m);
}

static void test_lab_order_seed(struct vocab *v)
{
    struct model m;
    start(&m, v, params_default());
    for (int i = 1; i <= 6; i++) {
        press(&m, '0' + i);
        tap_ok(P_T(m.params) == P_T(lab_items[i - 1].params) &&
                   P_K(m.params) == 0 && P_P(m.params) == 1.0 && same_as_engine(&m),
               "key %d loads lab setting %d", i, i);
        tap_ok(strstr(m.message, lab_items[i - 1].name) != NULL, "and names it: %s",
               m.message);
    }
    press(&m, '1');
    TAP_NEAR(m.dist.top_prob, 0.982, 0.001, "lab 1 (T=0.1): top probability 0.982");
    TAP_NEAR(m.dist.entropy_bits, 0.134, 0.001, "lab 1: entropy 0.134 bits");
    press(&m, '6');
    TAP_NEAR(m.dist.top_prob, 0.213, 0.001, "lab 6 (T=2.0): top probability 0.213");
    TAP_NEAR(m.dist.entropy_bits, 3.111, 0.001, "lab 6: entropy 3.111 bits");
    keys(&m, "Down Left");
    press(&m, '0');
    tap_ok(m.message[0] == '\0', "the next key clears the message");
    unsigned ch = press(&m, 'o');
    tap_ok(P_PRESET(m.params) == PRESET_LLAMA && (ch & MODEL_CHANGED_PARAMS) && same_as_engine(&m),
           "o: the llama preset, recomputed");
    press(&m, '2');
    tap_ok(P_PRESET(m.params) == PRESET_LLAMA, "lab settings keep the chain");
    press(&m, 'o');
    tap_ok(P_PRESET(m.params) == PRESET_VLLM && m.n_sliders == 5, "o again: vllm, five sliders");
    press(&m, 'o');
    tap_ok(P_PRESET(m.params) == PRESET_HF, "and hf");

    uint64_t s0 = m.seed;
    ch = press(&m, 's');
    uint64_t s1 = m.seed;
    tap_ok(s1 != s0 && (ch & MODEL_CHANGED_DRAWS) && same_as_engine(&m), "s: a new seed, redrawn");
    tap_ok(s1 <= 0xFFFFFFFFu, "new seeds are short enough to type");
    press(&m, 'r');
    tap_ok(m.seed == s0 && P_T(m.params) == 1.0, "r: back to the start");
    press(&m, 's');
    tap_ok(m.seed == s1, "seeds after a reset repeat: reproducible sessions");
    model_free(&m);
}

static void test_draw_one(struct vocab *v)
{
    struct model m;
    start(&m, v, params_default());
    keys(&m, "Home"); /* T = 0: greedy, always approve */
    for (int i = 0; i < 3; i++)
        press(&m, ' ');
    TAP_EQ_INT(model_gen_len(&m), 3, "Space three times: three tokens");
    tap_ok(model_gen_at(&m, 0) == 0 && model_gen_at(&m, 2) == 0, "greedy draws approve");
    unsigned long before = m.applies;
    for (int i = 0; i < 300; i++)
        press(&m, ' ');
    TAP_EQ_INT(model_gen_len(&m), MODEL_GEN_MAX, "the generated line keeps the newest");
    TAP_EQ_INT(m.applies, before, "drawing a token does not recompute the distribution");
    struct model m2;
    start(&m2, v, params_default());
    keys(&m, "r");
    bool same = true;
    for (int i = 0; i < 50; i++) {
        press(&m, ' ');
        press(&m2, ' ');
        same = same && model_gen_at(&m, (size_t)i) == model_gen_at(&m2, (size_t)i);
    }
    tap_ok(same && model_gen_len(&m) == 50, "after r, Space draws the same tokens as a fresh start");
    model_free(&m2);
    model_free(&m);
}

/* The model's distribution equals a fresh engine run over the written tokens as history. */
static bool same_as_engine_history(const struct model *m)
{
    struct dist d;
    uint32_t t[MODEL_GEN_MAX];
    size_t n = model_gen_len(m);
    for (size_t i = 0; i < n; i++)
        t[i] = model_gen_at(m, i);
    struct history h = {.tokens = t, .n = n, .mirostat_mu = m->mirostat_mu};
    if (dist_init(&d, m->start.vocab) != 0)
        return false;
    engine_apply_history(&d, &m->params, &h);
    bool same = d.kept == m->dist.kept && d.entropy_bits == m->dist.entropy_bits &&
                m->vocab == m->dist.vocab;
    for (size_t r = 0; same && r < d.vocab->n; r++)
        same = d.vocab->order[r] == m->vocab->order[r] &&
               dist_prob_rank(&d, r) == dist_prob_rank(&m->dist, r);
    dist_free(&d);
    return same;
}

static const char *chain_text(const struct model *m);

/* The written tokens are the history of penalties, DRY and mirostat. */
static void test_history(struct vocab *v)
{
    struct model m;
    struct params p = test_params(0, 0, 1, 0, PRESET_HF); /* greedy: Space writes the top */
    struct ls_error err;
    chain_parse_names("penalties;temperature;top_k", &p.chain, &err);
    params_set(&p, PARAM_REPEAT_PENALTY, 2);
    start(&m, v, p);
    uint32_t top = m.vocab->order[0];
    unsigned long applies = m.applies;
    unsigned ch = press(&m, ' ');
    tap_ok(model_gen_len(&m) == 1 && model_gen_at(&m, 0) == top &&
               (ch & MODEL_CHANGED_PARAMS) && m.applies == applies + 1,
           "Space with penalties in the chain: the token is written and the dist follows");
    tap_ok(m.vocab != m.start.vocab && m.vocab->order[0] != top && same_as_engine_history(&m),
           "the written token is penalised: another is on top, as the engine says");
    tap_ok(m.drawn < m.vocab->n && m.vocab->order[m.drawn] == top,
           "the row lit is the token drawn, at its rank after the penalty (%zu)", m.drawn);
    press(&m, ' ');
    tap_ok(model_gen_at(&m, 1) != top && same_as_engine_history(&m),
           "greedy now writes the next one");
    keys(&m, "r");
    tap_ok(model_gen_len(&m) == 0 && m.vocab == m.start.vocab && m.vocab->order[0] == top,
           "r: the text is gone, and with it the penalty");
    /* the chain keeps penalties before the stages that cut */
    keys(&m, "Up"); /* focus: penalties' row */
    tap_ok(FOCUS(m) == PARAM_REPEAT_PENALTY, "focus on penalties");
    keys(&m, ". .");
    tap_ok(strcmp(chain_text(&m), "temperature;penalties;top_k") == 0 &&
               strstr(m.message, "cannot move it there") && strstr(m.message, "top_k"),
           "it moves past temperature but not past top-k: %s", m.message);
    /* A/B compare: A follows the text too; sides that rank differently turn it off. (T = 0
     * before penalties would leave them nothing to change: greedy picks first.) */
    keys(&m, "<");
    press(&m, ' ');
    keys(&m, "c");
    tap_ok(m.compare && m.dist_a.vocab->order[0] != top, "c: A pinned, the penalty in it too");
    press(&m, ' ');
    tap_ok(m.compare && memcmp(m.dist_a.vocab->order, m.vocab->order, 10 * sizeof(uint32_t)) == 0,
           "Space moves A with B while they rank alike");
    keys(&m, "0"); /* B's repeat penalty off: B ranks as the file does, A does not */
    tap_ok(!m.compare && strstr(m.message, "compare off"), "then compare is off: %s",
           m.message);
    model_free(&m);

    /* mirostat: mu moves with each token written, and the status line says so */
    p = test_params(1, 0, 1, 0, PRESET_HF);
    chain_parse_names("temperature;mirostat", &p.chain, &err);
    params_set(&p, PARAM_MIROSTAT, 2);
    params_set(&p, PARAM_MIROSTAT_ENT, 1);
    start(&m, v, p);
    tap_ok(isnan(m.mirostat_mu) && m.dist.mirostat_mu == 2, "mu starts at 2 tau");
    double before[64] = {0};
    for (size_t r = 0; r < m.vocab->n && r < 64; r++)
        before[m.vocab->order[r]] = dist_prob_rank(&m.dist, r);
    press(&m, ' ');
    double want = 2 - 0.1 * (-log2(before[model_gen_at(&m, 0)]) - 1);
    tap_ok(fabs(m.mirostat_mu - want) < 1e-12 && strstr(m.message, "mirostat mu 2.00 -> ") &&
               same_as_engine_history(&m),
           "Space: mu - eta (surprise - tau), the surprise in the dist it was drawn from: %s",
           m.message);
    keys(&m, "r");
    tap_ok(isnan(m.mirostat_mu) && m.dist.mirostat_mu == 2, "r: mu back to its start");
    model_free(&m);

    /* the picker puts a sampler that changes logits before the cuts */
    start(&m, v, params_default());
    keys(&m, "Down Down a"); /* focus top-p; the picker */
    enum sampler_id avail[SAMPLER_COUNT];
    int n = model_picker_entries(&m, avail), at = 0;
    while (at < n && avail[at] != SAMPLER_DRY)
        at++;
    for (int i = 0; i < at; i++)
        keys(&m, "Down");
    keys(&m, "Enter");
    TAP_EQ_STR(chain_text(&m), "temperature;dry;top_k;top_p;min_p;typ_p;epsilon;eta",
               "dry added from top-p's row goes before top-k, the first cut");
    model_free(&m);
}

static void test_help_quit(struct vocab *v)
{
    struct model m;
    start(&m, v, params_default());
    press(&m, '?');
    tap_ok(m.help, "? opens help");
    double t = P_T(m.params);
    press(&m, KEYC_RIGHT);
    tap_ok(!m.help && P_T(m.params) == t, "any key closes help and does nothing else");
    press(&m, '?');
    unsigned ch = press(&m, KEYC_ESCAPE);
    tap_ok(!m.help && !(ch & MODEL_CHANGED_QUIT), "Esc closes help without quitting");
    press(&m, '?');
    press(&m, 'w');
    tap_ok(!m.help, "an unbound key closes help too");
    ch = press(&m, 'q');
    tap_ok(m.quit && (ch & MODEL_CHANGED_QUIT), "q quits");
    model_free(&m);
    start(&m, v, params_default());
    ch = press(&m, KEYC_ESCAPE);
    tap_ok(m.quit && (ch & MODEL_CHANGED_QUIT), "Esc quits");
    model_free(&m);
    start(&m, v, params_default());
    ch = press(&m, KEYC_CTRL('c'));
    tap_ok(m.quit, "Ctrl+C as a key quits");
    model_free(&m);
}

/* A help overlay taller than the terminal scrolls: Up Down PgUp PgDn move it within the
 * range the model's layout gives; any other key closes it. */
static void test_help_scroll(struct vocab *v)
{
    struct model m;
    start(&m, v, params_default());
    press(&m, '?');
    resize(&m, 80, 12);
    int lines = m.layout.help.lines, last = lines - 10;
    tap_ok(m.layout.help.page == 10 && lines > 40 && m.layout.help.max_top == last,
           "80x12: the help shows 10 of its %d lines (keys, samplers, legend), so it scrolls "
           "to line %d", lines, last);
    struct action a = keymap_lookup_help(KEYC_DOWN);
    model_update(&m, &a);
    tap_ok(m.help && m.help_top == 1, "Down in help scrolls it a line");
    a = keymap_lookup_help(KEYC_PAGEDOWN);
    model_update(&m, &a);
    TAP_EQ_INT(m.help_top, 10, "PgDn: a page less a line of context");
    for (int i = 0; i < lines; i++)
        model_update(&m, &a);
    TAP_EQ_INT(m.help_top, last, "... and not past the last page");
    a = keymap_lookup_help(KEYC_PAGEUP);
    model_update(&m, &a);
    TAP_EQ_INT(m.help_top, last - 9, "PgUp: a page back");
    a = keymap_lookup_help(KEYC_UP);
    for (int i = 0; i < lines; i++)
        model_update(&m, &a);
    tap_ok(m.help && m.help_top == 0, "Up stops at the first line");
    a = keymap_lookup_help(KEYC_PAGEDOWN);
    for (int i = 0; i < lines; i++)
        model_update(&m, &a);
    unsigned ch = resize(&m, 80, 20);
    tap_ok(m.help && m.help_top == (size_t)(lines - 18) && m.layout.help.max_top == lines - 18 &&
               (ch & MODEL_CHANGED_VIEW),
           "a taller terminal: the help stays open, its first line kept in range");
    double t = P_T(m.params);
    a = keymap_lookup_help(KEYC_RIGHT);
    model_update(&m, &a);
    tap_ok(!m.help && P_T(m.params) == t, "another key closes help, and only that");
    press(&m, '?');
    TAP_EQ_INT(m.help_top, 0, "help opens at its top");
    model_free(&m);
}

/* The terminal's size is an input like a key: while it is too small to show anything, only
 * the keys that quit, repaint or toggle help act, so that nothing changes unseen. */
static void test_too_small(struct vocab *v)
{
    struct model m;
    start(&m, v, params_default());
    press(&m, '2');
    unsigned ch = resize(&m, 20, 5);
    tap_ok(m.layout.too_small && (ch & MODEL_CHANGED_VIEW) && m.message[0],
           "20x5 is too small; a resize leaves the message alone");
    unsigned long applies = m.applies;
    double t = P_T(m.params);
    ch = keys(&m, "Right Right Down 6 o s r c g Space PageDown x");
    tap_ok(ch == MODEL_CHANGED_NONE && P_T(m.params) == t && FOCUS(m) == PARAM_TEMPERATURE &&
               P_PRESET(m.params) == PRESET_HF && !m.compare && !m.plot && m.gen_count == 0 &&
               m.applies == applies && m.message[0],
           "too small: other keys do nothing, not even clear the message");
    press(&m, '?');
    tap_ok(m.help, "too small: ? still opens help");
    press(&m, '?');
    tap_ok(!m.help, "... and ? closes help");
    press(&m, '?');
    ch = press(&m, KEYC_CTRL('l'));
    tap_ok(!m.help && (ch & MODEL_CHANGED_REDRAW),
           "... Ctrl-L still repaints (and closes help, as any key does)");
    resize(&m, 80, 24);
    press(&m, KEYC_RIGHT);
    tap_ok(P_T(m.params) == strtod("0.25", NULL), "big enough again: Right steps to 0.25");
    resize(&m, LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS - 1);
    ch = press(&m, 'q');
    tap_ok(m.layout.too_small && (ch & MODEL_CHANGED_QUIT), "too small: q still quits");
    model_free(&m);
}

static void test_odd_start(struct vocab *v)
{
    struct model m;
    struct params p = params_default();
    params_set(&p, PARAM_TEMPERATURE, 7.0); /* allowed on the command line, beyond the slider */
    params_set(&p, PARAM_TOP_P, strtod("0.735", NULL));
    start(&m, v, p);
    keys(&m, "Right");
    tap_ok(P_T(m.params) == 7.0, "Right beyond the slider's end does not push further");
    keys(&m, "Left");
    tap_ok(P_T(m.params) == strtod("6.95", NULL), "Left from 7 goes to 6.95");
    keys(&m, "Down Down Right");
    tap_ok(P_P(m.params) == strtod("0.74", NULL), "off-grid 0.735 snaps up to 0.74");
    keys(&m, "Left Left");
    tap_ok(P_P(m.params) == strtod("0.72", NULL), "then down the grid");
    struct action set = {ACT_SET, PARAM_TOP_P, 0.333};
    model_update(&m, &set);
    tap_ok(P_P(m.params) == strtod("0.33", NULL), "ACT_SET snaps to the grid");
    set = (struct action){ACT_SET, PARAM_TOP_P, -3};
    model_update(&m, &set);
    tap_ok(P_P(m.params) == strtod("0.01", NULL), "ACT_SET clamps");
    tap_ok(model_slider_at(&m, PARAM_TEMPERATURE, 0.5) == 2.5, "track middle is T 2.5");
    set = (struct action){ACT_SET, PARAM_TOP_A, 0.5};
    tap_ok(model_update(&m, &set) == MODEL_CHANGED_NONE && P_PRESET(m.params) == PRESET_HF,
           "ACT_SET of a sampler not in the chain does nothing");
    model_free(&m);
    /* top-k above V: clamped to V (the same distribution), on the slider's last cell */
    p = params_default();
    params_set(&p, PARAM_TOP_K, 99);
    start(&m, v, p);
    TAP_EQ_INT(P_K(m.params), 10, "-k 99 over 10 tokens starts at k = V");
    tap_ok(model_slider_fraction(&m, PARAM_TOP_K) == 1.0 && same_as_engine(&m),
           "k = V: the knob at the end, every token kept");
    keys(&m, "Down Left");
    TAP_EQ_INT(P_K(m.params), 9, "Left from the clamped start is k = 9");
    keys(&m, "r");
    TAP_EQ_INT(P_K(m.params), 10, "r resets to the clamped start");
    model_free(&m);
}

static const char *chain_text(const struct model *m)
{
    static char buf[200];
    chain_format(&m->params.chain, ";", buf, sizeof buf);
    return buf;
}

/* The chain from the keyboard: a picker of the samplers not in it, taking one out, moving one
 * along, the presets; the sliders follow the chain, and every change is one engine run. */
static void test_chain_edit(struct vocab *v)
{
    struct model m;
    start(&m, v, params_default());
    keys(&m, "Down Down"); /* top-p */
    unsigned long applies = m.applies;
    unsigned ch = press(&m, 'a');
    enum sampler_id avail[SAMPLER_COUNT];
    int n = model_picker_entries(&m, avail);
    tap_ok(m.picker && (ch & MODEL_CHANGED_VIEW) && m.layout.picker.h == n + 2 && n == 6 &&
               avail[0] == SAMPLER_TOP_N_SIGMA && avail[1] == SAMPLER_XTC &&
               avail[2] == SAMPLER_TOP_A && avail[3] == SAMPLER_PENALTIES &&
               avail[4] == SAMPLER_DRY && avail[5] == SAMPLER_MIROSTAT,
           "a: the picker lists the six samplers hf lacks, in a box of their lines");
    keys(&m, "Down Down Down Down Down Down Down");
    TAP_EQ_INT(m.picker_at, 1, "Down seven times: the entries wrap, xtc highlighted");
    ch = keys(&m, "Enter");
    TAP_EQ_STR(chain_text(&m), "temperature;top_k;top_p;xtc;min_p;typ_p;epsilon;eta",
               "Enter: xtc is added after top-p, the focused stage");
    tap_ok(!m.picker && FOCUS(m) == PARAM_XTC_THRESHOLD && (ch & MODEL_CHANGED_PARAMS) &&
               m.applies == applies + 1 && same_as_engine(&m),
           "the picker closes, xtc's first slider has focus, one engine run");
    tap_ok(model_slider_of(&m, PARAM_XTC_PROBABILITY) == model_slider_of(&m, PARAM_XTC_THRESHOLD) + 1 &&
               m.sliders[model_slider_of(&m, PARAM_XTC_THRESHOLD)].cells == 2 &&
               m.layout.sliders.h == 8,
           "xtc's two sliders share its row; eight rows now");
    keys(&m, "Tab Right Right Right Right Right Right Right Right Right Right");
    tap_ok(params_real(&m.params, PARAM_XTC_PROBABILITY) == strtod("0.1", NULL) &&
               m.dist.n_branch == 2 && same_as_engine(&m),
           "xtc fires 10%%: two branches, the engine's numbers");
    keys(&m, "<");
    TAP_EQ_STR(chain_text(&m), "temperature;top_k;xtc;top_p;min_p;typ_p;epsilon;eta",
               "<: xtc one stage earlier");
    keys(&m, ". .");
    TAP_EQ_STR(chain_text(&m), "temperature;top_k;top_p;min_p;xtc;typ_p;epsilon;eta",
               ". .: two stages later");
    tap_ok(FOCUS(m) == PARAM_XTC_PROBABILITY && same_as_engine(&m),
           "focus moves with it; the engine's numbers");
    keys(&m, "x");
    TAP_EQ_STR(chain_text(&m), "temperature;top_k;top_p;min_p;typ_p;epsilon;eta", "x: xtc out");
    tap_ok(params_real(&m.params, PARAM_XTC_PROBABILITY) == 0 && params_unused(&m.params) < 0 &&
               m.dist.n_branch == 1 && same_as_engine(&m),
           "its parameters go back to their defaults, nothing unused is left set");
    tap_ok(m.sliders[m.focus].row == 4 && FOCUS(m) == PARAM_TYPICAL_P,
           "focus goes to the row where xtc was, now typical-p's");
    keys(&m, "a Escape");
    tap_ok(!m.picker && !m.quit, "Esc closes the picker and does not quit");
    keys(&m, "a 7");
    tap_ok(!m.picker && P_PRESET(m.params) == PRESET_HF, "another key closes it, nothing added");
    for (int i = 0; i < 6; i++)
        keys(&m, "x");
    TAP_EQ_INT(m.params.chain.n, 1, "x six times: one stage left");
    keys(&m, "x");
    tap_ok(m.params.chain.n == 1 && strstr(m.message, "at least one"),
           "the last stage stays: %s", m.message);
    keys(&m, "o");
    tap_ok(P_PRESET(m.params) == PRESET_HF && m.n_sliders == 8, "o from a custom chain: hf");
    model_free(&m);

    /* a long chain on a short terminal: the slider rows scroll to keep the focus in view */
    start(&m, v, params_default());
    resize(&m, 80, 12);
    tap_ok(m.layout.sliders.h == LAYOUT_SLIDER_ROWS_MIN && m.slider_top == 0,
           "80x12: four slider rows of seven");
    keys(&m, "Up");
    tap_ok(FOCUS(m) == PARAM_ETA && m.slider_top == 3, "Up wraps to eta, the last row shows");
    keys(&m, "Down");
    tap_ok(FOCUS(m) == PARAM_TEMPERATURE && m.slider_top == 0, "Down wraps back to the top");
    model_free(&m);
}

static void test_big(void)
{
    size_t n = 262144;
    struct vocab v;
    lab_vocab_random(&v, n);
    struct model m;
    start(&m, &v, params_default());
    TAP_EQ_INT(m.layout.page_rows, 9,
               "the model starts at 80x24 with seven samplers: 10 histogram rows, pages of 9");
    keys(&m, "PageDown PageDown");
    TAP_EQ_INT(m.scroll, 18, "PgDn twice scrolls two pages of 9");
    keys(&m, "PageUp PageUp PageUp");
    TAP_EQ_INT(m.scroll, 0, "PgUp stops at the top");
    struct action far = {ACT_SCROLL_ROWS, 1 << 30, 0};
    model_update(&m, &far);
    TAP_EQ_INT(m.scroll, n - 9, "scrolling stops with the last page full");
    resize(&m, 80, 40);
    TAP_EQ_INT(m.scroll, n - 24,
               "a taller terminal (pages of 24, a row for the focused slider's words): the last "
               "page stays full");
    resize(&m, 80, 24);
    keys(&m, "PageUp");
    TAP_EQ_INT(m.scroll, n - 33, "back at 80x24, PgUp scrolls by 9 again");
    keys(&m, "Down Right Right Right");
    TAP_EQ_INT(P_K(m.params), 3, "top-k 3 at V = 262,144");
    tap_ok(same_as_engine(&m), "V = 262,144: numbers are the engine's");
    tap_ok(model_slider_fraction(&m, PARAM_TOP_K) > 0.05, "top-k's track is logarithmic");
    keys(&m, "End");
    TAP_EQ_INT(P_K(m.params), n, "End: top-k = V");
    model_free(&m);
    vocab_free(&v);
}

int main(void)
{
    struct vocab v;
    lab_fill();
    lab_vocab(&v);
    test_start(&v);
    test_temperature(&v);
    test_filters(&v);
    test_lab_order_seed(&v);
    test_draw_one(&v);
    test_history(&v);
    test_help_quit(&v);
    test_help_scroll(&v);
    test_too_small(&v);
    test_odd_start(&v);
    test_chain_edit(&v);
    test_big();
    vocab_free(&v);
    return tap_done();
}
