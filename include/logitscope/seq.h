/* seq.h: real model output opened as a sequence of positions. Each position is a small
 * vocabulary (the candidates a server listed there, or a whole row of logits) plus the token
 * that was chosen; the generated text is the chosen tokens one after another. The format is
 * told by the content (seq_detect), never by the file name. */
#ifndef LOGITSCOPE_SEQ_H
#define LOGITSCOPE_SEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "logitscope/engine.h"
#include "logitscope/error.h"
#include "logitscope/vocab.h"

enum seq_format {
    SEQ_OPENAI_CHAT,   /* choices[i].logprobs.content[]: OpenAI, vLLM, llama.cpp /v1 */
    SEQ_OPENAI_LEGACY, /* choices[i].logprobs.{tokens, token_logprobs, top_logprobs} */
    SEQ_LLAMACPP,      /* completion_probabilities[] with logprob / top_logprobs */
    SEQ_LLAMACPP_POST, /* ... with prob / top_probs (post_sampling_probs) */
    SEQ_LLAMACPP_OLD,  /* ... with probs[] of tok_str / prob (2023-24 servers) */
    SEQ_OLLAMA,        /* a top-level logprobs[] (/api/generate, /api/chat) */
    SEQ_NPY,           /* a 2-D .npy of logits, positions x V */
};

/* What the numbers in the file are. Each position's vocabulary holds logits either way:
 * log-probabilities as they are, probabilities as their logs, logits as they are. */
enum seq_values {
    SEQ_LOGPROBS, /* log-probabilities over the model's whole vocabulary (before sampling) */
    SEQ_PROBS,    /* probabilities after the server's own sampler chain */
    SEQ_LOGITS,   /* raw logits: a .npy, or "logprobs" whose listed mass exceeds 1 */
};

enum seq_stream {
    SEQ_WHOLE,  /* one JSON document (or a .npy) */
    SEQ_SSE,    /* server-sent events: data: {...} lines, up to data: [DONE] */
    SEQ_NDJSON, /* one JSON object after another (Ollama's stream) */
};

#define SEQ_NONE ((size_t)-1)

struct seq_opts {
    const char *vocab_path;  /* .npy: token names, one per line (TSV escapes); NULL: "#ID" */
    const char *tokens_path; /* .npy: the chosen ids (1-D integer .npy, or one per line) */
    size_t choice;           /* which of several choices in one response; 0 = the first */
};

/* One position, as the file gives it. */
struct seq_pos {
    size_t n;            /* candidates: the size of this position's vocabulary */
    size_t chosen;       /* file index of the chosen token in that vocabulary; SEQ_NONE
                          * when the file does not say (a .npy without --tokens) */
    bool chosen_listed;  /* the file's candidate list held it; false: it was added after */
    double chosen_value; /* its number as the file gives it (log-probability, probability or
                          * logit); NaN when unknown (an old llama.cpp list that lacks it) */
    double known_mass;   /* sum of the listed probabilities when values == SEQ_LOGPROBS
                          * ("top 20 hold 97.3%"), else NaN */
    size_t text_off;     /* the chosen token's bytes: seq.text[text_off, text_off + text_len) */
    size_t text_len;
};

struct seq_data; /* private: candidates, or the mapped .npy */

/* A loaded sequence. Fields are read-only for callers. */
struct seq {
    char *source;           /* the path ("<stdin>" for "-"), for messages */
    enum seq_format format;
    enum seq_values values;
    enum seq_stream stream;
    bool post_sampling;     /* the numbers come after the server's sampler chain */
    size_t n;               /* positions, >= 1 */
    size_t max_candidates;  /* the largest position vocabulary (V for a .npy) */
    size_t choices;         /* choices in the file (1 for formats without them) */
    bool has_chosen;        /* positions know their chosen token */
    /* The chosen tokens' raw bytes one after another; escaping is the display's job. Never
     * NULL after a load, NUL-terminated for convenience (the bytes may hold NULs too). */
    char *text;
    size_t text_len;
    struct seq_pos *pos;    /* pos[0 .. n) */
    struct seq_data *data;
};

/* Loads PATH ("-": standard input, read whole) as any of the formats above. On error
 * returns -1, leaves *s empty and fills err with "FILE:LINE:COL: what" (JSON syntax),
 * "FILE: path.to[3].field: what" (a whole document's shape), "FILE:LINE: path: what" (one
 * chunk of a stream) or "FILE: what". o may be NULL (defaults). */
int seq_load(struct seq *s, const char *path, const struct seq_opts *o, struct ls_error *err);

/* The same from bytes already in memory (standard input read once by the caller, then
 * dispatched with seq_detect). Takes ownership of data, a malloc'd buffer, in every case;
 * name is used in messages. */
int seq_load_memory(struct seq *s, const char *name, unsigned char *data, size_t size,
                    const struct seq_opts *o, struct ls_error *err);

void seq_free(struct seq *s);

/* Position i's candidates as a sorted vocabulary, ready for dist_init / engine_apply, or
 * NULL with err filled (a .npy row holding NaN cannot happen: rows are checked on load;
 * only running out of memory fails). The result is valid until the next seq_vocab() call on
 * the same sequence, or seq_free(). JSON formats in fact keep one vocabulary per position
 * for the sequence's life; a .npy has one working vocabulary of V tokens that each call
 * refills in place (same pointers, new contents and a new n_finite: a dist bound to it needs
 * dist_invalidate, and dist_init again when n_finite has grown past what it was sized for).
 * A .npy row is sorted on its first visit and its rank order kept, so a revisit costs a
 * decode and a gather. */
const struct vocab *seq_vocab(struct seq *s, size_t i, struct ls_error *err);

/* The history at position i, for engine_apply_history on seq_vocab(s, i) = v: the tokens
 * chosen at positions 0 .. i-1 with their text, each found in v by that text (a .npy's
 * positions share one vocabulary: there the chosen id is the index), HISTORY_ABSENT when v
 * lacks it. tokens, text and len have room for i entries (the caller's, reused from position
 * to position); mirostat's mu is the caller's to set. */
struct history seq_history(const struct seq *s, size_t i, const struct vocab *v,
                           uint32_t *tokens, const char **text, size_t *len);

/* "OpenAI chat", "llama.cpp /completion (post-sampling)", ... */
const char *seq_format_name(enum seq_format f);
/* "log-probabilities", "probabilities", "logits" */
const char *seq_values_name(enum seq_values v);

/* Does this content hold a sequence (true) or a single vocabulary, TSV or 1-D .npy (false)?
 * head is the start of the file: give at least its first 64 KiB, or all of it when shorter
 * (a .npy header must be whole to tell 2-D from 1-D). A sequence is a JSON object, a stream
 * of server-sent events with data: lines, or a 2-D .npy. */
bool seq_detect(const void *head, size_t len);

/* seq_detect on the start of a file; -1 with err when it cannot be read. */
int seq_detect_path(const char *path, bool *is_seq, struct ls_error *err);

/* Reads a whole stream (standard input) into a new malloc'd buffer (*data, *size; NUL
 * appended past the end). name is used in messages. */
int seq_read_stream(FILE *f, const char *name, unsigned char **data, size_t *size,
                    struct ls_error *err);

#endif
