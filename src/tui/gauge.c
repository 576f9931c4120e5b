/* gauge.c: the entropy gauge. H runs from 0 (one certain token) to log2 of the tokens that
 * can be drawn at all (all equally likely): a -inf logit (a grammar mask) can never be, so it
 * does not raise the ceiling. Perplexity 2^H reads as "like choosing among N tokens". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "logitscope/vocab.h"
#include "widgets.h"

#define GAUGE_BAR_MIN_W 6        /* narrower, the numbers go without a bar */
#define GAUGE_PPL_WHOLE_FROM 10000 /* perplexities from here on lose their decimals */
#define GAUGE_TOP_TOKEN_MAX_W 16 /* the top token's columns on line 2, at most ... */
#define GAUGE_TOP_TOKEN_MIN_W 3  /* ... and at least, or it is left out */
#define GAUGE_AB_GAP 2           /* between A's and B's bars */

static const char gauge_among[] = " like choosing among ", gauge_ppl[] = " ppl ";
static const char gauge_kept[] = ", kept ", gauge_ab_sep_b[] = "   B";

/* The gauge's top: log2 of the finite logits. */
static double gauge_hmax(const struct model *m)
{
    size_t n = m->vocab->n_finite;
    return n > 1 ? log2((double)n) : 0.0;
}

/* A bar of `frac` of w cells in eighths, then the empty rest. */
static void gauge_bar(const struct ui *u, int y, int x, int w, double frac)
{
    if (w <= 2)
        return;
    const struct glyphs *g = u->g;
    int inner = w - 2;
    frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
    int eighths = (int)lround(frac * inner * 8);
    int full = eighths / 8, part = eighths % 8;
    ui_text(u, y, x, 1, g->gauge_l, ui_attr(u, ROLE_TRACK));
    ui_repeat(u, y, x + 1, full, g->full, ui_attr(u, ROLE_GAUGE));
    if (part)
        ui_text(u, y, x + 1 + full, 1, glyphs_partial(g, part), ui_attr(u, ROLE_GAUGE));
    int used = full + (part ? 1 : 0);
    ui_repeat(u, y, x + 1 + used, inner - used, g->gauge_empty, ui_attr(u, ROLE_TRACK));
    ui_text(u, y, x + 1 + inner, 1, g->gauge_r, ui_attr(u, ROLE_TRACK));
}

static void gauge_perplexity(char *buf, size_t cap, double ppl)
{
    if (ppl < GAUGE_PPL_WHOLE_FROM)
        snprintf(buf, cap, "%.3f", ppl); /* as `sweep` prints it */
    else
        snprintf(buf, cap, "%.0f", ppl);
}

/* Adds "label value" at *x when all of it fits before end; false when it does not. */
static bool gauge_item(const struct ui *u, int y, int *x, int end, const char *label,
                       const char *value)
{
    int w = ui_width(label) + ui_width(value);
    if (*x + w > end)
        return false;
    *x += ui_text(u, y, *x, end - *x, label, ui_attr(u, ROLE_LABEL));
    *x += ui_text(u, y, *x, end - *x, value, ui_attr(u, ROLE_NUMBER));
    return true;
}

/* Line 2: perplexity, kept, the top token and its probability, dynatemp's T. Each whole or
 * not at all; when the line is short, "like choosing among" becomes "ppl" first, then the
 * top token's name is abbreviated and goes, then dynatemp's T, the top probability and kept;
 * the perplexity stays. */
static void gauge_facts(const struct ui *u, int y, struct rect r, const struct model *m,
                        bool wide)
{
    const struct dist *d = &m->dist;
    char ppl[32], kept[64], top[24], dyn[48], dyn1[32];
    gauge_perplexity(ppl, sizeof ppl, d->perplexity);
    snprintf(kept, sizeof kept, "%zu/%zu", d->kept, m->vocab->n);
    fmt_percent(top + 1, sizeof top - 1, d->top_prob, 2);
    top[0] = ' ';
    attr_t txt = ui_attr(u, ROLE_LABEL), num = ui_attr(u, ROLE_NUMBER);
    attr_t val = ui_attr(u, ROLE_VALUE);
    char buf[24];
    size_t len;
    const char *tok = vocab_token(m->vocab, m->vocab->order[m->dist.top_rank], buf, &len);
    enum { PPL = 1, KEPT, TOP, DYN };
    struct field f[12];
    int k = 0;
    f[k++] = (struct field){.text = wide ? "like choosing among " : "ppl ", .brief = "ppl ",
                            .attr = txt, .rank = 0, .squeeze = 6, .group = PPL};
    f[k++] = (struct field){.text = ppl, .attr = num, .rank = 0, .group = PPL};
    f[k++] = (struct field){.text = wide ? " tokens" : "", .brief = "", .attr = txt, .rank = 0,
                            .group = PPL};
    f[k++] = (struct field){.text = wide ? "   kept " : "  kept ", .brief = "  kept ",
                            .attr = txt, .rank = 1, .squeeze = 6, .group = KEPT};
    f[k++] = (struct field){.text = kept, .attr = num, .rank = 1, .group = KEPT};
    int top_at = k;
    f[k++] = (struct field){.text = "   top", .attr = txt, .rank = 2, .group = TOP};
    /* the space in the token's attribute (a blank looks the same): no attribute switch off
     * and on again between two bold words, on every keystroke */
    f[k++] = (struct field){.text = " ", .attr = val, .rank = 4, .squeeze = 5, .with = top_at + 1,
                            .raw = tok,
                            .raw_len = len, .raw_min = GAUGE_TOP_TOKEN_MIN_W,
                            .raw_max = GAUGE_TOP_TOKEN_MAX_W, .raw_space = true, .raw_attr = val};
    f[k++] = (struct field){.text = top, .attr = num, .rank = 2, .group = TOP};
    /* the temperature dynatemp picked; after XTC's fork, one per branch: not fired/fired,
     * else (or where that does not fit) the more common branch, where XTC did not fire */
    int ti = dist_stage_of(d, SAMPLER_TEMPERATURE);
    if (ti >= 0 && params_real(&m->params, PARAM_DYNATEMP_RANGE) > 0) {
        snprintf(dyn1, sizeof dyn1, "%.2f", d->br[0].after[ti].t);
        if (d->n_branch == 2 && dist_stage_of(d, SAMPLER_XTC) < ti)
            snprintf(dyn, sizeof dyn, "%.2f/%.2f", d->br[0].after[ti].t, d->br[1].after[ti].t);
        else
            snprintf(dyn, sizeof dyn, "%s", dyn1);
        f[k++] = (struct field){.text = u->g->ascii ? "  T=" : "  T\u2192", .attr = txt,
                                .rank = 3, .group = DYN};
        f[k++] = (struct field){.text = dyn, .brief = dyn1, .attr = num, .rank = 3, .group = DYN};
    }
    fields_draw(u, y, r.x + WIDGET_INDENT, r.x + r.w, f, k);
}

/* One row only (small terminals): the numbers, no bar, each only if it fits whole. */
static void gauge_compact(const struct ui *u, struct rect r, const struct model *m)
{
    const struct dist *d = &m->dist;
    char bits[32], kept[48], ppl[32], top[16];
    snprintf(bits, sizeof bits, "%.3f bits", d->entropy_bits);
    snprintf(kept, sizeof kept, "%zu/%zu", d->kept, m->vocab->n);
    gauge_perplexity(ppl, sizeof ppl, d->perplexity);
    fmt_percent(top, sizeof top, d->top_prob, 1);
    int x = r.x + WIDGET_INDENT, end = r.x + r.w;
    if (gauge_item(u, r.y, &x, end, "H ", bits) && gauge_item(u, r.y, &x, end, "  kept ", kept) &&
        gauge_item(u, r.y, &x, end, "  ppl ", ppl))
        gauge_item(u, r.y, &x, end, "  top ", top);
}

/* Compare mode, one row: "A 2.544 bits  B 1.719 bits", then B's kept if it fits. */
static void gauge_compact_ab(const struct ui *u, struct rect r, const struct model *m)
{
    char a[32], b[32], kept[48];
    snprintf(a, sizeof a, "%.3f bits", m->dist_a.entropy_bits);
    snprintf(b, sizeof b, "%.3f bits", m->dist.entropy_bits);
    snprintf(kept, sizeof kept, "%zu/%zu", m->dist.kept, m->vocab->n);
    int x = r.x + WIDGET_INDENT, end = r.x + r.w;
    if (gauge_item(u, r.y, &x, end, "A ", a) && gauge_item(u, r.y, &x, end, "  B ", b))
        gauge_item(u, r.y, &x, end, "  kept ", kept);
}

/* "A ▕███▏ 2.544 bits" in w columns at x: the bar only when there is room for one. */
static void gauge_side(const struct ui *u, int y, int x, int w, const char *name,
                       const struct dist *d, double hmax, enum theme_role role)
{
    char bits[32];
    snprintf(bits, sizeof bits, " %.3f bits", d->entropy_bits);
    int end = x + w, bar_w = w - (int)strlen(name) - 1 - (int)strlen(bits);
    x += ui_text(u, y, x, end - x, name, ui_attr(u, role == ROLE_BAR_A ? ROLE_BAR_A : ROLE_LABEL));
    x += ui_text(u, y, x, end - x, " ", ui_attr(u, ROLE_LABEL));
    if (bar_w >= GAUGE_BAR_MIN_W) {
        gauge_bar(u, y, x, bar_w, hmax > 0 ? d->entropy_bits / hmax : 0.0);
        x += bar_w;
    }
    ui_text(u, y, x, end - x, bits, ui_attr(u, ROLE_NUMBER));
}

/* Line 2 in compare mode: each side's perplexity and kept count, whole or not at all: the
 * kept counts go first (B's before A's), then B's perplexity. */
static void gauge_facts_ab(const struct ui *u, int y, struct rect r, const struct model *m)
{
    const struct dist *side[2] = {&m->dist_a, &m->dist};
    static const char *const name[2] = {"A", gauge_ab_sep_b};
    int x = r.x + WIDGET_INDENT, end = r.x + r.w;
    char ppl[2][32], kept[2][32];
    /* the long wording only when both sides fit it, with a column to spare after each (big
     * vocabularies have long numbers) */
    size_t need = 0;
    for (int i = 0; i < 2; i++) {
        gauge_perplexity(ppl[i], sizeof ppl[i], side[i]->perplexity);
        snprintf(kept[i], sizeof kept[i], "%zu", side[i]->kept);
        need += strlen(name[i]) + strlen(gauge_among) + strlen(ppl[i]) + strlen(gauge_kept) +
                strlen(kept[i]) + 1;
    }
    const char *among = need <= (size_t)(end - x) ? gauge_among : gauge_ppl;
    attr_t txt = ui_attr(u, ROLE_LABEL), num = ui_attr(u, ROLE_NUMBER);
    struct field f[10];
    int k = 0;
    for (int i = 0; i < 2; i++) {
        f[k++] = (struct field){.text = name[i], .attr = i ? txt : ui_attr(u, ROLE_BAR_A),
                                .rank = 0, .group = 1 + 2 * i};
        f[k++] = (struct field){.text = among, .attr = txt, .rank = 0, .group = 1 + 2 * i};
        int ppl_at = k;
        f[k++] = (struct field){.text = ppl[i], .attr = num, .rank = 0, .group = 1 + 2 * i};
        f[k++] = (struct field){.text = gauge_kept, .attr = txt, .rank = 1, .group = 2 + 2 * i,
                                .with = ppl_at + 1};
        f[k++] = (struct field){.text = kept[i], .attr = num, .rank = 1, .group = 2 + 2 * i,
                                .with = ppl_at + 1};
    }
    fields_draw(u, y, x, end, f, k);
}

/* The first row's label; returns where its values start. */
static int gauge_label(const struct ui *u, struct rect r, int label_w)
{
    ui_text(u, r.y, r.x + WIDGET_INDENT, r.w - WIDGET_INDENT,
            label_w >= LAYOUT_LABEL_W_WIDE ? "entropy" : "H", ui_attr(u, ROLE_LABEL));
    return widget_value_x(r, label_w);
}

/* Compare mode, two rows: A's and B's entropies side by side on the same scale; where there
 * is no room for two bars, the numbers alone ("A 2.544 bits  B 1.719 bits of 3.322"). */
static void gauge_ab(const struct ui *u, struct rect r, const struct model *m, int label_w)
{
    double hmax = gauge_hmax(m);
    int x = gauge_label(u, r, label_w), end = r.x + r.w;
    char max[32], a[32], b[32];
    snprintf(max, sizeof max, " of %.3f", hmax);
    snprintf(a, sizeof a, " %.3f bits", m->dist_a.entropy_bits);
    snprintf(b, sizeof b, " %.3f bits", m->dist.entropy_bits);
    int side_w = (end - x - (int)strlen(max) - GAUGE_AB_GAP) / 2;
    int need = 2 + (int)(strlen(a) > strlen(b) ? strlen(a) : strlen(b)) + GAUGE_BAR_MIN_W;
    if (side_w >= need) {
        int max_x = x + 2 * side_w + GAUGE_AB_GAP;
        gauge_side(u, r.y, x, side_w, "A", &m->dist_a, hmax, ROLE_BAR_A);
        gauge_side(u, r.y, x + side_w + GAUGE_AB_GAP, side_w, "B", &m->dist, hmax, ROLE_BAR);
        ui_text(u, r.y, max_x, end - max_x, max, ui_attr(u, ROLE_HEADER));
    } else {
        attr_t txt = ui_attr(u, ROLE_LABEL), num = ui_attr(u, ROLE_NUMBER);
        struct field f[5] = {
            {.text = "A", .attr = ui_attr(u, ROLE_BAR_A), .rank = 0, .group = 1},
            {.text = a, .attr = num, .rank = 0, .group = 1},
            {.text = "  B", .attr = txt, .rank = 0, .group = 2},
            {.text = b, .attr = num, .rank = 0, .group = 2},
            {.text = max, .attr = ui_attr(u, ROLE_HEADER), .rank = 1},
        };
        fields_draw(u, r.y, x, end, f, 5);
    }
    gauge_facts_ab(u, r.y + 1, r, m);
}

void gauge_draw(const struct ui *u, struct rect r, const struct model *m, int label_w)
{
    if (r.h <= 0)
        return;
    if (m->compare) {
        if (r.h == 1)
            gauge_compact_ab(u, r, m);
        else
            gauge_ab(u, r, m, label_w);
        return;
    }
    if (r.h == 1) {
        gauge_compact(u, r, m);
        return;
    }
    const struct dist *d = &m->dist;
    double hmax = gauge_hmax(m);
    bool wide = label_w >= LAYOUT_LABEL_W_WIDE;
    int x = gauge_label(u, r, label_w), end = r.x + r.w;
    char bits[48], max[48], brief[32], finite[48];
    snprintf(bits, sizeof bits, "%.3f bits", d->entropy_bits);
    snprintf(brief, sizeof brief, "/%.2f", hmax);
    snprintf(max, sizeof max, " of %.3f max", hmax);
    snprintf(finite, sizeof finite, " (%zu finite)", m->vocab->n_finite);
    attr_t head = ui_attr(u, ROLE_HEADER);
    /* H first, then its top, then why the top is not log2(V); the bar takes what is left */
    struct field f[3] = {
        {.text = bits, .attr = ui_attr(u, ROLE_NUMBER), .rank = 0},
        {.text = wide ? max : brief, .brief = brief, .attr = head, .rank = 1, .squeeze = 2},
        {.text = finite, .attr = head, .rank = 3},
    };
    int n = wide && m->vocab->n_finite < m->vocab->n ? 3 : 2;
    int used = fields_fit(u, f, n, end - x - GAUGE_BAR_MIN_W - 1);
    if (f[0].shown) {
        int bar_w = end - x - used - 1;
        gauge_bar(u, r.y, x, bar_w, hmax > 0 ? d->entropy_bits / hmax : 0.0);
        x += bar_w + 1;
    }
    fields_draw(u, r.y, x, end, f, n);
    gauge_facts(u, r.y + 1, r, m, wide);
}
