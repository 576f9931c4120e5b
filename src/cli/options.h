/* options.h: the command line of every logitscope command, from one table. The sampler
 * options come from the engine's parameter table; the rest are listed once in options.c with
 * the commands that take them. One parse loop fills struct cli_opts for any command, and
 * `--help` is written from the same table, so what is accepted and what is documented cannot
 * drift. Messages name the option and what it allows ("--top-p must be in (0, 1], got
 * 1.5"); callers print them after "logitscope: ". */
#ifndef LOGITSCOPE_CLI_OPTIONS_H
#define LOGITSCOPE_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "logitscope/engine.h"
#include "logitscope/error.h"

/* More values than this in one list, or settings in one sweep, is surely a typo. */
#define OPT_MAX_VALUES 1000000u
#define OPT_SIZE_MAX 1000 /* --size: columns and rows */

enum opt_cmd {
    CMD_EXPLORE = 1,
    CMD_SWEEP = 2,
    CMD_GENERATE = 4,
};

#define OPT_CMDS (CMD_EXPLORE | CMD_SWEEP | CMD_GENERATE)
#define OPT_WORDS_DEFAULT 20
#define OPT_WORDS_MAX 1000000u

/* sweep takes text, csv and summary; generate text and json. */
enum opt_format { FORMAT_TEXT, FORMAT_CSV, FORMAT_SUMMARY, FORMAT_JSON };

/* Values of one parameter, in the order given. Whole-number parameters are in z[], all
 * others in d[]. */
struct opt_values {
    enum param_id which;
    size_t n, cap;
    double *d;
    size_t *z;
};

/* --position: the positions of a sequence, counting from 1, as inclusive ranges in the order
 * given (a single N is N:N), or every one. */
struct opt_positions {
    bool given, all;
    size_t n, cap;
    size_t *lo, *hi;
};

/* What the command line said. Lists with n == 0 were not given. */
struct cli_opts {
    struct opt_values lists[PARAM_COUNT];
    struct chain chain;       /* the hf preset unless --order, --samplers or --sampling-seq */
    const char *chain_flag;   /* which of those gave it, or NULL */
    struct dry_breakers breakers; /* llama.cpp's default unless --dry-sequence-breaker */
    bool breakers_given;
    const char *history;      /* sweep --history, or NULL */
    size_t samples;
    uint64_t seed;
    const char *vocab_path, *settings_path;
    size_t top;
    bool top_given;
    enum opt_format format;
    bool format_given;
    struct opt_positions positions;
    size_t choice;            /* --choice: which choice of a response, from 0 */
    bool choice_given;
    const char *tokens_path;  /* --tokens: the chosen ids of a 2-D .npy */
    bool ascii, no_color, no_mouse, snapshot, sized;
    const char *theme; /* --theme's name, or NULL: the explorer checks it (tui_theme_find) */
    int cols, rows;
    const char *play_path, *cast_path;
    const char *file;
    const char *lm_path;      /* --lm, or NULL */
    const char *prompt;       /* --prompt, or NULL */
    size_t words;             /* generate's -n */
};

/* sweep and the explorer read a language model's next word instead of a FILE. */
static inline bool opt_lm_mode(const struct cli_opts *o)
{
    return o->lm_path || o->prompt;
}

enum opt_parsed { OPT_ERROR = -1, OPT_RUN = 0, OPT_DONE = 1 };

/* Fills o with the defaults, then reads argv (argv[0] is the command's own name). DONE: help
 * or version was printed. Every value is checked here: a bad one is an ERROR with err set,
 * before any file is read. */
enum opt_parsed opt_parse(int argc, char **argv, enum opt_cmd cmd, struct cli_opts *o,
                          struct ls_error *err);
void opt_free(struct cli_opts *o);

/* The usage text of a command, generated from the option table. */
void opt_usage(enum opt_cmd cmd, FILE *out);

/* The name a command is called by: "explore" (no word on the command line), "sweep",
 * "generate". */
const char *opt_cmd_name(enum opt_cmd cmd);
/* The commands in the order of --help and the man page; false past the end. */
bool opt_cmd_at(size_t i, enum opt_cmd *out);

/* The words around a command's options in --help, for the man page too. */
struct opt_intro {
    enum opt_cmd cmd;
    const char *usage;        /* "Usage: logitscope ...\n" lines */
    const char *what;         /* what the command does */
    const char *params_title; /* above the sampler options */
    const char *help_cmd;     /* "logitscope sweep --help" */
    const char *exit_status;  /* "Exit status: 0 success, ..." */
};
const struct opt_intro *opt_intro(enum opt_cmd cmd);

/* What an option's value is, so that a shell can complete it. */
enum opt_value {
    OPT_VALUE_NONE,     /* takes no value */
    OPT_VALUE_NUMBER,   /* the sampler parameters, --samples, --seed, --top */
    OPT_VALUE_TEXT,     /* typed by hand: --sampling-seq's letters, --size */
    OPT_VALUE_FILE,     /* a path */
    OPT_VALUE_PRESET,   /* chain_preset_name() */
    OPT_VALUE_SAMPLERS, /* sampler names separated by ; or , */
    OPT_VALUE_FORMAT,   /* opt_format_name() */
    OPT_VALUE_THEME,    /* tui_theme_name() */
};

/* One option as --help describes it, for the man page and the shell completions. */
struct opt_doc {
    const char *name;    /* the long name without its dashes: "top-p" */
    const char *alias;   /* another long name ("temp"), or NULL */
    char short_opt;      /* 'p', or 0 */
    const char *metavar; /* "P"; NULL when it takes no value */
    unsigned cmds;       /* the commands that take it: a set of enum opt_cmd */
    enum opt_value value;
    int param;           /* its enum param_id (words in param_spec()), or -1 */
    const char *help;    /* the table's words; NULL for a parameter */
    const char *heading; /* the heading --help writes above it ("Draws, data and output"), or
                          * NULL */
};
/* The i-th option of any command: the sampler parameters, then the other options, in the
 * order of --help. False past the end. */
bool opt_doc(size_t i, struct opt_doc *out);
/* --format's names in the order of enum opt_format ("text", "csv", "summary", "json"); NULL
 * past the end. */
const char *opt_format_name(size_t i);
/* Whether a command takes that format. */
bool opt_format_takes(enum opt_cmd cmd, enum opt_format f);
/* "(sweep only)", "(sweep and generate)": which commands take an option, for the man page
 * and the completions; NULL when every command does. */
const char *opt_cmds_note(unsigned cmds);

/* Whether any sampler parameter was given. */
bool opt_any_param(const struct cli_opts *o);
/* The parameters for value i of each list (all lists of one value: the explorer), over the
 * chosen chain; then checks that no parameter was set for a sampler the chain lacks. */
int opt_params(const struct cli_opts *o, struct params *p, struct ls_error *err);

/* The parameter a flag sets ("--top-p", "-p", "--temp"), or -1. */
int opt_param_of_flag(const char *flag);

/* A value, a comma list or an inclusive range START:STOP:STEP, or a comma list mixing values
 * and ranges. A range yields start + i*step for i = 0, 1, ... while the value is <= stop
 * (with decimal inputs computed exactly, so 0.1:2.0:0.01 gives 191 values, the last 2.0).
 * On success out owns its arrays (opt_values_free); on error out is left empty. */
int opt_param_list(enum param_id which, const char *arg, struct opt_values *out,
                   struct ls_error *err);
/* Appends a list to what earlier uses of the same option gave. */
int opt_param_add(struct opt_values *have, const char *arg, struct ls_error *err);
void opt_values_free(struct opt_values *v);
/* Sets parameter v->which of p to the i-th value. */
void opt_values_apply(const struct opt_values *v, size_t i, struct params *p);

/* --position: "N", "START:STOP", a comma list of them, or "all". On error out is empty. */
int opt_positions_parse(const char *arg, struct opt_positions *out, struct ls_error *err);
void opt_positions_free(struct opt_positions *p);
/* Every position of the list is in [1, n]: else an error naming the first that is not. */
int opt_positions_check(const struct opt_positions *p, size_t n, const char *file,
                        struct ls_error *err);

/* -n/--samples: a whole number in [0, ENGINE_MAX_SAMPLES]. */
int opt_samples(const char *arg, size_t *out, struct ls_error *err);
/* --seed: a whole number in [0, 2^64 - 1]. */
int opt_seed(const char *arg, uint64_t *out, struct ls_error *err);
/* Any other whole-number option (e.g. "--top"): [0, SIZE_MAX]. */
int opt_count(const char *flag, const char *arg, size_t *out, struct ls_error *err);

/* Prints "logitscope: MSG" on stderr with MSG made terminal-safe: a file name or any other
 * text in it can carry escape sequences, which are shown escaped, never sent raw. */
void opt_print_error(const char *msg);

#endif
