/* sweep.c: `logitscope sweep`, the batch report. Reads the options, builds the list of settings
 * (a settings file, or the cross product of the value lists), and for each runs the one
 * engine_apply() + engine_draw() the explorer uses, printing text, CSV or a summary row. A
 * sequence (a model's output) runs every setting at each position asked for, position by
 * position, and adds what the position was: its text, its chosen token, its known mass. */
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
#include "input.h"
#include "lmsource.h"
#include "logitscope/engine.h"
#include "logitscope/settings.h"
#include "logitscope/text.h"
#include "logitscope/vocab.h"
#include "options.h"
#include "source.h"

#define SWEEP_DEFAULT_TOP 20
#define SWEEP_TEXT_COLS 60 /* a position's text in its block's header: this many last columns */
#define SWEEP_TOKEN_COLS_MAX 40 /* wider tokens are cut short, with an ellipsis */
#define SWEEP_TOKEN_PREFIX 4096 /* bytes of a token escaped for a text row: enough for 40 columns */
#define SWEEP_ELLIPSIS "\xe2\x80\xa6" /* text rows are UTF-8 anyway: spaces show as U+2423 */

/* The settings a run walks: loaded from a file, or the cross product of the value lists. */
struct sweep_plan {
    struct settings loaded;
    bool from_file;
    size_t n;
    size_t dim[PARAM_COUNT];
};

/* The position a distribution is at, in a sequence (NULL for a single vocabulary). */
struct sweep_at {
    const struct source *src;
    size_t i; /* from 0 */
    struct source_step step;
    size_t chosen_rank; /* or SOURCE_NONE */
};

/* Output state: one buffered stream and a reusable buffer for escaped text. */
struct sweep_out {
    FILE *f;
    char *esc;
    size_t esc_cap;
    bool failed; /* out of memory while escaping */
    bool cut_noted; /* a text table cut a token short, and said so below it */
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

/* A sequence with no setting options runs T = 1 alone (the cross product of no lists). */
static int sweep_plan_build(struct sweep_plan *plan, const struct cli_opts *o, bool sequence,
                            struct ls_error *err)
{
    if (o->settings_path)
        return sweep_plan_file(plan, o->settings_path, err);
    if (!opt_any_param(o) && !sequence) {
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

/* Whether some setting's chain reads a history (penalties, DRY, mirostat): only then is one
 * looked up, and only then may --history be given. */
static bool sweep_plan_reads_history(const struct sweep_plan *plan, const struct cli_opts *o)
{
    for (size_t i = 0; i < plan->n; i++) {
        char buf[256];
        struct params p;
        struct ls_error err = {{0}};
        sweep_setting(plan, o, i, &p, buf, sizeof buf, &err);
        if (!err.msg[0] && (chain_has(&p.chain, SAMPLER_PENALTIES) ||
                            chain_has(&p.chain, SAMPLER_DRY) ||
                            chain_has(&p.chain, SAMPLER_MIROSTAT)))
            return true;
    }
    return false;
}

/* --history with no sampler to read it would be silently ignored: say so instead. */
static int sweep_history_unused(const struct sweep_plan *plan, const struct cli_opts *o,
                                struct ls_error *err)
{
    if (!o->history || sweep_plan_reads_history(plan, o))
        return 0;
    return ls_error_set(err, "--history is set but no sampler of the chain reads it: add "
                             "penalties, dry or mirostat, e.g. --samplers "
                             "\"penalties;temperature;top_k;top_p;min_p;typ_p;epsilon;eta\"");
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

static bool sweep_is_chosen(const struct sweep_at *at, size_t rank)
{
    return at && at->chosen_rank == rank;
}

static void sweep_text_row(struct sweep_out *out, const struct dist *d,
                           const struct cli_opts *o, size_t r, size_t width,
                           const struct sweep_at *at)
{
    size_t w;
    bool cut = false;
    const char *tok = sweep_token_shown(out, d->vocab, r, &w, &cut);
    fprintf(out->f, "%s%*s  %8.6f", tok, (int)(width > w ? width - w : 0), "",
            dist_prob_rank(d, r));
    if (o->samples)
        fprintf(out->f, "  %8.6f", (double)dist_count_rank(d, r) / (double)o->samples);
    if (!dist_is_kept(d, r))
        fprintf(out->f, "  cut: %s", cut_name(dist_cut(d, r)));
    else if (dist_xtc_removes(d, r))
        fprintf(out->f, "  xtc removes it when it fires (%g%%)",
                100 * params_real(&d->params, PARAM_XTC_PROBABILITY));
    if (sweep_is_chosen(at, r))
        fputs("  (chosen)", out->f);
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

/* "Text: ...the sea is" (the last SWEEP_TEXT_COLS columns of what came before the position),
 * what the numbers are, and the chosen token with its rank and probability here. */
static void sweep_text_position(struct sweep_out *out, const struct dist *d,
                                const struct sweep_at *at)
{
    char numbers[96];
    source_numbers_text(at->src, &at->step, numbers, sizeof numbers);
    if (at->chosen_rank == SOURCE_NONE) {
        fprintf(out->f, "Numbers: %s\nChosen: not known (give --tokens)\n", numbers);
        return;
    }
    const char *text = at->src->text;
    size_t end = at->step.text_off;
    size_t start = end > 4 * SWEEP_TEXT_COLS ? end - 4 * SWEEP_TEXT_COLS : 0;
    while (start > 0 && start < end && ((unsigned char)text[start] & 0xc0) == 0x80)
        start++; /* begin on a character */
    const char *shown = sweep_escape(out, text + start, end - start, TEXT_SHOW_SPACE);
    size_t len = strlen(shown), skip = 0;
    bool cut = start > 0;
    while (text_width(shown + skip, len - skip) > SWEEP_TEXT_COLS) {
        cut = true;
        do /* one character */
            skip++;
        while (skip < len && ((unsigned char)shown[skip] & 0xc0) == 0x80);
    }
    fprintf(out->f, "Text: %s%s\nNumbers: %s\n", cut ? "..." : "",
            end == 0 ? "(the start)" : shown + skip, numbers);
    fprintf(out->f, "Chosen: %s, rank %zu, prob %.6f",
            sweep_token(out, d->vocab, at->chosen_rank, TEXT_SHOW_SPACE), at->chosen_rank + 1,
            dist_prob_rank(d, at->chosen_rank));
    if (!dist_is_kept(d, at->chosen_rank))
        fprintf(out->f, ", cut: %s", cut_name(dist_cut(d, at->chosen_rank)));
    fputc('\n', out->f);
}

static void sweep_print_text(struct sweep_out *out, const struct cli_opts *o, size_t index,
                             const char *name, const struct dist *d, const struct sweep_at *at)
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
    char chain[200], where[64] = "";
    sweep_chain_words(&d->params.chain, chain, sizeof chain);
    if (at)
        snprintf(where, sizeof where, "position %zu of %zu: ", at->i + 1, at->src->n);
    fprintf(out->f, "%s=== %s%s%s ===\n", index ? "\n" : "", where,
            sweep_escape(out, name, strlen(name), 0), chain);
    if (at)
        sweep_text_position(out, d, at);
    fprintf(out->f, "Entropy: %.3f bits (perplexity %.3f, kept %zu/%zu", d->entropy_bits,
            d->perplexity, d->kept, v->n);
    sweep_text_extras(out, d);
    fputs(")\n", out->f);
    fprintf(out->f, "%-*s  %8s%s\n", (int)width, "token", "prob", o->samples ? "   sampled" : "");
    for (size_t r = 0; r < rows; r++)
        sweep_text_row(out, d, o, r, width, at);
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
 * to min_keep, the chain, the parameters of the samplers that need history, DRY's breakers
 * (the line is left open for a sequence's columns). */
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
}

/* The header's later columns, then a sequence's (extra, may be NULL). */
static void sweep_csv_header_tail(FILE *f, const char *extra)
{
    for (int i = PARAM_MIN_P + 1; i < PARAM_COUNT; i++)
        fprintf(f, "%s,%s", i == PARAM_AFTER_SAMPLERS ? ",samplers" : "",
                param_spec((enum param_id)i)->name);
    fprintf(f, ",dry_sequence_breakers%s\n", extra ? extra : "");
}

static void sweep_print_csv(struct sweep_out *out, const struct cli_opts *o, size_t index,
                            const char *name, const struct dist *d, const struct sweep_at *at)
{
    const struct vocab *v = d->vocab;
    size_t rows = sweep_rows(o->top_given ? o->top : 0, v->n);
    if (index == 0) {
        fputs("setting,temperature,top_k,top_p,min_p,order,rank,token,logit,prob,sampled",
              out->f);
        sweep_csv_header_tail(out->f, at ? ",position" : NULL);
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
        if (at)
            fprintf(out->f, ",%zu", at->i + 1);
        fputc('\n', out->f);
    }
}

/* A sequence's summary columns: position,chosen_token,chosen_prob,known_mass (the last three
 * empty when not known). */
static void sweep_summary_position(struct sweep_out *out, const struct dist *d,
                                   const struct sweep_at *at)
{
    fprintf(out->f, ",%zu,", at->i + 1);
    if (at->chosen_rank != SOURCE_NONE) {
        sweep_csv_field(out->f, sweep_token(out, d->vocab, at->chosen_rank, 0));
        fputc(',', out->f);
        sweep_csv_number(out->f, dist_prob_rank(d, at->chosen_rank));
    } else {
        fputc(',', out->f);
    }
    fputc(',', out->f);
    if (!isnan(at->step.known_mass))
        sweep_csv_number(out->f, at->step.known_mass);
}

static void sweep_print_summary(struct sweep_out *out, const struct cli_opts *o,
                                size_t index, const char *name, const struct dist *d,
                                const struct sweep_at *at)
{
    (void)o;
    if (index == 0) {
        fputs("setting,temperature,top_k,top_p,min_p,order,kept,entropy_bits,perplexity,"
              "top_token,top_prob", out->f);
        sweep_csv_header_tail(out->f, at ? ",position,chosen_token,chosen_prob,known_mass"
                                         : NULL);
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
    if (at)
        sweep_summary_position(out, d, at);
    fputc('\n', out->f);
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

typedef void sweep_print_fn(struct sweep_out *, const struct cli_opts *, size_t, const char *,
                            const struct dist *, const struct sweep_at *);

/* One run: the state a position's settings share. */
struct sweep_run {
    const struct cli_opts *o;
    const struct sweep_plan *plan;
    sweep_print_fn *print;
    struct sweep_out out;
    struct dist d;
    size_t index; /* blocks or row groups printed so far */
    int status;
    /* what penalties, DRY and mirostat read: --history for one vocabulary, a sequence's
     * chosen tokens before each position (buffers for src->n of them), or nothing */
    const struct history *h;
    struct history pos_h;
    uint32_t *h_tokens;
    const char **h_text;
    size_t *h_len;
};

/* Every setting of the plan on d's vocabulary; false when the run must stop. */
static bool sweep_settings(struct sweep_run *run, const struct sweep_at *at)
{
    const struct cli_opts *o = run->o;
    struct ls_error err = {{0}};
    for (size_t i = 0; i < run->plan->n && !ferror(run->out.f) && !run->out.failed; i++) {
        char buf[256];
        struct params p;
        const char *name = sweep_setting(run->plan, o, i, &p, buf, sizeof buf, &err);
        if (err.msg[0]) {
            opt_print_error(err.msg);
            run->status = 2;
            return false;
        }
        if (params_check(&p, &err)) {
            fprintf(stderr, "logitscope: setting \"%s\": %s\n",
                    sweep_escape(&run->out, name, strlen(name), 0), err.msg);
            run->status = 2;
            return false;
        }
        if (engine_apply_history(&run->d, &p, run->h)) {
            run->out.failed = true;
            return false;
        }
        /* penalties and DRY rank the tokens anew: the chosen one's rank is then d's own */
        struct sweep_at here;
        const struct sweep_at *shown = at;
        if (at && at->step.chosen != SOURCE_NONE && run->d.vocab != run->d.source) {
            here = *at;
            here.chosen_rank = source_rank_of(run->d.vocab, at->step.chosen);
            shown = &here;
        }
        /* a summary row shows no sampled column: its draws would be work thrown away */
        if (o->format != FORMAT_SUMMARY && o->samples &&
            engine_draw(&run->d, o->samples, o->seed)) {
            run->out.failed = true;
            return false;
        }
        run->print(&run->out, o, run->index++, name, &run->d, shown);
    }
    return !ferror(run->out.f) && !run->out.failed;
}

/* Position i of a sequence: its vocabulary bound to the run's dist, then every setting. */
static bool sweep_position(struct sweep_run *run, const struct source *src, size_t i)
{
    struct ls_error err = {{0}};
    const struct vocab *v = source_vocab(src, i, &err);
    if (!v || dist_bind(&run->d, v) != 0) {
        opt_print_error(v ? "out of memory" : err.msg);
        run->status = 1;
        return false;
    }
    struct sweep_at at = {.src = src, .i = i};
    if (run->h_tokens) {
        run->pos_h = source_history(src, i, v, run->h_tokens, run->h_text, run->h_len);
        run->h = &run->pos_h;
    }
    source_step(src, i, &at.step);
    at.chosen_rank = at.step.chosen == SOURCE_NONE ? SOURCE_NONE : source_rank_of(v, at.step.chosen);
    return sweep_settings(run, &at);
}

/* The positions --position names, in its order (all of them when not given). */
static void sweep_positions(struct sweep_run *run, const struct source *src)
{
    const struct opt_positions *ps = &run->o->positions;
    bool listed = ps->given && !ps->all;
    size_t ranges = listed ? ps->n : 1;
    for (size_t r = 0; r < ranges; r++) {
        size_t lo = listed ? ps->lo[r] - 1 : 0, hi = listed ? ps->hi[r] - 1 : src->n - 1;
        for (size_t i = lo; i <= hi; i++)
            if (!sweep_position(run, src, i))
                return;
    }
}

/* Every setting of the plan on src (every position of a sequence). h: the history of a
 * single vocabulary, or NULL; a sequence's is its own chosen tokens. */
static int sweep_run(const struct cli_opts *o, const struct sweep_plan *plan,
                     const struct source *src, const struct history *h)
{
    static sweep_print_fn *const print[] = {
        [FORMAT_TEXT] = sweep_print_text,
        [FORMAT_CSV] = sweep_print_csv,
        [FORMAT_SUMMARY] = sweep_print_summary,
    };
    struct sweep_run run = {.o = o, .plan = plan, .print = print[o->format],
                            .out = {.f = stdout}, .h = h};
    struct ls_error err = {{0}};
    const struct vocab *first = source_vocab(src, 0, &err);
    if (!first) {
        opt_print_error(err.msg);
        return 1;
    }
    bool pos_history = src->sequence && sweep_plan_reads_history(plan, o);
    if (pos_history) {
        run.h_tokens = malloc(src->n * sizeof *run.h_tokens);
        run.h_text = malloc(src->n * sizeof *run.h_text);
        run.h_len = malloc(src->n * sizeof *run.h_len);
    }
    if (dist_init_cap(&run.d, first, src->max_vocab) ||
        (pos_history && (!run.h_tokens || !run.h_text || !run.h_len))) {
        fputs("logitscope: out of memory\n", stderr);
        run.status = 1;
    } else if (src->sequence) {
        sweep_positions(&run, src);
    } else {
        sweep_settings(&run, NULL);
    }
    if (run.out.failed) {
        fputs("logitscope: out of memory\n", stderr);
        run.status = 1;
    }
    int written = sweep_finish(run.out.f);
    dist_free(&run.d);
    free(run.h_tokens);
    free((void *)run.h_text);
    free(run.h_len);
    free(run.out.esc);
    return run.status ? run.status : written;
}

/* --history's words could not be read: the message says which option. */
static void sweep_history_error(struct ls_error *err)
{
    char why[sizeof err->msg];
    memcpy(why, err->msg, sizeof why);
    ls_error_set(err, "--history: %.400s", why);
}

/* The next word after --prompt as the vocabulary. */
static int sweep_lm_and_run(const struct cli_opts *o, struct ls_error *err)
{
    struct sweep_plan plan = {.n = 0};
    struct lm_source lm;
    struct source src;
    int status = 2;
    if (lm_source_open(&lm, o, err) != 0)
        return 2;
    int ready = writer_prepare(&lm.writer, err);
    const struct vocab *v = ready ? NULL : writer_vocab(&lm.writer, err);
    if (ready)
        status = ready == WRITER_NO_MEMORY ? 1 : 2;
    else if (v && sweep_plan_build(&plan, o, false, err) == 0) {
        /* what penalties and DRY look back at: the prompt's words (or --history) */
        struct history_text given = {.h = {.n = 0}};
        struct history h = {.mirostat_mu = NAN};
        h.tokens = writer_history(&lm.writer, &h.n);
        if (o->history && history_parse(&given, v, o->history, err) < 0) {
            sweep_history_error(err);
        } else if (sweep_history_unused(&plan, o, err) == 0) {
            source_of_vocab(&src, v);
            status = sweep_run(o, &plan, &src, o->history ? &given.h : &h);
        }
        history_text_free(&given);
    }
    sweep_plan_free(&plan);
    lm_source_close(&lm);
    return status;
}

/* Loads the data and the plan, then runs; the status as sweep_main returns it. */
static int sweep_load_and_run(struct cli_opts *o, struct ls_error *err)
{
    struct sweep_plan plan = {.n = 0};
    struct input in;
    struct source src;
    char *bundled = NULL;
    const char *file = o->file;
    int status = 2;
    if (opt_lm_mode(o))
        return sweep_lm_and_run(o, err);
    if (!file)
        file = bundled = sweep_data("decisions.tsv", err);
    if (file && input_load(&in, file, o, err) == 0) {
        if (in.is_seq) {
            source_of_seq(&src, &in.seq);
            /* no setting options: one summary row per position at T = 1 */
            if (!opt_any_param(o) && !o->settings_path && !o->format_given)
                o->format = FORMAT_SUMMARY;
        } else {
            source_of_vocab(&src, &in.vocab);
        }
        struct history_text h = {.h = {.n = 0}};
        if (o->history && in.is_seq)
            ls_error_set(err, "--history: %s is a model's output, whose history at each "
                              "position is the tokens it chose", in.name);
        else if (o->history && history_parse(&h, &in.vocab, o->history, err) < 0)
            sweep_history_error(err);
        else if (sweep_plan_build(&plan, o, in.is_seq, err) == 0 &&
                 sweep_history_unused(&plan, o, err) == 0)
            status = sweep_run(o, &plan, &src, o->history ? &h.h : NULL);
        history_text_free(&h);
        sweep_plan_free(&plan);
        input_free(&in);
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
    if (status != 0 && err.msg[0])
        opt_print_error(err.msg);
    opt_free(&o);
    return status;
}
