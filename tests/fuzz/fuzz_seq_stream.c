/* fuzz_seq_stream.c: libFuzzer harness for streamed responses. The first byte picks the
 * framing and the choice; every following line becomes one chunk, written as a server-sent
 * event ("data: LINE", then a blank line) or as one line of NDJSON, so mutations stay inside
 * a stream instead of breaking its framing. Built and run as tests/fuzz/README
 * says; -dict=tests/fuzz/seq_json.dict helps. */
#include <stdint.h>

#include "fuzz_file.h"
#include "fuzz_seq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seq_opts o = {0};
    bool sse;
    char *out;
    size_t n = 0;

    if (size < 1 || size > 65536)
        return 0;
    sse = data[0] & 1;
    o.choice = (data[0] >> 1) & 3;
    if (!(out = malloc(size * 9 + 16)))
        return 0;
    for (size_t i = 1, end; i < size; i = end + 1) {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        end = nl ? (size_t)(nl - data) : size;
        if (sse) {
            memcpy(out + n, "data: ", 6);
            n += 6;
        }
        memcpy(out + n, data + i, end - i);
        n += end - i;
        out[n++] = '\n';
        if (sse)
            out[n++] = '\n';
    }
    if (sse && (data[0] & 8)) {
        memcpy(out + n, "data: [DONE]\n", 13);
        n += 13;
    }
    fuzz_seq_load(fuzz_file((const uint8_t *)out, n, ".sse"), &o);
    free(out);
    return 0;
}
