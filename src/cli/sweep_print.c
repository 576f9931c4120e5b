/* sweep_print.c: how `logitscope sweep` writes a setting's distribution: a text block with
 * tokens escaped and cut to width, CSV rows (RFC 4180), or one summary row. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/engine.h"
#include "logitscope/text.h"
#include "logitscope/vocab.h"
#include "source.h"
#include "sweep_internal.h"

#define SWEEP_DEFAULT_TOP 20
#define SWEEP_TEXT_COLS 60 /* a position's text in its block's header: this many last columns */
#define SWEEP_TOKEN_COLS_MAX 40 /* wider tokens are cut short, with an ellipsis */
#define SWEEP_TOKEN_PREFIX 4096 /* bytes of a token escaped for a text row: enough for 40 columns */
#define SWEEP_ELLIPSIS "\xe2\x80\xa6" /* text rows are UTF-8 anyway: spaces show as U+2423 */

const char *sweep_escape(struct sweep_out *out, const char *s, size_t len,
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

void sweep_print_text(struct sweep_out *out, const struct cli_opts *o, size_t index,
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

void sweep_print_csv(struct sweep_out *out, const struct cli_opts *o, size_t index,
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

void sweep_print_summary(struct sweep_out *out, const struct cli_opts *o,
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
