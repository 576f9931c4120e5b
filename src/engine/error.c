/* error.c: filling an ls_error. Messages are formatted once, where the failure is understood,
 * so callers only ever print them. */
#include <stdio.h>

#include "logitscope/error.h"

int ls_error_set(struct ls_error *err, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return -1;
    va_start(ap, fmt);
    /* vsnprintf truncates safely; a cut message is still better than none. */
    if (vsnprintf(err->msg, sizeof err->msg, fmt, ap) < 0)
        err->msg[0] = '\0';
    va_end(ap);
    return -1;
}
