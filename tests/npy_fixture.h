/* npy_fixture.h: .npy files built byte by byte, as numpy writes them, so the loaders' tests can
 * bend any part of the header; they go to tmpfile_fixture.h's directory. Header-only. */
#ifndef LOGITSCOPE_NPY_FIXTURE_H
#define LOGITSCOPE_NPY_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpfile_fixture.h"

/* A .npy of format version major (1 to 3) with the header dict as given: preamble, dict padded
 * with spaces to a multiple of 64 ending in '\n', then the data bytes; returns its path. */
static inline const char *npy_write_dict(const char *name, int major, const char *dict,
                                         const void *data, size_t len)
{
    size_t pre = major == 1 ? 10 : 12, dl = strlen(dict);
    size_t hl = ((pre + dl + 1 + 63) / 64) * 64 - pre;
    unsigned char *buf = calloc(1, pre + hl + len + 1);

    if (!buf) {
        printf("Bail out! out of memory\n");
        exit(1);
    }
    memcpy(buf, "\x93NUMPY", 6);
    buf[6] = (unsigned char)major;
    buf[7] = 0;
    for (size_t i = 0; i < pre - 8; i++)
        buf[8 + i] = (unsigned char)(hl >> (8 * i));
    memset(buf + pre, ' ', hl);
    memcpy(buf + pre, dict, dl);
    buf[pre + hl - 1] = '\n';
    if (len)
        memcpy(buf + pre + hl, data, len);
    const char *p = tmp_write(name, buf, pre + hl + len);
    free(buf);
    return p;
}

/* A version 1.0 .npy of dtype descr ("<f4") and shape ("(2, 5)"), in C order. */
static inline const char *npy_write(const char *name, const char *descr, const char *shape,
                                    const void *data, size_t len)
{
    char dict[256];

    snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
             descr, shape);
    return npy_write_dict(name, 1, dict, data, len);
}

/* Little-endian bytes of n doubles as float32 (f32) or float64; the caller frees them. */
static inline unsigned char *npy_le_bytes(const double *x, size_t n, int f32)
{
    size_t w = f32 ? 4 : 8;
    unsigned char *b = malloc(n * w + 1);

    if (!b) {
        printf("Bail out! out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t u;
        if (f32) {
            float f = (float)x[i];
            uint32_t u32;
            memcpy(&u32, &f, 4);
            u = u32;
        } else {
            memcpy(&u, &x[i], 8);
        }
        for (size_t k = 0; k < w; k++)
            b[i * w + k] = (unsigned char)(u >> (8 * k));
    }
    return b;
}

#endif
