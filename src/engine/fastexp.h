/* fastexp.h: the engine's one exponent pass. A vectorisable exp for y <= 0 whose bits are the
 * same on every x86-64 (no FMA, fixed operation order), so a seed gives the same counts
 * everywhere; it is within 2 ulp of libm's exp. */
#ifndef LOGITSCOPE_FASTEXP_H
#define LOGITSCOPE_FASTEXP_H

#include <stddef.h>

/* Below this y = (l - l_max) / T the result is subnormal and the scalar libm path runs;
 * below FASTEXP_ZERO it is exactly 0. */
#define FASTEXP_NORMAL_MIN (-708.0)
#define FASTEXP_ZERO (-745.2)

/* out[i] = exp((x[i] - x0) / t) for i < n, where every (x[i] - x0) / t lies in
 * [FASTEXP_NORMAL_MIN, 0]. out must not alias x. */
void fastexp_shifted(const double *x, double x0, double t, double *out, size_t n);

/* fastexp_shifted() over `blocks` whole blocks of `block` ranks (a multiple of 8), filling
 * blk[b] with each block's sum in the pipeline's fixed 8-lane order. */
void fastexp_blocks(const double *x, double x0, double t, double *out, size_t blocks,
                    size_t block, double *blk);

#endif
