/* load_npy.c: logits from a numpy .npy file (format versions 1.0, 2.0 and 3.0), 1-D,
 * little-endian float32 or float64, exactly as numpy.save writes them; token names from an
 * optional one-per-line list. The header is checked before any data is read, so a huge
 * file of the wrong shape is refused at once; the data is then one fread. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "loader.h"
#include "npy.h"
#include "textfile.h"
#include "vocab_build.h"
#include "logitscope/text.h"

#define NPY_MAX_HEADER ((size_t)1 << 20) /* numpy itself refuses more than 10000 */

/* A cursor over the header text, for the little parser below. */
struct npy_cursor {
    const char *s;
    size_t n, i;
    const char *what; /* set on the first error */
};

static void npy_skip_space(struct npy_cursor *c)
{
    while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\n' ||
                           c->s[c->i] == '\r'))
        c->i++;
}

/* Consumes ch after optional space, or records what was expected. */
static bool npy_expect(struct npy_cursor *c, char ch, const char *what)
{
    npy_skip_space(c);
    if (c->i < c->n && c->s[c->i] == ch) {
        c->i++;
        return true;
    }
    if (!c->what)
        c->what = what;
    return false;
}

/* A Python string literal in '' or "" without escapes (numpy writes none). */
static bool npy_string(struct npy_cursor *c, char *out, size_t cap)
{
    char q;
    size_t o = 0;

    npy_skip_space(c);
    if (c->i >= c->n || (c->s[c->i] != '\'' && c->s[c->i] != '"')) {
        c->what = c->what ? c->what : "expected a quoted string";
        return false;
    }
    q = c->s[c->i++];
    while (c->i < c->n && c->s[c->i] != q) {
        if (o + 1 >= cap || c->s[c->i] == '\\' || c->s[c->i] == '\n') {
            c->what = c->what ? c->what : "a string in it is too long or malformed";
            return false;
        }
        out[o++] = c->s[c->i++];
    }
    out[o] = '\0';
    return npy_expect(c, q, "a string in it is not closed");
}

static bool npy_bool(struct npy_cursor *c, bool *out)
{
    npy_skip_space(c);
    if (c->n - c->i >= 4 && memcmp(c->s + c->i, "True", 4) == 0) {
        c->i += 4;
        *out = true;
        return true;
    }
    if (c->n - c->i >= 5 && memcmp(c->s + c->i, "False", 5) == 0) {
        c->i += 5;
        *out = false;
        return true;
    }
    c->what = c->what ? c->what : "fortran_order is not True or False";
    return false;
}

static bool npy_uint(struct npy_cursor *c, uint64_t *out)
{
    uint64_t v = 0;
    size_t start;

    npy_skip_space(c);
    start = c->i;
    while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9') {
        unsigned d = (unsigned)(c->s[c->i++] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            c->what = c->what ? c->what : "a dimension of the shape is too large";
            return false;
        }
        v = v * 10 + d;
    }
    if (c->i == start) {
        c->what = c->what ? c->what : "the shape is not a tuple of whole numbers";
        return false;
    }
    if (c->i < c->n && c->s[c->i] == 'L')
        c->i++; /* Python 2 long literal */
    *out = v;
    return true;
}

/* (), (N,), (A, B), with an optional trailing comma. */
static bool npy_shape(struct npy_cursor *c, struct npy_header *h)
{
    if (!npy_expect(c, '(', "the shape is not a tuple"))
        return false;
    h->rank = 0;
    for (;;) {
        npy_skip_space(c);
        if (c->i < c->n && c->s[c->i] == ')')
            break;
        if (h->rank == NPY_MAX_RANK) {
            c->what = c->what ? c->what : "the shape has too many dimensions";
            return false;
        }
        if (!npy_uint(c, &h->dims[h->rank++]))
            return false;
        npy_skip_space(c);
        if (c->i < c->n && c->s[c->i] == ',')
            c->i++;
        else if (!(c->i < c->n && c->s[c->i] == ')')) {
            c->what = c->what ? c->what : "the shape tuple is malformed";
            return false;
        }
    }
    c->i++;
    return true;
}

static bool npy_value(struct npy_cursor *c, const char *key, struct npy_header *h)
{
    if (strcmp(key, "descr") == 0) {
        npy_skip_space(c);
        if (c->i < c->n && c->s[c->i] == '[') {
            c->what = c->what ? c->what : "a structured dtype is not supported";
            return false;
        }
        h->have_descr = true;
        return npy_string(c, h->descr, sizeof h->descr);
    }
    if (strcmp(key, "fortran_order") == 0) {
        /* irrelevant for one dimension, so the 1-D loader accepts either value */
        h->have_fortran = true;
        return npy_bool(c, &h->fortran);
    }
    if (strcmp(key, "shape") == 0) {
        h->have_shape = true;
        return npy_shape(c, h);
    }
    c->what = c->what ? c->what : "it has a key other than descr, fortran_order and shape";
    return false;
}

/* The Python dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (10,), } */
static bool npy_dict(struct npy_cursor *c, struct npy_header *h)
{
    char key[32];

    if (!npy_expect(c, '{', "it does not start with '{'"))
        return false;
    for (;;) {
        npy_skip_space(c);
        if (c->i < c->n && c->s[c->i] == '}') {
            c->i++;
            break;
        }
        if (!npy_string(c, key, sizeof key) || !npy_expect(c, ':', "a key has no ':'") ||
            !npy_value(c, key, h))
            return false;
        npy_skip_space(c);
        if (c->i < c->n && c->s[c->i] == ',') {
            c->i++;
            continue;
        }
        if (!npy_expect(c, '}', "entries are not separated by ','"))
            return false;
        break;
    }
    npy_skip_space(c);
    if (c->i != c->n) {
        c->what = c->what ? c->what : "there is text after the dictionary";
        return false;
    }
    if (!h->have_descr || !h->have_fortran || !h->have_shape) {
        c->what = !h->have_descr ? "it has no 'descr'"
                : !h->have_shape ? "it has no 'shape'" : "it has no 'fortran_order'";
        return false;
    }
    return true;
}

/* "(2, 5)" / "(7,)" / "()" as numpy prints shapes. */
const char *npy_shape_string(const struct npy_header *h, char *buf, size_t cap)
{
    size_t o = (size_t)snprintf(buf, cap, "(");

    for (size_t i = 0; i < h->rank && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, i ? ", %llu" : "%llu",
                              (unsigned long long)h->dims[i]);
    if (o < cap)
        snprintf(buf + o, cap - o, h->rank == 1 ? ",)" : ")");
    return buf;
}

/* An open .npy file. `size` is known for regular files, so a wrong byte count can be
 * reported before reading; pipes are read and counted instead. */
struct npy_file {
    FILE *f;
    const char *path;
    bool sized;
    size_t size;
};

/* Reads up to n bytes; *got says how many. Only a read error is an error. */
static int npy_read(struct npy_file *nf, void *buf, size_t n, size_t *got,
                    struct ls_error *err)
{
    errno = 0;
    *got = fread(buf, 1, n, nf->f);
    if (ferror(nf->f))
        return ls_error_set(err, "%s: cannot read: %s", nf->path,
                            strerror(errno ? errno : EIO));
    return 0;
}

/* Magic, version and header length from the first (up to 12) bytes. */
static int npy_preamble(const char *path, const unsigned char *d, size_t got, size_t *hoff,
                        size_t *hlen, struct ls_error *err)
{
    if (got == 0)
        return ls_error_set(err, "%s: the file is empty (not a .npy file)", path);
    if (got < 10 || memcmp(d, "\x93NUMPY", 6) != 0)
        return ls_error_set(err, "%s: not a .npy file (bad magic)", path);
    if (d[6] == 1) {
        *hoff = 10;
        *hlen = (size_t)d[8] | (size_t)d[9] << 8;
    } else if (d[6] == 2 || d[6] == 3) {
        if (got < 12)
            return ls_error_set(err, "%s: the .npy header is truncated", path);
        *hoff = 12;
        *hlen = (size_t)d[8] | (size_t)d[9] << 8 | (size_t)d[10] << 16 | (size_t)d[11] << 24;
    } else {
        return ls_error_set(err, "%s: unsupported .npy format version %u.%u", path, d[6],
                            d[7]);
    }
    return 0;
}

/* The dictionary text after the preamble: the bytes of `pre` past hoff, then the rest. */
static int npy_header_text(struct npy_file *nf, const unsigned char *pre, size_t got,
                           size_t hoff, size_t hlen, char **out, struct ls_error *err)
{
    size_t have = got - hoff < hlen ? got - hoff : hlen, more = 0;
    char *h;

    /* Checked before allocating: the length field is whatever the file says. */
    if (nf->sized && hlen > nf->size - hoff)
        return ls_error_set(err, "%s: the .npy header is truncated (it says %zu bytes, "
                                 "the file has %zu after the preamble)",
                            nf->path, hlen, nf->size - hoff);
    if (hlen > NPY_MAX_HEADER)
        return ls_error_set(err, "%s: the .npy header says it is %zu bytes long; numpy "
                                 "headers are a few hundred", nf->path, hlen);
    if (!(h = malloc(hlen + 1)))
        return ls_error_set(err, "%s: out of memory for a %zu-byte header", nf->path, hlen);
    memcpy(h, pre + hoff, have);
    if (npy_read(nf, h + have, hlen - have, &more, err) < 0) {
        free(h);
        return -1;
    }
    if (have + more < hlen) {
        free(h);
        return ls_error_set(err, "%s: the .npy header is truncated (it says %zu bytes, "
                                 "the file has %zu after the preamble)",
                            nf->path, hlen, have + more);
    }
    h[hlen] = '\0';
    *out = h;
    return 0;
}

/* Element size for a supported dtype, else an error that says why. */
static int npy_itemsize(const char *path, const char *descr, size_t *itemsize,
                        struct ls_error *err)
{
    char shown[96];

    if (strcmp(descr, "<f4") == 0 || strcmp(descr, "<f8") == 0) {
        *itemsize = descr[2] == '4' ? 4 : 8;
        return 0;
    }
    text_escape(descr, strlen(descr), 0, shown, sizeof shown);
    if (descr[0] == '>' && (strcmp(descr + 1, "f4") == 0 || strcmp(descr + 1, "f8") == 0))
        return ls_error_set(err, "%s: big-endian data is not supported (dtype '%s'; "
                                 "save it with .astype('<%s'))", path, shown, descr + 1);
    return ls_error_set(err, "%s: dtype '%s' is not supported (need float32 '<f4' or "
                             "float64 '<f8')", path, shown);
}

/* The shape must be (N,) with 1 <= N <= VOCAB_MAX_TOKENS; stores N. */
static int npy_count(const char *path, const struct npy_header *h, size_t *n,
                     struct ls_error *err)
{
    char sh[256];

    npy_shape_string(h, sh, sizeof sh);
    if (h->rank != 1)
        return ls_error_set(err, "%s: shape %s is %zu-D; need a 1-D array of logits, "
                                 "shape (N,)", path, sh, h->rank);
    if (h->dims[0] == 0)
        return ls_error_set(err, "%s: shape %s has no logits", path, sh);
    if (h->dims[0] > VOCAB_MAX_TOKENS)
        return ls_error_set(err, "%s: shape %s is more than the %zu tokens supported", path,
                            sh, VOCAB_MAX_TOKENS);
    *n = (size_t)h->dims[0];
    return 0;
}

/* Reads exactly `need` data bytes into a new buffer; any other amount is an error that
 * says how much the shape needs and how much the file has. */
static int npy_data(struct npy_file *nf, size_t data_off, size_t n, size_t need,
                    unsigned char **out, struct ls_error *err)
{
    unsigned char *buf = NULL, probe;
    size_t have = 0, extra = 0;
    size_t avail = nf->size > data_off ? nf->size - data_off : 0;

    if (nf->sized && avail != need)
        have = avail;
    else if (!(buf = malloc(need ? need : 1)))
        return ls_error_set(err, "%s: out of memory for %zu logits", nf->path, n);
    else if (npy_read(nf, buf, need, &have, err) < 0 ||
             (have == need && npy_read(nf, &probe, 1, &extra, err) < 0)) {
        free(buf);
        return -1;
    }
    if (have != need || extra) {
        free(buf);
        return ls_error_set(err, "%s: shape (%zu,) needs %zu bytes of data but the file "
                                 "has %s%zu", nf->path, n, need, extra ? "more than " : "",
                            have);
    }
    *out = buf;
    return 0;
}

/* Little-endian bytes to doubles, whatever the host's byte order. The byte assembly is
 * written out per width so that compilers turn it into one load per element. */
void npy_decode(const unsigned char *p, size_t n, size_t itemsize, double *out)
{
    if (itemsize == 4) {
        for (size_t i = 0; i < n; i++, p += 4) {
            uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                         (uint32_t)p[3] << 24;
            float f;
            memcpy(&f, &u, sizeof f);
            out[i] = f;
        }
        return;
    }
    for (size_t i = 0; i < n; i++, p += 8) {
        uint64_t u = 0;
        for (int b = 7; b >= 0; b--)
            u = u << 8 | p[b];
        memcpy(&out[i], &u, sizeof out[i]);
    }
}

/* Token names for the logits, one per line, same escapes as a TSV token. */
static int npy_names(struct vocab *v, const char *npy_path, const char *path,
                     struct ls_error *err)
{
    struct vocab_build b = {.with_logits = false};
    struct line_reader r;
    const char *s;
    size_t len;
    char why[160];
    int rc;

    if (line_open(&r, path, err) < 0)
        return -1;
    while ((rc = line_next(&r, &s, &len, err)) > 0) {
        if (memchr(s, '\t', len)) {
            rc = ls_error_set(err, "%s:%zu: a raw tab in a token (write it as \\t)", r.path,
                              r.lineno);
            break;
        }
        if (vocab_build_add(&b, s, len, 0.0, why, sizeof why) < 0) {
            rc = ls_error_set(err, "%s:%zu: token has %s", r.path, r.lineno, why);
            break;
        }
    }
    line_close(&r);
    if (rc == 0 && b.v.n != v->n)
        rc = ls_error_set(err, "%s: has %zu tokens but %s has %zu logits",
                          line_path_name(path), b.v.n, npy_path, v->n);
    if (rc != 0) {
        vocab_free(&b.v);
        return -1;
    }
    v->text = b.v.text;
    v->tok_off = b.v.tok_off;
    v->tok_len = b.v.tok_len;
    return 0;
}

/* Header, dtype, shape, then the data, decoded into t->logits. */
static int npy_parse(struct vocab *t, struct npy_file *nf, struct ls_error *err)
{
    struct npy_header h = {0};
    struct npy_cursor c;
    unsigned char pre[12], *data = NULL;
    size_t got = 0, hoff = 0, hlen = 0, itemsize = 0, n = 0;
    char *text = NULL;
    int rc;

    if (npy_read(nf, pre, sizeof pre, &got, err) < 0 ||
        npy_preamble(nf->path, pre, got, &hoff, &hlen, err) < 0 ||
        npy_header_text(nf, pre, got, hoff, hlen, &text, err) < 0)
        return -1;
    c = (struct npy_cursor){.s = text, .n = hlen};
    rc = npy_dict(&c, &h) ? 0 : ls_error_set(err, "%s: cannot read the .npy header: %s",
                                             nf->path, c.what);
    free(text);
    if (rc < 0 || npy_itemsize(nf->path, h.descr, &itemsize, err) < 0 ||
        npy_count(nf->path, &h, &n, err) < 0 ||
        npy_data(nf, hoff + hlen, n, n * itemsize, &data, err) < 0)
        return -1;
    if (!(t->logits = malloc(n * sizeof *t->logits))) {
        free(data);
        return ls_error_set(err, "%s: out of memory for %zu logits", nf->path, n);
    }
    t->n = n;
    npy_decode(data, n, itemsize, t->logits);
    free(data);
    return 0;
}

int vocab_load_npy(struct vocab *v, const char *path, const char *vocab_path,
                   struct ls_error *err)
{
    struct vocab t = {0};
    struct npy_file nf = {.path = path};
    struct stat st;
    int rc;

    if (!(nf.f = fopen(path, "rb")))
        return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fileno(nf.f), &st) == 0 && S_ISREG(st.st_mode)) {
        nf.sized = true;
        nf.size = (size_t)st.st_size;
    }
    rc = npy_parse(&t, &nf, err);
    fclose(nf.f);
    if (rc == 0 && vocab_path)
        rc = npy_names(&t, path, vocab_path, err);
    if (rc == 0 && !(t.source = strdup(path)))
        rc = ls_error_set(err, "%s: out of memory", path);
    if (rc != 0) {
        vocab_free(&t);
        return -1;
    }
    return vocab_finish(&t, v, path, err);
}

int npy_header_parse(const char *path, const unsigned char *d, size_t size,
                     struct npy_header *h, struct ls_error *err)
{
    struct npy_cursor c;
    size_t hoff = 0, hlen = 0;

    memset(h, 0, sizeof *h);
    if (npy_preamble(path, d, size < 12 ? size : 12, &hoff, &hlen, err) < 0)
        return -1;
    if (hlen > size - hoff)
        return ls_error_set(err, "%s: the .npy header is truncated (it says %zu bytes, "
                                 "the file has %zu after the preamble)", path, hlen, size - hoff);
    c = (struct npy_cursor){.s = (const char *)d + hoff, .n = hlen};
    if (!npy_dict(&c, h))
        return ls_error_set(err, "%s: cannot read the .npy header: %s", path, c.what);
    h->data_off = hoff + hlen;
    return 0;
}

int npy_float_itemsize(const char *path, const char *descr, size_t *itemsize,
                       struct ls_error *err)
{
    return npy_itemsize(path, descr, itemsize, err);
}

int npy_load_names(struct vocab *v, const char *data_path, const char *names_path,
                   struct ls_error *err)
{
    return npy_names(v, data_path, names_path, err);
}
