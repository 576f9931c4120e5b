/* seq_json.c: a JSON response loaded whole, as server-sent events or as one object per
 * line: jansson gets an arena for the load, each chunk goes to the shape readers
 * (seq_json_shape.c), and the candidates become one sorted vocabulary per position. Every
 * chunk of a stream is read by the same code as a whole response. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "seq_internal.h"
#include "seq_json_internal.h"

#define JSON_MASS_SLACK 1e-3   /* listed log-probabilities summing above this are logits */

static void json_ctx_free(struct json_ctx *c)
{
    struct json_buf *all[] = {&c->values, &c->tok_off, &c->tok_len, &c->text,
                              &c->scratch, &c->first, &c->pos};

    for (size_t k = 0; k < sizeof all / sizeof *all; k++)
        free(all[k]->p);
}

/* ---- jansson's memory ---- */

/* jansson allocates every value on its own (a dozen blocks per candidate) and frees each
 * object key as soon as it has copied it; on a 2,000-position response glibc then spends a
 * third of the load consolidating freed blocks. jansson has no per-call allocator, only the
 * process-wide json_set_alloc_funcs(), so a load lends it an arena for its duration: an
 * allocation is a pointer bump, a free does nothing, and a chunk's whole tree is dropped at
 * once when the chunk has been read. json_arena_now is the engine's one piece of global
 * state: it is set only inside seq_json_load(), which restores the functions it found (the
 * program is single-threaded). */
#define JSON_ARENA_BLOCK ((size_t)1 << 20)    /* for big documents; small ones start smaller */
#define JSON_ARENA_MIN_BLOCK ((size_t)1 << 16)

/* Under AddressSanitizer jansson keeps its own blocks, so that the sanitizer and the fuzzers
 * see every one of them. */
#if defined(__SANITIZE_ADDRESS__)
#define JSON_ARENA 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JSON_ARENA 0
#endif
#endif
#ifndef JSON_ARENA
#define JSON_ARENA 1
#endif

struct json_arena_block {
    struct json_arena_block *next;
    size_t used, cap;
    max_align_t data[];
};

struct json_arena {
    struct json_arena_block *first, *cur;
    size_t block; /* size of a new block */
};

static struct json_arena *json_arena_now;

static void *json_arena_alloc(size_t n)
{
    struct json_arena *a = json_arena_now;
    struct json_arena_block *b;
    void *p;

    if (n > SIZE_MAX / 2)
        return NULL;
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    while (a->cur && a->cur->cap - a->cur->used < n && a->cur->next)
        a->cur = a->cur->next;
    if (!a->cur || a->cur->cap - a->cur->used < n) {
        size_t cap = n > a->block ? n : a->block;
        if (!(b = malloc(sizeof *b + cap)))
            return NULL;
        *b = (struct json_arena_block){.cap = cap};
        if (a->cur)
            a->cur->next = b;
        else
            a->first = b;
        a->cur = b;
    }
    p = (char *)a->cur->data + a->cur->used;
    a->cur->used += n;
    return p;
}

static void json_arena_free(void *p)
{
    (void)p; /* everything goes back with json_arena_reset */
}

/* Forgets every tree in the arena, keeping its blocks for the next chunk. */
static void json_arena_reset(struct json_arena *a)
{
    for (struct json_arena_block *b = a->first; b; b = b->next)
        b->used = 0;
    a->cur = a->first;
}

/* A chunk has been read: its tree goes. */
static void json_chunk_done(json_t *v)
{
    if (JSON_ARENA)
        json_arena_reset(json_arena_now);
    else
        json_decref(v);
}

static void json_arena_release(struct json_arena *a)
{
    while (a->first) {
        struct json_arena_block *b = a->first;
        a->first = b->next;
        free(b);
    }
    a->cur = NULL;
}

/* ---- reading the stream ---- */

static size_t json_skip_space(const struct json_text *t, size_t i)
{
    while (i < t->len && (t->text[i] == ' ' || t->text[i] == '\t' || t->text[i] == '\n' ||
                          t->text[i] == '\r'))
        i++;
    return i;
}

/* Line numbers of chunk starts, counted on from the last one (the text has the file's line
 * ends: quoting bare words adds none). */
static size_t json_line_at(const struct json_text *t, size_t *counted, size_t *line, size_t off)
{
    for (const char *p = t->text + *counted, *end = t->text + off;
         (p = memchr(p, '\n', (size_t)(end - p))); p++)
        (*line)++;
    *counted = off;
    return *line;
}

/* One object after another: one is a whole document, more are a stream (Ollama). */
static int json_values(struct json_ctx *c, size_t off)
{
    size_t used = 0, counted = 0, line = 1;
    json_t *v;
    int rc;

    for (off = json_skip_space(c->t, off); off < c->t->len; off = json_skip_space(c->t, off)) {
        size_t start = off;
        if (!(v = json_parse(c, off, c->t->len - off, true, &used)))
            return -1;
        off += used;
        if (c->s->stream == SEQ_WHOLE && json_skip_space(c->t, off) < c->t->len)
            c->s->stream = SEQ_NDJSON;
        c->line = c->s->stream == SEQ_NDJSON ? json_line_at(c->t, &counted, &line, start) : 0;
        rc = json_chunk(c, v);
        json_chunk_done(v);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Server-sent events: every data: line holds one chunk, up to data: [DONE]. */
static int json_events(struct json_ctx *c, size_t off)
{
    size_t line = 1;

    c->s->stream = SEQ_SSE;
    for (size_t i = off, end; i < c->t->len; i = end + 1, line++) {
        const char *s = c->t->text + i, *nl = memchr(s, '\n', c->t->len - i);
        size_t n = nl ? (size_t)(nl - s) : c->t->len - i, d = 0;
        json_t *v;
        int rc;

        end = i + n;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        enum sse_line kind = seq_sse_line(s, n, &d);
        if (kind == SSE_SKIP)
            continue;
        if (kind == SSE_OTHER) {
            c->line = line;
            return json_fail(c, "not a server-sent event line (expected \"data: {...}\")");
        }
        if (n - d >= 6 && memcmp(s + d, "[DONE]", 6) == 0)
            break;
        c->line = line;
        if (!(v = json_parse(c, i + d, n - d, false, NULL)))
            return -1;
        rc = json_chunk(c, v);
        json_chunk_done(v);
        if (rc < 0)
            return -1;
    }
    c->line = 0;
    return 0;
}

/* ---- the finished sequence ---- */

/* Views into the flat candidate arrays, one vocabulary per position, each sorted now. */
static int json_finish(struct json_ctx *c)
{
    struct seq *s = c->s;
    struct seq_data *d = s->data;
    struct seq_pos *pos = c->pos.p;
    size_t n = c->pos.n, total = c->values.n, moments = 0, text_len = 0;
    bool probs = s->format == SEQ_LLAMACPP_POST || s->format == SEQ_LLAMACPP_OLD;
    size_t *first = c->first.p;
    double *values = c->values.p;

    first[n] = total;
    s->values = probs ? SEQ_PROBS : SEQ_LOGPROBS;
    s->post_sampling = probs;
    for (size_t i = 0; i < n; i++) {
        moments += (pos[i].n / ENGINE_BLOCK + 1) * ENGINE_MOMENT_STRIDE;
        text_len += ((uint32_t *)c->tok_len.p)[first[i] + pos[i].chosen];
        s->max_candidates = pos[i].n > s->max_candidates ? pos[i].n : s->max_candidates;
        if (!probs && pos[i].known_mass > 1 + JSON_MASS_SLACK)
            s->values = SEQ_LOGITS; /* vLLM's raw_logits mode, or another server's logits */
    }
    for (size_t k = 0; probs && k < total; k++)
        values[k] = log(values[k]);
    for (size_t i = 0; s->values == SEQ_LOGITS && i < n; i++)
        pos[i].known_mass = NAN;
    d->logits = values;
    d->tok_off = c->tok_off.p;
    d->tok_len = c->tok_len.p;
    d->tok_text = c->text.p;
    d->first = first;
    c->values.p = c->tok_off.p = c->tok_len.p = c->text.p = c->first.p = NULL;
    d->order = malloc(total * sizeof *d->order);
    d->sorted = malloc(total * sizeof *d->sorted);
    d->moments = malloc(moments * sizeof *d->moments);
    d->vocabs = calloc(n, sizeof *d->vocabs);
    s->text = malloc(text_len + 1);
    if (!d->tok_text)
        d->tok_text = malloc(1); /* never NULL: NULL names mean "#INDEX" */
    if (!d->order || !d->sorted || !d->moments || !d->vocabs || !s->text || !d->tok_text)
        return json_fail(c, "out of memory for %zu positions", n);
    moments = 0;
    for (size_t i = 0; i < n; i++) {
        struct vocab *v = &d->vocabs[i];
        size_t f = first[i], chosen = f + pos[i].chosen;
        *v = (struct vocab){.source = s->source, .n = pos[i].n, .logits = d->logits + f,
                            .text = d->tok_text, .tok_off = d->tok_off + f,
                            .tok_len = d->tok_len + f, .order = d->order + f,
                            .sorted = d->sorted + f, .moments = d->moments + moments};
        moments += (pos[i].n / ENGINE_BLOCK + 1) * ENGINE_MOMENT_STRIDE;
        if (vocab_sort(v) < 0)
            return json_fail(c, "out of memory sorting position %zu", i + 1);
        pos[i].text_off = s->text_len;
        pos[i].text_len = d->tok_len[chosen];
        memcpy(s->text + s->text_len, d->tok_text + d->tok_off[chosen], pos[i].text_len);
        s->text_len += pos[i].text_len;
    }
    s->text[s->text_len] = '\0';
    s->pos = pos;
    c->pos.p = NULL;
    s->n = n;
    s->has_chosen = true;
    s->choices = c->choices ? c->choices : 1;
    return 0;
}

/* Nothing usable was found: says why as precisely as the file allows. */
static int json_nothing(struct json_ctx *c)
{
    if (c->choices && c->choice >= c->choices)
        return json_fail(c, "there is no choice %zu (the response has %zu)", c->choice,
                         c->choices);
    if (c->saw_no_logprobs)
        return json_fail(c, "the response holds no log-probabilities (ask the server for "
                            "them: \"logprobs\": true and \"top_logprobs\": N, or llama.cpp's "
                            "\"n_probs\": N)");
    if (c->saw_object)
        return json_fail(c, "the response holds no positions");
    return json_fail(c, "not a known response (expected choices[].logprobs, "
                        "completion_probabilities or logprobs)");
}

int seq_json_load(struct seq *s, const unsigned char *data, size_t size, bool sse,
                  const struct seq_opts *o, struct ls_error *err)
{
    struct json_text t;
    struct json_ctx c = {.s = s, .name = s->source, .t = &t, .choice = o->choice, .err = err};
    struct json_arena arena = {NULL, NULL, size < JSON_ARENA_BLOCK / 4 ? JSON_ARENA_MIN_BLOCK
                                                                      : JSON_ARENA_BLOCK};
    json_malloc_t old_malloc;
    json_free_t old_free;
    size_t bom = size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    int rc;

    if (json_text_init(&t, data, size) < 0) {
        json_text_free(&t);
        return ls_error_set(err, "%s: out of memory", s->source);
    }
    if (!(s->data = calloc(1, sizeof *s->data))) {
        json_text_free(&t);
        return ls_error_set(err, "%s: out of memory", s->source);
    }
    s->stream = SEQ_WHOLE;
    json_get_alloc_funcs(&old_malloc, &old_free);
    if (JSON_ARENA) {
        json_arena_now = &arena;
        json_set_alloc_funcs(json_arena_alloc, json_arena_free);
    }
    rc = sse ? json_events(&c, bom) : json_values(&c, bom);
    json_set_alloc_funcs(old_malloc, old_free);
    json_arena_now = NULL;
    json_arena_release(&arena);
    c.line = 0;
    if (rc == 0 && c.pos.n == 0)
        rc = json_nothing(&c);
    if (rc == 0)
        rc = json_finish(&c);
    json_ctx_free(&c);
    json_text_free(&t);
    if (rc < 0) {
        seq_discard(s);
        return -1;
    }
    return 0;
}
