/* strip.c: a sequence's two strips. The text strip shows the generated text around the
 * current position with its token highlighted; the text is escaped a character at a time, so
 * the byte-level tokens that split a character join into it again. The entropy strip gives
 * each position a cell as high as its entropy under the current chain (0 to log2 of the
 * largest vocabulary), so the places where the model was unsure stand out; positions whose
 * chosen token the chain cuts are coloured. The geometry is shared with the mouse. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "logitscope/text.h"
#include "widgets.h"

#define STRIP_UNIT_ESC 16 /* an escaped character: "\U0010ffff" at most */

/* ---- the text strip ---- */

static unsigned strip_text_flags(const struct model *m)
{
    return m->screen.ascii ? TEXT_ASCII : 0;
}

/* Columns of the character at s (its escape's). */
static int strip_unit_width(const struct model *m, const char *s, size_t n)
{
    char esc[STRIP_UNIT_ESC];
    size_t len = text_escape(s, n, strip_text_flags(m), esc, sizeof esc);
    return (int)text_width(esc, len);
}

/* The start of the character that holds byte `at`, scanning from `from` (a character's
 * start) on; len is the text's. */
static size_t strip_unit_start(const char *text, size_t len, size_t from, size_t at)
{
    size_t i = from;
    while (i < at) {
        size_t n = ui_char_len(text + i, len - i);
        if (i + n > at)
            break;
        i += n;
    }
    return i;
}

/* Width of text[a, b) (characters from a on). */
static int strip_span_width(const struct model *m, size_t a, size_t b)
{
    const char *text = m->src->text;
    int w = 0;
    for (size_t i = a; i < b;) {
        size_t n = ui_char_len(text + i, b - i);
        w += strip_unit_width(m, text + i, n);
        i += n;
    }
    return w;
}

void text_strip_geom(const struct model *m, struct rect r, int label_w, struct text_strip *t)
{
    const char *text = m->src->text;
    size_t len = m->src->text_len;
    memset(t, 0, sizeof *t);
    t->x = widget_value_x(r, label_w);
    t->end = r.x + r.w - 1;
    int room = t->end - t->x;
    room = room > TEXT_STRIP_MAX_W ? TEXT_STRIP_MAX_W : room;
    if (room < 1 || r.h <= 0)
        return;
    t->shown = true;
    /* the current token, widened to whole characters */
    size_t a = m->seq.step.text_off, b = a + m->seq.step.text_len;
    size_t back = (size_t)room * 4 + 4, safe = a > back ? a - back : 0;
    while (safe > 0 && ((unsigned char)text[safe] & 0xc0) == 0x80)
        safe--;
    t->cur_from = strip_unit_start(text, len, safe, a);
    t->cur_to = t->cur_from;
    if (b > a) {
        t->cur_to = strip_unit_start(text, len, t->cur_from, b - 1);
        t->cur_to += ui_char_len(text + t->cur_to, len - t->cur_to);
    }
    t->cur_w = t->cur_to > t->cur_from ? strip_span_width(m, t->cur_from, t->cur_to) : 1;
    t->from = t->cur_from;
    t->to = t->cur_to;
    int left = room - t->cur_w;
    if (left <= 0)
        return;
    /* what follows, up to a screenful; the text before gets a third of the room, or all the
     * room the text after leaves */
    int after = 0;
    for (size_t i = t->cur_to; i < len && after < left;) {
        size_t n = ui_char_len(text + i, len - i);
        after += strip_unit_width(m, text + i, n);
        i += n;
    }
    size_t starts[4 * TEXT_STRIP_MAX_W + 8];
    int ns = 0, before_w = 0;
    for (size_t i = safe; i < t->cur_from && ns < (int)(sizeof starts / sizeof *starts);) {
        size_t n = ui_char_len(text + i, len - i);
        starts[ns++] = i;
        before_w += strip_unit_width(m, text + i, n);
        i += n;
    }
    int want = left / 3 > left - after ? left / 3 : left - after;
    want = want < before_w ? want : before_w;
    /* characters before, backwards from the current token; an ellipsis when some are left */
    int used = 0;
    for (int k = ns - 1; k >= 0; k--) {
        size_t end = k + 1 < ns ? starts[k + 1] : t->cur_from;
        int w = strip_unit_width(m, text + starts[k], end - starts[k]);
        if (used + w + (starts[k] > 0 ? 1 : 0) > want)
            break;
        used += w;
        t->from = starts[k];
    }
    t->more_left = t->from > 0;
    int rest = left - used - (t->more_left ? 1 : 0);
    int w_after = 0;
    while (t->to < len) {
        size_t n = ui_char_len(text + t->to, len - t->to);
        int w = strip_unit_width(m, text + t->to, n);
        if (w_after + w + (t->to + n < len ? 1 : 0) > rest)
            break;
        w_after += w;
        t->to += n;
    }
    t->more_right = t->to < len;
}

size_t text_strip_position_at(const struct model *m, const struct text_strip *t, int x)
{
    if (!t->shown)
        return SOURCE_NONE;
    const char *text = m->src->text;
    int at = t->x + (t->more_left ? 1 : 0);
    for (size_t i = t->from; i < t->to;) {
        bool cur = i >= t->cur_from && i < t->cur_to;
        size_t end = cur ? t->cur_to : i + ui_char_len(text + i, t->to - i);
        int w = cur ? t->cur_w : strip_span_width(m, i, end);
        if (x >= at && x < at + w)
            return cur ? m->seq.pos : source_position_at(m->src, i);
        at += w;
        i = end;
    }
    if (t->cur_from == t->cur_to && x == at) /* an empty token's placeholder, at the end */
        return m->seq.pos;
    return SOURCE_NONE;
}

/* text[a, b) escaped, at x; returns the columns it took. */
static int strip_text_run(const struct ui *u, int y, int x, int end, const struct model *m,
                          size_t a, size_t b, attr_t attr)
{
    char esc[4 * TEXT_STRIP_MAX_W + STRIP_UNIT_ESC];
    size_t n = 0;
    for (size_t i = a; i < b;) {
        size_t k = ui_char_len(m->src->text + i, b - i);
        if (n + STRIP_UNIT_ESC >= sizeof esc)
            break;
        n += text_escape(m->src->text + i, k, strip_text_flags(m), esc + n, sizeof esc - n);
        i += k;
    }
    esc[n] = '\0';
    return ui_text(u, y, x, end - x, esc, attr);
}

void text_strip_draw(const struct ui *u, struct rect r, const struct model *m, int label_w)
{
    if (r.h <= 0)
        return;
    ui_text(u, r.y, r.x + WIDGET_INDENT, label_w, "text", ui_attr(u, ROLE_LABEL));
    if (!m->src->has_chosen) {
        int x = widget_value_x(r, label_w);
        ui_text(u, r.y, x, r.x + r.w - x, "(not known: the chosen tokens were not given)",
                ui_attr(u, ROLE_CUT));
        return;
    }
    struct text_strip t;
    text_strip_geom(m, r, label_w, &t);
    if (!t.shown)
        return;
    int x = t.x, end = t.end;
    attr_t plain = ui_attr(u, ROLE_GEN), sep = ui_attr(u, ROLE_GEN_SEP);
    if (t.more_left)
        x += ui_text(u, r.y, x, end - x, u->g->ellipsis, sep);
    x += strip_text_run(u, r.y, x, end, m, t.from, t.cur_from, plain);
    if (t.cur_to > t.cur_from)
        x += strip_text_run(u, r.y, x, end, m, t.cur_from, t.cur_to, ui_attr(u, ROLE_TEXT_NOW));
    else /* a token without bytes: a mark where it is */
        x += ui_text(u, r.y, x, end - x, u->g->sep, ui_attr(u, ROLE_TEXT_NOW));
    x += strip_text_run(u, r.y, x, end, m, t.cur_to, t.to, plain);
    if (t.more_right)
        ui_text(u, r.y, x, end + 1 - x, u->g->ellipsis, sep);
}

/* ---- the entropy strip ---- */

static int strip_digits(size_t n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

void entropy_strip_geom(const struct model *m, struct rect r, int label_w,
                        struct entropy_strip *g)
{
    memset(g, 0, sizeof *g);
    size_t n = m->src->n;
    int count_w = 1 + 2 * strip_digits(n) + 1; /* " 12/345", as wide at every position */
    g->x = widget_value_x(r, label_w);
    g->count_x = r.x + r.w - count_w;
    int cells = g->count_x - g->x;
    if (r.h <= 0 || cells < 1) {
        g->count_x = g->x;
        return;
    }
    g->cells = (size_t)cells < n ? cells : (int)n;
    size_t half = (size_t)g->cells / 2, pos = m->seq.pos;
    g->first = pos > half ? pos - half : 0;
    if (g->first + (size_t)g->cells > n)
        g->first = n - (size_t)g->cells;
}

size_t entropy_strip_position_at(const struct entropy_strip *g, int x)
{
    return x >= g->x && x < g->x + g->cells ? g->first + (size_t)(x - g->x) : SOURCE_NONE;
}

void entropy_strip_draw(const struct ui *u, struct rect r, const struct model *m, int label_w)
{
    if (r.h <= 0)
        return;
    ui_text(u, r.y, r.x + WIDGET_INDENT, label_w,
            label_w >= LAYOUT_LABEL_W_WIDE ? "uncertainty" : "H/pos", ui_attr(u, ROLE_LABEL));
    struct entropy_strip g;
    entropy_strip_geom(m, r, label_w, &g);
    const struct model_seq *q = &m->seq;
    double top = m->src->max_vocab > 1 ? log2((double)m->src->max_vocab) : 1.0;
    for (int c = 0; c < g.cells; c++) {
        size_t i = g.first + (size_t)c;
        enum theme_role role = q->mark[i] == MODEL_MARK_OUTSIDE ? ROLE_STRIP_OUT : ROLE_STRIP;
        const char *cell = u->g->unseen;
        if (q->mark[i] == MODEL_MARK_UNSEEN) {
            role = ROLE_CUT;
        } else {
            double f = q->bits[i] / top;
            long level = lround((f < 0 ? 0 : f > 1 ? 1 : f) * 7);
            cell = u->g->levels[level];
        }
        ui_text(u, r.y, g.x + c, 1, cell, ui_attr(u, i == q->pos ? ROLE_STRIP_NOW : role));
    }
    ui_printf(u, r.y, g.count_x, r.x + r.w - g.count_x, ui_attr(u, ROLE_NUMBER), " %*zu/%zu",
              strip_digits(m->src->n), q->pos + 1, m->src->n);
}
