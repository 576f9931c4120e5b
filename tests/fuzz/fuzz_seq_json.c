/* fuzz_seq_json.c: libFuzzer harness for the JSON sequence loader: any bytes, as a whole
 * response (OpenAI chat or legacy, llama.cpp, Ollama) or as any stream the content sniffer
 * takes them for, must load into sound positions or fail with a message naming the file.
 * Built and run as tests/fuzz/README says; -dict=tests/fuzz/seq_json.dict helps. */
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
