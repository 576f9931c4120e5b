/* dist_fixture.h: what the sampler tests share: a vocabulary from logits or probabilities with
 * a distribution over it, ready for engine_apply. Header-only; include after tap.h. */
#ifndef LOGITSCOPE_DIST_FIXTURE_H
#define LOGITSCOPE_DIST_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "logitscope/engine.h"
#include "logitscope/vocab.h"

struct fixture {
    struct vocab v;
    struct dist d;
};

/* n logits with their names (NULL: none) and a distribution over them, or a TAP bail-out. */
static inline void fixture_named(struct fixture *f, const double *logits, size_t n,
                                 const char *const *names)
{
    struct ls_error err = {{0}};
    if (vocab_from_logits(&f->v, logits, n, names, &err) < 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    if (dist_init(&f->d, &f->v) < 0) {
        printf("Bail out! out of memory\n");
        exit(1);
    }
}

static inline void fixture_make(struct fixture *f, const double *logits, size_t n)
{
    fixture_named(f, logits, n, NULL);
}

/* The same from n (at most 64) probabilities: their logarithms are the logits. */
static inline void fixture_probs(struct fixture *f, const double *p, size_t n,
                                 const char *const *names)
{
    double l[64];
    if (n > 64) {
        printf("Bail out! fixture_probs takes at most 64 probabilities\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        l[i] = log(p[i]);
    fixture_named(f, l, n, names);
}

static inline void fixture_free(struct fixture *f)
{
    dist_free(&f->d);
    vocab_free(&f->v);
}

#endif
