/* engine_internal.h: the blocked weights shared by the pipeline and the draws (weights.c).
 * Weights are never stored one by one: each block of 64 ranks has its sum, and any single
 * weight is recomputed on demand with the very kernel the block pass uses. */
#ifndef LOGITSCOPE_ENGINE_INTERNAL_H
#define LOGITSCOPE_ENGINE_INTERNAL_H

#include <stddef.h>

#include "logitscope/engine.h"

#define ENGINE_BLOCK 64
#define ENGINE_ALIAS_MAX 4096 /* alias tables for up to this many kept tokens */
#define ENGINE_DRAW_CHUNK ((size_t)1 << 20) /* sorted uniforms are made this many at a time */
#define ENGINE_REJECT_MAX 32 /* draws in a block up to which they are placed by rejection */
/* A block's power sums: its centre c, its half-width h, then sum ((x - c) / h)^k / k! for
 * k = 1..11. Eleven terms carry the series to h / T = 0.17; a wider block is summed exactly. */
#define ENGINE_MOMENTS 11
#define ENGINE_MOMENT_STRIDE (ENGINE_MOMENTS + 2)

/* Hot loops are cloned for AVX-512 and AVX2 with a portable default; with FP contraction off
 * every clone does the same IEEE operations in the same order, so the bits never differ. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define ENGINE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ENGINE_CLONES
#endif

/* Fills moments[b * ENGINE_MOMENT_STRIDE ...] for the whole blocks b < blocks of the sorted
 * logits x (vocab_sort calls it once per vocabulary). */
void weights_moments(const double *x, size_t blocks, double *moments);

/* The series' convergence table: the widest h / T that k terms cover (tests check it). */
double weights_moment_rho(int k);

/* Buffers for a weight set over vocabularies of up to cap finite tokens. */
int weights_alloc(struct weights *ws, size_t cap);
void weights_release(struct weights *ws);
/* Points ws at v's sorted logits (ranks [0, v->n_finite)); it holds no sums until begun. */
void weights_bind(struct weights *ws, const struct vocab *v);

/* Starts the weights of temperature t relative to rank lo (x0 = x[lo]): the subnormal
 * bounds and the ranks of lo's block from lo on (the head), summed one by one. */
void weights_begin(struct weights *ws, double t, size_t lo);
/* Sums the whole blocks up to rank len (at most n); what is summed already is kept. */
void weights_extend(struct weights *ws, size_t len);
/* begin at rank 0, extend to len: the prefix case, for the tests. */
void weights_compute(struct weights *ws, double t, size_t len);

/* The weight of rank r (lo <= r < n), exactly as the block pass computed it. */
double weights_at(const struct weights *ws, size_t r);

/* out[r - lo] = weights_at(ws, r) for r in [lo, hi), hi <= ws->n. */
void weights_range(const struct weights *ws, size_t lo, size_t hi, double *out);

/* The mass of ranks [ws->lo, m) (m <= ws->len) is defined as: in the head, its ranks added
 * one by one; past it, the block sums of the whole blocks below m added in order (ws->pre)
 * plus the ranks of the last partial block added one by one. Every cut, every cumulative
 * number and every draw uses exactly this definition, so they agree to the last bit. */
double weights_cum(const struct weights *ws, size_t m);

/* Sum of w * y, y = (x - x0) / t, over ranks [ws->lo, m): whole blocks in order, then the
 * partial block in eight lanes. The entropy's second term. */
double weights_wy(const struct weights *ws, size_t m);

/* The entropy (nats) of the distribution the weights give ranks [ws->lo, m): ln S - sum(w y)
 * / S, never below 0. */
double weights_entropy(const struct weights *ws, size_t m);

/* The first whole block b in [first, blocks) whose end reaches the target,
 * pre[b + 1] / div >= target (or `blocks`): a binary search that finds what a scan would. */
size_t weights_block_reaching(const struct weights *ws, size_t first, size_t blocks,
                              double div, double target);
/* The first whole block of the range: blocks before it are not summed. */
size_t weights_first_block(const struct weights *ws);

/* One way through the chain while it runs: the range, the temperature, and the weights of
 * (t, lo) once a stage asks for them. The kernels (stages.c) move lo, hi and t. */
struct chain_run {
    struct dist *d;
    const struct params *p;
    struct dist_branch *br;
    size_t lo, hi;
    double t;            /* 1 until the temperature stage */
    bool greedy;         /* T = 0 picked: the range becomes its first rank when the chain ends */
    struct weights *ws;  /* NULL until a stage needs weights */
    size_t xtc_lo;       /* the XTC kernel's answer: where the fired branch starts (0: none) */
    const struct history *h; /* NULL: none */
    bool settled;        /* d->vocab holds every logit changed so far */
    bool failed;         /* no memory for the changed vocabulary: changes are dropped */
};

/* vocab.c: v holds base's tokens with the logits of m of them changed (`changed`; mark[i]
 * is nonzero for exactly those); fills v's order, sorted, n_finite and moments as vocab_sort
 * would, by sorting only the changed tokens and merging them into base's order: O(V) with
 * no full sort. idx and x are scratch for m entries; it allocates only when m is large. */
int vocab_sort_changed(struct vocab *v, const struct vocab *base, const uint32_t *changed,
                       size_t m, const uint32_t *mark, uint32_t *idx, double *x);

/* history.c: penalties and DRY write the logits they change into a list (file index, new
 * value), whatever the vocabulary the dist shows; history_settle() makes d->vocab the source
 * with those changes, re-sorted, reusing the last copy when the list is the same. The
 * runner settles before every stage that reads weights. */
void history_begin(struct dist *d);
void history_penalties(struct chain_run *s);
void history_dry(struct chain_run *s);
void history_settle(struct chain_run *s);
void history_forget(struct dist *d); /* the copy no longer matches the source */
void history_free(struct dist *d);
/* Eta's probability bar for an input of entropy h (nats): min(eta, sqrt(eta) e^-h). */
double stage_eta_bar(double eta, double h);

typedef void (*stage_fn)(struct chain_run *s);
stage_fn stage_kernel(enum sampler_id id);

/* The weights of (t, lo), begun (single weights only) or summed up to hi. */
struct weights *run_weights(struct chain_run *s);
struct weights *run_blocks(struct chain_run *s);
double run_total(struct chain_run *s);   /* the mass of [lo, hi) */
double run_entropy(struct chain_run *s); /* in nats, of softmax(x / t) over [lo, hi) */
double run_sd(struct chain_run *s);      /* population standard deviation of x over it */

#endif
