/* engine.h: the sampling pipeline. One call, engine_apply(), turns a vocabulary and a set of
 * parameters into a distribution; engine_draw() samples it. Batch mode and the explorer both
 * call exactly these, so a number on screen and a number in a CSV can never disagree.
 * All work is in rank space (see vocab.h): every filter is a prefix of the rank order. */
#ifndef LOGITSCOPE_ENGINE_H
#define LOGITSCOPE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logitscope/error.h"
#include "logitscope/vocab.h"

#define ENGINE_DEFAULT_SEED 20240607u /* documented in the README */
#define ENGINE_DEFAULT_SAMPLES 10000u
#define ENGINE_MAX_SAMPLES 100000000u
#define ENGINE_TOP_P_SLACK 1e-12      /* top-p keeps the prefix with cum >= p - slack */
#define ENGINE_MIN_P_SLACK 1e-12      /* min-p keeps p_i >= (min_p - slack) * p_max */

enum order {
    ORDER_HF = 0,   /* temperature, then top-k, top-p, min-p (Hugging Face) */
    ORDER_LLAMA,    /* top-k, top-p, min-p on T = 1, then temperature (llama.cpp) */
};

struct params {
    double temperature; /* >= 0; 0 = greedy */
    size_t top_k;       /* 0 = off */
    double top_p;       /* (0, 1]; 1 = off */
    double min_p;       /* [0, 1]; 0 = off; keeps p_i >= (min_p - 1e-12) p_max, so that a token
                         * exactly on the boundary survives the rounding of log-probabilities */
    enum order order;
};

/* Why a rank is not kept. */
enum cut {
    CUT_NONE = 0,
    CUT_TOP_K,
    CUT_TOP_P,
    CUT_MIN_P,
    CUT_GREEDY,   /* T = 0: everything but the first maximum */
    CUT_NEG_INF,  /* a -inf logit is never chosen */
};

/* Private to the engine: the weights w_r = exp((x_r - x0) / t) over ranks [0, len), kept
 * as sums per block of 64 ranks (weights.c); a single weight is recomputed when asked for. */
struct weights {
    const double *x;         /* logits by rank (vocab->sorted) */
    const double *moments;   /* the vocabulary's block power sums */
    double x0, t;
    size_t len, normal_end, nonzero_end;
    double *blk;             /* whole block b: sum of w */
    double *blk_wy;          /* whole block b: sum of w y, y = (x - x0) / t */
    double *pre;             /* pre[b] = blk[0] + ... + blk[b - 1], added in order */
};

/* A distribution over one vocabulary. Buffers are allocated once by dist_init() and reused
 * by every engine_apply(): no allocation per keystroke. Fields are read-only for callers. */
struct dist {
    const struct vocab *vocab;
    struct params params;    /* what it was computed with */
    /* Prefix lengths in rank order, each <= the one before:
     * n_finite >= k_end >= p_end >= minp_end >= kept >= 1 (kept < minp_end only when T = 0).
     * Ranks >= kept have probability exactly 0; dist_cut() says which step removed them. */
    size_t k_end, p_end, minp_end, kept;
    double total;            /* sum of the weights over the kept prefix (rank 0's is 1) */
    double entropy_bits;     /* of the final distribution */
    double perplexity;       /* 2^entropy_bits */
    double top_prob;         /* probability of rank 0 */
    /* Draws (engine_draw): counts by rank, r < kept. */
    uint32_t *counts;
    size_t samples;
    uint64_t seed;
    /* private workspace */
    struct weights fin;      /* the final weights, at the temperature */
    struct weights one;      /* llama order: T = 1 over every finite rank, computed once */
    bool one_ready;
    /* fin's block sums are those of fin.t over fin.len ranks while cache_valid: a top-p,
     * top-k or min-p step at the same temperature reuses them */
    bool cache_valid;
    double *draw_u;
    uint32_t *draw_tmp;
    size_t draw_cap;
    double *alias_prob;
    uint32_t *alias_idx;
};

/* Checks every field; on error fills err with e.g. "top-p must be in (0, 1], got 1.5". */
int params_check(const struct params *p, struct ls_error *err);
struct params params_default(void); /* T = 1, everything off, hf */
const char *order_name(enum order o); /* "hf" / "llama" */
int order_parse(const char *s, enum order *out);
const char *cut_name(enum cut c);     /* "", "top-k", "top-p", "min-p", "T=0", "-inf" */

int dist_init(struct dist *d, const struct vocab *v);
void dist_free(struct dist *d);

/* Runs the pipeline. params must have passed params_check(). O(kept) after the vocabulary's
 * one-time sort; draws are not touched (counts are cleared: samples = 0). */
void engine_apply(struct dist *d, const struct params *p);

/* Forgets the cached weights, so that the next engine_apply() does the full exponent pass
 * (benchmarks time the worst case with it). */
void dist_invalidate(struct dist *d);

/* n draws from the distribution with a seeded generator (xoshiro256** seeded by splitmix64):
 * the same seed gives the same counts on every run and machine. */
int engine_draw(struct dist *d, size_t n, uint64_t seed);

/* Probability of rank r: exactly 0 for a cut rank. */
double dist_prob_rank(const struct dist *d, size_t r);
static inline uint32_t dist_count_rank(const struct dist *d, size_t r)
{
    return r < d->kept && d->samples ? d->counts[r] : 0;
}
enum cut dist_cut(const struct dist *d, size_t r);
/* Cumulative probability of ranks [0, r] of the final distribution. */
double dist_cum(const struct dist *d, size_t r);

/* Seeded generator, exposed for single draws (the explorer's Space key). */
struct rng {
    uint64_t s[4];
};
void rng_seed(struct rng *g, uint64_t seed);

/* Inline: the draws call it once a sample. */
static inline uint64_t rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *g)
{
    uint64_t *s = g->s;
    uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return result;
}

static inline double rng_uniform(struct rng *g) /* [0, 1), 53 bits */
{
    return (double)(rng_next(g) >> 11) * 0x1p-53;
}
/* One draw: a rank < d->kept. */
size_t engine_draw_one(const struct dist *d, struct rng *g);

#endif
