/* test_options.c: the command-line value parser (options.c): single values, comma lists,
 * ranges and their exact counts, and the words of every refusal. */
#include <stdlib.h>
#include <string.h>

#include "../src/cli/options.h"
#include "logitscope/parse.h"
#include "params_fixture.h"
#include "tap.h"

/* Parses arg as a list of `which`; returns the count, or -1 on error (message in err). */
static long list_count(enum param_id which, const char *arg, struct opt_values *v,
                       struct ls_error *err)
{
    memset(err, 0, sizeof *err);
    if (opt_param_list(which, arg, v, err))
        return -1;
    return (long)v->n;
}

static void expect_count(enum param_id which, const char *arg, long want)
{
    struct opt_values v;
    struct ls_error err;
    long got = list_count(which, arg, &v, &err);
    if (got < 0)
        printf("# %s\n", err.msg);
    TAP_EQ_INT(got, want, "%s %s gives %ld values", param_spec(which)->flag, arg, want);
    if (got >= 0)
        opt_values_free(&v);
}

static void expect_error(enum param_id which, const char *arg, const char *want_msg)
{
    struct opt_values v = {.n = 0};
    struct ls_error err;
    long got = list_count(which, arg, &v, &err);
    tap_ok(got < 0 && v.d == NULL && v.z == NULL, "%s \"%s\" is refused",
           param_spec(which)->flag, arg);
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
    expect_count(PARAM_TEMPERATURE, "0.1:2.0:0.01", 191);
    expect_count(PARAM_TEMPERATURE, "0.05:3:0.05", 60);
    expect_count(PARAM_TEMPERATURE, "0.1:0.3:0.1", 3);   /* 0.3 - 0.1 < 0.2 in doubles */
    expect_count(PARAM_TEMPERATURE, "0:1:0.1", 11);
    expect_count(PARAM_TEMPERATURE, "1:1:0.5", 1);
    expect_count(PARAM_TEMPERATURE, "0:1.05:0.1", 11);   /* STOP not on the grid */
    expect_count(PARAM_TEMPERATURE, "0:0.3:1e-1", 4);    /* exponent notation */
    expect_count(PARAM_TEMPERATURE, "0:1:0.3333333333333333333", 4); /* not exact: fallback */
    expect_count(PARAM_TOP_P, "0.1:1:0.1", 10);

    TAP_EQ_INT(list_count(PARAM_TEMPERATURE, "0.1:2.0:0.01", &v, &err), 191, "0.1:2.0:0.01");
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

    TAP_EQ_INT(list_count(PARAM_TOP_P, "0.1:1:0.1", &v, &err), 10, "top-p 0.1:1:0.1");
    tap_ok(v.n == 10 && v.d[9] == 1.0, "top-p range ends exactly at 1");
    opt_values_free(&v);
}

static void test_lists(void)
{
    struct opt_values v;
    struct ls_error err;
    TAP_EQ_INT(list_count(PARAM_TEMPERATURE, "0.7", &v, &err), 1, "a single value");
    tap_ok(v.d[0] == num("0.7"), "  is 0.7");
    opt_values_free(&v);
    TAP_EQ_INT(list_count(PARAM_TEMPERATURE, "0.2, 0.5 ,1", &v, &err), 3, "a comma list");
    tap_ok(v.d[0] == num("0.2") && v.d[1] == num("0.5") && v.d[2] == 1.0,
           "  keeps the order given, spaces allowed");
    opt_values_free(&v);
    TAP_EQ_INT(list_count(PARAM_TEMPERATURE, "0,0.5:1:0.25,3", &v, &err), 5,
               "a list mixing values and a range");
    tap_ok(v.d[0] == 0 && v.d[1] == 0.5 && v.d[3] == 1.0 && v.d[4] == 3.0, "  in order");
    opt_values_free(&v);
    TAP_EQ_INT(list_count(PARAM_TOP_K, "0:50:10", &v, &err), 6, "a top-k range");
    tap_ok(v.z[0] == 0 && v.z[5] == 50, "  0 to 50 inclusive");
    opt_values_free(&v);
    TAP_EQ_INT(list_count(PARAM_TOP_K, "1,5,50000", &v, &err), 3, "a top-k list");
    tap_ok(v.z[2] == 50000, "  whole numbers");
    opt_values_free(&v);
    expect_count(PARAM_MIN_P, "0,1", 2);
    expect_count(PARAM_TOP_P, "1", 1);
}

static void test_refusals(void)
{
    expect_error(PARAM_TOP_P, "1.5", "--top-p must be in (0, 1], got 1.5");
    expect_error(PARAM_TOP_P, "0", "--top-p must be in (0, 1], got 0");
    expect_error(PARAM_MIN_P, "1.01", "--min-p must be in [0, 1], got 1.01");
    expect_error(PARAM_TEMPERATURE, "-0.5", "--temperature must be a finite number >= 0, got -0.5");
    expect_error(PARAM_TEMPERATURE, "inf", "--temperature must be a finite number >= 0, got inf");
    expect_error(PARAM_TEMPERATURE, "nan", NULL);
    expect_error(PARAM_TEMPERATURE, "warm",
                 "--temperature must be a finite number >= 0, got \"warm\" (not a number)");
    expect_error(PARAM_TEMPERATURE, "0.7x", NULL);
    expect_error(PARAM_TOP_K, "1.5", "--top-k must be a whole number from 0 to 2^64-1, got 1.5");
    expect_error(PARAM_TOP_K, "-1", "--top-k must be a whole number from 0 to 2^64-1, got -1");
    expect_error(PARAM_TOP_K, "99999999999999999999",
                 "--top-k must be a whole number from 0 to 2^64-1, got 99999999999999999999");
    expect_error(PARAM_TOP_K, "ten", NULL);
    expect_error(PARAM_TEMPERATURE, "0.1,,0.2", NULL);
    expect_error(PARAM_TEMPERATURE, "0.1,", NULL);
    expect_error(PARAM_TEMPERATURE, "", NULL);
    expect_error(PARAM_TEMPERATURE, "0:1:-0.1", "--temperature range 0:1:-0.1 must have a STEP > 0");
    expect_error(PARAM_TEMPERATURE, "0:1:0", "--temperature range 0:1:0 must have a STEP > 0");
    expect_error(PARAM_TEMPERATURE, "2:1:0.1", "--temperature range 2:1:0.1 must have START <= STOP");
    expect_error(PARAM_TEMPERATURE, "0:1",
                 "--temperature range must be START:STOP:STEP, got \"0:1\"");
    expect_error(PARAM_TEMPERATURE, "0:1:0.1:2", NULL);
    expect_error(PARAM_TEMPERATURE, "0:1:x", NULL);
    expect_error(PARAM_TEMPERATURE, "0:1:1e-7",
                 "--temperature range 0:1:1e-7 has too many values (at most 1000000)");
    expect_error(PARAM_TOP_P, "0:1:0.5", "--top-p must be in (0, 1], got 0 (in range 0:1:0.5)");
    expect_error(PARAM_TOP_P, "0.5:1.5:0.5",
                 "--top-p must be in (0, 1], got 1.5 (in range 0.5:1.5:0.5)");
    expect_error(PARAM_TOP_K, "0:10:0", "--top-k range 0:10:0 must have a STEP > 0");
    expect_error(PARAM_TOP_K, "10:0:1", NULL);
    expect_error(PARAM_TOP_K, "0:18446744073709551615:1", NULL);
}

/* Runs the parse loop over a command line given as one string of words. */
static enum opt_parsed parse_words(enum opt_cmd cmd, const char *words, struct cli_opts *o,
                                   struct ls_error *err)
{
    static char buf[512];
    char *argv[32];
    int argc = 0;
    snprintf(buf, sizeof buf, "%s", words);
    argv[argc++] = cmd == CMD_SWEEP ? "sweep" : cmd == CMD_GENERATE ? "generate" : "logitscope";
    for (char *w = strtok(buf, " "); w && argc < 31; w = strtok(NULL, " "))
        argv[argc++] = w;
    argv[argc] = NULL;
    memset(err, 0, sizeof *err);
    return opt_parse(argc, argv, cmd, o, err);
}

/* The explorer's parameters from a command line (one value each). */
static int explore_params(const char *words, struct params *p, struct ls_error *err)
{
    struct cli_opts o;
    int rc = parse_words(CMD_EXPLORE, words, &o, err) == OPT_RUN ? opt_params(&o, p, err) : -1;
    opt_free(&o);
    return rc;
}

static void test_single_values(void)
{
    struct params p;
    struct ls_error err = {{0}};
    size_t n = 0;
    uint64_t seed = 0;
    tap_ok(explore_params("-t 0.7 -k 50 -p 0.9 --min-p 0.05", &p, &err) == 0 &&
               P_T(p) == num("0.7") && P_K(p) == 50 && P_P(p) == num("0.9") &&
               P_MINP(p) == num("0.05") && P_PRESET(p) == PRESET_HF,
           "-t 0.7 -k 50 -p 0.9 --min-p 0.05: %s", err.msg);
    tap_ok(explore_params("--temp 0.3 --top-p=0.5", &p, &err) == 0 && P_T(p) == num("0.3") &&
               P_P(p) == num("0.5"),
           "--temp is --temperature; --opt=value works");
    tap_ok(explore_params("-t 0.1,0.2", &p, &err) == -1 &&
               strstr(err.msg, "the explorer takes one value for --temperature, got 2"),
           "the explorer takes one value: %s", err.msg);
    tap_ok(explore_params("-p 2", &p, &err) == -1, "a refused value is an error");
    tap_ok(explore_params("--order llama --typical-p 0.9 --xtc-probability 0.5 "
                          "--top-n-sigma 2", &p, &err) == 0 &&
               P_PRESET(p) == PRESET_LLAMA && params_real(&p, PARAM_TYPICAL_P) == num("0.9") &&
               params_real(&p, PARAM_XTC_PROBABILITY) == 0.5 &&
               params_real(&p, PARAM_XTC_THRESHOLD) == num("0.1"),
           "--order llama takes typical-p, xtc and top-n-sigma: %s", err.msg);
    tap_ok(explore_params("--top-a 0.2", &p, &err) == -1 &&
               strcmp(err.msg, "--top-a is set but top_a is not in the chain (temperature;top_k;"
                               "top_p;min_p;typ_p;epsilon;eta): add it, e.g. --samplers "
                               "\"temperature;top_k;top_p;min_p;typ_p;epsilon;eta;top_a\"") ==
                   0,
           "a parameter of a sampler not in the chain: %s", err.msg);
    tap_ok(explore_params("--top-a 0", &p, &err) == 0, "... unless it is its default");
    tap_ok(explore_params("--samplers top_k;temperature --top-p 0.5", &p, &err) == -1 &&
               strstr(err.msg, "--top-p is set but top_p is not in the chain (top_k;"
                               "temperature)"),
           "--samplers without top_p refuses -p: %s", err.msg);
    tap_ok(explore_params("--samplers min_p,temperature,top_k -k 3", &p, &err) == 0 &&
               p.chain.n == 3 && p.chain.stage[0] == SAMPLER_MIN_P &&
               p.chain.stage[2] == SAMPLER_TOP_K && P_PRESET(p) == PRESET_CUSTOM,
           "--samplers with commas, in order");
    tap_ok(explore_params("--sampling-seq kpt", &p, &err) == 0 && p.chain.n == 3 &&
               p.chain.stage[0] == SAMPLER_TOP_K && p.chain.stage[2] == SAMPLER_TEMPERATURE,
           "--sampling-seq kpt");
    tap_ok(explore_params("--sampling-seq kq", &p, &err) == -1 &&
               strstr(err.msg, "--sampling-seq: unknown sampler letter 'q'"),
           "an unknown letter: %s", err.msg);
    tap_ok(explore_params("--samplers top_k;top_k", &p, &err) == -1 &&
               strstr(err.msg, "appears twice"),
           "a sampler twice: %s", err.msg);
    tap_ok(explore_params("--samplers nucleus;temp;typical", &p, &err) == 0 &&
               p.chain.stage[0] == SAMPLER_TOP_P && p.chain.stage[2] == SAMPLER_TYP_P,
           "llama.cpp's other names: nucleus, temp, typical");
    tap_ok(explore_params("--samplers bogus", &p, &err) == -1 &&
               strstr(err.msg, "--samplers: unknown sampler \"bogus\""),
           "an unknown sampler: %s", err.msg);
    tap_ok(explore_params("--order vllm --samplers top_k", &p, &err) == -1 &&
               strstr(err.msg, "--order and --samplers both give the chain"),
           "two ways to give the chain: %s", err.msg);
    tap_ok(explore_params("--order openai", &p, &err) == -1 &&
               strcmp(err.msg, "--order must be hf, llama or vllm, got \"openai\"") == 0,
           "--order openai is refused by name");
    tap_ok(explore_params("--min-keep 3 --dynatemp-range 0.5 --dynatemp-exp 2", &p, &err) ==
                   0 &&
               params_whole(&p, PARAM_MIN_KEEP) == 3 &&
               params_real(&p, PARAM_DYNATEMP_EXP) == 2,
           "--min-keep and the dynatemp options");
    struct cli_opts o;
    tap_ok(parse_words(CMD_SWEEP, "-t 0.1:0.3:0.1 -t 1 --epsilon 0,0.01", &o, &err) ==
                   OPT_RUN &&
               o.lists[PARAM_TEMPERATURE].n == 4 && o.lists[PARAM_EPSILON].n == 2,
           "sweep: a repeated option adds values, every parameter takes a list");
    opt_free(&o);
    tap_ok(parse_words(CMD_SWEEP, "--settings x.tsv --eta 0.1", &o, &err) == OPT_ERROR &&
               strstr(err.msg, "--settings cannot be combined"),
           "--settings with a sampler option: %s", err.msg);
    opt_free(&o);
    tap_ok(parse_words(CMD_SWEEP, "--ascii", &o, &err) == OPT_ERROR &&
               strstr(err.msg, "unknown option --ascii"),
           "an explorer option is unknown to sweep: %s", err.msg);
    opt_free(&o);
    tap_ok(opt_samples("0", &n, &err) == 0 && n == 0, "--samples 0 (no draws) is allowed");
    tap_ok(opt_samples("100000000", &n, &err) == 0, "--samples at the maximum");
    tap_ok(opt_samples("100000001", &n, &err) == -1, "--samples above the maximum");
    TAP_EQ_STR(err.msg, "--samples must be a whole number in [0, 100000000], got 100000001",
               "  says what is allowed");
    tap_ok(opt_seed("18446744073709551615", &seed, &err) == 0 && seed == UINT64_MAX,
           "--seed takes 64 bits");
    tap_ok(opt_seed("-3", &seed, &err) == -1, "--seed refuses a negative");
    tap_ok(opt_count("--top", "0", &n, &err) == 0 && n == 0, "--top 0");
    tap_ok(opt_count("--top", "x", &n, &err) == -1, "--top x is refused");
    TAP_EQ_INT(opt_param_of_flag("--temp"), PARAM_TEMPERATURE, "--temp is the temperature");
    TAP_EQ_INT(opt_param_of_flag("-k"), PARAM_TOP_K, "-k is top-k");
}

/* The options of the samplers that need history: llama.cpp's spellings and rules. */
static void test_history_options(void)
{
    struct params p;
    struct ls_error err = {{0}};
    size_t len;
    tap_ok(explore_params("--samplers dry;top_k --dry-multiplier 0.8 --dry-sequence-breaker \\n "
                          "--dry-sequence-breaker x\\x3by", &p, &err) == 0 &&
               p.breakers.n == 2 && strcmp(dry_breaker(&p.breakers, 0, &len), "\n") == 0 &&
               strcmp(dry_breaker(&p.breakers, 1, &len), "x;y") == 0,
           "--dry-sequence-breaker: the first use clears the defaults, escapes undone: %s",
           err.msg);
    tap_ok(explore_params("--samplers dry --dry-sequence-breaker a --dry-sequence-breaker none "
                          "--dry-sequence-breaker b", &p, &err) == 0 &&
               p.breakers.n == 1 && strcmp(dry_breaker(&p.breakers, 0, &len), "b") == 0,
           "none clears what came before");
    tap_ok(explore_params("--samplers penalties --repeat-last-n -1 --repeat-penalty 1.3", &p,
                          &err) == 0 &&
               params_real(&p, PARAM_REPEAT_LAST_N) == -1 &&
               params_real(&p, PARAM_REPEAT_PENALTY) == num("1.3"),
           "--repeat-last-n -1 (all): %s", err.msg);
    tap_ok(explore_params("--samplers penalties --repeat-last-n 2.5", &p, &err) == -1 &&
               strstr(err.msg, "--repeat-last-n must be a whole number from -1 to 2147483647"),
           "--repeat-last-n 2.5: %s", err.msg);
    tap_ok(explore_params("--samplers top_k;dry --dry-multiplier 1", &p, &err) == -1 &&
               strstr(err.msg, "dry changes logits"),
           "dry after a cut: %s", err.msg);
    tap_ok(explore_params("--mirostat 2 --mirostat-ent 3", &p, &err) == -1 &&
               strstr(err.msg, "--mirostat is set but mirostat is not in the chain") &&
               strstr(err.msg, "eta;mirostat\""),
           "mirostat is a sampler of the chain: %s", err.msg);
    tap_ok(explore_params("--repeat-penalty 1.2", &p, &err) == -1 &&
               strstr(err.msg, "--samplers \"penalties;temperature;top_k;"),
           "the fix puts penalties before the cuts: %s", err.msg);
    struct cli_opts o;
    tap_ok(parse_words(CMD_SWEEP, "--history a\\x20b --samplers penalties", &o, &err) == OPT_RUN &&
               strcmp(o.history, "a\\x20b") == 0,
           "sweep --history");
    opt_free(&o);
    tap_ok(parse_words(CMD_EXPLORE, "--history a", &o, &err) == OPT_ERROR,
           "the explorer takes no --history (Space writes it)");
    opt_free(&o);
    tap_ok(parse_words(CMD_SWEEP, "--settings x.tsv --dry-sequence-breaker a", &o, &err) ==
                   OPT_ERROR && strstr(err.msg, "--settings cannot be combined"),
           "--settings with --dry-sequence-breaker: %s", err.msg);
    opt_free(&o);
}

static void test_format(void)
{
    char buf[40];
    static const struct { double x; const char *want; } cases[] = {
        {0.1, "0.1"}, {0.7, "0.7"}, {2.0, "2"}, {0.0, "0"}, {1e-7, "1e-07"},
        {1.0 / 3.0, "0.3333333333333333"}, {0.1 + 0.2, "0.30000000000000004"},
        {0.05, "0.05"}, {1e23, "1e+23"}, {5e-324, "5e-324"}, {-2.5e-310, "-2.5e-310"},
        {0.9816882117834105, "0.9816882117834105"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        param_format_double(cases[i].x, buf, sizeof buf);
        TAP_EQ_STR(buf, cases[i].want, "shortest spelling of %.17g", cases[i].x);
    }
}

/* --position: numbers, ranges, lists of both, "all"; the checks against a file's count. */
static void test_positions(void)
{
    struct opt_positions p;
    struct ls_error err = {{0}};
    tap_ok(opt_positions_parse("3", &p, &err) == 0 && p.given && !p.all && p.n == 1 &&
               p.lo[0] == 3 && p.hi[0] == 3, "--position 3: one position");
    opt_positions_free(&p);
    tap_ok(opt_positions_parse("9,2:4,7", &p, &err) == 0 && p.n == 3 && p.lo[0] == 9 &&
               p.lo[1] == 2 && p.hi[1] == 4 && p.lo[2] == 7 && p.hi[2] == 7,
           "--position 9,2:4,7: in the order given, the range inclusive");
    tap_ok(opt_positions_check(&p, 9, "f.json", &err) == 0, "all within 9 positions");
    tap_ok(opt_positions_check(&p, 8, "f.json", &err) != 0, "position 9 of 8 is refused");
    TAP_EQ_STR(err.msg, "--position 9: f.json has 8 positions", "  saying how many there are");
    opt_positions_free(&p);
    tap_ok(opt_positions_parse("all", &p, &err) == 0 && p.given && p.all && p.n == 0,
           "--position all");
    opt_positions_free(&p);
    static const struct {
        const char *arg, *why;
    } bad[] = {
        {"0", " (the first position is 1)"},
        {"5:3", " (START:STOP needs START <= STOP)"},
        {"1,,2", ""},
        {"1:", ""},
        {"-1", ""},
        {"two", ""},
        {"1:2:3", ""},
        {"all,1", ""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char want[256];
        snprintf(want, sizeof want, "--position must be N, START:STOP, a comma list of them, "
                 "or all (positions count from 1), got \"%s\"%s", bad[i].arg, bad[i].why);
        p.n = 99;
        tap_ok(opt_positions_parse(bad[i].arg, &p, &err) != 0 && p.n == 99,
               "--position %s is refused, the list untouched", bad[i].arg);
        TAP_EQ_STR(err.msg, want, "  with \"%s\"", want);
    }
}

/* generate's options, and the language model's in sweep and the explorer. */
static void test_generate(void)
{
    struct cli_opts o;
    struct ls_error err;
    tap_ok(parse_words(CMD_GENERATE, "--lm m.arpa --prompt x -n 30 --seed 5 -t 0.8 --format json",
                       &o, &err) == OPT_RUN &&
               strcmp(o.lm_path, "m.arpa") == 0 && strcmp(o.prompt, "x") == 0 &&
               o.words == 30 && o.seed == 5 && o.format == FORMAT_JSON &&
               o.samples == ENGINE_DEFAULT_SAMPLES && o.lists[PARAM_TEMPERATURE].n == 1,
           "generate: --lm, --prompt, -n is the words, --seed, json: %s", err.msg);
    opt_free(&o);
    tap_ok(parse_words(CMD_GENERATE, "", &o, &err) == OPT_RUN && o.words == OPT_WORDS_DEFAULT &&
               !o.lm_path && !o.prompt && o.format == FORMAT_TEXT,
           "generate's defaults: %d words, text", OPT_WORDS_DEFAULT);
    opt_free(&o);
    tap_ok(parse_words(CMD_SWEEP, "-n 30 --prompt x", &o, &err) == OPT_RUN && o.samples == 30 &&
               o.words == OPT_WORDS_DEFAULT && opt_lm_mode(&o),
           "sweep: -n is still the samples; --prompt alone means the model");
    opt_free(&o);
    tap_ok(parse_words(CMD_GENERATE, "--words 1000001", &o, &err) == OPT_ERROR &&
               strcmp(err.msg, "--words must be a whole number in [0, 1000000], got 1000001") == 0,
           "--words above its maximum: %s", err.msg);
    opt_free(&o);
    tap_ok(parse_words(CMD_GENERATE, "--format csv", &o, &err) == OPT_ERROR &&
               strcmp(err.msg, "--format must be text or json, got \"csv\"") == 0,
           "generate refuses csv: %s", err.msg);
    opt_free(&o);
    tap_ok(parse_words(CMD_SWEEP, "--format json", &o, &err) == OPT_ERROR &&
               strcmp(err.msg, "--format must be text, csv or summary, got \"json\"") == 0,
           "sweep refuses json: %s", err.msg);
    opt_free(&o);
    tap_ok(parse_words(CMD_GENERATE, "-t 0.5,1", &o, &err) == OPT_ERROR &&
               strstr(err.msg, "generate takes one value for --temperature, got 2"),
           "generate takes one value: %s", err.msg);
    opt_free(&o);
    tap_ok(parse_words(CMD_GENERATE, "model.arpa", &o, &err) == OPT_ERROR &&
               strstr(err.msg, "generate takes no FILE: the model is --lm FILE"),
           "generate takes no FILE: %s", err.msg);
    opt_free(&o);
    tap_ok(parse_words(CMD_GENERATE, "--samples 5", &o, &err) == OPT_ERROR &&
               strstr(err.msg, "unknown option --samples"),
           "generate draws no histogram: %s", err.msg);
    opt_free(&o);
    tap_ok(parse_words(CMD_SWEEP, "--lm m.arpa x.tsv", &o, &err) == OPT_ERROR &&
               strcmp(err.msg, "sweep reads a language model (--lm, --prompt) or a FILE, not "
                               "both") == 0,
           "sweep: --lm and a FILE: %s", err.msg);
    opt_free(&o);
    tap_ok(parse_words(CMD_EXPLORE, "--prompt x --vocab v.txt", &o, &err) == OPT_ERROR &&
               strstr(err.msg, "the explorer reads a language model (--lm, --prompt) or a .npy "
                               "file with --vocab, not both"),
           "explorer: --prompt and --vocab: %s", err.msg);
    opt_free(&o);
    tap_ok(parse_words(CMD_EXPLORE, "--lm m.arpa --prompt x -t 0.5", &o, &err) == OPT_RUN &&
               opt_lm_mode(&o),
           "the explorer takes --lm and --prompt");
    opt_free(&o);
    TAP_EQ_STR(opt_cmd_name(CMD_GENERATE), "generate", "the command's name");
}

int main(void)
{
    test_positions();
    test_ranges();
    test_lists();
    test_refusals();
    test_single_values();
    test_history_options();
    test_format();
    test_generate();
    return tap_done();
}
