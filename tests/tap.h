/* tap.h: a minimal TAP producer for the C unit tests (meson runs them with protocol: 'tap').
 * Header-only; each test file includes it once. */
#ifndef LOGITSCOPE_TAP_H
#define LOGITSCOPE_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static void tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;
    printf("%s %d - ", cond ? "ok" : "not ok", ++tap_count);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    if (!cond)
        tap_failed++;
}

/* |got - want| <= tol * max(1, |want|) */
#define TAP_NEAR(got, want, tol, ...)                                                   \
    do {                                                                                \
        double g_ = (got), w_ = (want);                                                 \
        int c_ = (isinf(w_) ? g_ == w_ : fabs(g_ - w_) <= (tol) * fmax(1.0, fabs(w_))); \
        if (!c_)                                                                        \
            printf("# got %.17g, want %.17g\n", g_, w_);                                \
        tap_ok(c_, __VA_ARGS__);                                                        \
    } while (0)

#define TAP_EQ_INT(got, want, ...)                                           \
    do {                                                                     \
        long long g_ = (long long)(got), w_ = (long long)(want);             \
        if (g_ != w_)                                                        \
            printf("# got %lld, want %lld\n", g_, w_);                       \
        tap_ok(g_ == w_, __VA_ARGS__);                                       \
    } while (0)

#define TAP_EQ_STR(got, want, ...)                                           \
    do {                                                                     \
        const char *g_ = (got), *w_ = (want);                                \
        int c_ = g_ && w_ && strcmp(g_, w_) == 0;                            \
        if (!c_)                                                             \
            printf("# got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)", w_);   \
        tap_ok(c_, __VA_ARGS__);                                             \
    } while (0)

static int tap_done(void)
{
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}

#endif
