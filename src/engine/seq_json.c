/* seq_json.c: the JSON families (OpenAI chat and legacy completions, llama.cpp /completion
 * in its three shapes, Ollama), whole, as server-sent events or as one object per line,
 * parsed with jansson into one flat list of candidates and then one sorted vocabulary per
 * position. Every chunk of a stream is read by the same code as a whole response.
 *
 * Python's json module writes NaN, Infinity and -Infinity bare, which JSON does not allow
 * and jansson refuses; they are rewritten as the strings "NaN", "Infinity", "-Infinity"
 * (which protobuf's JSON and some Go and Java tools write anyway) before parsing, and a
 * number field accepts those three strings. -Infinity is a valid log-probability; NaN and
 * +Infinity are reported as such, with their path. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "loader.h"
#include "logitscope/text.h"
#include "seq_internal.h"
#include "vocab_build.h"

#define JSON_PROB_SLACK 1e-6   /* a probability printed as 1.0000001 is still one */
#define JSON_MASS_SLACK 1e-3   /* listed log-probabilities summing above this are logits */
#define JSON_SAME_VALUE 1e-6   /* the chosen token's number and its list entry's, relative */
#define JSON_ERROR_EXCERPT 160 /* bytes of a server's own error message quoted */

/* The text jansson reads: the file, or a copy with bare words quoted. */
struct json_text {
    const unsigned char *orig;
    size_t orig_len;
    const char *text;
    size_t len;
    char *copy;
    size_t *quoted; /* offsets in text of each inserted opening quote, ascending */
    size_t n_quoted;
};

/* How one family lays out a position's entry. */
struct json_shape {
    enum seq_format format;
    const char *value_key;   /* "logprob" / "prob" */
    const char *top_key;     /* "top_logprobs" / "top_probs" / "probs" */
    const char *token_key;   /* the text field of a list item: "token" / "tok_str" */
    const char *chosen_key;  /* the text field of the entry itself: "token" / "content" */
    const char *hint;        /* how to ask the server for a list */
    bool chosen_has_value;   /* false: the old llama.cpp shape gives only the list's */
    bool probs;              /* numbers are probabilities */
};

static const struct json_shape json_chat = {
    SEQ_OPENAI_CHAT, "logprob", "top_logprobs", "token", "token",
    "ask for \"top_logprobs\": N", true, false};
static const struct json_shape json_ollama = {
    SEQ_OLLAMA, "logprob", "top_logprobs", "token", "token",
    "ask for \"top_logprobs\": N", true, false};
static const struct json_shape json_llama = {
    SEQ_LLAMACPP, "logprob", "top_logprobs", "token", "token",
    "ask for \"n_probs\": N", true, false};
static const struct json_shape json_llama_post = {
    SEQ_LLAMACPP_POST, "prob", "top_probs", "token", "token",
    "ask for \"n_probs\": N", true, true};
static const struct json_shape json_llama_old = {
    SEQ_LLAMACPP_OLD, "prob", "probs", "tok_str", "content",
    "ask for \"n_probs\": N", false, true};

/* Where an entry sits, formatted only when something is wrong with it. */
struct json_loc {
    char list[96];   /* "choices[0].logprobs.content" */
    size_t i;        /* entry in the list */
    const char *top; /* the candidate list's key, or NULL at the entry itself */
    size_t j;        /* item in that list */
};

/* A growable array. */
struct json_buf {
    void *p;
    size_t n, cap;
};

struct json_ctx {
    struct seq *s;
    const char *name;
    struct json_text *t;
    size_t choice;
    size_t line;            /* of the chunk being read; 0 for a whole document */
    bool have_format;
    bool saw_no_logprobs;   /* a choice or chunk that had none: the hint at the end */
    bool saw_object;        /* any chunk we recognised at all */
    size_t choices;
    /* candidates */
    struct json_buf values; /* double, as the file gives them */
    struct json_buf tok_off, tok_len;
    struct json_buf text;   /* candidate token bytes */
    struct json_buf scratch;/* the chosen token's bytes while its list is read */
    /* positions */
    struct json_buf first;  /* size_t: first candidate */
    struct json_buf pos;    /* struct seq_pos */
    struct ls_error *err;
};

static int json_grow(struct json_buf *b, size_t need, size_t size)
{
    size_t cap = b->cap ? b->cap : 64;
    void *q;

    if (need <= b->cap)
        return 0;
    while (cap < need) {
        if (cap > SIZE_MAX / 2 / size)
            return -1;
        cap *= 2;
    }
    if (!(q = realloc(b->p, cap * size)))
        return -1;
    b->p = q;
    b->cap = cap;
    return 0;
}

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

/* ---- errors ---- */

/* "FILE: " for a whole document, "FILE:LINE: " for one chunk of a stream. */
static int json_prefix(const struct json_ctx *c, char *buf, size_t cap)
{
    return c->line ? snprintf(buf, cap, "%s:%zu: ", c->name, c->line)
                   : snprintf(buf, cap, "%s: ", c->name);
}

static int json_fail(struct json_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int json_fail(struct json_ctx *c, const char *fmt, ...)
{
    char where[512], what[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    json_prefix(c, where, sizeof where);
    return ls_error_set(c->err, "%s%s", where, what);
}

/* "LIST[i].TOP[j].FIELD" (parts left out when absent) into buf. */
static const char *json_path(const struct json_loc *loc, const char *field, char *buf,
                             size_t cap)
{
    size_t o = (size_t)snprintf(buf, cap, "%s[%zu]", loc->list, loc->i);

    if (loc->top && o < cap)
        o += (size_t)snprintf(buf + o, cap - o, ".%s[%zu]", loc->top, loc->j);
    if (field && o < cap)
        snprintf(buf + o, cap - o, ".%s", field);
    return buf;
}

static int json_fail_at(struct json_ctx *c, const struct json_loc *loc, const char *field,
                        const char *what)
{
    char path[256];

    return json_fail(c, "%s: %s", json_path(loc, field, path, sizeof path), what);
}

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "something else";
}

/* ---- the text: bare words, and positions back in the file ---- */

static bool json_word_char(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '.' || ch == '+' || ch == '-';
}

/* Length of a bare NaN / Infinity / -Infinity at d[i], or 0. */
static size_t json_bare_word(const unsigned char *d, size_t len, size_t i)
{
    static const char *const words[] = {"-Infinity", "Infinity", "NaN"};

    if (i > 0 && json_word_char(d[i - 1]))
        return 0;
    for (size_t w = 0; w < 3; w++) {
        size_t n = strlen(words[w]);
        if (len - i >= n && memcmp(d + i, words[w], n) == 0 &&
            (i + n == len || !json_word_char(d[i + n])))
            return n;
    }
    return 0;
}

/* Does d[0..len) contain word anywhere? */
static bool json_contains(const unsigned char *d, size_t len, const char *word)
{
    size_t n = strlen(word);

    for (const unsigned char *p = d, *end = d + len;
         (p = memchr(p, word[0], (size_t)(end - p))); p++)
        if ((size_t)(end - p) >= n && memcmp(p, word, n) == 0)
            return true;
    return false;
}

/* Finds the bare words outside strings (a string never spans lines in valid JSON, so a
 * line end closes one) and, when there are any, quotes them in a copy. */
static int json_text_init(struct json_text *t, const unsigned char *d, size_t len)
{
    size_t count = 0, o = 0, q = 0;
    bool in_str = false;

    memset(t, 0, sizeof *t);
    t->orig = d;
    t->orig_len = len;
    t->text = (const char *)d;
    t->len = len;
    if (!json_contains(d, len, "NaN") && !json_contains(d, len, "Infinity"))
        return 0; /* the usual case, found at memchr speed */
    for (int pass = 0; pass < 2; pass++) {
        in_str = false;
        for (size_t i = 0; i < len; i++) {
            unsigned char ch = d[i];
            size_t w = 0;
            if (in_str) {
                if (ch == '\\' && i + 1 < len && d[i + 1] != '\n')
                    i++;
                else if (ch == '"' || ch == '\n')
                    in_str = false;
            } else if (ch == '"') {
                in_str = true;
            } else if ((ch == 'N' || ch == 'I' || ch == '-') && (w = json_bare_word(d, len, i))) {
                if (pass == 0) {
                    count++;
                } else {
                    memcpy(t->copy + o, d + q, i - q);
                    o += i - q;
                    t->quoted[t->n_quoted++] = o;
                    t->copy[o++] = '"';
                    memcpy(t->copy + o, d + i, w);
                    o += w;
                    t->copy[o++] = '"';
                    q = i + w;
                }
                i += w - 1;
            }
        }
        if (pass == 0) {
            if (count == 0)
                return 0;
            t->copy = malloc(len + 2 * count);
            t->quoted = malloc(count * sizeof *t->quoted);
            if (!t->copy || !t->quoted)
                return -1;
        }
    }
    memcpy(t->copy + o, d + q, len - q);
    t->text = t->copy;
    t->len = len + 2 * count;
    return 0;
}

static void json_text_free(struct json_text *t)
{
    free(t->copy);
    free(t->quoted);
}

/* An offset in the text jansson read, back in the file. */
static size_t json_orig_offset(const struct json_text *t, size_t p)
{
    size_t back = 0;

    for (size_t k = 0; k < t->n_quoted && t->quoted[k] < p; k++) {
        char first = t->text[t->quoted[k] + 1];
        size_t word = first == '-' ? 9 : first == 'I' ? 8 : 3; /* -Infinity, Infinity, NaN */
        back += p > t->quoted[k] + word + 1 ? 2 : 1;
    }
    return p - back;
}

/* Line and column (in characters, as jansson counts them) of a file offset. */
static void json_line_col(const struct json_text *t, size_t off, size_t *line, size_t *col)
{
    size_t ln = 1, start = 0, cl = 0;

    off = off > t->orig_len ? t->orig_len : off;
    for (size_t i = 0; i < off; i++)
        if (t->orig[i] == '\n') {
            ln++;
            start = i + 1;
        }
    for (size_t i = start; i < off; i++)
        cl += (t->orig[i] & 0xc0) != 0x80;
    *line = ln;
    *col = cl;
}

/* A jansson syntax error at text offset base + e->position, as FILE:LINE:COL: what. */
static int json_syntax_error(struct json_ctx *c, size_t base, const json_error_t *e)
{
    size_t line, col, pos = e->position > 0 ? (size_t)e->position : 0;
    char shown[2 * sizeof e->text];

    json_line_col(c->t, json_orig_offset(c->t, base + pos), &line, &col);
    text_escape(e->text, strlen(e->text), 0, shown, sizeof shown);
    return ls_error_set(c->err, "%s:%zu:%zu: %s", c->name, line, col, shown);
}

/* ---- values ---- */

/* A number field, with NaN and the infinities also as strings. *why says what is wrong. */
static bool json_number(const json_t *v, double *out, const char **why)
{
    const char *s;

    if (json_is_number(v)) {
        *out = json_number_value(v);
        return true;
    }
    if (json_is_string(v)) {
        s = json_string_value(v);
        if (strcmp(s, "-Infinity") == 0 || strcmp(s, "Infinity") == 0 || strcmp(s, "NaN") == 0) {
            *out = s[0] == '-' ? -INFINITY : s[0] == 'I' ? INFINITY : NAN;
            return true;
        }
    }
    *why = json_kind(v);
    return false;
}

/* A log-probability or probability field of obj, checked. */
static int json_value(struct json_ctx *c, const json_t *obj, const char *key, bool probs,
                      const struct json_loc *loc, double *out)
{
    const json_t *v = json_object_get(obj, key);
    const char *kind = NULL;
    char what[96];

    if (!v) {
        snprintf(what, sizeof what, "has no \"%s\"", key);
        return json_fail_at(c, loc, NULL, what);
    }
    if (!json_number(v, out, &kind)) {
        snprintf(what, sizeof what, "is %s, not a number", kind);
        return json_fail_at(c, loc, key, what);
    }
    if (vocab_logit_problem(*out))
        return json_fail_at(c, loc, key, vocab_logit_problem(*out));
    if (probs && *out < 0)
        return json_fail_at(c, loc, key, "is negative (a probability)");
    if (probs && *out > 1 + JSON_PROB_SLACK)
        return json_fail_at(c, loc, key, "is above 1 (a probability)");
    return 0;
}

/* An optional non-negative integer id; -1 when absent. */
static int json_id(struct json_ctx *c, const json_t *obj, const struct json_loc *loc,
                   long long *id)
{
    const json_t *v = json_object_get(obj, "id");

    *id = -1;
    if (!v)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return json_fail_at(c, loc, "id", "is not a token id (a whole number >= 0)");
    *id = json_integer_value(v);
    return 0;
}

/* Appends a token's bytes to b: `bytes` when it is an array, else the text field.
 * OpenAI's legacy tokens write bytes that are not UTF-8 as "bytes:\xe2\x80", undone here
 * when `legacy`. */
static int json_append_bytes(struct json_buf *b, const char *s, size_t n)
{
    if (json_grow(b, b->n + n + 1, 1) < 0)
        return -1;
    memcpy((char *)b->p + b->n, s, n);
    b->n += n;
    return 0;
}

static int json_hex(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0'
         : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
         : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* "bytes:\xe2\x80" (one or more \xHH and nothing else) to its bytes; false when s is not
 * that form. */
static bool json_legacy_bytes(const char *s, size_t n, char *out, size_t *out_n)
{
    size_t o = 0;

    if (n < 10 || memcmp(s, "bytes:", 6) != 0 || (n - 6) % 4 != 0)
        return false;
    for (size_t i = 6; i < n; i += 4) {
        int hi = json_hex(s[i + 2]), lo = json_hex(s[i + 3]);
        if (s[i] != '\\' || s[i + 1] != 'x' || hi < 0 || lo < 0)
            return false;
        out[o++] = (char)(hi * 16 + lo);
    }
    *out_n = o;
    return true;
}

static int json_token_text(const char *s, size_t n, bool legacy, struct json_buf *b)
{
    char raw[64];
    size_t rn;

    if (legacy && n < 4 * sizeof raw && json_legacy_bytes(s, n, raw, &rn))
        return json_append_bytes(b, raw, rn);
    return json_append_bytes(b, s, n);
}

static int json_token(struct json_ctx *c, const json_t *obj, const char *token_key,
                      const struct json_loc *loc, struct json_buf *b)
{
    const json_t *bytes = json_object_get(obj, "bytes"), *tok;
    char what[96];

    if (bytes && !json_is_null(bytes)) {
        size_t n = json_array_size(bytes), k;
        json_t *x;
        if (!json_is_array(bytes)) {
            snprintf(what, sizeof what, "is %s, not an array of bytes", json_kind(bytes));
            return json_fail_at(c, loc, "bytes", what);
        }
        if (json_grow(b, b->n + n + 1, 1) < 0)
            return json_fail(c, "out of memory");
        json_array_foreach(bytes, k, x) {
            if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > 255) {
                char field[48];
                snprintf(field, sizeof field, "bytes[%zu]", k);
                return json_fail_at(c, loc, field, "is not a byte (a whole number 0-255)");
            }
            ((char *)b->p)[b->n++] = (char)json_integer_value(x);
        }
        return 0;
    }
    if (!(tok = json_object_get(obj, token_key))) {
        snprintf(what, sizeof what, "has no \"%s\"", token_key);
        return json_fail_at(c, loc, NULL, what);
    }
    if (!json_is_string(tok)) {
        snprintf(what, sizeof what, "is %s, not a string", json_kind(tok));
        return json_fail_at(c, loc, token_key, what);
    }
    if (json_token_text(json_string_value(tok), json_string_length(tok), false, b) < 0)
        return json_fail(c, "out of memory");
    return 0;
}

/* ---- building positions ---- */

static int json_add_candidate(struct json_ctx *c, size_t off, size_t len, double value)
{
    size_t n = c->values.n;

    if (len > UINT32_MAX)
        return json_fail(c, "a token longer than 4 GiB");
    if (json_grow(&c->values, n + 1, sizeof(double)) < 0 ||
        json_grow(&c->tok_off, n + 1, sizeof(size_t)) < 0 ||
        json_grow(&c->tok_len, n + 1, sizeof(uint32_t)) < 0)
        return json_fail(c, "out of memory after %zu candidates", n);
    ((double *)c->values.p)[n] = value;
    ((size_t *)c->tok_off.p)[n] = off;
    ((uint32_t *)c->tok_len.p)[n] = (uint32_t)len;
    c->values.n = c->tok_off.n = c->tok_len.n = n + 1;
    return 0;
}

/* The candidates since `first` are complete: checks that one can be chosen, records the
 * position. */
static int json_end_position(struct json_ctx *c, const struct json_loc *loc, size_t first,
                             size_t chosen, bool listed, double chosen_value, bool probs)
{
    const double *v = (const double *)c->values.p + first;
    size_t n = c->values.n - first, live = 0;
    double mass = 0;
    struct seq_pos *p;

    for (size_t k = 0; k < n; k++) {
        live += probs ? v[k] > 0 : !isinf(v[k]);
        mass += probs ? v[k] : exp(v[k]);
    }
    if (live == 0)
        return json_fail_at(c, loc, NULL, probs ? "every candidate has probability 0"
                                                : "every candidate has log-probability -inf");
    if (json_grow(&c->pos, c->pos.n + 1, sizeof *p) < 0 ||
        json_grow(&c->first, c->first.n + 2, sizeof(size_t)) < 0)
        return json_fail(c, "out of memory after %zu positions", c->pos.n);
    p = (struct seq_pos *)c->pos.p + c->pos.n++;
    *p = (struct seq_pos){.n = n, .chosen = chosen, .chosen_listed = listed,
                          .chosen_value = chosen_value, .known_mass = probs ? NAN : mass};
    ((size_t *)c->first.p)[c->first.n++] = first;
    return 0;
}

static bool json_same_bytes(const struct json_ctx *c, size_t off, size_t len)
{
    return len == c->scratch.n && memcmp((const char *)c->text.p + off, c->scratch.p, len) == 0;
}

static bool json_same_value(double a, double b)
{
    return isnan(a) || a == b || fabs(a - b) <= JSON_SAME_VALUE * fmax(1, fabs(a));
}

static int json_set_format(struct json_ctx *c, enum seq_format f)
{
    if (c->have_format && c->s->format != f)
        return json_fail(c, "%s data after %s data", seq_format_name(f),
                         seq_format_name(c->s->format));
    c->have_format = true;
    c->s->format = f;
    return 0;
}

/* One entry of the chat / llama.cpp / Ollama lists: the chosen token, then its list. The
 * chosen token is the list item with the same id when both have ids, else the first with
 * the same bytes and number; when none is, it is added after the list. */
static int json_entry(struct json_ctx *c, const json_t *e, const struct json_shape *sh,
                      struct json_loc *loc)
{
    const json_t *top, *item;
    size_t first = c->values.n, chosen = SEQ_NONE, k;
    double chosen_value = NAN, value;
    long long chosen_id, id;
    char what[160];

    loc->top = NULL;
    if (!json_is_object(e)) {
        snprintf(what, sizeof what, "is %s, not an object", json_kind(e));
        return json_fail_at(c, loc, NULL, what);
    }
    c->scratch.n = 0;
    if (json_token(c, e, sh->chosen_key, loc, &c->scratch) < 0 ||
        (sh->chosen_has_value &&
         json_value(c, e, sh->value_key, sh->probs, loc, &chosen_value) < 0) ||
        json_id(c, e, loc, &chosen_id) < 0)
        return -1;
    top = json_object_get(e, sh->top_key);
    if (!top || json_is_null(top) || (json_is_array(top) && json_array_size(top) == 0)) {
        snprintf(what, sizeof what, "%s \"%s\" (%s)",
                 top ? "has an empty" : "has no", sh->top_key, sh->hint);
        return json_fail_at(c, loc, NULL, what);
    }
    if (!json_is_array(top)) {
        snprintf(what, sizeof what, "is %s, not an array", json_kind(top));
        return json_fail_at(c, loc, sh->top_key, what);
    }
    loc->top = sh->top_key;
    json_array_foreach(top, k, item) {
        size_t off = c->text.n;
        loc->j = k;
        if (!json_is_object(item)) {
            snprintf(what, sizeof what, "is %s, not an object", json_kind(item));
            return json_fail_at(c, loc, NULL, what);
        }
        if (json_token(c, item, sh->token_key, loc, &c->text) < 0 ||
            json_value(c, item, sh->value_key, sh->probs, loc, &value) < 0 ||
            json_id(c, item, loc, &id) < 0 ||
            json_add_candidate(c, off, c->text.n - off, value) < 0)
            return -1;
        if (chosen == SEQ_NONE &&
            (chosen_id >= 0 && id >= 0 ? chosen_id == id
                                       : json_same_bytes(c, off, c->text.n - off) &&
                                             json_same_value(chosen_value, value))) {
            chosen = k;
            if (!sh->chosen_has_value)
                chosen_value = value;
        }
    }
    loc->top = NULL;
    if (chosen == SEQ_NONE) { /* sampled from outside the list */
        size_t off = c->text.n;
        if (json_append_bytes(&c->text, c->scratch.p, c->scratch.n) < 0 ||
            json_add_candidate(c, off, c->scratch.n,
                               isnan(chosen_value) ? (sh->probs ? 0 : -INFINITY)
                                                   : chosen_value) < 0)
            return json_fail(c, "out of memory");
        chosen = c->values.n - 1 - first;
    }
    return json_end_position(c, loc, first, chosen, chosen < json_array_size(top),
                             chosen_value, sh->probs);
}

/* A list of entries: chat's logprobs.content, Ollama's logprobs, llama.cpp's
 * completion_probabilities (whose shape is told by each entry's keys). */
static int json_entries(struct json_ctx *c, const json_t *list, const struct json_shape *sh,
                        struct json_loc *loc)
{
    const json_t *e;
    size_t i;

    if (!json_is_array(list))
        return json_fail(c, "%s: is %s, not an array", loc->list, json_kind(list));
    json_array_foreach(list, i, e) {
        loc->i = i;
        if (!sh && !json_is_object(e)) {
            return json_fail(c, "%s[%zu]: is %s, not an object", loc->list, i, json_kind(e));
        } else if (!sh) { /* llama.cpp: the shape is told by the entry's keys */
            const struct json_shape *each =
                json_object_get(e, "probs") ? &json_llama_old
                : json_object_get(e, "top_probs") || json_object_get(e, "prob") ? &json_llama_post
                : &json_llama;
            if (json_set_format(c, each->format) < 0 || json_entry(c, e, each, loc) < 0)
                return -1;
        } else if (json_entry(c, e, sh, loc) < 0) {
            return -1;
        }
    }
    return 0;
}

/* A legacy completions logprobs object: parallel arrays, candidates keyed by text. */
static int json_legacy(struct json_ctx *c, const json_t *lp, const char *base)
{
    const json_t *tokens = json_object_get(lp, "tokens");
    const json_t *lps = json_object_get(lp, "token_logprobs");
    const json_t *tops = json_object_get(lp, "top_logprobs");
    size_t n = json_array_size(tokens);
    struct json_loc loc = {.top = NULL};

    snprintf(loc.list, sizeof loc.list, "%s.top_logprobs", base);
    if (!json_is_array(tokens))
        return json_fail(c, "%s.tokens: is %s, not an array", base, json_kind(tokens));
    if (!lps)
        return json_fail(c, "%s: has no \"token_logprobs\"", base);
    if (!json_is_array(lps) || json_array_size(lps) != n)
        return json_fail(c, "%s.token_logprobs: %s", base, json_is_array(lps) ?
                         "does not have one entry per token" : "is not an array");
    if (!tops || json_is_null(tops))
        return json_fail(c, "%s: has no \"top_logprobs\" (ask for \"logprobs\": N)", base);
    if (!json_is_array(tops) || json_array_size(tops) != n)
        return json_fail(c, "%s.top_logprobs: %s", base, json_is_array(tops) ?
                         "does not have one entry per token" : "is not an array");
    for (size_t i = 0; i < n; i++) {
        const json_t *tok = json_array_get(tokens, i), *top = json_array_get(tops, i), *x;
        size_t first = c->values.n, chosen = SEQ_NONE, k = 0;
        double chosen_value, value;
        const char *key, *kind = NULL;
        char shown[64];

        loc.i = i;
        if (!json_is_string(tok))
            return json_fail(c, "%s.tokens[%zu]: is %s, not a string", base, i, json_kind(tok));
        c->scratch.n = 0;
        if (json_token_text(json_string_value(tok), json_string_length(tok), true,
                            &c->scratch) < 0)
            return json_fail(c, "out of memory");
        if (!json_number(json_array_get(lps, i), &chosen_value, &kind))
            return json_fail(c, "%s.token_logprobs[%zu]: is %s, not a number", base, i, kind);
        if (vocab_logit_problem(chosen_value))
            return json_fail(c, "%s.token_logprobs[%zu]: %s", base, i,
                             vocab_logit_problem(chosen_value));
        if (!json_is_object(top) || json_object_size(top) == 0)
            return json_fail(c, "%s.top_logprobs[%zu]: is %s (ask for \"logprobs\": N)", base, i,
                             json_is_object(top) ? "empty" : json_kind(top));
        json_object_foreach((json_t *)top, key, x) {
            size_t off = c->text.n, klen = strlen(key);
            if (!json_number(x, &value, &kind) || vocab_logit_problem(value)) {
                text_escape(key, klen < 40 ? klen : 40, 0, shown, sizeof shown);
                return json_fail(c, "%s.top_logprobs[%zu][\"%s\"]: %s%s%s", base, i, shown,
                                 kind ? "is " : vocab_logit_problem(value), kind ? kind : "",
                                 kind ? ", not a number" : "");
            }
            if (json_token_text(key, klen, true, &c->text) < 0 ||
                json_add_candidate(c, off, c->text.n - off, value) < 0)
                return -1;
            if (chosen == SEQ_NONE && json_same_bytes(c, off, c->text.n - off) &&
                json_same_value(chosen_value, value))
                chosen = k;
            k++;
        }
        if (chosen == SEQ_NONE) {
            size_t off = c->text.n;
            if (json_append_bytes(&c->text, c->scratch.p, c->scratch.n) < 0 ||
                json_add_candidate(c, off, c->scratch.n, chosen_value) < 0)
                return -1;
            chosen = k;
        }
        if (json_end_position(c, &loc, first, chosen, chosen < k, chosen_value, false) < 0)
            return -1;
    }
    return 0;
}

/* choices[]: the one whose index is the requested choice (its position in the array when
 * choices carry no index). */
static int json_choices(struct json_ctx *c, const json_t *choices)
{
    const json_t *ch, *idx, *lp, *content;
    size_t k;
    struct json_loc loc = {.top = NULL};
    char base[64];

    if (!json_is_array(choices))
        return json_fail(c, "choices: is %s, not an array", json_kind(choices));
    json_array_foreach(choices, k, ch) {
        size_t index = k;
        snprintf(base, sizeof base, "choices[%zu]", k);
        if (!json_is_object(ch))
            return json_fail(c, "%s: is %s, not an object", base, json_kind(ch));
        if ((idx = json_object_get(ch, "index"))) {
            if (!json_is_integer(idx) || json_integer_value(idx) < 0)
                return json_fail(c, "%s.index: is not a whole number >= 0", base);
            index = (size_t)json_integer_value(idx);
        }
        if (index < SIZE_MAX && index + 1 > c->choices)
            c->choices = index + 1;
        if (index != c->choice)
            continue;
        lp = json_object_get(ch, "logprobs");
        if (!lp || json_is_null(lp)) {
            c->saw_no_logprobs = true;
            continue;
        }
        snprintf(base, sizeof base, "choices[%zu].logprobs", k);
        if (!json_is_object(lp))
            return json_fail(c, "%s: is %s, not an object", base, json_kind(lp));
        if ((content = json_object_get(lp, "content"))) {
            if (json_set_format(c, SEQ_OPENAI_CHAT) < 0)
                return -1;
            if (json_is_null(content)) {
                c->saw_no_logprobs = true;
                continue;
            }
            snprintf(loc.list, sizeof loc.list, "%s.content", base);
            if (json_entries(c, content, &json_chat, &loc) < 0)
                return -1;
        } else if (json_object_get(lp, "tokens")) {
            if (json_set_format(c, SEQ_OPENAI_LEGACY) < 0 || json_legacy(c, lp, base) < 0)
                return -1;
        } else {
            return json_fail(c, "%s: has neither \"content\" (chat) nor \"tokens\" (legacy)",
                             base);
        }
    }
    return 0;
}

/* A server's own error object instead of a response. */
static int json_server_error(struct json_ctx *c, const json_t *e)
{
    const json_t *m = json_is_object(e) ? json_object_get(e, "message") : e;
    char shown[4 * JSON_ERROR_EXCERPT + 8];
    size_t n;

    if (!json_is_string(m))
        return json_fail(c, "the server returned an error instead of a response");
    n = json_string_length(m);
    text_escape(json_string_value(m), n < JSON_ERROR_EXCERPT ? n : JSON_ERROR_EXCERPT, 0,
                shown, sizeof shown);
    return json_fail(c, "the server returned an error: %s%s", shown,
                     n > JSON_ERROR_EXCERPT ? "..." : "");
}

/* One document or chunk. Chunks that carry no log-probabilities (a stream's first and last
 * events, usage reports) are passed over. */
static int json_chunk(struct json_ctx *c, const json_t *root)
{
    const json_t *x;
    struct json_loc loc = {.top = NULL};

    if (!json_is_object(root))
        return json_fail(c, "the top level is %s, not an object", json_kind(root));
    if ((x = json_object_get(root, "error")) && !json_is_null(x) && !json_is_false(x))
        return json_server_error(c, x);
    if ((x = json_object_get(root, "choices"))) {
        c->saw_object = true;
        return json_choices(c, x);
    }
    if ((x = json_object_get(root, "completion_probabilities"))) {
        c->saw_object = true;
        snprintf(loc.list, sizeof loc.list, "completion_probabilities");
        return json_entries(c, x, NULL, &loc);
    }
    if ((x = json_object_get(root, "logprobs"))) {
        c->saw_object = true;
        if (json_set_format(c, SEQ_OLLAMA) < 0)
            return -1;
        if (json_is_null(x)) {
            c->saw_no_logprobs = true;
            return 0;
        }
        snprintf(loc.list, sizeof loc.list, "logprobs");
        return json_entries(c, x, &json_ollama, &loc);
    }
    if (json_object_get(root, "content") || json_object_get(root, "response") ||
        json_object_get(root, "message") || json_object_get(root, "done")) {
        c->saw_object = true; /* a llama.cpp or Ollama response without log-probabilities */
        c->saw_no_logprobs = true;
    }
    return 0;
}

/* ---- reading the stream ---- */

/* Parses text[off, off + n) as exactly one value (or the first of several, `first_only`). */
static json_t *json_parse(struct json_ctx *c, size_t off, size_t n, bool first_only,
                          size_t *used)
{
    json_error_t e;
    json_t *v = json_loadb(c->t->text + off, n, JSON_ALLOW_NUL |
                           (first_only ? JSON_DISABLE_EOF_CHECK : 0), &e);

    if (!v) {
        json_syntax_error(c, off, &e);
        return NULL;
    }
    if (used)
        *used = (size_t)e.position;
    return v;
}

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

static bool json_line_has(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);

    return n >= w && memcmp(s, word, w) == 0;
}

/* Server-sent events: every data: line holds one chunk, up to data: [DONE]. */
static int json_events(struct json_ctx *c, size_t off)
{
    size_t line = 1;

    c->s->stream = SEQ_SSE;
    for (size_t i = off, end; i < c->t->len; i = end + 1, line++) {
        const char *s = c->t->text + i, *nl = memchr(s, '\n', c->t->len - i);
        size_t n = nl ? (size_t)(nl - s) : c->t->len - i, d = 5;
        json_t *v;
        int rc;

        end = i + n;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (n == 0 || s[0] == ':' || json_line_has(s, n, "event:") ||
            json_line_has(s, n, "id:") || json_line_has(s, n, "retry:"))
            continue;
        if (!json_line_has(s, n, "data:")) {
            c->line = line;
            return json_fail(c, "not a server-sent event line (expected \"data: {...}\")");
        }
        while (d < n && (s[d] == ' ' || s[d] == '\t'))
            d++;
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
        char *source = s->source;
        s->source = NULL;
        seq_free(s);
        s->source = source;
        return -1;
    }
    return 0;
}
