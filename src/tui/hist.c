/* hist.c: the histogram. One row per token in rank order (= descending probability): escaped
 * token, an eighth-block bar on a 0..100% scale (watching the top bar fill as T drops is the
 * lesson; only when even the top token is under 10% do the bars zoom, and the header says
 * so), or on a log scale (b), with the sampled frequency ticked beside or on it, then the
 * numbers: exact and sampled percentages, the running total (m, or with top-p on), the logit
 * and logit/T (z). Cut tokens stay listed, dimmed, saying what cut them, with a ghost of what
 * they had in the distribution their stage was given; mark rows show where ranges end and
 * threshold lines where a threshold sampler's bar falls. Every number comes whole from the
 * engine (numfmt.h), and only visible rows are touched, so the cost does not depend on V.
 * The columns, the bars' scale and the header row are hist_cols.c's. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hist_cols.h"
#include "numfmt.h"
#include "widgets.h"

#define HIST_NUM_DECIMALS 2
#define HIST_ROWS_MAX 1024 /* taller terminals leave the rest blank */
#define HIST_MARK_RULE_W 12  /* a mark row's dashes reach this far into the bars */
#define HIST_LEGEND_MAX 6    /* lines of the legend under the rows, when rows are spare */

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
