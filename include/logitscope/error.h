/* error.h: errors as values. Every failing call fills one of these with a message that
 * already names the file and line ("FILE:LINE: what is wrong"); callers print it as is. */
#ifndef LOGITSCOPE_ERROR_H
#define LOGITSCOPE_ERROR_H

#include <stdarg.h>

struct ls_error {
    char msg[512];
};

/* printf-style; always returns -1 so that `return ls_error_set(err, ...)` reads naturally.
 * err may be NULL. */
int ls_error_set(struct ls_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
