/* datapath.c: where the bundled data lives. In order: $LOGITSCOPE_DATA; the source tree when
 * the program runs from its build tree; ../share/logitscope next to the executable (a moved
 * or relocated install); the configured install datadir; the source tree as a last resort.
 * And the language model --lm stands for when it is not given. */
#include "datapath.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#ifndef LS_BUILD_ROOT
#define LS_BUILD_ROOT ""
#endif

/* dir/rel when it exists, else NULL. */
static char *data_try(const char *dir, const char *rel)
{
    if (!dir || !*dir)
        return NULL;
    size_t n = strlen(dir) + 1 + strlen(rel) + 1;
    char *path = malloc(n);
    if (!path)
        return NULL;
    snprintf(path, n, "%s/%s", dir, rel);
    struct stat st;
    if (stat(path, &st) == 0)
        return path;
    free(path);
    return NULL;
}

/* The directory of the running executable, or "" when /proc is not there. */
static void data_exe_dir(char *buf, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
    buf[n > 0 ? (size_t)n : 0] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    else
        buf[0] = '\0';
}

/* True when dir lies inside root (as a path prefix ending at a separator). */
static bool data_inside(const char *dir, const char *root)
{
    size_t n = strlen(root);
    return n && strlen(dir) >= n && memcmp(dir, root, n) == 0 && (dir[n] == '/' || dir[n] == '\0');
}

char *data_find(const char *rel)
{
    char *found = data_try(getenv("LOGITSCOPE_DATA"), rel);
    if (found)
        return found;

    char exe[PATH_MAX];
    data_exe_dir(exe, sizeof exe);
    /* A build-tree binary belongs with its source tree, not with an older install. */
    if (data_inside(exe, LS_BUILD_ROOT) && (found = data_try(LS_SOURCE_DATADIR, rel)))
        return found;
    if (exe[0]) {
        char share[PATH_MAX + 32];
        snprintf(share, sizeof share, "%s/../share/logitscope", exe);
        if ((found = data_try(share, rel)))
            return found;
    }
    if ((found = data_try(LS_INSTALL_DATADIR, rel)))
        return found;
    return data_try(LS_SOURCE_DATADIR, rel);
}

const char *data_lm_path(const char *given, const char *fallback, struct ls_error *err)
{
    if (given)
        return given;
    const char *env = getenv("LOGITSCOPE_LM");
    if (env && env[0])
        return env;
    struct stat st;
    if (fallback && stat(fallback, &st) == 0)
        return fallback;
    ls_error_set(err, "no language model: give --lm FILE or set LOGITSCOPE_LM, or install "
                 "Debian's %s for %s", DATA_LM_PACKAGE, fallback ? fallback : DATA_LM_DEFAULT);
    return NULL;
}
