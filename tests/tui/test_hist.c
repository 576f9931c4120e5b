/* test_hist.c: the histogram's numbers and bars, offscreen. The tick rule alone, on every
 * bar and share of a small field; then frames at every size from 30x9 to 200x60 (a long file
 * name, the longest seed, N = 100,000,000, long token names, a 262,144-token vocabulary at
 * T = 5, every sampler of the llama preset, compare mode, each aid on and off): every number
 * the histogram prints is the engine's value formatted as the view formats it (so none is
 * ever cut), and no tick makes a longer bar look shorter than a shorter one. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lab_fixture.h"
#include "model.h"
#include "numfmt.h"
#include "screen_fixture.h"
#include "tap.h"
#include "tui.h"
#include "widgets.h"

/* ---- the tick rule ---- */

static void test_tick_rule(void)
{
    bool ok = true;
    const int w = 6;
    for (long bar8 = 1; bar8 <= w * 8; bar8++)
        for (long samp8 = 0; samp8 <= w * 8; samp8++)
            for (int above = 0; above <= 1; above++) {
                struct hist_tick t = hist_tick_place(bar8, samp8, above, w);
                int end = (int)((bar8 + 7) / 8);
                bool good = t.cell >= 0 && t.cell < w;
                if (above)
                    good = good && (end == w ? t.cell == w - 1 && t.in_bar
                                             : t.cell >= end && !t.in_bar &&
                                                   (samp8 / 8 < end ||
                                                    t.cell == (samp8 / 8 < w ? samp8 / 8 : w - 1)));
                else
                    good = good && t.in_bar && t.cell < end && t.cell <= (samp8 > 0 ? samp8 / 8 : 0);
                if (!good && ok)
                    printf("# bar %ld share %ld %s: cell %d%s\n", bar8, samp8,
                           above ? "above" : "below", t.cell, t.in_bar ? " in the bar" : "");
                ok = ok && good;
            }
    tap_ok(ok, "every bar and share of a 6-cell field: a share above ticks after the bar (at "
               "its own cell when that is further), one below lights a cell of the bar");
    struct hist_tick t = hist_tick_place(13 * 8 + 2, 12 * 8 + 3, false, 173);
    tap_ok(t.cell == 12 && t.in_bar, "7.65%% exact, 7.17%% sampled: cell 12 of the bar is lit");
    t = hist_tick_place(12 * 8 + 3, 12 * 8 + 5, true, 173);
    tap_ok(t.cell == 13 && !t.in_bar,
           "sampled above in the bar's last cell: the tick stands right after it");
    t = hist_tick_place(5 * 8, 9 * 8 + 1, true, 40);
    tap_ok(t.cell == 9 && !t.in_bar, "sampled well above: the tick at its own cell");
    t = hist_tick_place(40 * 8, 40 * 8, false, 40);
    tap_ok(t.cell == 39 && t.in_bar, "a full bar: its last cell is lit");
}

/* ---- frames ---- */

struct frame {
    char *text;
    size_t len;
    char *line[256];
    int lines;
};

static void frame_take(struct tui_screen *s, struct frame *f)
{
    f->text = screen_text(s, &f->len);
    f->lines = 0;
    for (char *p = f->text; *p && f->lines < 256;) {
        char *nl = strchr(p, '\n');
        f->line[f->lines++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
}

/* The strings a number of a row may be. */
struct expect {
    char s[96][32];
    int n;
};

static void expect_add(struct expect *e, const char *s)
{
    if (e->n < 96 && s[0])
        snprintf(e->s[e->n++], sizeof e->s[0], "%s", s);
}

/* p as every percentage field of the histogram writes it: 7 columns with 2 decimals (wide)
 * or 6 with 1 (narrow); the "... more" row's 7 with 1. */
static void expect_percent(struct expect *e, double p)
{
    static const int forms[][2] = {{7, 2}, {6, 1}, {7, 1}};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char buf[32];
        numfmt_percent(buf, sizeof buf, p, forms[i][0], forms[i][1]);
        expect_add(e, buf);
    }
}

static void expect_number(struct expect *e, double x)
{
    char buf[32];
    numfmt_number(buf, sizeof buf, x, 7, 2);
    expect_add(e, buf);
}

static bool expect_has(const struct expect *e, const char *s)
{
    for (int i = 0; i < e->n; i++)
        if (strcmp(e->s[i], s) == 0)
            return true;
    return false;
}

/* Every number of a token row, for each side shown. */
static void expect_row(const struct model *m, const struct dist *d, size_t r, struct expect *e)
{
    expect_percent(e, dist_prob_rank(d, r));
    if (d->samples)
        expect_percent(e, (double)dist_count_rank(d, r) / (double)d->samples);
    expect_percent(e, dist_cum(d, r));
    int p = dist_stage_of(d, SAMPLER_TOP_P);
    if (p >= 0 && d == &m->dist)
        expect_percent(e, stage_input_cum(&m->inputs, p, r));
    expect_number(e, dist_logit(d, r));
    expect_number(e, dist_scaled_logit(d, r));
    expect_add(e, "T=0"); /* "cut: T=0" */
}

/* The mass a "... more" or "... above" row gives (the view's own rule: exactly 0 when the
 * chain keeps none of those ranks). */
static double more_mass(const struct dist *d, bool above, size_t rank)
{
    if (above)
        return rank <= d->first_kept ? 0.0 : dist_cum(d, rank - 1);
    double mass = rank > d->last_kept ? 0.0 : rank ? 1.0 - dist_cum(d, rank - 1) : 1.0;
    return mass < 0 ? 0 : mass > 1 ? 1 : mass;
}

/* The numbers of a mark row: the sliders' values, XTC's chance, the threshold samplers'
 * bars. */
static void expect_marks(const struct model *m, struct expect *e)
{
    for (int i = 0; i < m->params.chain.n; i++) {
        const struct sampler_spec *ss = sampler_spec((enum sampler_id)m->params.chain.stage[i]);
        for (int k = 0; k < ss->n_params; k++) {
            char val[32];
            slider_value_text(m, ss->params[k], val, sizeof val);
            expect_add(e, val);
        }
        char buf[32];
        numfmt_percent(buf, sizeof buf, stage_input_threshold(&m->inputs, i), 7, 2);
        expect_add(e, buf);
    }
    char buf[32];
    snprintf(buf, sizeof buf, "%.0f%%", 100 * params_real(&m->params, PARAM_XTC_PROBABILITY));
    expect_add(e, buf);
}

static bool has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return true;
    return false;
}

/* A power of ten times 1, 2 or 5, as the bars' scale is. */
static bool scale_value(double v)
{
    if (!(v > 0))
        return v == 0;
    double m = v / pow(10.0, floor(log10(v) + 1e-9));
    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9;
}

/* A whole number followed by a percent sign (or, for the scale's 0, by nothing). */
static bool scale_part(const char *s, size_t n, bool zero_bare, double *v)
{
    char buf[32];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    *v = strtod(buf, &end);
    return end != buf && (strcmp(end, "%") == 0 || (zero_bare && *v == 0 && !*end));
}

/* "0–5%", "1e-5%–0.005%" (ASCII "-" between): the bars' scale, each end whole. */
static bool scale_field(const char *f)
{
    const char *dash = strstr(f, "\u2013"), *pct = strchr(f, '%');
    size_t dl = 3;
    if (!dash) {
        dl = 1;
        if (pct && pct[1] == '-')
            dash = pct + 1;
        else if (f[0] == '0' && f[1] == '-')
            dash = f + 1;
        else
            return false;
    }
    double lo, hi;
    return scale_part(f, (size_t)(dash - f), true, &lo) &&
           scale_part(dash + dl, strlen(dash + dl), false, &hi) && scale_value(hi) &&
           (lo == 0 || scale_value(lo));
}

struct check {
    int fails;
    char what[160];
};

static void check_fail(struct check *c, const char *where, int cols, int rows, const char *line,
                       const char *field)
{
    if (c->fails++ < 8)
        printf("# %s %dx%d: \"%s\" in: %s\n", where, cols, rows, field, line);
}

/* Every space-separated field of `line` from its second (the first is the token's name on
 * a token row) that holds a digit, stripped of ( ) , and a leading ellipsis, must be
 * accepted by `ok`. */
static void check_fields(struct check *c, const char *where, int cols, int rows,
                         const char *line, bool skip_first, const struct expect *e, int kind)
{
    const char *p = line;
    bool first = true;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " ");
        char field[64];
        snprintf(field, sizeof field, "%.*s", (int)(n < 63 ? n : 63), p);
        bool skip = first && skip_first;
        first = false;
        p += n;
        if (skip || !has_digit(field, strlen(field)))
            continue;
        char *f = field;
        if (strncmp(f, "\u2026", 3) == 0)
            f += 3;
        while (*f == '(')
            f++;
        size_t l = strlen(f);
        while (l > 0 && (f[l - 1] == ')' || f[l - 1] == ','))
            f[--l] = '\0';
        bool good;
        switch (kind) {
        case 0: good = expect_has(e, f); break;                     /* token, mark, more rows */
        default: good = expect_has(e, f) || scale_field(f); break; /* the header */
        }
        if (!good)
            check_fail(c, where, cols, rows, line, f);
    }
}

/* The bar at the start of a token row's bar field: its length in eighths (-1 when a bar
 * glyph follows the first gap: a tick or a blank inside the bar). */
static long bar_eighths(const char *line)
{
    static const char *const partial[] = {"\u258f", "\u258e", "\u258d", "\u258c",
                                          "\u258b", "\u258a", "\u2589"};
    const char *p = strstr(line, "\u2588");
    const char *q = NULL;
    for (int i = 0; i < 7; i++) {
        const char *x = strstr(line, partial[i]);
        q = x && (!q || x < q) ? x : q;
    }
    p = !p || (q && q < p) ? q : p;
    if (!p)
        return 0;
    long e = 0;
    for (;;) {
        if (strncmp(p, "\u2588", 3) == 0) {
            e += 8;
            p += 3;
            continue;
        }
        int k = -1;
        for (int i = 0; i < 7; i++)
            if (strncmp(p, partial[i], 3) == 0)
                k = i;
        if (k >= 0) {
            e += k + 1;
            p += 3;
        }
        break;
    }
    if (strstr(p, "\u2588"))
        return -1;
    for (int i = 0; i < 7; i++)
        if (strstr(p, partial[i]))
            return -1;
    return e;
}

/* One frame: its header, token, mark and "more" rows against the engine; its kept bars in
 * the order of their probabilities. */
static void check_frame(struct check *c, const char *where, const struct model *m,
                        const struct frame *f, int cols, int rows)
{
    const struct layout *l = &m->layout;
    if (l->too_small)
        return;
    struct expect e;
    if (l->header.h > 0 && l->header.y < f->lines) {
        e.n = 0;
        char n[32];
        snprintf(n, sizeof n, "N=%zu", m->dist.samples);
        expect_add(&e, n);
        if (m->compare) /* A's settings: "A T 0.70 k 6 p 0.95 ...", each as its slider shows it */
            for (int i = 0; i < PARAM_COUNT; i++) {
                param_value_text(&m->pin, (enum param_id)i, n, sizeof n);
                expect_add(&e, n);
            }
        check_fields(c, where, cols, rows, f->line[l->header.y], false, &e, 1);
    }
    struct hist_item items[1024];
    size_t n = hist_plan(m, l->hist.h < 1024 ? l->hist.h : 1024, items);
    long bars[1024];
    double probs[1024];
    int nb = 0;
    for (size_t i = 0; i < n; i++) {
        int y = l->hist.y + (int)i;
        if (y >= f->lines)
            break;
        const char *line = f->line[y];
        e.n = 0;
        switch (items[i].kind) {
        case HIST_TOKEN:
            expect_row(m, &m->dist, items[i].rank, &e);
            if (m->compare)
                expect_row(m, &m->dist_a, items[i].rank, &e);
            check_fields(c, where, cols, rows, line, true, &e, 0);
            if (!m->compare && dist_is_kept(&m->dist, items[i].rank) && nb < 1024) {
                bars[nb] = bar_eighths(line);
                probs[nb++] = dist_prob_rank(&m->dist, items[i].rank);
                if (bars[nb - 1] < 0)
                    check_fail(c, where, cols, rows, line, "a bar split by its tick");
            }
            break;
        case HIST_MARK:
            expect_marks(m, &e);
            check_fields(c, where, cols, rows, line, false, &e, 0);
            break;
        case HIST_ABOVE:
        case HIST_MORE: {
            bool above = items[i].kind == HIST_ABOVE;
            char count[32];
            snprintf(count, sizeof count, "%zu", above ? items[i].rank : m->vocab->n - items[i].rank);
            expect_add(&e, count);
            expect_percent(&e, more_mass(&m->dist, above, items[i].rank));
            if (m->compare)
                expect_percent(&e, more_mass(&m->dist_a, above, items[i].rank));
            check_fields(c, where, cols, rows, line, false, &e, 0);
            break;
        }
        }
    }
    for (int i = 0; i < nb; i++)
        for (int j = 0; j < nb; j++)
            if (probs[i] > probs[j] && bars[i] < bars[j]) {
                char what[96];
                snprintf(what, sizeof what, "bar of %.4g shorter (%ld) than one of %.4g (%ld)",
                         probs[i], bars[i], probs[j], bars[j]);
                check_fail(c, where, cols, rows, f->line[l->hist.y], what);
            }
}

static const int sizes[][2] = {{30, 9},  {31, 10}, {40, 12}, {45, 14},  {59, 19},
                               {60, 20}, {61, 21}, {79, 23}, {80, 24},  {100, 30},
                               {111, 33}, {120, 40}, {150, 45}, {200, 60}};

/* The model through `keys` (a space-separated key list as in key scripts), then every size,
 * in UTF-8 and in ASCII. */
static void check_sizes(struct check *c, struct model *m, const char *where, const char *keys)
{
    for (int ascii = 0; ascii <= 1; ascii++) {
        struct tui_screen *s = screen_open(&(struct tui_opts){.ascii = ascii}, m, 80, 24, NULL,
                                           NULL);
        if (ascii == 0)
            screen_keys(s, m, keys);
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            tui_screen_resize(s, m, sizes[i][0], sizes[i][1]);
            tui_screen_frame(s, m);
            struct frame f;
            frame_take(s, &f);
            char w[96];
            snprintf(w, sizeof w, "%s%s", where, ascii ? " (ascii)" : "");
            check_frame(c, w, m, &f, sizes[i][0], sizes[i][1]);
            free(f.text);
        }
        tui_screen_close(s);
    }
}

static void test_long_everything(void)
{
    static const char *const names[] = {
        "approve_the_request_immediately", "reject_with_a_long_explanation", "review",
        "escalate_to_the_on_call_engineer_now", "delay", "audit_everything_twice",
        "optimize", "notify_all_subscribers_by_email", "assign", "close"};
    static const double logits[] = {2.2, 1.8, 1.4, 0.9, 0.2, 0.1, -0.3, -0.6, -0.8, -1.0};
    struct vocab v;
    struct ls_error err;
    if (vocab_from_logits(&v, logits, 10, names, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    struct params p = params_default();
    params_set(&p, PARAM_TEMPERATURE, 0.7);
    params_set(&p, PARAM_TOP_P, 0.9);
    params_set(&p, PARAM_TOP_K, 6);
    params_set(&p, PARAM_MIN_P, 0.05);
    struct model_config cfg = {
        .vocab = &v,
        .source_name = "a/very/long/path/to/the/lessons/of/this/week/decisions-with-long-names.tsv",
        .params = p, .samples = ENGINE_MAX_SAMPLES, .seed = UINT64_MAX};
    struct model m;
    model_or_bail(&m, &cfg);
    struct check c = {0};
    check_sizes(&c, &m, "long names, N=1e8", "");
    check_sizes(&c, &m, "long names, z b m", "z b m");
    check_sizes(&c, &m, "long names, Space", "b m z Space");
    tap_ok(c.fails == 0, "long file name, seed 2^64-1, N=100,000,000, long token names: every "
                         "number whole, every bar in order, at 14 sizes (%d wrong)", c.fails);
    model_free(&m);
    vocab_free(&v);
}

static void test_llama_all(void)
{
    static const double logits[] = {2.2, 1.8, 1.4, 0.9, 0.2, 0.1, -0.3, -0.6, -0.8, -1.0};
    struct vocab v;
    struct ls_error err;
    if (vocab_from_logits(&v, logits, 10, NULL, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    struct params p = params_default();
    p.chain = chain_preset(PRESET_LLAMA);
    params_set(&p, PARAM_TOP_N_SIGMA, 2);
    params_set(&p, PARAM_TYPICAL_P, 0.9);
    params_set(&p, PARAM_TOP_P, 0.95);
    params_set(&p, PARAM_MIN_P, 0.05);
    params_set(&p, PARAM_XTC_PROBABILITY, 0.5);
    params_set(&p, PARAM_TEMPERATURE, 0.8);
    struct model_config cfg = {.vocab = &v, .source_name = "decisions.tsv", .params = p,
                               .samples = 10000, .seed = 1};
    struct model m;
    model_or_bail(&m, &cfg);
    struct check c = {0};
    check_sizes(&c, &m, "llama, every sampler", "z");
    check_sizes(&c, &m, "llama, log bars", "z b");
    check_sizes(&c, &m, "llama, compare", "b c Left Left Left");
    tap_ok(c.fails == 0, "llama with every sampler (XTC's two branches), log bars, compare: "
                         "every number whole, every bar in order (%d wrong)", c.fails);
    model_free(&m);
    vocab_free(&v);
}

/* 262,144 tokens at T = 5: the bars zoom to thousandths of a percent, and the rows show
 * their digits. */
static void test_huge(void)
{
    struct vocab v;
    lab_vocab_random(&v, 262144);
    struct params p = params_default();
    params_set(&p, PARAM_TEMPERATURE, 5);
    struct model_config cfg = {.vocab = &v, .source_name = "synthetic.npy", .params = p,
                               .samples = 10000, .seed = 7};
    struct model m;
    model_or_bail(&m, &cfg);
    struct check c = {0};
    check_sizes(&c, &m, "262,144 at T 5", "");
    check_sizes(&c, &m, "262,144 at T 5, z b m", "z b m");
    check_sizes(&c, &m, "262,144, top-p and min-p", "Down Down Left Down Right PageDown");
    tap_ok(c.fails == 0, "262,144 tokens at T = 5, zoomed, log bars, top-p and min-p, scrolled: "
                         "every number whole, every bar in order (%d wrong)", c.fails);
    char pct[32];
    numfmt_percent(pct, sizeof pct, dist_prob_rank(&m.dist, 0), 7, 2);
    tap_ok(strcmp(pct, "0.00%") != 0 && numfmt_significant(pct) >= 2,
           "the top token's %s has two significant digits, not 0.00%%", pct);
    model_free(&m);
    vocab_free(&v);
}

int main(void)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    test_tick_rule();
    test_long_everything();
    test_llama_all();
    test_huge();
    return tap_done();
}
