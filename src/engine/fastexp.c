/* fastexp.c: exp over a sorted run of logits, written so GCC vectorises it. Cloned for
 * AVX-512 and AVX2 with a portable default; with FP contraction off, every clone performs the
 * same IEEE operations in the same order and so returns the same bits. */
#include "fastexp.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define FASTEXP_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define FASTEXP_CLONES
#endif

/* exp(y) = 2^n * e^r, n = round(y / ln2), |r| <= ln2/2, e^r by its Taylor series to r^13
 * (truncation error below 1e-17 relative). The shift constant rounds y/ln2 to an integer
 * and leaves n in the low mantissa bits, from which 2^n is built directly. */
static inline double exp_kernel(double y)
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

FASTEXP_CLONES
void fastexp_shifted(const double *restrict x, double x0, double t, double *restrict out,
                     size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = exp_kernel((x[i] - x0) / t);
}

/* Sum of one block of ENGINE_BLOCK-like length `block` (a multiple of 8) in eight fixed
 * lanes: the lane order, not the vector width, fixes the bits. */
static inline double lane_sum(const double *w, size_t block)
{
    double a[8] = {0};
    for (size_t i = 0; i < block; i += 8) {
        a[0] += w[i];
        a[1] += w[i + 1];
        a[2] += w[i + 2];
        a[3] += w[i + 3];
        a[4] += w[i + 4];
        a[5] += w[i + 5];
        a[6] += w[i + 6];
        a[7] += w[i + 7];
    }
    return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

/* The same exponent over whole blocks of `block` ranks, summing each block while it is in
 * L1: one pass over memory instead of two. */
FASTEXP_CLONES
void fastexp_blocks(const double *restrict x, double x0, double t, double *restrict out,
                    size_t blocks, size_t block, double *restrict blk)
{
    for (size_t b = 0; b < blocks; b++) {
        const double *xb = x + b * block;
        double *wb = out + b * block;
        for (size_t i = 0; i < block; i++)
            wb[i] = exp_kernel((xb[i] - x0) / t);
        blk[b] = lane_sum(wb, block);
    }
}
