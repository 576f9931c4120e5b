/* numfmt.c: numbers that fit their field whole. Each form is tried in order of how plainly
 * it reads; the first that fits and shows enough digits is taken, so a tiny probability is
 * never printed as 0.00% and a wide one never loses a digit to the field's edge. */
#include "numfmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUMFMT_BUF 64
#define NUMFMT_DECIMALS_MAX 12

int numfmt_significant(const char *s)
{
    int n = 0;
    bool started = false;
    for (; *s && *s != 'e' && *s != '%'; s++) {
        if (*s < '0' || *s > '9')
            continue;
        started = started || *s != '0';
        n += started;
    }
    return n;
}

/* "%.*e" with a short exponent: "4.1e-06" as "4.1e-6", "1e+300" as "1e300". */
static void numfmt_sci(char *out, size_t cap, double v, int mant_decimals, const char *suffix)
{
    char tmp[NUMFMT_BUF];
    int n = snprintf(tmp, sizeof tmp, "%.*e", mant_decimals, v);
    char *e = n > 0 ? strchr(tmp, 'e') : NULL;
    if (e)
        *e = '\0';
    n = e ? snprintf(out, cap, "%se%d%s", tmp, atoi(e + 1), suffix)
          : snprintf(out, cap, "%s%s", tmp, suffix);
    if (n < 0 || (size_t)n >= cap)
        out[0] = '\0'; /* never a cut number */
}

/* The result into buf when it fits cap; its length. */
static int numfmt_take(char *buf, size_t cap, const char *s)
{
    snprintf(buf, cap, "%s", s);
    return (int)strlen(buf);
}

int numfmt_percent(char *buf, size_t cap, double p, int width, int decimals)
{
    double v = p * 100.0;
    char s[NUMFMT_BUF];
    if (!(v > 0)) {
        snprintf(s, sizeof s, "%.*f%%", decimals, 0.0);
        return numfmt_take(buf, cap, (int)strlen(s) <= width ? s : "0%");
    }
    for (int need = 2; need >= 1; need--) {
        /* more decimals for a small number, fewer for one too wide ("100.0%") */
        for (int d = decimals; d <= NUMFMT_DECIMALS_MAX; d++) {
            snprintf(s, sizeof s, "%.*f%%", d, v);
            if ((int)strlen(s) > width)
                break;
            if (numfmt_significant(s) >= need)
                return numfmt_take(buf, cap, s);
        }
        for (int d = decimals - 1; d >= 0; d--) {
            snprintf(s, sizeof s, "%.*f%%", d, v);
            if ((int)strlen(s) <= width && numfmt_significant(s) >= need)
                return numfmt_take(buf, cap, s);
        }
        numfmt_sci(s, sizeof s, v, need - 1, "%");
        if ((int)strlen(s) <= width)
            return numfmt_take(buf, cap, s);
    }
    /* too small for any form: a true bound, as tight as fits */
    int e = (int)floor(log10(v)) + 1;
    for (int k = e; k <= 2; k++) {
        if (k < 0)
            snprintf(s, sizeof s, "<1e%d%%", k);
        else
            snprintf(s, sizeof s, "<%.0f%%", pow(10.0, k));
        if ((int)strlen(s) <= width)
            return numfmt_take(buf, cap, s);
    }
    return numfmt_take(buf, cap, "");
}

/* "-0.00" reads as a negative number: a rounded zero has no sign. */
static void numfmt_unsign_zero(char *s)
{
    if (s[0] == '-' && strspn(s + 1, "0.") == strlen(s + 1))
        memmove(s, s + 1, strlen(s));
}

int numfmt_number(char *buf, size_t cap, double x, int width, int decimals)
{
    char s[NUMFMT_BUF];
    if (isnan(x))
        return numfmt_take(buf, cap, "");
    if (isinf(x))
        return numfmt_take(buf, cap, x < 0 ? "-inf" : "inf");
    for (int d = decimals; d >= 0; d--) {
        if (fabs(x) >= 1e15) /* "%.0f" would write every digit of it */
            break;
        snprintf(s, sizeof s, "%.*f", d, x);
        numfmt_unsign_zero(s);
        if ((int)strlen(s) <= width)
            return numfmt_take(buf, cap, s);
    }
    for (int m = 2; m >= 0; m--) {
        numfmt_sci(s, sizeof s, x, m, "");
        if ((int)strlen(s) <= width)
            return numfmt_take(buf, cap, s);
    }
    return numfmt_take(buf, cap, "");
}
