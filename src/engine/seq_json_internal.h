/* seq_json_internal.h: what the JSON reader's three parts share: the reading layer
 * (seq_json_text.c), the readers of each response shape (seq_json_shape.c) and the load
 * with its streams (seq_json.c). Not installed. */
#ifndef LOGITSCOPE_SEQ_JSON_INTERNAL_H
#define LOGITSCOPE_SEQ_JSON_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "logitscope/error.h"
#include "logitscope/seq.h"

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

/* One load: what is read, where, and the candidates and positions found so far. */
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

int json_grow(struct json_buf *b, size_t need, size_t size);

/* The text of d[0..len) as jansson is to read it: d itself, or a copy with bare NaN and
 * Infinity quoted. -1: no memory (json_text_free is still due). */
int json_text_init(struct json_text *t, const unsigned char *d, size_t len);
void json_text_free(struct json_text *t);
/* A value of c->t's text; NULL after reporting a syntax error as FILE:LINE:COL: what. */
json_t *json_parse(struct json_ctx *c, size_t off, size_t n, bool first_only, size_t *used);

/* "FILE: what" for a whole document, "FILE:LINE: what" for one chunk of a stream. */
int json_fail(struct json_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same, after the entry's path: "LIST[i].TOP[j].FIELD: what". */
int json_fail_at(struct json_ctx *c, const struct json_loc *loc, const char *field,
                 const char *what);
/* "an object", "a number", ...: what a value is, for a message. */
const char *json_kind(const json_t *v);

/* One document or chunk (seq_json_shape.c): its positions appended to c. */
int json_chunk(struct json_ctx *c, const json_t *root);

#endif
