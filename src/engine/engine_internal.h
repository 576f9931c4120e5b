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

/* ws->x, ws->moments and the buffers set: computes the block sums of exp((x - x[0]) / t)
 * over ranks [0, len). */
void weights_compute(struct weights *ws, double t, size_t len);

/* The weight of rank r (< ws->len), exactly as the block pass computed it. */
double weights_at(const struct weights *ws, size_t r);

/* out[r - lo] = weights_at(ws, r) for r in [lo, hi), hi <= ws->len. */
void weights_range(const struct weights *ws, size_t lo, size_t hi, double *out);

/* The cumulative mass of the first m ranks is defined as: the block sums of the whole blocks
 * below m, added in order (ws->pre), plus the ranks of the last partial block added one by
 * one. Every cut, every cumulative number and every draw uses exactly this definition, so
 * they agree to the last bit. */
double weights_cum(const struct weights *ws, size_t m);

/* Sum of w * y, y = (x - x0) / t, over the first m ranks: whole blocks in order, then the
 * partial block in eight lanes. The entropy's second term. */
double weights_wy(const struct weights *ws, size_t m);

/* The first whole block b < `blocks` whose end reaches the target, pre[b + 1] / div >= target
 * (or `blocks`): a binary search that finds what a scan of the block sums would. */
size_t weights_block_reaching(const struct weights *ws, size_t blocks, double div,
                              double target);

#endif
