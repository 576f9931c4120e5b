/* fastexp.c: exp over a sorted run of logits, written so GCC vectorises it (cloned, see
 * ENGINE_CLONES: every clone returns the same bits). */
#include "fastexp.h"

#include "engine_internal.h"

ENGINE_CLONES
void fastexp_shifted(const double *restrict x, double x0, double t, double *restrict out,
                     size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = fastexp_kernel((x[i] - x0) / t);
}

/* Each block's weights live in a 64-entry scratch that stays in L1: memory sees only the
 * logits going in and two sums per block coming out. */
ENGINE_CLONES
void fastexp_block_sums(const double *restrict x, double x0, double t, size_t blocks,
                        size_t block, double *restrict blk, double *restrict blk_wy)
{
    double w[64], wy[64];
    for (size_t b = 0; b < blocks; b++) {
        const double *xb = x + b * block;
        for (size_t i = 0; i < block; i++) {
            double y = (xb[i] - x0) / t;
            w[i] = fastexp_kernel(y);
            wy[i] = w[i] * y;
        }
        blk[b] = fastexp_lane_sum(w, block);
        blk_wy[b] = fastexp_lane_sum(wy, block);
    }
}
