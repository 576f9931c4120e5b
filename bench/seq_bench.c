/* seq_bench.c: times the sequence loaders at the sizes the issue names: a 2,000-position
 * top-20 OpenAI chat response (written here, the shape a server returns) loaded to its first
 * frame and stepped through, and a 256 x 128,256 float32 .npy opened and visited; then the
 * explorer's whole path on both (load, the model at its first position with every position
 * run through the chain, the first frame on an offscreen 80x24 xterm-256color) and what a
 * key costs there, frame included: a position step, a slider step. Prints medians next to
 * the targets. Run: ninja -C build && build/bench/logitscope-seq-bench (it writes three
 * files, about 4 MB, 5 MB and 131 MB, under $TMPDIR or /tmp, and removes them). Wall and CPU
 * times are printed: on a busy machine the first stretch. */
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "keys.h"
#include "logitscope/engine.h"
#include "logitscope/seq.h"
#include "model.h"
#include "source.h"
#include "tui.h"

#define CHAT_POSITIONS 2000
#define CHAT_TOP 20
#define NPY_ROWS 256
#define NPY_V 128256

static double clock_ms(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

/* CPU time of this process: on a busy machine wall time also counts the waits. */
static double cpu_ms(void)
{
    return clock_ms(CLOCK_PROCESS_CPUTIME_ID);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *t, size_t n)
{
    qsort(t, n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* Resident set size in MiB (Linux), or -1. */
static double rss_mib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = -1, resident = -1;

    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = -1;
        fclose(f);
    }
    return resident < 0 ? -1 : (double)resident * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
}

/* A word-like token: a space and a few letters, some with a multi-byte character. */
static void fake_token(struct rng *g, char *out, size_t *len)
{
    static const char *const pieces[] = {"the", "and", "ing", "tion", "er", "s", "al", "ly",
                                          "\xc3\xa9", "ment", "wor", "ld", "\xe2\x80\x99",
                                          "pro", "con", "ed"};
    size_t n = 0, k = 1 + rng_next(g) % 3;

    if (rng_next(g) % 4)
        out[n++] = ' ';
    while (k--) {
        const char *p = pieces[rng_next(g) % 16];
        memcpy(out + n, p, strlen(p));
        n += strlen(p);
    }
    *len = n;
}

static void put_token(FILE *f, const char *t, size_t len, double lp)
{
    fputs("{\"token\": \"", f);
    fwrite(t, 1, len, f);
    fprintf(f, "\", \"logprob\": %.8g, \"bytes\": [", lp);
    for (size_t i = 0; i < len; i++)
        fprintf(f, i ? ", %u" : "%u", (unsigned char)t[i]);
    fputc(']', f);
}

/* The response, as Python's json.dumps spaces it; one position in twenty samples a token
 * from outside the top 20. Streamed: one data: event per token, as OpenAI sends them. */
static int write_chat(const char *path, bool stream)
{
    FILE *f = fopen(path, "w");
    struct rng g;

    if (!f)
        return -1;
    rng_seed(&g, 42);
    if (!stream)
        fputs("{\"id\": \"chatcmpl-bench\", \"object\": \"chat.completion\", \"model\": "
              "\"bench\", \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", "
              "\"content\": \"...\"}, \"logprobs\": {\"content\": [", f);
    for (size_t i = 0; i < CHAT_POSITIONS; i++) {
        char toks[CHAT_TOP + 1][64];
        size_t lens[CHAT_TOP + 1];
        double lp[CHAT_TOP + 1], x = -0.05 - 2.0 * rng_uniform(&g);
        size_t chosen = rng_next(&g) % 20 == 0 ? CHAT_TOP : rng_next(&g) % 3;
        for (size_t k = 0; k <= CHAT_TOP; k++) {
            fake_token(&g, toks[k], &lens[k]);
            lp[k] = x;
            x -= 0.05 + 0.6 * rng_uniform(&g);
        }
        if (stream)
            fputs("data: {\"id\": \"chatcmpl-bench\", \"object\": \"chat.completion.chunk\", "
                  "\"choices\": [{\"index\": 0, \"delta\": {\"content\": \"x\"}, "
                  "\"logprobs\": {\"content\": [", f);
        else
            fputs(i ? ", " : "", f);
        put_token(f, toks[chosen], lens[chosen], lp[chosen]);
        fputs(", \"top_logprobs\": [", f);
        for (size_t k = 0; k < CHAT_TOP; k++) {
            fputs(k ? ", " : "", f);
            put_token(f, toks[k], lens[k], lp[k]);
            fputc('}', f);
        }
        fputs("]}", f);
        if (stream)
            fputs("]}, \"finish_reason\": null}]}\n\n", f);
    }
    fputs(stream ? "data: [DONE]\n\n" : "], \"refusal\": null}, \"finish_reason\": \"length\"}]}\n", f);
    return fclose(f);
}

/* Logits shaped like a language model's: a Gaussian body and a few standouts, float32. */
static int write_npy(const char *path)
{
    FILE *f = fopen(path, "wb");
    char dict[128];
    unsigned char pre[10];
    float *row = malloc(NPY_V * sizeof *row);
    struct rng g;
    size_t dl, hl;

    if (!f || !row)
        return -1;
    snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }",
             NPY_ROWS, NPY_V);
    dl = strlen(dict);
    hl = (10 + dl + 1 + 63) / 64 * 64 - 10;
    memcpy(pre, "\x93NUMPY\x01\x00", 8);
    pre[8] = (unsigned char)hl;
    pre[9] = (unsigned char)(hl >> 8);
    fwrite(pre, 1, 10, f);
    fputs(dict, f);
    for (size_t i = dl; i + 1 < hl; i++)
        fputc(' ', f);
    fputc('\n', f);
    rng_seed(&g, 7);
    for (size_t r = 0; r < NPY_ROWS; r++) {
        for (size_t i = 0; i < NPY_V; i++) {
            double u1 = rng_uniform(&g) + 0x1p-60, u2 = rng_uniform(&g);
            row[i] = (float)(2.5 * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2));
        }
        for (size_t k = 0; k < 8; k++)
            row[rng_next(&g) % NPY_V] += (float)(12 - k);
        fwrite(row, sizeof *row, NPY_V, f); /* little-endian hosts only: a benchmark */
    }
    free(row);
    return fclose(f);
}

/* One position through the engine, as a frame needs it: a dist bound to its vocabulary
 * (allocated here: rebinding a dist to another vocabulary is the explorer's business). */
static double position_entropy(struct seq *s, size_t i, const struct params *p)
{
    struct dist d;
    double h = NAN;

    if (dist_init(&d, seq_vocab(s, i, NULL)) == 0) {
        engine_apply(&d, p);
        h = d.entropy_bits;
        dist_free(&d);
    }
    return h;
}

static void bench_chat(const char *path, bool stream)
{
    enum { RUNS = 9 };
    double t_load[RUNS], t_first[RUNS], c_first[RUNS], t_all[RUNS], steps[CHAT_POSITIONS];
    double sum = 0, rss0 = rss_mib(), rss1 = 0;
    struct params p = params_default();
    struct seq s;
    struct ls_error err = {{0}};

    for (int run = 0; run < RUNS; run++) {
        double t0 = now_ms(), c0 = cpu_ms(), t1, t2;
        if (seq_load(&s, path, NULL, &err) < 0) {
            fprintf(stderr, "%s\n", err.msg);
            exit(1);
        }
        t1 = now_ms();
        sum += position_entropy(&s, 0, &p); /* the first frame's distribution */
        t2 = now_ms();
        t_load[run] = t1 - t0;
        t_first[run] = t2 - t0;
        c_first[run] = cpu_ms() - c0;
        for (size_t i = 0; i < s.n; i++) { /* what an entropy strip needs: all at T = 1 */
            double a = now_ms();
            sum += position_entropy(&s, i, &p);
            steps[i] = now_ms() - a;
        }
        t_all[run] = now_ms() - t2;
        if (run == 0)
            rss1 = rss_mib();
        seq_free(&s);
    }
    printf("chat, %d positions x top %d, %s (%s, entropy sum %.1f):\n", CHAT_POSITIONS,
           CHAT_TOP, stream ? "streamed" : "whole", path, sum);
    printf("  load (parse, check, sort every position)   %8.2f ms\n", median(t_load, RUNS));
    printf("  load + position 1 through engine_apply     %8.2f ms, %.2f ms CPU   (target <= 100 ms)\n",
           median(t_first, RUNS), median(c_first, RUNS));
    printf("  a position step (vocab, dist, apply)       %8.4f ms   median of %d\n",
           median(steps, CHAT_POSITIONS), CHAT_POSITIONS);
    printf("  every position at T = 1 (an entropy strip) %8.2f ms\n", median(t_all, RUNS));
    printf("  resident memory after the first load       %+8.1f MiB\n", rss1 - rss0);
}

static void bench_npy(const char *path)
{
    enum { RUNS = 5 };
    double t_open[RUNS], c_open[RUNS], first[NPY_ROWS], again[NPY_ROWS], apply[NPY_ROWS];
    struct params p = params_default();
    struct seq s;
    struct dist d;
    struct ls_error err = {{0}};
    double rss0, rss1, rss2;

    for (int run = 0; run < RUNS; run++) {
        double t0 = now_ms(), c0 = cpu_ms();
        if (seq_load(&s, path, NULL, &err) < 0) {
            fprintf(stderr, "%s\n", err.msg);
            exit(1);
        }
        t_open[run] = now_ms() - t0;
        c_open[run] = cpu_ms() - c0;
        if (run < RUNS - 1)
            seq_free(&s);
    }
    rss0 = rss_mib();
    /* one dist bound to the working vocabulary: its buffers stay, its contents change (no row
     * here has a -inf, so every row has as many finite logits as the first) */
    dist_init(&d, seq_vocab(&s, 0, &err));
    rss1 = rss_mib();
    for (size_t i = 1; i < NPY_ROWS; i++) { /* visited in a jumping order, as clicks do */
        size_t r = (i * 97) % NPY_ROWS;
        double a = now_ms(), b;
        seq_vocab(&s, r, NULL);
        b = now_ms();
        dist_invalidate(&d);
        engine_apply(&d, &p);
        first[i - 1] = b - a;
        apply[i - 1] = now_ms() - b;
    }
    for (size_t i = 0; i < NPY_ROWS; i++) {
        double a = now_ms();
        seq_vocab(&s, i, NULL);
        again[i] = now_ms() - a;
    }
    rss2 = rss_mib();
    printf("npy, %d x %d float32 (%s):\n", NPY_ROWS, NPY_V, path);
    printf("  open (map, header, every row checked)      %8.2f ms, %.2f ms CPU   (target <= 300 ms)\n",
           median(t_open, RUNS), median(c_open, RUNS));
    printf("  first visit of a position (decode + sort)  %8.3f ms   (target <= 2 ms)\n",
           median(first, NPY_ROWS - 1));
    printf("  a revisit (decode + kept order)            %8.3f ms\n", median(again, NPY_ROWS));
    printf("  engine_apply at T = 1 on a visited row     %8.3f ms\n", median(apply, NPY_ROWS - 1));
    printf("  resident: mapped file after the check %.0f MiB; working vocabulary %+.1f MiB; "
           "the kept orders of %d rows %+.1f MiB\n", rss0, rss1 - rss0, NPY_ROWS, rss2 - rss1);
    dist_free(&d);
    seq_free(&s);
}

/* The explorer on path: one open to the first frame, then every position stepped with n
 * and a few slider steps, each with its frame. */
struct explorer_times {
    double open, open_cpu, load;
    double *step; /* per position step */
    size_t steps;
    double slider[10];
    unsigned long scan_applies; /* of one slider step */
    size_t bytes_total, bytes_worst; /* sent to the terminal by the position steps */
};

/* Bytes curses has written to f so far. */
static size_t file_bytes(FILE *f)
{
    struct stat st;
    fflush(f);
    return fstat(fileno(f), &st) == 0 ? (size_t)st.st_size : 0;
}

static int explorer_run(const char *path, const struct seq_opts *so, size_t max_steps,
                        struct explorer_times *t)
{
    struct seq s;
    struct source src;
    struct model m;
    struct ls_error err = {{0}};
    struct tui_opts o = {.ascii = false};
    FILE *f = tmpfile();
    double t0 = now_ms(), c0 = cpu_ms();
    if (!f || seq_load(&s, path, so, &err) < 0) {
        fprintf(stderr, "%s\n", f ? err.msg : "no tmpfile");
        return -1;
    }
    t->load = now_ms() - t0;
    source_of_seq(&src, &s);
    struct model_config c = {.source = &src, .source_name = "bench", .params = params_default(),
                             .samples = ENGINE_DEFAULT_SAMPLES, .seed = ENGINE_DEFAULT_SEED};
    if (model_init(&m, &c, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    struct tui_screen *scr = tui_screen_open(&o, &m, 80, 24, f, "xterm-256color", &err);
    if (!scr) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    tui_screen_frame(scr, &m);
    t->open = now_ms() - t0;
    t->open_cpu = cpu_ms() - c0;
    t->steps = s.n - 1 < max_steps ? s.n - 1 : max_steps;
    t->bytes_total = t->bytes_worst = 0;
    for (size_t i = 0; i < t->steps; i++) {
        size_t before = file_bytes(f);
        double a = now_ms();
        tui_screen_key(scr, &m, 'n');
        t->step[i] = now_ms() - a;
        size_t cost = file_bytes(f) - before;
        t->bytes_total += cost;
        t->bytes_worst = cost > t->bytes_worst ? cost : t->bytes_worst;
    }
    for (int i = 0; i < 10; i++) { /* temperature, up and down */
        unsigned long before = m.seq.scan_applies;
        double a = now_ms();
        tui_screen_key(scr, &m, i % 2 ? KEYC_LEFT : KEYC_RIGHT);
        t->slider[i] = now_ms() - a;
        t->scan_applies = m.seq.scan_applies - before;
    }
    tui_screen_close(scr);
    fclose(f);
    model_free(&m);
    seq_free(&s);
    return 0;
}

static void bench_explorer(const char *path, const struct seq_opts *so, size_t positions,
                           const char *what, const char *target)
{
    enum { RUNS = 5 };
    double open[RUNS], open_cpu[RUNS], load[RUNS], *steps = malloc(positions * sizeof *steps);
    double sliders[RUNS * 10];
    size_t nsteps = 0;
    struct explorer_times t = {.step = malloc(positions * sizeof *t.step)};
    if (!steps || !t.step)
        exit(1);
    for (int run = 0; run < RUNS; run++) {
        if (explorer_run(path, so, positions, &t) != 0)
            exit(1);
        open[run] = t.open;
        open_cpu[run] = t.open_cpu;
        load[run] = t.load;
        if (run == 0) { /* the first run's steps: each position's first visit */
            memcpy(steps, t.step, t.steps * sizeof *steps);
            nsteps = t.steps;
        }
        memcpy(sliders + run * 10, t.slider, sizeof t.slider);
    }
    printf("explorer on %s, 80x24 xterm-256color offscreen:\n", what);
    printf("  open to the first frame (load, model, frame)   %8.2f ms, %.2f ms CPU, of which "
           "load %.2f ms   (%s)\n", median(open, RUNS), median(open_cpu, RUNS),
           median(load, RUNS), target);
    qsort(steps, nsteps, sizeof *steps, cmp_double);
    printf("  a position step (n) with its frame             %8.3f ms median, %.3f ms worst of "
           "%zu; %zu bytes mean, %zu worst\n", median(steps, nsteps), steps[nsteps - 1], nsteps,
           t.bytes_total / (t.steps ? t.steps : 1), t.bytes_worst);
    printf("  a slider step with its frame                   %8.3f ms median (%lu positions "
           "run again)\n", median(sliders, RUNS * 10), t.scan_applies);
    free(steps);
    free(t.step);
}

int main(void)
{
    const char *t = getenv("TMPDIR"), *dir = t && *t ? t : "/tmp";
    char chat[512], sse[512], npy[512];
    double load[3];

    snprintf(chat, sizeof chat, "%s/logitscope-seq-bench-chat.json", dir);
    snprintf(sse, sizeof sse, "%s/logitscope-seq-bench-chat.sse", dir);
    snprintf(npy, sizeof npy, "%s/logitscope-seq-bench-logits.npy", dir);
    if (write_chat(chat, false) != 0 || write_chat(sse, true) != 0 || write_npy(npy) != 0) {
        fprintf(stderr, "cannot write the benchmark files in %s\n", dir);
        return 1;
    }
    if (getloadavg(load, 3) == 3)
        printf("load average %.2f (a busy machine stretches wall times; CPU times less so)\n",
               load[0]);
    setlocale(LC_ALL, "C.UTF-8");
    setlocale(LC_NUMERIC, "C");
    bench_chat(chat, false);
    bench_chat(sse, true);
    bench_npy(npy);
    bench_explorer(chat, NULL, CHAT_POSITIONS, "the 2,000-position top-20 chat response",
                   "target <= 100 ms; a step <= 1 ms");
    bench_explorer(npy, NULL, 64, "the 256 x 128,256 .npy (64 positions stepped)",
                   "the file's open is its target, <= 300 ms");
    unlink(chat);
    unlink(sse);
    unlink(npy);
    return 0;
}
