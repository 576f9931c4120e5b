/* seq_npy.c: a 2-D .npy of logits, positions x V, as numpy.save writes the stacked logits of
 * Hugging Face's generate(output_logits=True); token names from --vocab, chosen ids from
 * --tokens (a 1-D integer .npy, or one id per line). The file stays mapped: every row is
 * checked once on load (one pass over the bits), then decoded and sorted on its first visit,
 * and its rank order kept, so memory is the file plus one V-sized working vocabulary plus
 * one order per visited row (at most the size of a float32 file). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "npy.h"
#include "logitscope/parse.h"
#include "logitscope/text.h"
#include "seq_internal.h"
#include "textfile.h"
#include "vocab_build.h"

/* The first bad logit of a row: NaN or +inf. */
static int npy_row_problem(struct seq *s, const unsigned char *row, size_t i,
                           struct ls_error *err)
{
    struct seq_data *d = s->data;

    for (size_t k = 0; k < d->width; k++) {
        double x;
        npy_decode(row + k * d->itemsize, 1, d->itemsize, &x);
        if (vocab_logit_problem(x))
            return ls_error_set(err, "%s: position %zu (row %zu), token %zu: logit %s",
                                s->source, i + 1, i, k, vocab_logit_problem(x));
    }
    return ls_error_set(err, "%s: position %zu (row %zu): every logit is -inf", s->source,
                        i + 1, i);
}

/* Every row must hold no NaN, no +inf and one finite logit at least. Reads the bits only:
 * an exponent of all ones is NaN or an infinity, and only -inf is allowed. */
static int npy_check_rows(struct seq *s, size_t rows, struct ls_error *err)
{
    struct seq_data *d = s->data;
    size_t w = d->width, row_bytes = w * d->itemsize;

    for (size_t i = 0; i < rows; i++) {
        const unsigned char *p = d->rows + i * row_bytes;
        size_t bad = 0, neg_inf = 0;
        if (d->itemsize == 4) {
            for (size_t k = 0; k < w; k++) {
                uint32_t u;
                memcpy(&u, p + 4 * k, 4);
                uint32_t ni = u == UINT32_C(0xff800000);
                neg_inf += ni;
                bad += ((u & UINT32_C(0x7f800000)) == UINT32_C(0x7f800000)) & !ni;
            }
        } else {
            for (size_t k = 0; k < w; k++) {
                uint64_t u;
                memcpy(&u, p + 8 * k, 8);
                uint64_t ni = u == UINT64_C(0xfff0000000000000);
                neg_inf += ni;
                bad += ((u & UINT64_C(0x7ff0000000000000)) == UINT64_C(0x7ff0000000000000)) & !ni;
            }
        }
        if (bad || neg_inf == w)
            return npy_row_problem(s, p, i, err);
    }
    return 0;
}

/* An integer dtype: '<i8', '|u1', ... (any width, either sign). */
static int npy_int_dtype(const char *path, const char *descr, size_t *size, bool *is_signed,
                         struct ls_error *err)
{
    char shown[96];

    if (strlen(descr) == 3 && (descr[0] == '<' || descr[0] == '|' || descr[0] == '=') &&
        (descr[1] == 'i' || descr[1] == 'u') &&
        (descr[2] == '1' || descr[2] == '2' || descr[2] == '4' || descr[2] == '8')) {
        *size = (size_t)(descr[2] - '0');
        *is_signed = descr[1] == 'i';
        return 0;
    }
    text_escape(descr, strlen(descr), 0, shown, sizeof shown);
    if (descr[0] == '>' && (descr[1] == 'i' || descr[1] == 'u'))
        return ls_error_set(err, "%s: big-endian data is not supported (dtype '%s'; save it "
                                 "with .astype('<%s'))", path, shown, descr + 1);
    return ls_error_set(err, "%s: dtype '%s' is not an integer type (the chosen token ids "
                             "need int8 .. int64 or uint8 .. uint64)", path, shown);
}

/* Why an id read from a file cannot be used, or NULL. */
static const char *npy_id_problem(const struct seq *s, unsigned long long id, bool negative,
                                  char *buf, size_t cap)
{
    if (negative)
        snprintf(buf, cap, "token id -%llu is negative", id);
    else if (id >= s->data->width)
        snprintf(buf, cap, "token id %llu is out of range (%s has %zu tokens per position)",
                 id, s->source, s->data->width);
    else
        return NULL;
    return buf;
}

static int npy_count_mismatch(const struct seq *s, const char *path, size_t got, size_t rows,
                              struct ls_error *err)
{
    return ls_error_set(err, "%s: has %zu token ids but %s has %zu positions", path, got,
                        s->source, rows);
}

/* Chosen ids from a 1-D integer .npy. */
static int npy_tokens_npy(struct seq *s, const char *path, const unsigned char *b, size_t size,
                          size_t rows, size_t *ids, struct ls_error *err)
{
    struct npy_header h;
    size_t isz = 0, n;
    bool sgn = false;
    char sh[256], why[160];

    if (npy_header_parse(path, b, size, &h, err) < 0 ||
        npy_int_dtype(path, h.descr, &isz, &sgn, err) < 0)
        return -1;
    npy_shape_string(&h, sh, sizeof sh);
    if (h.rank != 1)
        return ls_error_set(err, "%s: shape %s is not 1-D; need one chosen id per position, "
                                 "shape (%zu,)", path, sh, rows);
    if (h.dims[0] != rows)
        return npy_count_mismatch(s, path, h.dims[0] > SIZE_MAX ? SIZE_MAX : (size_t)h.dims[0],
                                  rows, err);
    n = (size_t)h.dims[0];
    if (size - h.data_off != n * isz)
        return ls_error_set(err, "%s: shape %s needs %zu bytes of data but the file has %zu",
                            path, sh, n * isz, size - h.data_off);
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = b + h.data_off + i * isz;
        uint64_t u = 0;
        bool neg;
        for (size_t k = isz; k-- > 0;)
            u = u << 8 | p[k];
        neg = sgn && (u >> (8 * isz - 1)) & 1;
        if (neg)
            u = isz == 8 ? ~u + 1 : (UINT64_C(1) << (8 * isz)) - u; /* the magnitude */
        if (npy_id_problem(s, u, neg, why, sizeof why))
            return ls_error_set(err, "%s: element %zu (position %zu): %s", path, i, i + 1, why);
        ids[i] = (size_t)u;
    }
    return 0;
}

/* Chosen ids one per line; blank lines are skipped. */
static int npy_tokens_text(struct seq *s, const char *path, const unsigned char *b,
                           size_t size, size_t rows, size_t *ids, struct ls_error *err)
{
    size_t got = 0, line = 0;
    char shown[96], why[160];

    if (memchr(b, '\0', size))
        return ls_error_set(err, "%s: contains a NUL byte (neither a .npy nor a list of ids)",
                            path);
    for (size_t i = 0, end; i < size; i = end + 1) {
        const char *l = (const char *)b + i, *nl = memchr(l, '\n', size - i);
        size_t n = nl ? (size_t)(nl - l) : size - i, id;
        end = i + n;
        line++;
        if (n > 0 && l[n - 1] == '\r')
            n--;
        if (line_is_blank(l, n))
            continue;
        if (parse_size(l, n, &id) != PARSE_OK) {
            text_escape(l, n < 40 ? n : 40, 0, shown, sizeof shown);
            return ls_error_set(err, "%s:%zu: \"%s\" is not a token id (a whole number >= 0)",
                                path, line, shown);
        }
        if (npy_id_problem(s, id, false, why, sizeof why))
            return ls_error_set(err, "%s:%zu: %s", path, line, why);
        if (got == rows)
            return ls_error_set(err, "%s:%zu: more token ids than the %zu positions of %s",
                                path, line, rows, s->source);
        ids[got++] = id;
    }
    return got == rows ? 0 : npy_count_mismatch(s, path, got, rows, err);
}

static int npy_tokens(struct seq *s, const char *path, size_t rows, size_t *ids,
                      struct ls_error *err)
{
    unsigned char *b;
    size_t size;
    FILE *f = fopen(path, "rb");
    int rc;

    if (!f)
        return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    rc = seq_read_stream(f, path, &b, &size, err);
    fclose(f);
    if (rc < 0)
        return -1;
    if (size == 0)
        rc = ls_error_set(err, "%s: the file is empty (no token ids)", path);
    else if (size >= 6 && memcmp(b, "\x93NUMPY", 6) == 0)
        rc = npy_tokens_npy(s, path, b, size, rows, ids, err);
    else
        rc = npy_tokens_text(s, path, b, size, rows, ids, err);
    free(b);
    return rc;
}

/* The header: a C-order 2-D float array whose data fills the rest of the file exactly. */
static int npy_shape_check(struct seq *s, const struct npy_header *h, size_t size,
                           size_t *rows, struct ls_error *err)
{
    struct seq_data *d = s->data;
    uint64_t need;
    char sh[256];

    npy_shape_string(h, sh, sizeof sh);
    if (h->rank == 1)
        return ls_error_set(err, "%s: shape %s is 1-D: one vocabulary, not a sequence of "
                                 "positions", s->source, sh);
    if (h->rank != 2)
        return ls_error_set(err, "%s: shape %s is %zu-D; need a 2-D array of logits, shape "
                                 "(positions, V)", s->source, sh, h->rank);
    if (h->dims[0] == 0 || h->dims[1] == 0)
        return ls_error_set(err, "%s: shape %s has no %s", s->source, sh,
                            h->dims[0] == 0 ? "positions" : "logits");
    if (h->dims[1] > VOCAB_MAX_TOKENS)
        return ls_error_set(err, "%s: shape %s has more than the %zu tokens supported",
                            s->source, sh, VOCAB_MAX_TOKENS);
    if (h->fortran)
        return ls_error_set(err, "%s: the array is in Fortran order; save it in C order "
                                 "(numpy.ascontiguousarray)", s->source);
    d->width = (size_t)h->dims[1];
    if (__builtin_mul_overflow(h->dims[0], (uint64_t)d->width * d->itemsize, &need) ||
        need > SIZE_MAX)
        return ls_error_set(err, "%s: shape %s is too large for this machine", s->source, sh);
    if (need != size - h->data_off)
        return ls_error_set(err, "%s: shape %s needs %llu bytes of data but the file has %zu",
                            s->source, sh, (unsigned long long)need, size - h->data_off);
    *rows = (size_t)h->dims[0];
    return 0;
}

/* The chosen tokens' names, one after another. */
static int npy_text(struct seq *s, const size_t *ids, struct ls_error *err)
{
    struct seq_data *d = s->data;
    size_t total = 0, len;
    char buf[24];

    for (size_t i = 0; i < s->n; i++) {
        vocab_token(&d->work, ids[i], buf, &len);
        total += len;
    }
    if (!(s->text = malloc(total + 1)))
        return ls_error_set(err, "%s: out of memory for the text", s->source);
    for (size_t i = 0; i < s->n; i++) {
        const char *t = vocab_token(&d->work, ids[i], buf, &len);
        s->pos[i].text_off = s->text_len;
        s->pos[i].text_len = len;
        memcpy(s->text + s->text_len, t, len);
        s->text_len += len;
    }
    s->text[s->text_len] = '\0';
    return 0;
}

int seq_npy_load(struct seq *s, unsigned char *data, size_t size, bool mapped,
                 const struct seq_opts *o, struct ls_error *err)
{
    struct seq_data *d = calloc(1, sizeof *d);
    struct npy_header h;
    size_t rows = 0, *ids = NULL;
    int rc = -1;

    if (!d) {
        seq_release(data, size, mapped);
        return ls_error_set(err, "%s: out of memory", s->source);
    }
    s->data = d;
    d->image = data;
    d->image_size = size;
    d->image_mapped = mapped;
    if (npy_header_parse(s->source, data, size, &h, err) < 0 ||
        npy_float_itemsize(s->source, h.descr, &d->itemsize, err) < 0 ||
        npy_shape_check(s, &h, size, &rows, err) < 0)
        goto out;
    d->rows = data + h.data_off;
    if (npy_check_rows(s, rows, err) < 0)
        goto out;
    d->work.n = d->width;
    if (o->vocab_path && npy_load_names(&d->work, s->source, o->vocab_path, err) < 0)
        goto out;
    if (o->tokens_path && (!(ids = malloc(rows * sizeof *ids)) ||
                           npy_tokens(s, o->tokens_path, rows, ids, err) < 0)) {
        if (!ids)
            ls_error_set(err, "%s: out of memory", s->source);
        goto out;
    }
    d->work.source = strdup(s->source);
    d->work.logits = malloc(d->width * sizeof *d->work.logits);
    d->row_order = calloc(rows, sizeof *d->row_order);
    d->row_finite = calloc(rows, sizeof *d->row_finite);
    s->pos = calloc(rows, sizeof *s->pos);
    if (!d->work.source || !d->work.logits || !d->row_order || !d->row_finite || !s->pos) {
        ls_error_set(err, "%s: out of memory", s->source);
        goto out;
    }
    s->n = d->n_rows = rows;
    for (size_t i = 0; i < rows; i++) {
        double x = NAN;
        if (ids)
            npy_decode(d->rows + (i * d->width + ids[i]) * d->itemsize, 1, d->itemsize, &x);
        s->pos[i] = (struct seq_pos){.n = d->width, .chosen = ids ? ids[i] : SEQ_NONE,
                                     .chosen_listed = true, .chosen_value = x,
                                     .known_mass = NAN};
    }
    if (ids ? npy_text(s, ids, err) < 0 : !(s->text = calloc(1, 1))) {
        if (!s->text)
            ls_error_set(err, "%s: out of memory", s->source);
        goto out;
    }
    s->format = SEQ_NPY;
    s->values = SEQ_LOGITS;
    s->stream = SEQ_WHOLE;
    s->max_candidates = d->width;
    s->choices = 1;
    s->has_chosen = ids != NULL;
    rc = 0;
out:
    free(ids);
    if (rc < 0)
        seq_discard(s);
    return rc;
}

const struct vocab *seq_npy_vocab(struct seq *s, size_t i, struct ls_error *err)
{
    struct seq_data *d = s->data;
    struct vocab *v = &d->work;

    npy_decode(d->rows + i * d->width * d->itemsize, d->width, d->itemsize, v->logits);
    if (d->row_order[i]) {
        memcpy(v->order, d->row_order[i], d->width * sizeof *v->order);
        if (vocab_sort_known(v, d->row_finite[i]) == 0)
            return v;
    } else if (vocab_sort(v) == 0) {
        /* kept when memory allows; a row without it is simply sorted again next time */
        if ((d->row_order[i] = malloc(d->width * sizeof *v->order))) {
            memcpy(d->row_order[i], v->order, d->width * sizeof *v->order);
            d->row_finite[i] = v->n_finite;
        }
        return v;
    }
    ls_error_set(err, "%s: out of memory sorting position %zu", s->source, i + 1);
    return NULL;
}

void seq_npy_free(struct seq_data *d)
{
    for (size_t i = 0; d->row_order && i < d->n_rows; i++)
        free(d->row_order[i]);
    free(d->row_order);
    free(d->row_finite);
    vocab_free(&d->work);
    if (d->image)
        seq_release(d->image, d->image_size, d->image_mapped);
}
