/* lm_trie.c: the Sphinx binary trie, as sphinxbase 5prealpha writes it
 * (ngram_model_trie_write_bin), read without sphinxbase and checked: every size, pointer and
 * word id against the header before use, every error naming "FILE: offset N:". The walk in
 * lm_trie_walk.c then turns it into the forward store of lm_ngram.c.
 *
 * The file, little-endian: "Trie Language Model"; the order n (one byte); n uint32 counts;
 * for n > 1 an int32 (once the quantisation type; read and ignored as sphinxbase does) and
 * the 16-bit quantisation bins as float32 tables of 65536: a probability table and a
 * back-off table for each middle order 2 .. n-1, then the probability table of order n; the
 * 1-grams, counts[0] + 1 records {float prob, float backoff, uint32 next}; for n > 1 one
 * bit-packed array per order 2 .. n, each ((1 + count) * bits + 7) / 8 + 8 bytes; an int32
 * byte count and the words, each ending in a NUL, in id order.
 *
 * The trie is reversed: the entries below 1-gram w are the 2-grams "x w", sorted by x, and
 * below "x w" the 3-grams "y x w". A middle entry packs the word (bits for counts[0]), the
 * back-off bin and then the probability bin (16 bits each) and the index where its entries
 * begin (bits for the next order's count); a last-order entry packs the word and the
 * probability bin. Values are natural logs times 1 / ln(1.0001) (pocketsphinx's log base),
 * stored as float32; unigrams are not quantised. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "lm_internal.h"
#include "lm_trie_internal.h"

#define TRIE_MAGIC "Trie Language Model"
#define TRIE_MAGIC_LEN (sizeof TRIE_MAGIC - 1)
#define TRIE_BINS ((size_t)1 << 16)
/* Bit fields are read 32 bits at a time from a byte boundary, so none may pass 25 bits. */
#define TRIE_MAX_FIELD ((uint32_t)1 << 25)

int trie_error(const struct trie_file *t, struct ls_error *err, size_t off, const char *fmt, ...)
{
    char what[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ls_error_set(err, "%s: offset %zu: %s", t->path, off, what);
}

static float trie_f32(const uint8_t *p)
{
    uint32_t u = trie_u32(p);
    float f;

    memcpy(&f, &u, sizeof f);
    return f;
}

static unsigned trie_required_bits(uint32_t max)
{
    unsigned b = 0;

    while (max) {
        b++;
        max >>= 1;
    }
    return b;
}

/* Checks that `len` bytes from `*pos` are in the file and moves past them. */
static int trie_take(const struct trie_file *t, size_t *pos, uint64_t len, const char *what,
                     struct ls_error *err)
{
    if (len > t->size - *pos)
        return trie_error(t, err, *pos,
                          "the file ends inside %s (%llu bytes needed, %zu left)", what,
                          (unsigned long long)len, t->size - *pos);
    *pos += (size_t)len;
    return 0;
}

static int trie_layout(struct trie_file *t, size_t *words_at, struct ls_error *err)
{
    size_t pos = TRIE_MAGIC_LEN;
    char what[64];

    if (trie_take(t, &pos, 1, "the header", err) < 0)
        return -1;
    t->order = t->data[TRIE_MAGIC_LEN];
    if (t->order < 1 || t->order > LM_MAX_ORDER)
        return trie_error(t, err, TRIE_MAGIC_LEN, "order %d (this reader takes 1 to %d)",
                          t->order, LM_MAX_ORDER);
    if (trie_take(t, &pos, 4 * (uint64_t)t->order, "the n-gram counts", err) < 0)
        return -1;
    for (int k = 1; k <= t->order; k++) {
        size_t at = TRIE_MAGIC_LEN + 1 + 4 * (size_t)(k - 1);
        uint32_t c = t->counts[k - 1] = trie_u32(t->data + at);
        if (k == 1 && (c == 0 || c >= TRIE_MAX_FIELD))
            return trie_error(t, err, at, "%u words (the trie holds 1 to %u)", c,
                              TRIE_MAX_FIELD - 1);
        if (k > 1 && c >= TRIE_MAX_FIELD - 1)
            return trie_error(t, err, at, "%u %d-grams (the trie holds fewer than %u)", c, k,
                              TRIE_MAX_FIELD - 1);
    }
    if (t->order > 1) {
        size_t at = pos;
        if (trie_take(t, &pos, 4, "the quantisation type", err) < 0)
            return -1;
        uint32_t q = trie_u32(t->data + at);
        if (q > 1)
            return trie_error(t, err, at, "quantisation type %u (sphinxbase writes 0 or 1)", q);
        t->quant_off = pos;
        if (trie_take(t, &pos, (uint64_t)(2 * t->order - 3) * TRIE_BINS * 4,
                      "the quantisation tables", err) < 0)
            return -1;
    }
    t->uni_off = pos;
    if (trie_take(t, &pos, ((uint64_t)t->counts[0] + 1) * TRIE_UNIGRAM_BYTES,
                  "the 1-gram table", err) < 0)
        return -1;
    unsigned word_bits = trie_required_bits(t->counts[0]);
    for (int k = 2; k <= t->order; k++) {
        struct trie_array *a = &t->rev[k];
        a->offset = pos;
        a->base = t->data + pos;
        a->count = t->counts[k - 1];
        a->word_bits = word_bits;
        a->quant_bits = k < t->order ? 32 : 16;
        a->next_bits = k < t->order ? trie_required_bits(t->counts[k]) : 0;
        a->total_bits = a->word_bits + a->quant_bits + a->next_bits;
        snprintf(what, sizeof what, "the %d-gram array", k);
        if (trie_take(t, &pos, (((uint64_t)a->count + 1) * a->total_bits + 7) / 8 + 8, what,
                      err) < 0)
            return -1;
    }
    size_t at = pos;
    if (trie_take(t, &pos, 4, "the size of the word list", err) < 0)
        return -1;
    uint32_t len = trie_u32(t->data + at);
    if (len > INT32_MAX)
        return trie_error(t, err, at, "a word list of %u bytes", len);
    *words_at = pos;
    if (trie_take(t, &pos, len, "the word list", err) < 0)
        return -1;
    if (pos != t->size)
        return trie_error(t, err, pos, "%zu bytes after the word list", t->size - pos);
    return 0;
}

static int trie_words(struct trie_file *t, size_t at, struct ls_error *err)
{
    size_t end = t->size, i = at;
    char q[128];

    while (i < end) {
        const uint8_t *nul = memchr(t->data + i, '\0', end - i);
        uint32_t dup;
        if (!nul)
            return trie_error(t, err, i, "the last word does not end in a NUL byte");
        size_t len = (size_t)(nul - (t->data + i));
        if (len == 0)
            return trie_error(t, err, i, "an empty word");
        if (t->lm->vocab.n == t->counts[0])
            return trie_error(t, err, i, "more words than the %u the header declares",
                              t->counts[0]);
        int rc = lm_vocab_add(&t->lm->vocab, (const char *)t->data + i, len, &dup);
        if (rc == 1)
            return trie_error(t, err, i, "the word \"%s\" is listed twice",
                              lm_quote((const char *)t->data + i, len, q, sizeof q));
        if (rc < 0)
            return trie_error(t, err, i, "out of memory");
        i += len + 1;
    }
    if (t->lm->vocab.n != t->counts[0])
        return trie_error(t, err, at, "%zu words where the header declares %u",
                          t->lm->vocab.n, t->counts[0]);
    return 0;
}

static const char *trie_word(const struct trie_file *t, uint32_t w, char *q, size_t cap)
{
    size_t len;
    const char *s = lm_word(t->lm, w, &len);

    return lm_quote(s, len, q, cap);
}

/* A stored value that no probability can have: NaN or +inf. */
static bool trie_bad_value(float f)
{
    return isnan(f) || (isinf(f) && f > 0);
}

static int trie_unigrams(struct trie_file *t, struct ls_error *err)
{
    uint32_t V = t->counts[0];
    struct lm_level *u = &t->ng->level[0];
    char q[128];

    u->n = V;
    if (!(u->prob = malloc(V * sizeof *u->prob)) || !(u->bo = malloc(V * sizeof *u->bo)))
        return trie_error(t, err, t->uni_off, "out of memory");
    for (uint32_t w = 0; w < V; w++) {
        size_t at = t->uni_off + (size_t)w * TRIE_UNIGRAM_BYTES;
        float p = trie_f32(t->data + at), b = trie_f32(t->data + at + 4);
        if (trie_bad_value(p) || trie_bad_value(b))
            return trie_error(t, err, at + (trie_bad_value(p) ? 0 : 4),
                              "the 1-gram \"%s\" has a %s of %g",
                              trie_word(t, w, q, sizeof q),
                              trie_bad_value(p) ? "probability" : "back-off weight",
                              (double)(trie_bad_value(p) ? p : b));
        u->prob[w] = (double)p * t->unit;
        u->bo[w] = (double)b * t->unit;
    }
    if (t->order == 1)
        return 0;
    /* Each level's pointers must climb, and the last must stay inside the next array. */
    uint32_t prev = 0;
    for (uint32_t w = 0; w <= V; w++) {
        uint32_t nx = uni_next(t, w);
        size_t at = t->uni_off + (size_t)w * TRIE_UNIGRAM_BYTES + 8;
        if (nx < prev)
            return trie_error(t, err, at, "1-gram %u points to 2-gram %u, before %u", w, nx,
                              prev);
        if (nx > t->counts[1])
            return trie_error(t, err, at, "1-gram %u points to 2-gram %u; there are %u", w, nx,
                              t->counts[1]);
        prev = nx;
    }
    t->rev[2].used = prev;
    for (int k = 2; k < t->order; k++) {
        struct trie_array *a = &t->rev[k];
        prev = 0;
        for (uint32_t e = 0; e <= a->used; e++) {
            uint32_t nx = rev_next(a, e);
            if (nx < prev)
                return trie_error(t, err, rev_offset(a, e),
                                  "%d-gram %u points to %d-gram %u, before %u", k, e, k + 1,
                                  nx, prev);
            if (nx > t->counts[k])
                return trie_error(t, err, rev_offset(a, e),
                                  "%d-gram %u points to %d-gram %u; there are %u", k, e, k + 1,
                                  nx, t->counts[k]);
            prev = nx;
        }
        t->rev[k + 1].used = prev;
    }
    return 0;
}

/* The bins of order k as natural logs; which = 0 for probabilities, 1 for back-off. */
static int trie_table(struct trie_file *t, int k, int which, double **out, struct ls_error *err)
{
    size_t table = k < t->order ? 2 * (size_t)(k - 2) + (size_t)which : 2 * (size_t)(k - 2);
    size_t at = t->quant_off + table * TRIE_BINS * 4;
    double *d = malloc(TRIE_BINS * sizeof *d);

    if (!(*out = d))
        return trie_error(t, err, at, "out of memory");
    for (size_t i = 0; i < TRIE_BINS; i++) {
        float f = trie_f32(t->data + at + 4 * i);
        if (trie_bad_value(f))
            return trie_error(t, err, at + 4 * i, "quantisation bin %zu of the %d-gram %s is %g",
                              i, k, which ? "back-off weights" : "probabilities", (double)f);
        d[i] = (double)f * t->unit;
    }
    return 0;
}


static int trie_convert(struct trie_file *t, struct ls_error *err)
{
    size_t words_at = 0;
    int rc;

    if (trie_layout(t, &words_at, err) < 0 || trie_words(t, words_at, err) < 0)
        return -1;
    t->lm->order = t->ng->order = t->order;
    t->ng->n_words = t->counts[0];
    t->unit = log(1.0001);
    if (trie_unigrams(t, err) < 0)
        return -1;
    for (int k = 2; k <= t->order; k++) {
        struct lm_level *l = &t->ng->level[k - 1];
        if (trie_table(t, k, 0, &l->prob, err) < 0 ||
            (k < t->order && trie_table(t, k, 1, &l->bo, err) < 0))
            return -1;
    }
    for (int k = 2; k <= t->order; k++) {
        if ((rc = trie_level(t, k, err)) < 0)
            return -1;
        if (rc == 1) {
            free(t->parent);
            t->parent = NULL;
            return trie_rebuild(t, err);
        }
    }
    return 0;
}

/* The whole file: mapped when it can be, read otherwise (a gzipped trie is inflated). */
static int trie_bytes(struct trie_file *t, bool gz, void **owned, size_t *mapped,
                      struct ls_error *err)
{
    *owned = NULL;
    *mapped = 0;
    if (gz) {
        gzFile g = gzopen(t->path, "rb");
        size_t cap = 1 << 20, len = 0;
        uint8_t *buf = NULL;
        if (!g)
            return ls_error_set(err, "%s: cannot open: %s", t->path, strerror(errno ? errno : EIO));
        for (;;) {
            if (len == cap || !buf) {
                uint8_t *p = buf ? realloc(buf, cap *= 2) : malloc(cap);
                if (!p) {
                    free(buf);
                    gzclose(g);
                    return ls_error_set(err, "%s: out of memory", t->path);
                }
                buf = p;
            }
            int got = gzread(g, buf + len, (unsigned)(cap - len > (1u << 30) ? 1u << 30 : cap - len));
            const char *why = got <= 0 ? lm_gz_error(g, t->path) : NULL;
            if (got < 0 || why) {
                ls_error_set(err, "%s: corrupt gzip data: %s", t->path, why ? why : "unknown error");
                free(buf);
                gzclose(g);
                return -1;
            }
            if (got == 0)
                break;
            len += (size_t)got;
        }
        gzclose(g);
        *owned = buf;
        t->data = buf;
        t->size = len;
        return 0;
    }
    int fd = open(t->path, O_RDONLY);
    struct stat st;
    if (fd < 0)
        return ls_error_set(err, "%s: cannot open: %s", t->path, strerror(errno));
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return ls_error_set(err, "%s: cannot read: %s", t->path, strerror(e));
    }
    t->size = (size_t)st.st_size;
    void *m = t->size ? mmap(NULL, t->size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    if (m != MAP_FAILED) {
        close(fd);
        t->data = m;
        *mapped = t->size;
        return 0;
    }
    uint8_t *buf = malloc(t->size ? t->size : 1);
    size_t got = 0;
    while (buf && got < t->size) {
        ssize_t n = read(fd, buf + got, t->size - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (!buf)
        return ls_error_set(err, "%s: out of memory", t->path);
    if (got != t->size) {
        free(buf);
        return ls_error_set(err, "%s: cannot read: %s", t->path, strerror(EIO));
    }
    *owned = buf;
    t->data = buf;
    return 0;
}

int lm_trie_load(struct lm **out, const char *path, bool gz, struct ls_error *err)
{
    struct trie_file t;
    void *owned;
    size_t mapped;
    int rc = -1;

    memset(&t, 0, sizeof t);
    *out = NULL;
    t.path = path;
    if (trie_bytes(&t, gz, &owned, &mapped, err) < 0)
        return -1;
    t.lm = lm_new(&lm_ngram_ops_trie);
    t.ng = calloc(1, sizeof *t.ng);
    if (!t.lm || !t.ng) {
        ls_error_set(err, "%s: out of memory", path);
    } else {
        t.lm->impl = t.ng;
        if (t.size < TRIE_MAGIC_LEN || memcmp(t.data, TRIE_MAGIC, TRIE_MAGIC_LEN) != 0)
            trie_error(&t, err, 0, "no \"%s\" header", TRIE_MAGIC);
        else
            rc = trie_convert(&t, err);
    }
    free(t.parent);
    for (int k = 0; k <= LM_MAX_ORDER; k++)
        free(t.hidden[k]);
    for (int k = 0; k < LM_MAX_ORDER; k++)
        free(t.sample[k]);
    if (mapped)
        munmap((void *)t.data, mapped);
    free(owned);
    if (rc < 0) {
        if (!t.lm || !t.lm->impl)
            free(t.ng);
        lm_free(t.lm);
        return -1;
    }
    lm_finish(t.lm);
    *out = t.lm;
    return 0;
}
