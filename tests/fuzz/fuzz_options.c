/* fuzz_options.c: libFuzzer harness for sampler option values (values, comma lists and
 * ranges of every parameter in the sampler table). The first byte picks the parameter, the
 * rest is the argument. A value is accepted only if the engine takes it; a refusal names the
 * option and leaves nothing behind. */
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

    if (size == 0 || size > sizeof arg)
        return 0; /* longer arguments only make longer lists: OPT_MAX_VALUES bounds them */
    enum param_id which = (enum param_id)(data[0] % PARAM_COUNT);
    memcpy(arg, data + 1, size - 1);
    arg[size - 1] = '\0';
    const char *flag = param_spec(which)->flag;
    if (opt_param_list(which, arg, &v, &err) != 0) {
        if (!strstr(err.msg, flag) || v.n != 0 || v.d || v.z)
            abort(); /* the message names the option; nothing is kept */
        return 0;
    }
    if (v.n == 0 || v.n > OPT_MAX_VALUES)
        abort();
    for (size_t i = 0; i < v.n; i++) {
        struct params p = params_default();
        opt_values_apply(&v, i, &p);
        if (params_check(&p, &err) != 0)
            abort(); /* every value the parser lets through, the engine takes */
    }
    opt_values_free(&v);
    return 0;
}
