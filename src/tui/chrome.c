/* chrome.c: the frame around the instruments: the title bar, the generated line, the status
 * line with the main keys (or the last message), and the "terminal too small" screen. */
#include <stdio.h>
#include <string.h>

#include "keymap.h"
#include "logitscope/vocab.h"
#include "widgets.h"

#define STATUS_HINTS_MAX 16 /* hints of one place on the status line */

void title_draw(const struct ui *u, struct rect r, const struct model *m)
{
    if (r.h <= 0)
        return;
    attr_t a = ui_attr(u, ROLE_TITLE), dim = ui_attr(u, ROLE_TITLE_DIM);
    ui_repeat(u, r.y, r.x, r.w, " ", a);
    int x = r.x + 1, end = r.x + r.w;
    x += ui_text(u, r.y, x, end - x, "logitscope ", a);
    const char *name = m->start.source_name ? m->start.source_name : "";
    int room = end - x - 1;
    room = room > 40 ? 40 : room;
    x += ui_token(u, r.y, x, room, name, strlen(name), false, dim);
    char facts[96];
    snprintf(facts, sizeof facts, "  V=%zu  N=%zu  seed %llu", m->vocab->n, m->samples,
             (unsigned long long)m->seed);
    x += ui_text(u, r.y, x, end - x, facts, dim);
    if (end - x >= 8)
        ui_text(u, r.y, end - 7, 6, "? help", dim);
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
    case ACT_COMPARE: return m->compare;
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

/* Help and quit always show at the right end; then the last message, or the hints left to
 * right while they fit, how to close an open panel first (the rest stays as it was). */
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
    if (msg && msg[0]) {
        ui_token(u, r.y, x, end - x - 1, msg, strlen(msg), false, ui_attr(u, ROLE_MESSAGE));
        return;
    }
    n = status_hints(KEYMAP_PLACE_CLOSE, hints, STATUS_HINTS_MAX);
    for (size_t i = 0; i < n; i++)
        if (status_panel_open(m, hints[i]) && x + status_hint_width(u, &hints[i]->hint) <= end)
            x += status_hint_draw(u, r.y, x, &hints[i]->hint);
    n = status_hints(KEYMAP_PLACE_HINT, hints, STATUS_HINTS_MAX);
    for (size_t i = 0; i < n; i++) {
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
