/* chrome.c: the frame around the instruments: the title bar, the generated line, the status
 * line with the main keys (or the last message), and the "terminal too small" screen. */
#include <stdio.h>
#include <string.h>

#include "keymap.h"
#include "logitscope/vocab.h"
#include "widgets.h"

#define STATUS_HINTS_MAX 16 /* hints of one place on the status line */

/* Adds " text" at *x in attr when all of it fits before end. */
static bool title_item(const struct ui *u, int y, int *x, int end, const char *text, attr_t a)
{
    int w = ui_width(text);
    if (*x + w > end)
        return false;
    *x += ui_text(u, y, *x, end - *x, text, a);
    return true;
}

void title_draw(const struct ui *u, struct rect r, const struct model *m)
{
    if (r.h <= 0)
        return;
    attr_t a = ui_attr(u, ROLE_TITLE), dim = ui_attr(u, ROLE_TITLE_DIM);
    ui_repeat(u, r.y, r.x, r.w, " ", a);
    int x = r.x + 1, end = r.x + r.w;
    int help_x = end - 7; /* "? help" and a blank */
    x += ui_text(u, r.y, x, end - x, "logitscope ", a);
    const char *name = m->start.source_name ? m->start.source_name : "";
    int room = end - x - 1;
    room = room > 40 ? 40 : room;
    x += ui_token(u, r.y, x, room, name, strlen(name), false, dim);
    char item[96];
    if (!model_is_sequence(m)) {
        snprintf(item, sizeof item, "  V=%zu  N=%zu  seed %llu", m->vocab->n, m->samples,
                 (unsigned long long)m->seed);
        x += ui_text(u, r.y, x, end - x, item, dim);
    } else {
        /* what the numbers are before anything else, then the format and the rest; each
         * fact only when it fits whole */
        /* what the numbers are, unless the format's name says it ("NumPy logits") */
        memcpy(item, "  ", 2);
        source_numbers_text(m->src, &m->seq.step, item + 2, sizeof item - 2);
        bool fits = strstr(m->src->format, item + 2) ||
                    title_item(u, r.y, &x, help_x - 1, item, a);
        snprintf(item, sizeof item, "  %s", m->src->format);
        fits = fits && title_item(u, r.y, &x, help_x - 1, item, dim);
        snprintf(item, sizeof item, "  V=%zu", m->vocab->n);
        fits = fits && title_item(u, r.y, &x, help_x - 1, item, dim);
        snprintf(item, sizeof item, "  N=%zu", m->samples);
        fits = fits && title_item(u, r.y, &x, help_x - 1, item, dim);
        snprintf(item, sizeof item, "  seed %llu", (unsigned long long)m->seed);
        fits = fits && title_item(u, r.y, &x, help_x - 1, item, dim);
    }
    if (end - x >= 8)
        ui_text(u, r.y, help_x, 6, "? help", dim);
}

/* A generated token as the line shows it. */
struct gen_piece {
    const char *tok; /* its bytes (in buf, or the vocabulary's) */
    size_t len;
    char buf[24];
    bool sep;        /* a dot before it */
};

/* The i-th generated token; returns its width. Tokens join like text when they carry their
 * own spaces; otherwise a dot shows where one ends and the next begins. */
static int gen_piece(const struct ui *u, const struct model *m, size_t i, bool first,
                     struct gen_piece *p)
{
    p->tok = vocab_token(m->vocab, model_gen_at(m, i), p->buf, &p->len);
    p->sep = !first && !(p->len > 0 && (p->tok[0] == ' ' || p->tok[0] == '\n'));
    return ui_token_width(u, p->tok, p->len, false) + (p->sep ? 1 : 0);
}

/* The oldest generated token from which the rest fits in `room` columns. */
static size_t gen_fit(const struct ui *u, const struct model *m, int room)
{
    size_t first = model_gen_len(m);
    int w = 0;
    while (first > 0) {
        struct gen_piece p;
        int pw = gen_piece(u, m, first - 1, first - 1 == 0, &p);
        if (w + pw > room)
            break;
        w += pw;
        first--;
    }
    return first;
}

void gen_draw(const struct ui *u, struct rect r, const struct model *m)
{
    if (r.h <= 0)
        return;
    int x = r.x + WIDGET_INDENT, end = r.x + r.w;
    x += ui_text(u, r.y, x, end - x, "generated ", ui_attr(u, ROLE_HEADER));
    size_t n = model_gen_len(m);
    if (n == 0) {
        ui_text(u, r.y, x, end - x, "(Space draws a token)", ui_attr(u, ROLE_CUT));
        return;
    }
    /* the newest tokens that fit, oldest first; a leading ellipsis when older ones are
     * left out (off the line, or out of the model's ring) */
    int ew = ui_width(u->g->ellipsis);
    size_t first = gen_fit(u, m, end - x - 1);
    bool dropped = first > 0 || m->gen_count > n;
    if (dropped) {
        first = gen_fit(u, m, end - x - 1 - ew);
        x += ui_text(u, r.y, x, end - x, u->g->ellipsis, ui_attr(u, ROLE_GEN_SEP));
    }
    for (size_t i = first; i < n && x < end; i++) {
        struct gen_piece p;
        gen_piece(u, m, i, i == first, &p);
        if (p.sep)
            x += ui_text(u, r.y, x, end - x, u->g->sep, ui_attr(u, ROLE_GEN_SEP));
        x += ui_token(u, r.y, x, end - x, p.tok, p.len, false, ui_attr(u, ROLE_GEN));
    }
}

/* Whether the panel a binding opens is open now: its hint then says how to close it. */
static bool status_panel_open(const struct model *m, const struct keymap_binding *b)
{
    switch (b->keys[0].action.kind) {
    case ACT_PLOT: return m->plot;
    case ACT_COMPARE: return m->compare || m->lm.ab;
    default: return false;
    }
}

/* The bindings whose hints go at `place`, in their order. Returns how many (at most cap). */
static size_t status_hints(enum keymap_place place, const struct keymap_binding **out,
                           size_t cap)
{
    size_t n, count = 0;
    const struct keymap_binding *b = keymap_bindings(&n);
    for (int order = 1; count < cap; order++) {
        size_t before = count;
        for (size_t i = 0; i < n && count < cap; i++)
            if (b[i].place == place && b[i].order == order)
                out[count++] = &b[i];
        if (count == before)
            break;
    }
    return count;
}

/* With a language model: the bindings with words of their own for it, by lm_order. */
static size_t status_lm_hints(const struct keymap_binding **out, size_t cap)
{
    size_t n, count = 0;
    const struct keymap_binding *b = keymap_bindings(&n);
    for (int order = 1; count < cap; order++) {
        size_t before = count;
        for (size_t i = 0; i < n && count < cap; i++)
            if (b[i].lm_order == order)
                out[count++] = &b[i];
        if (count == before)
            break;
    }
    return count;
}

static int status_hint_width(const struct ui *u, const struct keymap_label *h)
{
    return ui_width(u->g->ascii ? h->ascii_keys : h->keys) + 1 + ui_width(h->what) + 2;
}

static int status_hint_draw(const struct ui *u, int y, int x, const struct keymap_label *h)
{
    int x0 = x;
    x += ui_text(u, y, x, 16, u->g->ascii ? h->ascii_keys : h->keys,
                 ui_attr(u, ROLE_STATUS_KEY));
    x += ui_text(u, y, x + 1, 16, h->what, ui_attr(u, ROLE_STATUS)) + 1;
    return x - x0 + 2;
}

#define STATUS_CHOSEN_TOKEN_W 16 /* the chosen token's columns at most */

/* "2 of 11 chosen tokens fall outside this chain" in as many words as fit in room (those
 * seen, when only the visited positions are known). */
static void status_outside(const struct model *m, int room, char *buf, size_t cap)
{
    const struct model_seq *q = &m->seq;
    char forms[4][96];
    const char *seen = q->whole ? "" : " seen";
    snprintf(forms[0], sizeof forms[0], "%zu of %zu chosen tokens%s fall outside this chain",
             q->outside, q->seen, seen);
    snprintf(forms[1], sizeof forms[1], "%zu of %zu%s outside this chain", q->outside, q->seen,
             seen);
    snprintf(forms[2], sizeof forms[2], "%zu of %zu%s outside", q->outside, q->seen, seen);
    snprintf(forms[3], sizeof forms[3], "%zu/%zu%s out", q->outside, q->seen, seen);
    for (int i = 0; i < 4; i++)
        if (ui_width(forms[i]) <= room || i == 3) {
            snprintf(buf, cap, "%s", forms[i]);
            return;
        }
}

/* A sequence: the chosen token here ("chosen ␣sea #2 4.10% cut: top-k"; narrower, without
 * the word, then without the token), then across the text how many chosen tokens the chain
 * cuts, and the key to the next of them. */
static int status_chosen(const struct ui *u, int y, int x, int end, const struct model *m)
{
    const struct model_seq *q = &m->seq;
    attr_t txt = ui_attr(u, ROLE_STATUS), key = ui_attr(u, ROLE_STATUS_KEY);
    if (q->chosen_rank == SOURCE_NONE)
        return x + ui_text(u, y, x, end - x, "which token was chosen is not known", txt);
    size_t rank = q->chosen_rank, len;
    char buf[24], facts[64], pct[16];
    const char *tok = vocab_token(m->vocab, m->vocab->order[rank], buf, &len);
    enum cut cut = dist_cut(&m->dist, rank);
    fmt_percent(pct, sizeof pct, dist_prob_rank(&m->dist, rank), 2);
    snprintf(facts, sizeof facts, "#%zu %s %s%s", rank + 1, pct, cut ? "cut: " : "kept",
             cut ? cut_name(cut) : "");
    int tw = ui_token_width(u, tok, len, true), fw = ui_width(facts);
    tw = tw > STATUS_CHOSEN_TOKEN_W ? STATUS_CHOSEN_TOKEN_W : tw;
    bool word = x + 7 + tw + 1 + fw <= end, token = x + tw + 1 + fw <= end;
    if (word)
        x += ui_text(u, y, x, end - x, "chosen ", txt);
    if (token) {
        x += ui_token(u, y, x, tw, tok, len, true, key);
        x += ui_text(u, y, x, end - x, " ", txt);
    }
    x += ui_text(u, y, x, end - x, facts, txt);
    const char *hint = "  f next";
    int room = end - x - 2 - ui_width(hint);
    if (room < 8)
        return x;
    char outside[96];
    status_outside(m, room, outside, sizeof outside);
    x += ui_text(u, y, x, end - x, "  ", txt);
    x += ui_text(u, y, x, end - x, outside, txt);
    if (q->outside > 0 || !q->whole) {
        x += ui_text(u, y, x + 2, end - x - 2, "f", key) + 2;
        x += ui_text(u, y, x + 1, end - x - 1, "next", txt) + 1;
    }
    return x;
}

/* Help and quit always show at the right end; then the last message, or the hints left to
 * right while they fit, how to close an open panel first (the rest stays as it was). A
 * sequence puts the chosen token's facts before the hints. */
void status_draw(const struct ui *u, struct rect r, const struct model *m, const char *note)
{
    if (r.h <= 0)
        return;
    ui_repeat(u, r.y, r.x, r.w, " ", ui_attr(u, ROLE_STATUS));
    const struct keymap_binding *hints[STATUS_HINTS_MAX];
    int x = r.x + 1, end = r.x + r.w;
    int fixed_w = 0;
    size_t n = status_hints(KEYMAP_PLACE_FIXED, hints, STATUS_HINTS_MAX);
    for (size_t i = 0; i < n; i++)
        fixed_w += status_hint_width(u, &hints[i]->hint);
    if (fixed_w <= r.w - 1) {
        int fx = end - fixed_w + 1;
        for (size_t i = 0; i < n; i++)
            fx += status_hint_draw(u, r.y, fx, &hints[i]->hint);
        end -= fixed_w;
    }
    const char *msg = m->message[0] ? m->message : note;
    if (m->playing) /* a script plays: its note instead of the hints */
        x = playing_draw(u, r.y, x, end - 1, m, msg && msg[0]) + 2;
    if (msg && msg[0]) {
        ui_token(u, r.y, x, end - x - 1, msg, strlen(msg), false, ui_attr(u, ROLE_MESSAGE));
        return;
    }
    if (m->playing)
        return;
    n = status_hints(KEYMAP_PLACE_CLOSE, hints, STATUS_HINTS_MAX);
    for (size_t i = 0; i < n; i++)
        if (status_panel_open(m, hints[i]) && x + status_hint_width(u, &hints[i]->hint) <= end)
            x += status_hint_draw(u, r.y, x, &hints[i]->hint);
    if (model_is_sequence(m))
        x = status_chosen(u, r.y, x, end - 1, m) + 2;
    bool lm = model_is_lm(m), fits = true;
    if (lm) { /* the keys that write first */
        n = status_lm_hints(hints, STATUS_HINTS_MAX);
        for (size_t i = 0; i < n && fits; i++)
            if ((fits = x + status_hint_width(u, &hints[i]->lm_hint) <= end))
                x += status_hint_draw(u, r.y, x, &hints[i]->lm_hint);
    }
    n = status_hints(KEYMAP_PLACE_HINT, hints, STATUS_HINTS_MAX);
    for (size_t i = 0; i < n && fits; i++) {
        if (lm && hints[i]->lm_order)
            continue;
        if (x + status_hint_width(u, &hints[i]->hint) > end)
            break;
        x += status_hint_draw(u, r.y, x, &hints[i]->hint);
    }
}

void too_small_draw(const struct ui *u, int cols, int rows)
{
    char need[64];
    snprintf(need, sizeof need, "%dx%d, need %dx%d", cols, rows, LAYOUT_MIN_COLS,
             LAYOUT_MIN_ROWS);
    const char *lines[4] = {"terminal too small", need, "enlarge it, or q to quit"};
    int n = 3;
    if (cols < ui_width(lines[2])) { /* narrow: the advice on two lines, not cut */
        lines[2] = "enlarge it,";
        lines[3] = "or q to quit";
        n = 4;
    }
    int y0 = rows > n ? (rows - n) / 2 : 0;
    for (int i = 0; i < n && y0 + i < rows; i++) {
        int w = ui_width(lines[i]);
        int x = cols > w ? (cols - w) / 2 : 0;
        ui_text(u, y0 + i, x, cols - x, lines[i], ui_attr(u, i == 0 ? ROLE_WARN : ROLE_LABEL));
    }
}
