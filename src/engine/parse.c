/* parse.c: strict, locale-independent number parsing. The grammar is checked here by hand;
 * strtod only converts a string already known to be a plain decimal number. */
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/parse.h"

static bool parse_is_space(char c)
{
    return c == ' ' || c == '\t';
}

static bool parse_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Narrows [*b, *e) to its non-space middle. */
static void parse_trim(const char *s, size_t *b, size_t *e)
{
    while (*b < *e && parse_is_space(s[*b]))
        (*b)++;
    while (*e > *b && parse_is_space(s[*e - 1]))
        (*e)--;
}

static size_t parse_digits(const char *s, size_t len, size_t i)
{
    while (i < len && parse_is_digit(s[i]))
        i++;
    return i;
}

/* Length of the longest prefix of s[0..len) matching
 * [+-]?(D+(.D*)?|.D+)([eE][+-]?D+)?  or 0 when there is none. */
static size_t parse_scan_decimal(const char *s, size_t len)
{
    size_t i = 0, int_end, frac_end;

    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    int_end = parse_digits(s, len, i);
    frac_end = int_end;
    if (int_end < len && s[int_end] == '.')
        frac_end = parse_digits(s, len, int_end + 1);
    if (int_end == i && frac_end <= int_end + 1)
        return 0; /* no digit on either side of the point */
    i = frac_end;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1, k;
        if (j < len && (s[j] == '+' || s[j] == '-'))
            j++;
        k = parse_digits(s, len, j);
        if (k > j)
            i = k; /* "1e" is the number 1 followed by junk */
    }
    return i;
}

/* Case-insensitive: does s[0..len) start with word? */
static bool parse_has_word(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);

    if (len < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != word[i])
            return false;
    return true;
}

/* inf, infinity and nan with an optional sign. Returns PARSE_OK when s is not one of them. */
static enum parse_status parse_word(const char *s, size_t len, double *out)
{
    size_t i = 0, n;
    bool neg = false;
    enum parse_status st;

    if (len > 0 && (s[0] == '+' || s[0] == '-'))
        neg = s[i++] == '-';
    if (parse_has_word(s + i, len - i, "nan")) {
        n = 3;
        st = PARSE_NAN;
    } else if (parse_has_word(s + i, len - i, "inf")) {
        n = parse_has_word(s + i, len - i, "infinity") ? 8 : 3;
        st = neg ? PARSE_NEG_INF : PARSE_POS_INF;
    } else {
        return PARSE_OK;
    }
    i += n;
    if (i < len) /* "inform" is a word, "-inf;" is -inf and junk */
        return isalnum((unsigned char)s[i]) || s[i] == '_' ? PARSE_INVALID : PARSE_TRAILING;
    if (st == PARSE_NEG_INF)
        *out = -INFINITY;
    return st;
}

/* Converts a string that matched the decimal grammar. The '.' is swapped for the current
 * locale's radix, so strtod reads it the same whatever setlocale() the program made. */
static enum parse_status parse_convert(const char *s, size_t len, double *out)
{
    const char *radix = localeconv()->decimal_point;
    char small[128], *buf = small, *end;
    size_t rlen, need, o = 0;
    double x;

    if (!radix || !*radix)
        radix = ".";
    rlen = strlen(radix);
    need = len + rlen + 1;

    if (need > sizeof small && !(buf = malloc(need)))
        return PARSE_RANGE; /* a number too long to copy is treated as unreadable */
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            memcpy(buf + o, radix, rlen);
            o += rlen;
        } else {
            buf[o++] = s[i];
        }
    }
    buf[o] = '\0';
    errno = 0;
    x = strtod(buf, &end);
    enum parse_status st = PARSE_OK;
    if (end != buf + o)
        st = PARSE_INVALID; /* cannot happen after the grammar check; be safe anyway */
    else if (errno == ERANGE && isinf(x))
        st = PARSE_RANGE; /* overflow; underflow to a subnormal or zero is accepted */
    else
        *out = x;
    if (buf != small)
        free(buf);
    return st;
}

enum parse_status parse_double(const char *s, size_t len, double *out)
{
    size_t b = 0, e = len, n, i;
    enum parse_status st;

    parse_trim(s, &b, &e);
    if (b == e)
        return PARSE_EMPTY;
    s += b;
    len = e - b;
    if ((st = parse_word(s, len, out)) != PARSE_OK)
        return st;
    i = len > 0 && (s[0] == '+' || s[0] == '-');
    if (len >= i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
        return PARSE_INVALID; /* hexadecimal floats are not decimal numbers */
    n = parse_scan_decimal(s, len);
    if (n == 0)
        return PARSE_INVALID;
    if (n < len)
        return PARSE_TRAILING;
    return parse_convert(s, len, out);
}

enum parse_status parse_size(const char *s, size_t len, size_t *out)
{
    size_t b = 0, e = len, v = 0, i;
    bool overflow = false;

    parse_trim(s, &b, &e);
    if (b == e)
        return PARSE_EMPTY;
    if (!parse_is_digit(s[b]))
        return PARSE_INVALID;
    for (i = b; i < e && parse_is_digit(s[i]); i++) {
        size_t d = (size_t)(s[i] - '0');
        if (v > (SIZE_MAX - d) / 10)
            overflow = true;
        else
            v = v * 10 + d;
    }
    if (i < e)
        return PARSE_TRAILING;
    if (overflow)
        return PARSE_RANGE;
    *out = v;
    return PARSE_OK;
}

const char *parse_status_str(enum parse_status st)
{
    switch (st) {
    case PARSE_OK:
        return "ok";
    case PARSE_EMPTY:
        return "empty";
    case PARSE_INVALID:
        return "not a number";
    case PARSE_TRAILING:
        return "trailing characters after the number";
    case PARSE_RANGE:
        return "out of range";
    case PARSE_NAN:
        return "not a number (NaN)";
    case PARSE_POS_INF:
        return "+inf";
    case PARSE_NEG_INF:
        return "-inf";
    }
    return "unknown parse status";
}

int parse_hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}
