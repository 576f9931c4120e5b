/* options_values.c: a sampler parameter's values on the command line: one value, a comma
 * list or an inclusive range START:STOP:STEP (decimal ranges computed exactly), each checked. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/parse.h"
#include "options.h"
#include "options_internal.h"

/* "--top-p must be in (0, 1], got 1.5" where `got` is the user's own spelling. */
static int opt_err_domain(enum param_id which, const char *s, size_t len, const char *range,
                          struct ls_error *err)
{
    char shown[96];
    return ls_error_set(err, "%s must be %s, got %s%s%s%s", param_spec(which)->flag,
                        param_spec(which)->allowed, opt_show(s, len, shown, sizeof shown),
                        range ? " (in range " : "", range ? range : "", range ? ")" : "");
}

static int opt_err_number(const char *flag, const char *allowed, const char *s, size_t len,
                          enum parse_status st, struct ls_error *err)
{
    char shown[96];
    return ls_error_set(err, "%s must be %s, got \"%s\" (%s)", flag, allowed,
                        opt_show(s, len, shown, sizeof shown), parse_status_str(st));
}

/* One real number of parameter `which` (the engine's rules: the explorer reads typed values
 * the same way). */
static int opt_read_double(enum param_id which, const char *s, size_t len, double *out,
                           struct ls_error *err)
{
    return param_read(which, param_spec(which)->flag, s, len, out, err);
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

static bool opt_is_whole(enum param_id which)
{
    return param_spec(which)->kind == PARAM_WHOLE;
}

void opt_values_apply(const struct opt_values *v, size_t i, struct params *p)
{
    if (opt_is_whole(v->which))
        p->v[v->which].whole = v->z[i];
    else
        p->v[v->which].real = v->d[i];
}

void opt_values_free(struct opt_values *v)
{
    free(v->d);
    free(v->z);
    v->d = NULL;
    v->z = NULL;
    v->n = v->cap = 0;
}

/* Room for `more` values after the n already held (geometric growth). */
static int opt_values_reserve(struct opt_values *v, size_t *cap, size_t more,
                              struct ls_error *err)
{
    const char *flag = param_spec(v->which)->flag;
    if (more > OPT_MAX_VALUES || v->n + more > OPT_MAX_VALUES)
        return ls_error_set(err, "%s has too many values (at most %u)", flag, OPT_MAX_VALUES);
    if (v->n + more <= *cap)
        return 0;
    size_t want = *cap ? *cap : 8;
    while (want < v->n + more)
        want *= 2;
    void *grown = opt_is_whole(v->which) ? realloc(v->z, want * sizeof *v->z)
                                         : realloc(v->d, want * sizeof *v->d);
    if (!grown)
        return ls_error_set(err, "out of memory reading %s", flag);
    if (opt_is_whole(v->which))
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
    enum param_id which = v->which;
    const char *flag = param_spec(which)->flag;
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
        if (!param_in_domain(which, x)) {
            char num[40];
            param_format_double(x, num, sizeof num);
            return opt_err_domain(which, num, strlen(num), whole, err);
        }
        v->d[v->n++] = x;
    }
    return 0;
}

static int opt_range_size(struct opt_values *v, size_t *cap, const char *part[3],
                          const size_t plen[3], const char *whole, struct ls_error *err)
{
    const char *flag = param_spec(v->which)->flag, *allowed = param_spec(v->which)->allowed;
    size_t start, stop, step;
    if (opt_read_size(flag, allowed, part[0], plen[0], &start, err) ||
        opt_read_size(flag, allowed, part[1], plen[1], &stop, err))
        return opt_err_in_range(whole, err);
    if (opt_read_size(flag, "a range START:STOP:STEP with a whole number > 0 as STEP", part[2],
                      plen[2], &step, err))
        return -1;
    if (step == 0)
        return ls_error_set(err, "%s range %s must have a STEP > 0", flag, whole);
    if (start > stop)
        return ls_error_set(err, "%s range %s must have START <= STOP", flag, whole);
    size_t count = (stop - start) / step;
    if (count >= OPT_MAX_VALUES)
        return ls_error_set(err, "%s range %s has too many values (at most %u)", flag, whole,
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
        if (opt_is_whole(v->which))
            return opt_read_size(param_spec(v->which)->flag, param_spec(v->which)->allowed, s,
                                 len, &v->z[v->n++], err);
        return opt_read_double(v->which, s, len, &v->d[v->n++], err);
    }
    char whole[96];
    opt_show(s, len, whole, sizeof whole);
    const char *end = s + len;
    const char *colon2 = memchr(colon1 + 1, ':', (size_t)(end - colon1 - 1));
    if (!colon2 || memchr(colon2 + 1, ':', (size_t)(end - colon2 - 1)))
        return ls_error_set(err, "%s range must be START:STOP:STEP, got \"%s\"",
                            param_spec(v->which)->flag, whole);
    const char *part[3] = {s, colon1 + 1, colon2 + 1};
    const size_t plen[3] = {(size_t)(colon1 - s), (size_t)(colon2 - colon1 - 1),
                            (size_t)(end - colon2 - 1)};
    if (opt_is_whole(v->which))
        return opt_range_size(v, cap, part, plen, whole, err);
    return opt_range_double(v, cap, part, plen, whole, err);
}

int opt_param_add(struct opt_values *v, const char *arg, struct ls_error *err)
{
    const char *s = arg;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (opt_item(v, &v->cap, s, len, err))
            return -1;
        if (!comma)
            return 0;
        s = comma + 1;
    }
}

int opt_param_list(enum param_id which, const char *arg, struct opt_values *out,
                   struct ls_error *err)
{
    struct opt_values v = {.which = which};
    if (opt_param_add(&v, arg, err)) {
        opt_values_free(&v);
        return -1;
    }
    *out = v;
    return 0;
}
