/* settings.c: named parameter sets from `name<TAB>temperature<TAB>top_k<TAB>top_p[<TAB>min_p]`
 * files. Ranges are checked here, line by line, so a bad value is reported with its line
 * (the same ranges as params_check() in the engine). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textfile.h"
#include "logitscope/parse.h"
#include "logitscope/settings.h"
#include "logitscope/text.h"

#define SETTINGS_MAX_COLS 5

/* Where the error is, for messages. */
struct settings_at {
    const char *path;
    size_t line;
};

/* Splits at raw tabs; returns the column count (more than max means too many). */
static size_t settings_split(const char *s, size_t len, const char **col, size_t *clen,
                             size_t max)
{
    size_t n = 0, start = 0;

    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '\t')
            continue;
        if (n < max) {
            col[n] = s + start;
            clen[n] = i - start;
        }
        n++;
        start = i + 1;
    }
    return n;
}

/* A short display-safe copy of a value for a message. */
static const char *settings_shown(const char *s, size_t len, char *buf, size_t cap)
{
    text_escape(s, len < 40 ? len : 40, TEXT_ASCII, buf, cap);
    return buf;
}

/* A real-valued column; lo_open says whether lo itself is excluded. */
static int settings_real(const struct settings_at *at, const char *what, const char *s,
                         size_t len, double lo, bool lo_open, double hi, double *out,
                         struct ls_error *err)
{
    char q[200];
    enum parse_status st = parse_double(s, len, out);

    if (st != PARSE_OK && st != PARSE_POS_INF && st != PARSE_NEG_INF)
        return ls_error_set(err, "%s:%zu: %s \"%s\": %s", at->path, at->line, what,
                            settings_shown(s, len, q, sizeof q), parse_status_str(st));
    if (st != PARSE_OK || (lo_open ? !(*out > lo) : !(*out >= lo)) || !(*out <= hi)) {
        char range[64];
        if (isinf(hi))
            snprintf(range, sizeof range, "a finite number >= %g", lo);
        else
            snprintf(range, sizeof range, "in %c%g, %g]", lo_open ? '(' : '[', lo, hi);
        return ls_error_set(err, "%s:%zu: %s must be %s, got %s", at->path, at->line, what,
                            range, settings_shown(s, len, q, sizeof q));
    }
    return 0;
}

static int settings_top_k(const struct settings_at *at, const char *s, size_t len,
                          size_t *out, struct ls_error *err)
{
    char q[200];

    if (parse_size(s, len, out) != PARSE_OK)
        return ls_error_set(err, "%s:%zu: top_k must be a whole number >= 0 (0 = off), got "
                                 "\"%s\"", at->path, at->line,
                            settings_shown(s, len, q, sizeof q));
    return 0;
}

static int settings_name(const struct settings_at *at, const char *s, size_t len,
                         char **out, struct ls_error *err)
{
    char why[160], *name;
    size_t n;

    if (len == 0)
        return ls_error_set(err, "%s:%zu: the setting has no name", at->path, at->line);
    if (!(name = malloc(len + 1)))
        return ls_error_set(err, "%s:%zu: out of memory", at->path, at->line);
    if (token_unescape(s, len, name, &n, why, sizeof why) < 0) {
        free(name);
        return ls_error_set(err, "%s:%zu: name has %s", at->path, at->line, why);
    }
    name[n] = '\0';
    *out = name;
    return 0;
}

/* One data line into *st. */
static int settings_line(const struct settings_at *at, const char *s, size_t len,
                         struct setting *st, struct ls_error *err)
{
    const char *col[SETTINGS_MAX_COLS];
    size_t clen[SETTINGS_MAX_COLS];
    size_t n = settings_split(s, len, col, clen, SETTINGS_MAX_COLS);
    struct params *p = &st->params;

    if (n < 4 || n > 5)
        return ls_error_set(err, "%s:%zu: expected 4 or 5 tab-separated columns "
                                 "(name, temperature, top_k, top_p[, min_p]), found %zu",
                            at->path, at->line, n);
    *p = (struct params){.top_p = 1.0, .order = ORDER_HF};
    if (settings_real(at, "temperature", col[1], clen[1], 0.0, false, INFINITY,
                      &p->temperature, err) < 0 ||
        settings_top_k(at, col[2], clen[2], &p->top_k, err) < 0 ||
        settings_real(at, "top_p", col[3], clen[3], 0.0, true, 1.0, &p->top_p, err) < 0 ||
        (n == 5 &&
         settings_real(at, "min_p", col[4], clen[4], 0.0, false, 1.0, &p->min_p, err) < 0))
        return -1;
    return settings_name(at, col[0], clen[0], &st->name, err);
}

static int settings_push(struct settings *s, size_t *cap, const struct setting *st)
{
    if (s->n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        struct setting *q = realloc(s->items, c * sizeof *q);
        if (!q)
            return -1;
        s->items = q;
        *cap = c;
    }
    s->items[s->n++] = *st;
    return 0;
}

int settings_load(struct settings *s, const char *path, struct ls_error *err)
{
    struct settings t = {0};
    struct line_reader r;
    struct setting st;
    const char *line;
    size_t len, cap = 0;
    int rc;

    if (line_open(&r, path, err) < 0)
        return -1;
    while ((rc = line_next(&r, &line, &len, err)) > 0) {
        struct settings_at at = {r.path, r.lineno};
        if ((len > 0 && line[0] == '#') || line_is_blank(line, len))
            continue;
        if (settings_line(&at, line, len, &st, err) < 0)
            break;
        if (settings_push(&t, &cap, &st) < 0) {
            free(st.name);
            rc = ls_error_set(err, "%s:%zu: out of memory", r.path, r.lineno);
            break;
        }
    }
    if (rc == 0 && t.n == 0)
        rc = ls_error_set(err, r.any_bytes ? "%s: no settings (only comments or blank lines)"
                                           : "%s: no settings (the file is empty)", r.path);
    line_close(&r);
    if (rc != 0) {
        settings_free(&t);
        return -1;
    }
    *s = t;
    return 0;
}

void settings_free(struct settings *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i].name);
    free(s->items);
    s->items = NULL;
    s->n = 0;
}
