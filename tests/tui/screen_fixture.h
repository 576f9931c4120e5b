/* screen_fixture.h: reading an offscreen screen back in the tui tests. Header-only. */
#ifndef LOGITSCOPE_SCREEN_FIXTURE_H
#define LOGITSCOPE_SCREEN_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

/* Row y (from 0) of the screen as --snapshot prints it, into line. */
static inline void row_of(struct tui_screen *s, int y, char *line, size_t cap)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    tui_screen_dump(s, f);
    fclose(f);
    const char *p = buf;
    for (int i = 0; i < y && p; i++) {
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    size_t n = p ? strcspn(p, "\n") : 0;
    n = n < cap - 1 ? n : cap - 1;
    memcpy(line, p ? p : "", n);
    line[n] = '\0';
    free(buf);
}

#endif
