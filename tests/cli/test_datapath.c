/* test_datapath.c: data_find() finds the bundled data through $LOGITSCOPE_DATA, and from the
 * build tree without it; names that do not exist give NULL. */
#include <stdlib.h>
#include <string.h>

#include "../src/cli/datapath.h"
#include "tap.h"

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

static void expect_found(const char *rel, const char *why)
{
    char *path = data_find(rel);
    tap_ok(path && ends_with(path, rel), "%s: %s -> %s", why, rel, path ? path : "(null)");
    free(path);
}

int main(void)
{
    expect_found("decisions.tsv", "via $LOGITSCOPE_DATA");
    expect_found("sweeps/temperature.tsv", "via $LOGITSCOPE_DATA");
    tap_ok(data_find("no-such-file.tsv") == NULL, "a missing name gives NULL");

    setenv("LOGITSCOPE_DATA", "/nonexistent-logitscope-data", 1);
    expect_found("decisions.tsv", "a wrong $LOGITSCOPE_DATA falls back to the source tree");
    unsetenv("LOGITSCOPE_DATA");
    expect_found("scenarios/near-tie.tsv", "no $LOGITSCOPE_DATA: the build tree's sources");
    return tap_done();
}
