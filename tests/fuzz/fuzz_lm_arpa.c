/* fuzz_lm_arpa.c: libFuzzer harness for the ARPA language-model reader (plain or gzipped: the
 * loader goes by content). Any bytes must give a model whose every column is the back-off
 * recursion (fuzz_lm.h), or a "FILE..." error, never a crash. Built and run as
 * tests/fuzz/README says. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "fuzz_lm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".arpa");
    struct lm *lm = NULL;
    struct ls_error err = {{0}};

    if (lm_load(&lm, path, &err) == 0) {
        fuzz_lm_check(lm, data, size);
        lm_free(lm);
    } else if (lm || strncmp(err.msg, path, strlen(path)) != 0) {
        abort(); /* every error names the file and leaves no model */
    }
    return 0;
}
