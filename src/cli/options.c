/* options.c: command-line values for sweep and the explorer: single values, comma lists and
 * inclusive ranges, each checked against what the engine allows, with messages that say which
 * option and what it takes. Numbers are read by parse.h, the same rules as the data files. */
#include "options.h"

#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/parse.h"
#include "logitscope/text.h"

/* What each parameter allows, in the words of the messages. */
static const struct opt_domain {
    const char *flag;
    const char *allowed;     /* "in (0, 1]" */
    double lo, hi;
    bool lo_open;
} opt_domains[OPT_PARAM_COUNT] = {
    [OPT_TEMPERATURE] = {"--temperature", "a finite number >= 0", 0.0, HUGE_VAL, false},
    [OPT_TOP_K] = {"--top-k", "a whole number from 0 to 2^64-1", 0.0, HUGE_VAL, false},
    [OPT_TOP_P] = {"--top-p", "in (0, 1]", 0.0, 1.0, true},
    [OPT_MIN_P] = {"--min-p", "in [0, 1]", 0.0, 1.0, false},
};

const char *opt_param_flag(enum opt_param which)
{
    return opt_domains[which].flag;
}

/* User text, escaped so that a stray control byte cannot reach the terminal via stderr. */
static const char *opt_show(const char *s, size_t len, char *buf, size_t cap)
{
    text_escape(s, len, 0, buf, cap);
    return buf;
}

static bool opt_in_domain(enum opt_param which, double x)
{
    const struct opt_domain *dom = &opt_domains[which];
    if (!isfinite(x))
        return false;
    return (dom->lo_open ? x > dom->lo : x >= dom->lo) && x <= dom->hi;
}

/* "--top-p must be in (0, 1], got 1.5" where `got` is the user's own spelling. */
static int opt_err_domain(enum opt_param which, const char *s, size_t len, const char *range,
                          struct ls_error *err)
{
    char shown[96];
    return ls_error_set(err, "%s must be %s, got %s%s%s%s", opt_domains[which].flag,
                        opt_domains[which].allowed, opt_show(s, len, shown, sizeof shown),
                        range ? " (in range " : "", range ? range : "", range ? ")" : "");
}

static int opt_err_number(const char *flag, const char *allowed, const char *s, size_t len,
                          enum parse_status st, struct ls_error *err)
{
    char shown[96];
    return ls_error_set(err, "%s must be %s, got \"%s\" (%s)", flag, allowed,
                        opt_show(s, len, shown, sizeof shown), parse_status_str(st));
}

/* One real number of parameter `which`; NaN and infinities are numbers out of range. */
static int opt_read_double(enum opt_param which, const char *s, size_t len, double *out,
                           struct ls_error *err)
{
    enum parse_status st = parse_double(s, len, out);
    if (st == PARSE_NAN || st == PARSE_POS_INF || st == PARSE_NEG_INF)
        return opt_err_domain(which, s, len, NULL, err);
    if (st != PARSE_OK)
        return opt_err_number(opt_domains[which].flag, opt_domains[which].allowed, s, len, st,
                              err);
    if (!opt_in_domain(which, *out))
        return opt_err_domain(which, s, len, NULL, err);
    return 0;
}

static int opt_read_size(const char *flag, const char *allowed, const char *s, size_t len,
                         size_t *out, struct ls_error *err)
{
    enum parse_status st = parse_size(s, len, out);
    double x;
    if (st == PARSE_OK)
        return 0;
    /* A number, just not a whole one in range (-1, 1.5, 1e99): no need to say "not a number". */
    enum parse_status real = parse_double(s, len, &x);
    if (real == PARSE_OK || real == PARSE_POS_INF || real == PARSE_NEG_INF) {
        char shown[96];
        return ls_error_set(err, "%s must be %s, got %s", flag, allowed,
                            opt_show(s, len, shown, sizeof shown));
    }
    return opt_err_number(flag, allowed, s, len, st, err);
}

/* Adds " (in range A:B:C)" to a message about one end of a range. */
static int opt_err_in_range(const char *whole, struct ls_error *err)
{
    if (err) {
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len, " (in range %s)", whole);
    }
    return -1;
}

int opt_param_one(enum opt_param which, const char *arg, struct params *p,
                  struct ls_error *err)
{
    size_t len = strlen(arg);
    if (which == OPT_TOP_K)
        return opt_read_size("--top-k", opt_domains[OPT_TOP_K].allowed, arg, len, &p->top_k,
                             err);
    double x;
    if (opt_read_double(which, arg, len, &x, err))
        return -1;
    struct opt_values one = {.which = which, .n = 1, .d = &x};
    opt_values_apply(&one, 0, p);
    return 0;
}

void opt_values_apply(const struct opt_values *v, size_t i, struct params *p)
{
    switch (v->which) {
    case OPT_TEMPERATURE: p->temperature = v->d[i]; break;
    case OPT_TOP_K: p->top_k = v->z[i]; break;
    case OPT_TOP_P: p->top_p = v->d[i]; break;
    case OPT_MIN_P: p->min_p = v->d[i]; break;
    case OPT_PARAM_COUNT: break;
    }
}

void opt_values_free(struct opt_values *v)
{
    free(v->d);
    free(v->z);
    v->d = NULL;
    v->z = NULL;
    v->n = 0;
}

/* Room for `more` values after the n already held (geometric growth). */
static int opt_values_reserve(struct opt_values *v, size_t *cap, size_t more,
                              struct ls_error *err)
{
    const char *flag = opt_domains[v->which].flag;
    if (more > OPT_MAX_VALUES || v->n + more > OPT_MAX_VALUES)
        return ls_error_set(err, "%s has too many values (at most %u)", flag, OPT_MAX_VALUES);
    if (v->n + more <= *cap)
        return 0;
    size_t want = *cap ? *cap : 8;
    while (want < v->n + more)
        want *= 2;
    void *grown = v->which == OPT_TOP_K ? realloc(v->z, want * sizeof *v->z)
                                        : realloc(v->d, want * sizeof *v->d);
    if (!grown)
        return ls_error_set(err, "out of memory reading %s", flag);
    if (v->which == OPT_TOP_K)
        v->z = grown;
    else
        v->d = grown;
    *cap = want;
    return 0;
}

/* Digits after the decimal point of a number as written ("0.05" -> 2, "5e-3" -> 3), or -1
 * when that is not known or too many for exact arithmetic. */
static int opt_decimals(const char *s, size_t len)
{
    size_t i = 0;
    long frac = 0, exp = 0;
    int exp_sign = 1;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < len && s[i] == '.')
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            frac++;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            exp_sign = s[i++] == '-' ? -1 : 1;
        for (; i < len && s[i] >= '0' && s[i] <= '9' && exp < 1000; i++)
            exp = exp * 10 + (s[i] - '0');
    }
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i != len)
        return -1;
    long d = frac - exp_sign * exp;
    if (d < 0)
        d = 0;
    return d > 15 ? -1 : (int)d;
}

/* x * 10^d as an exact integer below 2^53, when it is one (up to rounding of the input). */
static bool opt_scaled(double x, double scale, double *out)
{
    double y = x * scale, r = nearbyint(y);
    if (!(fabs(r) < 9007199254740992.0) || fabs(y - r) > 1e-6 * fmax(1.0, fabs(r)))
        return false;
    *out = r;
    return true;
}

/* A real-valued range. With decimal inputs every value is (S + i*P) / 10^d over exact
 * integers, so `0.3` in a range is the same double as `-t 0.3`; otherwise start + i*step
 * with i up to floor((stop - start) / step + 1e-9). */
static int opt_range_double(struct opt_values *v, size_t *cap, const char *part[3],
                            const size_t plen[3], const char *whole, struct ls_error *err)
{
    enum opt_param which = v->which;
    const char *flag = opt_domains[which].flag;
    double start, stop, step;
    enum parse_status st;
    if (opt_read_double(which, part[0], plen[0], &start, err) ||
        opt_read_double(which, part[1], plen[1], &stop, err))
        return opt_err_in_range(whole, err);
    st = parse_double(part[2], plen[2], &step);
    if (st != PARSE_OK && st != PARSE_POS_INF && st != PARSE_NEG_INF && st != PARSE_NAN)
        return opt_err_number(flag, "a range START:STOP:STEP with a number as STEP", part[2],
                              plen[2], st, err);
    if (st != PARSE_OK || !(step > 0))
        return ls_error_set(err, "%s range %s must have a STEP > 0", flag, whole);
    if (start > stop)
        return ls_error_set(err, "%s range %s must have START <= STOP", flag, whole);

    int d = opt_decimals(part[0], plen[0]), d1 = opt_decimals(part[1], plen[1]),
        d2 = opt_decimals(part[2], plen[2]);
    double scale = 1, s = 0, e = 0, p = 1;
    bool exact = d >= 0 && d1 >= 0 && d2 >= 0;
    if (exact) {
        d = d > d1 ? d : d1;
        d = d > d2 ? d : d2;
        for (int i = 0; i < d; i++)
            scale *= 10;
        exact = opt_scaled(start, scale, &s) && opt_scaled(stop, scale, &e) &&
                opt_scaled(step, scale, &p) && p > 0;
    }
    double count = exact ? (double)(((long long)e - (long long)s) / (long long)p) + 1
                         : floor((stop - start) / step + 1e-9) + 1;
    if (!(count <= OPT_MAX_VALUES))
        return ls_error_set(err, "%s range %s has too many values (at most %u)", flag, whole,
                            OPT_MAX_VALUES);
    if (opt_values_reserve(v, cap, (size_t)count, err))
        return -1;
    for (size_t i = 0; i < (size_t)count; i++) {
        double x = exact ? (s + (double)i * p) / scale : start + (double)i * step;
        if (x > stop) /* the 1e-9 slack must not step past STOP */
            x = stop;
        if (!opt_in_domain(which, x)) {
            char num[40];
            opt_format_double(x, num, sizeof num);
            return opt_err_domain(which, num, strlen(num), whole, err);
        }
        v->d[v->n++] = x;
    }
    return 0;
}

static int opt_range_size(struct opt_values *v, size_t *cap, const char *part[3],
                          const size_t plen[3], const char *whole, struct ls_error *err)
{
    const char *allowed = opt_domains[OPT_TOP_K].allowed;
    size_t start, stop, step;
    if (opt_read_size("--top-k", allowed, part[0], plen[0], &start, err) ||
        opt_read_size("--top-k", allowed, part[1], plen[1], &stop, err))
        return opt_err_in_range(whole, err);
    if (opt_read_size("--top-k", "a range START:STOP:STEP with a whole number > 0 as STEP",
                      part[2], plen[2], &step, err))
        return -1;
    if (step == 0)
        return ls_error_set(err, "--top-k range %s must have a STEP > 0", whole);
    if (start > stop)
        return ls_error_set(err, "--top-k range %s must have START <= STOP", whole);
    size_t count = (stop - start) / step;
    if (count >= OPT_MAX_VALUES)
        return ls_error_set(err, "--top-k range %s has too many values (at most %u)", whole,
                            OPT_MAX_VALUES);
    count++;
    if (opt_values_reserve(v, cap, count, err))
        return -1;
    for (size_t i = 0; i < count; i++)
        v->z[v->n++] = start + i * step;
    return 0;
}

/* One comma-separated item: a value or START:STOP:STEP. */
static int opt_item(struct opt_values *v, size_t *cap, const char *s, size_t len,
                    struct ls_error *err)
{
    const char *colon1 = memchr(s, ':', len);
    if (!colon1) {
        if (opt_values_reserve(v, cap, 1, err))
            return -1;
        if (v->which == OPT_TOP_K)
            return opt_read_size("--top-k", opt_domains[OPT_TOP_K].allowed, s, len,
                                 &v->z[v->n++], err);
        return opt_read_double(v->which, s, len, &v->d[v->n++], err);
    }
    char whole[96];
    opt_show(s, len, whole, sizeof whole);
    const char *end = s + len;
    const char *colon2 = memchr(colon1 + 1, ':', (size_t)(end - colon1 - 1));
    if (!colon2 || memchr(colon2 + 1, ':', (size_t)(end - colon2 - 1)))
        return ls_error_set(err, "%s range must be START:STOP:STEP, got \"%s\"",
                            opt_domains[v->which].flag, whole);
    const char *part[3] = {s, colon1 + 1, colon2 + 1};
    const size_t plen[3] = {(size_t)(colon1 - s), (size_t)(colon2 - colon1 - 1),
                            (size_t)(end - colon2 - 1)};
    if (v->which == OPT_TOP_K)
        return opt_range_size(v, cap, part, plen, whole, err);
    return opt_range_double(v, cap, part, plen, whole, err);
}

int opt_param_list(enum opt_param which, const char *arg, struct opt_values *out,
                   struct ls_error *err)
{
    struct opt_values v = {.which = which};
    size_t cap = 0;
    const char *s = arg;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (opt_item(&v, &cap, s, len, err)) {
            opt_values_free(&v);
            return -1;
        }
        if (!comma)
            break;
        s = comma + 1;
    }
    *out = v;
    return 0;
}

int opt_samples(const char *arg, size_t *out, struct ls_error *err)
{
    static const char allowed[] = "a whole number in [0, 100000000]";
    size_t n;
    if (opt_read_size("--samples", allowed, arg, strlen(arg), &n, err))
        return -1;
    if (n > ENGINE_MAX_SAMPLES) {
        char shown[96];
        return ls_error_set(err, "--samples must be %s, got %s", allowed,
                            opt_show(arg, strlen(arg), shown, sizeof shown));
    }
    *out = n;
    return 0;
}

int opt_seed(const char *arg, uint64_t *out, struct ls_error *err)
{
    size_t n;
    if (opt_read_size("--seed", "a whole number from 0 to 2^64-1", arg, strlen(arg), &n, err))
        return -1;
    *out = (uint64_t)n;
    return 0;
}

int opt_order(const char *arg, enum order *out, struct ls_error *err)
{
    if (order_parse(arg, out) == 0)
        return 0;
    char shown[96];
    return ls_error_set(err, "--order must be hf or llama, got \"%s\"",
                        opt_show(arg, strlen(arg), shown, sizeof shown));
}

int opt_count(const char *flag, const char *arg, size_t *out, struct ls_error *err)
{
    return opt_read_size(flag, "a whole number from 0 to 2^64-1", arg, strlen(arg), out, err);
}

void opt_format_double(double x, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return;
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, x);
        double back;
        if (parse_double(buf, strlen(buf), &back) == PARSE_OK && back == x)
            return;
    }
}

int opt_getopt_error(int c, char **argv, const char *help, struct ls_error *err)
{
    const char *bad = optind > 0 ? argv[optind - 1] : "";
    char shown[96];
    if (strncmp(bad, "--", 2) == 0) {
        text_escape(bad, strcspn(bad, "="), 0, shown, sizeof shown);
    } else {
        shown[0] = '-';
        shown[1] = (char)optopt;
        shown[2] = '\0';
    }
    if (c == ':')
        return ls_error_set(err, "option %s needs a value (try `%s`)", shown, help);
    if (optopt && strchr(bad, '=')) /* glibc: a known option that takes no value */
        return ls_error_set(err, "option %s takes no value", shown);
    return ls_error_set(err, "unknown option %s (try `%s`)", shown, help);
}

void opt_print_error(const char *msg)
{
    char shown[4 * sizeof ((struct ls_error *)0)->msg + 1];
    text_escape(msg, strlen(msg), TEXT_KEEP_BACKSLASH, shown, sizeof shown);
    fprintf(stderr, "logitscope: %s\n", shown);
}
