/* engine_internal.h: the blocked prefix sums shared by the pipeline and the draws. Weights are
 * kept by rank with per-block sums, so a cumulative mass, a top-p cut or a CDF walk costs
 * O(V/64 + 64) instead of a serial pass over the whole vocabulary. */
#ifndef LOGITSCOPE_ENGINE_INTERNAL_H
#define LOGITSCOPE_ENGINE_INTERNAL_H

#include <stddef.h>

#define ENGINE_BLOCK 64
#define ENGINE_ALIAS_MAX 4096 /* alias tables for up to this many kept tokens */
#define ENGINE_DRAW_CHUNK ((size_t)1 << 20) /* sorted uniforms are made this many at a time */

/* One weight vector over a rank prefix, with its block sums. The cumulative mass of the
 * first m ranks is defined as: the block sums of the whole blocks below m, added in order,
 * plus the ranks of the last partial block added one by one. Every cut, every cumulative
 * number and every draw uses exactly this definition, so they agree to the last bit. */
struct weights {
    double *w;
    double *blk;
    size_t len;
};

double weights_cum(const struct weights *ws, size_t m);

#endif
