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
};

enum opt_format { FORMAT_TEXT, FORMAT_CSV, FORMAT_SUMMARY };

/* Values of one parameter, in the order given. Whole-number parameters are in z[], all
 * others in d[]. */
struct opt_values {
    enum param_id which;
    size_t n, cap;
    double *d;
    size_t *z;
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
    bool ascii, no_color, no_mouse, snapshot, sized;
    int cols, rows;
    const char *play_path, *cast_path;
    const char *file;
};

enum opt_parsed { OPT_ERROR = -1, OPT_RUN = 0, OPT_DONE = 1 };

/* Fills o with the defaults, then reads argv (argv[0] is the command's own name). DONE: help
 * or version was printed. Every value is checked here: a bad one is an ERROR with err set,
 * before any file is read. */
enum opt_parsed opt_parse(int argc, char **argv, enum opt_cmd cmd, struct cli_opts *o,
                          struct ls_error *err);
void opt_free(struct cli_opts *o);

/* The usage text of a command, generated from the option table. */
void opt_usage(enum opt_cmd cmd, FILE *out);

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
};

/* One option as --help describes it, for the man page and the shell completions. */
struct opt_doc {
    const char *name;    /* the long name without its dashes: "top-p" */
    const char *alias;   /* another long name ("temp"), or NULL */
    char short_opt;      /* 'p', or 0 */
    const char *metavar; /* "P"; NULL when it takes no value */
    unsigned cmds;       /* the commands that take it: CMD_EXPLORE, CMD_SWEEP or both */
    enum opt_value value;
    int param;           /* its enum param_id (words in param_spec()), or -1 */
    const char *help;    /* the table's words; NULL for a parameter */
    const char *heading; /* the heading --help writes above it ("Draws, data and output"), or
                          * NULL */
};
/* The i-th option of any command: the sampler parameters, then the other options, in the
 * order of --help. False past the end. */
bool opt_doc(size_t i, struct opt_doc *out);
/* --format's names in the order of enum opt_format ("text", "csv", "summary"); NULL past the
 * end. */
const char *opt_format_name(size_t i);

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
