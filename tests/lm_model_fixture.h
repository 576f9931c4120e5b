/* lm_model_fixture.h: an explorer model over a language model's writer, shared by the app and
 * tui tests. Header-only; include after tap.h. */
#ifndef LOGITSCOPE_LM_MODEL_FIXTURE_H
#define LOGITSCOPE_LM_MODEL_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/lm.h"
#include "model.h"
#include "model_fixture.h"
#include "writer.h"

/* A writer on lm with the prompt and seed, or a TAP bail-out. */
static inline void lm_writer_start(struct writer *w, const struct lm *lm, const char *prompt,
                                   uint64_t seed)
{
    struct ls_error err = {{0}};
    if (writer_init(w, lm, seed, &err) != 0 ||
        writer_set_prompt(w, prompt, strlen(prompt), &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
}

/* A model writing with w (made here: the prompt and seed), or a TAP bail-out. */
static inline void lm_model_start(struct model *m, struct writer *w, const struct lm *lm,
                                  const char *prompt, struct params p, size_t samples,
                                  uint64_t seed)
{
    lm_writer_start(w, lm, prompt, seed);
    struct model_config c = {.writer = w, .source_name = "lm", .params = p,
                             .samples = samples, .seed = seed};
    model_or_bail(m, &c);
}

static inline void lm_model_stop(struct model *m, struct writer *w)
{
    model_free(m);
    writer_free(w);
}

#endif
