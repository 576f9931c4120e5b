/* cast.c: asciicast v2 writer. Times are printed with six decimals so that an offscreen
 * recording driven by a script's own clock is byte-identical on every run. */
#include "cast.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "logitscope/text.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one. */
static size_t utf8_valid_len(const unsigned char *s, size_t len)
{
    unsigned c = s[0];
    size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0 || n > len)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0)))
        return 0; /* overlong, surrogate */
    if (n == 4 && ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90)))
        return 0; /* overlong, above U+10FFFF */
    return n;
}

void cast_json_string(FILE *f, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned c = u[i];
        size_t n = utf8_valid_len(u + i, len - i);
        if (n == 0) {
            fputs("\\ufffd", f);
            i++;
        } else if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc((int)c, f);
            i++;
        } else if (c == '\n') {
            fputs("\\n", f);
            i++;
        } else if (c == '\r') {
            fputs("\\r", f);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(f, "\\u%04x", c);
            i++;
        } else {
            fwrite(u + i, 1, n, f);
            i += n;
        }
    }
}

/* Text from outside (the title names files and scripts; a marker's label is a caption):
 * escaped like any token (a player shows it raw), then as a JSON string, quotes included.
 * flags: text_escape's. */
static void cast_text(FILE *f, const char *text, unsigned flags)
{
    size_t len = strlen(text), cap = 4 * len + 8; /* text_escape writes <= 4 bytes a byte */
    char *shown = malloc(cap);
    fputc('"', f);
    if (shown) {
        size_t n = text_escape(text, len, flags, shown, cap);
        cast_json_string(f, shown, n);
    }
    fputc('"', f);
    free(shown);
}

int cast_open(struct cast *c, const char *path, const struct cast_header *h,
              struct ls_error *err)
{
    memset(c, 0, sizeof *c);
    c->f = fopen(path, "w");
    if (!c->f)
        return ls_error_set(err, "%s: cannot write: %s", path, strerror(errno));
    c->path = strdup(path);
    fprintf(c->f, "{\"version\": 2, \"width\": %d, \"height\": %d, \"timestamp\": %lld",
            h->width, h->height, h->timestamp);
    if (h->title) {
        fputs(", \"title\": ", c->f);
        cast_text(c->f, h->title, 0);
    }
    fputs(", \"env\": {\"TERM\": \"", c->f);
    if (h->term)
        cast_json_string(c->f, h->term, strlen(h->term));
    fputs("\"}}\n", c->f);
    /* a full disk or an unwritable device shows now, before a session is recorded for
     * nothing */
    if (cast_flush(c) != 0) {
        ls_error_set(err, "%s: cannot write: %s", path, strerror(c->write_errno));
        cast_discard(c);
        return -1;
    }
    return 0;
}

void cast_discard(struct cast *c)
{
    if (c->f) {
        struct stat st;
        bool regular = fstat(fileno(c->f), &st) == 0 && S_ISREG(st.st_mode);
        fclose(c->f);
        if (regular && c->path)
            remove(c->path);
    }
    free(c->path);
    memset(c, 0, sizeof *c);
}

int cast_flush(struct cast *c)
{
    if (!c->f)
        return 0;
    errno = 0;
    if (fflush(c->f) != 0 || ferror(c->f)) {
        if (!c->write_errno)
            c->write_errno = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

static double cast_clamp(struct cast *c, double t)
{
    if (!(t >= c->last_t))
        t = c->last_t;
    c->last_t = t;
    return t;
}

/* Bytes at the end of s that start a UTF-8 character but do not finish it. */
static size_t utf8_incomplete_tail(const unsigned char *s, size_t len)
{
    for (size_t back = 1; back <= 3 && back <= len; back++) {
        unsigned c = s[len - back];
        if ((c & 0xC0) != 0x80) {
            size_t need = c > 0xF4 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 1;
            return need > back ? back : 0;
        }
    }
    return 0;
}

void cast_output(struct cast *c, double t, const char *data, size_t len)
{
    if (!c->f || len == 0)
        return;
    char joined[8];
    size_t head = 0;
    if (c->carry_len) { /* finish the character the last chunk began */
        memcpy(joined, c->carry, c->carry_len);
        unsigned lead = (unsigned char)c->carry[0];
        size_t need = (lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2) - c->carry_len;
        while (head < need && head < len && ((unsigned char)data[head] & 0xC0) == 0x80) {
            joined[c->carry_len + head] = data[head];
            head++;
        }
        if (head < need && head == len) { /* still unfinished: keep waiting for the rest */
            memcpy(c->carry + c->carry_len, data, head);
            c->carry_len += head;
            return;
        }
    }
    size_t joined_len = c->carry_len + head;
    size_t tail = utf8_incomplete_tail((const unsigned char *)data + head, len - head);
    c->carry_len = 0;
    if (joined_len == 0 && len - head == tail) { /* nothing complete yet */
        memcpy(c->carry, data + head, tail);
        c->carry_len = tail;
        return;
    }
    fprintf(c->f, "[%.6f, \"o\", \"", cast_clamp(c, t));
    cast_json_string(c->f, joined, joined_len);
    cast_json_string(c->f, data + head, len - head - tail);
    fputs("\"]\n", c->f);
    memcpy(c->carry, data + len - tail, tail);
    c->carry_len = tail;
}

void cast_resize(struct cast *c, double t, int width, int height)
{
    if (c->f)
        fprintf(c->f, "[%.6f, \"r\", \"%dx%d\"]\n", cast_clamp(c, t), width, height);
}

void cast_marker(struct cast *c, double t, const char *label)
{
    if (!c->f)
        return;
    fprintf(c->f, "[%.6f, \"m\", ", cast_clamp(c, t));
    cast_text(c->f, label, TEXT_KEEP_BACKSLASH); /* a caption's \\ was one backslash */
    fputs("]\n", c->f);
}

int cast_close(struct cast *c, struct ls_error *err)
{
    int rc = 0;
    if (c->f && c->carry_len) { /* a character never finished: show it as invalid */
        fprintf(c->f, "[%.6f, \"o\", \"", c->last_t);
        cast_json_string(c->f, c->carry, c->carry_len);
        fputs("\"]\n", c->f);
    }
    if (c->f) {
        int bad = cast_flush(c);
        if (fclose(c->f) != 0 || bad) {
            int e = c->write_errno ? c->write_errno : errno;
            rc = ls_error_set(err, "%s: could not write the recording: %s",
                              c->path ? c->path : "(the recording)", strerror(e ? e : EIO));
        }
    }
    free(c->path);
    memset(c, 0, sizeof *c);
    return rc;
}
