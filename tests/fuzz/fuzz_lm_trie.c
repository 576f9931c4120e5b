/* fuzz_lm_trie.c: libFuzzer harness for the Sphinx binary trie reader. A real trie of order
 * n > 1 carries (2n - 3) * 256 KiB of quantisation tables, too much for a fuzzer to mutate
 * usefully, so an input is the file without them: the harness puts "Trie Language Model" in
 * front when the input lacks it, and inserts tables of ordinary values after the quantisation
 * type. The result must load as a model whose columns are the back-off recursion
 * (fuzz_lm.h), or fail with "FILE: offset N: ...", never crash. Built and run as
 * tests/fuzz/README says. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "fuzz_lm.h"

#define MAGIC "Trie Language Model"
#define MAGIC_LEN 19
#define BINS 65536u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t has_magic = size >= MAGIC_LEN && memcmp(data, MAGIC, MAGIC_LEN) == 0 ? MAGIC_LEN : 0;
    const uint8_t *body = data + has_magic;
    size_t body_len = size - has_magic;
    /* The body: order byte, counts, the quantisation type, then the rest. */
    unsigned order = body_len ? body[0] : 0;
    size_t split = 1 + 4 * (size_t)order + 4, tables = 0;

    if (order >= 2 && order <= 10 && body_len >= split)
        tables = (2 * (size_t)order - 3) * BINS * 4;
    else
        split = body_len;
    uint8_t *file = malloc(MAGIC_LEN + body_len + tables);
    if (!file)
        return 0;
    memcpy(file, MAGIC, MAGIC_LEN);
    memcpy(file + MAGIC_LEN, body, split);
    for (size_t i = 0; i < tables / 4; i++) { /* bins in ascending order, in ln(1.0001) units */
        float f = -150000.0f + (float)(i % BINS) * 2.0f;
        memcpy(file + MAGIC_LEN + split + 4 * i, &f, 4);
    }
    memcpy(file + MAGIC_LEN + split + tables, body + split, body_len - split);
    const char *path = fuzz_file(file, MAGIC_LEN + body_len + tables, ".lm.bin");
    free(file);

    struct lm *lm = NULL;
    struct ls_error err = {{0}};
    if (lm_load(&lm, path, &err) == 0) {
        fuzz_lm_check(lm, data, size);
        lm_free(lm);
    } else if (lm || strncmp(err.msg, path, strlen(path)) != 0) {
        abort();
    }
    return 0;
}
