/* lmtext.c: what a language model wrote. The text row (two in A/B compare, A's over B's): the
 * prompt as typed, the written words bold, the newest one highlighted, </s> coloured, a
 * prompt word the model does not know marked; the end of the text always shows, an ellipsis
 * where its start is left out. The row under it says how likely the last word was. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "logitscope/text.h"
#include "widgets.h"

#define LM_TOKEN_W 16 /* a written word's columns at most on the facts row */

static const char *lm_mark(const struct ui *u, bool open)
{
    if (u->g->ascii)
        return open ? WRITER_MARK_OPEN_ASCII : WRITER_MARK_CLOSE_ASCII;
    return open ? WRITER_MARK_OPEN : WRITER_MARK_CLOSE;
}

/* Word i's columns: its escaped bytes, and its two marks when the model does not know it. */
static int lm_word_width(const struct ui *u, const struct writer *w, size_t i)
{
    size_t len;
    const char *s = writer_word_bytes(w, i, &len);
    return ui_token_width(u, s, len, false) + (w->words[i].unknown ? 2 : 0);
}

static enum theme_role lm_word_role(const struct writer *w, size_t i)
{
    const struct writer_word *word = &w->words[i];
    if (!word->written)
        return ROLE_GEN;
    if (i == w->n - 1)
        return ROLE_TEXT_NOW;
    return word->id == lm_eos(w->lm) ? ROLE_MARK : ROLE_TEXT_WRITTEN;
}

/* Word i at x, at most to end; returns the columns it took. */
static int lm_word_draw_at(const struct ui *u, int y, int x, int end, const struct writer *w,
                           size_t i)
{
    size_t len;
    const char *s = writer_word_bytes(w, i, &len);
    attr_t a = ui_attr(u, lm_word_role(w, i));
    if (!w->words[i].unknown)
        return ui_token(u, y, x, end - x, s, len, false, a);
    attr_t mark = ui_attr(u, ROLE_WARN);
    int x0 = x;
    x += ui_text(u, y, x, end - x, lm_mark(u, true), mark);
    x += ui_token(u, y, x, end - x - 1, s, len, false, a);
    x += ui_text(u, y, x, end - x, lm_mark(u, false), mark);
    return x - x0;
}

/* The first word from which the text fits in room columns, an ellipsis and a space in front
 * when words are left out; the last word alone when even it does not fit (it is cut). */
static size_t lm_first_shown(const struct ui *u, const struct writer *w, int room)
{
    size_t first = w->n;
    int used = 0;
    while (first > 0) {
        int need = lm_word_width(u, w, first - 1) + (first < w->n ? 1 : 0);
        if (used + need > room)
            break;
        used += need;
        first--;
    }
    while (first > 0 && first < w->n && used + 2 > room) { /* room for "… " */
        used -= lm_word_width(u, w, first) + 1;
        first++;
    }
    return first == w->n && w->n > 0 ? w->n - 1 : first;
}

void lm_text_draw(const struct ui *u, struct rect r, const struct model *m, int label_w,
                  bool side_a)
{
    if (r.h <= 0 || (side_a && !m->lm.have_a))
        return;
    const struct writer *w = side_a ? &m->lm.a : m->lm.writer;
    bool wide = label_w >= LAYOUT_LABEL_W_WIDE;
    const char *label = !m->lm.ab ? "text" : side_a ? (wide ? "text A" : "A")
                                                     : (wide ? "text B" : "B");
    enum theme_role label_role = !m->lm.ab ? ROLE_LABEL : side_a ? ROLE_BAR_A : ROLE_BAR;
    ui_text(u, r.y, r.x + WIDGET_INDENT, label_w, label, ui_attr(u, label_role));
    int x = widget_value_x(r, label_w), end = r.x + r.w;
    if (end - x < 1)
        return;
    if (w->n == 0) {
        ui_text(u, r.y, x, end - x, "(no prompt: the start of a sentence; e edits it)",
                ui_attr(u, ROLE_CUT));
        return;
    }
    size_t first = lm_first_shown(u, w, end - x);
    if (first > 0) {
        x += ui_text(u, r.y, x, end - x, u->g->ellipsis, ui_attr(u, ROLE_GEN_SEP));
        x += ui_text(u, r.y, x, end - x, " ", ui_attr(u, ROLE_GEN));
    }
    for (size_t i = first; i < w->n && x < end; i++) {
        if (i > first)
            x += ui_text(u, r.y, x, end - x, " ", ui_attr(u, ROLE_GEN));
        x += lm_word_draw_at(u, r.y, x, end, w, i);
    }
}

/* A drawn word's probability: two decimals, or two significant digits below 0.1% (a word
 * drawn at T = 2 may have had 0.0031%, and "0.00%" would say it could not be drawn), and
 * below 0.0001% only that. */
static void lm_percent(char *buf, size_t cap, double p)
{
    double pct = p * 100;
    if (p >= 0.001 || p <= 0)
        fmt_percent(buf, cap, p, 2);
    else if (pct >= 1e-4)
        snprintf(buf, cap, "%.*f%%", 1 - (int)floor(log10(pct)), pct);
    else
        snprintf(buf, cap, "<0.0001%%");
}

/* "A the #1 88.60%": side (may be NULL) and w's last word, its rank and its probability
 * under the chain it was drawn with; with_model adds the model's own. Returns the new x. */
static int lm_facts(const struct ui *u, int y, int x, int end, const struct writer *w,
                    const char *side, enum theme_role side_role, bool with_model)
{
    const struct writer_word *last = &w->words[w->n - 1];
    if (side)
        x += ui_text(u, y, x, end - x, side, ui_attr(u, side_role));
    size_t len;
    const char *s = writer_word_bytes(w, w->n - 1, &len);
    int tw = ui_token_width(u, s, len, false);
    x += ui_token(u, y, x, tw < LM_TOKEN_W ? tw : LM_TOKEN_W, s, len, false,
                  ui_attr(u, ROLE_TEXT_WRITTEN));
    char chain[16], model[16], facts[80];
    lm_percent(chain, sizeof chain, isnan(last->chain_prob) ? 0 : last->chain_prob);
    lm_percent(model, sizeof model, exp(last->logprob));
    if (with_model)
        snprintf(facts, sizeof facts, "  #%zu  %s with the chain, %s by the model",
                 last->rank + 1, chain, model);
    else
        snprintf(facts, sizeof facts, " #%zu %s", last->rank + 1, chain);
    return x + ui_text(u, y, x, end - x, facts, ui_attr(u, ROLE_GEN));
}

void lm_word_draw(const struct ui *u, struct rect r, const struct model *m)
{
    if (r.h <= 0)
        return;
    const struct writer *b = m->lm.writer;
    int x = r.x + WIDGET_INDENT, end = r.x + r.w;
    x += ui_text(u, r.y, x, end - x, "wrote ", ui_attr(u, ROLE_HEADER));
    if (b->n == b->n_prompt) {
        ui_text(u, r.y, x, end - x, "(Space writes a word, w writes on, e edits the prompt)",
                ui_attr(u, ROLE_CUT));
        return;
    }
    if (!m->lm.ab || !m->lm.have_a) {
        lm_facts(u, r.y, x, end, b, NULL, ROLE_GEN, true);
        return;
    }
    x = lm_facts(u, r.y, x, end, &m->lm.a, "A ", ROLE_BAR_A, false);
    lm_facts(u, r.y, x + 3, end, b, "B ", ROLE_BAR, false);
}
