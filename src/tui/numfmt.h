/* numfmt.h: numbers for fixed-width fields. A number is rounded, never cut: when its usual
 * form does not fit, or would read as zero, a shorter true form takes its place (more
 * decimals, then scientific notation, then a bound such as "<1e-9%"). No curses. */
#ifndef LOGITSCOPE_TUI_NUMFMT_H
#define LOGITSCOPE_TUI_NUMFMT_H

#include <stddef.h>

/* Probability p as a percentage in at most `width` columns (width >= 3), the first form
 * that fits of: `decimals` or more decimals with two significant digits ("49.03%",
 * "0.050%"), scientific with two ("4.1e-6%"), either with one ("0.001%", "1e-10%"), a bound
 * ("<1e-9%"). Exactly 0 keeps its decimals ("0.00%"). Returns the length written. */
int numfmt_percent(char *buf, size_t cap, double p, int width, int decimals);

/* x (a logit) in at most `width` columns (width >= 4): `decimals` decimals, fewer, then
 * scientific ("-1.2e+300" as "-1.2e300"); -inf as "-inf", NaN as "". Returns the length. */
int numfmt_number(char *buf, size_t cap, double x, int width, int decimals);

/* Significant digits a formatted number shows: the digits from its first non-zero one up
 * to an exponent or a percent sign ("0.050%" has 2, "1e-9%" 1, "0.00%" 0). */
int numfmt_significant(const char *s);

#endif
