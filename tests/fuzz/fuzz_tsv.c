/* fuzz_tsv.c: libFuzzer harness for the TSV vocabulary loader: any bytes give a loaded,
 * correctly sorted vocabulary or a "FILE..." error, never a crash. Built and run as README
 * says; corpus/tsv/ seeds it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_file.h"
#include "logitscope/vocab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".tsv");
    struct vocab v = {0};
    struct ls_error err = {{0}};

    if (vocab_load(&v, path, NULL, &err) == 0) {
        unsigned char *seen = calloc(v.n, 1);
        for (size_t r = 0; seen && r < v.n; r++) /* the order is a permutation, descending */
            if (v.order[r] >= v.n || seen[v.order[r]]++ || (r && v.sorted[r - 1] < v.sorted[r]))
                abort();
        free(seen);
        vocab_free(&v);
    } else if (strncmp(err.msg, path, strlen(path)) != 0) {
        abort(); /* every error names the file */
    }
    return 0;
}
