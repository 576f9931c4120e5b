/* tmpfile_fixture.h: a temporary directory of the test's own for the files it writes (from a
 * string or bytes), removed at the end with every file named in it, and the messages that
 * name such a file. Header-only; included once per test program. */
#ifndef LOGITSCOPE_TMPFILE_FIXTURE_H
#define LOGITSCOPE_TMPFILE_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TMP_FILES_MAX 256

static char tmp_dir[256];
/* Every path handed out, once each: a path stays valid to the end, and the removal knows
 * what to remove whoever wrote the file (the test, a library, a child process). */
static char tmp_paths[TMP_FILES_MAX][512];
static size_t tmp_n_paths;

/* $TMPDIR/logitscope-WHO-XXXXXX (or under /tmp), or a TAP bail-out. */
static inline void tmp_dir_make(const char *who)
{
    const char *t = getenv("TMPDIR");

    snprintf(tmp_dir, sizeof tmp_dir, "%s/logitscope-%s-XXXXXX", t && *t ? t : "/tmp", who);
    if (!mkdtemp(tmp_dir)) {
        printf("Bail out! cannot create %s\n", tmp_dir);
        exit(1);
    }
}

/* The path of name in the temporary directory. */
static inline const char *tmp_path(const char *name)
{
    char p[sizeof tmp_paths[0]];
    size_t i;

    if (snprintf(p, sizeof p, "%s/%s", tmp_dir, name) >= (int)sizeof p) {
        printf("Bail out! path too long: %s\n", name);
        exit(1);
    }
    for (i = 0; i < tmp_n_paths && strcmp(tmp_paths[i], p) != 0; i++)
        ;
    if (i == TMP_FILES_MAX) {
        printf("Bail out! too many test files\n");
        exit(1);
    }
    if (i == tmp_n_paths)
        memcpy(tmp_paths[tmp_n_paths++], p, sizeof p);
    return tmp_paths[i];
}

/* len bytes of data as the file name, or a TAP bail-out; returns its path. */
static inline const char *tmp_write(const char *name, const void *data, size_t len)
{
    const char *p = tmp_path(name);
    FILE *f = fopen(p, "wb");

    if (!f || fwrite(data, 1, len, f) != len) {
        printf("Bail out! cannot write %s\n", p);
        exit(1);
    }
    fclose(f);
    return p;
}

/* text (up to its NUL) as the file name, or a TAP bail-out; returns its path. */
static inline const char *tmp_text(const char *name, const char *text)
{
    return tmp_write(name, text, strlen(text));
}

/* Removes every file named through tmp_path, then the directory. */
static inline void tmp_dir_remove(void)
{
    for (size_t i = 0; i < tmp_n_paths; i++)
        unlink(tmp_paths[i]);
    if (rmdir(tmp_dir) != 0)
        printf("# could not remove %s\n", tmp_dir);
}

/* printf into a static buffer (two at a time), for an expected message that names a path. */
static inline const char *tmp_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline const char *tmp_msg(const char *fmt, ...)
{
    static char bufs[2][1024];
    static int next;
    char *b = bufs[next++ % 2];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(b, sizeof bufs[0], fmt, ap);
    va_end(ap);
    return b;
}

#endif
