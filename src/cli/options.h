/* options.h: reading command-line values shared by `sweep` and the explorer, so that both
 * accept the same spellings and refuse bad ones with the same words. Messages name the
 * option and what it allows ("--top-p must be in (0, 1], got 1.5"); callers print them
 * after "logitscope: ". */
#ifndef LOGITSCOPE_CLI_OPTIONS_H
#define LOGITSCOPE_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "logitscope/engine.h"
#include "logitscope/error.h"

/* More values than this in one list, or settings in one sweep, is surely a typo. */
#define OPT_MAX_VALUES 1000000u

/* The four sampling parameters that take a value, a comma list or a range. */
enum opt_param {
    OPT_TEMPERATURE = 0,
    OPT_TOP_K,
    OPT_TOP_P,
    OPT_MIN_P,
    OPT_PARAM_COUNT,
};

/* Values of one parameter, in the order given. top-k values are in z[], all others in d[]. */
struct opt_values {
    enum opt_param which;
    size_t n;
    double *d;
    size_t *z;
};

/* "--temperature", "--top-k", "--top-p", "--min-p". */
const char *opt_param_flag(enum opt_param which);

/* One value (as the explorer takes it): checks the range and stores it into its field of p. */
int opt_param_one(enum opt_param which, const char *arg, struct params *p,
                  struct ls_error *err);

/* A value, a comma list or an inclusive range START:STOP:STEP, or a comma list mixing values
 * and ranges. A range yields start + i*step for i = 0, 1, ... while the value is <= stop
 * (with decimal inputs computed exactly, so 0.1:2.0:0.01 gives 191 values, the last 2.0).
 * On success out owns its arrays (opt_values_free); on error out is left empty. */
int opt_param_list(enum opt_param which, const char *arg, struct opt_values *out,
                   struct ls_error *err);
void opt_values_free(struct opt_values *v);
/* Sets parameter v->which of p to the i-th value. */
void opt_values_apply(const struct opt_values *v, size_t i, struct params *p);

/* -n/--samples: a whole number in [0, ENGINE_MAX_SAMPLES]. */
int opt_samples(const char *arg, size_t *out, struct ls_error *err);
/* --seed: a whole number in [0, 2^64 - 1]. */
int opt_seed(const char *arg, uint64_t *out, struct ls_error *err);
/* --order: hf or llama. */
int opt_order(const char *arg, enum order *out, struct ls_error *err);
/* Any other whole-number option (e.g. "--top"): [0, SIZE_MAX]. */
int opt_count(const char *flag, const char *arg, size_t *out, struct ls_error *err);

/* Shortest decimal text that reads back as x (at most 17 significant digits), for names
 * such as "T=0.7". Needs the C locale for LC_NUMERIC, like every number we print. */
void opt_format_double(double x, char *buf, size_t cap);

/* Prints "logitscope: MSG" on stderr with MSG made terminal-safe: a file name or any other
 * text in it can carry escape sequences, which are shown escaped, never sent raw. */
void opt_print_error(const char *msg);

/* getopt_long's failure (c is '?' or ':', with opterr off) in our own words; `help` is the
 * command to suggest, e.g. "logitscope sweep --help". Returns -1. */
int opt_getopt_error(int c, char **argv, const char *help, struct ls_error *err);

#endif
