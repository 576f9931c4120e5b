/* load_tsv.c: the text formats. `token<TAB>logit` files, plus the line reader and the token
 * unescaper that the --vocab list and settings files share. Every error names FILE:LINE.
 *
 * Rules: a line whose first byte is '#' is a comment, so a token that starts with '#' is
 * written \x23; blank lines (empty or spaces only) are skipped; the token is everything
 * before the first raw tab, spaces included; \t \n \\ \xHH are its only escapes. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "loader.h"
#include "logitscope/parse.h"
#include "logitscope/text.h"

int line_open(struct line_reader *r, const char *path, struct ls_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->f = fopen(path, "rb");
    if (!r->f)
        return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    return 0;
}

int line_next(struct line_reader *r, const char **s, size_t *len, struct ls_error *err)
{
    ssize_t got;
    size_t n;

    errno = 0;
    got = getline(&r->buf, &r->cap, r->f);
    if (got < 0) {
        int e = errno;
        if (ferror(r->f) || e == ENOMEM)
            return ls_error_set(err, "%s: cannot read: %s", r->path, strerror(e ? e : EIO));
        return 0;
    }
    r->lineno++;
    r->any_bytes = true;
    n = (size_t)got;
    if (memchr(r->buf, '\0', n))
        return ls_error_set(err, "%s:%zu: line contains a NUL byte (binary file?)", r->path,
                            r->lineno);
    if (n > 0 && r->buf[n - 1] == '\n')
        n--;
    if (n > 0 && r->buf[n - 1] == '\r')
        n--; /* CRLF files read the same as LF files */
    size_t bom = r->lineno == 1 && n >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    *s = r->buf + bom; /* a UTF-8 byte order mark (Windows editors) is not part of a token */
    *len = n - bom;
    return 1;
}

void line_close(struct line_reader *r)
{
    if (r->f)
        fclose(r->f);
    free(r->buf);
    memset(r, 0, sizeof *r);
}

bool line_is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ')
            return false;
    return true;
}

static int tsv_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Explains a bad escape "\c" for an error message. */
static void tsv_bad_escape(unsigned char c, char *why, size_t why_cap)
{
    if (c > 0x20 && c < 0x7f)
        snprintf(why, why_cap, "an unknown escape \\%c (allowed: \\t \\n \\\\ \\xHH)", c);
    else
        snprintf(why, why_cap,
                 "an unknown escape: \\ then byte 0x%02x (allowed: \\t \\n \\\\ \\xHH)", c);
}

int token_unescape(const char *s, size_t len, char *out, size_t *out_len, char *why,
                   size_t why_cap)
{
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\\') {
            out[o++] = s[i];
            continue;
        }
        if (++i == len) {
            snprintf(why, why_cap, "a lone backslash at the end (write a backslash as \\\\)");
            return -1;
        }
        switch (s[i]) {
        case 't': out[o++] = '\t'; break;
        case 'n': out[o++] = '\n'; break;
        case '\\': out[o++] = '\\'; break;
        case 'x': {
            int hi = i + 1 < len ? tsv_hex(s[i + 1]) : -1;
            int lo = i + 2 < len ? tsv_hex(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                snprintf(why, why_cap, "\\x without two hex digits after it");
                return -1;
            }
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
            break;
        }
        default:
            tsv_bad_escape((unsigned char)s[i], why, why_cap);
            return -1;
        }
    }
    *out_len = o;
    return 0;
}

/* Grows an array of `size`-byte elements to hold at least `need`. */
static int tsv_grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap ? *cap : 1024;
    void *q;

    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    if (!(q = realloc(*p, c * size)))
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int tsv_grow_tokens(struct vocab_build *b)
{
    struct vocab *v = &b->v;
    size_t cap = b->cap, cap2 = b->cap, cap3 = b->cap;

    if (v->n < b->cap)
        return 0;
    if (tsv_grow((void **)&v->tok_off, &cap, v->n + 1, sizeof *v->tok_off) < 0 ||
        tsv_grow((void **)&v->tok_len, &cap2, v->n + 1, sizeof *v->tok_len) < 0)
        return -1;
    if (b->with_logits &&
        tsv_grow((void **)&v->logits, &cap3, v->n + 1, sizeof *v->logits) < 0)
        return -1;
    b->cap = cap;
    return 0;
}

int vocab_build_add(struct vocab_build *b, const char *esc, size_t len, double logit,
                    char *why, size_t why_cap)
{
    struct vocab *v = &b->v;
    size_t ulen;

    if (v->n >= VOCAB_MAX_TOKENS) {
        snprintf(why, why_cap, "more than %zu tokens", VOCAB_MAX_TOKENS);
        return -1;
    }
    if (len > UINT32_MAX) {
        snprintf(why, why_cap, "a token longer than 4 GiB");
        return -1;
    }
    /* +1: the text buffer exists even when every token is empty (NULL means "#INDEX") */
    if (tsv_grow_tokens(b) < 0 ||
        tsv_grow((void **)&v->text, &b->text_cap, b->text_len + len + 1, 1) < 0) {
        snprintf(why, why_cap, "out of memory after %zu tokens", v->n);
        return -1;
    }
    if (token_unescape(esc, len, v->text + b->text_len, &ulen, why, why_cap) < 0)
        return -1;
    v->tok_off[v->n] = b->text_len;
    v->tok_len[v->n] = (uint32_t)ulen;
    if (b->with_logits)
        v->logits[v->n] = logit;
    b->text_len += ulen;
    v->n++;
    return 0;
}

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

int vocab_load_tsv(struct vocab *v, const char *path, struct ls_error *err)
{
    struct vocab_build b = {.with_logits = true};
    struct line_reader r;
    const char *s;
    size_t len;
    int rc;

    if (line_open(&r, path, err) < 0)
        return -1;
    while ((rc = line_next(&r, &s, &len, err)) > 0) {
        if ((len > 0 && s[0] == '#') || line_is_blank(s, len))
            continue;
        if (tsv_line(&b, &r, s, len, err) < 0)
            break;
    }
    if (rc == 0 && b.v.n == 0)
        rc = ls_error_set(err, r.any_bytes ? "%s: no tokens (only comments or blank lines)"
                                           : "%s: no tokens (the file is empty)", path);
    line_close(&r);
    if (rc != 0) {
        vocab_free(&b.v);
        return -1;
    }
    if (!(b.v.source = strdup(path))) {
        vocab_free(&b.v);
        return ls_error_set(err, "%s: out of memory", path);
    }
    return vocab_finish(&b.v, v, path, err);
}
