/* seq_json_text.c: the JSON reading layer: the text jansson reads (bare NaN and Infinity
 * quoted), offsets back to the file's line and column, and the messages that name them.
 *
 * Python's json module writes NaN, Infinity and -Infinity bare, which JSON does not allow
 * and jansson refuses; they are rewritten as the strings "NaN", "Infinity", "-Infinity"
 * (which protobuf's JSON and some Go and Java tools write anyway) before parsing. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/text.h"
#include "seq_json_internal.h"

int json_grow(struct json_buf *b, size_t need, size_t size)
{
    size_t cap = b->cap ? b->cap : 64;
    void *q;

    if (need <= b->cap)
        return 0;
    while (cap < need) {
        if (cap > SIZE_MAX / 2 / size)
            return -1;
        cap *= 2;
    }
    if (!(q = realloc(b->p, cap * size)))
        return -1;
    b->p = q;
    b->cap = cap;
    return 0;
}

/* ---- errors ---- */

/* "FILE: " for a whole document, "FILE:LINE: " for one chunk of a stream. */
static int json_prefix(const struct json_ctx *c, char *buf, size_t cap)
{
    return c->line ? snprintf(buf, cap, "%s:%zu: ", c->name, c->line)
                   : snprintf(buf, cap, "%s: ", c->name);
}

int json_fail(struct json_ctx *c, const char *fmt, ...)
{
    char where[512], what[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    json_prefix(c, where, sizeof where);
    return ls_error_set(c->err, "%s%s", where, what);
}

/* "LIST[i].TOP[j].FIELD" (parts left out when absent) into buf. */
static const char *json_path(const struct json_loc *loc, const char *field, char *buf,
                             size_t cap)
{
    size_t o = (size_t)snprintf(buf, cap, "%s[%zu]", loc->list, loc->i);

    if (loc->top && o < cap)
        o += (size_t)snprintf(buf + o, cap - o, ".%s[%zu]", loc->top, loc->j);
    if (field && o < cap)
        snprintf(buf + o, cap - o, ".%s", field);
    return buf;
}

int json_fail_at(struct json_ctx *c, const struct json_loc *loc, const char *field,
                 const char *what)
{
    char path[256];

    return json_fail(c, "%s: %s", json_path(loc, field, path, sizeof path), what);
}

const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "something else";
}

/* ---- the text: bare words, and positions back in the file ---- */

static bool json_word_char(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '.' || ch == '+' || ch == '-';
}

/* Length of a bare NaN / Infinity / -Infinity at d[i], or 0. */
static size_t json_bare_word(const unsigned char *d, size_t len, size_t i)
{
    static const char *const words[] = {"-Infinity", "Infinity", "NaN"};

    if (i > 0 && json_word_char(d[i - 1]))
        return 0;
    for (size_t w = 0; w < 3; w++) {
        size_t n = strlen(words[w]);
        if (len - i >= n && memcmp(d + i, words[w], n) == 0 &&
            (i + n == len || !json_word_char(d[i + n])))
            return n;
    }
    return 0;
}

/* Does d[0..len) contain word anywhere? */
static bool json_contains(const unsigned char *d, size_t len, const char *word)
{
    size_t n = strlen(word);

    for (const unsigned char *p = d, *end = d + len;
         (p = memchr(p, word[0], (size_t)(end - p))); p++)
        if ((size_t)(end - p) >= n && memcmp(p, word, n) == 0)
            return true;
    return false;
}

/* Finds the bare words outside strings (a string never spans lines in valid JSON, so a
 * line end closes one) and, when there are any, quotes them in a copy. */
int json_text_init(struct json_text *t, const unsigned char *d, size_t len)
{
    size_t count = 0, o = 0, q = 0;
    bool in_str = false;

    memset(t, 0, sizeof *t);
    t->orig = d;
    t->orig_len = len;
    t->text = (const char *)d;
    t->len = len;
    if (!json_contains(d, len, "NaN") && !json_contains(d, len, "Infinity"))
        return 0; /* the usual case, found at memchr speed */
    for (int pass = 0; pass < 2; pass++) {
        in_str = false;
        for (size_t i = 0; i < len; i++) {
            unsigned char ch = d[i];
            size_t w = 0;
            if (in_str) {
                if (ch == '\\' && i + 1 < len && d[i + 1] != '\n')
                    i++;
                else if (ch == '"' || ch == '\n')
                    in_str = false;
            } else if (ch == '"') {
                in_str = true;
            } else if ((ch == 'N' || ch == 'I' || ch == '-') && (w = json_bare_word(d, len, i))) {
                if (pass == 0) {
                    count++;
                } else {
                    memcpy(t->copy + o, d + q, i - q);
                    o += i - q;
                    t->quoted[t->n_quoted++] = o;
                    t->copy[o++] = '"';
                    memcpy(t->copy + o, d + i, w);
                    o += w;
                    t->copy[o++] = '"';
                    q = i + w;
                }
                i += w - 1;
            }
        }
        if (pass == 0) {
            if (count == 0)
                return 0;
            t->copy = malloc(len + 2 * count);
            t->quoted = malloc(count * sizeof *t->quoted);
            if (!t->copy || !t->quoted)
                return -1;
        }
    }
    memcpy(t->copy + o, d + q, len - q);
    t->text = t->copy;
    t->len = len + 2 * count;
    return 0;
}

void json_text_free(struct json_text *t)
{
    free(t->copy);
    free(t->quoted);
}

/* An offset in the text jansson read, back in the file. */
static size_t json_orig_offset(const struct json_text *t, size_t p)
{
    size_t back = 0;

    for (size_t k = 0; k < t->n_quoted && t->quoted[k] < p; k++) {
        char first = t->text[t->quoted[k] + 1];
        size_t word = first == '-' ? 9 : first == 'I' ? 8 : 3; /* -Infinity, Infinity, NaN */
        back += p > t->quoted[k] + word + 1 ? 2 : 1;
    }
    return p - back;
}

/* Line and column (in characters, as jansson counts them) of a file offset. */
static void json_line_col(const struct json_text *t, size_t off, size_t *line, size_t *col)
{
    size_t ln = 1, start = 0, cl = 0;

    off = off > t->orig_len ? t->orig_len : off;
    for (size_t i = 0; i < off; i++)
        if (t->orig[i] == '\n') {
            ln++;
            start = i + 1;
        }
    for (size_t i = start; i < off; i++)
        cl += (t->orig[i] & 0xc0) != 0x80;
    *line = ln;
    *col = cl;
}

/* A jansson syntax error at text offset base + e->position, as FILE:LINE:COL: what. */
static int json_syntax_error(struct json_ctx *c, size_t base, const json_error_t *e)
{
    size_t line, col, pos = e->position > 0 ? (size_t)e->position : 0;
    char shown[2 * sizeof e->text];

    json_line_col(c->t, json_orig_offset(c->t, base + pos), &line, &col);
    text_escape(e->text, strlen(e->text), 0, shown, sizeof shown);
    return ls_error_set(c->err, "%s:%zu:%zu: %s", c->name, line, col, shown);
}

/* Parses text[off, off + n) as exactly one value (or the first of several, `first_only`). */
json_t *json_parse(struct json_ctx *c, size_t off, size_t n, bool first_only, size_t *used)
{
    json_error_t e;
    json_t *v = json_loadb(c->t->text + off, n, JSON_ALLOW_NUL |
                           (first_only ? JSON_DISABLE_EOF_CHECK : 0), &e);

    if (!v) {
        json_syntax_error(c, off, &e);
        return NULL;
    }
    if (used)
        *used = (size_t)e.position;
    return v;
}
