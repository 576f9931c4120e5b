/* seq_fixture.h: what the sequence tests share: a temporary directory that holds the files
 * they write (removed at the end), .npy files built byte by byte, a loader that expects an
 * exact error. Header-only; include once, after tap.h. */
#ifndef LOGITSCOPE_SEQ_FIXTURE_H
#define LOGITSCOPE_SEQ_FIXTURE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logitscope/seq.h"

#ifndef TEST_SEQ_DIR
#define TEST_SEQ_DIR "data/sequences"
#endif
#define EXAMPLE(name) TEST_SEQ_DIR "/" name

static char fx_dir[256];
static char fx_written[256][512]; /* full paths; fx_write returns these, so they stay valid */
static size_t fx_n_written;

static const char *fx_path(const char *name)
{
    static char bufs[8][512];
    static int next;
    char *b = bufs[next++ % 8];

    if (snprintf(b, sizeof bufs[0], "%s/%s", fx_dir, name) >= (int)sizeof bufs[0]) {
        printf("Bail out! path too long: %s\n", name);
        exit(1);
    }
    return b;
}

static const char *fx_write(const char *name, const void *data, size_t len)
{
    const char *p = fx_path(name);
    FILE *f = fopen(p, "wb");
    size_t i;

    if (!f || fwrite(data, 1, len, f) != len) {
        printf("Bail out! cannot write %s\n", p);
        exit(1);
    }
    fclose(f);
    for (i = 0; i < fx_n_written && strcmp(fx_written[i], p) != 0; i++)
        ;
    if (i == sizeof fx_written / sizeof *fx_written) {
        printf("Bail out! too many test files\n");
        exit(1);
    }
    if (i == fx_n_written)
        snprintf(fx_written[fx_n_written++], sizeof fx_written[0], "%s", p);
    return fx_written[i];
}

static const char *fx_text(const char *name, const char *text)
{
    return fx_write(name, text, strlen(text));
}

static void fx_setup(const char *what)
{
    const char *t = getenv("TMPDIR");

    snprintf(fx_dir, sizeof fx_dir, "%s/logitscope-%s-XXXXXX", t && *t ? t : "/tmp", what);
    if (!mkdtemp(fx_dir)) {
        printf("Bail out! cannot create %s\n", fx_dir);
        exit(1);
    }
}

static void fx_cleanup(void)
{
    for (size_t i = 0; i < fx_n_written; i++)
        unlink(fx_written[i]);
    if (rmdir(fx_dir) != 0)
        printf("# could not remove %s\n", fx_dir);
}

static const char *fx_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *fx_msg(const char *fmt, ...)
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

/* A .npy as numpy writes it: preamble, dict padded with spaces to a multiple of 64 ending
 * in '\n', then the data. */
static inline const char *fx_npy_dict(const char *name, const char *dict, const void *data,
                                      size_t len)
{
    size_t dl = strlen(dict), hl = ((10 + dl + 1 + 63) / 64) * 64 - 10;
    unsigned char *buf = calloc(1, 10 + hl + len + 1);
    const char *p;

    memcpy(buf, "\x93NUMPY\x01\x00", 8);
    buf[8] = (unsigned char)hl;
    buf[9] = (unsigned char)(hl >> 8);
    memset(buf + 10, ' ', hl);
    memcpy(buf + 10, dict, dl);
    buf[10 + hl - 1] = '\n';
    if (len)
        memcpy(buf + 10 + hl, data, len);
    p = fx_write(name, buf, 10 + hl + len);
    free(buf);
    return p;
}

static inline const char *fx_npy(const char *name, const char *descr, const char *shape,
                                 const void *data, size_t len)
{
    char dict[256];

    snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
             descr, shape);
    return fx_npy_dict(name, dict, data, len);
}

/* Loading must fail with exactly `want` and leave the struct empty. */
static void fx_expect_error(const char *path, const struct seq_opts *o, const char *want)
{
    static const struct seq zero;
    struct seq s;
    struct ls_error err = {{0}};
    int rc = seq_load(&s, path, o, &err);

    TAP_EQ_INT(rc, -1, "fails: %s", want);
    TAP_EQ_STR(err.msg, want, "message");
    tap_ok(memcmp(&s, &zero, sizeof s) == 0, "struct stays empty");
    if (rc == 0)
        seq_free(&s);
}

/* JSON text in a file of its own, then the same check. */
static inline void fx_expect_json(const char *name, const char *json, const char *want_after_path)
{
    const char *p = fx_text(name, json);

    fx_expect_error(p, NULL, fx_msg("%s%s", p, want_after_path));
}

#endif
