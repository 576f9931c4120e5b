/* fuzz_settings.c: libFuzzer harness for settings files (--settings, the lab's six): any
 * bytes give settings whose every value passes params_check, or a "FILE..." error with
 * nothing kept, never a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "logitscope/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".tsv");
    struct settings s = {0};
    struct ls_error err = {{0}};

    if (settings_load(&s, path, &err) != 0) {
        if (strncmp(err.msg, path, strlen(path)) != 0 || s.n != 0 || s.items != NULL)
            abort(); /* every error names the file; nothing is kept */
        return 0;
    }
    if (s.n == 0)
        abort();
    for (size_t i = 0; i < s.n; i++)
        if (!s.items[i].name || params_check(&s.items[i].params, &err) != 0)
            abort(); /* a loaded setting is one the engine takes */
    settings_free(&s);
    return 0;
}
