/* history.c: the samplers that change logits from what was written before, llama.cpp's
 * repetition penalties and DRY ("don't repeat yourself"), and the history read from text.
 * They touch few tokens, so they write a list of changes; before the first stage that reads
 * weights, the changed tokens are sorted and merged into the source's order, a copy that the
 * dist ranks from then on (kept while the changes stay the same). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "loader.h"
#include "textfile.h"
#include "logitscope/parse.h"

#define DRY_TAIL_TOKENS 20 /* llama.cpp matches a breaker's tail over at most 20 tokens */
#define DRY_FLOAT_MAX_LOG 88.7228391 /* llama.cpp caps base^exp below FLT_MAX */

struct dist_history {
    struct vocab v;          /* the changed copy: its own logits, order, sorted and moments */
    size_t cap;              /* tokens entry_of (and v's arrays, once made) hold */
    uint32_t *entry_of;      /* file index -> 1 + its change, 0 when unchanged */
    /* The changes of this apply, in the order made: file index, new logit, and the scratch
     * of the sampler making them (penalties' count, DRY's longest repeat, -1 for none). */
    uint32_t *idx;
    double *val;
    long long *mark;
    size_t n, icap, vcap, mcap;
    /* The changes v holds. */
    uint32_t *built_idx;
    double *built_val;
    size_t built_n, bcap, bvcap;
    uint32_t *sort_idx; /* scratch of the merge */
    double *sort_x;
    size_t sicap, sxcap;
    const struct vocab *built_from;
    bool built;
    /* DRY's work over its window: a key per token, the Z array, a hash table. */
    uint64_t *key;
    size_t *z;
    uint32_t *table;
    size_t kcap, zcap, tcap;
};

/* Room for n elements of size sz in the array whose pointer is at `slot` (capacity *cap),
 * growing geometrically. The pointer is moved with memcpy, so that one function serves
 * arrays of any type. */
static int grow_into(void *slot, size_t *cap, size_t n, size_t sz)
{
    if (n <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < n)
        c *= 2;
    void *p;
    memcpy(&p, slot, sizeof p);
    void *q = realloc(p, c * sz);
    if (!q)
        return -1;
    memcpy(slot, &q, sizeof q);
    *cap = c;
    return 0;
}
#define GROW(a, cap, n) grow_into(&(a), &(cap), (n), sizeof *(a))

void history_begin(struct dist *d)
{
    struct dist_history *hs = d->hist;
    if (!hs)
        return;
    for (size_t e = 0; e < hs->n; e++)
        hs->entry_of[hs->idx[e]] = 0;
    hs->n = 0;
}

void history_forget(struct dist *d)
{
    if (d->hist)
        d->hist->built = false;
}

void history_free(struct dist *d)
{
    struct dist_history *hs = d->hist;
    if (!hs)
        return;
    free(hs->v.logits);
    free(hs->v.order);
    free(hs->v.sorted);
    free(hs->v.moments);
    free(hs->entry_of);
    free(hs->idx);
    free(hs->val);
    free(hs->mark);
    free(hs->built_idx);
    free(hs->built_val);
    free(hs->sort_idx);
    free(hs->sort_x);
    free(hs->key);
    free(hs->z);
    free(hs->table);
    free(hs);
    d->hist = NULL;
}

/* The workspace, with entry_of sized for the source; NULL without memory. */
static struct dist_history *history_space(struct dist *d)
{
    size_t n = d->source->n;
    if (!d->hist && !(d->hist = calloc(1, sizeof *d->hist)))
        return NULL;
    struct dist_history *hs = d->hist;
    if (hs->cap < n) {
        uint32_t *e = calloc(n, sizeof *e);
        if (!e)
            return NULL;
        for (size_t i = 0; i < hs->n; i++) /* this apply's changes so far */
            e[hs->idx[i]] = (uint32_t)i + 1;
        free(hs->entry_of);
        hs->entry_of = e;
        /* v's arrays are made for the new size at the next build */
        free(hs->v.order);
        free(hs->v.sorted);
        free(hs->v.moments);
        free(hs->v.logits);
        hs->v.order = NULL;
        hs->v.sorted = NULL;
        hs->v.moments = NULL;
        hs->v.logits = NULL;
        hs->cap = n;
        hs->built = false;
    }
    return hs;
}

/* The change of file index i, made on first use with i's current logit; -1 without memory. */
static long history_entry(struct chain_run *s, uint32_t i)
{
    struct dist_history *hs = history_space(s->d);
    if (!hs)
        return -1;
    if (hs->entry_of[i])
        return (long)hs->entry_of[i] - 1;
    if (GROW(hs->idx, hs->icap, hs->n + 1) ||
        GROW(hs->val, hs->vcap, hs->n + 1) ||
        GROW(hs->mark, hs->mcap, hs->n + 1))
        return -1;
    hs->idx[hs->n] = i;
    hs->val[hs->n] = s->d->source->logits[i];
    hs->mark[hs->n] = -1;
    hs->entry_of[i] = (uint32_t)++hs->n;
    return (long)hs->n - 1;
}

/* A changed logit stays finite, so that the vocabulary keeps its finite tokens. */
static double history_clamp(double x)
{
    return x > DBL_MAX ? DBL_MAX : x < -DBL_MAX ? -DBL_MAX : x;
}

/* The first history position of the last `last_n` (-1: all). */
static size_t history_window(const struct history *h, double last_n)
{
    if (last_n < 0 || last_n >= (double)h->n)
        return 0;
    return h->n - (size_t)last_n;
}

/* Whether history token i is in the source with a finite logit: only such are changed. */
static bool history_present(const struct chain_run *s, size_t i)
{
    uint32_t t = s->h->tokens[i];
    return t != HISTORY_ABSENT && t < s->d->source->n && !isinf(s->d->source->logits[t]);
}

static void history_fail(struct chain_run *s)
{
    s->failed = true;
    history_begin(s->d); /* drop what was changed: the dist is computed without it */
}

/* Each sampler's scratch starts empty: -1 on every change made so far. */
static void history_unmark(struct dist *d)
{
    struct dist_history *hs = d->hist;
    for (size_t k = 0; hs && k < hs->n; k++)
        hs->mark[k] = -1;
}

/* llama.cpp's penalties over the last N tokens: a token written c > 0 times has its logit
 * divided by the repeat penalty when positive, multiplied when not, then c * frequency +
 * presence subtracted. After the temperature stage the logits seen are x / t: the same
 * change on the raw logit is the division or product (which commutes with 1 / t) and t
 * times the subtraction. */
void history_penalties(struct chain_run *s)
{
    const struct params *p = s->p;
    if (!s->h || s->failed || s->greedy || sampler_is_off(p, SAMPLER_PENALTIES))
        return;
    double r = params_real(p, PARAM_REPEAT_PENALTY), freq = params_real(p, PARAM_FREQUENCY_PENALTY);
    double pres = params_real(p, PARAM_PRESENCE_PENALTY);
    size_t from = history_window(s->h, params_real(p, PARAM_REPEAT_LAST_N));
    history_unmark(s->d);
    for (size_t i = from; i < s->h->n; i++) {
        if (!history_present(s, i))
            continue;
        long e = history_entry(s, s->h->tokens[i]);
        if (e < 0) {
            history_fail(s);
            return;
        }
        long long *c = &s->d->hist->mark[e];
        *c = *c < 0 ? 1 : *c + 1;
    }
    struct dist_history *hs = s->d->hist;
    for (size_t k = 0; hs && k < hs->n; k++) {
        if (hs->mark[k] <= 0)
            continue;
        double x = hs->val[k], c = (double)hs->mark[k];
        x = x <= 0 ? x * r : x / r;
        hs->val[k] = history_clamp(x - (c * freq + pres) * s->t);
        s->settled = false;
    }
}

/* ---- DRY ---- */

/* History token i's bytes (see struct history). */
static const char *history_text(const struct chain_run *s, size_t i, size_t *len)
{
    const struct history *h = s->h;
    if (h->text) {
        *len = h->text[i] && h->text_len ? h->text_len[i] : 0;
        return h->text[i] ? h->text[i] : "";
    }
    uint32_t t = h->tokens[i];
    const struct vocab *v = s->d->source;
    if (t != HISTORY_ABSENT && t < v->n && v->text) {
        *len = v->tok_len[t];
        return v->text + v->tok_off[t];
    }
    *len = 0;
    return "";
}

static bool has_bytes(const char *s, size_t len, const char *b, size_t blen)
{
    for (size_t i = 0; i + blen <= len; i++)
        if (memcmp(s + i, b, blen) == 0)
            return true;
    return false;
}

/* A token whose text holds a breaker: it restarts the matching and is never penalised. */
static bool dry_is_breaker(const struct params *p, const char *t, size_t len)
{
    for (int b = 0; b < p->breakers.n; b++) {
        size_t blen;
        const char *br = dry_breaker(&p->breakers, b, &blen);
        if (has_bytes(t, len, br, blen))
            return true;
    }
    return false;
}

/* The longest breaker occurrence whose head is history token `at`, counted in tokens after
 * it: 0 when the token's text holds a breaker, k when it ends with a breaker's first bytes
 * and the next k tokens' text completes it, -1 when none. `last` is the window's last
 * position. */
static long dry_breaker_at(const struct chain_run *s, size_t at, size_t last)
{
    const struct dry_breakers *bs = &s->p->breakers;
    size_t len;
    const char *t = history_text(s, at, &len);
    long longest = -1;
    for (int b = 0; b < bs->n; b++) {
        size_t blen;
        const char *br = dry_breaker(bs, b, &blen);
        if (has_bytes(t, len, br, blen)) {
            longest = longest > 0 ? longest : 0;
            continue;
        }
        for (size_t m = 1; m < blen && m <= len; m++) { /* t ends with br[0, m) */
            if (memcmp(t + len - m, br, m) != 0)
                continue;
            size_t need = blen - m, k = 0;
            const char *rest = br + m;
            bool same = true;
            while (same && need > 0 && k < DRY_TAIL_TOKENS && at + k < last) {
                size_t ulen;
                const char *u = history_text(s, at + ++k, &ulen);
                size_t c = ulen < need ? ulen : need;
                same = memcmp(u, rest, c) == 0;
                rest += c;
                need -= c;
            }
            if (same && (need == 0 || k == DRY_TAIL_TOKENS) && (long)k > longest)
                longest = (long)k;
        }
    }
    return longest;
}

static uint64_t dry_hash(const char *t, size_t len)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)t[i]) * 1099511628211u;
    return h;
}

/* The tokens of the window as keys that are equal when the tokens are: a file index, or
 * for a token the vocabulary lacks, the first position in the window with the same text
 * (none when there is no text to tell). -1 without memory. */
static int dry_keys(struct chain_run *s, size_t from, size_t w)
{
    struct dist_history *hs = s->d->hist;
    size_t tsize = 16;
    while (tsize < 2 * w)
        tsize *= 2;
    if (GROW(hs->table, hs->tcap, tsize))
        return -1;
    memset(hs->table, 0, tsize * sizeof *hs->table);
    for (size_t j = 0; j < w; j++) {
        uint32_t t = s->h->tokens[from + j];
        if (t != HISTORY_ABSENT && t < s->d->source->n) {
            hs->key[j] = t;
            continue;
        }
        if (!s->h->text) {
            hs->key[j] = (uint64_t)2 << 32 | j;
            continue;
        }
        size_t len;
        const char *txt = history_text(s, from + j, &len);
        size_t slot = dry_hash(txt, len) & (tsize - 1);
        for (;; slot = (slot + 1) & (tsize - 1)) {
            uint32_t q = hs->table[slot];
            if (!q) {
                hs->table[slot] = (uint32_t)j + 1;
                hs->key[j] = (uint64_t)1 << 32 | j;
                break;
            }
            size_t qlen;
            const char *qt = history_text(s, from + q - 1, &qlen);
            if (qlen == len && memcmp(qt, txt, len) == 0) {
                hs->key[j] = (uint64_t)1 << 32 | (q - 1);
                break;
            }
        }
    }
    return 0;
}

/* DRY as llama.cpp runs it over the last N tokens. A repeat is a run of tokens ending at the
 * last one that also occurs earlier; the token that followed the earlier occurrence would
 * extend it, and is penalised multiplier * base^(length - allowed) when the repeat is at
 * least `allowed` long (the longest repeat it would extend counts). Repeats are measured
 * with the Z algorithm on the reversed window, and never reach back past the last sequence
 * breaker; a token whose text holds a breaker is not penalised. */
void history_dry(struct chain_run *s)
{
    const struct params *p = s->p;
    if (!s->h || s->failed || s->greedy || sampler_is_off(p, SAMPLER_DRY))
        return;
    size_t from = history_window(s->h, params_real(p, PARAM_DRY_PENALTY_LAST_N));
    size_t w = s->h->n - from;
    double allowed = params_real(p, PARAM_DRY_ALLOWED_LENGTH);
    if ((double)w <= allowed)
        return;
    /* step 1: the last breaker limits how far back a repeat may reach */
    size_t limit = w;
    for (size_t i = 0; i < w; i++) {
        long k = dry_breaker_at(s, from + w - 1 - i, from + w - 1);
        if (k >= 0 && (size_t)k <= i) {
            limit = i - (size_t)k;
            break;
        }
    }
    if ((double)limit < allowed)
        return;
    struct dist_history *hs = history_space(s->d);
    if (!hs || GROW(hs->key, hs->kcap, w) ||
        GROW(hs->z, hs->zcap, w) || dry_keys(s, from, w) < 0) {
        history_fail(s);
        return;
    }
    history_unmark(s->d);
    /* step 2: z[k] = the longest run ending at position w-1-k that equals the run ending at
     * the window's last token (the Z algorithm on the window read backwards) */
    const uint64_t *key = hs->key;
    size_t *z = hs->z, l = 0, r = 0;
#define REV(i) key[w - 1 - (i)]
    for (size_t k = 1; k < w; k++) {
        size_t zk = k < r ? (r - k < z[k - l] ? r - k : z[k - l]) : 0;
        while (k + zk < w && REV(zk) == REV(k + zk))
            zk++;
        z[k] = zk;
        if (k + zk > r) {
            l = k;
            r = k + zk;
        }
    }
#undef REV
    /* step 3: the token after each repeat, with the longest repeat it would extend; one
     * whose text holds a breaker is spared */
    const struct vocab *v = s->d->source;
    for (size_t i = 0; i + 1 < w; i++) {
        size_t len = z[w - 1 - i] < limit ? z[w - 1 - i] : limit;
        if ((double)len < allowed || !history_present(s, from + i + 1))
            continue;
        uint32_t t = s->h->tokens[from + i + 1];
        if (v->text && dry_is_breaker(p, v->text + v->tok_off[t], v->tok_len[t]))
            continue;
        long e = history_entry(s, t);
        if (e < 0) {
            history_fail(s);
            return;
        }
        if (hs->mark[e] == -1 || (size_t)hs->mark[e] < len + 1)
            hs->mark[e] = (long long)len + 1; /* + 1: 0 is a length too */
    }
    /* step 4: the penalties, t times on raw logits */
    double mult = params_real(p, PARAM_DRY_MULTIPLIER), base = params_real(p, PARAM_DRY_BASE);
    double max_exp = base > 1.000001 ? floor(DRY_FLOAT_MAX_LOG / log(base)) : 0;
    for (size_t k = 0; k < hs->n; k++) {
        if (hs->mark[k] <= 0)
            continue;
        double e = (double)(hs->mark[k] - 1) - allowed;
        e = max_exp > 0 && e > max_exp ? max_exp : e;
        hs->val[k] = history_clamp(hs->val[k] - mult * pow(base, e) * s->t);
        s->settled = false;
    }
}

/* ---- the changed copy ---- */

/* d ranks v from now on. */
static void history_use(struct dist *d, const struct vocab *v)
{
    d->vocab = v;
    for (int i = 0; i < ENGINE_WEIGHT_SLOTS; i++)
        weights_bind(&d->slot[i], v);
    d->sd_valid = false;
}

static bool history_same(const struct dist_history *hs, const struct vocab *src)
{
    return hs->built && hs->built_from == src && hs->built_n == hs->n &&
           memcmp(hs->built_idx, hs->idx, hs->n * sizeof *hs->idx) == 0 &&
           memcmp(hs->built_val, hs->val, hs->n * sizeof *hs->val) == 0;
}

static int history_build(struct dist_history *hs, const struct vocab *src)
{
    struct vocab *v = &hs->v;
    size_t blocks = hs->cap / ENGINE_BLOCK + 1;
    /* made here for the capacity, so that vocab_sort finds them and a later, larger source
     * up to the capacity fits */
    if (!v->logits) {
        v->logits = malloc(hs->cap * sizeof *v->logits);
        v->order = malloc(hs->cap * sizeof *v->order);
        v->sorted = malloc(hs->cap * sizeof *v->sorted);
        v->moments = malloc(blocks * ENGINE_MOMENT_STRIDE * sizeof *v->moments);
        if (!v->logits || !v->order || !v->sorted || !v->moments) {
            free(v->logits);
            free(v->order);
            free(v->sorted);
            free(v->moments);
            v->logits = v->sorted = v->moments = NULL;
            v->order = NULL;
            return -1;
        }
    }
    if (GROW(hs->built_idx, hs->bcap, hs->n) ||
        GROW(hs->built_val, hs->bvcap, hs->n) ||
        GROW(hs->sort_idx, hs->sicap, hs->n) ||
        GROW(hs->sort_x, hs->sxcap, hs->n))
        return -1;
    hs->built = false;
    memcpy(hs->v.logits, src->logits, src->n * sizeof *src->logits);
    for (size_t k = 0; k < hs->n; k++)
        hs->v.logits[hs->idx[k]] = hs->val[k];
    hs->v.n = src->n;
    hs->v.text = src->text; /* borrowed: the copy's tokens are the source's */
    hs->v.tok_off = src->tok_off;
    hs->v.tok_len = src->tok_len;
    hs->v.source = src->source;
    if (vocab_sort_changed(&hs->v, src, hs->idx, hs->n, hs->entry_of, hs->sort_idx,
                           hs->sort_x) < 0)
        return -1;
    memcpy(hs->built_idx, hs->idx, hs->n * sizeof *hs->idx);
    memcpy(hs->built_val, hs->val, hs->n * sizeof *hs->val);
    hs->built_n = hs->n;
    hs->built_from = src;
    hs->built = true;
    return 0;
}

void history_settle(struct chain_run *s)
{
    struct dist *d = s->d;
    struct dist_history *hs = d->hist;
    s->settled = true;
    s->ws = NULL;
    if (!hs || hs->n == 0 || s->failed) {
        if (d->vocab != d->source)
            history_use(d, d->source);
        return;
    }
    if (history_same(hs, d->source)) {
        if (d->vocab != &hs->v)
            history_use(d, &hs->v);
        return;
    }
    if (history_build(hs, d->source) < 0) {
        history_fail(s);
        history_use(d, d->source);
        return;
    }
    history_use(d, &hs->v);
}

/* ---- a history from text ---- */

uint32_t history_find(const struct vocab *v, const char *t, size_t len)
{
    if (!v->text) { /* "#12": the names vocab_token makes up */
        size_t i;
        if (len > 1 && t[0] == '#' && parse_size(t + 1, len - 1, &i) == PARSE_OK && i < v->n)
            return (uint32_t)i;
        return HISTORY_ABSENT;
    }
    for (size_t i = 0; i < v->n; i++)
        if (v->tok_len[i] == len && memcmp(v->text + v->tok_off[i], t, len) == 0)
            return (uint32_t)i;
    return HISTORY_ABSENT;
}

void history_text_free(struct history_text *t)
{
    free(t->tokens);
    free(t->text);
    free(t->len);
    free(t->bytes);
    memset(t, 0, sizeof *t);
}

int history_parse(struct history_text *out, const struct vocab *v, const char *s,
                  struct ls_error *err)
{
    struct history_text t = {.h = {.mirostat_mu = NAN}};
    size_t slen = strlen(s), n = 0, used = 0;
    for (size_t i = 0; i < slen; i++)
        n += s[i] != ' ' && (i == 0 || s[i - 1] == ' ');
    t.tokens = malloc((n ? n : 1) * sizeof *t.tokens);
    t.text = malloc((n ? n : 1) * sizeof *t.text);
    t.len = malloc((n ? n : 1) * sizeof *t.len);
    t.bytes = malloc(slen + 1);
    if (!t.tokens || !t.text || !t.len || !t.bytes) {
        history_text_free(&t);
        return ls_error_set(err, "out of memory reading the history");
    }
    n = 0;
    for (size_t i = 0; i < slen;) {
        if (s[i] == ' ') {
            i++;
            continue;
        }
        size_t end = i;
        while (end < slen && s[end] != ' ')
            end++;
        char why[120];
        size_t len;
        if (token_unescape(s + i, end - i, t.bytes + used, &len, why, sizeof why) < 0) {
            history_text_free(&t);
            return ls_error_set(err, "token %zu has %s", n + 1, why);
        }
        t.text[n] = t.bytes + used;
        t.len[n] = len;
        t.tokens[n++] = history_find(v, t.bytes + used, len);
        used += len;
        i = end;
    }
    t.h.tokens = t.tokens;
    t.h.text = t.text;
    t.h.text_len = t.len;
    t.h.n = n;
    *out = t;
    return 0;
}
