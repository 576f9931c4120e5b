/* lmsource.h: the language model a command line names (--lm, $LOGITSCOPE_LM or Debian's
 * model), loaded, with a writer holding --prompt: what generate writes with, and the
 * next-word vocabulary that sweep and the explorer show. */
#ifndef LOGITSCOPE_CLI_LMSOURCE_H
#define LOGITSCOPE_CLI_LMSOURCE_H

#include "logitscope/error.h"
#include "logitscope/lm.h"
#include "options.h"
#include "writer.h"

struct lm_source {
    struct lm *lm;
    struct writer writer; /* the prompt set, seeded with --seed */
    const char *path;     /* the model's path */
    const char *name;     /* its file name, for titles */
};

/* Resolves and loads the model and sets the prompt. -1 with err ("FILE:LINE: what", "FILE:
 * offset N: what", or no model and the package to install) and s empty. */
int lm_source_open(struct lm_source *s, const struct cli_opts *o, struct ls_error *err);
void lm_source_close(struct lm_source *s);

#endif
