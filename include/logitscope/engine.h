/* engine.h: the sampling chain. One call, engine_apply(), turns a vocabulary and a set of
 * parameters (with their chain) into a distribution; engine_draw() samples it. Batch mode and
 * the explorer both call exactly these, so a number on screen and a number in a CSV can never
 * disagree. All work is in rank space (see vocab.h): every sampler keeps a contiguous range
 * of ranks, so a cut is a search, not a sort. The samplers that need history (penalties,
 * DRY, mirostat) get it from engine_apply_history(): penalties and DRY change a few logits,
 * so the dist then ranks a re-sorted copy of the vocabulary (dist.vocab). */
#ifndef LOGITSCOPE_ENGINE_H
#define LOGITSCOPE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logitscope/error.h"
#include "logitscope/sampler.h"
#include "logitscope/vocab.h"

#define ENGINE_DEFAULT_SEED 20240607u /* documented in the README */
#define ENGINE_DEFAULT_SAMPLES 10000u
#define ENGINE_MAX_SAMPLES 100000000u
#define ENGINE_WEIGHT_SLOTS 8 /* weight sets kept per dist: enough for one whole chain */

/* Why a rank is not kept: a sampler (CUT_BY_SAMPLER + its id), or one of the two below. */
enum cut {
    CUT_NONE = 0,
    CUT_BY_SAMPLER = 1,
    CUT_GREEDY = CUT_BY_SAMPLER + SAMPLER_COUNT, /* T = 0: everything but the first rank */
    CUT_NEG_INF,                                 /* a -inf logit is never chosen */
};

/* Private to the engine: the weights w_r = exp((x_r - x_lo) / t) over ranks [lo, n), kept as
 * sums per block of 64 ranks (weights.c); a single weight is recomputed when asked for.
 * Blocks are numbered from rank 0; the ranks of lo's block from lo on are summed one by one. */
struct weights {
    const double *x;         /* logits by rank (vocab->sorted) */
    const double *moments;   /* the vocabulary's block power sums */
    double x0, t;            /* x0 = x[lo] */
    size_t lo, n;            /* first rank, ranks there are (n_finite) */
    size_t head_end;         /* ranks [lo, head_end) are summed one by one */
    size_t len;              /* blocks are summed up to rank len (whole blocks only) */
    size_t normal_end, nonzero_end;
    double *blk;             /* whole block b: sum of w */
    double *blk_wy;          /* whole block b: sum of w y, y = (x - x0) / t */
    double *pre;             /* pre[b] = the mass of ranks [lo, 64 b), added in order */
    double *pre_wy;          /* the same for w y */
    unsigned long stamp;     /* engine_apply call that last used it (the cache's clock) */
    bool valid;
};

/* What one stage of the chain left: its range of ranks and the temperature after it. */
struct dist_stage {
    size_t lo, hi;
    double t; /* 0 after a greedy temperature */
};

/* One way through the chain. There are two when XTC fires with a probability strictly
 * between 0 and 1 and removes something: br[0] is "did not fire", br[1] "fired"; the
 * distribution is their mixture, share[0] + share[1] = 1. */
struct dist_branch {
    double share;
    size_t lo, hi;           /* kept ranks */
    double t;                /* final temperature; 0 = greedy */
    double total;            /* sum of the weights over [lo, hi) */
    struct weights *ws;      /* the final weights (t, or 1 when greedy; relative to lo) */
    struct dist_stage after[SAMPLER_COUNT]; /* per chain stage */
    double entropy_in;       /* entropy (nats) the temperature stage saw: dynatemp's input */
};

struct dist_history; /* private: the workspace of penalties and DRY, made on first use */

/* A distribution over one vocabulary. Buffers are allocated once by dist_init() and reused
 * by every engine_apply(): no allocation per keystroke. Fields are read-only for callers. */
struct dist {
    /* What the ranks index: the vocabulary bound (source), or, when penalties or DRY
     * changed logits, a copy with those logits, sorted again (its token text is source's). */
    const struct vocab *vocab;
    const struct vocab *source; /* the vocabulary bound by dist_init / dist_bind */
    struct params params;    /* what it was computed with */
    int n_branch;            /* 1 or 2 */
    struct dist_branch br[2];
    size_t kept;             /* tokens kept in either branch */
    size_t first_kept, last_kept; /* the lowest and highest kept ranks */
    size_t top_rank;         /* the most probable kept rank */
    double top_prob;
    double entropy_bits;     /* of the final distribution */
    double perplexity;       /* 2^entropy_bits */
    /* Draws (engine_draw): counts by rank. */
    uint32_t *counts;
    size_t samples;
    uint64_t seed;
    /* private workspace */
    size_t cap;              /* finite tokens the buffers hold */
    struct weights slot[ENGINE_WEIGHT_SLOTS];
    unsigned long clock;
    double sd_value;         /* top-n-sigma's standard deviation, cached by range */
    size_t sd_lo, sd_hi;
    bool sd_valid;
    double *draw_u;
    uint32_t *draw_tmp;
    size_t draw_cap;
    double *alias_prob;
    uint32_t *alias_idx;
    double mirostat_mu;      /* the mu mirostat cut with; NaN when it is not in the chain */
    struct dist_history *hist;
};

/* The tokens chosen before this position, oldest first: what penalties and DRY look at, and
 * mirostat's state. A token is its file index in the vocabulary the dist is bound to, or
 * HISTORY_ABSENT when that vocabulary lacks it (a sequence's position lists only some
 * candidates): such a token is never penalised, but DRY still matches it, by its text. */
#define HISTORY_ABSENT UINT32_MAX
struct history {
    const uint32_t *tokens;
    size_t n;
    /* Each token's bytes, for DRY's sequence breakers and to tell absent tokens apart; may be
     * NULL, and then a token in the vocabulary has its text there, an absent one none (it
     * equals no other token). */
    const char *const *text;
    const size_t *text_len;
    double mirostat_mu;      /* mirostat's mu before this position; NaN: its start, 2 tau */
};

/* A history read from text (sweep --history): tokens separated by spaces, each written with
 * the TSV escapes (\t \n \\ \xHH; \x20 is a space inside a token, "#12" is token 12 of a
 * vocabulary without names), found in v by their text; a token v lacks is HISTORY_ABSENT
 * and keeps its text. out->h is ready for engine_apply_history and owns its arrays. -1 with
 * err on a bad escape or no memory. */
struct history_text {
    struct history h;
    uint32_t *tokens;
    const char **text;
    size_t *len;
    char *bytes;
};
int history_parse(struct history_text *out, const struct vocab *v, const char *s,
                  struct ls_error *err);
/* The file index of the token spelled t[0..len) in v (the first, when several are), or
 * HISTORY_ABSENT; "#12" finds token 12 of a vocabulary without names. O(V). */
uint32_t history_find(const struct vocab *v, const char *t, size_t len);
void history_text_free(struct history_text *t);

/* engine_apply with the history h (NULL: none, and mirostat starts at 2 tau). Penalties and
 * DRY build the changed copy of the vocabulary the first time they change something, and
 * again only when what they change differs: moving another slider costs what it costs
 * without history. -1 when there is no memory for that copy: the dist is then computed as if
 * penalties and DRY were off. */
int engine_apply_history(struct dist *d, const struct params *p, const struct history *h);

/* Mirostat's mu at the start of a text: 2 tau, as llama.cpp starts it. */
double mirostat_start(const struct params *p);
/* The mu for the next position, once the token at rank r of d was chosen: mu - eta (s -
 * tau), s = -log2 of its probability in d (the distribution it was drawn from). Unchanged
 * when mirostat is off, or when d cut that token (it was not drawn from d: a file's own
 * choice). NaN when mirostat is not in d's chain. */
double mirostat_update(const struct dist *d, size_t r);

int dist_init(struct dist *d, const struct vocab *v);
/* Room for vocabularies of up to cap finite tokens, bound to v (cap >= v->n_finite). */
int dist_init_cap(struct dist *d, const struct vocab *v, size_t cap);
/* Binds another vocabulary without allocating: v->n_finite <= the capacity. -1 otherwise. */
int dist_bind(struct dist *d, const struct vocab *v);
void dist_free(struct dist *d);

/* Runs the chain. p must have passed params_check(). Draws are not touched (counts are
 * cleared: samples = 0). */
void engine_apply(struct dist *d, const struct params *p);

/* Forgets the cached weights, so that the next engine_apply() does every exponent pass
 * (benchmarks time the worst case with it). */
void dist_invalidate(struct dist *d);

/* n draws from the distribution with a seeded generator (xoshiro256** seeded by splitmix64):
 * the same seed gives the same counts on every run and machine. With two branches the draws
 * are the mixture's: as if each flipped the seeded XTC coin, then drew in its branch. */
int engine_draw(struct dist *d, size_t n, uint64_t seed);

/* Probability of rank r: exactly 0 for a cut rank. */
double dist_prob_rank(const struct dist *d, size_t r);
/* The probability rank r has in one branch alone (0 outside it). */
double dist_branch_prob(const struct dist *d, int b, size_t r);
bool dist_is_kept(const struct dist *d, size_t r);
/* Draws that landed on rank r. */
static inline uint32_t dist_count_rank(const struct dist *d, size_t r)
{
    return d->samples && dist_is_kept(d, r) ? d->counts[r] : 0;
}
/* What removed rank r (CUT_NONE when kept). With two branches, a rank cut in both is named
 * by the branch where XTC did not fire. */
enum cut dist_cut(const struct dist *d, size_t r);
/* XTC removes rank r when it fires, but r is kept when it does not. */
bool dist_xtc_removes(const struct dist *d, size_t r);
/* Cumulative probability of ranks [0, r] of the final distribution. */
double dist_cum(const struct dist *d, size_t r);
/* The chain stage that owns sampler s in this dist, or -1. */
int dist_stage_of(const struct dist *d, enum sampler_id s);

/* The chain stage whose range first left rank r out, in the branch where XTC did not fire
 * (the stage dist_cut() names), or -1: r is kept, or only T = 0 or a -inf logit removed it. */
int dist_cut_stage(const struct dist *d, size_t r);
/* Rank r's logit (-inf past the finite ones). */
double dist_logit(const struct dist *d, size_t r);
/* Rank r's logit over the chain's final temperature (the branch where XTC did not fire;
 * dynatemp's pick when it is on): what the last softmax is taken of. NaN at T = 0. */
double dist_scaled_logit(const struct dist *d, size_t r);

/* "", a sampler's label ("top-k", "typical", "xtc", ...), "T=0" or "-inf". */
const char *cut_name(enum cut c);
static inline enum cut cut_by(enum sampler_id s)
{
    return (enum cut)(CUT_BY_SAMPLER + (int)s);
}

/* What each stage of the chain was given: the distribution over the ranks [lo, hi) that the
 * stages before it left, at the temperature in force there (1 before the temperature stage),
 * in the branch where XTC did not fire. Its probabilities are what a stage compared and
 * took away (the explorer's ghosts of cut tokens), its cumulative masses what top-p added up
 * (to the same bits as the cut), and a threshold sampler's bar is a probability in it. */
struct stage_input {
    bool known;       /* computed: the stage cut something, or it is on and measures */
    bool greedy;      /* T = 0 came before it: all of the mass is on rank lo */
    size_t lo, hi;
    double t;
    double total;     /* the sum of its weights exp((x - x[lo]) / t) over [lo, hi) */
    double threshold; /* the probability the stage compares with (min-p: min_p p_max, epsilon,
                       * eta's bar, top-a: a p_max^2, XTC's threshold), NaN for the others and
                       * when the stage does nothing */
    int set;          /* its weights: sets[set], -1 when greedy */
};

#define STAGE_INPUT_SETS 4 /* distinct (t, lo): the start, after T, after typical, after XTC */

struct stage_inputs {
    int n;            /* the chain's stages, when computed */
    struct stage_input in[SAMPLER_COUNT];
    struct weights sets[STAGE_INPUT_SETS];
    size_t cap;
};

/* Buffers for vocabularies of up to cap finite tokens, allocated once. -1: no memory. */
int stage_inputs_init(struct stage_inputs *s, size_t cap);
void stage_inputs_free(struct stage_inputs *s);
/* Fills s from d, which engine_apply() computed: every stage that cut something or that is
 * on and has a bar or a running total to show (top-p, min-p, epsilon, eta, top-a, XTC). -1
 * when d's vocabulary is larger than the capacity (then nothing is known). */
int engine_stage_inputs(struct stage_inputs *s, const struct dist *d);
/* Rank r's probability in what stage i was given: 0 outside its range; NaN when unknown. */
double stage_input_prob(const struct stage_inputs *s, int i, size_t r);
/* The mass of ranks [lo, r] in it (1 from its last rank on); NaN when unknown. */
double stage_input_cum(const struct stage_inputs *s, int i, size_t r);
/* Stage i's bar (NaN: none, or unknown). */
double stage_input_threshold(const struct stage_inputs *s, int i);

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
/* One draw: a kept rank. With two branches the coin comes first, from the same generator. */
size_t engine_draw_one(const struct dist *d, struct rng *g);

#endif
