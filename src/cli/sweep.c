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
#define SWEEP_TOKEN_COLS_MAX 40 /* longer tokens overflow their row rather than widen all */

/* The settings a run walks: loaded from a file, or the cross product of the value lists. */
struct sweep_plan {
    struct settings loaded;
    bool from_file;
    size_t n;
    size_t dim[PARAM_COUNT];
};

/* Output state: one buffered stream and a reusable buffer for escaped text. */
struct sweep_out {
    FILE *f;
    char *esc;
    size_t esc_cap;
    bool failed; /* out of memory while escaping */
};

/* ---- the plan: which settings, in which order ------------------------------------------ */

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

static int sweep_plan_build(struct sweep_plan *plan, const struct cli_opts *o,
                            struct ls_error *err)
{
    if (o->settings_path)
        return sweep_plan_file(plan, o->settings_path, err);
    if (!opt_any_param(o)) {
        char *path = sweep_data("sweeps/temperature.tsv", err);
        int rc = path ? sweep_plan_file(plan, path, err) : -1;
        free(path);
        return rc;
    }
    plan->n = 1;
    for (int i = 0; i < PARAM_COUNT; i++) {
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

/* "T=0.7" plus each other parameter the command line named, by its flag: "T=0.7, top-k=50,
 * top-p=0.9". */
static void sweep_name(const struct cli_opts *o, const struct params *p, char *buf,
                       size_t cap)
{
    char num[40];
    size_t len;
    param_format_double(params_real(p, PARAM_TEMPERATURE), num, sizeof num);
    len = (size_t)snprintf(buf, cap, "T=%s", num);
    for (int i = 0; i < PARAM_COUNT && len < cap; i++) {
        if (i == PARAM_TEMPERATURE || !o->lists[i].n)
            continue;
        param_format(p, (enum param_id)i, num, sizeof num);
        len += (size_t)snprintf(buf + len, cap - len, ", %s=%s",
                                param_spec((enum param_id)i)->flag + 2, num);
    }
}

/* Setting i of the plan: its parameters, and its name (in buf when it is made up). A file's
 * row without a chain of its own takes the command line's; either way no parameter may be
 * set for a sampler its chain lacks. */
static const char *sweep_setting(const struct sweep_plan *plan, const struct cli_opts *o,
                                 size_t i, struct params *p, char *buf, size_t cap,
                                 struct ls_error *err)
{
    if (plan->from_file) {
        const struct setting *st = &plan->loaded.items[i];
        *p = st->params;
        if (!st->chain_given)
            p->chain = o->chain;
        int bad = params_unused(p);
        if (bad >= 0) {
            char why[400];
            params_unused_message(p, (enum param_id)bad, false, "--samplers", why, sizeof why);
            ls_error_set(err, "%s:%zu: %s", o->settings_path ? o->settings_path
                                                             : "sweeps/temperature.tsv",
                         st->line, why);
        }
        return st->name;
    }
    *p = params_default();
    p->chain = o->chain;
    p->breakers = o->breakers;
    for (int k = PARAM_COUNT - 1; k >= 0; k--) { /* the last parameter varies fastest */
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

static void sweep_text_row(struct sweep_out *out, const struct dist *d,
                           const struct cli_opts *o, size_t r, size_t width)
{
    const char *tok = sweep_token(out, d->vocab, r, TEXT_SHOW_SPACE);
    size_t w = text_width(tok, strlen(tok));
    fprintf(out->f, "%s%*s  %8.6f", tok, (int)(width > w ? width - w : 0), "",
            dist_prob_rank(d, r));
    if (o->samples)
        fprintf(out->f, "  %8.6f", (double)dist_count_rank(d, r) / (double)o->samples);
    if (!dist_is_kept(d, r))
        fprintf(out->f, "  cut: %s", cut_name(dist_cut(d, r)));
    else if (dist_xtc_removes(d, r))
        fprintf(out->f, "  xtc removes it when it fires (%g%%)",
                100 * params_real(&d->params, PARAM_XTC_PROBABILITY));
    fputc('\n', out->f);
}

/* The last row: how many tokens and how much mass the --top limit hid. The mass is what the
 * shown rows leave of the cumulative one: a sum over the hidden rows would recompute a
 * weight for each of them (V = 262,144: 2.5 ms a setting). */
static void sweep_text_rest(struct sweep_out *out, const struct dist *d,
                            const struct cli_opts *o, size_t rows)
{
    double mass = rows && rows <= d->last_kept ? fmax(0.0, 1.0 - dist_cum(d, rows - 1)) : 0.0;
    double drawn = 0;
    for (size_t r = rows > d->first_kept ? rows : d->first_kept; r <= d->last_kept; r++)
        drawn += dist_count_rank(d, r);
    fprintf(out->f, "... %zu more (mass %.6f", d->vocab->n - rows, mass);
    if (o->samples)
        fprintf(out->f, ", sampled %.6f", drawn / (double)o->samples);
    fputs(")\n", out->f);
}

/* After a setting's name: ", llama order", ", vllm order", ", samplers top_k;temperature"
 * (nothing for hf, the default). */
static void sweep_chain_words(const struct chain *c, char *buf, size_t cap)
{
    enum chain_preset p = chain_which_preset(c);
    if (p == PRESET_HF) {
        buf[0] = '\0';
    } else if (p != PRESET_CUSTOM) {
        snprintf(buf, cap, ", %s order", chain_preset_name(p));
    } else {
        char list[160];
        chain_format(c, ";", list, sizeof list);
        snprintf(buf, cap, ", samplers %s", list);
    }
}

/* What a chain decided that the numbers alone do not show: the temperature dynatemp picked,
 * and how often XTC fired. */
static void sweep_text_extras(struct sweep_out *out, const struct dist *d)
{
    int ti = dist_stage_of(d, SAMPLER_TEMPERATURE);
    /* before XTC both branches share the temperature stage, so it picked one T */
    int branches = d->n_branch == 2 && dist_stage_of(d, SAMPLER_XTC) < ti ? 2 : 1;
    if (ti >= 0 && params_real(&d->params, PARAM_DYNATEMP_RANGE) > 0)
        for (int b = 0; b < branches; b++)
            fprintf(out->f, ", dynatemp T=%.3f%s", d->br[b].after[ti].t,
                    branches == 2 ? (b ? " fired" : " not fired") : "");
    if (d->n_branch == 2)
        fprintf(out->f, ", xtc fires %g%%",
                100 * params_real(&d->params, PARAM_XTC_PROBABILITY));
    if (dist_stage_of(d, SAMPLER_MIROSTAT) >= 0 && !sampler_is_off(&d->params, SAMPLER_MIROSTAT))
        fprintf(out->f, ", mirostat mu=%.3f", d->mirostat_mu);
}

static void sweep_print_text(struct sweep_out *out, const struct cli_opts *o, size_t index,
                             const char *name, const struct dist *d)
{
    const struct vocab *v = d->vocab;
    size_t rows = sweep_rows(o->top_given ? o->top : SWEEP_DEFAULT_TOP, v->n);
    size_t width = 5; /* "token" */
    for (size_t r = 0; r < rows; r++) {
        const char *tok = sweep_token(out, v, r, TEXT_SHOW_SPACE);
        size_t w = text_width(tok, strlen(tok));
        if (w > width)
            width = w < SWEEP_TOKEN_COLS_MAX ? w : SWEEP_TOKEN_COLS_MAX;
    }
    char chain[200];
    sweep_chain_words(&d->params.chain, chain, sizeof chain);
    fprintf(out->f, "%s=== %s%s ===\n", index ? "\n" : "",
            sweep_escape(out, name, strlen(name), 0), chain);
    fprintf(out->f, "Entropy: %.3f bits (perplexity %.3f, kept %zu/%zu", d->entropy_bits,
            d->perplexity, d->kept, v->n);
    sweep_text_extras(out, d);
    fputs(")\n", out->f);
    fprintf(out->f, "%-*s  %8s%s\n", (int)width, "token", "prob", o->samples ? "   sampled" : "");
    for (size_t r = 0; r < rows; r++)
        sweep_text_row(out, d, o, r, width);
    if (rows < v->n)
        sweep_text_rest(out, d, o, rows);
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

/* A number in the shortest form that reads back to the same double. */
static void sweep_csv_number(FILE *f, double x)
{
    char num[40];
    param_format_double(x, num, sizeof num);
    fputs(num, f);
}

/* The columns every CSV row starts with: setting,temperature,top_k,top_p,min_p,order. */
static void sweep_csv_setting(struct sweep_out *out, const char *name, const struct params *p)
{
    char num[40];
    sweep_csv_field(out->f, sweep_escape(out, name, strlen(name), 0));
    for (int i = PARAM_TEMPERATURE; i <= PARAM_MIN_P; i++) {
        param_format(p, (enum param_id)i, num, sizeof num);
        fprintf(out->f, ",%s", num);
    }
    fprintf(out->f, ",%s,", chain_preset_name(chain_which_preset(&p->chain)));
}

/* The columns appended after today's, in the order they were appended: the parameters up
 * to min_keep, the chain, the parameters of the samplers that need history, DRY's
 * breakers. */
static void sweep_csv_tail(struct sweep_out *out, const struct params *p)
{
    char num[40], chain[200], breakers[4 * DRY_BREAKERS_BYTES + 8];
    for (int i = PARAM_MIN_P + 1; i < PARAM_COUNT; i++) {
        if (i == PARAM_AFTER_SAMPLERS) {
            chain_format(&p->chain, ";", chain, sizeof chain);
            fputc(',', out->f);
            sweep_csv_field(out->f, chain);
        }
        param_format(p, (enum param_id)i, num, sizeof num);
        fprintf(out->f, ",%s", num);
    }
    dry_breakers_format(&p->breakers, breakers, sizeof breakers);
    fputc(',', out->f);
    sweep_csv_field(out->f, breakers);
    fputc('\n', out->f);
}

static void sweep_csv_header_tail(FILE *f)
{
    for (int i = PARAM_MIN_P + 1; i < PARAM_COUNT; i++)
        fprintf(f, "%s,%s", i == PARAM_AFTER_SAMPLERS ? ",samplers" : "",
                param_spec((enum param_id)i)->name);
    fputs(",dry_sequence_breakers\n", f);
}

static void sweep_print_csv(struct sweep_out *out, const struct cli_opts *o, size_t index,
                            const char *name, const struct dist *d)
{
    const struct vocab *v = d->vocab;
    size_t rows = sweep_rows(o->top_given ? o->top : 0, v->n);
    if (index == 0) {
        fputs("setting,temperature,top_k,top_p,min_p,order,rank,token,logit,prob,sampled",
              out->f);
        sweep_csv_header_tail(out->f);
    }
    for (size_t r = 0; r < rows; r++) {
        sweep_csv_setting(out, name, &d->params);
        fprintf(out->f, "%zu,", r + 1);
        sweep_csv_field(out->f, sweep_token(out, v, r, 0));
        fputc(',', out->f);
        sweep_csv_number(out->f, v->sorted[r]);
        fputc(',', out->f);
        sweep_csv_number(out->f, dist_prob_rank(d, r));
        fputc(',', out->f);
        if (o->samples)
            sweep_csv_number(out->f, (double)dist_count_rank(d, r) / (double)o->samples);
        sweep_csv_tail(out, &d->params);
    }
}

static void sweep_print_summary(struct sweep_out *out, const struct cli_opts *o,
                                size_t index, const char *name, const struct dist *d)
{
    (void)o;
    if (index == 0) {
        fputs("setting,temperature,top_k,top_p,min_p,order,kept,entropy_bits,perplexity,"
              "top_token,top_prob", out->f);
        sweep_csv_header_tail(out->f);
    }
    sweep_csv_setting(out, name, &d->params);
    fprintf(out->f, "%zu,", d->kept);
    sweep_csv_number(out->f, d->entropy_bits);
    fputc(',', out->f);
    sweep_csv_number(out->f, d->perplexity);
    fputc(',', out->f);
    sweep_csv_field(out->f, sweep_token(out, d->vocab, d->top_rank, 0));
    fputc(',', out->f);
    sweep_csv_number(out->f, d->top_prob);
    sweep_csv_tail(out, &d->params);
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

static int sweep_run(const struct cli_opts *o, const struct sweep_plan *plan,
                     const struct vocab *v, const struct history *h)
{
    static void (*const print[])(struct sweep_out *, const struct cli_opts *, size_t,
                                 const char *, const struct dist *) = {
        [FORMAT_TEXT] = sweep_print_text,
        [FORMAT_CSV] = sweep_print_csv,
        [FORMAT_SUMMARY] = sweep_print_summary,
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
        const char *name = sweep_setting(plan, o, i, &p, buf, sizeof buf, &err);
        if (err.msg[0]) {
            opt_print_error(err.msg);
            status = 2;
            break;
        }
        if (params_check(&p, &err)) {
            fprintf(stderr, "logitscope: setting \"%s\": %s\n",
                    sweep_escape(&out, name, strlen(name), 0), err.msg);
            status = 2;
            break;
        }
        if (engine_apply_history(&d, &p, h)) {
            out.failed = true;
            break;
        }
        /* a summary row shows no sampled column: its draws would be work thrown away */
        if (o->format != FORMAT_SUMMARY && o->samples && engine_draw(&d, o->samples, o->seed)) {
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

/* Loads the vocabulary and the plan, then runs; the status as sweep_main returns it. */
static int sweep_load_and_run(const struct cli_opts *o, struct ls_error *err)
{
    struct sweep_plan plan = {.n = 0};
    struct vocab v = {.n = 0};
    char *bundled = NULL;
    const char *file = o->file;
    int status = 2;
    if (!file)
        file = bundled = sweep_data("decisions.tsv", err);
    if (file && vocab_load(&v, file, o->vocab_path, err) == 0) {
        struct history_text h = {.h = {.n = 0}};
        if (o->history && history_parse(&h, &v, o->history, err) < 0) {
            char why[sizeof err->msg];
            memcpy(why, err->msg, sizeof why);
            ls_error_set(err, "--history: %.400s", why);
        } else if (sweep_plan_build(&plan, o, err) == 0) {
            status = sweep_run(o, &plan, &v, o->history ? &h.h : NULL);
        }
        history_text_free(&h);
        sweep_plan_free(&plan);
        vocab_free(&v);
    }
    free(bundled);
    return status;
}

int sweep_main(int argc, char **argv)
{
    struct cli_opts o;
    struct ls_error err = {{0}};
    int status;
    setvbuf(stdout, NULL, _IOFBF, 1 << 16); /* one buffered stream, few write calls */
    switch (opt_parse(argc, argv, CMD_SWEEP, &o, &err)) {
    case OPT_DONE: status = sweep_finish(stdout); break;
    case OPT_RUN: status = sweep_load_and_run(&o, &err); break;
    default: status = 2; break;
    }
    if (status == 2 && err.msg[0])
        opt_print_error(err.msg);
    opt_free(&o);
    return status;
}
