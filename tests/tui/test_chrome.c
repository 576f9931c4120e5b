/* test_chrome.c: the frame around the instruments, offscreen. No number is ever cut: at every
 * size from 30x9 to 200x60, with a long file name, the largest seed, N = 100,000,000, long
 * token names, compare mode and the plot on and off, and a sequence, every value the model
 * holds is drawn whole or not at all in the title, the sliders, the chain line, the gauge,
 * the compare header, the status line and the strips. Then the focused slider's words, the
 * footer's keys, Space's feedback on a small screen, the help's samplers and its closing
 * words, and a find's highlighted row.
 *   test_chrome SEQUENCES_DIR */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/seq.h"
#include "tap.h"
#include "lab_fixture.h"
#include "screen_fixture.h"
#include "tui.h"
#include "widgets.h"

#define BIG_N 100000000u
#define BIG_SEED 18446744073709551615ull
#define LONG_NAME "a_really_long_file_name_for_the_classroom_projector_demo.tsv"

static const char *const long_tokens[] = {
    "supercalifragilisticexpialidocious", "antidisestablishmentarianism",
    "pneumonoultramicroscopicsilicovolcanoconiosis", "floccinaucinihilipilification",
    "approve", "reject", "x", "tokentokentokentokentoken", "review", "escalate"};
static const double long_logits[] = {3.1, 2.9, 2.2, 1.7, 1.5, 0.9, 0.3, -0.4, -1.0, -2.0};

/* ---- the values a frame may show, as the model holds them ---- */

#define VALUES_MAX 256
struct values {
    char s[VALUES_MAX][48];
    int n;
};

static void values_add(struct values *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void values_add(struct values *v, const char *fmt, ...)
{
    if (v->n >= VALUES_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->s[v->n], sizeof v->s[0], fmt, ap);
    va_end(ap);
    v->n++;
}

static bool values_has(const struct values *v, const char *s, size_t len)
{
    for (int i = 0; i < v->n; i++)
        if (strlen(v->s[i]) == len && memcmp(v->s[i], s, len) == 0)
            return true;
    return false;
}

static void values_of_dist(struct values *v, const struct model *m, const struct dist *d)
{
    values_add(v, "%.3f", d->entropy_bits);
    values_add(v, "%.3f", d->perplexity);
    values_add(v, "%.0f", d->perplexity);
    values_add(v, "%zu", d->kept);
    values_add(v, "%.2f", 100 * d->top_prob);
    values_add(v, "%.1f", 100 * d->top_prob);
    int ti = dist_stage_of(d, SAMPLER_TEMPERATURE);
    for (int b = 0; ti >= 0 && b < d->n_branch; b++)
        values_add(v, "%.2f", d->br[b].after[ti].t);
    (void)m;
}

/* Every number the model holds that the chrome may draw, in the forms it draws them. */
static void values_of(struct values *v, const struct model *m)
{
    v->n = 0;
    char buf[48];
    for (int p = 0; p < PARAM_COUNT; p++) {
        slider_value_text(m, (enum param_id)p, buf, sizeof buf);
        values_add(v, "%s", buf);
        if (m->compare) {
            param_value_text(&m->pin, (enum param_id)p, buf, sizeof buf);
            values_add(v, "%s", buf);
        }
    }
    values_add(v, "%zu", m->samples);
    values_add(v, "%llu", (unsigned long long)m->seed);
    values_add(v, "%zu", m->vocab->n);
    values_add(v, "%zu", m->vocab->n_finite);
    double hmax = m->vocab->n_finite > 1 ? log2((double)m->vocab->n_finite) : 0.0;
    values_add(v, "%.3f", hmax);
    values_add(v, "%.2f", hmax);
    values_of_dist(v, m, &m->dist);
    if (m->compare)
        values_of_dist(v, m, &m->dist_a);
    if (model_is_sequence(m)) {
        const struct model_seq *q = &m->seq;
        values_add(v, "%zu", q->pos + 1);
        values_add(v, "%zu", m->src->n);
        values_add(v, "%zu", q->outside);
        values_add(v, "%zu", q->seen);
        values_add(v, "%zu", q->step.candidates);
        values_add(v, "%zu", q->step.candidates - 1);
        values_add(v, "%.1f", 100 * q->step.known_mass);
        if (q->chosen_rank != SOURCE_NONE) {
            values_add(v, "%zu", q->chosen_rank + 1);
            values_add(v, "%.2f", 100 * dist_prob_rank(&m->dist, q->chosen_rank));
        }
    }
}

/* ---- reading a frame ---- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Columns of UTF-8 text (the fixture's text is one column a character). */
static int columns(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xc0) != 0x80;
    return w;
}

static bool row_in(struct rect r, int y)
{
    return r.h > 0 && y >= r.y && y < r.y + r.h;
}

/* The rows this test reads: all but the histogram's token rows (hist.c's), the plot's and a
 * sequence's text (data text, cut at the window's edges by design). */
static bool row_checked(const struct layout *l, int y)
{
    return !row_in(l->hist, y) && !row_in(l->plot, y) && !row_in(l->text, y);
}

static const char ellipsis[] = "\u2026";

/* One line: no digit next to an ellipsis; a number at the right edge is a whole value; a
 * number that is the start of a longer value (four characters or more) but not a value
 * itself was cut. */
static bool line_whole(const char *line, size_t len, int cols, const struct values *v,
                       char *why, size_t cap)
{
    size_t el = strlen(ellipsis);
    for (size_t i = 0; i + el <= len; i++)
        if (memcmp(line + i, ellipsis, el) == 0 &&
            ((i > 0 && is_digit(line[i - 1])) || (i + el < len && is_digit(line[i + el])))) {
            snprintf(why, cap, "a digit touches an ellipsis");
            return false;
        }
    for (size_t i = 0; i < len;) {
        if (!is_digit(line[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && (is_digit(line[j]) || (line[j] == '.' && j + 1 < len &&
                                                 is_digit(line[j + 1]))))
            j++;
        size_t n = j - i;
        /* part of a word ("x10") or of a longer number: not a value of its own */
        char before = i > 0 ? line[i - 1] : ' ';
        bool left_edge = is_digit(before) || before == '.' || (before >= 'a' && before <= 'z') ||
                         (before >= 'A' && before <= 'Z');
        if (!left_edge && !values_has(v, line + i, n)) {
            if (j == len && columns(line, len) == cols) {
                snprintf(why, cap, "\"%.*s\" ends at the screen's edge and is no value", (int)n,
                         line + i);
                return false;
            }
            for (int k = 0; k < v->n; k++)
                if (strlen(v->s[k]) >= 4 && strlen(v->s[k]) > n &&
                    memcmp(v->s[k], line + i, n) == 0 && n >= 2) {
                    snprintf(why, cap, "\"%.*s\" is %s cut short", (int)n, line + i, v->s[k]);
                    return false;
                }
        }
        i = j;
    }
    return true;
}

/* Every checked line of the frame at cols x rows is whole; a failing frame is printed. */
static bool frame_whole(struct tui_screen *s, struct model *m, int cols, int rows,
                        const char *what)
{
    tui_screen_resize(s, m, cols, rows);
    tui_screen_frame(s, m);
    struct values v;
    values_of(&v, m);
    size_t len;
    char *buf = screen_text(s, &len), why[160] = "";
    bool ok = true;
    int y = 0;
    for (char *p = buf; p < buf + len && ok; y++) {
        char *nl = memchr(p, '\n', (size_t)(buf + len - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(buf + len - p);
        if (row_checked(&m->layout, y) && !line_whole(p, n, cols, &v, why, sizeof why))
            ok = false;
        p += n + 1;
    }
    if (!ok) {
        printf("# %s at %dx%d, row %d: %s\n# ", what, cols, rows, y - 1, why);
        for (const char *p = buf; *p; p++)
            fputs(*p == '\n' && p[1] ? "\n# " : (char[2]){*p, '\0'}, stdout);
    }
    free(buf);
    return ok;
}

static const int sizes[][2] = {{30, 9},  {36, 10},  {40, 12},  {50, 15}, {60, 20},
                               {80, 24}, {100, 30}, {120, 40}, {200, 60}};

/* The named sizes, and every width from 30 to 200 at four heights. */
static bool all_sizes_whole(struct tui_screen *s, struct model *m, const char *what)
{
    bool ok = true;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0] && ok; i++)
        ok = frame_whole(s, m, sizes[i][0], sizes[i][1], what);
    static const int heights[] = {9, 12, 24, 60};
    for (size_t h = 0; h < sizeof heights / sizeof heights[0] && ok; h++)
        for (int cols = 30; cols <= 200 && ok; cols++)
            ok = frame_whole(s, m, cols, heights[h], what);
    return ok;
}

/* The screen's text at cols x rows. */
static char *frame_at(struct tui_screen *s, struct model *m, int cols, int rows)
{
    size_t len;
    tui_screen_resize(s, m, cols, rows);
    tui_screen_frame(s, m);
    return screen_text(s, &len);
}

static struct tui_screen *screen(struct model *m, bool ascii)
{
    return screen_open(&(struct tui_opts){.ascii = ascii}, m, 80, 24, NULL, NULL);
}

static void long_vocab(struct vocab *v)
{
    struct ls_error err;
    if (vocab_from_logits(v, long_logits, 10, long_tokens, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
}

/* The single vocabulary: plot and compare off and on, and a long message with a number. */
static void test_whole_vocab(const struct vocab *v)
{
    struct params p = params_default();
    params_set(&p, PARAM_TEMPERATURE, strtod("0.7", NULL));
    params_set(&p, PARAM_TOP_K, 6);
    params_set(&p, PARAM_TOP_P, strtod("0.95", NULL));
    params_set(&p, PARAM_MIN_P, strtod("0.05", NULL));
    params_set(&p, PARAM_DYNATEMP_RANGE, strtod("0.5", NULL));
    struct model_config c = {.vocab = v, .source_name = LONG_NAME, .params = p,
                             .samples = BIG_N, .seed = BIG_SEED};
    struct model m;
    model_or_bail(&m, &c);
    struct tui_screen *s = screen(&m, false);
    char *big = frame_at(s, &m, 200, 60), line[512];
    text_row(big, 0, line, sizeof line);
    tap_ok(strstr(line, "N=100000000") && strstr(line, "seed 18446744073709551615") &&
               strstr(line, &LONG_NAME[20]) == NULL && strstr(line, "V=10"),
           "200x60: the title holds N, the seed and V whole, the file name abbreviated");
    free(big);
    big = frame_at(s, &m, 80, 24);
    text_row(big, 0, line, sizeof line);
    tap_ok(strstr(line, "N=100000000") && strstr(line, "seed 18446744073709551615"),
           "80x24: N and the seed stay whole; the file name gives way (%s)", line);
    text_row(big, 10, line, sizeof line);
    tap_ok(strstr(line, "top supercal") && strstr(line, "\u2026"),
           "80x24: the gauge keeps the top token's name, abbreviated (%s)", line);
    free(big);
    tap_ok(all_sizes_whole(s, &m, "plain"), "every size, plain: every number whole");
    screen_keys(s, &m, "g");
    tap_ok(all_sizes_whole(s, &m, "plot"), "every size, the plot on: every number whole");
    screen_keys(s, &m, "c Right w");
    tap_ok(all_sizes_whole(s, &m, "plot, compare"), "every size, plot and compare: whole");
    screen_keys(s, &m, "g");
    big = frame_at(s, &m, 200, 60);
    tap_ok(strstr(big, "A T 0.70 dyn 0.50 exp 1.00 k 6 p 0.95 min-p 0.05 ") != NULL,
           "200x60 compare: A's settings over A's bars, in chain order");
    free(big);
    big = frame_at(s, &m, 120, 40);
    tap_ok(strstr(big, "A T 0.70 dyn 0.50 exp 1.00 k 6  ") != NULL &&
               strstr(big, " p 0.") == NULL && strstr(big, "min-p 0") == NULL,
           "120x40 compare: the settings that do not fit left out whole, from the last");
    free(big);
    tap_ok(all_sizes_whole(s, &m, "compare"), "every size, compare: every number whole");
    screen_keys(s, &m, "c = 1 8 4 4 6 7 4 4 0 7 3 7 0 9 5 5 1 6 1 5 Enter");
    tap_ok(strstr(m.message, "18446744073709551615") != NULL, "a message with a long number");
    tap_ok(all_sizes_whole(s, &m, "message"), "every size, that message: whole or left out");
    tui_screen_close(s);
    model_free(&m);
}

/* A model's output: the title's facts, the chosen token's line, the strips. */
static void test_whole_sequence(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/openai-chat.json", dir);
    struct seq q;
    struct source src;
    struct ls_error err = {{0}};
    if (seq_load(&q, path, NULL, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    source_of_seq(&src, &q);
    struct params p = params_default();
    params_set(&p, PARAM_TOP_K, 3);
    struct model_config c = {.source = &src, .position = 5, .source_name = LONG_NAME,
                             .params = p, .samples = BIG_N, .seed = BIG_SEED};
    struct model m;
    model_or_bail(&m, &c);
    struct tui_screen *s = screen(&m, false);
    tap_ok(all_sizes_whole(s, &m, "sequence"), "every size, a sequence: every number whole");
    tui_screen_close(s);
    model_free(&m);
    seq_free(&q);
}

/* ---- the words and keys around the instruments ---- */

static void lab_model_at(struct model *m, const struct vocab *v)
{
    lab_model(m, v, "decisions.tsv", 10000, 20240607);
}

/* The focused slider's words: a row of their own on a tall screen, the generated line's while
 * it is empty, else the status line when the focus moves. */
static void test_knob(const struct vocab *v)
{
    struct model m;
    lab_model_at(&m, v);
    struct tui_screen *s = screen(&m, false);
    char *f = frame_at(s, &m, 80, 30), line[512];
    text_row(f, m.layout.knob.y, line, sizeof line);
    tap_ok(m.layout.knob.h == 1 && strstr(line, "temperature") &&
               strstr(line, "divides every logit by T; 0 always takes the top token"),
           "80x30: a row says what temperature does (%s)", line);
    free(f);
    screen_keys(s, &m, "Down Down");
    f = frame_at(s, &m, 80, 30);
    text_row(f, m.layout.knob.y, line, sizeof line);
    tap_ok(strstr(line, "top-p") && strstr(line, "keeps the fewest top tokens") && !m.message[0],
           "... and top-p's when it has the focus (%s)", line);
    free(f);
    f = frame_at(s, &m, 50, 30);
    text_row(f, m.layout.knob.y, line, sizeof line);
    tap_ok(strstr(line, "keeps the fewest top tokens") && !strstr(line, "1 = off"),
           "50 columns: the first clause only (%s)", line);
    free(f);
    f = frame_at(s, &m, 80, 24);
    text_row(f, m.layout.gen.y, line, sizeof line);
    tap_ok(m.layout.knob.h == 0 && strstr(line, "keeps the fewest top tokens"),
           "80x24: the words in the generated line's row while nothing is generated (%s)",
           line);
    free(f);
    screen_keys(s, &m, "Space Up");
    f = frame_at(s, &m, 80, 24);
    text_row(f, m.layout.gen.y, line, sizeof line);
    char status[512];
    text_row(f, 23, status, sizeof status);
    tap_ok(strstr(line, "generated") && strstr(status, "top-k: keeps only the K most likely"),
           "... after a draw the row is the draws', and a focus move says the words below "
           "(%s)", status);
    free(f);
    tui_screen_close(s);
    model_free(&m);
}

/* The 80-column footer names g, c and Space; 0 says what it does to the focused slider. */
static void test_footer(const struct vocab *v)
{
    struct model m;
    lab_model_at(&m, v);
    struct tui_screen *s = screen(&m, false);
    char *f = frame_at(s, &m, 80, 24), line[512];
    text_row(f, 23, line, sizeof line);
    tap_ok(strstr(line, "g plot") && strstr(line, "c A/B") && strstr(line, "Space draw") &&
               strstr(line, "0 T=1") && strstr(line, "? help") && strstr(line, "q quit"),
           "80x24: the footer names g, c, Space, and 0 as T=1 for temperature (%s)", line);
    free(f);
    screen_keys(s, &m, "Down");
    screen_keys(s, &m, "w");
    f = frame_at(s, &m, 80, 24);
    text_row(f, 23, line, sizeof line);
    tap_ok(strstr(line, "0 off") != NULL, "top-k focused: 0 off (%s)", line);
    free(f);
    screen_keys(s, &m, "o Up Up Up w"); /* llama: top-k second, XTC just before temperature */
    f = frame_at(s, &m, 80, 24);
    text_row(f, 23, line, sizeof line);
    tap_ok(model_focus_param(&m) == PARAM_XTC_THRESHOLD && strstr(line, "0 thr=0.1"),
           "XTC's threshold focused: 0 thr=0.1, its default (%s)", line);
    free(f);
    screen_keys(s, &m, "g c w");
    f = frame_at(s, &m, 80, 24);
    text_row(f, 23, line, sizeof line);
    tap_ok(strstr(line, "c A/B off") && strstr(line, "g plot off") &&
               strstr(line, "c A/B off") < strstr(line, "0 thr"),
           "panels open: how to close them comes first (%s)", line);
    free(f);
    tui_screen_close(s);
    model_free(&m);
}

/* 40x12 has no generated line: Space says what it drew on the status line. */
static void test_small_space(const struct vocab *v)
{
    struct model m;
    lab_model_at(&m, v);
    struct tui_screen *s = screen(&m, false);
    tui_screen_resize(s, &m, 40, 12);
    screen_keys(s, &m, "Home Space");
    char *f = frame_at(s, &m, 40, 12), line[256];
    text_row(f, 11, line, sizeof line);
    tap_ok(m.layout.gen.h == 0 && strstr(line, "drew \"approve\" #1 100.00%"),
           "40x12, T=0: Space says it drew approve (%s)", line);
    free(f);
    tui_screen_close(s);
    model_free(&m);
}

/* The help explains every sampler in the table's words, and says how it closes. */
static void test_help(const struct vocab *v)
{
    struct model m;
    lab_model_at(&m, v);
    struct tui_screen *s = screen(&m, false);
    screen_keys(s, &m, "?");
    char *f = frame_at(s, &m, 100, 70);
    bool all = strstr(f, "what each sampler does") != NULL;
    for (int i = 0; i < SAMPLER_COUNT; i++) {
        const struct sampler_spec *ss = sampler_spec((enum sampler_id)i);
        char first[32];
        snprintf(first, sizeof first, "%.20s", ss->meaning);
        all = all && strstr(f, ss->label) && strstr(f, first);
    }
    tap_ok(all, "100x70: the help names every sampler with the start of its rule");
    tap_ok(strstr(f, "any key closes") && m.layout.help.max_top == 0,
           "... all of it shows, and it says any key closes it");
    free(f);
    screen_keys(s, &m, "Up");
    tap_ok(!m.help && model_focus_param(&m) == PARAM_TEMPERATURE,
           "... and Up closes it, as it says (and only closes it)");
    screen_keys(s, &m, "?");
    f = frame_at(s, &m, 80, 24);
    tap_ok(strstr(f, "scroll, other keys close") != NULL && m.layout.help.max_top > 0,
           "80x24: the help says which keys scroll it");
    free(f);
    screen_keys(s, &m, "PageDown");
    tap_ok(m.help && m.help_top > 0, "... and they do");
    tui_screen_close(s);
    model_free(&m);
}

/* A line being typed takes the status line: what it is for, the text's end, how to finish. */
static void test_prompt_line(const struct vocab *v)
{
    struct model m;
    lab_model_at(&m, v);
    struct tui_screen *s = screen(&m, false);
    screen_keys(s, &m, "Down Down = 0 . 9");
    char *f = frame_at(s, &m, 80, 24), line[256];
    text_row(f, 23, line, sizeof line);
    tap_ok(strstr(line, "top-p = 0.9_  Enter set  Esc cancel") && !strstr(line, "q quit"),
           "typing: the line says what for, the text and cursor, how to finish (%s)", line);
    free(f);
    screen_keys(s, &m, "1 2 3 4 5 6 7 8 9 1 2 3 4 5 6 7 8 9 1 2 3 4 5 6 7 8 9 0");
    f = frame_at(s, &m, 40, 12);
    text_row(f, 11, line, sizeof line);
    tap_ok(strstr(line, "top-p = ") && strstr(line, "67890_"),
           "40x12: a long text shows its end, where the typing is (%s)", line);
    free(f);
    screen_keys(s, &m, "Escape / a p");
    f = frame_at(s, &m, 80, 24);
    text_row(f, 23, line, sizeof line);
    tap_ok(strstr(line, "find: ap_  Enter find  Esc cancel") != NULL, "/: a find line (%s)",
           line);
    free(f);
    tui_screen_close(s);
    model_free(&m);
}

/* / finds a token by its text: the row shows, marked. */
static void test_find(void)
{
    struct vocab v;
    lab_vocab_numbered(&v, 5000, "tok%04zu", 0.001);
    struct model m;
    lab_model_at(&m, &v);
    struct tui_screen *s = screen(&m, false);
    screen_keys(s, &m, "/ t o k 4 3 2 1 Enter");
    char *f = frame_at(s, &m, 80, 24);
    const char *row = strstr(f, "\n\u25b8tok4321 ");
    tap_ok(m.find.rank == 4321 && m.scroll > 4000 && row != NULL,
           "/tok4321: scrolled to its row, marked with the focus glyph");
    free(f);
    screen_keys(s, &m, "/ Escape");
    tap_ok(m.find.rank == MODEL_FIND_NONE && !m.quit && !m.prompt.kind,
           "/ then Esc: the find is cancelled and the mark cleared");
    tui_screen_close(s);
    model_free(&m);
    vocab_free(&v);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    if (argc < 2) {
        printf("Bail out! usage: test_chrome SEQUENCES_DIR\n");
        return 1;
    }
    struct vocab lv, lab;
    long_vocab(&lv);
    test_whole_vocab(&lv);
    test_whole_sequence(argv[1]);
    vocab_free(&lv);
    lab_vocab(&lab);
    test_knob(&lab);
    test_footer(&lab);
    test_small_space(&lab);
    test_help(&lab);
    test_prompt_line(&lab);
    test_find();
    vocab_free(&lab);
    return tap_done();
}
