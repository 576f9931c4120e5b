/* fuzz_lm.h: what the language-model harnesses check about a model that loaded: every word
 * finds itself, and every next-word column equals the textbook back-off recursion, computed
 * one word at a time from the stored n-grams (so a wrong child range or a wrong back-off sum
 * in the fast column shows up). Header-only; aborts on a violation. */
#ifndef LOGITSCOPE_FUZZ_LM_H
#define LOGITSCOPE_FUZZ_LM_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lm_internal.h"
#include "logitscope/lm.h"

static double fuzz_lm_prob(const struct lm_level *l, size_t i)
{
    return l->prob_q ? l->prob[l->prob_q[i]] : l->prob[i];
}

static double fuzz_lm_bo(const struct lm_level *l, size_t i)
{
    if (l->word && (l->word[i] & LM_CONTEXT_ONLY))
        return 0;
    return l->bo_q ? l->bo[l->bo_q[i]] : l->bo[i];
}

/* ln P(w | h[0..k)): the (k+1)-gram if the model has it, else bo(h) + ln P(w | h[1..k)). */
static double fuzz_lm_backoff(const struct lm_ngram *ng, const uint32_t *h, size_t k, uint32_t w)
{
    uint32_t g[LM_MAX_ORDER + 1];
    size_t at;

    memcpy(g, h, k * sizeof *h);
    g[k] = w;
    if (lm_ngram_find(ng, g, (int)k + 1, &at) &&
        !(ng->level[k].word && (ng->level[k].word[at] & LM_CONTEXT_ONLY)))
        return fuzz_lm_prob(&ng->level[k], at);
    if (k == 0)
        abort(); /* every word is a 1-gram */
    double bo = lm_ngram_find(ng, h, (int)k, &at) ? fuzz_lm_bo(&ng->level[k - 1], at) : 0;
    return bo + fuzz_lm_backoff(ng, h + 1, k - 1, w);
}

static void fuzz_lm_column(const struct lm *lm, const uint32_t *ctx, size_t n, double *lp)
{
    const struct lm_ngram *ng = lm->impl;
    size_t V = lm_size(lm), k = 0;

    lm_next(lm, ctx, n, lp);
    /* The context the model sees: the last order - 1 words after the last unknown one. */
    while (k < n && k + 1 < (size_t)lm_order(lm) && ctx[n - 1 - k] < V)
        k++;
    for (uint32_t w = 0; w < V; w++) {
        if (w == lm_bos(lm) || w == lm_unk(lm)) {
            if (!(isinf(lp[w]) && lp[w] < 0))
                abort();
            continue;
        }
        double want = fuzz_lm_backoff(ng, ctx + n - k, k, w);
        if (isnan(lp[w]) || (isinf(lp[w]) && lp[w] > 0))
            abort();
        if (!(lp[w] == want || fabs(lp[w] - want) <= 1e-9 * fmax(1.0, fabs(want))))
            abort();
    }
}

/* Checks a loaded model, with contexts of 0 to 4 words taken from the input bytes. */
static void fuzz_lm_check(const struct lm *lm, const uint8_t *data, size_t size)
{
    size_t V = lm_size(lm);
    double *lp = malloc(V * sizeof *lp);
    uint32_t ctx[4];

    if (!lp || V == 0 || lm_order(lm) < 1 || lm_order(lm) > LM_MAX_ORDER)
        abort();
    for (uint32_t id = 0; id < V; id++) {
        size_t len;
        uint32_t back;
        const char *w = lm_word(lm, id, &len);
        if (!w || w[len] != '\0' || !lm_find(lm, w, len, &back) || back != id)
            abort();
    }
    for (size_t n = 0; n <= 4; n++) {
        for (size_t j = 0; j < n; j++) {
            size_t b = size ? data[(n * 7 + j * 13) % size] : 0;
            ctx[j] = b % (V + 1) == V ? LM_NO_WORD : (uint32_t)(b % (V + 1));
        }
        fuzz_lm_column(lm, ctx, n, lp);
    }
    free(lp);
}

#endif
