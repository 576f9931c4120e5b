/* source.c: the two kinds of source there are today, one vocabulary and a loaded sequence
 * (seq.h), behind source.h's interface, and what every source shares: ranks, the position
 * under a byte of the text, the words for its numbers. */
#include "source.h"

#include <math.h>
#include <stdio.h>

static const struct vocab *source_single_vocab(const struct source *src, size_t i,
                                               struct ls_error *err)
{
    (void)i;
    (void)err;
    return src->impl;
}

static void source_single_step(const struct source *src, size_t i, struct source_step *out)
{
    const struct vocab *v = src->impl;
    (void)i;
    *out = (struct source_step){.candidates = v->n, .chosen = SOURCE_NONE,
                                .known_mass = NAN};
}

static const struct source_ops source_single_ops = {source_single_vocab, source_single_step,
                                                    NULL};

void source_of_vocab(struct source *src, const struct vocab *v)
{
    *src = (struct source){.ops = &source_single_ops, .impl = (void *)v, .n = 1,
                           .numbers = SOURCE_LOGITS, .max_vocab = v->n, .total_vocab = v->n,
                           .text = ""};
}

static const struct vocab *source_seq_vocab(const struct source *src, size_t i,
                                            struct ls_error *err)
{
    return seq_vocab(src->impl, i, err);
}

static void source_seq_step(const struct source *src, size_t i, struct source_step *out)
{
    const struct seq *s = src->impl;
    const struct seq_pos *p = &s->pos[i];
    *out = (struct source_step){.candidates = p->n,
                                .chosen = p->chosen == SEQ_NONE ? SOURCE_NONE : p->chosen,
                                .chosen_listed = p->chosen_listed,
                                .known_mass = p->known_mass,
                                .text_off = p->text_off,
                                .text_len = p->text_len};
}

static struct history source_seq_history(const struct source *src, size_t i,
                                         const struct vocab *v, uint32_t *tokens,
                                         const char **text, size_t *len)
{
    return seq_history(src->impl, i, v, tokens, text, len);
}

static const struct source_ops source_seq_ops = {source_seq_vocab, source_seq_step,
                                                 source_seq_history};

void source_of_seq(struct source *src, struct seq *s)
{
    size_t total = 0;
    for (size_t i = 0; i < s->n; i++)
        total += s->pos[i].n;
    enum source_numbers numbers = s->values == SEQ_LOGPROBS ? SOURCE_LOGPROBS
                                  : s->values == SEQ_PROBS  ? SOURCE_PROBS
                                                            : SOURCE_LOGITS;
    *src = (struct source){.ops = &source_seq_ops, .impl = s, .sequence = true,
                           .format = seq_format_name(s->format), .numbers = numbers,
                           .n = s->n, .max_vocab = s->max_candidates, .total_vocab = total,
                           .shared_vocab = s->format == SEQ_NPY, .has_chosen = s->has_chosen,
                           .text = s->text, .text_len = s->text_len};
}

struct history source_history(const struct source *src, size_t i, const struct vocab *v,
                              uint32_t *tokens, const char **text, size_t *len)
{
    if (!src->ops->history)
        return (struct history){.mirostat_mu = NAN};
    return src->ops->history(src, i, v, tokens, text, len);
}

size_t source_rank_of(const struct vocab *v, size_t index)
{
    for (size_t r = 0; r < v->n; r++)
        if (v->order[r] == index)
            return r;
    return SOURCE_NONE;
}

size_t source_position_at(const struct source *src, size_t off)
{
    size_t lo = 0, hi = src->n; /* the answer is in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        struct source_step st;
        source_step(src, mid, &st);
        if (st.text_off <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void source_numbers_text(const struct source *src, const struct source_step *st, char *buf,
                         size_t cap)
{
    switch (src->numbers) {
    case SOURCE_LOGPROBS:
        if (isnan(st->known_mass))
            snprintf(buf, cap, "log-probabilities");
        else if (st->chosen_listed || st->chosen == SOURCE_NONE)
            snprintf(buf, cap, "top %zu hold %.1f%%", st->candidates, 100 * st->known_mass);
        else
            snprintf(buf, cap, "top %zu + chosen hold %.1f%%", st->candidates - 1,
                     100 * st->known_mass);
        return;
    case SOURCE_PROBS: snprintf(buf, cap, "post-sampling probabilities"); return;
    case SOURCE_LOGITS: snprintf(buf, cap, "logits"); return;
    }
}
