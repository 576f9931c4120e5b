/* fuzz_options.c: libFuzzer harness for option values (-t/-k/-p/--min-p lists and ranges,
 * and the single values the explorer takes). The first byte picks the parameter and the
 * parser, the rest is the argument. A value is accepted only if the engine takes it; a
 * refusal names the option and leaves nothing behind. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char arg[256];
    struct ls_error err = {{0}};
    struct opt_values v = {0};
    struct params p = params_default();

    if (size == 0 || size > sizeof arg)
        return 0; /* longer arguments only make longer lists: OPT_MAX_VALUES bounds them */
    enum opt_param which = (enum opt_param)(data[0] % OPT_PARAM_COUNT);
    bool list = data[0] & 0x80;
    memcpy(arg, data + 1, size - 1);
    arg[size - 1] = '\0';
    const char *flag = opt_param_flag(which);
    if (!list) {
        if (opt_param_one(which, arg, &p, &err) == 0) {
            if (params_check(&p, &err) != 0)
                abort();
        } else if (!strstr(err.msg, flag)) {
            abort();
        }
        return 0;
    }
    if (opt_param_list(which, arg, &v, &err) != 0) {
        if (!strstr(err.msg, flag) || v.n != 0 || v.d || v.z)
            abort(); /* the message names the option; nothing is kept */
        return 0;
    }
    if (v.n == 0 || v.n > OPT_MAX_VALUES)
        abort();
    for (size_t i = 0; i < v.n; i++) {
        p = params_default();
        opt_values_apply(&v, i, &p);
        if (params_check(&p, &err) != 0)
            abort();
    }
    opt_values_free(&v);
    return 0;
}
