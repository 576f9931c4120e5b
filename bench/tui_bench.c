/* tui_bench.c: what a keystroke costs in the explorer, key to refreshed screen: the bytes sent
 * to the terminal and the time, per slider step over every position of every slider, on an
 * offscreen 80x24 xterm-256color whose bytes go to a file. Default view, then with the plot
 * (g) and A/B compare (c) on; data/decisions.tsv, then V = 262,144 for information. Then a
 * language model writing (en-us.lm.bin, V = 72,547, or $LOGITSCOPE_LM): Space, the word
 * drawn and the histogram of the next one, and Backspace, each with its frame.
 * Run: ninja -C build && build/bench/logitscope-tui-bench [FILE.tsv] */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "keys.h"
#include "logitscope/lm.h"
#include "logitscope/vocab.h"
#include "model.h"
#include "tui.h"

#define BENCH_BIG_V 262144
#define BENCH_LM_DEFAULT "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"
#define BENCH_LM_PROMPT "once upon a time"
#define BENCH_LM_WORDS 300 /* Spaces, then as many Backspaces */
#define BENCH_STEPS_MAX 4096

struct bench_stats {
    size_t steps, bytes_total, bytes_worst, ticks;
    double ms[BENCH_STEPS_MAX];
    int slider[BENCH_STEPS_MAX]; /* which slider each step moved */
    double idle_ms; /* idle ticks after the keys: the rest of the plot's samples */
};

static double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static size_t bench_bytes(FILE *f)
{
    struct stat st;
    fflush(f);
    return fstat(fileno(f), &st) == 0 ? (size_t)st.st_size : 0;
}

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One key as the live explorer takes it, timed from the key to the frame written (the work
 * that waits for idle time, the plot's finer samples, is not in it: see bench_idle), its
 * bytes counted. */
static void bench_key(struct tui_screen *s, struct model *m, FILE *f, int key,
                      struct bench_stats *st)
{
    size_t before = bench_bytes(f);
    double t0 = bench_now_ms();
    struct action a = model_key_action(m, key);
    model_update(m, &a);
    tui_screen_frame(s, m);
    double t1 = bench_now_ms();
    while (model_busy(m)) { /* the idle ticks, timed apart */
        double i0 = bench_now_ms();
        model_update(m, &(struct action){ACT_IDLE, 0, 0.0});
        tui_screen_frame(s, m);
        st->idle_ms += bench_now_ms() - i0;
        st->ticks++;
    }
    size_t cost = bench_bytes(f) - before;
    if (st->steps < BENCH_STEPS_MAX) {
        st->ms[st->steps] = t1 - t0;
        st->slider[st->steps] = m->focus;
    }
    st->steps++;
    st->bytes_total += cost;
    st->bytes_worst = cost > st->bytes_worst ? cost : st->bytes_worst;
}

/* Every slider of the chain, up to `span` steps right then back left (top-k: as far as V
 * allows). */
static void bench_sweep(struct tui_screen *s, struct model *m, FILE *f, int span,
                        struct bench_stats *st)
{
    for (int slider = 0; slider < m->n_sliders; slider++) {
        for (int i = 0; i < span; i++)
            bench_key(s, m, f, KEYC_RIGHT, st);
        for (int i = 0; i < span; i++)
            bench_key(s, m, f, KEYC_LEFT, st);
        tui_screen_key(s, m, '0');
        tui_screen_key(s, m, KEYC_TAB);
    }
}

/* The median step of the slider whose median is highest: a filter step with the plot on is the
 * figure the plot's budget is set against, and one slow slider hides in the overall median. */
static void bench_slowest_slider(const struct model *m, const struct bench_stats *st, size_t n,
                                 char *out, size_t size)
{
    static double one[BENCH_STEPS_MAX];
    double worst = 0.0;
    int worst_slider = -1;
    for (int slider = 0; slider < m->n_sliders; slider++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (st->slider[i] == slider)
                one[k++] = st->ms[i];
        if (k == 0)
            continue;
        qsort(one, k, sizeof *one, bench_cmp);
        if (one[k / 2] > worst) {
            worst = one[k / 2];
            worst_slider = slider;
        }
    }
    if (worst_slider >= 0)
        snprintf(out, size, "  %-34s slowest slider: %s, median %.3f ms\n", "",
                 param_spec(m->sliders[worst_slider].param)->label, worst);
}

static void bench_report(const char *what, const struct model *m, struct bench_stats *st)
{
    size_t n = st->steps < BENCH_STEPS_MAX ? st->steps : BENCH_STEPS_MAX;
    char slowest[160] = "";
    bench_slowest_slider(m, st, n, slowest, sizeof slowest); /* before the sort below */
    qsort(st->ms, n, sizeof *st->ms, bench_cmp);
    printf("  %-34s %5zu steps  bytes mean %4zu worst %4zu  time median %.3f ms worst %.3f ms\n",
           what, st->steps, st->bytes_total / (st->steps ? st->steps : 1), st->bytes_worst,
           n ? st->ms[n / 2] : 0.0, n ? st->ms[n - 1] : 0.0);
    fputs(slowest, stdout);
    if (st->ticks)
        printf("  %-34s then %zu idle ticks finished the plot: %.2f ms a tick\n", "", st->ticks,
               st->idle_ms / (double)st->ticks);
}

/* An offscreen 80x24 xterm-256color screen of m whose bytes go to f; NULL (said) when it
 * cannot be had. */
static struct tui_screen *bench_screen(struct model *m, FILE *f)
{
    struct tui_opts o = {.ascii = false};
    struct ls_error err;
    struct tui_screen *s = tui_screen_open(&o, m, 80, 24, f, "xterm-256color", &err);
    if (!s)
        fprintf(stderr, "tui_bench: %s\n", err.msg);
    return s;
}

/* One run: a fresh model and screen, the panels as asked, then the sweep. */
static int bench_run(const struct vocab *v, const char *name, bool plot, bool compare, int span)
{
    struct model_config c = {.vocab = v, .source_name = name, .params = params_default(),
                             .samples = ENGINE_DEFAULT_SAMPLES, .seed = ENGINE_DEFAULT_SEED};
    struct model m;
    struct ls_error err;
    FILE *f = tmpfile();
    if (!f || model_init(&m, &c, &err) != 0) {
        fprintf(stderr, "tui_bench: cannot start: %s\n", f ? err.msg : "no tmpfile");
        return -1;
    }
    struct tui_screen *s = bench_screen(&m, f);
    if (!s)
        return -1;
    tui_screen_frame(s, &m);
    double t0 = bench_now_ms();
    if (plot)
        tui_screen_key(s, &m, 'g');
    double t_open = bench_now_ms() - t0;
    if (compare)
        tui_screen_key(s, &m, 'c');
    tui_screen_key(s, &m, 'w'); /* an unbound key clears the "A pinned" message */
    static struct bench_stats st;
    memset(&st, 0, sizeof st);
    bench_sweep(s, &m, f, span, &st);
    char what[96];
    snprintf(what, sizeof what, "%s%s%s", plot ? "plot" : "", plot && compare ? "+" : "",
             compare ? "compare" : (plot ? "" : "default view"));
    bench_report(what, &m, &st);
    if (plot)
        printf("  %-34s opening the plot (g): %.1f ms, %zu samples, %lu engine runs so far\n", "",
               t_open, m.curve.n, m.curve.applies);
    tui_screen_close(s);
    fclose(f);
    model_free(&m);
    return 0;
}

/* A long-tailed vocabulary: Zipf-like logits with a little seeded noise. */
static int bench_big(struct vocab *v)
{
    double *l = malloc(BENCH_BIG_V * sizeof *l);
    if (!l)
        return -1;
    struct rng g;
    rng_seed(&g, 7);
    for (size_t i = 0; i < BENCH_BIG_V; i++)
        l[i] = 8.0 - 1.2 * log((double)(i + 1)) + 0.3 * rng_uniform(&g);
    struct ls_error err;
    int rc = vocab_from_logits(v, l, BENCH_BIG_V, NULL, &err);
    free(l);
    return rc;
}

/* One key's figures: bytes, then the median, the 90th percentile and the worst time. */
static void bench_lm_report(const char *what, struct bench_stats *st)
{
    size_t n = st->steps < BENCH_STEPS_MAX ? st->steps : BENCH_STEPS_MAX;
    qsort(st->ms, n, sizeof *st->ms, bench_cmp);
    printf("  %-30s %4zu keys  bytes mean %4zu worst %4zu  ms median %.3f p90 %.3f worst "
           "%.3f\n", what, st->steps, st->bytes_total / (st->steps ? st->steps : 1),
           st->bytes_worst, n ? st->ms[n / 2] : 0.0, n ? st->ms[n * 9 / 10] : 0.0,
           n ? st->ms[n - 1] : 0.0);
}

/* Space BENCH_LM_WORDS times, then Backspace as often, on m's screen. */
static void bench_lm_keys(struct tui_screen *s, struct model *m, FILE *f, const char *what)
{
    static struct bench_stats space, back;
    memset(&space, 0, sizeof space);
    memset(&back, 0, sizeof back);
    for (int i = 0; i < BENCH_LM_WORDS; i++)
        bench_key(s, m, f, KEYC_SPACE, &space);
    for (int i = 0; i < BENCH_LM_WORDS; i++)
        bench_key(s, m, f, KEYC_BACKSPACE, &back);
    char name[96];
    snprintf(name, sizeof name, "%s: Space", what);
    bench_lm_report(name, &space);
    snprintf(name, sizeof name, "%s: Backspace", what);
    bench_lm_report(name, &back);
}

/* A language model writing at T = 1 with chain p: Space and Backspace, then the same with
 * A/B compare on (A pinned at T = 0.5), where each key writes or takes back on both sides. */
static int bench_lm_chain(struct lm *lm, const char *path, double t_load, struct params p,
                          const char *chain)
{
    struct ls_error err = {{0}};
    struct writer w;
    struct model m;
    FILE *f = tmpfile();
    struct model_config c = {.writer = &w, .source_name = "lm", .params = p,
                             .samples = ENGINE_DEFAULT_SAMPLES, .seed = ENGINE_DEFAULT_SEED};
    if (!f || writer_init(&w, lm, c.seed, &err) != 0 ||
        writer_set_prompt(&w, BENCH_LM_PROMPT, strlen(BENCH_LM_PROMPT), &err) != 0 ||
        model_init(&m, &c, &err) != 0) {
        fprintf(stderr, "tui_bench: cannot start the language model: %s\n", err.msg);
        return -1;
    }
    struct tui_screen *s = bench_screen(&m, f);
    if (!s)
        return -1;
    printf("%s (V=%zu, loaded in %.0f ms), 80x24 xterm-256color, \"%s\", %d words written "
           "at T = 1 and taken back, %s:\n", path, lm_size(lm), t_load, BENCH_LM_PROMPT,
           BENCH_LM_WORDS, chain);
    tui_screen_frame(s, &m);
    bench_lm_keys(s, &m, f, "write");
    for (int i = 0; i < 10; i++) /* A at T = 0.5 */
        tui_screen_key(s, &m, KEYC_LEFT);
    tui_screen_key(s, &m, 'c');
    for (int i = 0; i < 10; i++)
        tui_screen_key(s, &m, KEYC_RIGHT);
    bench_lm_keys(s, &m, f, "compare, both sides");
    tui_screen_close(s);
    fclose(f);
    model_free(&m);
    writer_free(&w);
    return 0;
}

/* The default chain, then llama.cpp's usual penalties in front of it (the words written are
 * their history), as logitscope-lm-bench times the writer alone. */
static int bench_lm(void)
{
    const char *env = getenv("LOGITSCOPE_LM"), *path = env && env[0] ? env : BENCH_LM_DEFAULT;
    struct lm *lm = NULL;
    struct ls_error err = {{0}};
    double t0 = bench_now_ms();
    if (lm_load(&lm, path, &err) != 0) {
        printf("%s: not measured (%s)\n", path, err.msg);
        return 0;
    }
    double t_load = bench_now_ms() - t0;
    struct params pen = params_default();
    int rc = bench_lm_chain(lm, path, t_load, params_default(), "chain hf");
    if (rc == 0 && chain_parse_names("penalties;temperature;top_k;top_p;min_p;typ_p;epsilon;eta",
                                     &pen.chain, &err) == 0) {
        params_set(&pen, PARAM_REPEAT_PENALTY, 1.1);
        params_set(&pen, PARAM_FREQUENCY_PENALTY, 0.1);
        params_set(&pen, PARAM_PRESENCE_PENALTY, 0.1);
        rc = bench_lm_chain(lm, path, t_load, pen, "penalties 1.1/0.1/0.1 over the last 64, "
                            "then hf");
    }
    lm_free(lm);
    return rc;
}

static int bench_vocab(const struct vocab *v, const char *name, int span)
{
    printf("%s (V=%zu), 80x24 xterm-256color, every slider %d steps up and back:\n", name, v->n,
           span);
    return bench_run(v, name, false, false, span) || bench_run(v, name, true, false, span) ||
           bench_run(v, name, false, true, span) || bench_run(v, name, true, true, span);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C.UTF-8");
    setlocale(LC_NUMERIC, "C");
    const char *path = argc > 1 ? argv[1] : BENCH_DATA_DIR "/decisions.tsv";
    struct vocab v;
    struct ls_error err;
    if (vocab_load(&v, path, NULL, &err) != 0) {
        fprintf(stderr, "tui_bench: %s\n", err.msg);
        return 1;
    }
    int rc = bench_vocab(&v, "decisions.tsv", 101);
    vocab_free(&v);
    if (rc == 0 && bench_big(&v) == 0) {
        rc = bench_vocab(&v, "synthetic", 30);
        vocab_free(&v);
    }
    if (rc == 0)
        rc = bench_lm();
    return rc ? 1 : 0;
}
