/* seq_json_shape.c: the readers of each response shape (OpenAI chat and legacy
 * completions, llama.cpp /completion in its three shapes, Ollama) into one flat list of
 * candidates and their positions. A number field also takes "NaN", "Infinity" and
 * "-Infinity" as strings (seq_json_text.c writes bare ones so): -Infinity is a valid
 * log-probability; NaN and +Infinity are reported as such, with their path. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "logitscope/parse.h"
#include "logitscope/text.h"
#include "seq_json_internal.h"
#include "vocab_build.h"

#define JSON_PROB_SLACK 1e-6   /* a probability printed as 1.0000001 is still one */
#define JSON_SAME_VALUE 1e-6   /* the chosen token's number and its list entry's, relative */
#define JSON_ERROR_EXCERPT 160 /* bytes of a server's own error message quoted */

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

/* "bytes:\xe2\x80" (one or more \xHH and nothing else) to its bytes; false when s is not
 * that form. */
static bool json_legacy_bytes(const char *s, size_t n, char *out, size_t *out_n)
{
    size_t o = 0;

    if (n < 10 || memcmp(s, "bytes:", 6) != 0 || (n - 6) % 4 != 0)
        return false;
    for (size_t i = 6; i < n; i += 4) {
        int hi = parse_hex_digit(s[i + 2]), lo = parse_hex_digit(s[i + 3]);
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
int json_chunk(struct json_ctx *c, const json_t *root)
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
