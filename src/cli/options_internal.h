/* options_internal.h: what the files of the option parser share and its callers do not see:
 * the rows of the option table (options.c) and two readers of the user's text. */
#ifndef LOGITSCOPE_CLI_OPTIONS_INTERNAL_H
#define LOGITSCOPE_CLI_OPTIONS_INTERNAL_H

#include <stddef.h>

#include "logitscope/error.h"

/* What getopt_long returns for an option of opt_table (and a sampler parameter's). */
enum opt_key {
    KEY_PARAM = 1000, /* + a param_id: the sampler options */
    KEY_SAMPLERS = 2000,
    KEY_SAMPLING_SEQ,
    KEY_ORDER,
    KEY_DRY_BREAKER,
    KEY_HISTORY,
    KEY_SAMPLES,
    KEY_SEED,
    KEY_VOCAB,
    KEY_TOKENS,
    KEY_CHOICE,
    KEY_POSITION,
    KEY_SETTINGS,
    KEY_LM,
    KEY_PROMPT,
    KEY_WORDS,
    KEY_TOP,
    KEY_FORMAT,
    KEY_ASCII,
    KEY_NO_COLOR,
    KEY_THEME,
    KEY_NO_MOUSE,
    KEY_SNAPSHOT,
    KEY_SIZE,
    KEY_PLAY,
    KEY_CAST,
    KEY_HELP,
    KEY_VERSION,
};

/* A row of opt_table (options.c): every option but the sampler parameters, in the order
 * --help lists them, with the commands that take it (a set of enum opt_cmd). */
struct opt_spec {
    int key;
    const char *name;
    char short_opt;
    const char *metavar; /* NULL: takes no value */
    unsigned cmds;
    const char *help;
};
extern const struct opt_spec opt_table[];
extern const size_t opt_table_n;

/* User text, escaped so that a stray control byte cannot reach the terminal via stderr. */
const char *opt_show(const char *s, size_t len, char *buf, size_t cap);
/* A whole number by the engine's rules (param_read_size); a bad one's message names FLAG
 * and says what it must be (ALLOWED). */
int opt_read_size(const char *flag, const char *allowed, const char *s, size_t len,
                  size_t *out, struct ls_error *err);

#endif
