/* hist.c: the histogram. One row per token in rank order (= descending probability): escaped
 * token, an eighth-block bar on a 0..100% scale (watching the top bar fill as T drops is the
 * lesson; only when even the top token is under 10% do the bars zoom, and the header says
 * so) with the sampled frequency marked beside or on it, the exact and sampled percentages.
 * Cut tokens stay listed, dimmed, saying what cut them; mark rows show where top-k, top-p
 * and min-p end. Only visible rows are touched, so the cost does not depend on V. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "widgets.h"

#define HIST_TOKEN_MIN 5  /* "token" */
#define HIST_TOKEN_MAX 32 /* wider terminals still keep most room for the bars */
#define HIST_TOKEN_CUT_MIN 3 /* a token cut to fit keeps a character and its ellipsis */
#define HIST_TOKEN_SHARE_WIDE 3 /* the token column takes at most 1/3 of the row ... */
#define HIST_TOKEN_SHARE_NARROW 4 /* ... or 1/4 on narrow terminals */
#define HIST_PCT_W(decimals) ((decimals) + 5) /* "100.00%": 3 digits, a point, decimals, % */
#define HIST_BAR_MIN 4
#define HIST_ROWS_MAX 1024 /* taller terminals leave the rest blank */
#define HIST_WIDTH_RANKS 128 /* the token column fits the top ranks, visible or not */
#define HIST_ZOOM_BELOW 0.1  /* bars zoom when the top row is under 10% */
#define HIST_ZOOM_DECADES 15 /* below that a bar is a dot anyway */
#define HIST_MARK_RULE_W 12  /* a mark row's dashes reach this far into the bars */

struct hist_cols {
    int tok_x, tok_w, bar_x, bar_w, pct_x, pct_w, samp_x, samp_w;
    int decimals;
    double scale;       /* the probability of a full bar: 1, or a zoom (hist_scale) */
    bool ab;            /* A/B compare: A's bar and percentage left of B's */
    int bar_a_x, pct_a_x;
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

/* The top row's probability, exact or sampled (A's too when comparing). */
static double hist_top(const struct model *m)
{
    const struct dist *ds[2] = {&m->dist, m->compare ? &m->dist_a : NULL};
    double top = 0.0;
    for (int i = 0; i < 2 && ds[i]; i++) {
        const struct dist *d = ds[i];
        double p = dist_prob_rank(d, 0);
        double f = d->samples ? (double)dist_count_rank(d, 0) / (double)d->samples : 0.0;
        top = p > top ? p : top;
        top = f > top ? f : top;
    }
    return top;
}

/* A full bar's probability: 1 (the absolute scale), unless the top row is under 10%; then
 * the smallest of 10%, 5%, 2%, 1%, 0.5%, ... that holds it. Taken from rank 0, so the scale
 * stays put while scrolling. */
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

static void hist_columns(const struct ui *u, struct rect r, const struct model *m, bool wide,
                         struct hist_cols *c)
{
    int tok_w = hist_token_w(u, m);
    c->scale = hist_scale(m);
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
    c->bar_w = c->ab ? (r.w - fixed - tok_w) / 2 : r.w - fixed - tok_w;
    if (c->bar_w < HIST_BAR_MIN) {
        tok_w -= HIST_BAR_MIN - c->bar_w;
        c->bar_w = HIST_BAR_MIN;
    }
    c->tok_w = tok_w < 1 ? 1 : tok_w;
    c->bar_a_x = c->tok_x + c->tok_w + 1;
    c->bar_x = c->ab ? c->bar_a_x + c->bar_w + 1 : c->bar_a_x;
    c->pct_a_x = c->bar_x + c->bar_w + 1;
    c->pct_x = c->ab ? c->pct_a_x + c->pct_w + 1 : c->pct_a_x;
    c->samp_x = c->pct_x + c->pct_w + 1;
}

/* The bars' title, with their scale when they zoom: "probability, bars 0–5%  ". */
static void hist_bar_title(const struct ui *u, const struct hist_cols *c, const char *name,
                           const char *pad, char *buf, size_t cap)
{
    if (c->scale >= 1.0) {
        snprintf(buf, cap, "%s%s", name, pad);
        return;
    }
    snprintf(buf, cap, "%s, bars 0%s%g%%%s", name, u->g->ascii ? "-" : "\u2013",
             c->scale * 100.0, pad);
}

static void hist_header_ab(const struct ui *u, struct rect r, const struct hist_cols *c,
                           const struct model *m)
{
    attr_t h = ui_attr(u, ROLE_HEADER);
    int end = r.x + r.w;
    ui_text(u, r.y, c->tok_x, c->tok_w, "token", h);
    pin_draw(u, r.y, c->bar_a_x, c->bar_w, &m->pin, ui_attr(u, ROLE_BAR_A));
    char title[48];
    hist_bar_title(u, c, "B (the sliders)", "", title, sizeof title);
    if (ui_width(title) > c->bar_w) /* keep the scale, drop words */
        hist_bar_title(u, c, "B", "", title, sizeof title);
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
    int end = r.x + r.w, bar_end = c->bar_x + c->bar_w;
    ui_text(u, r.y, c->tok_x, c->tok_w, "token", h);
    int x = c->bar_x;
    char title[48];
    hist_bar_title(u, c, wide ? "probability" : "p", wide ? "  " : " ", title, sizeof title);
    x += ui_text(u, r.y, x, c->bar_w, title, h);
    if (m->dist.samples > 0) {
        x += ui_text(u, r.y, x, bar_end - x, u->g->sample, ui_attr(u, ROLE_SAMPLE));
        char n[48], brief[40]; /* N whole or not at all */
        snprintf(n, sizeof n, " sampled (N=%zu)", m->dist.samples);
        snprintf(brief, sizeof brief, " N=%zu", m->dist.samples);
        struct field f = {.text = wide ? n : brief, .brief = brief, .attr = h};
        fields_draw(u, r.y, x, bar_end, &f, 1);
    }
    ui_printf(u, r.y, c->pct_x, end - c->pct_x, h, "%*s", c->pct_w, "exact");
    if (c->samp_w)
        ui_printf(u, r.y, c->samp_x, end - c->samp_x, h, "%*s", c->samp_w, "sampled");
}

/* The same words as `sweep` prints: "cut: top-k", "cut: top-p", "cut: min-p", "cut: T=0",
 * "cut: -inf". */
static void hist_cut_text(enum cut c, char *buf, size_t cap)
{
    snprintf(buf, cap, "cut: %s", cut_name(c));
}

/* The sampled marker for a bar whose painted cells end before `end` (full cells, then a
 * partial one). One glyph for every position: an eighth-block marker would read as more bar.
 * It never takes the bar's last cell, so the bar keeps its exact eighth-block length and a
 * small bar never vanishes under it: a marker there moves to the cell after the end (at
 * most one cell off), or, with no cell left, only recolours the last one. */
static void hist_marker(const struct ui *u, int y, const struct hist_cols *c, int bar_x,
                        int end, const char *last, double sampled)
{
    const struct glyphs *g = u->g;
    int cell = (int)(sampled / c->scale * c->bar_w);
    cell = cell >= c->bar_w ? c->bar_w - 1 : cell;
    if (cell == end - 1 && end < c->bar_w)
        cell = end;
    if (cell == end - 1)
        ui_text(u, y, bar_x + cell, 1, last, ui_attr(u, ROLE_SAMPLE));
    else
        ui_text(u, y, bar_x + cell, 1, g->sample,
                ui_attr(u, cell < end ? ROLE_SAMPLE_IN_BAR : ROLE_SAMPLE));
}

/* The bar at bar_x (B's, or A's in compare mode), then the sampled marker. */
static void hist_bar(const struct ui *u, int y, const struct hist_cols *c, int bar_x,
                     enum theme_role role, double p, double sampled, bool show_sample)
{
    const struct glyphs *g = u->g;
    long eighths = lround(p / c->scale * c->bar_w * 8);
    if (p > 0 && eighths == 0)
        eighths = 1; /* kept is never invisible */
    int full = (int)(eighths / 8), part = (int)(eighths % 8);
    full = full > c->bar_w ? c->bar_w : full;
    part = full < c->bar_w ? part : 0;
    attr_t bar = ui_attr(u, role);
    ui_repeat(u, y, bar_x, full, g->full, bar);
    if (part)
        ui_text(u, y, bar_x + full, 1, glyphs_partial(g, part), bar);
    if (show_sample)
        hist_marker(u, y, c, bar_x, full + (part > 0), part ? glyphs_partial(g, part) : g->full,
                    sampled);
}

/* A cut token: dim token, an empty bar, and where the numbers would be (both are 0), what
 * cut it. Putting the words over the numbers means a token that comes back overwrites them
 * in place: a filter's first and last steps stay under the byte budget. */
static void hist_cut_row(const struct ui *u, int y, const struct hist_cols *c, const char *tok,
                         size_t len, enum cut cut)
{
    attr_t dim = ui_attr(u, ROLE_CUT);
    ui_token(u, y, c->tok_x, c->tok_w, tok, len, true, dim);
    char why[32];
    hist_cut_text(cut, why, sizeof why);
    int end = c->samp_w ? c->samp_x + c->samp_w : c->pct_x + c->pct_w;
    int w = ui_width(why), x = end - w;
    x = x < c->bar_x ? c->bar_x : x;
    ui_text(u, y, x, end - x, why, dim);
}

/* One side of a compare row: the bar and percentage of d at rank, or what cut it. */
static void hist_side(const struct ui *u, int y, const struct hist_cols *c, int bar_x,
                      int pct_x, const struct dist *d, size_t rank, enum theme_role role)
{
    enum cut cut = dist_cut(d, rank);
    if (cut) {
        char why[32];
        hist_cut_text(cut, why, sizeof why);
        ui_text(u, y, bar_x, c->bar_w, why, ui_attr(u, ROLE_CUT));
        return;
    }
    double p = dist_prob_rank(d, rank);
    uint32_t count = dist_count_rank(d, rank);
    double f = d->samples ? (double)count / (double)d->samples : 0.0;
    /* the sampled marker on B's bars only: A's never move, and a row that shifts under a
     * new mark row would send them again for nothing */
    hist_bar(u, y, c, bar_x, role, p, f, count > 0 && role == ROLE_BAR);
    char pct[16];
    fmt_percent(pct, sizeof pct, p, c->decimals);
    ui_printf(u, y, pct_x, c->pct_w, ui_attr(u, ROLE_LABEL), "%*s", c->pct_w, pct);
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
    ui_token(u, y, c->tok_x, c->tok_w, t, len, true, ui_attr(u, cut ? ROLE_CUT : ROLE_LABEL));
    hist_side(u, y, c, c->bar_a_x, c->pct_a_x, &m->dist_a, rank, ROLE_BAR_A);
    hist_side(u, y, c, c->bar_x, c->pct_x, &m->dist, rank, ROLE_BAR);
}

/* The chosen token of a sequence's position: a mark in the column before the tokens. */
static void hist_chosen_mark(const struct ui *u, int y, const struct hist_cols *c,
                             const struct model *m, size_t rank)
{
    if (model_is_sequence(m) && rank == m->seq.chosen_rank)
        ui_text(u, y, c->tok_x - 1, 1, u->g->chosen, ui_attr(u, ROLE_CHOSEN));
}

static void hist_token_row(const struct ui *u, int y, const struct hist_cols *c,
                           const struct model *m, size_t rank)
{
    hist_chosen_mark(u, y, c, m, rank);
    if (c->ab) {
        hist_ab_row(u, y, c, m, rank);
        return;
    }
    const struct dist *d = &m->dist;
    enum cut cut = dist_cut(d, rank);
    char buf[24], pct[16];
    size_t len;
    const char *t = hist_token(m, rank, buf, &len);
    if (cut) {
        hist_cut_row(u, y, c, t, len, cut);
        return;
    }
    ui_token(u, y, c->tok_x, c->tok_w, t, len, true, ui_attr(u, ROLE_LABEL));
    if (dist_xtc_removes(d, rank)) /* in the gap before the bar: XTC takes it when it fires */
        ui_text(u, y, c->bar_x - 1, 1, u->g->ascii ? "x" : "\u00d7", ui_attr(u, ROLE_CUT));
    double p = dist_prob_rank(d, rank);
    uint32_t count = dist_count_rank(d, rank);
    double f = d->samples ? (double)count / (double)d->samples : 0.0;
    hist_bar(u, y, c, c->bar_x, ROLE_BAR, p, f, count > 0);
    /* plain, like the sampled column: fewer attribute changes on the wire per keystroke */
    fmt_percent(pct, sizeof pct, p, c->decimals);
    ui_printf(u, y, c->pct_x, c->pct_w, ui_attr(u, ROLE_LABEL), "%*s", c->pct_w, pct);
    if (c->samp_w) {
        fmt_percent(pct, sizeof pct, f, c->decimals);
        ui_printf(u, y, c->samp_x, c->samp_w, ui_attr(u, ROLE_LABEL), "%*s", c->samp_w, pct);
    }
}

/* " top-k 3 · top-p 0.55 " for the marks, in chain order, values written as the sliders
 * write them; a stage that starts its range here says so with an arrow ("typical 0.90 ↓"),
 * XTC also how often it fires. */
static void hist_mark_label(const struct ui *u, const struct model *m, unsigned marks,
                            char *label, size_t cap)
{
    const char *sep = u->g->ascii ? " / " : " \u00b7 ";
    size_t n = (size_t)snprintf(label, cap, " ");
    for (int i = 0; i < m->params.chain.n && n < cap; i++) {
        unsigned s = m->params.chain.stage[i];
        bool end = marks & (1u << s), start = marks & (1u << (HIST_MARK_START + s));
        if (!end && !start)
            continue;
        const struct sampler_spec *ss = sampler_spec((enum sampler_id)s);
        char val[32];
        slider_value_text(m, ss->params[0], val, sizeof val);
        n += (size_t)snprintf(label + n, cap - n, "%s%s %s%s", n > 1 ? sep : "", ss->label, val,
                              start ? (u->g->ascii ? " v" : " \u2193") : "");
        if (start && s == SAMPLER_XTC && n < cap)
            n += (size_t)snprintf(label + n, cap - n, " fires %.0f%%",
                                  100 * params_real(&m->params, PARAM_XTC_PROBABILITY));
    }
    if (n < cap)
        snprintf(label + n, cap - n, " ");
}

static void hist_mark_row(const struct ui *u, int y, const struct hist_cols *c,
                          const struct model *m, unsigned marks)
{
    char label[128];
    hist_mark_label(u, m, marks, label, sizeof label);
    attr_t a = ui_attr(u, ROLE_MARK);
    /* the rule spans the token column and a little of the (first: A's in compare mode) bars:
     * long enough to catch the eye, short enough that moving it costs few bytes; the label
     * gets all the row it needs (nothing else is drawn on a mark row) */
    int row_end = c->samp_w ? c->samp_x + c->samp_w : c->pct_x + c->pct_w;
    int end = c->bar_a_x + (c->bar_w < HIST_MARK_RULE_W ? c->bar_w : HIST_MARK_RULE_W);
    int x = c->tok_x;
    x += ui_repeat(u, y, x, 2, u->g->mark, a);
    x += ui_text(u, y, x, row_end - x, label, a);
    ui_repeat(u, y, x, end - x, u->g->mark, a);
}

/* The probability mass of d above rank `rank` (HIST_ABOVE) or from it on (HIST_MORE). */
static double hist_mass(const struct dist *d, const struct hist_item *it)
{
    double mass;
    if (it->kind == HIST_ABOVE)
        mass = dist_cum(d, it->rank - 1);
    else
        mass = it->rank ? 1.0 - dist_cum(d, it->rank - 1) : 1.0;
    return mass < 0 ? 0 : mass > 1 ? 1 : mass;
}

/* "... 123 more (4.5% of mass)" below, or "... 20 above (80.1% of mass)"; comparing, both
 * sides' mass: "(A 0.0%, B 4.5% of mass)". */
static void hist_more_row(const struct ui *u, int y, struct rect r, const struct model *m,
                          const struct hist_item *it)
{
    bool above = it->kind == HIST_ABOVE;
    size_t count = above ? it->rank : m->vocab->n - it->rank;
    char mass[48];
    if (m->compare)
        snprintf(mass, sizeof mass, "A %.1f%%, B %.1f%%", hist_mass(&m->dist_a, it) * 100.0,
                 hist_mass(&m->dist, it) * 100.0);
    else
        snprintf(mass, sizeof mass, "%.1f%%", hist_mass(&m->dist, it) * 100.0);
    const char *arrow = above ? u->g->arrow_up : u->g->arrow_down;
    ui_printf(u, y, r.x + 1, r.w - 1, ui_attr(u, ROLE_HEADER), "... %zu %s (%s of mass) %s",
              count, above ? "above" : "more", mass, count > 0 ? arrow : "");
}

void hist_draw(const struct ui *u, struct rect header, struct rect r, const struct model *m,
               bool wide)
{
    struct hist_item items[HIST_ROWS_MAX];
    int rows = r.h < HIST_ROWS_MAX ? r.h : HIST_ROWS_MAX;
    size_t n = hist_plan(m, rows, items);
    struct hist_cols c;
    hist_columns(u, r, m, wide, &c);
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
}
