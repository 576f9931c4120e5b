/* fastexp.h: the engine's exponent. A vectorisable exp for y <= 0 whose bits are the same on
 * every x86-64 and in every clone (no FMA, fixed operation order), so a seed gives the same
 * counts everywhere; it is within 2 ulp of libm's exp. The scalar kernel is inline, so that
 * a weight computed alone has exactly the bits the vector passes give it. */
#ifndef LOGITSCOPE_FASTEXP_H
#define LOGITSCOPE_FASTEXP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Below this y = (l - l_max) / T the result is subnormal and the scalar libm path runs;
 * below FASTEXP_ZERO it is exactly 0. */
#define FASTEXP_NORMAL_MIN (-708.0)
#define FASTEXP_ZERO (-745.2)

/* exp(y) for y in [FASTEXP_NORMAL_MIN, 0]: 2^n * e^r, n = round(y / ln2), |r| <= ln2/2, e^r
 * by its Taylor series to r^13 (truncation error below 1e-17 relative). The shift constant
 * rounds y/ln2 to an integer and leaves n in the low mantissa bits, from which 2^n is built
 * directly. */
static inline double fastexp_kernel(double y)
{
    const double log2e = 0x1.71547652b82fep0;
    const double shift = 0x1.8p52;
    const double ln2_hi = 0x1.62e42fee00000p-1; /* trailing zeros: n * ln2_hi is exact */
    const double ln2_lo = 0x1.a39ef35793c76p-33;
    double kd = y * log2e + shift;
    uint64_t ki;
    memcpy(&ki, &kd, sizeof ki);
    kd -= shift;
    double r = (y - kd * ln2_hi) - kd * ln2_lo;
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    uint64_t sbits = (ki + 1023u) << 52;
    double scale;
    memcpy(&scale, &sbits, sizeof scale);
    return p * scale;
}

/* out[i] = exp((x[i] - x0) / t) for i < n, where every (x[i] - x0) / t lies in
 * [FASTEXP_NORMAL_MIN, 0]. out must not alias x. */
void fastexp_shifted(const double *x, double x0, double t, double *out, size_t n);

/* Over `blocks` whole blocks of `block` ranks (a multiple of 8, at most 64), all in the
 * normal range, with y = (x - x0) / t: blk[b] = sum of exp(y) and blk_wy[b] = sum of
 * exp(y) * y, each in the pipeline's fixed 8-lane order. The weights are not stored. */
void fastexp_block_sums(const double *x, double x0, double t, size_t blocks, size_t block,
                        double *blk, double *blk_wy);

/* The 8-lane sum every block sum uses: w[i] goes to lane i & 7, the lanes are combined as
 * ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)). */
static inline double fastexp_lane_sum(const double *w, size_t n)
{
    double a[8] = {0};
    for (size_t i = 0; i < n; i++)
        a[i & 7] += w[i];
    return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

#endif
