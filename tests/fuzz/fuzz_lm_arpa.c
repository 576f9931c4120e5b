/* fuzz_lm_arpa.c: libFuzzer harness for the ARPA language-model reader (plain or gzipped: the
 * loader goes by content). Any bytes must give a model whose every column is the back-off
 * recursion (fuzz_lm.h), or a "FILE..." error, never a crash. Not built by meson here; from
 * the source root:
 *   clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
 *     -fsanitize=fuzzer,address,undefined -Iinclude -Isrc/engine \
 *     tests/fuzz/fuzz_lm_arpa.c src/engine/{error,parse,text,lm,lm_ngram,lm_arpa,lm_trie}.c \
 *     -lz -lm -o fuzz_lm_arpa && ./fuzz_lm_arpa -max_len=4096 tests/fuzz/corpus/fuzz_lm_arpa */
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
