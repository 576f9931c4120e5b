/* writer.c: the prompt split into words and looked up, the context of the next word, its
 * column from the model sorted into the one vocabulary the writer owns, and a word drawn
 * from it with the chain. Everything a step needs is allocated by writer_init. */
#include "writer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/text.h"

#define WRITER_ESCAPE_MAX 4 /* text_escape writes at most four bytes per input byte */

static bool writer_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool writer_punct(unsigned char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

/* As typed, lowercased, then without the punctuation around it. */
static bool writer_lookup(const struct lm *lm, const char *s, size_t len, uint32_t *id)
{
    if (lm_lookup_word(lm, s, len, id))
        return true;
    size_t a = 0, b = len;
    while (a < b && writer_punct((unsigned char)s[a]))
        a++;
    while (b > a && writer_punct((unsigned char)s[b - 1]))
        b--;
    return (a > 0 || b < len) && b > a && lm_lookup_word(lm, s + a, b - a, id);
}

/* Room for `more` words after the n there are (history grows with them). */
static int writer_room(struct writer *w, size_t more)
{
    if (w->n + more <= w->cap)
        return 0;
    size_t want = w->cap ? w->cap : 64;
    while (want < w->n + more)
        want *= 2;
    struct writer_word *words = realloc(w->words, want * sizeof *words);
    if (!words)
        return -1;
    w->words = words;
    uint32_t *history = realloc(w->history, want * sizeof *history);
    if (!history)
        return -1;
    w->history = history;
    w->cap = want;
    return 0;
}

int writer_init(struct writer *w, const struct lm *lm, uint64_t seed, struct ls_error *err)
{
    size_t V = lm_size(lm);
    memset(w, 0, sizeof *w);
    w->lm = lm;
    w->seed = seed;
    w->mirostat_mu = NAN;
    const char **names = malloc(V * sizeof *names);
    double *logits = malloc(V * sizeof *logits);
    w->ctx = malloc((size_t)(lm_order(lm) > 1 ? lm_order(lm) : 1) * sizeof *w->ctx);
    if (!names || !logits || !w->ctx) {
        free(names);
        free(logits);
        writer_free(w);
        return ls_error_set(err, "out of memory for a vocabulary of %zu words", V);
    }
    for (size_t i = 0; i < V; i++)
        names[i] = lm_word(lm, (uint32_t)i, NULL);
    lm_next(lm, w->ctx, writer_context(w, w->ctx, (size_t)lm_order(lm)), logits);
    size_t finite = 0;
    for (size_t i = 0; i < V; i++)
        finite += isfinite(logits[i]) != 0;
    int rc = finite ? vocab_from_logits(&w->vocab, logits, V, names, err)
                    : ls_error_set(err, "the model has no word to write (only <s> and <unk>, "
                                        "or every word has probability 0)");
    free(names);
    free(logits);
    if (rc == 0 && dist_init_cap(&w->dist, &w->vocab, V) != 0)
        rc = ls_error_set(err, "out of memory for a vocabulary of %zu words", V);
    if (rc != 0) {
        writer_free(w);
        return -1;
    }
    w->fresh = true;
    return 0;
}

void writer_free(struct writer *w)
{
    dist_free(&w->dist);
    vocab_free(&w->vocab);
    free(w->words);
    free(w->history);
    free(w->typed);
    free(w->text);
    free(w->ctx);
    memset(w, 0, sizeof *w);
}

/* Room for a prompt of len bytes. */
static int writer_typed_room(struct writer *w, size_t len, struct ls_error *err)
{
    if (len + 1 <= w->typed_cap)
        return 0;
    char *typed = realloc(w->typed, len + 1);
    if (!typed)
        return ls_error_set(err, "out of memory for a prompt of %zu bytes", len);
    w->typed = typed;
    w->typed_cap = len + 1;
    return 0;
}

int writer_reserve(struct writer *w, size_t words, size_t prompt_bytes, struct ls_error *err)
{
    if (words > w->n && writer_room(w, words - w->n) != 0)
        return ls_error_set(err, "out of memory for %zu words", words);
    return writer_typed_room(w, prompt_bytes, err);
}

int writer_copy(struct writer *dst, const struct writer *src, struct ls_error *err)
{
    size_t typed = src->n_prompt ? src->words[src->n_prompt - 1].off +
                                       src->words[src->n_prompt - 1].len : 0;
    dst->n = dst->n_prompt = dst->n_history = dst->n_history_prompt = 0;
    dst->fresh = false;
    if (writer_room(dst, src->n) != 0 || writer_typed_room(dst, typed, err) != 0)
        return ls_error_set(err, "out of memory for a copy of %zu words", src->n);
    if (src->n) { /* an empty writer may have no arrays yet */
        memcpy(dst->words, src->words, src->n * sizeof *src->words);
        memcpy(dst->history, src->history, src->n_history * sizeof *src->history);
    }
    if (typed)
        memcpy(dst->typed, src->typed, typed);
    dst->typed[typed] = '\0';
    dst->n = src->n;
    dst->n_prompt = src->n_prompt;
    dst->n_history = src->n_history;
    dst->n_history_prompt = src->n_history_prompt;
    dst->seed = src->seed;
    dst->mirostat_mu = src->mirostat_mu;
    return 0;
}

int writer_set_prompt(struct writer *w, const char *prompt, size_t len, struct ls_error *err)
{
    w->n = w->n_prompt = w->n_history = w->n_history_prompt = 0;
    w->mirostat_mu = NAN;
    w->fresh = false;
    if (writer_typed_room(w, len, err) != 0)
        return -1;
    memcpy(w->typed, prompt, len);
    w->typed[len] = '\0';
    size_t V = lm_size(w->lm);
    for (size_t i = 0; i < len;) {
        while (i < len && writer_space((unsigned char)prompt[i]))
            i++;
        size_t start = i;
        while (i < len && !writer_space((unsigned char)prompt[i]))
            i++;
        if (i == start)
            break;
        if (writer_room(w, 1)) {
            w->n = w->n_history = 0;
            return ls_error_set(err, "out of memory for the prompt's words");
        }
        struct writer_word *word = &w->words[w->n++];
        bool known = writer_lookup(w->lm, prompt + start, i - start, &word->id);
        if (!known)
            word->id = lm_unk(w->lm);
        word->written = false;
        word->unknown = !known;
        word->off = start;
        word->len = i - start;
        word->logprob = NAN;
        word->rank = 0;
        word->chain_prob = NAN;
        if (word->id < V)
            w->history[w->n_history++] = word->id;
    }
    w->n_prompt = w->n;
    w->n_history_prompt = w->n_history;
    return 0;
}

void writer_set_seed(struct writer *w, uint64_t seed)
{
    w->seed = seed;
}

size_t writer_context(const struct writer *w, uint32_t *ctx, size_t cap)
{
    int order = lm_order(w->lm);
    size_t want = order > 1 ? (size_t)order - 1 : 0, k = 0, i = w->n;
    uint32_t eos = lm_eos(w->lm), bos = lm_bos(w->lm);
    bool start = false;
    for (; k < want; k++, i--) {
        if (i == 0 || w->words[i - 1].id == eos) {
            start = true;
            break;
        }
    }
    size_t total = 0;
    if (start && bos != LM_NO_WORD) {
        if (total < cap)
            ctx[total] = bos;
        total++;
    }
    for (size_t j = i; j < w->n; j++, total++)
        if (total < cap)
            ctx[total] = w->words[j].id;
    return total;
}

int writer_prepare(struct writer *w, struct ls_error *err)
{
    if (w->fresh)
        return 0;
    size_t n = writer_context(w, w->ctx, (size_t)lm_order(w->lm));
    lm_next(w->lm, w->ctx, n, w->vocab.logits);
    if (vocab_sort(&w->vocab) != 0) {
        ls_error_set(err, "out of memory sorting %zu words", w->vocab.n);
        return WRITER_NO_MEMORY;
    }
    /* the capacity is V: binding cannot fail; the weights cached were another column's */
    dist_bind(&w->dist, &w->vocab);
    dist_invalidate(&w->dist);
    if (w->vocab.n_finite == 0) {
        ls_error_set(err, "the model gives every word probability 0 after this text");
        return WRITER_NO_WORD;
    }
    w->fresh = true;
    return 0;
}

const struct vocab *writer_vocab(struct writer *w, struct ls_error *err)
{
    return writer_prepare(w, err) ? NULL : &w->vocab;
}

int writer_apply(const struct writer *w, struct dist *d, const struct params *p)
{
    struct history h = {.tokens = w->history, .n = w->n_history, .mirostat_mu = w->mirostat_mu};
    return engine_apply_history(d, p, &h);
}

const struct dist *writer_dist(struct writer *w, const struct params *p, struct ls_error *err)
{
    if (writer_prepare(w, err))
        return NULL;
    (void)writer_apply(w, &w->dist, p);
    return &w->dist;
}

/* Appends word (fresh vocabulary, a finite logit) at its rank; chain_prob is NaN when it was
 * not drawn. */
static int writer_append(struct writer *w, uint32_t word, size_t rank, double chain_prob,
                         struct ls_error *err)
{
    if (writer_room(w, 1)) {
        ls_error_set(err, "out of memory after %zu words", w->n);
        return WRITER_NO_MEMORY;
    }
    w->words[w->n++] = (struct writer_word){.id = word,
                                            .written = true,
                                            .logprob = w->vocab.logits[word],
                                            .rank = rank,
                                            .chain_prob = chain_prob,
                                            .mu_before = w->mirostat_mu};
    w->history[w->n_history++] = word;
    w->fresh = false;
    return 0;
}

/* The generator of the k-th written word: the seed and k alone decide it. */
static void writer_rng(struct rng *g, uint64_t seed, uint64_t k)
{
    struct rng base;
    rng_seed(&base, seed);
    rng_seed(g, rng_next(&base) ^ k);
}

int writer_write(struct writer *w, const struct params *p, uint32_t *id, struct ls_error *err)
{
    int rc = writer_prepare(w, err);
    if (rc)
        return rc;
    (void)writer_apply(w, &w->dist, p);
    struct rng g;
    writer_rng(&g, w->seed, w->n - w->n_prompt);
    size_t rank = engine_draw_one(&w->dist, &g);
    /* the ranks index the dist's vocabulary: penalties and DRY may have sorted a copy */
    uint32_t word = w->dist.vocab->order[rank];
    size_t model_rank = rank;
    if (w->dist.vocab != &w->vocab)
        for (model_rank = 0; w->vocab.order[model_rank] != word; model_rank++)
            ;
    double mu = mirostat_update(&w->dist, rank);
    if ((rc = writer_append(w, word, model_rank, dist_prob_rank(&w->dist, rank), err)))
        return rc;
    if (chain_has(&p->chain, SAMPLER_MIROSTAT) && !sampler_is_off(p, SAMPLER_MIROSTAT))
        w->mirostat_mu = mu; /* mu moves only while mirostat steers the words */
    if (id)
        *id = word;
    return 0;
}

int writer_push(struct writer *w, uint32_t id, struct ls_error *err)
{
    int rc = writer_prepare(w, err);
    if (rc)
        return rc;
    if (id >= w->vocab.n || !isfinite(w->vocab.logits[id])) {
        ls_error_set(err, "word %u cannot come next here", id);
        return WRITER_NO_WORD;
    }
    size_t rank = 0;
    while (w->vocab.order[rank] != id)
        rank++;
    return writer_append(w, id, rank, NAN, err);
}

bool writer_unwrite(struct writer *w)
{
    if (w->n <= w->n_prompt)
        return false;
    w->n--;
    w->n_history--;
    w->mirostat_mu = w->words[w->n].mu_before;
    w->fresh = false;
    return true;
}

void writer_clear(struct writer *w)
{
    if (w->n > w->n_prompt)
        w->fresh = false;
    w->n = w->n_prompt;
    w->n_history = w->n_history_prompt;
    w->mirostat_mu = NAN;
}

const char *writer_word_bytes(const struct writer *w, size_t i, size_t *len)
{
    const struct writer_word *word = &w->words[i];
    if (!word->written) {
        *len = word->len;
        return w->typed + word->off;
    }
    return lm_word(w->lm, word->id, len);
}

const char *writer_text(struct writer *w, size_t from, unsigned flags, size_t *len)
{
    bool ascii = flags & TEXT_ASCII;
    const char *open = ascii ? WRITER_MARK_OPEN_ASCII : WRITER_MARK_OPEN;
    const char *close = ascii ? WRITER_MARK_CLOSE_ASCII : WRITER_MARK_CLOSE;
    size_t need = 1;
    for (size_t i = from; i < w->n; i++) {
        size_t n;
        writer_word_bytes(w, i, &n);
        need += WRITER_ESCAPE_MAX * n + 8 + strlen(open) + strlen(close);
    }
    if (need > w->text_cap) {
        char *text = realloc(w->text, need);
        if (!text)
            return NULL;
        w->text = text;
        w->text_cap = need;
    }
    size_t at = 0;
    for (size_t i = from; i < w->n; i++) {
        size_t n;
        const char *s = writer_word_bytes(w, i, &n);
        bool mark = w->words[i].unknown;
        if (i > from)
            w->text[at++] = ' ';
        if (mark) {
            memcpy(w->text + at, open, strlen(open));
            at += strlen(open);
        }
        at += text_escape(s, n, flags, w->text + at, need - at);
        if (mark) {
            memcpy(w->text + at, close, strlen(close));
            at += strlen(close);
        }
    }
    w->text[at] = '\0';
    if (len)
        *len = at;
    return w->text;
}

const uint32_t *writer_history(const struct writer *w, size_t *n)
{
    *n = w->n_history;
    return w->history;
}
