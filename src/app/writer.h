/* writer.h: a language model writing text a word at a time through the sampler chain. It
 * holds the prompt and what was written, the next-word vocabulary for the text so far (one
 * buffer, refilled in place for each new context) and its distribution; `logitscope
 * generate`, `sweep --lm` and the explorer all write through it. No curses, no I/O.
 *
 * The prompt is split at white space (ASCII space, tab, newline, CR, VT, FF). Each piece is
 * looked up as typed, then lowercased (lm_lookup_word); a piece the model does not know that
 * begins or ends with ASCII punctuation is looked up again without it ("Hello," reads as
 * "hello"; "it's" and "a." are words of their own in the CMU model and are found first). The
 * text keeps the piece as typed. A piece that is still unknown enters the context as <unk>
 * (LM_NO_WORD when the model has none: it then sees only the words after it) and is marked
 * in the text: ⟨word⟩, [word] in ASCII. Punctuation is not read as the end of a sentence;
 * typing </s> is.
 *
 * The context of the next word is the last order - 1 words, back to the last </s>: after
 * </s> (written or typed) and at the start it begins again at <s>. <s> and <unk> are never
 * written; </s> is, and shows as "</s>".
 *
 * Draws: the k-th written word (k = 0, 1, ...) is drawn with a generator seeded from the
 * seed and k alone, so the same seed and settings write the same words on every run and
 * machine, and taking a word back and writing again with the same settings gives it back. */
#ifndef LOGITSCOPE_APP_WRITER_H
#define LOGITSCOPE_APP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logitscope/engine.h"
#include "logitscope/error.h"
#include "logitscope/lm.h"
#include "logitscope/vocab.h"

#define WRITER_MARK_OPEN "\xe2\x9f\xa8"  /* U+27E8 ⟨ around an unknown prompt word */
#define WRITER_MARK_CLOSE "\xe2\x9f\xa9" /* U+27E9 ⟩ */
#define WRITER_MARK_OPEN_ASCII "["
#define WRITER_MARK_CLOSE_ASCII "]"

/* Why a step failed. */
#define WRITER_NO_MEMORY (-1)
#define WRITER_NO_WORD (-2) /* the model gives every word probability 0 after this text */

/* One word of the text. */
struct writer_word {
    uint32_t id;      /* what the model's context gets: the word's id, or for an unknown
                       * prompt word lm_unk() (LM_NO_WORD when the model has no <unk>) */
    bool written;     /* false: typed in the prompt */
    bool unknown;     /* a prompt word the model does not know */
    size_t off, len;  /* a prompt word's bytes as typed: writer.typed[off, off + len) */
    double logprob;   /* written: ln P(word | its context), the model's own (before the
                       * chain); NaN for a prompt word */
    size_t rank;      /* written: its rank in that context, 0 = the model's likeliest */
    double chain_prob; /* drawn: its probability under the chain it was drawn with; NaN for
                        * a prompt word or a word pushed by hand */
    double mu_before; /* written: mirostat's mu before it (restored when it is taken back) */
};

/* Fields are read-only for callers. */
struct writer {
    const struct lm *lm;
    size_t n;                   /* words: the prompt's, then the written ones */
    size_t n_prompt;
    struct writer_word *words;
    char *typed;                /* the prompt's words, as typed, one after another */
    uint64_t seed;
    double mirostat_mu;         /* mirostat's mu after the words written; NaN: its start */
    /* private */
    size_t cap, typed_cap;
    uint32_t *history;          /* see writer_history() */
    size_t n_history, n_history_prompt;
    uint32_t *ctx;              /* lm_order() ids: the context of the next word */
    struct vocab vocab;         /* file index = word id; logits = ln P for `fresh`'s context */
    struct dist dist;
    bool fresh;                 /* vocab holds the column of the current context */
    char *text;                 /* writer_text()'s buffer */
    size_t text_cap;
};

/* Binds a model (borrowed: it outlives the writer) and allocates everything a step needs:
 * V names, the vocabulary and its distribution. Starts with an empty prompt. -1 with err
 * when out of memory or when the model has no word that can be written. */
int writer_init(struct writer *w, const struct lm *lm, uint64_t seed, struct ls_error *err);
void writer_free(struct writer *w);

/* Replaces the whole text with the words of prompt[0..len) (see above; empty: the start of
 * a sentence). -1 with err when out of memory. */
int writer_set_prompt(struct writer *w, const char *prompt, size_t len, struct ls_error *err);

/* The seed of the following draws; the text stays. */
void writer_set_seed(struct writer *w, uint64_t seed);

/* The ids the model sees before the next word, oldest first: up to lm_order() - 1 of them,
 * <s> first when the context reaches back to the start of a sentence. Returns how many
 * (at most cap are stored). */
size_t writer_context(const struct writer *w, uint32_t *ctx, size_t cap);

/* The next-word vocabulary for the text so far: every word of the model, file index = id,
 * logit = ln P(word | context), <s> and <unk> at -inf. Computed when the text changed,
 * else as it is. NULL with err when out of memory, or when the model gives every word
 * probability 0 in this context (an ARPA file can say -inf). Valid until the text
 * changes. */
const struct vocab *writer_vocab(struct writer *w, struct ls_error *err);
/* The same, telling why it failed: 0, WRITER_NO_MEMORY or WRITER_NO_WORD (err filled). */
int writer_prepare(struct writer *w, struct ls_error *err);

/* The chain p (checked by params_check) applied to that vocabulary; NULL as above. Valid
 * until the next writer call that changes the text or applies again. */
const struct dist *writer_dist(struct writer *w, const struct params *p, struct ls_error *err);

/* Runs the chain p on d, a dist bound to this writer's vocabulary for the text so far
 * (writer_vocab, then dist_bind), with the text as the history penalties, DRY and mirostat
 * read (writer_history, and mirostat's mu after the words written). Every chain a writer's
 * text goes through runs here: writer_dist's, writer_write's and the explorer's own dists.
 * -1 when there was no memory for penalties' re-sorted copy: d is then computed without
 * penalties and DRY (engine_apply_history). */
int writer_apply(const struct writer *w, struct dist *d, const struct params *p);

/* Draws the next word with the chain p and appends it; its id in *id when id is not NULL.
 * 0, or WRITER_NO_MEMORY / WRITER_NO_WORD with err (nothing appended). */
int writer_write(struct writer *w, const struct params *p, uint32_t *id, struct ls_error *err);

/* Appends word id as the next word without a draw (a word picked by hand, a text replayed):
 * its logprob and rank from the vocabulary of its context. 0, WRITER_NO_MEMORY, or
 * WRITER_NO_WORD when id cannot come next (<s>, <unk>, probability 0, not a word). */
int writer_push(struct writer *w, uint32_t id, struct ls_error *err);

/* Room for `words` words in all (the prompt's and the written ones) and a prompt of
 * `prompt_bytes` bytes, so that writing and writer_set_prompt up to there never allocate.
 * -1 with err when out of memory. */
int writer_reserve(struct writer *w, size_t words, size_t prompt_bytes, struct ls_error *err);

/* Makes dst's text and seed src's (both on the same model): the prompt as typed, the
 * written words with their facts and mirostat's mu, without asking the model again. -1 with
 * err when out of memory (dst is then empty). */
int writer_copy(struct writer *dst, const struct writer *src, struct ls_error *err);

/* Takes the last written word back; false when only the prompt is left. */
bool writer_unwrite(struct writer *w);

/* Takes back every written word; the prompt stays. */
void writer_clear(struct writer *w);

/* Word i's raw bytes (typed, or the model's word): data, to be escaped before display. */
const char *writer_word_bytes(const struct writer *w, size_t i, size_t *len);

/* Words [from, n) for display: each escaped (text.h; flags such as TEXT_ASCII), joined by
 * single spaces, unknown prompt words marked. A buffer of the writer's, NUL-terminated,
 * valid until the next writer_text() or writer_free(); NULL when out of memory. */
const char *writer_text(struct writer *w, size_t from, unsigned flags, size_t *len);

/* The history a sampler with memory (penalties) reads: the vocabulary indices of the
 * prompt's known words and of every written word, oldest first (an unknown word counts as
 * <unk> when the model has one, else not at all). */
const uint32_t *writer_history(const struct writer *w, size_t *n);

#endif
