/* script.c: parses key scripts (see script.h) into a timeline. Every bad line is refused
 * with its line number before the screen is touched. */
#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keys.h"
#include "logitscope/parse.h"

struct parser {
    struct script *s;
    const char *name;
    unsigned line;
    unsigned delay_ms;
    size_t cap, says_cap;
    struct ls_error *err;
};

static int fail(struct parser *p, const char *what, const char *arg, size_t arg_len)
{
    if (arg)
        return ls_error_set(p->err, "%s:%u: %s \"%.*s\"", p->name, p->line, what,
                            (int)(arg_len > 60 ? 60 : arg_len), arg);
    return ls_error_set(p->err, "%s:%u: %s", p->name, p->line, what);
}

static int push_step(struct parser *p, int key, unsigned wait_ms, int say)
{
    if (p->s->n >= SCRIPT_MAX_EVENTS)
        return fail(p, "the script is too long (more than a million steps)", NULL, 0);
    if (p->s->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        struct script_event *ev = realloc(p->s->events, cap * sizeof *ev);
        if (!ev)
            return fail(p, "out of memory", NULL, 0);
        p->s->events = ev;
        p->cap = cap;
    }
    p->s->events[p->s->n++] = (struct script_event){key, wait_ms, p->line, say};
    p->s->total_ms += wait_ms;
    return 0;
}

static int push(struct parser *p, int key, unsigned wait_ms)
{
    return push_step(p, key, wait_ms, -1);
}

/* "500ms", "1.5s", "0s": a duration in whole milliseconds. */
static int parse_duration(struct parser *p, const char *w, size_t len, unsigned *ms)
{
    double scale, v;
    size_t num;
    if (len > 2 && strncasecmp(w + len - 2, "ms", 2) == 0)
        scale = 1, num = len - 2;
    else if (len > 1 && (w[len - 1] == 's' || w[len - 1] == 'S'))
        scale = 1000, num = len - 1;
    else
        return fail(p, "a duration needs a unit, ms or s: got", w, len);
    if (parse_double(w, num, &v) != PARSE_OK || !(v >= 0) || v * scale > SCRIPT_MAX_SLEEP_MS)
        return fail(p, "not a duration between 0 and 1 hour:", w, len);
    *ms = (unsigned)(v * scale + 0.5);
    return 0;
}

/* Splits the line into at most 4 blank-separated words up to a `#` comment; a quoted word
 * keeps its quotes. */
static size_t split_words(const char *s, size_t len, const char *w[4], size_t wl[4])
{
    size_t n = 0, i = 0;
    while (i < len && n < 4) {
        while (i < len && isspace((unsigned char)s[i]))
            i++;
        if (i == len || s[i] == '#') /* the rest is a comment */
            return n;
        size_t start = i;
        if (s[i] == '"') { /* to the closing quote, skipping escaped ones */
            for (i++; i < len && s[i] != '"'; i++)
                if (s[i] == '\\' && i + 1 < len)
                    i++;
            i += i < len;
        } else {
            while (i < len && !isspace((unsigned char)s[i]))
                i++;
        }
        w[n] = s + start;
        wl[n++] = i - start;
    }
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    return i < len ? 5 : n; /* 5: too many words */
}

static int word_is(const char *w, size_t len, const char *lit)
{
    return len == strlen(lit) && strncasecmp(w, lit, len) == 0;
}

/* type "text": every UTF-8 character (after \" \\ \n \t) becomes one key. */
static int parse_type(struct parser *p, const char *w, size_t len)
{
    if (len < 2 || w[0] != '"' || w[len - 1] != '"')
        return fail(p, "type takes a quoted text, e.g. type \"hello\": got", w, len);
    for (size_t i = 1; i + 1 < len;) {
        int key;
        if (w[i] == '\\') {
            char c = i + 2 < len ? w[i + 1] : 0;
            key = c == '"' ? '"' : c == '\\' ? '\\' : c == 'n' ? KEYC_ENTER : c == 't' ? KEYC_TAB : 0;
            if (!key)
                return fail(p, "unknown escape in type text (use \\\" \\\\ \\n \\t):", w + i, 2);
            i += 2;
        } else {
            size_t n = 1;
            unsigned char c = (unsigned char)w[i];
            n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (i + n > len - 1 || !key_parse(w + i, n, &key) || !key_is_char(key))
                return fail(p, "type text has a character that is not a printable key:", w + i, 1);
            i += n;
        }
        if (push(p, key, p->delay_ms) < 0)
            return -1;
    }
    return 0;
}

/* say "text": a caption step. The text is kept as written (after \" and \\); the view
 * escapes it, since it comes from a file. */
static int parse_say(struct parser *p, const char *w, size_t len)
{
    if (len < 2 || w[0] != '"' || w[len - 1] != '"')
        return fail(p, "say takes a quoted text, e.g. say \"T divides the logits\": got", w,
                    len);
    char text[SCRIPT_SAY_MAX + 1];
    size_t n = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        char c = w[i];
        if (c == '\\') {
            if (i + 2 >= len) /* it escapes the closing quote */
                return fail(p, "say text has no closing quote:", w, len);
            c = w[++i];
            if (c != '"' && c != '\\')
                return fail(p, "unknown escape in say text (a caption is one line; use \\\" "
                            "\\\\):", w + i - 1, 2);
        }
        if (n == SCRIPT_SAY_MAX)
            return ls_error_set(p->err, "%s:%u: a caption holds at most %u bytes", p->name,
                                p->line, SCRIPT_SAY_MAX);
        text[n++] = c;
    }
    text[n] = '\0';
    struct script *s = p->s;
    if (s->n_says == p->says_cap) {
        size_t cap = p->says_cap ? 2 * p->says_cap : 16;
        char **says = realloc(s->says, cap * sizeof *says);
        if (!says)
            return fail(p, "out of memory", NULL, 0);
        s->says = says;
        p->says_cap = cap;
    }
    char *copy = strdup(text);
    if (!copy)
        return fail(p, "out of memory", NULL, 0);
    s->says[s->n_says] = copy;
    if (push_step(p, KEYC_NONE, 0, (int)s->n_says) < 0) {
        free(copy);
        return -1;
    }
    s->n_says++;
    return 0;
}

static int parse_line(struct parser *p, const char *s, size_t len)
{
    const char *w[4];
    size_t wl[4], n = split_words(s, len, w, wl);
    unsigned ms;
    if (n == 0)
        return 0;
    if (n > 4)
        return fail(p, "too many words on the line", NULL, 0);
    if (word_is(w[0], wl[0], "sleep")) {
        if (n != 2)
            return fail(p, "sleep takes one duration, e.g. sleep 500ms", NULL, 0);
        if (parse_duration(p, w[1], wl[1], &ms) < 0)
            return -1;
        return push(p, 0, ms);
    }
    if (word_is(w[0], wl[0], "set")) {
        if (n != 3 || !word_is(w[1], wl[1], "delay"))
            return fail(p, "set takes `set delay DURATION`, e.g. set delay 120ms", NULL, 0);
        return parse_duration(p, w[2], wl[2], &p->delay_ms);
    }
    if (word_is(w[0], wl[0], "type")) {
        if (n != 2)
            return fail(p, "type takes one quoted text, e.g. type \"hello\"", NULL, 0);
        return parse_type(p, w[1], wl[1]);
    }
    if (word_is(w[0], wl[0], "say")) {
        if (n != 2)
            return fail(p, "say takes one quoted text, e.g. say \"T divides the logits\"", NULL,
                        0);
        return parse_say(p, w[1], wl[1]);
    }
    int key;
    if (!key_parse(w[0], wl[0], &key) || key == KEYC_RESIZE || key == KEYC_MOUSE)
        return fail(p, "unknown key or command", w[0], wl[0]);
    size_t count = 1;
    if (n == 3)
        return fail(p, "a key takes at most a count, e.g. Right 5", NULL, 0);
    if (n == 2 && (parse_size(w[1], wl[1], &count) != PARSE_OK || count < 1 ||
                   count > SCRIPT_MAX_COUNT))
        return fail(p, "the count must be a whole number from 1 to 10000, got", w[1], wl[1]);
    for (size_t i = 0; i < count; i++)
        if (push(p, key, p->delay_ms) < 0)
            return -1;
    return 0;
}

int script_parse(struct script *s, const char *name, const char *text, size_t len,
                 struct ls_error *err)
{
    struct parser p = {s, name, 0, SCRIPT_DEFAULT_DELAY_MS, 0, 0, err};
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len, l = end - i;
        p.line++;
        if (memchr(text + i, '\0', l)) {
            fail(&p, "the line holds a NUL byte", NULL, 0);
            script_free(s);
            return -1;
        }
        if (parse_line(&p, text + i, l) < 0) {
            script_free(s);
            return -1;
        }
        i = end + 1;
    }
    return 0;
}

int script_load(struct script *s, const char *path, struct ls_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    /* one byte past the limit is read, so a longer file is refused, never cut short */
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len == cap) {
            size_t c = cap ? 2 * cap : 4096;
            char *b = realloc(buf, cap = c < SCRIPT_MAX_BYTES + 1 ? c : SCRIPT_MAX_BYTES + 1);
            if (!b) {
                free(buf);
                fclose(f);
                return ls_error_set(err, "%s: out of memory", path);
            }
            buf = b;
        }
        errno = 0;
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0 && len <= SCRIPT_MAX_BYTES);
    int bad = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    int rc;
    if (bad)
        rc = ls_error_set(err, "%s: cannot read: %s", path, strerror(bad));
    else if (len > SCRIPT_MAX_BYTES)
        rc = ls_error_set(err, "%s: longer than %zu MiB, the most a key script may hold",
                          path, SCRIPT_MAX_BYTES >> 20);
    else
        rc = script_parse(s, path, buf, len, err);
    free(buf);
    return rc;
}

void script_free(struct script *s)
{
    for (size_t i = 0; i < s->n_says; i++)
        free(s->says[i]);
    free(s->says);
    free(s->events);
    memset(s, 0, sizeof *s);
}
