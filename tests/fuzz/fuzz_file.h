/* fuzz_file.h: the loaders read a path, so each fuzz input goes through one temporary file,
 * removed at exit. Shared by the loader harnesses; header-only. */
#ifndef LOGITSCOPE_FUZZ_FILE_H
#define LOGITSCOPE_FUZZ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_path[4096];

static void fuzz_cleanup(void)
{
    unlink(fuzz_path);
}

static const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
    FILE *f;

    if (!fuzz_path[0]) {
        /* memory, not a disk: a truncate on some file systems waits for the device, and
         * made every run of a loader harness cost milliseconds */
        const char *tmp = getenv("TMPDIR");
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : tmp && *tmp ? tmp : "/tmp";
        snprintf(fuzz_path, sizeof fuzz_path, "%s/logitscope-fuzz-XXXXXX%s", dir, suffix);
        int fd = mkstemps(fuzz_path, (int)strlen(suffix));
        if (fd < 0)
            abort();
        close(fd);
        atexit(fuzz_cleanup);
    }
    f = fopen(fuzz_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    return fuzz_path;
}

#endif
