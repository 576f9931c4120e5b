/* hist_cols.c: the histogram's geometry (its columns, the bars' scale, where a probability
 * falls on them) and its header row, which names those columns. */
#include "hist_cols.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define HIST_TOKEN_MIN 5  /* "token" */
#define HIST_TOKEN_MAX 32 /* wider terminals still keep most room for the bars */
#define HIST_TOKEN_CUT_MIN 3 /* a token cut to fit keeps a character and its ellipsis */
#define HIST_TOKEN_SHARE_WIDE 3 /* the token column takes at most 1/3 of the row ... */
#define HIST_TOKEN_SHARE_NARROW 4 /* ... or 1/4 on narrow terminals */
#define HIST_NUM_W 7 /* a logit ("-123.45") and the title "logit/T" */
#define HIST_BAR_MIN 4
#define HIST_BAR_MAX 60 /* wide terminals: the numbers stay near their tokens */
#define HIST_BAR_KEEP_WIDE 16 /* an optional column is left out before the bars get shorter */
#define HIST_BAR_KEEP_NARROW 8
#define HIST_WIDTH_RANKS 128 /* the token column fits the top ranks, visible or not */
#define HIST_ZOOM_BELOW 0.1  /* bars zoom when the top row is under 10% */
#define HIST_ZOOM_DECADES 15 /* below that a bar is a dot anyway */
#define HIST_LOG_DECADES_MIN 2  /* the log scale spans at least this many powers of ten */
#define HIST_LOG_DECADES_MAX 12 /* ... and at most this many: a tinier token gets an eighth */

const char *hist_token(const struct model *m, size_t rank, char *buf, size_t *len)
{
    return vocab_token(m->vocab, m->vocab->order[rank], buf, len);
}

/* The widest of the top ranks, whatever is on screen: the column must not jump while
 * scrolling (a longer token further down is cut with an ellipsis). */
static int hist_token_w(const struct ui *u, const struct model *m)
{
    int tok_w = HIST_TOKEN_MIN;
    size_t n = m->vocab->n < HIST_WIDTH_RANKS ? m->vocab->n : HIST_WIDTH_RANKS;
    for (size_t r = 0; r < n; r++) {
        char buf[24];
        size_t len;
        const char *t = hist_token(m, r, buf, &len);
        int w = ui_token_width(u, t, len, true);
        tok_w = w > tok_w ? w : tok_w;
    }
    return tok_w;
}

double hist_ghost(const struct model *m, size_t rank)
{
    int stage = dist_cut_stage(&m->dist, rank);
    double g = stage >= 0 ? stage_input_prob(&m->inputs, stage, rank) : 0.0;
    return g > 0 ? g : 0.0;
}

/* The top of the bars: the most probable kept token, the draws that landed on it (A's too
 * when comparing), and the ghost of rank 0 when a stage cut it. None of them moves while
 * scrolling. */
static double hist_top(const struct model *m)
{
    const struct dist *ds[2] = {&m->dist, m->compare ? &m->dist_a : NULL};
    double top = m->compare ? 0.0 : hist_ghost(m, 0);
    for (int i = 0; i < 2 && ds[i]; i++) {
        const struct dist *d = ds[i];
        double p = d->top_prob;
        double f = d->samples ? (double)dist_count_rank(d, d->top_rank) / (double)d->samples
                              : 0.0;
        top = p > top ? p : top;
        top = f > top ? f : top;
    }
    return top;
}

/* A full bar's probability: 1 (the absolute scale), unless the top is under 10%; then the
 * smallest of 10%, 5%, 2%, 1%, 0.5%, ... that holds it. */
static double hist_scale(const struct model *m)
{
    static const double mant[] = {10.0, 5.0, 2.0}; /* percent, then each decade down */
    double top = hist_top(m);
    if (top >= HIST_ZOOM_BELOW)
        return 1.0;
    const int steps = (int)(sizeof mant / sizeof mant[0]);
    double scale = HIST_ZOOM_BELOW, div = 100.0;
    for (int i = 1; i < steps * HIST_ZOOM_DECADES; i++) {
        if (i % steps == 0)
            div *= 10.0;
        double next = mant[i % steps] / div; /* integers over a power of ten: correctly rounded */
        if (next < top)
            break;
        scale = next;
    }
    return scale;
}

/* The smallest probability a kept token has (the last kept rank of each branch). */
static double hist_least_kept(const struct dist *d)
{
    double p = dist_prob_rank(d, d->br[0].hi - 1);
    if (d->n_branch == 2) {
        double q = dist_prob_rank(d, d->br[1].hi - 1);
        p = q < p ? q : p;
    }
    return p;
}

/* The log scale's floor: a power of ten at least half a decade under the least probability
 * a bar shows (the last kept token, and the ghost of the last finite rank when a stage cut
 * it), between HIST_LOG_DECADES_MIN and _MAX decades under the top. */
static int hist_floor_exp(const struct model *m, double scale)
{
    double least = hist_least_kept(&m->dist);
    if (m->compare) {
        double a = hist_least_kept(&m->dist_a);
        least = a < least ? a : least;
    } else if (m->vocab->n_finite > 0) {
        double g = hist_ghost(m, m->vocab->n_finite - 1);
        least = g > 0 && g < least ? g : least;
    }
    int top = (int)floor(log10(scale) + 1e-9);
    int e = least > 0 ? (int)floor(log10(least / 3)) : top - HIST_LOG_DECADES_MAX;
    e = e > top - HIST_LOG_DECADES_MIN ? top - HIST_LOG_DECADES_MIN : e;
    return e < top - HIST_LOG_DECADES_MAX ? top - HIST_LOG_DECADES_MAX : e;
}

double hist_pos8(const struct hist_cols *c, double p)
{
    double full = (double)c->bar_w * 8;
    if (!c->log)
        return p / c->scale * full;
    if (!(p > 0))
        return -INFINITY;
    double lo = (double)c->floor_exp;
    return (log10(p) - lo) / (log10(c->scale) - lo) * full;
}

long hist_eighths(const struct hist_cols *c, double p)
{
    if (!(p > 0))
        return 0;
    double x = hist_pos8(c, p), full = (double)c->bar_w * 8;
    x = x > full ? full : x;
    long e = x > 0 ? lround(x) : 0;
    return e < 1 ? 1 : e;
}

/* The threshold lines: each stage with a bar in the probabilities it was given, at its cell
 * (none past the scale's ends, none when comparing: A and B have a bar each). */
static void hist_lines(const struct model *m, struct hist_cols *c)
{
    c->n_lines = 0;
    if (c->ab)
        return;
    for (int i = 0; i < m->params.chain.n; i++) {
        double level = stage_input_threshold(&m->inputs, i);
        if (!(level > 0))
            continue;
        double pos = hist_pos8(c, level), full = (double)c->bar_w * 8;
        if (!(pos >= 0) || pos > full)
            continue;
        int cell = (int)(pos / 8);
        c->lines[c->n_lines++] = (struct hist_line){i, cell < c->bar_w ? cell : c->bar_w - 1};
    }
}

/* The running total's stage: top-p's, while it is on and known. */
static int hist_cum_stage(const struct model *m)
{
    int i = dist_stage_of(&m->dist, SAMPLER_TOP_P);
    if (i < 0 || sampler_is_off(&m->params, SAMPLER_TOP_P))
        return -1;
    return isnan(stage_input_cum(&m->inputs, i, m->inputs.in[i].lo)) ? -1 : i;
}

/* An optional column of `w` when the bars keep `keep` cells with it. */
static int hist_optional(int room, int *fixed, int w, int keep)
{
    if (room - *fixed - (w + 1) < keep)
        return 0;
    *fixed += w + 1;
    return w;
}

void hist_columns(const struct ui *u, struct rect r, const struct model *m, bool wide,
                  bool titled, struct hist_cols *c)
{
    memset(c, 0, sizeof *c);
    int tok_w = hist_token_w(u, m);
    c->scale = hist_scale(m);
    c->log = m->log_bars;
    c->floor_exp = hist_floor_exp(m, c->scale);
    int cap = r.w / (wide ? HIST_TOKEN_SHARE_WIDE : HIST_TOKEN_SHARE_NARROW);
    cap = cap > HIST_TOKEN_MAX ? HIST_TOKEN_MAX : cap;
    tok_w = tok_w > cap ? cap : tok_w;
    tok_w = tok_w < HIST_TOKEN_CUT_MIN ? HIST_TOKEN_CUT_MIN : tok_w;
    c->decimals = wide ? 2 : 1;
    c->pct_w = HIST_PCT_W(c->decimals);
    c->ab = m->compare;
    c->samp_w = wide && m->dist.samples > 0 && !c->ab ? c->pct_w : 0;
    c->tok_x = r.x + 1;
    int fixed = 1 + 1 + 1 + c->pct_w + (c->samp_w ? c->samp_w + 1 : 0) + 1;
    if (c->ab) /* two bars of half the room, and A's percentage */
        fixed += 1 + c->pct_w + 1;
    else if (titled) { /* in order of priority, while the bars keep their room */
        int keep = wide ? HIST_BAR_KEEP_WIDE : HIST_BAR_KEEP_NARROW, room = r.w - tok_w;
        c->cum_w = model_cum_shown(m) ? hist_optional(room, &fixed, c->pct_w, keep) : 0;
        c->logit_w = m->logits ? hist_optional(room, &fixed, HIST_NUM_W, keep) : 0;
        c->scaled_w = c->logit_w ? hist_optional(room, &fixed, HIST_NUM_W, keep) : 0;
    }
    c->bar_w = c->ab ? (r.w - fixed - tok_w) / 2 : r.w - fixed - tok_w;
    if (c->bar_w < HIST_BAR_MIN) {
        tok_w -= HIST_BAR_MIN - c->bar_w;
        c->bar_w = HIST_BAR_MIN;
    }
    c->bar_w = c->bar_w > HIST_BAR_MAX ? HIST_BAR_MAX : c->bar_w;
    c->tok_w = tok_w < 1 ? 1 : tok_w;
    c->bar_a_x = c->tok_x + c->tok_w + 1;
    c->bar_x = c->ab ? c->bar_a_x + c->bar_w + 1 : c->bar_a_x;
    c->pct_a_x = c->bar_x + c->bar_w + 1;
    c->pct_x = c->ab ? c->pct_a_x + c->pct_w + 1 : c->pct_a_x;
    c->samp_x = c->pct_x + c->pct_w + 1;
    int x = c->samp_w ? c->samp_x + c->samp_w : c->pct_x + c->pct_w;
    c->cum_x = x + 1;
    x += c->cum_w ? c->cum_w + 1 : 0;
    c->logit_x = x + 1;
    x += c->logit_w ? c->logit_w + 1 : 0;
    c->scaled_x = x + 1;
    x += c->scaled_w ? c->scaled_w + 1 : 0;
    c->end = x;
    c->cum_stage = c->cum_w ? hist_cum_stage(m) : -1;
    hist_lines(m, c);
}

const char *hist_fit(const char *const *forms, int n, int w)
{
    for (int i = 0; i < n; i++)
        if (forms[i] && ui_width(forms[i]) <= w)
            return forms[i];
    return "";
}

/* The bars' scale in words: "bars 0–5%" when they zoom, "bars log 1e-6%–100%" on a log
 * scale, "" at 0..100%. */
static void hist_scale_text(const struct ui *u, const struct hist_cols *c, char *buf,
                            size_t cap)
{
    const char *dash = u->g->ascii ? "-" : "\u2013";
    if (!c->log) {
        if (c->scale >= 1.0)
            buf[0] = '\0';
        else
            snprintf(buf, cap, "bars 0%s%g%%", dash, c->scale * 100.0);
        return;
    }
    char lo[16];
    int e = c->floor_exp + 2; /* the floor in percent */
    if (e >= -3)
        snprintf(lo, sizeof lo, "%g", pow(10.0, e));
    else
        snprintf(lo, sizeof lo, "1e%d", e);
    snprintf(buf, cap, "bars log %s%%%s%g%%", lo, dash, c->scale * 100.0);
}

/* The threshold lines' names for the header, left to right: "epsilon min-p", or the short
 * names ("eps min-p"). */
static void hist_line_names(const struct model *m, const struct hist_cols *c, bool short_names,
                            char *buf, size_t cap)
{
    int order[SAMPLER_COUNT];
    for (int i = 0; i < c->n_lines; i++) { /* by cell, as they stand */
        int j = i;
        for (; j > 0 && c->lines[order[j - 1]].cell > c->lines[i].cell; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < c->n_lines && len < cap; i++) {
        enum sampler_id s = (enum sampler_id)m->params.chain.stage[c->lines[order[i]].stage];
        const struct sampler_spec *ss = sampler_spec(s);
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? " " : "",
                                short_names ? ss->short_name : ss->label);
    }
}

/* The bars' title and what their glyphs mean, as much as fits in whole fields: "probability,
 * bars 0–5%  │ sampled (N=10000)  ╎ min-p". */
static void hist_bar_title(const struct ui *u, int y, const struct hist_cols *c,
                           const struct model *m, bool wide)
{
    attr_t h = ui_attr(u, ROLE_HEADER);
    int end = c->bar_x + c->bar_w;
    char scale[48], title[64], full[64], n_only[32], names[96], short_names[96];
    hist_scale_text(u, c, scale, sizeof scale);
    const char *name = wide ? "probability" : "p";
    if (scale[0])
        snprintf(title, sizeof title, "%s, %s", name, scale);
    else
        snprintf(title, sizeof title, "%s", name);
    bool samples = m->dist.samples > 0;
    snprintf(full, sizeof full, wide ? " sampled (N=%zu)" : " N=%zu", m->dist.samples);
    snprintf(n_only, sizeof n_only, " N=%zu", m->dist.samples);
    hist_line_names(m, c, false, names, sizeof names);
    hist_line_names(m, c, true, short_names, sizeof short_names);
    const char *pad = wide ? "  " : " ";
    /* the forms, richest first: title, the sample glyph's words, the lines' names */
    struct {
        const char *title, *sample, *lines;
    } forms[] = {
        {title, full, names},     {title, full, short_names}, {title, n_only, short_names},
        {title, full, NULL},      {title, n_only, NULL},      {title, "", NULL},
        {scale[0] ? scale : name, "", NULL}, {scale[0] ? scale : name, NULL, NULL},
        {name, NULL, NULL},
    };
    int sw = ui_width(u->g->sample), lw = ui_width(u->g->threshold);
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        bool with_sample = samples && forms[i].sample;
        bool with_lines = forms[i].lines && forms[i].lines[0];
        int w = ui_width(forms[i].title);
        if (with_sample)
            w += ui_width(pad) + sw + ui_width(forms[i].sample);
        if (with_lines)
            w += 2 + lw + 1 + ui_width(forms[i].lines);
        if (w > c->bar_w && i + 1 < sizeof forms / sizeof forms[0])
            continue;
        if (w > c->bar_w)
            return;
        int x = c->bar_x + ui_text(u, y, c->bar_x, end - c->bar_x, forms[i].title, h);
        if (with_sample) {
            x += ui_text(u, y, x, end - x, pad, h);
            x += ui_text(u, y, x, end - x, u->g->sample, ui_attr(u, ROLE_SAMPLE));
            x += ui_text(u, y, x, end - x, forms[i].sample, h);
        }
        if (with_lines) {
            x += ui_text(u, y, x, end - x, "  ", h);
            x += ui_text(u, y, x, end - x, u->g->threshold, ui_attr(u, ROLE_THRESHOLD));
            x += ui_text(u, y, x, end - x, " ", h);
            ui_text(u, y, x, end - x, forms[i].lines, h);
        }
        return;
    }
}

static void hist_header_ab(const struct ui *u, struct rect r, const struct hist_cols *c,
                           const struct model *m)
{
    attr_t h = ui_attr(u, ROLE_HEADER);
    int end = r.x + r.w;
    char scale[48], title[64];
    ui_text(u, r.y, c->tok_x, c->tok_w, "token", h);
    pin_draw(u, r.y, c->bar_a_x, c->bar_w, &m->pin, ui_attr(u, ROLE_BAR_A));
    hist_scale_text(u, c, scale, sizeof scale);
    char long_title[80], short_title[80];
    snprintf(long_title, sizeof long_title, "B (the sliders)%s%s", scale[0] ? ", " : "", scale);
    snprintf(short_title, sizeof short_title, "B%s%s", scale[0] ? ", " : "", scale);
    const char *forms[] = {long_title, short_title, "B"}; /* keep the scale, drop words */
    snprintf(title, sizeof title, "%s", hist_fit(forms, 3, c->bar_w));
    ui_text(u, r.y, c->bar_x, c->bar_w, title, h);
    ui_printf(u, r.y, c->pct_a_x, end - c->pct_a_x, ui_attr(u, ROLE_BAR_A), "%*s", c->pct_w, "A");
    ui_printf(u, r.y, c->pct_x, end - c->pct_x, h, "%*s", c->pct_w, "B");
}

void hist_header(const struct ui *u, struct rect r, const struct hist_cols *c,
                 const struct model *m, bool wide)
{
    if (c->ab) {
        hist_header_ab(u, r, c, m);
        return;
    }
    attr_t h = ui_attr(u, ROLE_HEADER);
    int end = r.x + r.w;
    ui_text(u, r.y, c->tok_x, c->tok_w, "token", h);
    hist_bar_title(u, r.y, c, m, wide);
    ui_printf(u, r.y, c->pct_x, end - c->pct_x, h, "%*s", c->pct_w, "exact");
    if (c->samp_w)
        ui_printf(u, r.y, c->samp_x, end - c->samp_x, h, "%*s", c->samp_w, "sampled");
    if (c->cum_w)
        ui_printf(u, r.y, c->cum_x, end - c->cum_x, h, "%*s", c->cum_w,
                  c->cum_stage >= 0 ? "cum@p" : "cum");
    if (c->logit_w)
        ui_printf(u, r.y, c->logit_x, end - c->logit_x, h, "%*s", c->logit_w, "logit");
    if (c->scaled_w)
        ui_printf(u, r.y, c->scaled_x, end - c->scaled_x, h, "%*s", c->scaled_w, "logit/T");
}
