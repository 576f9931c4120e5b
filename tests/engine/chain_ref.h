/* chain_ref.h: the sampler chain's written rules, literally, in long double and file order:
 * a keep mask, a plain sort per stage, no blocks, no rank space. The engine must agree with
 * it on every probability and the entropy; it is slow on purpose (O(n log n) a stage).
 * Penalties and DRY change the logits in place, on the logits divided by the temperature so
 * far, as llama.cpp's chain sees them; DRY finds repeats by comparing tokens one by one. */
#ifndef LOGITSCOPE_TESTS_CHAIN_REF_H
#define LOGITSCOPE_TESTS_CHAIN_REF_H

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/engine.h"
#include "logitscope/sampler.h"

#define REF_SLACK 1e-12L

struct ref_state {
    double *l;     /* the logits, as penalties and DRY left them */
    size_t n;
    char *keep;
    long double t; /* current temperature */
    bool greedy;
    const struct history *h;   /* may be NULL */
    const char *const *names;  /* the tokens' text (DRY's breakers), may be NULL */
    long double mu;            /* mirostat's */
};

static const double *ref_sort_l;

/* Descending logit, ties by file order: the order by probability for any t > 0. */
static int ref_by_logit(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (ref_sort_l[i] != ref_sort_l[j])
        return ref_sort_l[i] > ref_sort_l[j] ? -1 : 1;
    return (i > j) - (i < j);
}

/* The kept indices in rank order; returns how many. */
static size_t ref_ranked(const struct ref_state *s, size_t *idx)
{
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->keep[i])
            idx[m++] = i;
    ref_sort_l = s->l;
    qsort(idx, m, sizeof *idx, ref_by_logit);
    return m;
}

/* softmax(l / t) over the kept tokens, into q (0 elsewhere). */
static void ref_softmax(const struct ref_state *s, long double *q)
{
    long double mx = -INFINITY, sum = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->keep[i] && s->l[i] > mx)
            mx = s->l[i];
    for (size_t i = 0; i < s->n; i++)
        sum += q[i] = s->keep[i] ? expl(((long double)s->l[i] - mx) / s->t) : 0;
    for (size_t i = 0; i < s->n; i++)
        q[i] /= sum;
}

static long double ref_entropy_nats(const long double *q, size_t n)
{
    long double h = 0;
    for (size_t i = 0; i < n; i++)
        if (q[i] > 0)
            h -= q[i] * logl(q[i]);
    return h;
}

/* Keeps the first m of the ranked tokens. */
static void ref_keep_first(struct ref_state *s, const size_t *idx, size_t total, size_t m)
{
    for (size_t r = m; r < total; r++)
        s->keep[idx[r]] = 0;
}

static size_t ref_min_keep(const struct params *p, size_t m)
{
    size_t mk = params_whole(p, PARAM_MIN_KEEP);
    mk = mk ? mk : 1;
    return mk < m ? mk : m;
}

/* The tokens with q >= bar, at least min_keep. */
static void ref_keep_at_least(struct ref_state *s, const struct params *p, const size_t *idx,
                              size_t m, const long double *q, long double bar)
{
    size_t c = 0;
    while (c < m && q[idx[c]] >= bar)
        c++;
    size_t mk = ref_min_keep(p, m);
    ref_keep_first(s, idx, m, c > mk ? c : mk);
}

static void ref_typical(struct ref_state *s, const struct params *p, const size_t *idx,
                        size_t m, const long double *q)
{
    long double h = ref_entropy_nats(q, s->n), target = params_real(p, PARAM_TYPICAL_P);
    size_t c = 0; /* the first rank whose surprise is at least the entropy */
    while (c < m && -logl(q[idx[c]]) < h)
        c++;
    size_t a = c, b = c, mk = ref_min_keep(p, m);
    long double mass = 0;
    while (b - a < m && (mass < target - REF_SLACK || b - a < mk)) {
        bool left = a > 0, right = b < m;
        if (left && right) {
            long double dl = fabsl(-logl(q[idx[a - 1]]) - h), dr = fabsl(-logl(q[idx[b]]) - h);
            right = dr < dl;
            left = !right;
        }
        if (left)
            mass += q[idx[--a]];
        else
            mass += q[idx[b++]];
    }
    for (size_t r = 0; r < m; r++)
        if (r < a || r >= b)
            s->keep[idx[r]] = 0;
}

static void ref_top_n_sigma(struct ref_state *s, const struct params *p, const size_t *idx,
                            size_t m)
{
    long double ns = params_real(p, PARAM_TOP_N_SIGMA), mean = 0, var = 0;
    for (size_t r = 0; r < m; r++)
        mean += s->l[idx[r]];
    mean /= m;
    for (size_t r = 0; r < m; r++)
        var += (s->l[idx[r]] - mean) * (s->l[idx[r]] - mean);
    long double sd = sqrtl(var / m), bar = s->l[idx[0]] - ns * sd * (1 + REF_SLACK);
    for (size_t r = 1; r < m; r++)
        if (s->l[idx[r]] < bar)
            s->keep[idx[r]] = 0;
}

static bool ref_holds_breaker(const struct ref_state *s, const struct params *p, size_t tok)
{
    const char *t = s->names ? s->names[tok] : "";
    for (int b = 0; b < p->breakers.n; b++) {
        size_t len;
        const char *br = dry_breaker(&p->breakers, b, &len);
        if (strstr(t, br))
            return true;
    }
    return false;
}

static size_t ref_window(const struct history *h, long double last_n)
{
    return last_n < 0 || last_n >= (long double)h->n ? 0 : h->n - (size_t)last_n;
}

/* A token of the vocabulary (DRY compares them); present: one with a finite logit (only
 * those are penalised). */
static bool ref_known(const struct ref_state *s, uint32_t tok)
{
    return tok != HISTORY_ABSENT && tok < s->n;
}

static bool ref_present(const struct ref_state *s, uint32_t tok)
{
    return ref_known(s, tok) && !isinf(s->l[tok]);
}

static void ref_penalties(struct ref_state *s, const struct params *p)
{
    if (!s->h || s->greedy || sampler_is_off(p, SAMPLER_PENALTIES))
        return;
    long double r = params_real(p, PARAM_REPEAT_PENALTY), f = params_real(p, PARAM_FREQUENCY_PENALTY);
    long double pres = params_real(p, PARAM_PRESENCE_PENALTY);
    size_t *count = calloc(s->n, sizeof *count);
    for (size_t i = ref_window(s->h, params_real(p, PARAM_REPEAT_LAST_N)); i < s->h->n; i++)
        if (ref_present(s, s->h->tokens[i]))
            count[s->h->tokens[i]]++;
    for (size_t i = 0; i < s->n; i++) {
        if (!count[i])
            continue;
        long double z = s->l[i] / s->t;
        z = z <= 0 ? z * r : z / r;
        z -= count[i] * f + pres;
        s->l[i] = (double)(z * s->t);
    }
    free(count);
}

static void ref_dry(struct ref_state *s, const struct params *p)
{
    if (!s->h || s->greedy || sampler_is_off(p, SAMPLER_DRY))
        return;
    const struct history *h = s->h;
    size_t from = ref_window(h, params_real(p, PARAM_DRY_PENALTY_LAST_N)), n = h->n;
    long double allowed = params_real(p, PARAM_DRY_ALLOWED_LENGTH);
    size_t limit = n - from; /* tokens after the last breaker */
    for (size_t i = n; i-- > from;)
        if (ref_known(s, h->tokens[i]) && ref_holds_breaker(s, p, h->tokens[i])) {
            limit = n - 1 - i;
            break;
        }
    long *longest = malloc(s->n * sizeof *longest);
    for (size_t i = 0; i < s->n; i++)
        longest[i] = -1;
    for (size_t j = from; j + 1 < n; j++) {
        size_t len = 0; /* the run ending at j that equals the one ending at the last token */
        while (len <= j - from) {
            uint32_t a = h->tokens[j - len], b = h->tokens[n - 1 - len];
            if (!ref_known(s, a) || !ref_known(s, b) || a != b)
                break;
            len++;
        }
        len = len < limit ? len : limit;
        uint32_t next = h->tokens[j + 1];
        if ((long double)len >= allowed && ref_present(s, next) && !ref_holds_breaker(s, p, next) &&
            (long)len > longest[next])
            longest[next] = (long)len;
    }
    long double mult = params_real(p, PARAM_DRY_MULTIPLIER), base = params_real(p, PARAM_DRY_BASE);
    long double cap = base > 1.000001L ? floorl(88.7228391L / logl(base)) : 0;
    for (size_t i = 0; i < s->n; i++) {
        if (longest[i] < 0)
            continue;
        long double e = longest[i] - allowed;
        e = cap > 0 && e > cap ? cap : e;
        s->l[i] = (double)((s->l[i] / s->t - mult * powl(base, e)) * s->t);
    }
    free(longest);
}

/* Mirostat with mu: version 2 keeps q >= 2^-mu, version 1 the top k (llama.cpp's formula,
 * the exponent fitted over the first 100 tokens); at least one either way. */
static void ref_mirostat(struct ref_state *s, const struct params *p, const size_t *idx, size_t m,
                         const long double *q)
{
    long double version = params_real(p, PARAM_MIROSTAT);
    if (!(version > 0) || m <= 1)
        return;
    if (version == 2) {
        size_t c = 0;
        while (c < m && q[idx[c]] >= powl(2, -s->mu) - REF_SLACK)
            c++;
        ref_keep_first(s, idx, m, c > 1 ? c : 1);
        return;
    }
    long double tb = 0, tt = 0;
    for (size_t i = 0; i + 1 < 100 && i + 1 < m; i++) {
        long double ti = logl((long double)(i + 2) / (i + 1)), bi = logl(q[idx[i]] / q[idx[i + 1]]);
        tb += ti * bi;
        tt += ti * ti;
    }
    long double sh = tb / tt, e = sh - 1;
    long double k = powl(e * powl(2, s->mu) / (1 - powl((long double)s->n, -e)), 1 / sh);
    if (isnan(k))
        return;
    ref_keep_first(s, idx, m, !(k >= 1) ? 1 : k >= m ? m : (size_t)k);
}

static void ref_run(struct ref_state *s, const struct params *p, int from, long double *out);

/* XTC: returns true when the chain forked (the rest has run and out holds the mixture). */
static bool ref_xtc(struct ref_state *s, const struct params *p, int i, size_t *idx,
                    long double *q, long double *out)
{
    long double prob = params_real(p, PARAM_XTC_PROBABILITY);
    long double thr = params_real(p, PARAM_XTC_THRESHOLD);
    size_t m = ref_ranked(s, idx);
    if (!(prob > 0) || thr > 0.5L || m < 2 || s->greedy)
        return false;
    ref_softmax(s, q);
    size_t c = 0;
    while (c < m && q[idx[c]] >= thr - REF_SLACK)
        c++;
    if (c < 2 || m - (c - 1) < params_whole(p, PARAM_MIN_KEEP))
        return false;
    struct ref_state fired = *s;
    fired.keep = malloc(s->n);
    memcpy(fired.keep, s->keep, s->n);
    for (size_t r = 0; r + 1 < c; r++)
        fired.keep[idx[r]] = 0;
    if (prob >= 1) {
        memcpy(s->keep, fired.keep, s->n);
        free(fired.keep);
        return false;
    }
    long double *a = malloc(s->n * sizeof *a);
    ref_run(s, p, i + 1, a);
    ref_run(&fired, p, i + 1, out);
    for (size_t k = 0; k < s->n; k++)
        out[k] = (1 - prob) * a[k] + prob * out[k];
    free(a);
    free(fired.keep);
    return true;
}

/* Runs the stages from `from` on; out gets the final probabilities by file index. */
static void ref_run(struct ref_state *s, const struct params *p, int from, long double *out)
{
    size_t *idx = malloc(s->n * sizeof *idx);
    long double *q = malloc(s->n * sizeof *q);
    for (int i = from; i < p->chain.n; i++) {
        enum sampler_id id = (enum sampler_id)p->chain.stage[i];
        if (id == SAMPLER_XTC) {
            if (ref_xtc(s, p, i, idx, q, out)) {
                free(idx);
                free(q);
                return;
            }
            continue;
        }
        if (id == SAMPLER_PENALTIES) {
            ref_penalties(s, p);
            continue;
        }
        if (id == SAMPLER_DRY) {
            ref_dry(s, p);
            continue;
        }
        size_t m = ref_ranked(s, idx);
        if (id == SAMPLER_TOP_K) {
            size_t k = params_whole(p, PARAM_TOP_K);
            if (k && k < m)
                ref_keep_first(s, idx, m, k);
            continue;
        }
        if (id == SAMPLER_TOP_N_SIGMA) {
            if (params_real(p, PARAM_TOP_N_SIGMA) > 0 && m > 1)
                ref_top_n_sigma(s, p, idx, m);
            continue;
        }
        if (s->greedy)
            continue; /* every probability rule keeps the first token at t -> 0 */
        ref_softmax(s, q);
        switch (id) {
        case SAMPLER_TEMPERATURE: {
            long double t = params_real(p, PARAM_TEMPERATURE);
            long double d = params_real(p, PARAM_DYNATEMP_RANGE);
            if (d > 0) {
                if (m <= 1)
                    break;
                long double lo = t - d > 0 ? t - d : 0, hi = t + d;
                long double norm = ref_entropy_nats(q, s->n) / logl((long double)m);
                norm = norm > 1 ? 1 : norm;
                t = lo + (hi - lo) * powl(norm, params_real(p, PARAM_DYNATEMP_EXP));
            }
            s->t = t;
            s->greedy = t == 0;
            break;
        }
        case SAMPLER_TOP_P: {
            long double target = params_real(p, PARAM_TOP_P), cum = 0;
            if (!(target < 1))
                break;
            size_t c = 0;
            while (c < m) {
                cum += q[idx[c++]];
                if (cum >= target - REF_SLACK)
                    break;
            }
            size_t mk = ref_min_keep(p, m);
            ref_keep_first(s, idx, m, c > mk ? c : mk);
            break;
        }
        case SAMPLER_MIN_P:
            if (params_real(p, PARAM_MIN_P) > 0)
                ref_keep_at_least(s, p, idx, m, q,
                                  (params_real(p, PARAM_MIN_P) - REF_SLACK) * q[idx[0]]);
            break;
        case SAMPLER_TYP_P:
            if (params_real(p, PARAM_TYPICAL_P) < 1 && m > 1)
                ref_typical(s, p, idx, m, q);
            break;
        case SAMPLER_EPSILON:
            if (params_real(p, PARAM_EPSILON) > 0)
                ref_keep_at_least(s, p, idx, m, q, params_real(p, PARAM_EPSILON) - REF_SLACK);
            break;
        case SAMPLER_ETA: {
            long double eta = params_real(p, PARAM_ETA);
            if (!(eta > 0))
                break;
            long double bar = sqrtl(eta) * expl(-ref_entropy_nats(q, s->n));
            ref_keep_at_least(s, p, idx, m, q, (bar < eta ? bar : eta) - REF_SLACK);
            break;
        }
        case SAMPLER_TOP_A: {
            long double a = params_real(p, PARAM_TOP_A);
            if (a > 0)
                ref_keep_at_least(s, p, idx, m, q, (a - REF_SLACK) * q[idx[0]] * q[idx[0]]);
            break;
        }
        case SAMPLER_MIROSTAT: ref_mirostat(s, p, idx, m, q); break;
        default: break;
        }
    }
    size_t m = ref_ranked(s, idx);
    if (s->greedy)
        ref_keep_first(s, idx, m, 1);
    if (s->greedy)
        s->t = 1;
    ref_softmax(s, out);
    free(idx);
    free(q);
}

/* The chain's distribution by file index, and its entropy in bits; h (may be NULL) and the
 * tokens' names (may be NULL) for the samplers that need history. */
static void ref_chain_history(const double *l, size_t n, const struct params *p,
                              const struct history *hist, const char *const *names,
                              double *prob, long double *entropy_bits)
{
    double *lw = malloc(n * sizeof *lw);
    memcpy(lw, l, n * sizeof *lw);
    struct ref_state s = {lw, n, malloc(n), 1, false, hist && hist->n ? hist : NULL, names,
                          hist && !isnan(hist->mirostat_mu)
                              ? hist->mirostat_mu
                              : 2.0L * params_real(p, PARAM_MIROSTAT_ENT)};
    long double *q = malloc(n * sizeof *q);
    for (size_t i = 0; i < n; i++)
        s.keep[i] = !isinf(l[i]);
    ref_run(&s, p, 0, q);
    long double h = 0;
    for (size_t i = 0; i < n; i++) {
        prob[i] = (double)q[i];
        h -= q[i] > 0 ? q[i] * log2l(q[i]) : 0;
    }
    *entropy_bits = h;
    free(s.keep);
    free(q);
    free(lw);
}


#endif
