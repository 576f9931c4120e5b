/* lm_trie_walk.c: the Sphinx trie (read and checked by lm_trie.c) turned into the forward
 * store of lm_ngram.c, hiding the n-grams that sphinxbase's own search cannot find. */
#include <stdlib.h>
#include <string.h>

#include "lm_trie_internal.h"

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

int trie_level(struct trie_file *t, int k, struct ls_error *err)
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

int trie_rebuild(struct trie_file *t, struct ls_error *err)
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
