/* test_parse.c: the strict number grammar shared by the loaders and the command line,
 * including its independence from the locale's decimal point. */
#include <float.h>
#include <locale.h>
#include <stdint.h>

#include "logitscope/parse.h"
#include "tap.h"

static enum parse_status pd(const char *s, double *out)
{
    return parse_double(s, strlen(s), out);
}

static void check_ok(const char *s, double want)
{
    double x = NAN;
    enum parse_status st = pd(s, &x);

    tap_ok(st == PARSE_OK && (x == want || (x == 0 && want == 0)),
           "\"%s\" -> %.17g (status %d, got %.17g)", s, want, (int)st, x);
}

static void check_status(const char *s, enum parse_status want)
{
    double x = 12345;
    enum parse_status st = pd(s, &x);

    TAP_EQ_INT(st, want, "\"%s\" is %s", s, parse_status_str(want));
    if (want != PARSE_OK && want != PARSE_NEG_INF)
        tap_ok(x == 12345, "\"%s\" leaves *out alone", s);
}

static void test_numbers(void)
{
    check_ok("1", 1);
    check_ok("1.5", 1.5);
    check_ok("-2.25", -2.25);
    check_ok("+3", 3);
    check_ok(".5", 0.5);
    check_ok("5.", 5);
    check_ok("-.5e1", -5);
    check_ok("1e3", 1000);
    check_ok("1E-3", 1e-3);
    check_ok("2.5e+2", 250);
    check_ok("  7  ", 7);
    check_ok("\t7\t", 7);
    check_ok("0", 0);
    check_ok("-0", 0);
    check_ok("1e30", 1e30);
    check_ok("-1e30", -1e30);
    check_ok("1.7976931348623157e308", DBL_MAX);
    check_ok("4.9406564584124654e-324", 4.9406564584124654e-324); /* subnormal */
    check_ok("1e-400", 0);                                         /* underflow: accepted */
    check_ok("0.1000000000000000000000000000000000000000000000000000000000000000000000000000"
             "000000000000000000000000000000000000000000000000000000000000000000000000001",
             0.1); /* longer than the parser's stack copy */
    check_ok("00012.50", 12.5);
}

static void test_statuses(void)
{
    double x = 0;

    check_status("", PARSE_EMPTY);
    check_status("   ", PARSE_EMPTY);
    check_status("abc", PARSE_INVALID);
    check_status("-", PARSE_INVALID);
    check_status("+", PARSE_INVALID);
    check_status(".", PARSE_INVALID);
    check_status("-.e5", PARSE_INVALID);
    check_status("e5", PARSE_INVALID);
    check_status("--1", PARSE_INVALID);
    check_status("0x1p3", PARSE_INVALID);
    check_status("-0X10", PARSE_INVALID);
    check_status("info", PARSE_INVALID);
    check_status("nancy", PARSE_INVALID);
    check_status("1.5x", PARSE_TRAILING);
    check_status("1e", PARSE_TRAILING);
    check_status("1e+", PARSE_TRAILING);
    check_status("1 2", PARSE_TRAILING);
    check_status("1.5.", PARSE_TRAILING);
    check_status("1,5", PARSE_TRAILING);
    check_status("-inf;", PARSE_TRAILING);
    check_status("1e999", PARSE_RANGE);
    check_status("-1e999", PARSE_RANGE);
    check_status("nan", PARSE_NAN);
    check_status("NaN", PARSE_NAN);
    check_status("-nan", PARSE_NAN);
    check_status("inf", PARSE_POS_INF);
    check_status("+inf", PARSE_POS_INF);
    check_status("Infinity", PARSE_POS_INF);
    check_status("INF", PARSE_POS_INF);
    TAP_EQ_INT(pd("-inf", &x), PARSE_NEG_INF, "-inf is PARSE_NEG_INF");
    tap_ok(isinf(x) && x < 0, "-inf stores -INFINITY");
    x = 0;
    TAP_EQ_INT(pd(" -Infinity ", &x), PARSE_NEG_INF, "-Infinity with spaces");
    tap_ok(isinf(x) && x < 0, "-Infinity stores -INFINITY");
}

static void test_bounds(void)
{
    const char buf[3] = {'4', '2', 'x'}; /* not NUL-terminated */
    const char tail[4] = {'1', '.', '5', 'e'};
    double x = 0;

    TAP_EQ_INT(parse_double(buf, 2, &x), PARSE_OK, "reads only len bytes");
    TAP_NEAR(x, 42, 0, "42 from an unterminated buffer");
    TAP_EQ_INT(parse_double(tail, 3, &x), PARSE_OK, "stops before an 'e' past len");
    TAP_NEAR(x, 1.5, 0, "1.5 from \"1.5e\" with len 3");
    TAP_EQ_INT(parse_double("7", 0, &x), PARSE_EMPTY, "len 0 is empty");
}

static void test_size(void)
{
    size_t n = 99;

    TAP_EQ_INT(parse_size("0", 1, &n), PARSE_OK, "size 0");
    TAP_EQ_INT(n, 0, "size 0 value");
    TAP_EQ_INT(parse_size(" 42 ", 4, &n), PARSE_OK, "size with spaces");
    TAP_EQ_INT(n, 42, "size 42 value");
    if (SIZE_MAX == UINT64_MAX) {
        TAP_EQ_INT(parse_size("18446744073709551615", 20, &n), PARSE_OK, "SIZE_MAX");
        tap_ok(n == SIZE_MAX, "SIZE_MAX value");
        TAP_EQ_INT(parse_size("18446744073709551616", 20, &n), PARSE_RANGE, "SIZE_MAX + 1");
    }
    TAP_EQ_INT(parse_size("99999999999999999999999", 23, &n), PARSE_RANGE, "huge size");
    TAP_EQ_INT(parse_size("", 0, &n), PARSE_EMPTY, "empty size");
    TAP_EQ_INT(parse_size("-1", 2, &n), PARSE_INVALID, "negative size");
    TAP_EQ_INT(parse_size("+1", 2, &n), PARSE_INVALID, "signed size");
    TAP_EQ_INT(parse_size("abc", 3, &n), PARSE_INVALID, "word size");
    TAP_EQ_INT(parse_size("1.0", 3, &n), PARSE_TRAILING, "fraction size");
    TAP_EQ_INT(parse_size("1e3", 3, &n), PARSE_TRAILING, "exponent size");
    TAP_EQ_INT(parse_size("12", 1, &n), PARSE_OK, "size reads only len bytes");
    TAP_EQ_INT(n, 1, "size 1 from \"12\" with len 1");
}

static void test_status_words(void)
{
    TAP_EQ_STR(parse_status_str(PARSE_TRAILING), "trailing characters after the number",
               "trailing words");
    TAP_EQ_STR(parse_status_str(PARSE_INVALID), "not a number", "invalid words");
    TAP_EQ_STR(parse_status_str(PARSE_RANGE), "out of range", "range words");
    for (int st = PARSE_OK; st <= PARSE_NEG_INF; st++)
        tap_ok(parse_status_str((enum parse_status)st)[0] != '\0', "status %d has words", st);
}

/* The explorer calls setlocale(LC_ALL, ""): a ',' radix must not change what we read. */
static void test_locale(void)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                        "de_DE", "C.UTF-8", "C.utf8"};
    const char *got = NULL;
    double x = 0;

    for (size_t i = 0; i < sizeof names / sizeof *names && !got; i++)
        got = setlocale(LC_NUMERIC, names[i]) ? names[i] : NULL;
    printf("# LC_NUMERIC %s, radix '%s'\n", got ? got : "C", localeconv()->decimal_point);
    check_ok("1.5", 1.5);
    check_ok("-0.25e1", -2.5);
    check_status("1,5", PARSE_TRAILING);
    TAP_EQ_INT(pd("3.75", &x), PARSE_OK, "3.75 in that locale");
    TAP_NEAR(x, 3.75, 0, "3.75 value in that locale");
    setlocale(LC_NUMERIC, "C");
}

int main(void)
{
    test_numbers();
    test_statuses();
    test_bounds();
    test_size();
    test_status_words();
    test_locale();
    return tap_done();
}
