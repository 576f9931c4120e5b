/* fuzz_seq_stream.c: libFuzzer harness for streamed responses. The first byte picks the
 * framing and the choice; every following line becomes one chunk, written as a server-sent
 * event ("data: LINE", then a blank line) or as one line of NDJSON, so mutations stay inside
 * a stream instead of breaking its framing. Not built by meson; from the source root:
 *   clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
 *     -fsanitize=fuzzer,address,undefined -Iinclude -Isrc/engine tests/fuzz/fuzz_seq_stream.c \
 *     src/engine/{error,parse,text,vocab,load_tsv,load_npy,weights,fastexp,seq,seq_json,seq_npy}.c \
 *     -ljansson -lm -o fuzz_seq_stream &&
 *   mkdir -p /tmp/seq-stream && cp -r tests/fuzz/corpus/fuzz_seq_stream/. /tmp/seq-stream &&
 *   ./fuzz_seq_stream -max_len=8192 -dict=tests/fuzz/seq_json.dict /tmp/seq-stream */
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
