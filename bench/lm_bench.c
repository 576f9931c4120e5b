/* lm_bench.c: the language model's figures. Loading en-us.lm.bin (time, peak and final
 * resident memory, each load in a fresh child process), and a next-word column (lm_next over
 * all 72,547 words) for contexts met on a walk through the model, timed one call at a time,
 * alternating with the per-word loop through sphinxbase's ngram_ng_prob for the same context
 * when the bench was built with sphinxbase. Then the writer (src/app/writer.h): 100 words at
 * T = 1 with the default chain and with penalties in front of it, whole runs and each step's
 * parts (the next-word vocabulary: lm_next and the sort; the chain; the draw). Medians. Run:
 *   ninja -C build && build/bench/logitscope-lm-bench [MODEL] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "logitscope/lm.h"
#include "writer.h"

#if LM_BENCH_SPHINXBASE
#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>
#endif

#define LOADS 5
#define WALK 2000   /* contexts for lm_next alone */
#define PAIRS 200   /* of them, side by side with the library loop */
#define WRITE_WORDS 100
#define WRITE_RUNS 21

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
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

/* A field of /proc/self/status in MB ("VmHWM", "VmRSS"). */
static double status_mb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = -1;
    size_t n = strlen(field);

    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':')
            kb = atof(line + n + 1);
    if (f)
        fclose(f);
    return kb / 1024;
}

/* One load in a child: wall ms, CPU ms, peak MB, MB after loading. The CPU time tells what
 * the wall time means on a machine other programs are using. */
static int load_once(const char *path, double out[4])
{
    int fd[2];

    if (pipe(fd) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        struct lm *lm;
        struct ls_error err;
        double t0 = now_ms(), c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID), r[4];
        if (lm_load(&lm, path, &err) != 0) {
            fprintf(stderr, "lm-bench: %s\n", err.msg);
            _exit(1);
        }
        r[0] = now_ms() - t0;
        r[1] = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
        r[2] = status_mb("VmHWM");
        r[3] = status_mb("VmRSS");
        if (write(fd[1], r, sizeof r) != (ssize_t)sizeof r)
            _exit(1);
        lm_free(lm);
        _exit(0);
    }
    close(fd[1]);
    ssize_t got = pid > 0 ? read(fd[0], out, 4 * sizeof *out) : -1;
    close(fd[0]);
    int status = 0;
    if (pid > 0)
        waitpid(pid, &status, 0);
    return got == (ssize_t)(4 * sizeof *out) && WIFEXITED(status) && WEXITSTATUS(status) == 0
               ? 0
               : -1;
}

static uint64_t lcg_state = 88172645463325252u;

static double uniform(void)
{
    lcg_state = lcg_state * 6364136223846793005u + 1442695040888963407u;
    return (double)(lcg_state >> 11) * 0x1p-53;
}

/* The contexts of a walk that writes with the model itself, starting again at <s> after
 * </s>: the contexts a generation meets. */
static void walk(const struct lm *lm, uint32_t (*ctx)[2], size_t n, double *lp)
{
    size_t V = lm_size(lm);
    uint32_t a = lm_bos(lm), b = lm_bos(lm);

    for (size_t i = 0; i < n; i++) {
        uint32_t c[2] = {a, b};
        ctx[i][0] = a;
        ctx[i][1] = b;
        lm_next(lm, c, 2, lp);
        double u = uniform(), s = 0;
        uint32_t w = 0;
        for (w = 0; w + 1 < V; w++)
            if ((s += exp(lp[w])) > u)
                break;
        a = b;
        b = w;
        if (w == lm_eos(lm))
            a = b = lm_bos(lm);
    }
}

/* 100 words at T = 1 from "the" with the chain p (`what` names it), WRITE_RUNS times (the
 * same seed: the same words); then one run again, each step timed in its parts. */
static int bench_writer(const struct lm *lm, struct params p, const char *what)
{
    static const char prompt[] = "the";
    struct writer w;
    struct ls_error err;
    double runs[WRITE_RUNS], vocab_ms[WRITE_WORDS], chain_ms[WRITE_WORDS], draw_ms[WRITE_WORDS];

    if (writer_init(&w, lm, 20240607u, &err) != 0 ||
        writer_set_prompt(&w, prompt, strlen(prompt), &err) != 0) {
        fprintf(stderr, "lm-bench: %s\n", err.msg);
        return 1;
    }
    for (int r = 0; r < WRITE_RUNS; r++) {
        writer_clear(&w);
        double t0 = now_ms();
        for (int i = 0; i < WRITE_WORDS; i++)
            if (writer_write(&w, &p, NULL, &err) != 0) {
                fprintf(stderr, "lm-bench: %s\n", err.msg);
                writer_free(&w);
                return 1;
            }
        runs[r] = now_ms() - t0;
    }
    writer_clear(&w);
    for (int i = 0; i < WRITE_WORDS; i++) {
        double t0 = now_ms();
        writer_vocab(&w, &err);
        double t1 = now_ms();
        writer_dist(&w, &p, &err);
        double t2 = now_ms();
        writer_write(&w, &p, NULL, &err); /* applies the chain again (cached), then draws */
        double t3 = now_ms();
        vocab_ms[i] = t1 - t0;
        chain_ms[i] = t2 - t1;
        draw_ms[i] = t3 - t2;
    }
    printf("writer, %d words at T = 1 (%s) from \"%s\", median of %d runs: %.2f ms (%.3f ms a "
           "word)\n", WRITE_WORDS, what, prompt, WRITE_RUNS,
           median(runs, WRITE_RUNS), median(runs, WRITE_RUNS) / WRITE_WORDS);
    printf("  a step's parts, medians over %d words: next-word vocabulary (lm_next + sort) "
           "%.4f ms, chain %.4f ms, draw %.4f ms\n", WRITE_WORDS, median(vocab_ms, WRITE_WORDS),
           median(chain_ms, WRITE_WORDS), median(draw_ms, WRITE_WORDS));
    writer_free(&w);
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
    double loads[4][LOADS];
    struct lm *lm;
    struct ls_error err;

    for (int i = 0; i < LOADS; i++) {
        double r[4];
        if (load_once(path, r) < 0) {
            fprintf(stderr, "lm-bench: cannot load %s (Debian: pocketsphinx-en-us)\n", path);
            return 1;
        }
        for (int k = 0; k < 4; k++)
            loads[k][i] = r[k];
    }
    if (lm_load(&lm, path, &err) != 0) {
        fprintf(stderr, "lm-bench: %s\n", err.msg);
        return 1;
    }
    size_t V = lm_size(lm);
    printf("logitscope lm bench: %s (%s, %zu words, order %d)\n", path, lm_format(lm), V,
           lm_order(lm));
    printf("load, median of %d fresh processes: %.1f ms (%.1f ms of CPU), peak resident "
           "%.1f MB, resident after %.1f MB\n",
           LOADS, median(loads[0], LOADS), median(loads[1], LOADS), median(loads[2], LOADS),
           median(loads[3], LOADS));

    double *lp = malloc(V * sizeof *lp), *t = malloc(WALK * sizeof *t);
    uint32_t(*ctx)[2] = malloc(WALK * sizeof *ctx);
    walk(lm, ctx, WALK, lp);
    for (size_t i = 0; i < WALK; i++) {
        double t0 = now_ms();
        lm_next(lm, ctx[i], 2, lp);
        t[i] = now_ms() - t0;
    }
    printf("lm_next, next-word column of %zu words, median of %d contexts from a walk: "
           "%.4f ms\n", V, WALK, median(t, WALK));

#if LM_BENCH_SPHINXBASE
    err_set_logfp(NULL);
    logmath_t *lmath = logmath_init(1.0001, 0, 0);
    ngram_model_t *ref = ngram_model_read(NULL, path, NGRAM_AUTO, lmath);
    if (!ref) {
        printf("sphinxbase cannot read %s: no side-by-side figures\n", path);
    } else {
        double a[PAIRS], b[PAIRS], sink = 0;
        for (size_t i = 0; i < PAIRS; i++) {
            /* A: ours. B: sphinxbase, one ngram_ng_prob per word, its history newest first;
             * the ids are the same in both (test_lm_sphinx checks it). */
            double t0 = now_ms();
            lm_next(lm, ctx[i], 2, lp);
            a[i] = now_ms() - t0;
            sink += lp[i];
            int32 hist[2] = {(int32)ctx[i][1], (int32)ctx[i][0]}, used;
            t0 = now_ms();
            for (size_t w = 0; w < V; w++)
                lp[w] = ngram_ng_prob(ref, (int32)w, hist, 2, &used);
            b[i] = now_ms() - t0;
            sink += lp[i];
        }
        double ma = median(a, PAIRS), mb = median(b, PAIRS);
        printf("side by side, A B A B over the first %d contexts: lm_next %.4f ms, sphinxbase "
               "ngram_ng_prob per word %.4f ms: %.0fx\n", PAIRS, ma, mb, mb / ma);
        if (sink == 1.2345)
            printf("\n");
        ngram_model_free(ref);
    }
    logmath_free(lmath);
#else
    printf("built without sphinxbase (Debian: libsphinxbase-dev): no side-by-side figures\n");
#endif
    free(lp);
    free(t);
    free(ctx);
    /* the default chain, then llama.cpp's usual penalties in front of it (the words written
     * are their history) */
    struct params pen = params_default();
    struct ls_error perr;
    int rc = bench_writer(lm, params_default(), "chain hf");
    if (rc == 0 && chain_parse_names("penalties;temperature;top_k;top_p;min_p;typ_p;epsilon;eta",
                                     &pen.chain, &perr) == 0) {
        params_set(&pen, PARAM_REPEAT_PENALTY, 1.1);
        params_set(&pen, PARAM_FREQUENCY_PENALTY, 0.1);
        params_set(&pen, PARAM_PRESENCE_PENALTY, 0.1);
        rc = bench_writer(lm, pen, "penalties 1.1/0.1/0.1 over the last 64, then hf");
    }
    lm_free(lm);
    return rc;
}
