/* lab_fixture.h: the lab's ten tokens as a vocabulary and an explorer model over them, a
 * vocabulary of numbered tokens, a large one of random logits, and keys pressed from a
 * script, shared by the app and tui tests. Header-only; include after tap.h. */
#ifndef LOGITSCOPE_LAB_FIXTURE_H
#define LOGITSCOPE_LAB_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "keys.h"
#include "logitscope/vocab.h"
#include "model.h"
#include "model_fixture.h"

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
    model_or_bail(m, &c);
}

/* n tokens named by fmt and their index ("w%zu": w0, w1, ...), logits falling by step from 0,
 * so rank i is token i; or a TAP bail-out. */
static inline void lab_vocab_numbered(struct vocab *v, size_t n, const char *fmt, double step)
{
    double *lg = malloc(n * sizeof *lg);
    char *names = malloc(n * 24);
    const char **toks = malloc(n * sizeof *toks);
    struct ls_error err;
    if (!lg || !names || !toks) {
        printf("Bail out! out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++) {
        lg[i] = -step * (double)i;
        snprintf(names + 24 * i, 24, fmt, i);
        toks[i] = names + 24 * i;
    }
    if (vocab_from_logits(v, lg, n, toks, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    free(lg);
    free(names);
    free(toks);
}

/* n unnamed tokens, logits uniform in [-10, 10) from a fixed generator (the same vocabulary on
 * every machine); or a TAP bail-out. */
static inline void lab_vocab_random(struct vocab *v, size_t n)
{
    double *lg = malloc(n * sizeof *lg);
    struct ls_error err;
    if (!lg) {
        printf("Bail out! out of memory\n");
        exit(1);
    }
    uint64_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        lg[i] = (double)(x >> 11) / 9007199254740992.0 * 20.0 - 10.0;
    }
    if (vocab_from_logits(v, lg, n, NULL, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    free(lg);
}

/* Presses each key of a script such as "Right Right Down End" (key names as in key scripts)
 * through the key map, as the explorer takes them; returns the last change. */
static inline unsigned lab_keys(struct model *m, const char *script)
{
    unsigned changed = 0;
    for (const char *p = script; *p;) {
        size_t n = strcspn(p, " ");
        int key;
        if (n && key_parse(p, n, &key))
            changed = press(m, key);
        else if (n)
            printf("# bad key in script: %.*s\n", (int)n, p);
        p += n;
        p += *p == ' ';
    }
    return changed;
}

#endif
