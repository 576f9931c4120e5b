/* hist.c: the histogram. One row per token in rank order (= descending probability): escaped
 * token, an eighth-block bar on a 0..100% scale (watching the top bar fill as T drops is the
 * lesson; only when even the top token is under 10% do the bars zoom, and the header says
 * so), or on a log scale (b), with the sampled frequency ticked beside or on it, then the
 * numbers: exact and sampled percentages, the running total (m, or with top-p on), the logit
 * and logit/T (z). Cut tokens stay listed, dimmed, saying what cut them, with a ghost of what
 * they had in the distribution their stage was given; mark rows show where ranges end and
 * threshold lines where a threshold sampler's bar falls. Every number comes whole from the
 * engine (numfmt.h), and only visible rows are touched, so the cost does not depend on V. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "numfmt.h"
#include "widgets.h"

#define HIST_TOKEN_MIN 5  /* "token" */
#define HIST_TOKEN_MAX 32 /* wider terminals still keep most room for the bars */
#define HIST_TOKEN_CUT_MIN 3 /* a token cut to fit keeps a character and its ellipsis */
#define HIST_TOKEN_SHARE_WIDE 3 /* the token column takes at most 1/3 of the row ... */
#define HIST_TOKEN_SHARE_NARROW 4 /* ... or 1/4 on narrow terminals */
#define HIST_PCT_W(decimals) ((decimals) + 5) /* "100.00%": 3 digits, a point, decimals, % */
#define HIST_NUM_W 7 /* a logit ("-123.45") and the title "logit/T" */
#define HIST_NUM_DECIMALS 2
#define HIST_BAR_MIN 4
#define HIST_BAR_MAX 60 /* wide terminals: the numbers stay near their tokens */
#define HIST_BAR_KEEP_WIDE 16 /* an optional column is left out before the bars get shorter */
#define HIST_BAR_KEEP_NARROW 8
#define HIST_ROWS_MAX 1024 /* taller terminals leave the rest blank */
#define HIST_WIDTH_RANKS 128 /* the token column fits the top ranks, visible or not */
#define HIST_ZOOM_BELOW 0.1  /* bars zoom when the top row is under 10% */
#define HIST_ZOOM_DECADES 15 /* below that a bar is a dot anyway */
#define HIST_LOG_DECADES_MIN 2  /* the log scale spans at least this many powers of ten */
#define HIST_LOG_DECADES_MAX 12 /* ... and at most this many: a tinier token gets an eighth */
#define HIST_MARK_RULE_W 12  /* a mark row's dashes reach this far into the bars */
#define HIST_LEGEND_MAX 6    /* lines of the legend under the rows, when rows are spare */

/* A threshold sampler's bar, at the cell of the bars where its probability falls. */
struct hist_line {
    int stage;
    int cell;
};

struct hist_cols {
    int tok_x, tok_w, bar_x, bar_w, pct_x, pct_w, samp_x, samp_w;
    int cum_x, cum_w, logit_x, logit_w, scaled_x, scaled_w;
    int end; /* one past the last column of numbers */
    int decimals;
    double scale;  /* the probability of a full bar: 1, or a zoom (hist_scale) */
    bool log;      /* b: bars from 10^floor_exp to scale on a log scale */
    int floor_exp;
    bool ab;       /* A/B compare: A's bar and percentage left of B's */
    int bar_a_x, pct_a_x;
    int cum_stage; /* the running total of what top-p was given (its stage), or -1: of the
                    * final distribution */
    struct hist_line lines[SAMPLER_COUNT];
    int n_lines;
};

void fmt_percent(char *buf, size_t cap, double p, int decimals)
{
    snprintf(buf, cap, "%.*f%%", decimals, p * 100.0);
}

/* The stages' boundaries: a mark between rank b - 1 and b where a stage of the chain cut its
 * range short, below it (bit s of the answer: sampler s ends the range there) or above it
 * (bit HIST_MARK_START + s: typical-p's band, XTC's cut when it fires). Taken from the same
 * ranges that dist_cut() names the cut rows by, so a row saying "cut: top-k" always has its
 * mark above. The rows follow the branch where XTC did not fire; XTC's fired branch adds its
 * own start. */
static unsigned hist_marks_at(const struct model *m, size_t b)
{
    const struct dist *d = &m->dist;
    unsigned marks = 0;
    if (b == 0 || b >= m->vocab->n_finite || m->compare)
        return 0; /* comparing, B's marks would sit between A's bars too */
    const struct dist_branch *br = &d->br[0];
    for (int i = 0; i < m->params.chain.n; i++) {
        size_t lo = i ? br->after[i - 1].lo : 0, hi = i ? br->after[i - 1].hi : m->vocab->n_finite;
        unsigned s = m->params.chain.stage[i];
        if (br->after[i].hi == b && b < hi)
            marks |= 1u << s;
        if (br->after[i].lo == b && b > lo)
            marks |= 1u << (HIST_MARK_START + s);
    }
    int x = dist_stage_of(d, SAMPLER_XTC);
    if (d->n_branch == 2 && x >= 0 && d->br[1].after[x].lo == b)
        marks |= 1u << (HIST_MARK_START + SAMPLER_XTC);
    return marks;
}

/* Token rows the histogram keeps however many marks there are (the rest are left out:
 * the cut rows still say which stage cut them). */
#define HIST_TOKENS_BEFORE_MARKS 8

size_t hist_plan(const struct model *m, int rows, struct hist_item *items)
{
    size_t n = m->vocab->n, r = m->scroll < n ? m->scroll : n - 1, i = 0;
    size_t cap = rows > 0 ? (size_t)rows : 0;
    if (r > 0 && cap >= 2)
        items[i++] = (struct hist_item){HIST_ABOVE, r, 0};
    size_t keep = n - r < HIST_TOKENS_BEFORE_MARKS ? n - r : HIST_TOKENS_BEFORE_MARKS;
    keep += n - r > keep; /* and the "... more" row */
    size_t budget = cap > i + keep ? cap - i - keep : 0; /* rows marks may take */
    bool marked = false; /* the mark before rank r is out already */
    while (i < cap && r < n) {
        unsigned marks = marked || budget == 0 ? 0 : hist_marks_at(m, r);
        bool last_row = i + 1 == cap, more_after = r + 1 < n;
        if (marks && !last_row && !(i + 2 == cap && more_after)) {
            items[i++] = (struct hist_item){HIST_MARK, r, marks};
            marked = true;
            budget--;
            continue;
        }
        if (last_row && more_after) {
            items[i++] = (struct hist_item){HIST_MORE, r, 0};
            break;
        }
        items[i++] = (struct hist_item){HIST_TOKEN, r, 0};
        r++;
        marked = false;
    }
    return i;
}

static const char *hist_token(const struct model *m, size_t rank, char *buf, size_t *len)
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

/* What a cut token had in the distribution the stage that cut it was given (0 when T = 0 or
 * a -inf logit removed it: it never had anything). */
static double hist_ghost(const struct model *m, size_t rank)
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

/* Where probability p falls on the bars, in eighth-cells from the left end (below 0 or past
 * the end when it falls outside the scale). */
static double hist_pos8(const struct hist_cols *c, double p)
{
    double full = (double)c->bar_w * 8;
    if (!c->log)
        return p / c->scale * full;
    if (!(p > 0))
        return -INFINITY;
    double lo = (double)c->floor_exp;
    return (log10(p) - lo) / (log10(c->scale) - lo) * full;
}

/* A bar's length in eighth-cells: p's place on the scale, within the bars; a positive p
 * at least one eighth (kept is never invisible). */
static long hist_eighths(const struct hist_cols *c, double p)
{
    if (!(p > 0))
        return 0;
    double x = hist_pos8(c, p), full = (double)c->bar_w * 8;
    x = x > full ? full : x;
    long e = x > 0 ? lround(x) : 0;
    return e < 1 ? 1 : e;
}

struct hist_tick hist_tick_place(long bar8, long samp8, bool above, int w)
{
    int end = (int)((bar8 + 7) / 8); /* cells [0, end) hold the bar's glyphs */
    int cell = samp8 > 0 ? (int)(samp8 / 8) : 0;
    if (w <= 0)
        return (struct hist_tick){-1, false};
    if (above) {
        cell = cell < end ? end : cell;
        cell = cell >= w ? w - 1 : cell;
    } else {
        cell = cell >= end ? end - 1 : cell;
        cell = cell < 0 ? 0 : cell;
    }
    return (struct hist_tick){cell, cell < end};
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

/* titled: the header row shows (without it the optional columns would be numbers nobody
 * can name, so they are left out). */
static void hist_columns(const struct ui *u, struct rect r, const struct model *m, bool wide,
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

/* The first of `forms` (n of them) that fits in w columns, or "". */
static const char *hist_fit(const char *const *forms, int n, int w)
{
    for (int i = 0; i < n; i++)
        if (forms[i] && ui_width(forms[i]) <= w)
            return forms[i];
    return "";
}

/* Fields joined by sep into buf, as many as fit in w columns; when some are left out, the
 * last field shown is followed by an ellipsis (which fits too). Returns the fields shown. */
static int hist_join(const struct ui *u, const char *const *fields, int n, const char *sep,
                     int w, char *buf, size_t cap)
{
    const char *more = u->g->ellipsis;
    for (int k = n; k >= 1; k--) {
        size_t len = 0;
        buf[0] = '\0';
        for (int i = 0; i < k && len < cap; i++)
            len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? sep : "", fields[i]);
        if (k < n && len < cap)
            len += (size_t)snprintf(buf + len, cap - len, " %s", more);
        if (len < cap && ui_width(buf) <= w)
            return k;
    }
    snprintf(buf, cap, "%s", ui_width(more) <= w ? more : "");
    return 0;
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

static void hist_header(const struct ui *u, struct rect r, const struct hist_cols *c,
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

/* What cut a token, in the first form that fits `w` columns: "cut: top-n-sigma" (the words
 * `sweep` prints), "cut: nsig", "nsig". */
static const char *hist_cut_text(enum cut cut, int w, char *buf, size_t cap)
{
    const char *label = cut_name(cut), *short_name = label;
    if (cut >= CUT_BY_SAMPLER && cut < CUT_GREEDY)
        short_name = sampler_spec((enum sampler_id)(cut - CUT_BY_SAMPLER))->short_name;
    char f[3][40];
    snprintf(f[0], sizeof f[0], "cut: %s", label);
    snprintf(f[1], sizeof f[1], "cut: %s", short_name);
    snprintf(f[2], sizeof f[2], "%s", short_name);
    const char *forms[] = {f[0], f[1], f[2]};
    const char *s = hist_fit(forms, 3, w);
    snprintf(buf, cap, "%s", s[0] ? s : f[2]);
    return buf;
}

/* The sampled tick on a bar of `bar8` eighths (hist_tick_place): beside it, or recolouring
 * one of its cells with the cell's own glyph. */
static void hist_tick(const struct ui *u, int y, const struct hist_cols *c, int bar_x,
                      long bar8, double p, double sampled)
{
    const struct glyphs *g = u->g;
    long s8 = sampled > 0 ? hist_eighths(c, sampled) : 0;
    struct hist_tick t = hist_tick_place(bar8, s8, sampled > p, c->bar_w);
    if (t.cell < 0)
        return;
    if (!t.in_bar) { /* past the scale's end (zoomed bars): a mark that says so */
        bool beyond = hist_pos8(c, sampled) > (double)c->bar_w * 8;
        ui_text(u, y, bar_x + t.cell, 1, beyond ? g->beyond : g->sample, ui_attr(u, ROLE_SAMPLE));
        return;
    }
    long full = bar8 / 8;
    const char *glyph = t.cell < full ? g->full : glyphs_partial(g, (int)(bar8 % 8));
    ui_text(u, y, bar_x + t.cell, 1, glyph, ui_attr(u, ROLE_SAMPLE_IN_BAR));
}

/* The bar at bar_x (B's, or A's in compare mode): full cells, then a partial one. Returns
 * its length in eighths. */
static long hist_bar(const struct ui *u, int y, const struct hist_cols *c, int bar_x,
                     enum theme_role role, double p)
{
    const struct glyphs *g = u->g;
    long eighths = hist_eighths(c, p);
    int full = (int)(eighths / 8), part = (int)(eighths % 8);
    attr_t bar = ui_attr(u, role);
    ui_repeat(u, y, bar_x, full, g->full, bar);
    if (part)
        ui_text(u, y, bar_x + full, 1, glyphs_partial(g, part), bar);
    return eighths;
}

/* The threshold lines in cells from `from` on (the cells a bar or ghost left free). */
static void hist_line_cells(const struct ui *u, int y, const struct hist_cols *c, int from)
{
    for (int i = 0; i < c->n_lines; i++)
        if (c->lines[i].cell >= from)
            ui_text(u, y, c->bar_x + c->lines[i].cell, 1, u->g->threshold,
                    ui_attr(u, ROLE_THRESHOLD));
}

/* A number right-aligned in its column (w 0: no column). */
static void hist_number(const struct ui *u, int y, int x, int w, const char *s, attr_t a)
{
    if (w > 0 && s[0])
        ui_printf(u, y, x, w, a, "%*s", w, s);
}

/* The columns after the exact and sampled ones: the running total (top-p's, only over what
 * top-p was given; else the final distribution's, only for kept tokens) and the logits. */
static void hist_more_numbers(const struct ui *u, int y, const struct hist_cols *c,
                              const struct model *m, size_t rank, attr_t a)
{
    char buf[24];
    if (c->cum_w) {
        double cum = NAN;
        if (c->cum_stage >= 0) {
            const struct stage_input *in = &m->inputs.in[c->cum_stage];
            if (rank >= in->lo && rank < in->hi)
                cum = stage_input_cum(&m->inputs, c->cum_stage, rank);
        } else if (dist_is_kept(&m->dist, rank)) {
            cum = dist_cum(&m->dist, rank);
        }
        if (!isnan(cum)) {
            numfmt_percent(buf, sizeof buf, cum, c->cum_w, c->decimals);
            hist_number(u, y, c->cum_x, c->cum_w, buf, a);
        }
    }
    if (c->logit_w) {
        numfmt_number(buf, sizeof buf, dist_logit(&m->dist, rank), c->logit_w, HIST_NUM_DECIMALS);
        hist_number(u, y, c->logit_x, c->logit_w, buf, a);
    }
    if (c->scaled_w) {
        numfmt_number(buf, sizeof buf, dist_scaled_logit(&m->dist, rank), c->scaled_w,
                      HIST_NUM_DECIMALS);
        hist_number(u, y, c->scaled_x, c->scaled_w, buf, a);
    }
}

/* A cut token: dim token, the ghost of what it had when its stage removed it, the threshold
 * lines past it, and where the exact and sampled numbers would be (both are 0), what cut it.
 * Putting the words over the numbers means a token that comes back overwrites them in place:
 * a filter's first and last steps stay under the byte budget. */
static void hist_cut_row(const struct ui *u, int y, const struct hist_cols *c,
                         const struct model *m, size_t rank, const char *tok, size_t len,
                         enum cut cut)
{
    attr_t dim = ui_attr(u, ROLE_CUT);
    /* the blanks between the token and its ghost in their attributes: no colour change
     * between them on the wire (elsewhere the blanks stay plain, so that numbers or a bar
     * that come back need no erasing) */
    int end = c->samp_w ? c->samp_x + c->samp_w : c->pct_x + c->pct_w;
    ui_repeat(u, y, c->tok_x, c->bar_x - c->tok_x, " ", dim);
    ui_token(u, y, c->tok_x, c->tok_w, tok, len, true, dim);
    double ghost = hist_ghost(m, rank);
    int cells = 0;
    if (ghost > 0) {
        cells = (int)(hist_eighths(c, ghost) / 8); /* whole cells, never past its bar */
        cells = cells < 1 ? 1 : cells;
        ui_repeat(u, y, c->bar_x, cells, u->g->ghost, dim);
    }
    hist_line_cells(u, y, c, cells);
    /* the words end where the numbers would, and may reach back over the bars' blanks, never
     * over the ghost */
    int room = end - (c->bar_x + cells + 1);
    room = room < end - c->pct_x ? end - c->pct_x : room;
    char why[48];
    hist_cut_text(cut, room, why, sizeof why);
    int w = ui_width(why), x = end - w;
    x = x < c->bar_x ? c->bar_x : x;
    ui_text(u, y, x, end - x, why, dim);
    hist_more_numbers(u, y, c, m, rank, dim);
}

/* One side of a compare row: the bar and percentage of d at rank, or what cut it. */
static void hist_side(const struct ui *u, int y, const struct hist_cols *c, int bar_x,
                      int pct_x, const struct dist *d, size_t rank, enum theme_role role)
{
    enum cut cut = dist_cut(d, rank);
    if (cut) {
        char why[48];
        hist_cut_text(cut, c->bar_w, why, sizeof why);
        ui_text(u, y, bar_x, c->bar_w, why, ui_attr(u, ROLE_CUT));
        return;
    }
    double p = dist_prob_rank(d, rank);
    uint32_t count = dist_count_rank(d, rank);
    double f = d->samples ? (double)count / (double)d->samples : 0.0;
    long bar8 = hist_bar(u, y, c, bar_x, role, p);
    /* the sampled tick on B's bars only: A's never move, and a row that shifts under a new
     * mark row would send them again for nothing */
    if (count > 0 && role == ROLE_BAR)
        hist_tick(u, y, c, bar_x, bar8, p, f);
    char pct[16];
    numfmt_percent(pct, sizeof pct, p, c->pct_w, c->decimals);
    ui_printf(u, y, pct_x, c->pct_w, ui_attr(u, ROLE_LABEL), "%*s", c->pct_w, pct);
}

/* The token's name: lit when Space just drew it. */
static attr_t hist_token_attr(const struct ui *u, const struct model *m, size_t rank,
                              enum theme_role role)
{
    return ui_attr(u, m->drawn == rank ? ROLE_DRAWN : role);
}

/* Compare mode: the token, then A's side and B's side. The token is dim only when both cut
 * it: the side that cut it says so in its own column. */
static void hist_ab_row(const struct ui *u, int y, const struct hist_cols *c,
                        const struct model *m, size_t rank)
{
    char buf[24];
    size_t len;
    const char *t = hist_token(m, rank, buf, &len);
    bool cut = dist_cut(&m->dist, rank) != CUT_NONE && dist_cut(&m->dist_a, rank) != CUT_NONE;
    ui_token(u, y, c->tok_x, c->tok_w, t, len, true,
             hist_token_attr(u, m, rank, cut ? ROLE_CUT : ROLE_LABEL));
    hist_side(u, y, c, c->bar_a_x, c->pct_a_x, &m->dist_a, rank, ROLE_BAR_A);
    hist_side(u, y, c, c->bar_x, c->pct_x, &m->dist, rank, ROLE_BAR);
}

/* In the column before the tokens: the row Space just drew, else a sequence's chosen token. */
static void hist_row_mark(const struct ui *u, int y, const struct hist_cols *c,
                          const struct model *m, size_t rank)
{
    if (m->drawn == rank)
        ui_text(u, y, c->tok_x - 1, 1, u->g->drawn, ui_attr(u, ROLE_DRAWN));
    else if (model_is_sequence(m) && rank == m->seq.chosen_rank)
        ui_text(u, y, c->tok_x - 1, 1, u->g->chosen, ui_attr(u, ROLE_CHOSEN));
}

static void hist_token_row(const struct ui *u, int y, const struct hist_cols *c,
                           const struct model *m, size_t rank)
{
    hist_row_mark(u, y, c, m, rank);
    if (c->ab) {
        hist_ab_row(u, y, c, m, rank);
        return;
    }
    const struct dist *d = &m->dist;
    enum cut cut = dist_cut(d, rank);
    char buf[24], pct[16];
    size_t len;
    const char *t = hist_token(m, rank, buf, &len);
    if (cut) { /* never the drawn row: a draw lands on a kept token */
        hist_cut_row(u, y, c, m, rank, t, len, cut);
        return;
    }
    attr_t label = ui_attr(u, ROLE_LABEL);
    ui_token(u, y, c->tok_x, c->tok_w, t, len, true, hist_token_attr(u, m, rank, ROLE_LABEL));
    if (dist_xtc_removes(d, rank)) /* in the gap before the bar: XTC takes it when it fires */
        ui_text(u, y, c->bar_x - 1, 1, u->g->ascii ? "x" : "\u00d7", ui_attr(u, ROLE_CUT));
    double p = dist_prob_rank(d, rank);
    uint32_t count = dist_count_rank(d, rank);
    double f = d->samples ? (double)count / (double)d->samples : 0.0;
    long bar8 = hist_bar(u, y, c, c->bar_x, ROLE_BAR, p);
    hist_line_cells(u, y, c, (int)((bar8 + 7) / 8));
    if (count > 0)
        hist_tick(u, y, c, c->bar_x, bar8, p, f);
    /* plain, like the sampled column: fewer attribute changes on the wire per keystroke */
    numfmt_percent(pct, sizeof pct, p, c->pct_w, c->decimals);
    hist_number(u, y, c->pct_x, c->pct_w, pct, label);
    if (c->samp_w) {
        numfmt_percent(pct, sizeof pct, f, c->samp_w, c->decimals);
        hist_number(u, y, c->samp_x, c->samp_w, pct, label);
    }
    hist_more_numbers(u, y, c, m, rank, label);
}

/* A stage's field of a mark row: "top-p 0.90", "typical 0.90 ↓", "xtc 0.10 ↓ fires 50%",
 * and for the samplers whose bar is not their parameter, the bar: "min-p 0.05 (p ≥ 2.45%)". */
static void hist_mark_field(const struct ui *u, const struct model *m, unsigned s, bool start,
                            char *buf, size_t cap)
{
    const struct sampler_spec *ss = sampler_spec((enum sampler_id)s);
    char val[32];
    slider_value_text(m, ss->params[0], val, sizeof val);
    int n = snprintf(buf, cap, "%s %s%s", ss->label, val,
                     start ? (u->g->ascii ? " v" : " \u2193") : "");
    if (n < 0 || (size_t)n >= cap)
        return;
    if (start && s == SAMPLER_XTC)
        snprintf(buf + n, cap - (size_t)n, " fires %.0f%%",
                 100 * params_real(&m->params, PARAM_XTC_PROBABILITY));
    double bar = stage_input_threshold(&m->inputs, dist_stage_of(&m->dist, (enum sampler_id)s));
    if (!start && (s == SAMPLER_MIN_P || s == SAMPLER_ETA || s == SAMPLER_TOP_A) && bar > 0) {
        char pct[16];
        numfmt_percent(pct, sizeof pct, bar, HIST_PCT_W(2), 2);
        snprintf(buf + n, cap - (size_t)n, " (p %s %s)", u->g->ascii ? ">=" : "\u2265", pct);
    }
}

static void hist_mark_row(const struct ui *u, int y, const struct hist_cols *c,
                          const struct model *m, unsigned marks)
{
    char f[SAMPLER_COUNT][64], label[264];
    const char *fields[SAMPLER_COUNT];
    int n = 0;
    for (int i = 0; i < m->params.chain.n; i++) { /* in chain order */
        unsigned s = m->params.chain.stage[i];
        bool end = marks & (1u << s), start = marks & (1u << (HIST_MARK_START + s));
        if (end || start) {
            hist_mark_field(u, m, s, start, f[n], sizeof f[n]);
            fields[n] = f[n];
            n++;
        }
    }
    attr_t a = ui_attr(u, ROLE_MARK);
    /* the rule spans the token column and a little of the (first: A's in compare mode) bars:
     * long enough to catch the eye, short enough that moving it costs few bytes; the label
     * gets all the row it needs (nothing else is drawn on a mark row), in whole fields */
    int row_end = c->samp_w ? c->samp_x + c->samp_w : c->pct_x + c->pct_w;
    row_end = c->end > row_end ? c->end : row_end;
    int end = c->bar_a_x + (c->bar_w < HIST_MARK_RULE_W ? c->bar_w : HIST_MARK_RULE_W);
    int x = c->tok_x;
    x += ui_repeat(u, y, x, 2, u->g->mark, a);
    const char *sep = u->g->ascii ? " / " : " \u00b7 ";
    char body[256];
    hist_join(u, fields, n, sep, row_end - x - 2, body, sizeof body);
    snprintf(label, sizeof label, " %s ", body);
    x += ui_text(u, y, x, row_end - x, label, a);
    ui_repeat(u, y, x, end - x, u->g->mark, a);
}

/* The probability mass of d above rank `rank` (HIST_ABOVE) or from it on (HIST_MORE):
 * exactly 0 when the chain keeps none of those ranks. */
static double hist_mass(const struct dist *d, const struct hist_item *it)
{
    double mass;
    if (it->kind == HIST_ABOVE)
        mass = it->rank <= d->first_kept ? 0.0 : dist_cum(d, it->rank - 1);
    else
        mass = it->rank > d->last_kept ? 0.0 : it->rank ? 1.0 - dist_cum(d, it->rank - 1) : 1.0;
    return mass < 0 ? 0 : mass > 1 ? 1 : mass;
}

/* "... 123 more (4.5% of mass)" below, or "... 20 above (80.1% of mass)"; comparing, both
 * sides' mass: "(A 0.0%, B 4.5% of mass)". Narrower, whole words and numbers are left out:
 * "(4.5%)", then the mass. */
static void hist_more_row(const struct ui *u, int y, struct rect r, const struct model *m,
                          const struct hist_item *it)
{
    bool above = it->kind == HIST_ABOVE;
    size_t count = above ? it->rank : m->vocab->n - it->rank;
    char mass[48], a[16], b[16];
    numfmt_percent(b, sizeof b, hist_mass(&m->dist, it), HIST_PCT_W(2), 1);
    if (m->compare) {
        numfmt_percent(a, sizeof a, hist_mass(&m->dist_a, it), HIST_PCT_W(2), 1);
        snprintf(mass, sizeof mass, "A %s, B %s", a, b);
    } else {
        snprintf(mass, sizeof mass, "%s", b);
    }
    const char *arrow = count > 0 ? (above ? u->g->arrow_up : u->g->arrow_down) : "";
    const char *word = above ? "above" : "more";
    char f[4][128];
    snprintf(f[0], sizeof f[0], "... %zu %s (%s of mass) %s", count, word, mass, arrow);
    snprintf(f[1], sizeof f[1], "... %zu %s (%s) %s", count, word, mass, arrow);
    snprintf(f[2], sizeof f[2], "... %zu %s %s", count, word, arrow);
    snprintf(f[3], sizeof f[3], "%s%zu %s", u->g->ellipsis, count, arrow);
    const char *forms[] = {f[0], f[1], f[2], f[3]};
    ui_text(u, y, r.x + 1, r.w - 1, hist_fit(forms, 4, r.w - 1), ui_attr(u, ROLE_HEADER));
}

/* Under the rows, when rows are spare (few tokens on a tall terminal): what the glyphs in
 * use mean, each line whole or not at all. */
static void hist_legend(const struct ui *u, struct rect r, const struct hist_cols *c,
                        const struct model *m, int y, const struct hist_item *items, size_t n)
{
    const struct glyphs *g = u->g;
    bool marks = false, cut = m->dist.kept < m->vocab->n, xtc = m->dist.n_branch == 2;
    for (size_t i = 0; i < n; i++)
        marks = marks || items[i].kind == HIST_MARK;
    struct {
        bool on;
        const char *glyph;
        enum theme_role role;
        const char *text;
    } lines[HIST_LEGEND_MAX] = {
        {m->dist.samples > 0, g->sample, ROLE_SAMPLE,
         "the share of the N draws (below the exact one: a lit cell of the bar)"},
        {cut && !c->ab, g->ghost, ROLE_CUT,
         "cut: what it had in the distribution the stage that cut it was given"},
        {c->n_lines > 0, g->threshold, ROLE_THRESHOLD,
         "a threshold sampler's bar, in the distribution that stage was given"},
        {marks, g->mark, ROLE_MARK, "where a stage's range of tokens ends"},
        {xtc && !c->ab, g->ascii ? "x" : "\u00d7", ROLE_CUT, "XTC removes it when it fires"},
        {m->drawn != SOURCE_NONE, g->drawn, ROLE_DRAWN, "the token Space just drew"},
    };
    int want = 0;
    for (int i = 0; i < HIST_LEGEND_MAX; i++)
        want += lines[i].on;
    if (want == 0 || r.y + r.h - y < want + 1)
        return;
    y++; /* a blank row first */
    attr_t h = ui_attr(u, ROLE_HEADER);
    for (int i = 0; i < HIST_LEGEND_MAX; i++) {
        if (!lines[i].on || ui_width(lines[i].text) + 4 > r.w - 1)
            continue;
        ui_text(u, y, c->tok_x + 1, 1, lines[i].glyph, ui_attr(u, lines[i].role));
        ui_text(u, y, c->tok_x + 3, r.x + r.w - c->tok_x - 3, lines[i].text, h);
        y++;
    }
}

void hist_draw(const struct ui *u, struct rect header, struct rect r, const struct model *m,
               bool wide)
{
    struct hist_item items[HIST_ROWS_MAX];
    int rows = r.h < HIST_ROWS_MAX ? r.h : HIST_ROWS_MAX;
    size_t n = hist_plan(m, rows, items);
    struct hist_cols c;
    hist_columns(u, r, m, wide, header.h > 0, &c);
    if (header.h > 0)
        hist_header(u, header, &c, m, wide);
    for (size_t i = 0; i < n; i++) {
        int y = r.y + (int)i;
        switch (items[i].kind) {
        case HIST_TOKEN: hist_token_row(u, y, &c, m, items[i].rank); break;
        case HIST_MARK: hist_mark_row(u, y, &c, m, items[i].marks); break;
        case HIST_ABOVE:
        case HIST_MORE: hist_more_row(u, y, r, m, &items[i]); break;
        }
    }
    if (n > 0 && items[n - 1].kind != HIST_MORE)
        hist_legend(u, r, &c, m, r.y + (int)n, items, n);
}
