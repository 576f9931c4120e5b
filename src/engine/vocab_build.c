/* vocab_build.c: a vocabulary assembled by the loaders (token by token, or from memory),
 * then validated and sorted by vocab_finish(). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textfile.h"
#include "vocab_build.h"

/* Grows an array of `size`-byte elements to hold at least `need`. */
static int vocab_build_grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap ? *cap : 1024;
    void *q;

    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    if (!(q = realloc(*p, c * size)))
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int vocab_build_grow_tokens(struct vocab_build *b)
{
    struct vocab *v = &b->v;
    size_t cap = b->cap, cap2 = b->cap, cap3 = b->cap;

    if (v->n < b->cap)
        return 0;
    if (vocab_build_grow((void **)&v->tok_off, &cap, v->n + 1, sizeof *v->tok_off) < 0 ||
        vocab_build_grow((void **)&v->tok_len, &cap2, v->n + 1, sizeof *v->tok_len) < 0)
        return -1;
    if (b->with_logits &&
        vocab_build_grow((void **)&v->logits, &cap3, v->n + 1, sizeof *v->logits) < 0)
        return -1;
    b->cap = cap;
    return 0;
}

int vocab_build_add(struct vocab_build *b, const char *esc, size_t len, double logit,
                    char *why, size_t why_cap)
{
    struct vocab *v = &b->v;
    size_t ulen;

    if (v->n >= VOCAB_MAX_TOKENS) {
        snprintf(why, why_cap, "more than %zu tokens", VOCAB_MAX_TOKENS);
        return -1;
    }
    if (len > UINT32_MAX) {
        snprintf(why, why_cap, "a token longer than 4 GiB");
        return -1;
    }
    /* +1: the text buffer exists even when every token is empty (NULL means "#INDEX") */
    if (vocab_build_grow_tokens(b) < 0 ||
        vocab_build_grow((void **)&v->text, &b->text_cap, b->text_len + len + 1, 1) < 0) {
        snprintf(why, why_cap, "out of memory after %zu tokens", v->n);
        return -1;
    }
    if (token_unescape(esc, len, v->text + b->text_len, &ulen, why, why_cap) < 0)
        return -1;
    v->tok_off[v->n] = b->text_len;
    v->tok_len[v->n] = (uint32_t)ulen;
    if (b->with_logits)
        v->logits[v->n] = logit;
    b->text_len += ulen;
    v->n++;
    return 0;
}

const char *vocab_logit_problem(double x)
{
    if (isnan(x))
        return "is NaN";
    if (isinf(x) && x > 0)
        return "is +inf (only -inf is allowed)";
    return NULL;
}

int vocab_finish(struct vocab *tmp, struct vocab *out, const char *who, struct ls_error *err)
{
    size_t finite = 0;

    for (size_t i = 0; i < tmp->n; i++) {
        const char *why = vocab_logit_problem(tmp->logits[i]);
        if (why) {
            ls_error_set(err, "%s: element %zu %s", who, i, why);
            vocab_free(tmp);
            return -1;
        }
        finite += !isinf(tmp->logits[i]);
    }
    if (tmp->n == 0 || finite == 0) {
        ls_error_set(err, tmp->n ? "%s: every logit is -inf" : "%s: no tokens", who);
        vocab_free(tmp);
        return -1;
    }
    if (vocab_sort(tmp) < 0) {
        ls_error_set(err, "%s: out of memory sorting %zu tokens", who, tmp->n);
        vocab_free(tmp);
        return -1;
    }
    *out = *tmp;
    return 0;
}

/* Copies the names into one text buffer, as the loaders store them. */
static int vocab_copy_names(struct vocab *t, const char *const *names)
{
    size_t total = 1, o = 0;

    for (size_t i = 0; i < t->n; i++)
        total += strlen(names[i] ? names[i] : "");
    t->text = malloc(total);
    t->tok_off = malloc(t->n * sizeof *t->tok_off);
    t->tok_len = malloc(t->n * sizeof *t->tok_len);
    if (!t->text || !t->tok_off || !t->tok_len)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        size_t len = strlen(names[i] ? names[i] : "");
        if (len > UINT32_MAX)
            return -1;
        memcpy(t->text + o, names[i] ? names[i] : "", len);
        t->tok_off[i] = o;
        t->tok_len[i] = (uint32_t)len;
        o += len;
    }
    return 0;
}

int vocab_from_logits(struct vocab *v, const double *logits, size_t n,
                      const char *const *names, struct ls_error *err)
{
    struct vocab t = {0};

    if (n == 0 || !logits)
        return ls_error_set(err, "logits: no tokens");
    if (n > VOCAB_MAX_TOKENS)
        return ls_error_set(err, "logits: %zu tokens, more than the %zu supported", n,
                            VOCAB_MAX_TOKENS);
    t.n = n;
    t.logits = malloc(n * sizeof *t.logits);
    if (!t.logits || (names && vocab_copy_names(&t, names) < 0)) {
        vocab_free(&t);
        return ls_error_set(err, "logits: out of memory for %zu tokens", n);
    }
    memcpy(t.logits, logits, n * sizeof *t.logits);
    return vocab_finish(&t, v, "logits", err);
}
