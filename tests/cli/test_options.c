/* test_options.c: the command-line value parser (options.c): single values, comma lists,
 * ranges and their exact counts, and the words of every refusal. */
#include <stdlib.h>
#include <string.h>

#include "../src/cli/options.h"
#include "logitscope/parse.h"
#include "tap.h"

/* Parses arg as a list of `which`; returns the count, or -1 on error (message in err). */
static long list_count(enum opt_param which, const char *arg, struct opt_values *v,
                       struct ls_error *err)
{
    memset(err, 0, sizeof *err);
    if (opt_param_list(which, arg, v, err))
        return -1;
    return (long)v->n;
}

static void expect_count(enum opt_param which, const char *arg, long want)
{
    struct opt_values v;
    struct ls_error err;
    long got = list_count(which, arg, &v, &err);
    if (got < 0)
        printf("# %s\n", err.msg);
    TAP_EQ_INT(got, want, "%s %s gives %ld values", opt_param_flag(which), arg, want);
    if (got >= 0)
        opt_values_free(&v);
}

static void expect_error(enum opt_param which, const char *arg, const char *want_msg)
{
    struct opt_values v = {.n = 0};
    struct ls_error err;
    long got = list_count(which, arg, &v, &err);
    tap_ok(got < 0 && v.d == NULL && v.z == NULL, "%s \"%s\" is refused",
           opt_param_flag(which), arg);
    if (want_msg)
        TAP_EQ_STR(err.msg, want_msg, "  with the message \"%s\"", want_msg);
}

/* The double that the text s reads as: what `-t s` would give. */
static double num(const char *s)
{
    double x = 0;
    parse_double(s, strlen(s), &x);
    return x;
}

static void test_ranges(void)
{
    struct opt_values v;
    struct ls_error err;
    expect_count(OPT_TEMPERATURE, "0.1:2.0:0.01", 191);
    expect_count(OPT_TEMPERATURE, "0.05:3:0.05", 60);
    expect_count(OPT_TEMPERATURE, "0.1:0.3:0.1", 3);   /* 0.3 - 0.1 < 0.2 in doubles */
    expect_count(OPT_TEMPERATURE, "0:1:0.1", 11);
    expect_count(OPT_TEMPERATURE, "1:1:0.5", 1);
    expect_count(OPT_TEMPERATURE, "0:1.05:0.1", 11);   /* STOP not on the grid */
    expect_count(OPT_TEMPERATURE, "0:0.3:1e-1", 4);    /* exponent notation */
    expect_count(OPT_TEMPERATURE, "0:1:0.3333333333333333333", 4); /* not exact: fallback */
    expect_count(OPT_TOP_P, "0.1:1:0.1", 10);

    TAP_EQ_INT(list_count(OPT_TEMPERATURE, "0.1:2.0:0.01", &v, &err), 191, "0.1:2.0:0.01");
    tap_ok(v.d[0] == num("0.1"), "first value is 0.1");
    tap_ok(v.d[20] == num("0.3"), "value 21 is exactly the double 0.3, as `-t 0.3` reads");
    tap_ok(v.d[190] == num("2.0"), "last value is exactly 2.0 (inclusive)");
    int exact = 1;
    for (size_t i = 0; i < v.n; i++) {
        char text[32];
        snprintf(text, sizeof text, "%.2f", 0.1 + 0.01 * (double)i);
        exact &= v.d[i] == num(text);
    }
    tap_ok(exact, "every value equals its two-decimal spelling");
    opt_values_free(&v);

    TAP_EQ_INT(list_count(OPT_TOP_P, "0.1:1:0.1", &v, &err), 10, "top-p 0.1:1:0.1");
    tap_ok(v.n == 10 && v.d[9] == 1.0, "top-p range ends exactly at 1");
    opt_values_free(&v);
}

static void test_lists(void)
{
    struct opt_values v;
    struct ls_error err;
    TAP_EQ_INT(list_count(OPT_TEMPERATURE, "0.7", &v, &err), 1, "a single value");
    tap_ok(v.d[0] == num("0.7"), "  is 0.7");
    opt_values_free(&v);
    TAP_EQ_INT(list_count(OPT_TEMPERATURE, "0.2, 0.5 ,1", &v, &err), 3, "a comma list");
    tap_ok(v.d[0] == num("0.2") && v.d[1] == num("0.5") && v.d[2] == 1.0,
           "  keeps the order given, spaces allowed");
    opt_values_free(&v);
    TAP_EQ_INT(list_count(OPT_TEMPERATURE, "0,0.5:1:0.25,3", &v, &err), 5,
               "a list mixing values and a range");
    tap_ok(v.d[0] == 0 && v.d[1] == 0.5 && v.d[3] == 1.0 && v.d[4] == 3.0, "  in order");
    opt_values_free(&v);
    TAP_EQ_INT(list_count(OPT_TOP_K, "0:50:10", &v, &err), 6, "a top-k range");
    tap_ok(v.z[0] == 0 && v.z[5] == 50, "  0 to 50 inclusive");
    opt_values_free(&v);
    TAP_EQ_INT(list_count(OPT_TOP_K, "1,5,50000", &v, &err), 3, "a top-k list");
    tap_ok(v.z[2] == 50000, "  whole numbers");
    opt_values_free(&v);
    expect_count(OPT_MIN_P, "0,1", 2);
    expect_count(OPT_TOP_P, "1", 1);
}

static void test_refusals(void)
{
    expect_error(OPT_TOP_P, "1.5", "--top-p must be in (0, 1], got 1.5");
    expect_error(OPT_TOP_P, "0", "--top-p must be in (0, 1], got 0");
    expect_error(OPT_MIN_P, "1.01", "--min-p must be in [0, 1], got 1.01");
    expect_error(OPT_TEMPERATURE, "-0.5", "--temperature must be a finite number >= 0, got -0.5");
    expect_error(OPT_TEMPERATURE, "inf", "--temperature must be a finite number >= 0, got inf");
    expect_error(OPT_TEMPERATURE, "nan", NULL);
    expect_error(OPT_TEMPERATURE, "warm",
                 "--temperature must be a finite number >= 0, got \"warm\" (not a number)");
    expect_error(OPT_TEMPERATURE, "0.7x", NULL);
    expect_error(OPT_TOP_K, "1.5", "--top-k must be a whole number from 0 to 2^64-1, got 1.5");
    expect_error(OPT_TOP_K, "-1", "--top-k must be a whole number from 0 to 2^64-1, got -1");
    expect_error(OPT_TOP_K, "99999999999999999999",
                 "--top-k must be a whole number from 0 to 2^64-1, got 99999999999999999999");
    expect_error(OPT_TOP_K, "ten", NULL);
    expect_error(OPT_TEMPERATURE, "0.1,,0.2", NULL);
    expect_error(OPT_TEMPERATURE, "0.1,", NULL);
    expect_error(OPT_TEMPERATURE, "", NULL);
    expect_error(OPT_TEMPERATURE, "0:1:-0.1", "--temperature range 0:1:-0.1 must have a STEP > 0");
    expect_error(OPT_TEMPERATURE, "0:1:0", "--temperature range 0:1:0 must have a STEP > 0");
    expect_error(OPT_TEMPERATURE, "2:1:0.1", "--temperature range 2:1:0.1 must have START <= STOP");
    expect_error(OPT_TEMPERATURE, "0:1",
                 "--temperature range must be START:STOP:STEP, got \"0:1\"");
    expect_error(OPT_TEMPERATURE, "0:1:0.1:2", NULL);
    expect_error(OPT_TEMPERATURE, "0:1:x", NULL);
    expect_error(OPT_TEMPERATURE, "0:1:1e-7",
                 "--temperature range 0:1:1e-7 has too many values (at most 1000000)");
    expect_error(OPT_TOP_P, "0:1:0.5", "--top-p must be in (0, 1], got 0 (in range 0:1:0.5)");
    expect_error(OPT_TOP_P, "0.5:1.5:0.5",
                 "--top-p must be in (0, 1], got 1.5 (in range 0.5:1.5:0.5)");
    expect_error(OPT_TOP_K, "0:10:0", "--top-k range 0:10:0 must have a STEP > 0");
    expect_error(OPT_TOP_K, "10:0:1", NULL);
    expect_error(OPT_TOP_K, "0:18446744073709551615:1", NULL);
}

static void test_single_values(void)
{
    struct params p = params_default();
    struct ls_error err = {{0}};
    size_t n = 0;
    uint64_t seed = 0;
    enum order o = ORDER_HF;
    tap_ok(opt_param_one(OPT_TEMPERATURE, "0.7", &p, &err) == 0 && p.temperature == num("0.7"),
           "-t 0.7 sets the temperature");
    tap_ok(opt_param_one(OPT_TOP_K, "50", &p, &err) == 0 && p.top_k == 50, "-k 50");
    tap_ok(opt_param_one(OPT_TOP_P, "0.9", &p, &err) == 0 && p.top_p == num("0.9"), "-p 0.9");
    tap_ok(opt_param_one(OPT_MIN_P, "0.05", &p, &err) == 0 && p.min_p == num("0.05"),
           "--min-p 0.05");
    tap_ok(opt_param_one(OPT_TEMPERATURE, "0.1,0.2", &p, &err) == -1,
           "one value only where one is taken");
    tap_ok(opt_param_one(OPT_TOP_P, "2", &p, &err) == -1 && p.top_p == num("0.9"),
           "a refused value leaves the field alone");
    tap_ok(opt_samples("0", &n, &err) == 0 && n == 0, "--samples 0 (no draws) is allowed");
    tap_ok(opt_samples("100000000", &n, &err) == 0, "--samples at the maximum");
    tap_ok(opt_samples("100000001", &n, &err) == -1, "--samples above the maximum");
    TAP_EQ_STR(err.msg, "--samples must be a whole number in [0, 100000000], got 100000001",
               "  says what is allowed");
    tap_ok(opt_seed("18446744073709551615", &seed, &err) == 0 && seed == UINT64_MAX,
           "--seed takes 64 bits");
    tap_ok(opt_seed("-3", &seed, &err) == -1, "--seed refuses a negative");
    tap_ok(opt_order("llama", &o, &err) == 0 && o == ORDER_LLAMA, "--order llama");
    tap_ok(opt_order("hf", &o, &err) == 0 && o == ORDER_HF, "--order hf");
    tap_ok(opt_order("openai", &o, &err) == -1, "--order openai is refused");
    TAP_EQ_STR(err.msg, "--order must be hf or llama, got \"openai\"", "  by name");
    tap_ok(opt_count("--top", "0", &n, &err) == 0 && n == 0, "--top 0");
    tap_ok(opt_count("--top", "x", &n, &err) == -1, "--top x is refused");
}

static void test_format(void)
{
    char buf[40];
    static const struct { double x; const char *want; } cases[] = {
        {0.1, "0.1"}, {0.7, "0.7"}, {2.0, "2"}, {0.0, "0"}, {1e-7, "1e-07"},
        {1.0 / 3.0, "0.3333333333333333"}, {0.1 + 0.2, "0.30000000000000004"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        opt_format_double(cases[i].x, buf, sizeof buf);
        TAP_EQ_STR(buf, cases[i].want, "shortest spelling of %.17g", cases[i].x);
    }
}

int main(void)
{
    test_ranges();
    test_lists();
    test_refusals();
    test_single_values();
    test_format();
    return tap_done();
}
