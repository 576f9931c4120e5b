/* npy.h: the .npy header parser and decoder of load_npy.c, shared with the 2-D sequence
 * loader (seq_npy.c) so that one parser reads every .npy file (not installed). */
#ifndef LOGITSCOPE_NPY_H
#define LOGITSCOPE_NPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logitscope/error.h"
#include "logitscope/vocab.h"

#define NPY_MAX_RANK 32

/* What the header's dictionary says, and where the data starts. */
struct npy_header {
    char descr[32];
    size_t rank;
    uint64_t dims[NPY_MAX_RANK];
    bool fortran;
    bool have_descr, have_fortran, have_shape;
    size_t data_off; /* set by npy_header_parse: preamble + header length */
};

/* Reads the preamble and header of a .npy image held in memory (d[0..size)). Errors name
 * `path` as the file loader's do ("PATH: not a .npy file (bad magic)"). */
int npy_header_parse(const char *path, const unsigned char *d, size_t size,
                     struct npy_header *h, struct ls_error *err);

/* Element size of a float dtype this program reads ('<f4', '<f8'), else an error saying why. */
int npy_float_itemsize(const char *path, const char *descr, size_t *itemsize,
                       struct ls_error *err);

/* "(2, 5)" / "(7,)" / "()" as numpy prints shapes. */
const char *npy_shape_string(const struct npy_header *h, char *buf, size_t cap);

/* n little-endian floats of itemsize 4 or 8 at p (any alignment) to doubles. */
void npy_decode(const unsigned char *p, size_t n, size_t itemsize, double *out);

/* Token names for v->n logits of data_path from a one-per-line list (TSV escapes). */
int npy_load_names(struct vocab *v, const char *data_path, const char *names_path,
                   struct ls_error *err);

#endif
