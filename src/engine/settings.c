/* settings.c: named parameter sets from tab-separated files. Positional columns follow the
 * CSV's order (name, temperature, top_k, top_p, then min_p and every later parameter, then
 * samplers); a first line starting with `name` instead names the columns it has. Ranges are
 * checked here, line by line, so a bad value is reported with its line (the same ranges as
 * params_check() in the engine, from the one parameter table). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textfile.h"
#include "logitscope/parse.h"
#include "logitscope/settings.h"
#include "logitscope/text.h"

#define SETTINGS_REQUIRED 4 /* name, temperature, top_k, top_p: today's files */
#define SETTINGS_COL_SAMPLERS PARAM_COUNT     /* the chain: names, or a preset */
#define SETTINGS_COL_ORDER (PARAM_COUNT + 1)  /* a preset name, as the CSV writes it */
#define SETTINGS_COL_BREAKERS (PARAM_COUNT + 2) /* DRY's sequence breakers */
#define SETTINGS_MAX_COLS (PARAM_COUNT + 4)   /* name, every parameter, the three above */
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

/* A real-valued (or signed whole) column, checked against the parameter table. */
static int settings_real(const struct settings_at *at, enum param_id id, const char *s,
                         size_t len, double *out, struct ls_error *err)
{
    char q[200];
    const struct param_spec *ps = param_spec(id);
    enum parse_status st = parse_double(s, len, out);

    if (st != PARSE_OK && st != PARSE_POS_INF && st != PARSE_NEG_INF)
        return ls_error_set(err, "%s:%zu: %s \"%s\": %s", at->path, at->line, ps->name,
                            settings_shown(s, len, q, sizeof q), parse_status_str(st));
    if (st != PARSE_OK || !param_in_domain(id, *out))
        return ls_error_set(err, "%s:%zu: %s must be %s, got %s", at->path, at->line, ps->name,
                            ps->allowed, settings_shown(s, len, q, sizeof q));
    return 0;
}

static int settings_whole(const struct settings_at *at, const char *what, const char *s,
                          size_t len, size_t *out, struct ls_error *err)
{
    char q[200];

    if (parse_size(s, len, out) != PARSE_OK)
        return ls_error_set(err, "%s:%zu: %s must be a whole number >= 0%s, got \"%s\"",
                            at->path, at->line, what,
                            strcmp(what, "top_k") == 0 ? " (0 = off)" : "",
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

/* The columns of a file: what each holds, and how many a line needs at least. */
struct settings_cols {
    int what[SETTINGS_MAX_COLS]; /* column i >= 1: a param_id or SETTINGS_COL_* */
    size_t n, required;
    bool named;                  /* from a header line */
};

static void settings_cols_positional(struct settings_cols *c)
{
    c->n = 1;
    for (int i = 0; i < PARAM_COUNT; i++) {
        if (i == PARAM_AFTER_SAMPLERS)
            c->what[c->n++] = SETTINGS_COL_SAMPLERS;
        c->what[c->n++] = i;
    }
    c->what[c->n++] = SETTINGS_COL_BREAKERS;
    c->required = SETTINGS_REQUIRED;
    c->named = false;
}

static int settings_col_find(const char *s, size_t len)
{
    if (len == 8 && memcmp(s, "samplers", 8) == 0)
        return SETTINGS_COL_SAMPLERS;
    if (len == 5 && memcmp(s, "order", 5) == 0)
        return SETTINGS_COL_ORDER;
    if (len == 21 && memcmp(s, "dry_sequence_breakers", 21) == 0)
        return SETTINGS_COL_BREAKERS;
    return param_find(s, len);
}

/* A header line: name, then known column names, each once. */
static int settings_header(const struct settings_at *at, const char *const *col,
                           const size_t *clen, size_t n, struct settings_cols *c,
                           struct ls_error *err)
{
    bool seen[SETTINGS_MAX_COLS] = {false};
    char q[200];
    if (n > SETTINGS_MAX_COLS)
        return ls_error_set(err, "%s:%zu: the header names %zu columns; there are %d", at->path,
                            at->line, n, SETTINGS_MAX_COLS);
    c->n = n;
    c->required = 1;
    c->named = true;
    for (size_t i = 1; i < n; i++) {
        int w = settings_col_find(col[i], clen[i]);
        if (w < 0)
            return ls_error_set(err, "%s:%zu: unknown column \"%s\" in the header (columns: "
                                     "the CSV's parameter names, samplers, order, "
                                     "dry_sequence_breakers)", at->path,
                                at->line, settings_shown(col[i], clen[i], q, sizeof q));
        if (seen[w])
            return ls_error_set(err, "%s:%zu: column \"%s\" appears twice in the header",
                                at->path, at->line,
                                settings_shown(col[i], clen[i], q, sizeof q));
        seen[w] = true;
        c->what[i] = w;
    }
    return 0;
}

static int settings_chain(const struct settings_at *at, const char *s, size_t len,
                          bool preset_only, struct setting *st, struct ls_error *err)
{
    char buf[256], q[200];
    if (len >= sizeof buf)
        return ls_error_set(err, "%s:%zu: the samplers column is too long", at->path, at->line);
    memcpy(buf, s, len);
    buf[len] = '\0';
    int preset = chain_preset_find(buf);
    if (preset >= 0) {
        st->params.chain = chain_preset((enum chain_preset)preset);
    } else if (preset_only) {
        if (strcmp(buf, "custom") == 0)
            return 0; /* the samplers column says which */
        return ls_error_set(err, "%s:%zu: order must be hf, llama, vllm or custom, got \"%s\"",
                            at->path, at->line, settings_shown(s, len, q, sizeof q));
    } else {
        struct ls_error why;
        if (chain_parse_names(buf, &st->params.chain, &why) < 0)
            return ls_error_set(err, "%s:%zu: samplers: %s", at->path, at->line, why.msg);
    }
    st->chain_given = true;
    return 0;
}

/* One value of column `what`; an empty one is the default (except where required). */
static int settings_value(const struct settings_at *at, int what, const char *s, size_t len,
                          bool may_be_empty, struct setting *st, struct ls_error *err)
{
    if (may_be_empty && line_is_blank(s, len))
        return 0;
    if (what == SETTINGS_COL_SAMPLERS || what == SETTINGS_COL_ORDER)
        return settings_chain(at, s, len, what == SETTINGS_COL_ORDER, st, err);
    if (what == SETTINGS_COL_BREAKERS) {
        struct ls_error why;
        if (dry_breakers_parse(s, len, &st->params.breakers, &why) < 0)
            return ls_error_set(err, "%s:%zu: dry_sequence_breakers: %s", at->path, at->line,
                                why.msg);
        return 0;
    }
    const struct param_spec *ps = param_spec((enum param_id)what);
    if (ps->kind == PARAM_WHOLE)
        return settings_whole(at, ps->name, s, len, &st->params.v[what].whole, err);
    return settings_real(at, (enum param_id)what, s, len, &st->params.v[what].real, err);
}

/* One data line into *st. */
static int settings_line(const struct settings_at *at, const struct settings_cols *cols,
                         const char *s, size_t len, struct setting *st, struct ls_error *err)
{
    const char *col[SETTINGS_MAX_COLS];
    size_t clen[SETTINGS_MAX_COLS];
    size_t n = settings_split(s, len, col, clen, SETTINGS_MAX_COLS);

    memset(st, 0, sizeof *st);
    if (n < cols->required || n > cols->n) {
        if (cols->named)
            return ls_error_set(err, "%s:%zu: expected at most %zu tab-separated columns (as "
                                     "the header names), found %zu", at->path, at->line,
                                cols->n, n);
        return ls_error_set(err, "%s:%zu: expected 4 to %zu tab-separated columns (name, "
                                 "temperature, top_k, top_p[, min_p, ..., samplers, "
                                 "repeat_penalty, ..., dry_sequence_breakers]), found %zu",
                            at->path, at->line, cols->n, n);
    }
    st->params = params_default();
    st->line = at->line;
    for (size_t i = 1; i < n; i++)
        if (settings_value(at, cols->what[i], col[i], clen[i], i >= cols->required, st, err))
            return -1;
    if (st->chain_given) {
        int bad = params_unused(&st->params);
        if (bad >= 0) {
            char why[400];
            params_unused_message(&st->params, (enum param_id)bad, false, "the samplers column:", why,
                                  sizeof why);
            return ls_error_set(err, "%s:%zu: %s", at->path, at->line, why);
        }
    }
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
    struct settings_cols cols;
    const char *line;
    size_t len, cap = 0;
    bool first = true;
    int rc;

    settings_cols_positional(&cols);
    if (line_open(&r, path, err) < 0)
        return -1;
    while ((rc = line_next(&r, &line, &len, err)) > 0) {
        struct settings_at at = {r.path, r.lineno};
        if ((len > 0 && line[0] == '#') || line_is_blank(line, len))
            continue;
        if (first && len >= 4 && memcmp(line, "name", 4) == 0 && (len == 4 || line[4] == '\t')) {
            const char *col[SETTINGS_MAX_COLS + 1];
            size_t clen[SETTINGS_MAX_COLS + 1];
            size_t n = settings_split(line, len, col, clen, SETTINGS_MAX_COLS + 1);
            first = false;
            if ((rc = settings_header(&at, col, clen, n, &cols, err)) < 0)
                break;
            continue;
        }
        first = false;
        if ((rc = settings_line(&at, &cols, line, len, &st, err)) < 0) {
            free(st.name);
            break;
        }
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
