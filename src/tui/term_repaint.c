/* term_repaint.c: the screen's cells read back, as plain text (term_dump: snapshots) and as
 * the bytes that paint them again on a normal screen (term_repaint: a recording's end). */
#include "term.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* One cell's character as bytes into buf (MB_LEN_MAX * (CCHARW_MAX + 1) at least), with
 * its attributes and colour pair. Returns the length, or -1 past the row's last cell. */
static int term_cell(const cchar_t *cell, char *buf, mbstate_t *st, attr_t *attrs, short *pair)
{
    wchar_t wch[CCHARW_MAX + 1];
    if (getcchar(cell, wch, attrs, pair, NULL) == ERR || wch[0] == 0)
        return -1;
    size_t len = 0;
    for (int i = 0; i < CCHARW_MAX && wch[i]; i++) {
        size_t k = wcrtomb(buf + len, wch[i], st);
        if (k == (size_t)-1) {
            buf[len] = '?';
            k = 1;
        }
        len += k;
    }
    return (int)len;
}

/* The screen's rows, read one at a time into line (curses compacts the cells: a wide
 * character is one), and room for one row's bytes in buf. */
struct term_rows {
    cchar_t *line;
    char *buf;
    int cols, rows;
};

static int term_rows_open(struct term *t, struct term_rows *r)
{
    term_size(t, &r->cols, &r->rows);
    r->line = calloc((size_t)r->cols + 1, sizeof *r->line);
    r->buf = malloc((size_t)r->cols * (MB_LEN_MAX * (CCHARW_MAX + 1)) + 2);
    if (r->line && r->buf)
        return 0;
    free(r->line);
    free(r->buf);
    return -1;
}

static void term_rows_close(struct term_rows *r)
{
    free(r->line);
    free(r->buf);
}

int term_dump(struct term *t, FILE *out)
{
    struct term_rows r;
    if (term_rows_open(t, &r) != 0)
        return -1;
    for (int y = 0; y < r.rows; y++) {
        int n = mvwin_wchnstr(t->win, y, 0, r.line, r.cols);
        size_t len = 0, keep = 0;
        mbstate_t st;
        memset(&st, 0, sizeof st);
        for (int x = 0; n != ERR && x < r.cols; x++) {
            attr_t attrs;
            short pair;
            int k = term_cell(&r.line[x], r.buf + len, &st, &attrs, &pair);
            if (k < 0)
                break;
            if (r.buf[len] != ' ')
                keep = len + (size_t)k;
            len += (size_t)k;
        }
        r.buf[keep] = '\n';
        fwrite(r.buf, 1, keep + 1, out);
    }
    term_rows_close(&r);
    return ferror(out) ? -1 : 0;
}

/* One colour as SGR parameters (the 8 and 16 colours by their own codes, the rest by index)
 * into out; returns the length. */
static size_t term_sgr_color(char *out, size_t cap, short c, int base, int bright, int indexed)
{
    int n = 0;
    if (c >= 0 && c < 8)
        n = snprintf(out, cap, ";%d", base + c);
    else if (c >= 8 && c < 16)
        n = snprintf(out, cap, ";%d", bright + c - 8);
    else if (c >= 16)
        n = snprintf(out, cap, ";%d;5;%d", indexed, c);
    return n > 0 ? (size_t)n : 0;
}

#define TERM_SGR_MAX 48 /* "\e[0;1;2;3;4;5;7;38;5;255;48;5;255m" and its NUL */

/* The SGR sequence that sets exactly these attributes and this pair's colours. */
static void term_sgr(char out[TERM_SGR_MAX], attr_t a, short pair)
{
    static const struct {
        attr_t attr;
        const char *sgr;
    } attrs[] = {{A_BOLD, ";1"}, {A_DIM, ";2"}, {A_ITALIC, ";3"}, {A_UNDERLINE, ";4"},
                 {A_BLINK, ";5"}, {A_REVERSE | A_STANDOUT, ";7"}};
    size_t n = (size_t)snprintf(out, TERM_SGR_MAX, "\033[0");
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
        if (a & attrs[i].attr)
            n += (size_t)snprintf(out + n, TERM_SGR_MAX - n, "%s", attrs[i].sgr);
    short fg = -1, bg = -1;
    if (pair > 0 && pair_content(pair, &fg, &bg) == ERR)
        fg = bg = -1;
    n += term_sgr_color(out + n, TERM_SGR_MAX - n, fg, 30, 90, 38);
    n += term_sgr_color(out + n, TERM_SGR_MAX - n, bg, 40, 100, 48);
    snprintf(out + n, TERM_SGR_MAX - n, "m");
}

int term_repaint(struct term *t, FILE *out)
{
    struct term_rows r;
    if (term_rows_open(t, &r) != 0)
        return -1;
    const attr_t shown = A_ATTRIBUTES & ~A_COLOR;
    for (int y = 0; y < r.rows; y++) {
        /* at the row's start: the terminal's own attributes, and the row erased to its end
         * (a wider terminal than the frame keeps nothing old beside it) */
        fputs(y ? "\033[0m\r\n\033[K" : "\033[0m\r\033[K", out);
        int n = mvwin_wchnstr(t->win, y, 0, r.line, r.cols);
        bool last = y == r.rows - 1;
        mbstate_t st;
        memset(&st, 0, sizeof st);
        char sgr[TERM_SGR_MAX], now[TERM_SGR_MAX] = "\033[0m";
        int skipped = 0; /* plain blanks not written yet: the erased row shows them already */
        for (int x = 0; n != ERR && x < r.cols; x++) {
            attr_t attrs;
            short pair;
            char cell[MB_LEN_MAX * (CCHARW_MAX + 1)];
            int k = term_cell(&r.line[x], cell, &st, &attrs, &pair);
            if (k < 0)
                break;
            attrs &= shown;
            /* the last row is written whole, so the cursor ends after the frame */
            if (!last && k == 1 && cell[0] == ' ' && attrs == 0 && pair == 0) {
                skipped++;
                continue;
            }
            /* skipped blanks: as blanks when that is shorter and needs no new attributes */
            if (skipped > 0 && skipped <= 4 && strcmp(now, "\033[0m") == 0)
                fprintf(out, "%*s", skipped, "");
            else if (skipped > 0)
                fprintf(out, "\033[%dC", skipped);
            skipped = 0;
            term_sgr(sgr, attrs, pair);
            if (strcmp(sgr, now) != 0) { /* roles that look the same need no new sequence */
                fputs(sgr, out);
                memcpy(now, sgr, sizeof now);
            }
            fwrite(cell, 1, (size_t)k, out);
        }
    }
    fputs("\033[0m", out);
    term_rows_close(&r);
    return ferror(out) ? -1 : 0;
}

char *term_repaint_bytes(struct term *t, size_t *len)
{
    char *buf = NULL;
    *len = 0;
    FILE *mem = open_memstream(&buf, len);
    if (!mem)
        return NULL;
    bool ok = term_repaint(t, mem) == 0;
    if (fclose(mem) != 0 || !ok) {
        free(buf);
        *len = 0;
        return NULL;
    }
    return buf;
}
