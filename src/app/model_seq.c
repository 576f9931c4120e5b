/* model_seq.c: a sequence's positions under the chain: stepping between them (the same dists
 * rebound to another position's vocabulary, never reallocated) and what the chain makes of
 * each: its entropy and whether the chain keeps its chosen token. */
#include "model.h"
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>

/* Position i, run through the chain in d (bound to v): its entropy and whether the chain
 * keeps its chosen token, into the counts. */
void model_mark(struct model *m, size_t i, const struct vocab *v, const struct dist *d)
{
    struct model_seq *q = &m->seq;
    if (q->mark[i] == MODEL_MARK_KEPT || q->mark[i] == MODEL_MARK_OUTSIDE)
        q->seen--;
    if (q->mark[i] == MODEL_MARK_OUTSIDE)
        q->outside--;
    struct source_step st;
    source_step(m->src, i, &st);
    if (q->rank[i] == SOURCE_NONE && st.chosen != SOURCE_NONE)
        q->rank[i] = source_rank_of(v, st.chosen);
    /* penalties and DRY rank the tokens anew: the chosen one's rank is then d's own */
    size_t rank = d->vocab != d->source && st.chosen != SOURCE_NONE
                      ? source_rank_of(d->vocab, st.chosen)
                      : q->rank[i];
    q->bits[i] = d->entropy_bits;
    if (i == q->pos)
        q->chosen_rank = rank;
    if (rank == SOURCE_NONE) {
        q->mark[i] = MODEL_MARK_NO_CHOSEN;
        return;
    }
    bool kept = dist_is_kept(d, rank);
    q->mark[i] = kept ? MODEL_MARK_KEPT : MODEL_MARK_OUTSIDE;
    q->seen++;
    q->outside += !kept;
}

/* Runs position i through the chain in the scan workspace; false when its vocabulary cannot
 * be had (the message says why). A shared vocabulary is refilled: the caller puts the current
 * position back (model_refill). */
static bool model_scan_one(struct model *m, size_t i)
{
    struct ls_error err = {{0}};
    const struct vocab *v = source_vocab(m->src, i, &err);
    if (!v || dist_bind(&m->seq.scan, v) != 0) {
        model_say(m, "%s", v ? "out of memory" : err.msg);
        return false;
    }
    model_engine(m, &m->seq.scan, &m->params, i);
    m->seq.scan_applies++;
    model_mark(m, i, v, &m->seq.scan);
    return true;
}

/* After a pass over a shared vocabulary: the current position's contents again (the same
 * numbers as before the pass, so every dist bound to it stays right). */
static void model_refill(struct model *m)
{
    if (m->src->shared_vocab && m->src->sequence)
        (void)source_vocab(m->src, m->seq.pos, NULL);
}

/* The chain changed: forget what the positions were, then, when that costs little, run them
 * all again (the current one is run by the caller). */
void model_rescan(struct model *m)
{
    struct model_seq *q = &m->seq;
    if (!model_is_sequence(m))
        return;
    for (size_t i = 0; i < m->src->n; i++) {
        q->mark[i] = MODEL_MARK_UNSEEN;
        q->bits[i] = NAN;
    }
    q->seen = q->outside = 0;
    /* a chain that reads the history reads i tokens at position i: n^2 / 2 in all */
    size_t n = m->src->n, history = n / 2 * n;
    q->whole = m->src->total_vocab <= MODEL_SCAN_WORK &&
               (!model_uses_history(&m->params) || history <= MODEL_SCAN_WORK);
    if (!q->whole)
        return;
    for (size_t i = 0; i < m->src->n; i++)
        if (i != q->pos && !model_scan_one(m, i))
            break;
    model_refill(m);
}

/* Enters position i, whose vocabulary v already is: every dist rebinds to it (none
 * allocates), the sliders stay as they are and the distribution is computed again. The
 * generated line belonged to the position left, so it starts over. A language model's text
 * that changed enters its one position again: the vocabulary was refilled in place. */
void model_enter(struct model *m, size_t i, const struct vocab *v)
{
    struct model_seq *q = &m->seq;
    q->pos = i;
    m->vocab = v;
    source_step(m->src, i, &q->step);
    dist_bind(&m->dist, v);
    if (m->have_a)
        dist_bind(&m->dist_a, v);
    if (m->curve.ready) {
        dist_bind(&m->curve.dist, v);
        m->curve.valid = false;
    }
    model_run(m, i);
    engine_draw(&m->dist, m->samples, m->seed);
    m->applies++;
    m->drawn = SOURCE_NONE;
    if (m->compare || m->lm.ab) {
        model_engine(m, &m->dist_a, &m->pin, i);
        m->applies++;
        engine_draw(&m->dist_a, m->samples, m->seed);
    }
    model_compare_check(m);
    model_mark(m, i, v, &m->dist);
    m->gen_count = 0;
    m->find.rank = MODEL_FIND_NONE; /* another vocabulary: its ranks are other tokens */
    model_scroll_set(m, m->scroll);
    model_curve_refresh(m);
}

/* Position i of a sequence (clamped to the first and last). */
unsigned model_goto(struct model *m, size_t i)
{
    if (!model_is_sequence(m)) {
        model_say(m, "%s", model_is_lm(m) ? "a language model: Space writes the next word, "
                                            "Backspace takes one back"
                                          : "one vocabulary: open a model's output to step "
                                            "through positions");
        return MODEL_CHANGED_VIEW;
    }
    i = i < m->src->n ? i : m->src->n - 1;
    if (i == m->seq.pos)
        return MODEL_CHANGED_NONE;
    struct ls_error err = {{0}};
    const struct vocab *v = source_vocab(m->src, i, &err);
    if (!v) {
        model_refill(m);
        model_say(m, "%s", err.msg);
        return MODEL_CHANGED_VIEW;
    }
    model_enter(m, i, v);
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

unsigned model_step_position(struct model *m, int dir)
{
    size_t pos = m->seq.pos;
    if (dir < 0 && pos == 0)
        return model_is_sequence(m) ? MODEL_CHANGED_NONE : model_goto(m, 0);
    return model_goto(m, dir < 0 ? pos - 1 : pos + 1);
}

/* f: the next position, after the current one and round to the start, whose chosen token
 * the chain cuts. Positions not yet run through this chain (a big .npy) are run now, in
 * order, until one is found: each costs a row's decode and an engine_apply. */
unsigned model_next_outside(struct model *m)
{
    struct model_seq *q = &m->seq;
    size_t n = m->src->n;
    if (!model_is_sequence(m))
        return model_goto(m, 0);
    if (!m->src->has_chosen) {
        model_say(m, "the file does not say which tokens were chosen");
        return MODEL_CHANGED_VIEW;
    }
    size_t found = SOURCE_NONE;
    bool ran = false;
    for (size_t k = 1; k < n && found == SOURCE_NONE; k++) {
        size_t i = (q->pos + k) % n;
        if (q->mark[i] == MODEL_MARK_UNSEEN) {
            ran = true;
            if (!model_scan_one(m, i))
                break;
        }
        if (q->mark[i] == MODEL_MARK_OUTSIDE)
            found = i;
    }
    if (ran)
        model_refill(m);
    if (found != SOURCE_NONE)
        return model_goto(m, found);
    if (!m->message[0])
        model_say(m, "%s", q->mark[q->pos] == MODEL_MARK_OUTSIDE
                               ? "no other chosen token falls outside this chain"
                               : "every chosen token is kept by this chain");
    return MODEL_CHANGED_VIEW;
}

/* The per-position arrays and the scan workspace: allocated once, here. */
int model_seq_init(struct model *m, struct ls_error *err)
{
    struct model_seq *q = &m->seq;
    size_t n = m->src->n;
    q->bits = malloc(n * sizeof *q->bits);
    q->mark = calloc(n, sizeof *q->mark);
    q->rank = malloc(n * sizeof *q->rank);
    if (m->src->sequence) {
        q->hist_tokens = malloc(n * sizeof *q->hist_tokens);
        q->hist_text = malloc(n * sizeof *q->hist_text);
        q->hist_len = malloc(n * sizeof *q->hist_len);
    }
    if (!q->bits || !q->mark || !q->rank ||
        (m->src->sequence && (!q->hist_tokens || !q->hist_text || !q->hist_len)) ||
        (model_is_sequence(m) && dist_init_cap(&q->scan, m->vocab, model_vocab_max(m)) != 0))
        return ls_error_set(err, "out of memory for %zu positions", n);
    for (size_t i = 0; i < n; i++) {
        q->bits[i] = NAN;
        q->rank[i] = SOURCE_NONE;
    }
    q->whole = m->src->total_vocab <= MODEL_SCAN_WORK;
    source_step(m->src, q->pos, &q->step);
    return 0;
}

void model_seq_free(struct model *m)
{
    dist_free(&m->seq.scan);
    free(m->seq.bits);
    free(m->seq.mark);
    free(m->seq.rank);
    free(m->seq.hist_tokens);
    free((void *)m->seq.hist_text);
    free(m->seq.hist_len);
    m->seq.hist_tokens = NULL;
    m->seq.hist_text = NULL;
    m->seq.hist_len = NULL;
    m->seq.bits = NULL;
    m->seq.mark = NULL;
    m->seq.rank = NULL;
}
