/* bench.c: times one full engine update (filters, entropy, 10,000 draws) at real vocabulary
 * sizes, next to a numpy version of the same pipeline run in the same command, and prints
 * medians and ratios. Run: ninja -C build && build/bench/logitscope-bench */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logitscope/engine.h"

static const size_t sizes[] = {10, 50257, 128256, 262144};

struct setting {
    const char *name;
    double t, top_p;
    size_t top_k;
    bool llama_all; /* the llama chain with every sampler on, as below */
};

/* Three settings of the hf chain (a top-p cut, a top-k cut, and no filter at a high
 * temperature: every token kept, so the draws walk the whole vocabulary, the explorer's
 * heaviest keystroke), and the llama chain with every sampler on: top-n-sigma 2, typical
 * 0.9, top-p 0.95, min-p 0.05, XTC 0.1 firing half the time, T 0.8. */
static const struct setting settings[] = {
    {"T=0.7,top-p=0.9", 0.7, 0.9, 0, false},
    {"T=1.0,top-k=50", 1.0, 1.0, 50, false},
    {"T=1.5", 1.5, 1.0, 0, false},
    {"llama,all", 0.8, 0.95, 0, true},
};
#define NSETTINGS (sizeof settings / sizeof *settings)

static struct params setting_params(const struct setting *s)
{
    struct params p = params_default();
    params_set(&p, PARAM_TEMPERATURE, s->t);
    params_set(&p, PARAM_TOP_P, s->top_p);
    p.v[PARAM_TOP_K].whole = s->top_k;
    if (s->llama_all) {
        p.chain = chain_preset(PRESET_LLAMA);
        params_set(&p, PARAM_TOP_N_SIGMA, 2.0);
        params_set(&p, PARAM_TYPICAL_P, 0.9);
        params_set(&p, PARAM_MIN_P, 0.05);
        params_set(&p, PARAM_XTC_THRESHOLD, 0.1);
        params_set(&p, PARAM_XTC_PROBABILITY, 0.5);
    }
    return p;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
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

/* Logits shaped like a language model's: a Gaussian body and a few standouts on top. */
static void synthetic_logits(double *l, size_t n, uint64_t seed)
{
    struct rng g;
    rng_seed(&g, seed);
    for (size_t i = 0; i < n; i++) {
        double u1 = rng_uniform(&g) + 0x1p-60, u2 = rng_uniform(&g);
        l[i] = 2.5 * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
    }
    for (size_t i = 0; i < n && i < 8; i++)
        l[(size_t)(rng_uniform(&g) * (double)n)] += 12 - (double)i;
}

enum update_kind {
    UPDATE_FULL,        /* a temperature step: every block sum recomputed */
    UPDATE_SORT,        /* the first update after loading: sort + full update */
    UPDATE_FILTER,      /* a top-p/top-k step at the same temperature: cached weights */
};

/* Median ms of engine_apply + engine_draw for one kind of keystroke. */
static double time_update(struct vocab *v, struct dist *d, const struct params *p,
                          enum update_kind kind, int repeats)
{
    double *t = malloc((size_t)repeats * sizeof *t);
    struct params step = *p;
    for (int i = 0; i < repeats; i++) {
        if (kind == UPDATE_FILTER) { /* alternate between two neighbouring slider values */
            if (params_whole(p, PARAM_TOP_K))
                step.v[PARAM_TOP_K].whole = params_whole(p, PARAM_TOP_K) + (size_t)(i & 1);
            else
                step.v[PARAM_TOP_P].real = params_real(p, PARAM_TOP_P) - 0.01 * (i & 1);
        } else {
            dist_invalidate(d);
        }
        double t0 = now_ms();
        if (kind == UPDATE_SORT)
            vocab_sort(v);
        engine_apply(d, &step);
        engine_draw(d, ENGINE_DEFAULT_SAMPLES, ENGINE_DEFAULT_SEED + (uint64_t)i);
        t[i] = now_ms() - t0;
    }
    double m = median(t, (size_t)repeats);
    free(t);
    return m;
}

/* The C figures at one size: every kind of update for every setting, or with `f32` (the
 * logits rounded to float32, as a model's .npy holds them, whose sort keys are exact) only
 * the first update after loading. A NULL row is not measured. */
static void time_size(size_t n, int f32, double *full, double *filter, double *first)
{
    double *l = malloc(n * sizeof *l);
    struct vocab v;
    struct dist d;
    struct ls_error err;
    synthetic_logits(l, n, 42);
    for (size_t i = 0; f32 && i < n; i++)
        l[i] = (float)l[i];
    if (!l || vocab_from_logits(&v, l, n, NULL, &err) < 0 || dist_init(&d, &v) < 0) {
        fprintf(stderr, "bench: %s\n", l ? err.msg : "out of memory");
        exit(1);
    }
    int repeats = n < 100000 ? 400 : 100;
    for (size_t k = 0; k < NSETTINGS; k++) {
        struct params p = setting_params(&settings[k]);
        if (full)
            full[k] = time_update(&v, &d, &p, UPDATE_FULL, repeats);
        if (filter)
            filter[k] = time_update(&v, &d, &p, UPDATE_FILTER, repeats);
        first[k] = time_update(&v, &d, &p, UPDATE_SORT, repeats / 4);
    }
    dist_free(&d);
    vocab_free(&v);
    free(l);
}

/* The samplers that need history, at size n: the llama chain with penalties (repeat 1.1,
 * frequency and presence 0.1) and DRY (0.8) in front, over 64 tokens written. A new token
 * changes what they change, so the re-sorted copy is built again; a slider step keeps it.
 * Medians of engine_apply_history + the draws, in ms: [0] new token, [1] slider step. */
static void time_history(size_t n, double ms[2])
{
    enum { WINDOW = 64, REPEATS = 60 };
    double *l = malloc(n * sizeof *l), t[REPEATS];
    uint32_t tok[WINDOW + REPEATS];
    struct vocab v;
    struct dist d;
    struct ls_error err;
    synthetic_logits(l, n, 42);
    if (!l || vocab_from_logits(&v, l, n, NULL, &err) < 0 || dist_init(&d, &v) < 0) {
        fprintf(stderr, "bench: %s\n", l ? err.msg : "out of memory");
        exit(1);
    }
    struct rng g;
    rng_seed(&g, 11);
    for (size_t i = 0; i < WINDOW + REPEATS; i++) /* text that repeats itself: the top 40 */
        tok[i] = v.order[(size_t)(rng_uniform(&g) * 40)];
    struct params p = setting_params(&settings[NSETTINGS - 1]);
    chain_insert(&p.chain, 0, SAMPLER_DRY);
    chain_insert(&p.chain, 0, SAMPLER_PENALTIES);
    params_set(&p, PARAM_REPEAT_PENALTY, 1.1);
    params_set(&p, PARAM_FREQUENCY_PENALTY, 0.1);
    params_set(&p, PARAM_PRESENCE_PENALTY, 0.1);
    params_set(&p, PARAM_DRY_MULTIPLIER, 0.8);
    for (int kind = 0; kind < 2; kind++) {
        for (int i = 0; i < REPEATS; i++) {
            struct params q = p;
            struct history h = {.tokens = tok + (kind ? 0 : i), .n = WINDOW, .mirostat_mu = NAN};
            if (kind)
                q.v[PARAM_TOP_P].real = params_real(&p, PARAM_TOP_P) - 0.01 * (i & 1);
            double t0 = now_ms();
            engine_apply_history(&d, &q, &h);
            engine_draw(&d, ENGINE_DEFAULT_SAMPLES, ENGINE_DEFAULT_SEED + (uint64_t)i);
            t[i] = now_ms() - t0;
        }
        ms[kind] = median(t, REPEATS);
    }
    dist_free(&d);
    vocab_free(&v);
    free(l);
}

static const char *find_python(void)
{
    static const char *const candidates[] = {"python3", "/usr/bin/python3"};
    const char *env = getenv("PYTHON");
    char cmd[256];
    if (env && *env)
        return env;
    for (size_t i = 0; i < 2; i++) {
        snprintf(cmd, sizeof cmd, "%s -c 'import numpy' >/dev/null 2>&1", candidates[i]);
        if (system(cmd) == 0)
            return candidates[i];
    }
    return NULL;
}

/* Runs bench/numpy_ref.py on the same logits; fills ms[setting][0 = idiomatic, 1 = presorted]. */
static int numpy_times(const char *python, const char *script, const double *l, size_t n,
                       double ms[NSETTINGS][2])
{
    char path[] = "/tmp/logitscope-bench-XXXXXX", cmd[1024], line[256];
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "wb");
    fwrite(l, sizeof *l, n, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s %s %s %zu", python, script, path, n);
    FILE *out = popen(cmd, "r");
    int got = 0;
    while (out && got < (int)NSETTINGS && fgets(line, sizeof line, out)) {
        size_t v;
        char name[64];
        if (sscanf(line, "%zu %63s %lf %lf", &v, name, &ms[got][0], &ms[got][1]) == 4)
            got++;
    }
    if (out)
        pclose(out);
    unlink(path);
    return got == (int)NSETTINGS ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *script = argc > 1 ? argv[1] : BENCH_NUMPY_SCRIPT;
    const char *python = find_python();
    if (!python)
        printf("numpy not found (Debian: apt-get install python3-numpy): C figures only\n");
    printf("logitscope bench: one full update = filters + entropy + %u draws; medians in ms\n",
           ENGINE_DEFAULT_SAMPLES);
    printf("C update: a temperature step (every block sum recomputed); C filter: a top-p/top-k\n"
           "step at the same T; C 1st+sort: the first update after loading (sort and block\n"
           "moments included). numpy: the pipeline as a function of logits (argsort per call);\n"
           "numpy presrt: given the order, like the engine.\n"
           "ratio = numpy / C update; ratio ps = numpy presrt / C update.\n\n");
    /* All the C figures first, then all of numpy's: run just before, a numpy process slows
     * whatever follows it (the C figures came out 20-70% higher on this VM), while numpy's
     * own times do not move with the order. */
    enum { NSIZES = sizeof sizes / sizeof *sizes };
    static double c[NSIZES][NSETTINGS], filter[NSIZES][NSETTINGS], first[NSIZES][NSETTINGS];
    static double np[NSIZES][NSETTINGS][2], f32[NSIZES][NSETTINGS];
    int have_np[NSIZES] = {0};
    for (size_t s = 0; s < NSIZES; s++)
        time_size(sizes[s], 0, c[s], filter[s], first[s]);
    for (size_t s = 1; s < NSIZES; s++)
        time_size(sizes[s], 1, NULL, NULL, f32[s]);
    for (size_t s = 0; s < NSIZES; s++) {
        double *l = malloc(sizes[s] * sizeof *l);
        synthetic_logits(l, sizes[s], 42);
        have_np[s] = python && l && numpy_times(python, script, l, sizes[s], np[s]) == 0;
        free(l);
    }
    printf("%-7s %-16s %9s %9s %11s %9s %12s %8s %8s\n", "V", "setting", "C update", "C filter",
           "C 1st+sort", "numpy", "numpy presrt", "ratio", "ratio ps");
    for (size_t s = 0; s < NSIZES; s++)
        for (size_t k = 0; k < NSETTINGS; k++) {
            printf("%-7zu %-16s %9.4f %9.4f %11.4f", sizes[s], settings[k].name, c[s][k],
                   filter[s][k], first[s][k]);
            if (have_np[s])
                printf(" %9.4f %12.4f %7.1fx %7.1fx\n", np[s][k][0], np[s][k][1],
                       np[s][k][0] / c[s][k], np[s][k][1] / c[s][k]);
            else
                printf(" %9s %12s %8s %8s\n", "-", "-", "-", "-");
        }
    printf("\nfloat32 logits, as in a model's .npy: C 1st+sort, ms\n%-7s", "V");
    for (size_t k = 0; k < NSETTINGS; k++)
        printf(" %16s", settings[k].name);
    for (size_t s = 1; s < NSIZES; s++) {
        printf("\n%-7zu", sizes[s]);
        for (size_t k = 0; k < NSETTINGS; k++)
            printf(" %16.4f", f32[s][k]);
    }
    printf("\n\npenalties;dry;llama,all over 64 tokens written, ms: a new token (the changed "
           "logits\nsorted again) and a slider step (the copy kept)\n%-7s %9s %9s\n", "V",
           "new token", "slider");
    static const size_t hist_sizes[] = {50257, 72547, 128256, 262144};
    for (size_t s = 0; s < sizeof hist_sizes / sizeof *hist_sizes; s++) {
        double ms[2];
        time_history(hist_sizes[s], ms);
        printf("%-7zu %9.4f %9.4f\n", hist_sizes[s], ms[0], ms[1]);
    }
    return 0;
}
