/* sweep.c: `logitscope sweep`, the batch report. Reads the options, builds the list of settings
 * (a settings file, or the cross product of the value lists), and for each runs the one
 * engine_apply() + engine_draw() the explorer uses, printing text, CSV or a summary row. */
#include "sweep.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "datapath.h"
#include "logitscope/engine.h"
#include "logitscope/settings.h"
#include "logitscope/text.h"
#include "logitscope/vocab.h"
#include "options.h"

#define SWEEP_DEFAULT_TOP 20
#define SWEEP_TOKEN_COLS_MAX 40 /* wider tokens are cut short, with an ellipsis */
#define SWEEP_TOKEN_PREFIX 4096 /* bytes of a token escaped for a text row: enough for 40 columns */
#define SWEEP_ELLIPSIS "\xe2\x80\xa6" /* text rows are UTF-8 anyway: spaces show as U+2423 */

enum sweep_format { SWEEP_TEXT, SWEEP_CSV, SWEEP_SUMMARY };

struct sweep_opts {
    const char *file;          /* NULL: data/decisions.tsv */
    const char *settings_path; /* --settings */
    const char *vocab_path;    /* --vocab */
    struct opt_values lists[OPT_PARAM_COUNT]; /* n == 0: not given */
    enum order order;
    size_t samples;
    uint64_t seed;
    size_t top;
    bool top_given;
    enum sweep_format format;
};

/* The settings a run walks: loaded from a file, or the cross product of opts->lists. */
struct sweep_plan {
    struct settings loaded;
    bool from_file;
    size_t n;
    size_t dim[OPT_PARAM_COUNT];
};

/* Output state: one buffered stream and a reusable buffer for escaped text. */
struct sweep_out {
    FILE *f;
    char *esc;
    size_t esc_cap;
    bool failed; /* out of memory while escaping */
    bool cut_noted; /* a text table cut a token short, and said so below it */
};

static const char sweep_usage[] =
    "Usage: logitscope sweep [FILE] [OPTIONS]\n"
    "\n"
    "Runs every setting through the sampling pipeline and prints the distribution.\n"
    "FILE is a TSV (token<TAB>logit per line) or a 1-D .npy array; default: the bundled\n"
    "data/decisions.tsv. With no setting options it runs the lab's six temperatures\n"
    "(data/sweeps/temperature.tsv).\n"
    "\n"
    "Settings: each takes a VALUE, a comma list (0.2,0.5,1) or an inclusive range\n"
    "START:STOP:STEP (0.1:2.0:0.01 is 191 values); repeating an option adds values.\n"
    "Several options give their cross product, temperature outermost, then k, p, min-p.\n"
    "  -t, --temperature=T   temperature, >= 0; 0 = greedy                   [1]\n"
    "  -k, --top-k=K         keep the K most likely tokens; 0 = off          [0]\n"
    "  -p, --top-p=P         keep the fewest tokens with mass >= P, in (0, 1]; 1 = off [1]\n"
    "      --min-p=M         keep tokens with p >= M * p_max, in [0, 1]; 0 = off [0]\n"
    "      --settings=FILE   named settings instead: name<TAB>T<TAB>top_k<TAB>top_p[<TAB>min_p]\n"
    "      --order=ORDER     hf (temperature, then filters) or llama (filters, then\n"
    "                        temperature)                                    [hf]\n"
    "\n"
    "Draws and output:\n"
    "  -n, --samples=N       draws per setting, 0 = none                     [10000]\n"
    "      --seed=S          seed of the draws, the same for every setting   [20240607]\n"
    "      --vocab=FILE      token names for a .npy file, one per line\n"
    "      --top=N           token rows per setting, 0 = all      [text: 20, csv: all]\n"
    "      --format=FORMAT   text, csv or summary                            [text]\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n"
    "\n"
    "Exit status: 0 success, 1 write error or out of memory, 2 bad usage, value or file.\n";

enum { SWEEP_OPT_MIN_P = 256, SWEEP_OPT_SETTINGS, SWEEP_OPT_ORDER, SWEEP_OPT_SEED,
       SWEEP_OPT_VOCAB, SWEEP_OPT_TOP, SWEEP_OPT_FORMAT, SWEEP_OPT_VERSION };

static const struct option sweep_longopts[] = {
    {"temperature", required_argument, NULL, 't'},
    {"top-k", required_argument, NULL, 'k'},
    {"top-p", required_argument, NULL, 'p'},
    {"min-p", required_argument, NULL, SWEEP_OPT_MIN_P},
    {"settings", required_argument, NULL, SWEEP_OPT_SETTINGS},
    {"order", required_argument, NULL, SWEEP_OPT_ORDER},
    {"samples", required_argument, NULL, 'n'},
    {"seed", required_argument, NULL, SWEEP_OPT_SEED},
    {"vocab", required_argument, NULL, SWEEP_OPT_VOCAB},
    {"top", required_argument, NULL, SWEEP_OPT_TOP},
    {"format", required_argument, NULL, SWEEP_OPT_FORMAT},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, SWEEP_OPT_VERSION},
    {NULL, 0, NULL, 0},
};

/* ---- options ---------------------------------------------------------------------------- */

/* Parses a value list and appends it to what earlier uses of the same option gave. */
static int sweep_add_values(struct sweep_opts *o, enum opt_param which, const char *arg,
                            struct ls_error *err)
{
    struct opt_values more, *have = &o->lists[which];
    if (opt_param_list(which, arg, &more, err))
        return -1;
    if (have->n == 0) {
        opt_values_free(have);
        *have = more;
        return 0;
    }
    size_t n = have->n + more.n;
    if (n > OPT_MAX_VALUES) {
        opt_values_free(&more);
        return ls_error_set(err, "%s has too many values (at most %u)", opt_param_flag(which),
                            OPT_MAX_VALUES);
    }
    void *grown = which == OPT_TOP_K ? realloc(have->z, n * sizeof *have->z)
                                     : realloc(have->d, n * sizeof *have->d);
    if (!grown) {
        opt_values_free(&more);
        return ls_error_set(err, "out of memory");
    }
    if (which == OPT_TOP_K) {
        have->z = grown;
        memcpy(have->z + have->n, more.z, more.n * sizeof *more.z);
    } else {
        have->d = grown;
        memcpy(have->d + have->n, more.d, more.n * sizeof *more.d);
    }
    have->n = n;
    opt_values_free(&more);
    return 0;
}

static int sweep_format_parse(const char *arg, enum sweep_format *out, struct ls_error *err)
{
    static const char *const names[] = {"text", "csv", "summary"};
    for (int i = 0; i < 3; i++)
        if (strcmp(arg, names[i]) == 0) {
            *out = (enum sweep_format)i;
            return 0;
        }
    char shown[96];
    text_escape(arg, strlen(arg), 0, shown, sizeof shown);
    return ls_error_set(err, "--format must be text, csv or summary, got \"%s\"", shown);
}

/* One option with its argument; -1 with err set on a bad value. */
static int sweep_option(struct sweep_opts *o, int c, const char *arg, struct ls_error *err)
{
    switch (c) {
    case 't': return sweep_add_values(o, OPT_TEMPERATURE, arg, err);
    case 'k': return sweep_add_values(o, OPT_TOP_K, arg, err);
    case 'p': return sweep_add_values(o, OPT_TOP_P, arg, err);
    case SWEEP_OPT_MIN_P: return sweep_add_values(o, OPT_MIN_P, arg, err);
    case SWEEP_OPT_SETTINGS: o->settings_path = arg; return 0;
    case SWEEP_OPT_ORDER: return opt_order(arg, &o->order, err);
    case 'n': return opt_samples(arg, &o->samples, err);
    case SWEEP_OPT_SEED: return opt_seed(arg, &o->seed, err);
    case SWEEP_OPT_VOCAB: o->vocab_path = arg; return 0;
    case SWEEP_OPT_TOP: o->top_given = true; return opt_count("--top", arg, &o->top, err);
    case SWEEP_OPT_FORMAT: return sweep_format_parse(arg, &o->format, err);
    default: return ls_error_set(err, "internal error: option %d", c);
    }
}

enum sweep_parsed { SWEEP_PARSE_ERROR = -1, SWEEP_PARSE_RUN = 0, SWEEP_PARSE_DONE = 1 };

static enum sweep_parsed sweep_parse(int argc, char **argv, struct sweep_opts *o,
                                     struct ls_error *err)
{
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":t:k:p:n:h", sweep_longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(sweep_usage, stdout);
            return SWEEP_PARSE_DONE;
        }
        if (c == SWEEP_OPT_VERSION) {
            puts("logitscope " LS_VERSION);
            return SWEEP_PARSE_DONE;
        }
        if (c == '?' || c == ':') {
            opt_getopt_error(c, argv, "logitscope sweep --help", err);
            return SWEEP_PARSE_ERROR;
        }
        if (sweep_option(o, c, optarg, err))
            return SWEEP_PARSE_ERROR;
    }
    if (argc - optind > 1) {
        ls_error_set(err, "sweep takes at most one FILE, got %d (try `logitscope sweep --help`)",
                     argc - optind);
        return SWEEP_PARSE_ERROR;
    }
    o->file = optind < argc ? argv[optind] : NULL;
    return SWEEP_PARSE_RUN;
}

/* ---- the plan: which settings, in which order ------------------------------------------ */

static bool sweep_any_list(const struct sweep_opts *o)
{
    for (int i = 0; i < OPT_PARAM_COUNT; i++)
        if (o->lists[i].n)
            return true;
    return false;
}

/* A bundled data file, or an error that says how to point at the data. */
static char *sweep_data(const char *rel, struct ls_error *err)
{
    char *path = data_find(rel);
    if (!path)
        ls_error_set(err, "cannot find the bundled data/%s (set LOGITSCOPE_DATA to the data "
                     "directory)", rel);
    return path;
}

static int sweep_plan_file(struct sweep_plan *plan, const char *path, struct ls_error *err)
{
    if (settings_load(&plan->loaded, path, err))
        return -1;
    plan->from_file = true;
    plan->n = plan->loaded.n;
    return 0;
}

static int sweep_plan_build(struct sweep_plan *plan, const struct sweep_opts *o,
                            struct ls_error *err)
{
    if (o->settings_path && sweep_any_list(o))
        return ls_error_set(err, "--settings cannot be combined with -t, -k, -p or --min-p");
    if (o->settings_path)
        return sweep_plan_file(plan, o->settings_path, err);
    if (!sweep_any_list(o)) {
        char *path = sweep_data("sweeps/temperature.tsv", err);
        int rc = path ? sweep_plan_file(plan, path, err) : -1;
        free(path);
        return rc;
    }
    plan->n = 1;
    for (int i = 0; i < OPT_PARAM_COUNT; i++) {
        plan->dim[i] = o->lists[i].n ? o->lists[i].n : 1;
        if (plan->n > OPT_MAX_VALUES / plan->dim[i])
            return ls_error_set(err, "too many settings in the cross product (at most %u)",
                                OPT_MAX_VALUES);
        plan->n *= plan->dim[i];
    }
    return 0;
}

static void sweep_plan_free(struct sweep_plan *plan)
{
    if (plan->from_file)
        settings_free(&plan->loaded);
}

/* "T=0.7" plus each filter the command line named: "T=0.7, top-k=50, top-p=0.9". */
static void sweep_name(const struct sweep_opts *o, const struct params *p, char *buf,
                       size_t cap)
{
    char num[40];
    size_t len;
    opt_format_double(p->temperature, num, sizeof num);
    len = (size_t)snprintf(buf, cap, "T=%s", num);
    if (o->lists[OPT_TOP_K].n && len < cap)
        len += (size_t)snprintf(buf + len, cap - len, ", top-k=%zu", p->top_k);
    if (o->lists[OPT_TOP_P].n && len < cap) {
        opt_format_double(p->top_p, num, sizeof num);
        len += (size_t)snprintf(buf + len, cap - len, ", top-p=%s", num);
    }
    if (o->lists[OPT_MIN_P].n && len < cap) {
        opt_format_double(p->min_p, num, sizeof num);
        snprintf(buf + len, cap - len, ", min-p=%s", num);
    }
}

/* Setting i of the plan: its parameters, and its name (in buf when it is made up). */
static const char *sweep_setting(const struct sweep_plan *plan, const struct sweep_opts *o,
                                 size_t i, struct params *p, char *buf, size_t cap)
{
    if (plan->from_file) {
        *p = plan->loaded.items[i].params;
        p->order = o->order;
        return plan->loaded.items[i].name;
    }
    *p = params_default();
    p->order = o->order;
    for (int k = OPT_PARAM_COUNT - 1; k >= 0; k--) { /* min-p varies fastest */
        size_t at = i % plan->dim[k];
        i /= plan->dim[k];
        if (o->lists[k].n)
            opt_values_apply(&o->lists[k], at, p);
    }
    sweep_name(o, p, buf, cap);
    return buf;
}

/* ---- printing ---------------------------------------------------------------------------- */

/* Display-safe text of s[0..len) in the reusable buffer. Every escape is at most four bytes
 * per input byte, so 4 * len + 8 never truncates. */
static const char *sweep_escape(struct sweep_out *out, const char *s, size_t len,
                                unsigned flags)
{
    size_t need = 4 * len + 8;
    if (need > out->esc_cap) {
        char *grown = realloc(out->esc, need);
        if (!grown) {
            out->failed = true;
            return "";
        }
        out->esc = grown;
        out->esc_cap = need;
    }
    text_escape(s, len, flags, out->esc, out->esc_cap);
    return out->esc;
}

static const char *sweep_token(struct sweep_out *out, const struct vocab *v, size_t rank,
                               unsigned flags)
{
    char buf[32];
    size_t len;
    const char *tok = vocab_token(v, v->order[rank], buf, &len);
    return sweep_escape(out, tok, len, flags);
}

/* Token rows to show: --top, where 0 means all. */
static size_t sweep_rows(size_t top, size_t n)
{
    return top == 0 || top > n ? n : top;
}

/* The token of rank r as a text row shows it: escaped, and cut to SWEEP_TOKEN_COLS_MAX
 * columns with an ellipsis when wider (*cut is set). Only a prefix is escaped, so a 10 MB
 * token costs what a short one does; CSV keeps every token whole. */
static const char *sweep_token_shown(struct sweep_out *out, const struct vocab *v, size_t r,
                                     size_t *width, bool *cut)
{
    char buf[32];
    size_t len, n;
    const char *tok = vocab_token(v, v->order[r], buf, &len);
    n = len < SWEEP_TOKEN_PREFIX ? len : SWEEP_TOKEN_PREFIX;
    for (int back = 0; back < 3 && n < len && ((unsigned char)tok[n] & 0xc0) == 0x80; back++)
        n--; /* a prefix ends on a character boundary (if the bytes are UTF-8 at all) */
    char *shown = (char *)sweep_escape(out, tok, n, TEXT_SHOW_SPACE);
    size_t bytes = strlen(shown);
    *width = text_width(shown, bytes);
    if (n == len && *width <= SWEEP_TOKEN_COLS_MAX)
        return shown;
    /* the escape buffer holds 4 * n + 8 bytes: room for the ellipsis after any prefix */
    size_t fit = text_fit(shown, bytes, SWEEP_TOKEN_COLS_MAX - 1, width);
    memcpy(shown + fit, SWEEP_ELLIPSIS, sizeof SWEEP_ELLIPSIS);
    *width += 1;
    *cut = true;
    return shown;
}

static void sweep_text_row(struct sweep_out *out, const struct dist *d,
                           const struct sweep_opts *o, size_t r, size_t width)
{
    size_t w;
    bool cut = false;
    const char *tok = sweep_token_shown(out, d->vocab, r, &w, &cut);
    fprintf(out->f, "%s%*s  %8.6f", tok, (int)(width > w ? width - w : 0), "",
            dist_prob_rank(d, r));
    if (o->samples)
        fprintf(out->f, "  %8.6f", (double)dist_count_rank(d, r) / (double)o->samples);
    if (r >= d->kept)
        fprintf(out->f, "  cut: %s", cut_name(dist_cut(d, r)));
    fputc('\n', out->f);
}

/* The last row: how many tokens and how much mass the --top limit hid. The mass is what the
 * shown rows leave of the cumulative one: a sum over the hidden rows would recompute a
 * weight for each of them (V = 262,144: 2.5 ms a setting). */
static void sweep_text_rest(struct sweep_out *out, const struct dist *d,
                            const struct sweep_opts *o, size_t rows)
{
    double mass = rows && rows < d->kept ? fmax(0.0, 1.0 - dist_cum(d, rows - 1)) : 0.0;
    double drawn = 0;
    for (size_t r = rows; r < d->kept; r++)
        drawn += dist_count_rank(d, r);
    fprintf(out->f, "... %zu more (mass %.6f", d->vocab->n - rows, mass);
    if (o->samples)
        fprintf(out->f, ", sampled %.6f", drawn / (double)o->samples);
    fputs(")\n", out->f);
}

static void sweep_print_text(struct sweep_out *out, const struct sweep_opts *o, size_t index,
                             const char *name, const struct dist *d)
{
    const struct vocab *v = d->vocab;
    size_t rows = sweep_rows(o->top_given ? o->top : SWEEP_DEFAULT_TOP, v->n);
    size_t width = 5; /* "token" */
    bool cut = false;
    for (size_t r = 0; r < rows; r++) {
        size_t w;
        sweep_token_shown(out, v, r, &w, &cut);
        width = w > width ? w : width;
    }
    fprintf(out->f, "%s=== %s%s ===\n", index ? "\n" : "",
            sweep_escape(out, name, strlen(name), 0),
            d->params.order == ORDER_LLAMA ? ", llama order" : "");
    fprintf(out->f, "Entropy: %.3f bits (perplexity %.3f, kept %zu/%zu)\n", d->entropy_bits,
            d->perplexity, d->kept, v->n);
    fprintf(out->f, "%-*s  %8s%s\n", (int)width, "token", "prob", o->samples ? "   sampled" : "");
    for (size_t r = 0; r < rows; r++)
        sweep_text_row(out, d, o, r, width);
    if (rows < v->n)
        sweep_text_rest(out, d, o, rows);
    if (cut && !out->cut_noted) {
        fprintf(out->f, "(tokens wider than %d columns are cut short with " SWEEP_ELLIPSIS
                        "; --format csv writes them whole)\n", SWEEP_TOKEN_COLS_MAX);
        out->cut_noted = true;
    }
}

/* RFC 4180: quote a field holding a comma, quote, CR or LF (doubling quotes), and also one
 * with a leading or trailing space, which some readers would otherwise trim. */
static void sweep_csv_field(FILE *f, const char *s)
{
    size_t len = strlen(s);
    bool quote = strpbrk(s, ",\"\r\n") || (len && (s[0] == ' ' || s[len - 1] == ' '));
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The columns every CSV row starts with: setting,temperature,top_k,top_p,min_p,order. */
static void sweep_csv_setting(struct sweep_out *out, const char *name, const struct params *p)
{
    sweep_csv_field(out->f, sweep_escape(out, name, strlen(name), 0));
    fprintf(out->f, ",%.17g,%zu,%.17g,%.17g,%s,", p->temperature, p->top_k, p->top_p,
            p->min_p, order_name(p->order));
}

static void sweep_print_csv(struct sweep_out *out, const struct sweep_opts *o, size_t index,
                            const char *name, const struct dist *d)
{
    const struct vocab *v = d->vocab;
    size_t rows = sweep_rows(o->top_given ? o->top : 0, v->n);
    if (index == 0)
        fputs("setting,temperature,top_k,top_p,min_p,order,rank,token,logit,prob,sampled\n",
              out->f);
    for (size_t r = 0; r < rows; r++) {
        sweep_csv_setting(out, name, &d->params);
        fprintf(out->f, "%zu,", r + 1);
        sweep_csv_field(out->f, sweep_token(out, v, r, 0));
        fprintf(out->f, ",%.17g,%.17g,", v->sorted[r], dist_prob_rank(d, r));
        if (o->samples)
            fprintf(out->f, "%.17g", (double)dist_count_rank(d, r) / (double)o->samples);
        fputc('\n', out->f);
    }
}

static void sweep_print_summary(struct sweep_out *out, const struct sweep_opts *o,
                                size_t index, const char *name, const struct dist *d)
{
    (void)o;
    if (index == 0)
        fputs("setting,temperature,top_k,top_p,min_p,order,kept,entropy_bits,perplexity,"
              "top_token,top_prob\n", out->f);
    sweep_csv_setting(out, name, &d->params);
    fprintf(out->f, "%zu,%.17g,%.17g,", d->kept, d->entropy_bits, d->perplexity);
    sweep_csv_field(out->f, sweep_token(out, d->vocab, 0, 0));
    fprintf(out->f, ",%.17g\n", d->top_prob);
}

/* ---- running ----------------------------------------------------------------------------- */

/* Flushes stdout. A reader that went away (`| head`) ends the run quietly with 1; any other
 * write error is reported. */
static int sweep_finish(FILE *f)
{
    int failed = fflush(f) != 0 || ferror(f);
    if (!failed)
        return 0;
    if (errno != EPIPE)
        fprintf(stderr, "logitscope: error writing the output: %s\n", strerror(errno));
    return 1;
}

static int sweep_run(const struct sweep_opts *o, const struct sweep_plan *plan,
                     const struct vocab *v)
{
    static void (*const print[])(struct sweep_out *, const struct sweep_opts *, size_t,
                                 const char *, const struct dist *) = {
        [SWEEP_TEXT] = sweep_print_text,
        [SWEEP_CSV] = sweep_print_csv,
        [SWEEP_SUMMARY] = sweep_print_summary,
    };
    struct sweep_out out = {.f = stdout};
    struct dist d;
    struct ls_error err = {{0}};
    int status = 0;
    if (dist_init(&d, v)) {
        fputs("logitscope: out of memory\n", stderr);
        return 1;
    }
    for (size_t i = 0; i < plan->n && !ferror(out.f) && !out.failed; i++) {
        char buf[256];
        struct params p;
        const char *name = sweep_setting(plan, o, i, &p, buf, sizeof buf);
        if (params_check(&p, &err)) {
            fprintf(stderr, "logitscope: setting \"%s\": %s\n",
                    sweep_escape(&out, name, strlen(name), 0), err.msg);
            status = 2;
            break;
        }
        engine_apply(&d, &p);
        /* a summary row shows no sampled column: its draws would be work thrown away */
        if (o->format != SWEEP_SUMMARY && o->samples && engine_draw(&d, o->samples, o->seed)) {
            out.failed = true;
            break;
        }
        print[o->format](&out, o, i, name, &d);
    }
    if (out.failed) {
        fputs("logitscope: out of memory\n", stderr);
        status = 1;
    }
    int written = sweep_finish(out.f);
    dist_free(&d);
    free(out.esc);
    return status ? status : written;
}

static void sweep_opts_free(struct sweep_opts *o)
{
    for (int i = 0; i < OPT_PARAM_COUNT; i++)
        opt_values_free(&o->lists[i]);
}

/* Loads the vocabulary and the plan, then runs; the status as sweep_main returns it. */
static int sweep_load_and_run(const struct sweep_opts *o, struct ls_error *err)
{
    struct sweep_plan plan = {.n = 0};
    struct vocab v = {.n = 0};
    char *bundled = NULL;
    const char *file = o->file;
    int status = 2;
    if (!file)
        file = bundled = sweep_data("decisions.tsv", err);
    if (file && vocab_load(&v, file, o->vocab_path, err) == 0) {
        if (sweep_plan_build(&plan, o, err) == 0)
            status = sweep_run(o, &plan, &v);
        sweep_plan_free(&plan);
        vocab_free(&v);
    }
    free(bundled);
    return status;
}

int sweep_main(int argc, char **argv)
{
    struct sweep_opts o = {
        .order = ORDER_HF, .samples = ENGINE_DEFAULT_SAMPLES, .seed = ENGINE_DEFAULT_SEED,
        .format = SWEEP_TEXT,
    };
    struct ls_error err = {{0}};
    int status;
    setvbuf(stdout, NULL, _IOFBF, 1 << 16); /* one buffered stream, few write calls */
    for (int i = 0; i < OPT_PARAM_COUNT; i++)
        o.lists[i].which = (enum opt_param)i;
    switch (sweep_parse(argc, argv, &o, &err)) {
    case SWEEP_PARSE_DONE: status = sweep_finish(stdout); break;
    case SWEEP_PARSE_RUN: status = sweep_load_and_run(&o, &err); break;
    default: status = 2; break;
    }
    if (status == 2 && err.msg[0])
        opt_print_error(err.msg);
    sweep_opts_free(&o);
    return status;
}
