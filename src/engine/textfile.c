/* textfile.c: the line reader and the token unescaper shared by the text formats (TSV
 * logits, --vocab lists, settings files). The escapes are exactly those text_escape()
 * writes, so a token copied from the display or a CSV file reads back as the same bytes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logitscope/parse.h"
#include "textfile.h"

#define LINE_CHUNK ((size_t)1 << 16)

const char *line_path_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int line_open(struct line_reader *r, const char *path, struct ls_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = line_path_name(path);
    r->is_stdin = strcmp(path, "-") == 0;
    r->fd = r->is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0)
        return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    if (!(r->chunk = malloc(LINE_CHUNK))) {
        line_close(r);
        return ls_error_set(err, "%s: out of memory", r->path);
    }
    return 0;
}

int line_open_stream(struct line_reader *r, int fd, const char *name, const void *head,
                     size_t head_len, bool ended, struct ls_error *err)
{
    memset(r, 0, sizeof *r);
    r->path = name;
    r->is_stdin = true;
    r->ended = ended;
    r->fd = fd;
    if (!(r->chunk = malloc(head_len > LINE_CHUNK ? head_len : LINE_CHUNK)))
        return ls_error_set(err, "%s: out of memory", name);
    memcpy(r->chunk, head, head_len);
    r->chunk_len = head_len;
    return 0;
}

/* Reads what the file has ready, up to a chunk: 1 with bytes, 0 at the end of the file, -1
 * on a read error. read(), not stdio: a pipe's bytes are checked as they come, not once a
 * buffer is full. A directory opens but cannot be read: EISDIR says so. */
static int line_fill(struct line_reader *r, struct ls_error *err)
{
    ssize_t got;

    if (r->ended)
        return 0;
    do
        got = read(r->fd, r->chunk, LINE_CHUNK);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return ls_error_set(err, "%s: cannot read: %s", r->path, strerror(errno));
    r->chunk_pos = 0;
    r->chunk_len = (size_t)got;
    r->ended = got == 0;
    return got > 0;
}

/* Checks the bytes p[0..n) that continue the line read so far (r->len bytes, the last of
 * them possibly a '\r' that waited to see what follows). */
static int line_check(const struct line_reader *r, const char *p, size_t n,
                      struct ls_error *err)
{
    const char *cr = memchr(p, '\r', n);
    bool cr_inside = (cr && cr < p + n - 1) || (n > 0 && r->len > 0 && r->buf[r->len - 1] == '\r');
    size_t at = r->lineno;

    if (memchr(p, '\0', n))
        return ls_error_set(err, "%s:%zu: line contains a NUL byte (binary file?)", r->path, at);
    if (cr_inside && !r->seen_newline)
        return ls_error_set(err, "%s:%zu: the file has CR line endings (old Mac); save it with "
                                 "LF or CRLF line endings", r->path, at);
    if (cr_inside)
        return ls_error_set(err, "%s:%zu: a raw carriage return inside the line (write a CR "
                                 "in a token as \\r)", r->path, at);
    if (n > LINE_MAX_BYTES - r->len)
        return ls_error_set(err, "%s:%zu: a line longer than %zu bytes (%zu MiB), the limit "
                                 "(is this a text file?)", r->path, at, LINE_MAX_BYTES,
                            LINE_MAX_BYTES >> 20);
    return 0;
}

/* Appends p[0..n) to the line put together in buf. */
static int line_append(struct line_reader *r, const char *p, size_t n, struct ls_error *err)
{
    if (r->len + n > r->cap) {
        size_t c = r->cap ? r->cap : LINE_CHUNK;
        char *q;
        while (c < r->len + n)
            c *= 2;
        c = c < LINE_MAX_BYTES ? c : LINE_MAX_BYTES;
        if (!(q = realloc(r->buf, c)))
            return ls_error_set(err, "%s:%zu: out of memory for a line of %zu bytes", r->path,
                                r->lineno, r->len + n);
        r->buf = q;
        r->cap = c;
    }
    memcpy(r->buf + r->len, p, n);
    r->len += n;
    return 0;
}

/* The line in (*s, *len) without its line ending, and the byte order mark on line 1. */
static void line_trim(const struct line_reader *r, const char *line, size_t n, const char **s,
                      size_t *len)
{
    if (n > 0 && line[n - 1] == '\r')
        n--; /* CRLF files read the same as LF files */
    size_t bom = r->lineno == 1 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    *s = line + bom; /* a UTF-8 byte order mark (Windows editors) is not part of a token */
    *len = n - bom;
}

int line_next(struct line_reader *r, const char **s, size_t *len, struct ls_error *err)
{
    bool started = false;

    r->len = 0;
    for (;;) {
        if (r->chunk_pos == r->chunk_len) {
            int got = line_fill(r, err);
            if (got < 0)
                return -1;
            if (got == 0)
                break; /* the end of the file ends the last line too */
        }
        const char *p = r->chunk + r->chunk_pos;
        size_t avail = r->chunk_len - r->chunk_pos;
        const char *nl = memchr(p, '\n', avail);
        size_t n = nl ? (size_t)(nl - p) : avail;
        if (!started) {
            started = true;
            r->lineno++;
            r->any_bytes = true;
        }
        if (line_check(r, p, n, err) < 0)
            return -1;
        r->chunk_pos += n + (nl != NULL);
        if (nl && r->len == 0) { /* the whole line is in the chunk: no copy */
            r->seen_newline = true;
            line_trim(r, p, n, s, len);
            return 1;
        }
        if (line_append(r, p, n, err) < 0)
            return -1;
        if (nl) {
            r->seen_newline = true;
            break;
        }
    }
    if (!started)
        return 0;
    line_trim(r, r->buf, r->len, s, len);
    return 1;
}

void line_close(struct line_reader *r)
{
    if (r->fd >= 0 && !r->is_stdin)
        close(r->fd);
    free(r->buf);
    free(r->chunk);
    memset(r, 0, sizeof *r);
    r->fd = -1; /* closing twice closes nothing */
}

bool line_is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ')
            return false;
    return true;
}

/* The value of exactly n hex digits at s[0..len), or -1 when they are not there. */
static long textfile_hex_digits(const char *s, size_t len, size_t n)
{
    long v = 0;

    if (len < n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int d = parse_hex_digit(s[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Writes code point cp as UTF-8; returns the byte count. */
static size_t textfile_utf8(unsigned long cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

#define TEXTFILE_ESCAPES "\\t \\n \\r \\e \\\\ \\xHH \\uXXXX \\UXXXXXXXX"

/* Explains a bad escape "\c" for an error message. */
static void textfile_bad_escape(unsigned char c, char *why, size_t why_cap)
{
    if (c > 0x20 && c < 0x7f)
        snprintf(why, why_cap, "an unknown escape \\%c (allowed: " TEXTFILE_ESCAPES ")", c);
    else
        snprintf(why, why_cap, "an unknown escape: \\ then byte 0x%02x (allowed: "
                               TEXTFILE_ESCAPES ")", c);
}

/* The escape at s[0..len), just after its backslash, into out: the bytes consumed after
 * the backslash, or 0 with why on a bad escape. *o advances by the bytes written. */
static size_t textfile_escape(const char *s, size_t len, char *out, size_t *o, char *why,
                              size_t why_cap)
{
    size_t digits = 0;
    long v;

    switch (s[0]) {
    case 't': out[(*o)++] = '\t'; return 1;
    case 'n': out[(*o)++] = '\n'; return 1;
    case 'r': out[(*o)++] = '\r'; return 1;
    case 'e': out[(*o)++] = '\x1b'; return 1;
    case '\\': out[(*o)++] = '\\'; return 1;
    case 'x': digits = 2; break;
    case 'u': digits = 4; break;
    case 'U': digits = 8; break;
    default:
        textfile_bad_escape((unsigned char)s[0], why, why_cap);
        return 0;
    }
    if ((v = textfile_hex_digits(s + 1, len - 1, digits)) < 0) {
        snprintf(why, why_cap, "\\%c without %s hex digits after it", s[0],
                 digits == 2 ? "two" : digits == 4 ? "four" : "eight");
        return 0;
    }
    if (s[0] == 'x') {
        out[(*o)++] = (char)v;
    } else if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
        snprintf(why, why_cap, "\\%.*s, not a Unicode character (a surrogate or above "
                               "U+10FFFF)", (int)digits + 1, s);
        return 0;
    } else {
        *o += textfile_utf8((unsigned long)v, out + *o);
    }
    return 1 + digits;
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
        size_t used = textfile_escape(s + i, len - i, out, &o, why, why_cap);
        if (used == 0)
            return -1;
        i += used - 1;
    }
    *out_len = o;
    return 0;
}
