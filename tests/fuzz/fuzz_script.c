/* fuzz_script.c: libFuzzer harness for the key-script parser (--play): any bytes must give a
 * consistent timeline (captions included) or a "NAME:LINE: what" error, never a crash. Built
 * and run as README says; corpus/script/ holds the bundled demos and test scripts. */
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
        if (strncmp(err.msg, "fuzz.play:", 10) != 0 || s.n != 0 || s.n_says != 0 || s.says)
            abort(); /* every error names the script and its line; nothing is kept */
        return 0;
    }
    unsigned long long total = 0;
    size_t says = 0;
    for (size_t i = 0; i < s.n; i++) {
        const struct script_event *ev = &s.events[i];
        bool key_ok = ev->key == KEYC_NONE || key_is_char(ev->key) ||
                      (ev->key > KEYC_NAMED && ev->key < KEYC_LAST && ev->key != KEYC_RESIZE &&
                       ev->key != KEYC_MOUSE);
        if (!key_ok || ev->wait_ms > SCRIPT_MAX_SLEEP_MS || (i && ev->line < s.events[i - 1].line))
            abort();
        /* a caption: no key, no time, the next of the captions in order, within its limit */
        if (ev->say >= 0 && (ev->key != KEYC_NONE || ev->wait_ms != 0 ||
                             (size_t)ev->say != says++ ||
                             strlen(s.says[ev->say]) > SCRIPT_SAY_MAX))
            abort();
        if (ev->say < -1)
            abort();
        total += ev->wait_ms;
    }
    if (total != s.total_ms || says != s.n_says)
        abort();
    script_free(&s);
    return 0;
}
