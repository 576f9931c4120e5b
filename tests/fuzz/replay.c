/* replay.c: a main for the fuzz harnesses without libFuzzer. Runs the harness on the empty
 * input and on every file of the directories (or files) given, one TAP line each, so the
 * regression corpus runs in every test run, under the sanitizers too. A harness that finds
 * a problem aborts, which fails the test. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The whole file, or NULL (a message printed). */
static uint8_t *replay_read(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got;

    if (!f) {
        printf("# cannot open %s\n", path);
        return NULL;
    }
    do {
        if (n == cap) {
            uint8_t *b = realloc(buf, cap = cap ? 2 * cap : 4096);
            if (!b) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = b;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        printf("# cannot read %s\n", path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *size = n;
    return buf;
}

static void replay_file(const char *path)
{
    size_t size = 0;
    uint8_t *data = replay_read(path, &size);

    if (data)
        LLVMFuzzerTestOneInput(data, size);
    tap_ok(data != NULL, "%s (%zu bytes)", path, size);
    free(data);
}

static int replay_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order (so a failure is found again at the same line). */
static void replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;

    if (!d) {
        tap_ok(0, "%s: cannot open the directory", dir);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (n == cap) {
            char **m = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
            if (!m)
                break;
            names = m;
        }
        if (!(names[n] = strdup(path)))
            break;
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, replay_name_cmp);
    tap_ok(n > 0, "%s holds %zu inputs", dir, n);
    for (size_t i = 0; i < n; i++) {
        replay_file(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
    tap_ok(1, "the empty input");
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            replay_dir(argv[i]);
        else
            replay_file(argv[i]);
    }
    return tap_done();
}
