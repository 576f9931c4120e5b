/* load_tsv.c: `token<TAB>logit` files. Every error names FILE:LINE.
 *
 * Rules: a line whose first byte is '#' is a comment, so a token that starts with '#' is
 * written \x23; blank lines (empty or spaces only) are skipped; the token is everything
 * before the first raw tab, spaces included, with the escapes of textfile.h (\t \n \r \e \\
 * \xHH \uXXXX \UXXXXXXXX). A first data line `token<TAB>logit` or `token<TAB>logprob` (any
 * case) is a header, as pandas and spreadsheets write one. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "loader.h"
#include "textfile.h"
#include "vocab_build.h"
#include "logitscope/parse.h"
#include "logitscope/text.h"

/* A short, display-safe copy of a bad field for an error message. */
static const char *tsv_excerpt(const char *s, size_t len, char *buf, size_t cap)
{
    size_t b = 0, n;
    bool cut;

    while (b < len && s[b] == ' ')
        b++;
    while (len > b && s[len - 1] == ' ')
        len--;
    n = len - b;
    cut = n > 40;
    if (cut) {
        n = 40;
        while (n > 0 && ((unsigned char)s[b + n] & 0xc0) == 0x80)
            n--; /* end on a character boundary */
    }
    n = text_escape(s + b, n, 0, buf, cap - 4);
    if (cut)
        memcpy(buf + n, "...", 4);
    return buf;
}

/* The logit field: a decimal number or -inf, nothing else. */
static int tsv_logit(const struct line_reader *r, const char *f, size_t len, double *x,
                     struct ls_error *err)
{
    char q[128];
    const char *p = r->path;
    size_t ln = r->lineno;

    switch (parse_double(f, len, x)) {
    case PARSE_OK:
    case PARSE_NEG_INF:
        return 0;
    case PARSE_EMPTY:
        return ls_error_set(err, "%s:%zu: no logit after the tab", p, ln);
    case PARSE_INVALID:
        return ls_error_set(err, "%s:%zu: logit \"%s\" is not a number", p, ln,
                            tsv_excerpt(f, len, q, sizeof q));
    case PARSE_TRAILING:
        return ls_error_set(err, "%s:%zu: logit \"%s\" has trailing characters after the number",
                            p, ln, tsv_excerpt(f, len, q, sizeof q));
    case PARSE_RANGE:
        return ls_error_set(err, "%s:%zu: logit %s is out of range", p, ln,
                            tsv_excerpt(f, len, q, sizeof q));
    case PARSE_NAN:
        return ls_error_set(err, "%s:%zu: logit is NaN", p, ln);
    case PARSE_POS_INF:
        return ls_error_set(err, "%s:%zu: logit is +inf (only -inf is allowed)", p, ln);
    }
    return ls_error_set(err, "%s:%zu: logit cannot be read", p, ln);
}

/* One `token<TAB>logit` line. */
static int tsv_line(struct vocab_build *b, const struct line_reader *r, const char *s,
                    size_t len, struct ls_error *err)
{
    const char *tab = memchr(s, '\t', len), *f;
    size_t flen;
    double x;
    char why[160];

    if (!tab)
        return ls_error_set(err, "%s:%zu: no tab between token and logit", r->path, r->lineno);
    f = tab + 1;
    flen = (size_t)(s + len - f);
    if (memchr(f, '\t', flen))
        return ls_error_set(err, "%s:%zu: more than one tab (the line is token<TAB>logit; "
                                 "write a tab inside a token as \\t)", r->path, r->lineno);
    if (tsv_logit(r, f, flen, &x, err) < 0)
        return -1;
    if (vocab_build_add(b, s, (size_t)(tab - s), x, why, sizeof why) < 0)
        return ls_error_set(err, "%s:%zu: token has %s", r->path, r->lineno, why);
    return 0;
}

/* The header line some writers put first: `token<TAB>logit` or `token<TAB>logprob`, any case.
 * Never a token line, whose logit must be a number. */
static bool tsv_is_header(const char *s, size_t len)
{
    return (len == 11 && strncasecmp(s, "token\tlogit", 11) == 0) ||
           (len == 13 && strncasecmp(s, "token\tlogprob", 13) == 0);
}

/* The vocabulary r's lines give; r is closed. */
static int tsv_read(struct vocab *v, struct line_reader *r, struct ls_error *err)
{
    struct vocab_build b = {.with_logits = true};
    const char *s, *name = r->path;
    size_t len, seen_data = 0;
    int rc;

    while ((rc = line_next(r, &s, &len, err)) > 0) {
        if ((len > 0 && s[0] == '#') || line_is_blank(s, len))
            continue;
        if (!seen_data++ && tsv_is_header(s, len))
            continue;
        if (tsv_line(&b, r, s, len, err) < 0)
            break;
    }
    if (rc == 0 && b.v.n == 0)
        rc = ls_error_set(err, r->any_bytes ? "%s: no tokens (only comments or blank lines)"
                                            : "%s: no tokens (the file is empty)", name);
    line_close(r);
    if (rc != 0) {
        vocab_free(&b.v);
        return -1;
    }
    if (!(b.v.source = strdup(name))) {
        vocab_free(&b.v);
        return ls_error_set(err, "%s: out of memory", name);
    }
    return vocab_finish(&b.v, v, name, err);
}

int vocab_load_tsv(struct vocab *v, const char *path, struct ls_error *err)
{
    struct line_reader r;
    if (line_open(&r, path, err) < 0)
        return -1;
    return tsv_read(v, &r, err);
}

int vocab_load_tsv_stream(struct vocab *v, int fd, const char *name, const void *head,
                          size_t head_len, bool ended, struct ls_error *err)
{
    struct line_reader r;
    if (line_open_stream(&r, fd, name, head, head_len, ended, err) < 0)
        return -1;
    return tsv_read(v, &r, err);
}
