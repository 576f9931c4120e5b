/* options_positions.c: --position, which positions of a sequence to run: N, START:STOP, a
 * comma list of them, or all, counting from 1. */
#include <stdlib.h>
#include <string.h>

#include "logitscope/parse.h"
#include "options.h"
#include "options_internal.h"

static const char opt_positions_allowed[] =
    "N, START:STOP, a comma list of them, or all (positions count from 1)";

static int opt_positions_bad(const char *s, size_t len, const char *why, struct ls_error *err)
{
    char shown[96];
    return ls_error_set(err, "--position must be %s, got \"%s\"%s", opt_positions_allowed,
                        opt_show(s, len, shown, sizeof shown), why);
}

/* One position number, from 1. */
static int opt_position_number(const char *whole, size_t whole_len, const char *s, size_t len,
                               size_t *out, struct ls_error *err)
{
    if (parse_size(s, len, out) != PARSE_OK)
        return opt_positions_bad(whole, whole_len, "", err);
    if (*out == 0)
        return opt_positions_bad(whole, whole_len, " (the first position is 1)", err);
    return 0;
}

static int opt_positions_item(struct opt_positions *p, const char *whole, size_t whole_len,
                              const char *s, size_t len, struct ls_error *err)
{
    const char *colon = memchr(s, ':', len);
    size_t lo, hi;
    if (!colon) {
        if (opt_position_number(whole, whole_len, s, len, &lo, err))
            return -1;
        hi = lo;
    } else if (opt_position_number(whole, whole_len, s, (size_t)(colon - s), &lo, err) ||
               opt_position_number(whole, whole_len, colon + 1,
                                   (size_t)(s + len - colon - 1), &hi, err)) {
        return -1;
    } else if (lo > hi) {
        return opt_positions_bad(whole, whole_len, " (START:STOP needs START <= STOP)", err);
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 8;
        size_t *nlo = cap <= OPT_MAX_VALUES ? realloc(p->lo, cap * sizeof *nlo) : NULL;
        if (nlo)
            p->lo = nlo;
        size_t *nhi = nlo ? realloc(p->hi, cap * sizeof *nhi) : NULL;
        if (nhi)
            p->hi = nhi;
        if (!nlo || !nhi)
            return ls_error_set(err, "--position has too many items (at most %u)",
                                OPT_MAX_VALUES);
        p->cap = cap;
    }
    p->lo[p->n] = lo;
    p->hi[p->n] = hi;
    p->n++;
    return 0;
}

int opt_positions_parse(const char *arg, struct opt_positions *out, struct ls_error *err)
{
    struct opt_positions p = {.given = true};
    size_t len = strlen(arg);
    if (strcmp(arg, "all") == 0) {
        p.all = true;
        *out = p;
        return 0;
    }
    for (const char *s = arg;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        if (opt_positions_item(&p, arg, len, s, n, err)) {
            opt_positions_free(&p);
            return -1;
        }
        if (!comma)
            break;
        s = comma + 1;
    }
    *out = p;
    return 0;
}

void opt_positions_free(struct opt_positions *p)
{
    free(p->lo);
    free(p->hi);
    memset(p, 0, sizeof *p);
}

int opt_positions_check(const struct opt_positions *p, size_t n, const char *file,
                        struct ls_error *err)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->hi[i] > n)
            return ls_error_set(err, "--position %zu: %s has %zu position%s", p->hi[i], file, n,
                                n == 1 ? "" : "s");
    return 0;
}
