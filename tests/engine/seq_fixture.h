/* seq_fixture.h: what the sequence tests share: the bundled examples' paths, a loader that
 * bails out, and one that expects an exact error, of a file or of JSON text written to
 * tmpfile_fixture.h's directory. Header-only; include once, after tap.h. */
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

/* The sequence at path, or a TAP bail-out. */
static inline void fx_load_ok(struct seq *s, const char *path, const struct seq_opts *o)
{
    struct ls_error err = {{0}};

    if (seq_load(s, path, o, &err) != 0) {
        printf("Bail out! %s does not load: %s\n", path, err.msg);
        exit(1);
    }
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
