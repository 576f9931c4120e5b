/* source.h: where the vocabularies come from. One vocabulary (a TSV, a 1-D .npy), or a
 * sequence of positions, each with its own vocabulary and the token chosen there: a model's
 * output read by seq.h, or any other source that can give a vocabulary per position (a
 * language model asked for its next token after each word of a text has the same shape).
 * The explorer and `sweep` see only this interface. */
#ifndef LOGITSCOPE_APP_SOURCE_H
#define LOGITSCOPE_APP_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "logitscope/error.h"
#include "logitscope/seq.h"
#include "logitscope/vocab.h"

#define SOURCE_NONE ((size_t)-1)

/* What the numbers of a sequence are. */
enum source_numbers {
    SOURCE_LOGPROBS, /* log-probabilities over the model's whole vocabulary: a position's
                      * listed tokens hold a known share of its probability */
    SOURCE_PROBS,    /* probabilities after a sampler chain (post-sampling) */
    SOURCE_LOGITS,   /* raw logits */
};

/* One position's facts, besides its vocabulary. */
struct source_step {
    size_t candidates;    /* the size of its vocabulary */
    size_t chosen;        /* file index of the chosen token in its vocabulary, or SOURCE_NONE */
    bool chosen_listed;   /* the candidate list held it (false: added after) */
    double known_mass;    /* the candidates' share of the model's probability, or NaN */
    size_t text_off, text_len; /* the chosen token's bytes in the source's text */
};

struct source;

/* What a kind of source does; impl is its own state. */
struct source_ops {
    /* Position i's vocabulary, sorted. Valid until the next call on the same source (a
     * shared_vocab source refills one vocabulary in place). NULL with err when it fails. */
    const struct vocab *(*vocab)(const struct source *src, size_t i, struct ls_error *err);
    void (*step)(const struct source *src, size_t i, struct source_step *out);
    /* The tokens chosen before position i, found in v (position i's vocabulary), for the
     * samplers that read a history; NULL: the source has none. */
    struct history (*history)(const struct source *src, size_t i, const struct vocab *v,
                              uint32_t *tokens, const char **text, size_t *len);
};

struct source {
    const struct source_ops *ops;
    void *impl;
    bool sequence;        /* positions to step through (false: one vocabulary) */
    const char *format;   /* "OpenAI chat", ... (NULL for one vocabulary) */
    enum source_numbers numbers;
    size_t n;             /* positions, >= 1 */
    size_t max_vocab;     /* the largest position's vocabulary: what a dist is sized for */
    size_t total_vocab;   /* the vocabularies' sizes added up: the work of a pass over all */
    bool shared_vocab;    /* every position's vocabulary is one, refilled per call */
    bool has_chosen;      /* positions know their chosen token */
    const char *text;     /* the chosen tokens' bytes one after another (raw: escape them) */
    size_t text_len;
};

/* One vocabulary as a source of one position with no chosen token. v is borrowed. */
void source_of_vocab(struct source *src, const struct vocab *v);
/* A loaded sequence; s is borrowed (and refilled through seq_vocab for a .npy). */
void source_of_seq(struct source *src, struct seq *s);

static inline const struct vocab *source_vocab(const struct source *src, size_t i,
                                               struct ls_error *err)
{
    return src->ops->vocab(src, i, err);
}

static inline void source_step(const struct source *src, size_t i, struct source_step *out)
{
    src->ops->step(src, i, out);
}

/* The history of position i for penalties, DRY and mirostat: the tokens chosen at positions
 * 0 .. i-1, found in v (position i's vocabulary) by their text; none for a single vocabulary.
 * tokens, text and len have room for src->n entries. mirostat's mu is NaN (its start). */
struct history source_history(const struct source *src, size_t i, const struct vocab *v,
                              uint32_t *tokens, const char **text, size_t *len);

/* The rank of file index `index` in v's rank order, or SOURCE_NONE. O(V). */
size_t source_rank_of(const struct vocab *v, size_t index);

/* The position whose chosen token holds byte `off` of the text (the last one that starts at
 * or before it); 0 for an empty text. */
size_t source_position_at(const struct source *src, size_t off);

/* "top 20 hold 97.3%", "top 5 and the chosen token hold 97.3%", "post-sampling
 * probabilities" or "logits": what the numbers of position step st are, in a few words. */
void source_numbers_text(const struct source *src, const struct source_step *st, char *buf,
                         size_t cap);

#endif
