/* screen_fixture.h: offscreen screens in the tui tests: opening one, keys pressed through it
 * from a script, and its text read back as --snapshot prints it. Header-only. */
#ifndef LOGITSCOPE_SCREEN_FIXTURE_H
#define LOGITSCOPE_SCREEN_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "tui.h"

/* tui_screen_open (bytes and term as it takes them), or a TAP bail-out. */
static inline struct tui_screen *screen_open(const struct tui_opts *o, struct model *m, int cols,
                                             int rows, FILE *bytes, const char *term)
{
    struct ls_error err = {{0}};
    struct tui_screen *s = tui_screen_open(o, m, cols, rows, bytes, term, &err);
    if (!s) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    return s;
}

/* Presses each key of a script such as "g c Left" (key names as in key scripts) through the
 * screen; false when a name is not a key (it is passed over). */
static inline bool screen_keys(struct tui_screen *s, struct model *m, const char *script)
{
    bool ok = true;
    for (const char *p = script; *p;) {
        size_t n = strcspn(p, " ");
        int key;
        if (n && key_parse(p, n, &key))
            tui_screen_key(s, m, key);
        else if (n)
            ok = false;
        p += n;
        p += *p == ' ';
    }
    return ok;
}

/* The screen's text as --snapshot prints it, len bytes; the caller frees it. */
static inline char *screen_text(struct tui_screen *s, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    tui_screen_dump(s, f);
    fclose(f);
    return buf;
}

/* Row y (from 0) of a screen's text, into line. */
static inline void text_row(const char *text, int y, char *line, size_t cap)
{
    const char *p = text;
    for (int i = 0; i < y && p; i++) {
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    size_t n = p ? strcspn(p, "\n") : 0;
    n = n < cap - 1 ? n : cap - 1;
    memcpy(line, p ? p : "", n);
    line[n] = '\0';
}

/* Row y (from 0) of the screen as --snapshot prints it, into line. */
static inline void row_of(struct tui_screen *s, int y, char *line, size_t cap)
{
    size_t len;
    char *text = screen_text(s, &len);
    text_row(text, y, line, cap);
    free(text);
}

#endif
