/* fuzz_script.c: libFuzzer harness for the key-script parser (--play): any bytes must give a
 * consistent timeline or a "NAME:LINE: what" error, never a crash. Not built by meson, so a
 * gcc build never needs clang; from the source root:
 *   clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
 *     -fsanitize=fuzzer,address,undefined -Iinclude -Isrc/app \
 *     tests/fuzz/fuzz_script.c src/app/{script,keys}.c src/engine/{error,parse}.c -lm \
 *     -o fuzz_script && mkdir -p /tmp/play-corpus && cp data/demos/*.play /tmp/play-corpus &&
 *     ./fuzz_script -max_len=4096 /tmp/play-corpus
 * (a corpus of its own: libFuzzer adds the inputs it finds to the first directory given) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct script s;
    struct ls_error err = {{0}};
    if (script_parse(&s, "fuzz.play", (const char *)data, size, &err) != 0) {
        if (strncmp(err.msg, "fuzz.play:", 10) != 0 || s.n != 0)
            abort(); /* every error names the script and its line; nothing is kept */
        return 0;
    }
    unsigned long long total = 0;
    for (size_t i = 0; i < s.n; i++) {
        const struct script_event *ev = &s.events[i];
        bool key_ok = ev->key == KEYC_NONE || key_is_char(ev->key) ||
                      (ev->key > KEYC_NAMED && ev->key < KEYC_LAST && ev->key != KEYC_RESIZE &&
                       ev->key != KEYC_MOUSE);
        if (!key_ok || ev->wait_ms > SCRIPT_MAX_SLEEP_MS || (i && ev->line < s.events[i - 1].line))
            abort();
        total += ev->wait_ms;
    }
    if (total != s.total_ms)
        abort();
    script_free(&s);
    return 0;
}
