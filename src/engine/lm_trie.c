/* lm_trie.c: the Sphinx binary trie, as sphinxbase 5prealpha writes it
 * (ngram_model_trie_write_bin), read without sphinxbase and turned into the forward store of
 * lm_ngram.c. Every size, pointer and word id is checked against the header before use, and
 * every error names "FILE: offset N:".
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

#define TRIE_MAGIC "Trie Language Model"
#define TRIE_MAGIC_LEN (sizeof TRIE_MAGIC - 1)
#define TRIE_BINS ((size_t)1 << 16)
#define TRIE_UNIGRAM_BYTES 12
/* One word in this many of a forward level is copied to a small array that stays in cache,
 * so the million context lookups of a conversion each touch one or two lines of the level. */
#define TRIE_SAMPLE 32
/* Bit fields are read 32 bits at a time from a byte boundary, so none may pass 25 bits. */
#define TRIE_MAX_FIELD ((uint32_t)1 << 25)

/* One bit-packed array of the reversed trie: the k-grams. */
struct trie_array {
    const uint8_t *base;
    size_t offset;  /* of base in the file */
    unsigned word_bits, quant_bits, next_bits, total_bits;
    uint32_t count; /* entries the header declares */
    uint32_t used;  /* entries [0, used) can be reached: the end pointer of the order below */
};

struct trie_file {
    const char *path;
    const uint8_t *data;
    size_t size;
    int order;
    uint32_t counts[LM_MAX_ORDER];
    size_t quant_off, uni_off;
    struct trie_array rev[LM_MAX_ORDER + 1]; /* rev[k]: the k-grams, k >= 2 */
    double unit;                             /* ln(1.0001) */
    struct lm *lm;
    struct lm_ngram *ng;
    uint32_t *parent; /* for each k-gram of the file, its context in the forward level */
    uint8_t *hidden[LM_MAX_ORDER + 1]; /* bit e of hidden[k]: sphinxbase cannot find k-gram e */
    uint32_t *sample[LM_MAX_ORDER];    /* every TRIE_SAMPLE-th word of a forward level */
    struct lm_raw *raw;
};

static int trie_error(const struct trie_file *t, struct ls_error *err, size_t off,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int trie_error(const struct trie_file *t, struct ls_error *err, size_t off,
                      const char *fmt, ...)
{
    char what[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ls_error_set(err, "%s: offset %zu: %s", t->path, off, what);
}

static uint32_t trie_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
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

/* len <= 25 bits at bit offset `bit` of base (the arrays carry 8 bytes of slack at the end).
 * Called for every field of the file, so on a little-endian machine the four bytes are one
 * load. */
static uint32_t trie_bits(const uint8_t *base, uint64_t bit, unsigned len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v;
    memcpy(&v, base + (bit >> 3), sizeof v);
#else
    uint32_t v = trie_u32(base + (bit >> 3));
#endif
    return (v >> (bit & 7)) & (uint32_t)((1ull << len) - 1);
}

static uint32_t rev_word(const struct trie_array *a, uint32_t e)
{
    return trie_bits(a->base, (uint64_t)e * a->total_bits, a->word_bits);
}

static uint32_t rev_next(const struct trie_array *a, uint32_t e)
{
    return trie_bits(a->base, (uint64_t)e * a->total_bits + a->word_bits + a->quant_bits,
                     a->next_bits);
}

static uint16_t rev_prob(const struct trie_array *a, uint32_t e)
{
    return (uint16_t)trie_bits(a->base,
                               (uint64_t)e * a->total_bits + a->word_bits + a->quant_bits - 16,
                               16);
}

static uint16_t rev_bo(const struct trie_array *a, uint32_t e)
{
    return (uint16_t)trie_bits(a->base, (uint64_t)e * a->total_bits + a->word_bits, 16);
}

static size_t rev_offset(const struct trie_array *a, uint32_t e)
{
    return a->offset + (size_t)((uint64_t)e * a->total_bits / 8);
}

static uint32_t uni_next(const struct trie_file *t, uint32_t w)
{
    return trie_u32(t->data + t->uni_off + (size_t)w * TRIE_UNIGRAM_BYTES + 8);
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

/* The entry of forward level j in [lo, hi) whose word is key: the samples say which run of
 * TRIE_SAMPLE entries can hold it, then bisection within the run. */
static bool trie_search(const struct trie_file *t, int j, size_t lo, size_t hi, uint32_t key,
                        size_t *at)
{
    const uint32_t *word = t->ng->level[j].word, *sample = t->sample[j];
    size_t first = (lo + TRIE_SAMPLE - 1) / TRIE_SAMPLE, end = (hi + TRIE_SAMPLE - 1) / TRIE_SAMPLE;
    size_t a = first, z = end;

    while (a < z) { /* the first sampled run that starts above key */
        size_t mid = a + (z - a) / 2;
        if (sample[mid] <= key)
            a = mid + 1;
        else
            z = mid;
    }
    if (a > first)
        lo = (a - 1) * TRIE_SAMPLE;
    if (a < end)
        hi = a * TRIE_SAMPLE;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t w = word[mid] & LM_WORD_MASK;
        if (w < key) {
            lo = mid + 1;
        } else if (w > key) {
            hi = mid;
        } else {
            *at = mid;
            return true;
        }
    }
    return false;
}

/* lm_ngram_find through the samples, for the context of the k-gram whose words, last first,
 * are path[0 .. k): the (k-1)-gram path[k - 1], ..., path[1]. */
static bool trie_find_context(const struct trie_file *t, const uint32_t *path, int k, size_t *at)
{
    size_t i = path[k - 1];

    for (int j = 1; j < k - 1; j++) {
        const uint32_t *child = t->ng->level[j - 1].child;
        if (!trie_search(t, j, child[i], child[i + 1], path[k - 1 - j], &i))
            return false;
    }
    *at = i;
    return true;
}

enum trie_pass { TRIE_COUNT, TRIE_PLACE, TRIE_RAW };

/* One k-gram of the file: entry e of rev[k]; path[j] is its word j places before the last.
 * Inlined into the walk, which calls it for every entry of the file. */
static inline __attribute__((always_inline)) int
trie_visit(struct trie_file *t, int k, uint32_t e, const uint32_t *path, enum trie_pass pass,
           struct ls_error *err)
{
    const struct trie_array *a = &t->rev[k];
    struct lm_level *lo = &t->ng->level[k - 2], *l = &t->ng->level[k - 1];
    size_t p;

    if (pass == TRIE_PLACE) {
        size_t at = lo->child[t->parent[e]]++;
        l->word[at] = path[0];
        l->prob_q[at] = rev_prob(a, e);
        if (l->bo_q)
            l->bo_q[at] = rev_bo(a, e);
        return 0;
    }
    if (pass == TRIE_RAW) {
        uint32_t words[LM_MAX_ORDER];
        for (int j = 0; j < k; j++)
            words[j] = path[k - 1 - j];
        double bo = k < t->order ? l->bo[rev_bo(a, e)] : 0;
        if (lm_raw_push(&t->raw[k - 1], words, l->prob[rev_prob(a, e)], bo,
                        rev_offset(a, e)) < 0)
            return trie_error(t, err, rev_offset(a, e), "out of memory");
        return 0;
    }
    if (k == 2)
        p = path[1];
    else if (!trie_find_context(t, path, k, &p))
        return 1; /* its context is not an n-gram of the file: build the slow way */
    t->parent[e] = (uint32_t)p;
    lo->child[p + 1]++;
    l->n++;
    return 0;
}

/* sphinxbase's search (uniform_find) for entry e's word among the entries [lo, hi), in its
 * own uint32 arithmetic: does it land on e? On entries in ascending order it always does;
 * where a file breaks the order (en-us.lm.bin does, twice) it may not, and then the reference
 * never sees that n-gram, so neither may we. A probe that would leave the range or stop
 * narrowing (sphinxbase would read astray or spin) counts as not found. */
static bool trie_reachable(const struct trie_array *a, uint32_t lo, uint32_t hi, uint32_t e,
                           uint32_t n_words)
{
    uint32_t key = rev_word(a, e), before_it = lo - 1, before_v = 0, after_it = hi,
             after_v = n_words;

    while (after_it - before_it > 1) {
        uint32_t width = after_it - before_it - 1, range = after_v - before_v;
        if (range + 1 == 0)
            return false;
        uint32_t pivot = before_it + 1 + (uint32_t)((key - before_v) * width) / (range + 1);
        if ((uint32_t)(pivot - before_it - 1) >= width)
            return false;
        uint32_t mid = rev_word(a, pivot);
        if (mid < key) {
            before_it = pivot;
            before_v = mid;
        } else if (mid > key) {
            after_it = pivot;
            after_v = mid;
        } else {
            return pivot == e;
        }
    }
    return false;
}

/* Checks the words of the entries [lo, hi) of rev[k] and marks those sphinxbase cannot find. */
static int trie_check_range(struct trie_file *t, int k, uint32_t lo, uint32_t hi,
                            struct ls_error *err)
{
    const struct trie_array *a = &t->rev[k];
    uint32_t V = t->counts[0], prev = 0;
    bool ordered = true;

    uint64_t bit = (uint64_t)lo * a->total_bits;
    for (uint32_t e = lo; e < hi; e++, bit += a->total_bits) {
        uint32_t w = trie_bits(a->base, bit, a->word_bits);
        if (w >= V)
            return trie_error(t, err, rev_offset(a, e),
                              "%d-gram %u has word id %u; there are %u words", k, e, w, V);
        ordered &= e == lo || w > prev;
        prev = w;
    }
    /* In order, the search finds every entry unless its products wrap around 32 bits. */
    if (ordered && (uint64_t)(hi - lo) * V < ((uint64_t)1 << 32))
        return 0;
    if (!t->hidden[k] && !(t->hidden[k] = calloc(a->used / 8 + 1, 1)))
        return trie_error(t, err, rev_offset(a, lo), "out of memory");
    for (uint32_t e = lo; e < hi; e++)
        if (!trie_reachable(a, lo, hi, e, V))
            t->hidden[k][e / 8] |= (uint8_t)(1u << (e % 8));
    return 0;
}

/* Visits, in file order, the k-grams below the entries [lo, hi) of rev[d]. Bit offsets
 * advance by addition and each entry's end pointer is the next one's start: this loop runs
 * for every entry of the file, twice per order. */
static int trie_walk(struct trie_file *t, int k, int d, uint32_t lo, uint32_t hi,
                     uint32_t *path, enum trie_pass pass, struct ls_error *err)
{
    const struct trie_array *a = &t->rev[d];

    bool check = d == k && pass != TRIE_PLACE;

    /* A single entry is in order, and sphinxbase's search always finds it. */
    if (check && hi - lo > 1 && trie_check_range(t, k, lo, hi, err) < 0)
        return -1;
    const uint8_t *hidden = t->hidden[d];
    unsigned next_at = a->word_bits + a->quant_bits;
    uint64_t bit = (uint64_t)lo * a->total_bits;
    uint32_t next = d < k ? trie_bits(a->base, bit + next_at, a->next_bits) : 0;
    for (uint32_t e = lo; e < hi; e++, bit += a->total_bits) {
        uint32_t end = d < k ? trie_bits(a->base, bit + a->total_bits + next_at, a->next_bits) : 0;
        int rc = 0;
        if (!hidden || !(hidden[e / 8] >> (e % 8) & 1)) {
            path[d - 1] = trie_bits(a->base, bit, a->word_bits);
            if (check && path[d - 1] >= t->counts[0])
                return trie_error(t, err, rev_offset(a, e),
                                  "%d-gram %u has word id %u; there are %u words", k, e,
                                  path[d - 1], t->counts[0]);
            if (d == k)
                rc = trie_visit(t, k, e, path, pass, err);
            else if (next < end)
                rc = trie_walk(t, k, d + 1, next, end, path, pass, err);
        }
        if (rc)
            return rc;
        next = end;
    }
    return 0;
}

static int trie_walk_all(struct trie_file *t, int k, enum trie_pass pass, struct ls_error *err)
{
    uint32_t path[LM_MAX_ORDER];

    for (uint32_t w = 0; w < t->counts[0]; w++) {
        path[0] = w;
        int rc = trie_walk(t, k, 2, uni_next(t, w), uni_next(t, w + 1), path, pass, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* The k-grams into forward level k - 1: count each context's successors, then place them.
 * 1: a context is missing (the caller falls back to lm_ngram_build). */
static int trie_level(struct trie_file *t, int k, struct ls_error *err)
{
    struct lm_level *lo = &t->ng->level[k - 2], *l = &t->ng->level[k - 1];
    uint32_t used = t->rev[k].used;
    int rc;

    if (!(lo->child = calloc(lo->n + 1, sizeof *lo->child)) ||
        !(t->parent = malloc((used ? used : 1) * sizeof *t->parent)))
        return trie_error(t, err, t->rev[k].offset, "out of memory");
    if ((rc = trie_walk_all(t, k, TRIE_COUNT, err)) != 0)
        return rc;
    for (size_t p = 0; p < lo->n; p++)
        lo->child[p + 1] += lo->child[p];
    if (!(l->word = malloc((l->n ? l->n : 1) * sizeof *l->word)) ||
        !(l->prob_q = malloc((l->n ? l->n : 1) * sizeof *l->prob_q)) ||
        (k < t->order && !(l->bo_q = malloc((l->n ? l->n : 1) * sizeof *l->bo_q))))
        return trie_error(t, err, t->rev[k].offset, "out of memory");
    trie_walk_all(t, k, TRIE_PLACE, err);
    /* Placing moved each start to the next context's start: shift them back. */
    for (size_t p = lo->n; p-- > 1;)
        lo->child[p] = lo->child[p - 1];
    lo->child[0] = 0;
    free(t->parent);
    t->parent = NULL;
    if (k < t->order) { /* the next level's lookups search this one */
        size_t n = (l->n + TRIE_SAMPLE - 1) / TRIE_SAMPLE;
        if (!(t->sample[k - 1] = malloc((n ? n : 1) * sizeof *t->sample[k - 1])))
            return trie_error(t, err, t->rev[k].offset, "out of memory");
        for (size_t b = 0; b < n; b++)
            t->sample[k - 1][b] = l->word[b * TRIE_SAMPLE] & LM_WORD_MASK;
    }
    return 0;
}

/* The slow way, for a file in which some context is not itself an n-gram: every n-gram as a
 * raw record, then lm_ngram_build adds the missing contexts. Values by entry, not by bin. */
static int trie_rebuild(struct trie_file *t, struct ls_error *err)
{
    struct lm_raw raw[LM_MAX_ORDER];
    struct lm_raw_dup dup;
    int rc = 0;

    memset(raw, 0, sizeof raw);
    t->raw = raw;
    for (int k = 2; k <= t->order && rc == 0; k++) {
        raw[k - 1].k = k;
        rc = trie_walk_all(t, k, TRIE_RAW, err);
    }
    /* Keep the 1-grams; everything above them is rebuilt. */
    free(t->ng->level[0].child);
    t->ng->level[0].child = NULL;
    for (int k = 1; k < t->order; k++)
        lm_level_free(&t->ng->level[k]);
    t->raw = NULL;
    /* No n-gram can come twice: the walk checked that each level climbs. */
    if (rc == 0 && (rc = lm_ngram_build(t->ng, raw, &dup)) != 0)
        rc = ls_error_set(err, "%s: out of memory", t->path);
    for (int k = 0; k < LM_MAX_ORDER; k++)
        lm_raw_free(&raw[k]);
    return rc;
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
