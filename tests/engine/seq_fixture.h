/* seq_fixture.h: what the sequence tests share: .npy files built byte by byte, a loader that
 * expects an exact error; the files go to tmpfile_fixture.h's directory. Header-only; include
 * once, after tap.h. */
#ifndef LOGITSCOPE_SEQ_FIXTURE_H
#define LOGITSCOPE_SEQ_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/seq.h"
#include "tmpfile_fixture.h"

#ifndef TEST_SEQ_DIR
#define TEST_SEQ_DIR "data/sequences"
#endif
#define EXAMPLE(name) TEST_SEQ_DIR "/" name

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
    p = tmp_write(name, buf, 10 + hl + len);
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
    const char *p = tmp_text(name, json);

    fx_expect_error(p, NULL, tmp_msg("%s%s", p, want_after_path));
}

#endif
