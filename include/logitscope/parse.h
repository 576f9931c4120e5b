/* parse.h: strict number parsing shared by the data loaders and the command line, so a
 * logit in a file and a value on the command line are read by the same rules. */
#ifndef LOGITSCOPE_PARSE_H
#define LOGITSCOPE_PARSE_H

#include <stdbool.h>
#include <stddef.h>

enum parse_status {
    PARSE_OK = 0,
    PARSE_EMPTY,     /* nothing but white space */
    PARSE_INVALID,   /* not a number at all */
    PARSE_TRAILING,  /* a number followed by junk */
    PARSE_RANGE,     /* overflows a double (1e999) */
    PARSE_NAN,       /* "nan" and friends */
    PARSE_POS_INF,   /* "inf", "+inf", "infinity" */
    PARSE_NEG_INF,   /* "-inf": stored in *out as -INFINITY */
};

/* Decimal number in s[0..len) in the C locale; leading and trailing spaces are allowed,
 * anything else is not. Never reads past len. */
enum parse_status parse_double(const char *s, size_t len, double *out);

/* Non-negative decimal integer that fits in size_t (no sign, no exponent). */
enum parse_status parse_size(const char *s, size_t len, size_t *out);

/* Human words for a status ("not a number", "trailing characters after the number", ...). */
const char *parse_status_str(enum parse_status st);

/* The value of a hexadecimal digit (either case), or -1. */
int parse_hex_digit(char c);

#endif
