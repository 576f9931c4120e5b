/* test_datapath.c: data_find() finds the bundled data through $LOGITSCOPE_DATA, and from the
 * build tree without it; names that do not exist give NULL. data_lm_path() takes --lm, then
 * $LOGITSCOPE_LM, then the Debian model, and names the package when there is none. */
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

    struct ls_error err = {{0}};
    const char *here = "/"; /* a fallback that exists */
    unsetenv("LOGITSCOPE_LM");
    TAP_EQ_STR(data_lm_path("given.arpa", here, &err), "given.arpa", "--lm comes first");
    TAP_EQ_STR(data_lm_path(NULL, here, &err), here, "then the fallback, when it exists");
    setenv("LOGITSCOPE_LM", "", 1);
    TAP_EQ_STR(data_lm_path(NULL, here, &err), here, "an empty LOGITSCOPE_LM is not set");
    setenv("LOGITSCOPE_LM", "env.arpa", 1);
    TAP_EQ_STR(data_lm_path(NULL, here, &err), "env.arpa", "LOGITSCOPE_LM before the fallback");
    TAP_EQ_STR(data_lm_path("given.arpa", here, &err), "given.arpa", "and after --lm");
    unsetenv("LOGITSCOPE_LM");
    tap_ok(data_lm_path(NULL, "/nonexistent/en-us.lm.bin", &err) == NULL &&
               strstr(err.msg, "install Debian's pocketsphinx-en-us for "
                               "/nonexistent/en-us.lm.bin") &&
               strstr(err.msg, "--lm FILE") && strstr(err.msg, "LOGITSCOPE_LM"),
           "none: the message names the package, --lm and LOGITSCOPE_LM: %s", err.msg);
    TAP_EQ_STR(DATA_LM_DEFAULT, "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin",
               "the default is Debian's path");
    return tap_done();
}
