/* test_numfmt.c: the digits rule of every number in the histogram's fields (numfmt.h):
 * worked examples, then random probabilities from 1e-320 to 1 in every field width the
 * histogram uses: the text always fits, is never cut, and reads back as the number (to the
 * digits it shows) or as a true bound. */
#include <float.h>
#include <stdbool.h>
#include <stdlib.h>

#include "numfmt.h"
#include "tap.h"

static void percent_is(double p, int width, int decimals, const char *want)
{
    char buf[32];
    numfmt_percent(buf, sizeof buf, p, width, decimals);
    TAP_EQ_STR(buf, want, "%.17g in %d columns, %d decimals: %s", p, width, decimals, want);
}

static void number_is(double x, int width, int decimals, const char *want)
{
    char buf[32];
    numfmt_number(buf, sizeof buf, x, width, decimals);
    TAP_EQ_STR(buf, want, "%.17g in %d columns, %d decimals: %s", x, width, decimals, want);
}

static void test_examples(void)
{
    percent_is(0.4903, 7, 2, "49.03%");
    percent_is(0.4903, 6, 1, "49.0%");
    percent_is(1.0, 7, 2, "100.00%");
    percent_is(1.0, 6, 1, "100.0%");
    percent_is(1.0, 6, 2, "100.0%");
    percent_is(0.0, 7, 2, "0.00%");
    percent_is(0.0012, 7, 2, "0.12%");
    percent_is(0.0005, 7, 2, "0.050%");
    percent_is(0.0005, 6, 1, "0.050%");
    percent_is(3.8147e-6, 7, 2, "3.8e-4%"); /* -t 5 on 262,144 tokens: 0.00% before */
    percent_is(3.8147e-6, 6, 1, "4e-4%");
    percent_is(2e-6, 7, 2, "2.0e-4%");
    percent_is(1e-320, 7, 2, "1e-318%");
    percent_is(1e-320, 6, 1, "<1e-9%");
    percent_is(0.999999, 7, 2, "100.00%");
    number_is(2.2, 7, 2, "2.20");
    number_is(-1000.5, 7, 2, "-1000.5");
    number_is(-123456.7, 7, 2, "-123457");
    number_is(1e300, 7, 2, "1.0e300");
    number_is(-1e300, 7, 2, "-1e300");
    number_is(-1e-300, 7, 2, "0.00");
    number_is(-INFINITY, 7, 2, "-inf");
    number_is(NAN, 7, 2, "");
    TAP_EQ_INT(numfmt_significant("0.050%"), 2, "0.050%% shows two significant digits");
    TAP_EQ_INT(numfmt_significant("1e-9%"), 1, "1e-9%% one");
    TAP_EQ_INT(numfmt_significant("0.00%"), 0, "0.00%% none");
}

/* The text read back: a value within half a unit of its last digit (a bound: below it). */
static bool percent_reads_back(const char *s, double p)
{
    double v = p * 100.0;
    if (s[0] == '<')
        return v < strtod(s + 1, NULL);
    char *end;
    double got = strtod(s, &end);
    if (*end != '%' || end[1] != '\0')
        return false;
    /* half a unit in the last place shown */
    const char *e = strchr(s, 'e'), *dot = strchr(s, '.');
    int exp10 = e ? atoi(e + 1) : 0;
    int decimals = dot && (!e || dot < e) ? (int)((e ? e : end) - dot - 1) : 0;
    double half = 0.5 * pow(10.0, exp10 - decimals) * (1 + 1e-9);
    return fabs(got - v) <= half;
}

static void test_random(void)
{
    unsigned long long s = 88172645463325252ull;
    bool fits = true, back = true, digits = true;
    for (int i = 0; i < 200000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double u = (double)(s >> 11) * 0x1p-53;
        double p = pow(10.0, -320.0 * u * u); /* many small ones */
        static const int widths[][2] = {{7, 2}, {6, 1}, {8, 2}};
        for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
            char buf[32];
            int n = numfmt_percent(buf, sizeof buf, p, widths[w][0], widths[w][1]);
            if (n > widths[w][0] || n == 0 || (int)strlen(buf) != n) {
                if (fits)
                    printf("# %.17g in %d: \"%s\"\n", p, widths[w][0], buf);
                fits = false;
            }
            if (!percent_reads_back(buf, p)) {
                if (back)
                    printf("# %.17g reads back wrong: \"%s\"\n", p, buf);
                back = false;
            }
            /* two digits wherever the width allows them (7 columns: down to 1e-9%, where the exponent takes one digit) */
            if (widths[w][0] == 7 && p * 100 >= 1e-9 && numfmt_significant(buf) < 2) {
                if (digits)
                    printf("# %.17g: \"%s\" shows fewer than two digits\n", p, buf);
                digits = false;
            }
        }
    }
    tap_ok(fits, "200,000 probabilities from 1e-320 to 1: every text fits its field");
    tap_ok(back, "... and reads back as the number, to the digits it shows, or a true bound");
    tap_ok(digits, "... with two significant digits in 7 columns down to 1e-9%%");
}

int main(void)
{
    test_examples();
    test_random();
    return tap_done();
}
