/* ui.c: clipped drawing primitives. Every write is bounded by the caller's width so that no
 * widget can spill into its neighbour or past the screen edge at any size. */
#include "ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "logitscope/text.h"


/* Bytes of a character as text_escape takes them: a valid UTF-8 sequence, else one byte. */
size_t ui_char_len(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned char c = s[0];
    size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
             : c >= 0xf0 && c <= 0xf4 ? 4 : 1;
    if (n == 1 || len < n)
        return 1;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 1;
    /* overlong, surrogate and beyond U+10FFFF: the second byte's range tells */
    if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) || (c == 0xf0 && s[1] < 0x90) ||
        (c == 0xf4 && s[1] > 0x8f))
        return 1;
    return n;
}

int ui_width(const char *s)
{
    return (int)text_width(s, strlen(s));
}

int ui_text(const struct ui *u, int y, int x, int maxw, const char *s, attr_t a)
{
    if (maxw <= 0 || !*s)
        return 0;
    size_t width, n = text_fit(s, strlen(s), (size_t)maxw, &width);
    if (n == 0)
        return 0;
    wattrset(u->win, a);
    mvwaddnstr(u->win, y, x, s, (int)n);
    return (int)width;
}

int ui_printf(const struct ui *u, int y, int x, int maxw, attr_t a, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return ui_text(u, y, x, maxw, buf, a);
}

int ui_repeat(const struct ui *u, int y, int x, int n, const char *glyph, attr_t a)
{
    if (n <= 0)
        return 0;
    char buf[1024];
    size_t gl = strlen(glyph), len = 0;
    int done = 0;
    wattrset(u->win, a);
    wmove(u->win, y, x);
    /* batch the glyphs: one waddnstr per chunk instead of one call per cell */
    while (done < n) {
        len = 0;
        int chunk = 0;
        while (done + chunk < n && len + gl < sizeof buf) {
            memcpy(buf + len, glyph, gl);
            len += gl;
            chunk++;
        }
        waddnstr(u->win, buf, (int)len);
        done += chunk;
    }
    return n;
}

static size_t ui_escape(const struct ui *u, const char *raw, size_t len, bool show_space,
                        char *out, size_t cap)
{
    unsigned flags = u->text_flags | (show_space ? TEXT_SHOW_SPACE : 0);
    return text_escape(raw, len, flags, out, cap);
}

int ui_token_width(const struct ui *u, const char *raw, size_t len, bool show_space)
{
    char buf[UI_TOKEN_BUF];
    size_t n = ui_escape(u, raw, len, show_space, buf, sizeof buf);
    return (int)text_width(buf, n);
}

int ui_token(const struct ui *u, int y, int x, int maxw, const char *raw, size_t len,
             bool show_space, attr_t a)
{
    if (maxw <= 0)
        return 0;
    char buf[UI_TOKEN_BUF];
    size_t n = ui_escape(u, raw, len, show_space, buf, sizeof buf);
    size_t width, fit = text_fit(buf, n, (size_t)maxw, &width);
    wattrset(u->win, a);
    if (fit == n) {
        if (n)
            mvwaddnstr(u->win, y, x, buf, (int)n);
        return (int)width;
    }
    /* too long: one column less, then the ellipsis */
    fit = text_fit(buf, n, (size_t)maxw - 1, &width);
    if (fit)
        mvwaddnstr(u->win, y, x, buf, (int)fit);
    mvwaddstr(u->win, y, x + (int)width, u->g->ellipsis);
    return (int)width + 1;
}

void ui_box(const struct ui *u, int y, int x, int h, int w)
{
    const struct glyphs *g = u->g;
    attr_t a = ui_attr(u, ROLE_TRACK);
    for (int i = 0; i < h; i++) {
        bool edge = i == 0 || i == h - 1;
        ui_repeat(u, y + i, x, w, edge ? g->box_h : " ", edge ? a : ui_attr(u, ROLE_HELP));
        ui_text(u, y + i, x, 1, i == 0 ? g->box_tl : i == h - 1 ? g->box_bl : g->box_v, a);
        ui_text(u, y + i, x + w - 1, 1, i == 0 ? g->box_tr : i == h - 1 ? g->box_br : g->box_v,
                a);
    }
}
