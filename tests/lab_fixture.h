/* lab_fixture.h: the lab's ten tokens as a vocabulary and an explorer model over them, shared
 * by the app and tui tests. Header-only; include after tap.h. */
#ifndef LOGITSCOPE_LAB_FIXTURE_H
#define LOGITSCOPE_LAB_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "logitscope/vocab.h"
#include "model.h"

static const char *const lab_tokens[] = {"approve", "reject",   "review", "escalate", "delay",
                                         "audit",   "optimize", "notify", "assign",   "close"};
static const double lab_logits[] = {2.2, 1.8, 1.4, 0.9, 0.2, 0.1, -0.3, -0.6, -0.8, -1.0};

/* The lab's vocabulary, or a TAP bail-out. */
static inline void lab_vocab(struct vocab *v)
{
    struct ls_error err;
    if (vocab_from_logits(v, lab_logits, 10, lab_tokens, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
}

/* An explorer model over v at the default parameters, or a TAP bail-out. */
static inline void lab_model(struct model *m, const struct vocab *v, const char *name, size_t samples,
                      uint64_t seed)
{
    struct model_config c = {.vocab = v, .source_name = name, .params = params_default(),
                             .samples = samples, .seed = seed};
    struct ls_error err;
    if (model_init(m, &c, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
}

#endif
