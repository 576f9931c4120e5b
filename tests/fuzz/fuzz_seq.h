/* fuzz_seq.h: what every sequence harness checks after a load: each position's vocabulary
 * is a valid rank order, its chosen token is in range and is its piece of the text, and the
 * known mass is a probability. An error must name the file. Header-only. */
#ifndef LOGITSCOPE_FUZZ_SEQ_H
#define LOGITSCOPE_FUZZ_SEQ_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/seq.h"

static void fuzz_seq_check_vocab(const struct vocab *v)
{
    unsigned char *seen = calloc(v->n, 1);

    if (!seen)
        return;
    for (size_t r = 0; r < v->n; r++) /* a permutation, descending, -inf last */
        if (v->order[r] >= v->n || seen[v->order[r]]++ ||
            v->sorted[r] != v->logits[v->order[r]] || (r && v->sorted[r - 1] < v->sorted[r]) ||
            (r < v->n_finite) == (isinf(v->sorted[r]) != 0) || isnan(v->sorted[r]))
            abort();
    free(seen);
}

/* Visits every position twice (a .npy sorts on the first visit and reuses the order). */
static void fuzz_seq_check(struct seq *s)
{
    size_t text = 0;

    if (s->n == 0 || !s->text || !s->pos)
        abort();
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < s->n; i++) {
            const struct seq_pos *p = &s->pos[i];
            const struct vocab *v = seq_vocab(s, i, NULL);
            char buf[24];
            size_t len;
            if (!v || v->n != p->n || v->n > s->max_candidates)
                abort();
            fuzz_seq_check_vocab(v);
            if (p->known_mass > 1.001 || p->known_mass < 0 ||
                (s->values != SEQ_LOGPROBS) != (isnan(p->known_mass) != 0))
                abort();
            if (p->chosen == SEQ_NONE) {
                if (s->has_chosen || p->text_len)
                    abort();
                continue;
            }
            const char *t = vocab_token(v, p->chosen, buf, &len);
            if (p->chosen >= v->n || len != p->text_len ||
                p->text_off + len > s->text_len || memcmp(t, s->text + p->text_off, len) ||
                (pass == 0 && p->text_off != text))
                abort();
            text += pass == 0 ? len : 0;
        }
    if (text != s->text_len)
        abort();
}

/* Loads path; on error the message must start with the file's name. */
static void fuzz_seq_load(const char *path, const struct seq_opts *o)
{
    struct seq s;
    struct ls_error err = {{0}};

    if (seq_load(&s, path, o, &err) == 0) {
        fuzz_seq_check(&s);
        seq_free(&s);
    } else if (strncmp(err.msg, path, strlen(path)) != 0 &&
               !(o && o->tokens_path && strncmp(err.msg, o->tokens_path, strlen(o->tokens_path)) == 0)) {
        abort();
    }
}

#endif
