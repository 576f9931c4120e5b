/* input.h: the data file of either command, told by its content: a sequence of positions (a
 * model's output, seq.h) or a single vocabulary (TSV, 1-D .npy). "-" is standard input, read
 * once. The options that only one kind understands are checked against what was found. */
#ifndef LOGITSCOPE_CLI_INPUT_H
#define LOGITSCOPE_CLI_INPUT_H

#include <stdbool.h>

#include "logitscope/error.h"
#include "logitscope/seq.h"
#include "logitscope/vocab.h"
#include "options.h"

struct input {
    bool is_seq;
    struct seq seq;     /* is_seq */
    struct vocab vocab; /* !is_seq */
    const char *name;   /* for titles: the file's name without its folders, or "<stdin>" */
};

/* Loads path ("-": standard input) with o's --vocab, --tokens, --choice and --position.
 * Errors are the loaders' ("FILE:LINE: what", "FILE: path.to[3]: what"), or say which option
 * does not fit the file; *in is then empty. */
int input_load(struct input *in, const char *path, const struct cli_opts *o,
               struct ls_error *err);
void input_free(struct input *in);

#endif
