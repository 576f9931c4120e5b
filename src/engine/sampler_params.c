/* sampler_params.c: a chain's parameters: defaults, values got and set, read from text
 * and checked against the table, formatted back; DRY's sequence breakers. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "logitscope/parse.h"
#include "logitscope/sampler.h"
#include "logitscope/text.h"
#include "sampler_internal.h"

struct params params_default(void)
{
    struct params p;
    memset(&p, 0, sizeof p);
    for (int i = 0; i < PARAM_COUNT; i++)
        if (param_table[i].kind == PARAM_WHOLE)
            p.v[i].whole = (size_t)param_table[i].def;
        else
            p.v[i].real = param_table[i].def;
    p.chain = chain_preset(PRESET_HF);
    p.breakers = dry_breakers_default();
    return p;
}

/* ---- DRY's sequence breakers ---- */

struct dry_breakers dry_breakers_default(void)
{
    static const char *const def[] = {"\n", ":", "\"", "*"};
    struct dry_breakers b;
    memset(&b, 0, sizeof b);
    for (size_t i = 0; i < sizeof def / sizeof *def; i++)
        dry_breakers_add(&b, def[i], strlen(def[i]), NULL);
    return b;
}

int dry_breakers_add(struct dry_breakers *b, const char *s, size_t len, struct ls_error *err)
{
    if (len == 0)
        return 0;
    if (memchr(s, '\0', len))
        return ls_error_set(err, "a DRY sequence breaker cannot hold a NUL byte");
    len = len < DRY_BREAKER_MAX ? len : DRY_BREAKER_MAX;
    if (b->used + len + 1 > DRY_BREAKERS_BYTES || b->n == UCHAR_MAX)
        return ls_error_set(err, "too many DRY sequence breakers (at most %d bytes in all)",
                            DRY_BREAKERS_BYTES);
    memcpy(b->text + b->used, s, len);
    b->text[b->used + len] = '\0';
    b->used = (unsigned short)(b->used + len + 1);
    b->n++;
    return 0;
}

const char *dry_breaker(const struct dry_breakers *b, int i, size_t *len)
{
    const char *s = b->text;
    for (int k = 0; k < i; k++)
        s += strlen(s) + 1;
    *len = strlen(s);
    return s;
}

void dry_breakers_format(const struct dry_breakers *b, char *buf, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (cap == 0)
        return;
    if (b->n == 0)
        snprintf(buf, cap, "none");
    else
        buf[0] = '\0';
    for (int i = 0; i < b->n; i++) {
        size_t len;
        const char *s = dry_breaker(b, i, &len);
        char item[4 * DRY_BREAKER_MAX + 2];
        size_t k = 0;
        if (i)
            item[k++] = ';';
        for (size_t j = 0; j < len; j++) {
            unsigned char c = (unsigned char)s[j];
            const char *named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
                                : c == '\\' ? "\\\\" : NULL;
            /* "none" alone means the empty list: a breaker spelled so is written \x6eone */
            bool literal_none = len == 4 && j == 0 && memcmp(s, "none", 4) == 0;
            if (named) {
                memcpy(item + k, named, 2);
                k += 2;
            } else if (c < 0x20 || c == 0x7f || c == ';' || literal_none) {
                item[k++] = '\\';
                item[k++] = 'x';
                item[k++] = hex[c >> 4];
                item[k++] = hex[c & 15];
            } else {
                item[k++] = (char)c;
            }
        }
        if (o + k + 1 > cap)
            break; /* cut between breakers, never inside an escape */
        memcpy(buf + o, item, k);
        o += k;
        buf[o] = '\0';
    }
}

size_t dry_breaker_unescape(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\\' || i + 1 >= len) {
            out[o++] = s[i];
            continue;
        }
        char c = s[++i];
        switch (c) {
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case '\'':
        case '"':
        case '\\': out[o++] = c; break;
        default:
            if (c == 'x' && i + 2 < len && parse_hex_digit(s[i + 1]) >= 0 &&
                parse_hex_digit(s[i + 2]) >= 0) {
                out[o++] = (char)(parse_hex_digit(s[i + 1]) * 16 + parse_hex_digit(s[i + 2]));
                i += 2;
            } else { /* not an escape: kept as written */
                out[o++] = '\\';
                out[o++] = c;
            }
            break;
        }
    }
    return o;
}

int dry_breakers_parse(const char *s, size_t len, struct dry_breakers *out,
                       struct ls_error *err)
{
    struct dry_breakers b;
    memset(&b, 0, sizeof b);
    if (!(len == 4 && memcmp(s, "none", 4) == 0)) {
        for (size_t start = 0; start <= len;) {
            const char *semi = memchr(s + start, ';', len - start);
            size_t end = semi ? (size_t)(semi - s) : len;
            char item[DRY_BREAKERS_BYTES];
            size_t n = end - start < sizeof item ? end - start : sizeof item;
            if (dry_breakers_add(&b, item, dry_breaker_unescape(s + start, n, item), err))
                return -1;
            start = end + 1;
        }
    }
    *out = b;
    return 0;
}

double params_get(const struct params *p, enum param_id id)
{
    return param_table[id].kind == PARAM_WHOLE ? (double)p->v[id].whole : p->v[id].real;
}

void params_set(struct params *p, enum param_id id, double x)
{
    if (param_table[id].kind != PARAM_WHOLE) {
        p->v[id].real = x;
        return;
    }
    /* SIZE_MAX as a double rounds up to 2^64, which does not convert */
    p->v[id].whole = !(x > 0) ? 0 : x >= 18446744073709551615.0 ? SIZE_MAX : (size_t)llround(x);
}

bool params_is_off(const struct params *p, enum param_id id)
{
    const struct param_spec *s = &param_table[id];
    if (id == PARAM_TEMPERATURE)
        return p->v[id].real == 1.0 && p->v[PARAM_DYNATEMP_RANGE].real == 0.0;
    if (isnan(s->off))
        return false;
    return params_get(p, id) == s->off;
}

bool sampler_is_off(const struct params *p, enum sampler_id s)
{
    switch (s) {
    case SAMPLER_TEMPERATURE: return params_is_off(p, PARAM_TEMPERATURE);
    case SAMPLER_XTC:
        return !(p->v[PARAM_XTC_PROBABILITY].real > 0) ||
               p->v[PARAM_XTC_THRESHOLD].real > 0.5;
    case SAMPLER_PENALTIES:
        return params_is_off(p, PARAM_REPEAT_LAST_N) ||
               (params_is_off(p, PARAM_REPEAT_PENALTY) &&
                params_is_off(p, PARAM_FREQUENCY_PENALTY) &&
                params_is_off(p, PARAM_PRESENCE_PENALTY));
    case SAMPLER_DRY:
        return params_is_off(p, PARAM_DRY_MULTIPLIER) ||
               params_is_off(p, PARAM_DRY_PENALTY_LAST_N);
    default: return params_is_off(p, sampler_table[s].params[0]);
    }
}

static bool params_value_equal(const struct params *a, const struct params *b,
                               enum param_id id)
{
    if (param_table[id].kind == PARAM_WHOLE)
        return a->v[id].whole == b->v[id].whole;
    return a->v[id].real == b->v[id].real;
}

static bool breakers_equal(const struct dry_breakers *a, const struct dry_breakers *b)
{
    return a->n == b->n && a->used == b->used && memcmp(a->text, b->text, a->used) == 0;
}

bool params_equal(const struct params *a, const struct params *b)
{
    for (int i = 0; i < PARAM_COUNT; i++)
        if (!params_value_equal(a, b, (enum param_id)i))
            return false;
    return chain_equal(&a->chain, &b->chain) && breakers_equal(&a->breakers, &b->breakers);
}

bool params_equal_but_t(const struct params *a, const struct params *b)
{
    for (int i = 0; i < PARAM_COUNT; i++)
        if (i != PARAM_TEMPERATURE && !params_value_equal(a, b, (enum param_id)i))
            return false;
    return chain_equal(&a->chain, &b->chain) && breakers_equal(&a->breakers, &b->breakers);
}

int params_unused(const struct params *p)
{
    for (int i = 0; i < PARAM_COUNT; i++) {
        const struct param_spec *s = &param_table[i];
        if (s->sampler == SAMPLER_NONE || chain_has(&p->chain, s->sampler))
            continue;
        if (params_get(p, (enum param_id)i) != s->def)
            return i;
    }
    struct dry_breakers def = dry_breakers_default();
    if (!chain_has(&p->chain, SAMPLER_DRY) && !breakers_equal(&p->breakers, &def))
        return PARAM_DRY_BREAKERS;
    return -1;
}

void params_unused_message(const struct params *p, enum param_id id, bool as_flag,
                           const char *how, char *buf, size_t cap)
{
    char have[200], want[220];
    bool breakers = id == PARAM_DRY_BREAKERS;
    enum sampler_id s = breakers ? SAMPLER_DRY : param_table[id].sampler;
    const char *what = breakers ? (as_flag ? "--dry-sequence-breaker" : "dry_sequence_breakers")
                                : as_flag ? param_table[id].flag : param_table[id].name;
    struct chain with = p->chain;
    /* at the end, or in front for one that changes logits (llama.cpp's place for them) */
    chain_insert(&with, sampler_changes_logits(s) ? 0 : with.n, s);
    chain_format(&p->chain, ";", have, sizeof have);
    chain_format(&with, ";", want, sizeof want);
    snprintf(buf, cap, "%s is set but %s is not in the chain (%s): add it, e.g. %s \"%s\"",
             what, sampler_table[s].name, have, how, want);
}

bool param_in_domain(enum param_id id, double x)
{
    const struct param_spec *s = &param_table[id];
    if (!isfinite(x))
        return false;
    if (s->kind != PARAM_REAL && x != floor(x))
        return false;
    return (s->lo_open ? x > s->lo : x >= s->lo) && x <= s->hi;
}

/* "NAME must be ALLOWED, got TEXT" with the text as typed (escaped: it may hold anything). */
static int param_err_got(const char *name, const char *allowed, const char *s, size_t len,
                         const char *why, struct ls_error *err)
{
    char shown[96];
    text_escape(s, len, 0, shown, sizeof shown);
    if (why)
        return ls_error_set(err, "%s must be %s, got \"%s\" (%s)", name, allowed, shown, why);
    return ls_error_set(err, "%s must be %s, got %s", name, allowed, shown);
}

int param_read_size(const char *name, const char *allowed, const char *s, size_t len,
                    size_t *out, struct ls_error *err)
{
    enum parse_status st = parse_size(s, len, out);
    double x;
    if (st == PARSE_OK)
        return 0;
    /* A number, just not a whole one in range (-1, 1.5, 1e99): no need to say "not a number". */
    enum parse_status real = parse_double(s, len, &x);
    if (real == PARSE_OK || real == PARSE_POS_INF || real == PARSE_NEG_INF)
        return param_err_got(name, allowed, s, len, NULL, err);
    return param_err_got(name, allowed, s, len, parse_status_str(st), err);
}

int param_read(enum param_id id, const char *name, const char *s, size_t len, double *out,
               struct ls_error *err)
{
    const struct param_spec *ps = &param_table[(unsigned)id < PARAM_COUNT ? id : 0];
    if (ps->kind == PARAM_WHOLE) {
        size_t n;
        if (param_read_size(name, ps->allowed, s, len, &n, err) != 0)
            return -1;
        *out = (double)n;
        return 0;
    }
    enum parse_status st = parse_double(s, len, out);
    /* NaN and infinities are numbers, out of range */
    if (st != PARSE_OK && st != PARSE_NAN && st != PARSE_POS_INF && st != PARSE_NEG_INF)
        return param_err_got(name, ps->allowed, s, len, parse_status_str(st), err);
    if (st != PARSE_OK || !param_in_domain(id, *out))
        return param_err_got(name, ps->allowed, s, len, NULL, err);
    return 0;
}

int params_check(const struct params *p, struct ls_error *err)
{
    for (int i = 0; i < PARAM_COUNT; i++) {
        const struct param_spec *s = &param_table[i];
        if (s->kind == PARAM_WHOLE)
            continue; /* every size_t is a count */
        double x = p->v[i].real;
        if (!param_in_domain((enum param_id)i, x)) {
            char shown[40];
            param_format_double(x, shown, sizeof shown);
            return ls_error_set(err, "%s must be %s, got %s", s->flag + 2, s->allowed, shown);
        }
    }
    const struct chain *c = &p->chain;
    if (c->n == 0 || c->n > SAMPLER_COUNT)
        return ls_error_set(err, "the chain must hold 1 to %d samplers", SAMPLER_COUNT);
    bool seen[SAMPLER_COUNT] = {false};
    for (int i = 0; i < c->n; i++) {
        if (c->stage[i] >= SAMPLER_COUNT)
            return ls_error_set(err, "the chain holds an unknown sampler");
        if (seen[c->stage[i]])
            return ls_error_set(err, "sampler %s appears twice in the chain",
                                sampler_table[c->stage[i]].name);
        seen[c->stage[i]] = true;
    }
    return chain_check(c, err);
}

void param_format_double(double x, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return;
    /* A double that some shorter decimal reads back as is within far less than half a unit
     * of the 15th digit of it, so %.15g (which drops trailing zeros) already finds that
     * decimal; only 16 and 17 digits need trying after it. */
    bool subnormal = x != 0 && fabs(x) < DBL_MIN; /* fewer digits are significant there */
    for (int prec = subnormal ? 1 : 15; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, x);
        double back;
        if (parse_double(buf, strlen(buf), &back) == PARSE_OK && back == x)
            return;
    }
}

void param_format(const struct params *p, enum param_id id, char *buf, size_t cap)
{
    if (param_table[id].kind == PARAM_WHOLE)
        snprintf(buf, cap, "%zu", p->v[id].whole);
    else
        param_format_double(p->v[id].real, buf, cap);
}
