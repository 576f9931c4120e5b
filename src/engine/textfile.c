/* textfile.c: the line reader and the token unescaper shared by the text formats (TSV
 * logits, --vocab lists, settings files). Token escapes: \t \n \\ \xHH. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "textfile.h"

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

static int textfile_hex(char c)
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
static void textfile_bad_escape(unsigned char c, char *why, size_t why_cap)
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
            int hi = i + 1 < len ? textfile_hex(s[i + 1]) : -1;
            int lo = i + 2 < len ? textfile_hex(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                snprintf(why, why_cap, "\\x without two hex digits after it");
                return -1;
            }
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
            break;
        }
        default:
            textfile_bad_escape((unsigned char)s[i], why, why_cap);
            return -1;
        }
    }
    *out_len = o;
    return 0;
}
