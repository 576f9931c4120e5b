/* seq_internal.h: what seq.c (reading, detection, access) shares with the two format
 * families, seq_json.c (jansson) and seq_npy.c (mapped 2-D .npy). Not installed. */
#ifndef LOGITSCOPE_SEQ_INTERNAL_H
#define LOGITSCOPE_SEQ_INTERNAL_H

#include <stdint.h>

#include "logitscope/seq.h"

enum seq_kind {
    SEQ_KIND_OTHER, /* TSV, a 1-D .npy, or nothing we know */
    SEQ_KIND_JSON,  /* a JSON object, or several one after another */
    SEQ_KIND_SSE,   /* server-sent events */
    SEQ_KIND_NPY,   /* .npy magic (1-D or 2-D) */
};

enum seq_kind seq_kind_of(const unsigned char *d, size_t len);

/* One line of server-sent events (its '\r' already off): SSE_SKIP blank lines, ':' comments
 * and the fields that are not data (event:, id:, retry:); SSE_DATA a data: line, *payload
 * the offset of what follows "data:" and its blanks; SSE_OTHER anything else. */
enum sse_line { SSE_SKIP, SSE_DATA, SSE_OTHER };

/* A load that failed: everything it made goes but the source's name (the caller frees that,
 * after its message named it). */
void seq_discard(struct seq *s);
enum sse_line seq_sse_line(const char *s, size_t n, size_t *payload);

#define SEQ_NO_SYM UINT32_MAX

struct seq_data {
    /* JSON formats: every position's candidates side by side; position i owns candidates
     * [first[i], first[i + 1]). vocabs[i] is a view into these arrays, sorted on load. */
    double *logits;
    char *tok_text;
    size_t *tok_off;
    uint32_t *tok_len;
    size_t *first;
    uint32_t *order;
    double *sorted;
    double *moments;
    struct vocab *vocabs;
    /* seq_history's index of texts, made on its first call: chosen_sym[k] names position k's
     * chosen text (the same number for the same bytes), cand_sym[c] candidate c's when some
     * position chose that text, else SEQ_NO_SYM; sym_index is scratch, SEQ_NO_SYM between
     * calls. */
    uint32_t *chosen_sym, *cand_sym, *sym_index;
    bool syms_tried;

    /* .npy: the file stays mapped (or in memory when it came from a stream) and one
     * V-sized working vocabulary is refilled per visit; row_order[i] keeps row i's rank
     * order once it has been sorted. */
    unsigned char *image;
    size_t image_size;
    bool image_mapped;
    const unsigned char *rows;   /* the first row's bytes */
    size_t itemsize, width, n_rows;
    struct vocab work;
    uint32_t **row_order;
    size_t *row_finite;
};

/* The JSON loader copies what it needs and leaves data to the caller; the .npy loader keeps
 * data (malloc'd, or mapped when `mapped`) and owns it from the call on, whatever happens.
 * Both fill every field of *s but source, and leave *s empty on error. */
int seq_json_load(struct seq *s, const unsigned char *data, size_t size, bool sse,
                  const struct seq_opts *o, struct ls_error *err);
int seq_npy_load(struct seq *s, unsigned char *data, size_t size, bool mapped,
                 const struct seq_opts *o, struct ls_error *err);
const struct vocab *seq_npy_vocab(struct seq *s, size_t i, struct ls_error *err);
void seq_npy_free(struct seq_data *d);

/* Releases a buffer the way it was obtained. */
void seq_release(unsigned char *data, size_t size, bool mapped);

#endif
