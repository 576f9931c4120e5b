/* fuzz_seq_json.c: libFuzzer harness for the JSON sequence loader: any bytes, as a whole
 * response (OpenAI chat or legacy, llama.cpp, Ollama) or as any stream the content sniffer
 * takes them for, must load into sound positions or fail with a message naming the file.
 * Not built by meson; from the source root:
 *   clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
 *     -fsanitize=fuzzer,address,undefined -Iinclude -Isrc/engine tests/fuzz/fuzz_seq_json.c \
 *     src/engine/{error,parse,text,vocab,load_tsv,load_npy,weights,fastexp,seq,seq_json,seq_npy}.c \
 *     -ljansson -lm -o fuzz_seq_json &&
 *   mkdir -p /tmp/seq-json && cp -r tests/fuzz/corpus/fuzz_seq_json/. /tmp/seq-json &&
 *   ./fuzz_seq_json -max_len=8192 -dict=tests/fuzz/seq_json.dict /tmp/seq-json
 * (a corpus of its own: libFuzzer adds what it finds to the first directory given) */
#include <stdint.h>

#include "fuzz_file.h"
#include "fuzz_seq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool is_seq = seq_detect(data, size);

    (void)is_seq;
    fuzz_seq_load(fuzz_file(data, size, ".json"), NULL);
    return 0;
}
