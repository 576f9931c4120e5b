/* model.c: the explorer's state machine. Every action that changes a parameter runs the one
 * engine path (engine_apply, then engine_draw) exactly once; nothing here allocates after
 * model_init(), so a keystroke costs the same at V = 10 and V = 262,144. A sequence's step
 * to another position rebinds the same dists to that position's vocabulary. */
#include "model.h"

#include "keymap.h"
#include "logitscope/parse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* top-k's track switches to a log scale beyond this many tokens: at V = 262,144 a linear
 * track would put every useful k (1..100) on the first cell. */
#define MODEL_TOPK_LINEAR_MAX 256

/* The one-shot status message; a long one is cut (the status line shows what fits). */
void model_say(struct model *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->message, sizeof m->message, fmt, ap);
    va_end(ap);
}

bool model_is_llama(const struct model *m)
{
    return chain_which_preset(&m->params.chain) == PRESET_LLAMA;
}

enum param_id model_focus_param(const struct model *m)
{
    return m->n_sliders ? m->sliders[m->focus].param : PARAM_TEMPERATURE;
}

int model_slider_of(const struct model *m, enum param_id p)
{
    for (int i = 0; i < m->n_sliders; i++)
        if (m->sliders[i].param == p)
            return i;
    return -1;
}

double model_slider_lo(enum param_id p)
{
    return param_spec(p)->slider_lo;
}

/* The largest vocabulary of the source: top-k's track ends there, so that it stays put while
 * the positions of a sequence change under it. */
static size_t model_vocab_max(const struct model *m)
{
    return m->src->max_vocab;
}

double model_slider_hi(const struct model *m, enum param_id p)
{
    const struct param_spec *ps = param_spec(p);
    return ps->slider_hi > 0 ? ps->slider_hi : (double)model_vocab_max(m);
}

double model_slider_value(const struct model *m, enum param_id p)
{
    return params_get(&m->params, p);
}

bool model_slider_is_off(const struct model *m, enum param_id p)
{
    return p != PARAM_TEMPERATURE && params_is_off(&m->params, p);
}

static bool model_is_log(const struct model *m, enum param_id p)
{
    return p == PARAM_TOP_K && model_vocab_max(m) > MODEL_TOPK_LINEAR_MAX;
}

double model_slider_fraction(const struct model *m, enum param_id p)
{
    double v = model_slider_value(m, p), lo = model_slider_lo(p), hi = model_slider_hi(m, p);
    double f;
    if (model_is_log(m, p))
        f = log1p(v) / log1p(hi);
    else
        f = hi > lo ? (v - lo) / (hi - lo) : 0.0;
    return f < 0.0 ? 0.0 : f > 1.0 ? 1.0 : f;
}

double model_slider_at(const struct model *m, enum param_id p, double fraction)
{
    double lo = model_slider_lo(p), hi = model_slider_hi(m, p), v;
    fraction = fraction < 0.0 ? 0.0 : fraction > 1.0 ? 1.0 : fraction;
    if (model_is_log(m, p))
        v = expm1(fraction * log1p(hi));
    else
        v = lo + fraction * (hi - lo);
    double den = param_spec(p)->den, r = round(v * den) / den;
    return r < lo ? lo : r > hi ? hi : r;
}

/* `steps` grid steps from v. Off-grid values (from -t 0.73) snap to the grid in the direction
 * of travel; a value outside the range from the command line is never pushed further out. */
static double model_step_value(double v, enum param_id p, double hi, int steps)
{
    double den = param_spec(p)->den, x = v * den, lo = model_slider_lo(p);
    double base = steps > 0 ? floor(x + 1e-7) : ceil(x - 1e-7);
    double r = (base + steps) / den;
    double top = v > hi ? v : hi, bottom = v < lo ? v : lo;
    return r > top ? top : r < bottom ? bottom : r;
}

/* The sliders of the chain, stage by stage: every parameter of a stage, but dynatemp's
 * exponent only while dynatemp is on. Focus stays on its parameter when it is still there,
 * else goes to the row now at its place. */
static void model_build_sliders(struct model *m)
{
    enum param_id was = model_focus_param(m);
    int at_row = m->n_sliders ? m->sliders[m->focus].row : 0, n = 0;
    const struct chain *c = &m->params.chain;
    for (int r = 0; r < c->n; r++) {
        const struct sampler_spec *ss = sampler_spec((enum sampler_id)c->stage[r]);
        enum param_id shown[SAMPLER_PARAMS_MAX];
        int cells = 0;
        for (int i = 0; i < ss->n_params; i++)
            if (ss->params[i] != PARAM_DYNATEMP_EXP ||
                params_real(&m->params, PARAM_DYNATEMP_RANGE) > 0)
                shown[cells++] = ss->params[i];
        for (int i = 0; i < cells; i++)
            m->sliders[n++] = (struct slider){shown[i], r, i, cells};
    }
    m->n_sliders = n;
    int keep = model_slider_of(m, was);
    if (keep < 0) { /* its sampler left: the first slider of the row now at its place */
        at_row = at_row < c->n ? at_row : c->n - 1;
        for (int i = n - 1; i >= 0; i--)
            if (m->sliders[i].row == at_row)
                keep = i;
    }
    m->focus = keep >= 0 ? keep : 0;
}

/* The first slider row shown, so that the focused one is on screen. */
static void model_slider_scroll(struct model *m)
{
    int shown = m->layout.sliders.h, rows = m->params.chain.n;
    int row = m->n_sliders ? m->sliders[m->focus].row : 0;
    if (shown <= 0)
        return;
    if (row < m->slider_top)
        m->slider_top = row;
    if (row >= m->slider_top + shown)
        m->slider_top = row - shown + 1;
    if (m->slider_top > rows - shown)
        m->slider_top = rows - shown > 0 ? rows - shown : 0;
}

double model_curve_t(const struct model *m, size_t i)
{
    size_t n = m->curve.n > 1 ? m->curve.n : 2;
    return param_spec(PARAM_TEMPERATURE)->slider_hi * (double)i / (double)(n - 1);
}

/* Samples for `want` dot columns: one each, fewer when V makes each engine_apply slow. */
static size_t model_curve_samples(const struct model *m, size_t want)
{
    size_t v = m->vocab->n_finite ? m->vocab->n_finite : 1, cap = MODEL_CURVE_WORK / v;
    cap = cap < MODEL_CURVE_MIN ? MODEL_CURVE_MIN : cap;
    size_t n = want < cap ? want : cap;
    n = n > MODEL_CURVE_MAX ? MODEL_CURVE_MAX : n;
    return n < 2 ? 2 : n;
}

/* The next sample of the coarse-to-fine order: both ends, then every 8th, every 4th, and so
 * on; -1 when all are done. */
static long model_curve_next(const struct model_curve *c)
{
    if (!c->have[0] || !c->have[c->n - 1])
        return c->have[0] ? (long)(c->n - 1) : 0;
    for (size_t stride = 8; stride >= 1; stride /= 2)
        for (size_t i = 0; i < c->n; i += stride)
            if (!c->have[i])
                return (long)i;
    return -1;
}

/* The samples not computed yet on the straight line between their computed neighbours. */
static void model_curve_fill(struct model_curve *c)
{
    size_t left = c->n;
    for (size_t i = 0; i < c->n; i++) {
        if (!c->have[i])
            continue;
        if (left < c->n)
            for (size_t j = left + 1; j < i; j++)
                c->bits[j] = c->bits[left] + (c->bits[i] - c->bits[left]) *
                                                 (double)(j - left) / (double)(i - left);
        left = i;
    }
}

bool model_uses_history(const struct params *p)
{
    return chain_has(&p->chain, SAMPLER_PENALTIES) || chain_has(&p->chain, SAMPLER_DRY) ||
           chain_has(&p->chain, SAMPLER_MIROSTAT);
}

/* engine_apply at position pos with its history when the chain reads one: the text a
 * language model wrote (its writer's), the tokens a sequence chose before pos, or else the
 * generated text (Space). Without memory for the re-sorted copy the dist is computed without
 * penalties and DRY, and says so. */
static void model_engine(struct model *m, struct dist *d, const struct params *p, size_t pos)
{
    if (model_is_lm(m)) {
        if (writer_apply(m->lm.writer, d, p))
            model_say(m, "no memory for penalties and DRY: shown without them");
        return;
    }
    if (!model_uses_history(p)) {
        engine_apply(d, p);
        return;
    }
    struct history h;
    if (m->src->sequence) {
        h = source_history(m->src, pos, d->source, m->seq.hist_tokens, m->seq.hist_text,
                           m->seq.hist_len);
    } else {
        size_t n = model_gen_len(m);
        for (size_t i = 0; i < n; i++)
            m->hist[i] = model_gen_at(m, i);
        h = (struct history){.tokens = m->hist, .n = n};
    }
    h.mirostat_mu = m->mirostat_mu;
    if (engine_apply_history(d, p, &h))
        model_say(m, "no memory for penalties and DRY: shown without them");
}

/* Up to `budget` more samples (at least one). */
static void model_curve_compute(struct model *m, size_t budget)
{
    struct model_curve *c = &m->curve;
    struct params p = c->key;
    for (size_t k = 0; k < budget; k++) {
        long i = model_curve_next(c);
        if (i < 0)
            break;
        params_set(&p, PARAM_TEMPERATURE, model_curve_t(m, (size_t)i));
        model_engine(m, &c->dist, &p, m->seq.pos);
        c->bits[i] = c->dist.entropy_bits;
        c->have[i] = true;
        c->pending--;
        c->applies++;
    }
    model_curve_fill(c);
}

/* Samples one keystroke (or one idle tick) may compute at this V. */
static size_t model_curve_budget(const struct model *m)
{
    size_t v = m->vocab->n_finite ? m->vocab->n_finite : 1, b = MODEL_CURVE_KEY_WORK / v;
    return b < 2 ? 2 : b;
}

/* The curve does not depend on the temperature: it is recomputed only when a filter, the
 * chain or the plot's width changed, so a temperature step only moves the marker. Every
 * point is engine_apply's own entropy, the number `sweep --format summary` prints. */
static void model_curve_refresh(struct model *m)
{
    struct model_curve *c = &m->curve;
    size_t want = m->layout.plot_dots > 0 ? (size_t)m->layout.plot_dots : 0;
    if (!m->plot || !c->ready || want == 0)
        return;
    size_t n = model_curve_samples(m, want);
    bool same_text = !model_uses_history(&m->params) ||
                     (c->gen_key == m->gen_count && (c->mu_key == m->mirostat_mu ||
                                                     (isnan(c->mu_key) && isnan(m->mirostat_mu))));
    if (c->valid && c->n == n && params_equal_but_t(&c->key, &m->params) && same_text)
        return;
    c->key = m->params;
    c->gen_key = m->gen_count;
    c->mu_key = m->mirostat_mu;
    c->n = n;
    c->pending = n;
    memset(c->have, 0, sizeof c->have);
    c->valid = true;
    model_curve_compute(m, model_curve_budget(m));
}

bool model_busy(const struct model *m)
{
    return m->plot && m->curve.valid && m->curve.pending > 0;
}

static unsigned model_idle(struct model *m)
{
    if (!model_busy(m))
        return MODEL_CHANGED_NONE;
    model_curve_compute(m, model_curve_budget(m));
    return MODEL_CHANGED_VIEW;
}

/* ---- a sequence's positions under the chain ---- */

/* Position i, run through the chain in d (bound to v): its entropy and whether the chain
 * keeps its chosen token, into the counts. */
static void model_mark(struct model *m, size_t i, const struct vocab *v, const struct dist *d)
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
static void model_rescan(struct model *m)
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

/* A and B side by side need one rank order: penalties and DRY with different settings
 * (or a temperature before them) sort the tokens differently, and then compare is off. */
static bool model_same_order(const struct model *m)
{
    const struct vocab *a = m->dist_a.vocab, *b = m->dist.vocab;
    return a == b || memcmp(a->order, b->order, a->n * sizeof *a->order) == 0;
}

static void model_compare_check(struct model *m)
{
    if (m->lm.ab) { /* both texts go on; A's column shows while the orders agree */
        bool show = model_same_order(m);
        if (show != m->compare) {
            m->compare = show;
            model_relayout(m);
            if (!show)
                model_say(m, "A's column hidden: penalties or DRY rank the words differently "
                          "for A and B (both texts go on)");
        }
        return;
    }
    if (m->compare && !model_same_order(m)) {
        m->compare = false;
        model_relayout(m);
        model_say(m, "compare off: penalties or DRY rank the tokens differently for A and B");
    }
}

/* The distribution at position pos and what each of its stages was given: one engine run
 * (with the history when the chain reads one) and the stage inputs that the histogram's
 * ghosts, threshold lines and running total read. */
static void model_run(struct model *m, size_t pos)
{
    model_engine(m, &m->dist, &m->params, pos);
    m->vocab = m->dist.vocab;
    engine_stage_inputs(&m->inputs, &m->dist);
}

static void model_apply(struct model *m)
{
    model_rescan(m);
    model_run(m, m->seq.pos);
    engine_draw(&m->dist, m->samples, m->seed);
    m->applies++;
    model_mark(m, m->seq.pos, m->dist.source, &m->dist);
    model_curve_refresh(m);
    model_compare_check(m);
}

/* A's draws follow B's N and seed, so a new seed or a reset redraws both. */
static void model_draw_a(struct model *m)
{
    if (m->compare || m->lm.ab)
        engine_draw(&m->dist_a, m->samples, m->seed);
}

/* Sets parameter p to v; recomputes only when the value really changed. */
static unsigned model_set(struct model *m, enum param_id p, double v)
{
    if (model_slider_value(m, p) == v)
        return MODEL_CHANGED_NONE;
    params_set(&m->params, p, v);
    if (p == PARAM_DYNATEMP_RANGE) /* its exponent's slider comes and goes with it */
        model_build_sliders(m);
    model_apply(m);
    return MODEL_CHANGED_PARAMS;
}

static unsigned model_step(struct model *m, int steps)
{
    enum param_id p = model_focus_param(m);
    double v = model_slider_value(m, p), hi = model_slider_hi(m, p);
    if (p == PARAM_TOP_K) {
        /* integers: no grid arithmetic in doubles for a count that can pass 2^53 in theory */
        size_t k = params_whole(&m->params, PARAM_TOP_K), n = model_vocab_max(m);
        size_t mag = (size_t)(steps < 0 ? -steps : steps), top = k > n ? k : n;
        k = steps < 0 ? (k > mag ? k - mag : 0) : (top - k > mag ? k + mag : top);
        return model_set(m, p, (double)k);
    }
    return model_set(m, p, model_step_value(v, p, hi, steps));
}

/* 0: the sampler's "does nothing" value; temperature back to 1, and a parameter that has
 * no such value (XTC's threshold, dynatemp's exponent) back to its default. */
static unsigned model_off(struct model *m)
{
    enum param_id p = model_focus_param(m);
    const struct param_spec *ps = param_spec(p);
    return model_set(m, p, isnan(ps->off) ? ps->def : ps->off);
}

void model_off_label(const struct model *m, char *buf, size_t cap)
{
    enum param_id p = model_focus_param(m);
    const struct param_spec *ps = param_spec(p);
    if (!isnan(ps->off) && p != PARAM_TEMPERATURE) {
        snprintf(buf, cap, "off");
        return;
    }
    char v[40];
    param_format_double(isnan(ps->off) ? ps->def : ps->off, v, sizeof v);
    snprintf(buf, cap, "%s=%s", ps->short_label, v);
}

static void model_seed_rngs(struct model *m)
{
    rng_seed(&m->seed_rng, m->seed ^ 0x5DEECE66DULL);
    rng_seed(&m->gen_rng, m->seed ^ 0x9E3779B97F4A7C15ULL);
    model_lm_seed(m);
}

/* 1..6: a lab row's values for the samplers in the chain (the chain is the explorer's own);
 * a value the row sets for a sampler the chain lacks is named, not silently dropped. */
static unsigned model_lab(struct model *m, int index)
{
    const struct settings *lab = m->start.lab;
    if (!lab || index < 1 || (size_t)index > lab->n) {
        snprintf(m->message, sizeof m->message, "no lab setting %d (%zu loaded)", index,
                 lab ? lab->n : (size_t)0);
        return MODEL_CHANGED_VIEW;
    }
    const struct setting *st = &lab->items[index - 1];
    struct params p = st->params;
    p.chain = m->params.chain;
    p.breakers = m->params.breakers; /* a lab row is about the numbers */
    int unused = params_unused(&p);
    for (int i = 0; i < PARAM_COUNT; i++) {
        const struct param_spec *ps = param_spec((enum param_id)i);
        if (ps->sampler != SAMPLER_NONE && !chain_has(&p.chain, ps->sampler))
            p.v[i] = m->params.v[i];
    }
    m->params = p;
    model_build_sliders(m);
    model_apply(m);
    if (unused >= 0)
        model_say(m, "lab %d: %s (its %s is not in the chain)", index, st->name ? st->name : "",
                  param_spec((enum param_id)unused)->name);
    else
        model_say(m, "lab %d: %s", index, st->name ? st->name : "");
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

static unsigned model_new_seed(struct model *m)
{
    m->seed = rng_next(&m->seed_rng) & 0xFFFFFFFFu; /* short enough to type into --seed */
    rng_seed(&m->gen_rng, m->seed ^ 0x9E3779B97F4A7C15ULL);
    model_lm_seed(m);
    engine_draw(&m->dist, m->samples, m->seed);
    model_draw_a(m);
    snprintf(m->message, sizeof m->message, "new seed %llu", (unsigned long long)m->seed);
    return MODEL_CHANGED_DRAWS | MODEL_CHANGED_VIEW;
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
    size_t max = model_scroll_max(m);
    m->scroll = m->scroll > max ? max : m->scroll;
    model_curve_refresh(m);
}

/* Position i of a sequence (clamped to the first and last). */
static unsigned model_goto(struct model *m, size_t i)
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

static unsigned model_step_position(struct model *m, int dir)
{
    size_t pos = m->seq.pos;
    if (dir < 0 && pos == 0)
        return model_is_sequence(m) ? MODEL_CHANGED_NONE : model_goto(m, 0);
    return model_goto(m, dir < 0 ? pos - 1 : pos + 1);
}

/* f: the next position, after the current one and round to the start, whose chosen token
 * the chain cuts. Positions not yet run through this chain (a big .npy) are run now, in
 * order, until one is found: each costs a row's decode and an engine_apply. */
static unsigned model_next_outside(struct model *m)
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

/* Space: one token drawn and written. When the chain reads the text, the distribution
 * (and A's) follows it, and mirostat's mu moves by the token's surprise. Where the screen has
 * no generated line (small terminals) the draw is told on the status line, so a key never
 * seems to do nothing. */
static unsigned model_draw_one(struct model *m)
{
    if (model_is_lm(m))
        return model_lm_write(m);
    size_t r = engine_draw_one(&m->dist, &m->gen_rng);
    m->gen[m->gen_count % MODEL_GEN_MAX] = m->dist.vocab->order[r];
    m->gen_count++;
    m->drawn = r;
    if (m->layout.gen.h == 0) {
        char buf[24];
        size_t len;
        const char *tok = vocab_token(m->vocab, m->vocab->order[r], buf, &len);
        model_say(m, "drew \"%.*s\" #%zu %.2f%%", (int)(len < 64 ? len : 64), tok, r + 1,
                  100.0 * dist_prob_rank(&m->dist, r));
    }
    /* a sequence's history is the file's own choices: a draw changes nothing there */
    if (m->src->sequence ||
        (!model_uses_history(&m->params) && !(m->compare && model_uses_history(&m->pin))))
        return MODEL_CHANGED_VIEW;
    double mu = m->mirostat_mu, next = mirostat_update(&m->dist, r);
    if (!isnan(next) && !sampler_is_off(&m->params, SAMPLER_MIROSTAT)) {
        m->mirostat_mu = next;
        model_say(m, "mirostat mu %.2f -> %.2f (tau %.2f)",
                  isnan(mu) ? mirostat_start(&m->params) : mu, next,
                  params_real(&m->params, PARAM_MIROSTAT_ENT));
    }
    if (m->compare) {
        model_engine(m, &m->dist_a, &m->pin, m->seq.pos);
        m->applies++;
    }
    model_apply(m);
    model_draw_a(m);
    /* penalties and DRY may have ranked the tokens anew: light the token drawn, where it is */
    m->drawn = source_rank_of(m->dist.vocab, m->gen[(m->gen_count - 1) % MODEL_GEN_MAX]);
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

static unsigned model_reset(struct model *m)
{
    m->params = m->start.params;
    m->samples = m->start.samples;
    m->seed = m->start.seed;
    m->n_sliders = 0;
    m->focus = 0;
    model_build_sliders(m);
    int t = model_slider_of(m, PARAM_TEMPERATURE);
    m->focus = t >= 0 ? t : 0;
    m->slider_top = 0;
    m->help = false;
    m->picker = false;
    m->scroll = 0;
    m->gen_count = 0;
    m->mirostat_mu = NAN;
    m->drawn = SOURCE_NONE;
    model_seed_rngs(m);
    model_apply(m);
    model_relayout(m);
    model_draw_a(m); /* the panels stay as they are: r resets the settings, A stays pinned */
    snprintf(m->message, sizeof m->message, "reset");
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

size_t model_scroll_max(const struct model *m)
{
    size_t n = m->vocab->n, rows = (size_t)m->layout.page_rows;
    return n > rows ? n - rows : 0;
}

#define MODEL_MARK_ROWS (2 * SAMPLER_COUNT) /* where a stage's range ends, and begins */
#define MODEL_SCREEN_MAX 100000 /* columns or rows: far beyond any terminal */

/* The layout for the screen and the panels open now, and what follows from it: the scroll
 * and the help's first line kept in range, the curve sampled for the plot's width. Every
 * action that changes the screen or opens or closes a panel ends here. */
void model_relayout(struct model *m)
{
    unsigned strips = model_is_sequence(m) ? LAYOUT_STRIPS_SEQUENCE : 0;
    if (model_is_lm(m))
        strips = LAYOUT_STRIP_TEXT | (m->lm.ab ? LAYOUT_STRIP_TEXT_A : 0);
    layout_make(&m->layout, &m->screen, m->params.chain.n, model_vocab_max(m) + MODEL_MARK_ROWS,
                m->plot, strips, m->caption != NULL);
    if (m->picker) {
        enum sampler_id avail[SAMPLER_COUNT];
        int n = model_picker_entries(m, avail), w = 0;
        for (int i = 0; i < n; i++) {
            const struct sampler_spec *ss = sampler_spec(avail[i]);
            int len = (int)(strlen(ss->label) + 2 + strlen(ss->meaning));
            w = len > w ? len : w;
        }
        layout_picker(&m->layout, n, w);
    }
    size_t max = model_scroll_max(m), help_max = (size_t)m->layout.help.max_top;
    m->scroll = m->scroll > max ? max : m->scroll;
    m->help_top = m->help_top > help_max ? help_max : m->help_top;
    model_slider_scroll(m);
    model_curve_refresh(m);
}

static int model_screen_size(double v)
{
    return !(v > 0) ? 0 : v > MODEL_SCREEN_MAX ? MODEL_SCREEN_MAX : (int)v;
}

/* ACT_RESIZE and ACT_GLYPHS: the terminal, as the tui sees it. */
static unsigned model_screen(struct model *m, const struct action *a)
{
    struct layout_screen s = m->screen;
    if (a->kind == ACT_GLYPHS) {
        s.ascii = a->arg != 0;
    } else {
        s.cols = model_screen_size(a->arg);
        s.rows = model_screen_size(a->value);
    }
    if (s.cols == m->screen.cols && s.rows == m->screen.rows && s.ascii == m->screen.ascii)
        return MODEL_CHANGED_NONE;
    m->screen = s;
    model_relayout(m);
    return MODEL_CHANGED_VIEW;
}

static unsigned model_scroll_by(struct model *m, long long rows)
{
    size_t old = m->scroll, max = model_scroll_max(m);
    if (rows < 0)
        m->scroll = (unsigned long long)-rows > m->scroll ? 0 : m->scroll - (size_t)-rows;
    else
        m->scroll = (unsigned long long)rows > max - (m->scroll < max ? m->scroll : max)
                        ? max
                        : m->scroll + (size_t)rows;
    return m->scroll != old ? MODEL_CHANGED_VIEW : MODEL_CHANGED_NONE;
}

/* Tab: every slider in turn, the cells of a shared row included. */
static unsigned model_focus_cell(struct model *m, int dir)
{
    if (m->n_sliders == 0)
        return MODEL_CHANGED_NONE;
    m->focus = (m->focus + (dir < 0 ? m->n_sliders - 1 : 1)) % m->n_sliders;
    model_slider_scroll(m);
    return MODEL_CHANGED_VIEW;
}

/* Up and Down: the next row's first slider (its cell, when it has as many), wrapping. */
static unsigned model_focus(struct model *m, int dir)
{
    int rows = m->params.chain.n;
    if (m->n_sliders == 0 || rows == 0)
        return MODEL_CHANGED_NONE;
    const struct slider *s = &m->sliders[m->focus];
    int row = (s->row + (dir < 0 ? rows - 1 : 1)) % rows, cell = s->cell, at = -1;
    for (int i = 0; i < m->n_sliders; i++)
        if (m->sliders[i].row == row && (at < 0 || m->sliders[i].cell <= cell))
            at = i;
    m->focus = at >= 0 ? at : m->focus;
    model_slider_scroll(m);
    return MODEL_CHANGED_VIEW;
}

/* ---- the chain: presets, adding, removing, moving ---- */

int model_picker_entries(const struct model *m, enum sampler_id *out)
{
    int n = 0;
    for (int s = 0; s < SAMPLER_COUNT; s++)
        if (!chain_has(&m->params.chain, (enum sampler_id)s))
            out[n++] = (enum sampler_id)s;
    return n;
}

/* A sampler leaves the chain: its parameters go back to their defaults, so nothing is set
 * that does nothing (the same rule as the command line's). */
static void model_reset_sampler(struct model *m, enum sampler_id s)
{
    const struct sampler_spec *ss = sampler_spec(s);
    for (int i = 0; i < ss->n_params; i++)
        params_set(&m->params, ss->params[i], param_spec(ss->params[i])->def);
}

static void model_chain_message(struct model *m, const char *what)
{
    char chain[160];
    chain_format(&m->params.chain, " > ", chain, sizeof chain);
    model_say(m, "%s: %s", what, chain);
}

/* After the chain changed: the sliders, the layout (the rows), the distribution. */
static unsigned model_chain_changed(struct model *m, const char *what)
{
    model_build_sliders(m);
    model_relayout(m);
    model_apply(m);
    model_chain_message(m, what);
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

/* o: the next preset (a custom chain goes to hf); the parameters of samplers the preset
 * lacks go back to their defaults. */
static unsigned model_next_preset(struct model *m)
{
    enum chain_preset p = chain_which_preset(&m->params.chain);
    struct chain next = chain_preset(p >= PRESET_COUNT - 1 ? PRESET_HF : p + 1);
    for (int s = 0; s < SAMPLER_COUNT; s++)
        if (!chain_has(&next, (enum sampler_id)s))
            model_reset_sampler(m, (enum sampler_id)s);
    m->params.chain = next;
    return model_chain_changed(m, chain_preset_name(chain_which_preset(&next)));
}

static int model_focus_row(const struct model *m)
{
    return m->n_sliders ? m->sliders[m->focus].row : 0;
}

static unsigned model_chain_remove(struct model *m)
{
    struct chain *c = &m->params.chain;
    int row = model_focus_row(m);
    if (c->n <= 1) {
        snprintf(m->message, sizeof m->message, "the chain keeps at least one sampler");
        return MODEL_CHANGED_VIEW;
    }
    enum sampler_id s = (enum sampler_id)c->stage[row];
    chain_remove(c, row);
    model_reset_sampler(m, s);
    char what[64];
    snprintf(what, sizeof what, "%s removed", sampler_spec(s)->name);
    return model_chain_changed(m, what);
}

static unsigned model_chain_move_to(struct model *m, int from, int to)
{
    struct chain *c = &m->params.chain;
    if (from < 0 || from >= c->n)
        return MODEL_CHANGED_NONE;
    struct chain was = *c;
    if (chain_move(c, from, to - from) == from)
        return MODEL_CHANGED_NONE;
    struct ls_error why;
    if (chain_check(c, &why)) { /* penalties and DRY stay before the stages that cut */
        *c = was;
        model_say(m, "cannot move it there: %s", why.msg);
        return MODEL_CHANGED_VIEW;
    }
    unsigned changed = model_chain_changed(m, "moved"); /* focus keeps its parameter */
    model_slider_scroll(m);
    return changed;
}

static unsigned model_picker_open(struct model *m)
{
    enum sampler_id avail[SAMPLER_COUNT];
    if (model_picker_entries(m, avail) == 0) {
        snprintf(m->message, sizeof m->message, "every sampler is in the chain");
        return MODEL_CHANGED_VIEW;
    }
    m->picker = true;
    m->picker_at = 0;
    model_relayout(m);
    return MODEL_CHANGED_VIEW;
}

static unsigned model_picker_close(struct model *m)
{
    m->picker = false;
    model_relayout(m);
    return MODEL_CHANGED_VIEW;
}

/* Where s goes in c: at `want`, or the nearest place the chain allows (penalties and DRY
 * go before the stages that cut, those after them), the earlier on a tie. */
static int model_insert_at(const struct chain *c, int want, enum sampler_id s)
{
    for (int d = 0; d <= c->n; d++)
        for (int sign = -1; sign <= 1; sign += 2) {
            int at = want + sign * d;
            struct chain t = *c;
            if (at >= 0 && at <= c->n && chain_insert(&t, at, s) && chain_check(&t, NULL) == 0)
                return at;
        }
    return want;
}

/* Adds the picked sampler after the focused stage (or where the chain allows it) and focuses
 * it. */
static unsigned model_picker_take(struct model *m, int entry)
{
    enum sampler_id avail[SAMPLER_COUNT];
    int n = model_picker_entries(m, avail);
    entry = entry >= 0 ? entry : m->picker_at;
    if (entry >= n)
        return MODEL_CHANGED_NONE;
    m->picker = false;
    chain_insert(&m->params.chain,
                 model_insert_at(&m->params.chain, model_focus_row(m) + 1, avail[entry]),
                 avail[entry]);
    char what[64];
    snprintf(what, sizeof what, "%s added", sampler_spec(avail[entry])->name);
    unsigned changed = model_chain_changed(m, what);
    int at = model_slider_of(m, sampler_spec(avail[entry])->params[0]);
    m->focus = at >= 0 ? at : m->focus;
    model_slider_scroll(m);
    return changed;
}

static unsigned model_picker_move(struct model *m, int dir)
{
    enum sampler_id avail[SAMPLER_COUNT];
    int n = model_picker_entries(m, avail);
    m->picker_at = (m->picker_at + (dir < 0 ? n - 1 : 1)) % n;
    return MODEL_CHANGED_VIEW;
}

/* A panel's own dist, allocated when the panel first opens, never per keystroke. False (and
 * the message says so) when there is no memory for it. */
static bool model_panel_dist(struct model *m, struct dist *d, bool *ready, const char *panel)
{
    if (*ready)
        return true;
    if (dist_init_cap(d, m->dist.source, model_vocab_max(m)) != 0) {
        snprintf(m->message, sizeof m->message, "no memory for %s", panel);
        return false;
    }
    *ready = true;
    return true;
}

/* g */
static unsigned model_plot(struct model *m)
{
    if (!m->plot && !model_panel_dist(m, &m->curve.dist, &m->curve.ready, "the plot"))
        return MODEL_CHANGED_VIEW;
    m->plot = !m->plot;
    model_relayout(m);
    return MODEL_CHANGED_VIEW;
}

/* c: A is the same engine run (engine_apply, then engine_draw with B's N and seed) on the
 * settings of the moment; B keeps moving with the sliders. */
static unsigned model_compare(struct model *m)
{
    if (m->compare || m->lm.ab) {
        m->compare = m->lm.ab = false;
        model_relayout(m);
        snprintf(m->message, sizeof m->message, "compare off");
        return MODEL_CHANGED_VIEW;
    }
    if (!model_panel_dist(m, &m->dist_a, &m->have_a, "A/B compare") ||
        (model_is_lm(m) && !model_lm_compare(m)))
        return MODEL_CHANGED_VIEW;
    m->pin = m->params;
    model_engine(m, &m->dist_a, &m->pin, m->seq.pos);
    m->applies++;
    m->compare = true;
    m->lm.ab = model_is_lm(m);
    model_relayout(m);
    model_draw_a(m);
    snprintf(m->message, sizeof m->message, "%s",
             model_is_lm(m) ? "A pinned: Space writes both, A as now, B with the sliders "
                              "(c: off)"
                            : "A pinned; the sliders move B (c again: off)");
    return MODEL_CHANGED_VIEW;
}

static unsigned model_focus_set(struct model *m, int param)
{
    int s = param >= 0 && param < PARAM_COUNT ? model_slider_of(m, (enum param_id)param) : -1;
    if (s < 0 || m->focus == s)
        return MODEL_CHANGED_NONE;
    m->focus = s;
    model_slider_scroll(m);
    return MODEL_CHANGED_VIEW;
}

static unsigned model_set_action(struct model *m, const struct action *a)
{
    if (a->arg < 0 || a->arg >= PARAM_COUNT || isnan(a->value) ||
        model_slider_of(m, (enum param_id)a->arg) < 0)
        return MODEL_CHANGED_NONE;
    enum param_id p = (enum param_id)a->arg;
    double lo = model_slider_lo(p), hi = model_slider_hi(m, p), den = param_spec(p)->den;
    double v = round(a->value * den) / den;
    return model_set(m, p, v < lo ? lo : v > hi ? hi : v);
}

bool model_cum_shown(const struct model *m)
{
    if (m->cum != MODEL_CUM_AUTO)
        return m->cum == MODEL_CUM_ON;
    return chain_has(&m->params.chain, SAMPLER_TOP_P) && !sampler_is_off(&m->params, SAMPLER_TOP_P);
}

/* z, b and m: the histogram's columns and scale; the message says what now shows (columns
 * need the histogram's header row to be named, and compare mode has its own). */
static unsigned model_view_toggle(struct model *m, enum action_kind kind)
{
    bool on;
    const char *what;
    switch (kind) {
    case ACT_LOGITS:
        on = m->logits = !m->logits;
        what = "logit and logit/T columns";
        break;
    case ACT_LOG_BARS:
        on = m->log_bars = !m->log_bars;
        model_say(m, "%s", on ? "bars on a log scale (b: linear)" : "bars on a linear scale");
        return MODEL_CHANGED_VIEW;
    default:
        m->cum = model_cum_shown(m) ? MODEL_CUM_OFF : MODEL_CUM_ON;
        on = m->cum == MODEL_CUM_ON;
        what = "cumulative mass column";
        break;
    }
    const char *where = !on ? "" : m->compare ? " (after compare: c)"
                               : m->layout.header.h == 0 ? " (on a taller terminal)" : "";
    model_say(m, "%s %s%s", what, on ? "on" : "off", where);
    return MODEL_CHANGED_VIEW;
}

/* Help open: rows and pages, kept between the first line and the last page. */
static unsigned model_help_scroll(struct model *m, const struct action *a)
{
    if (!m->help)
        return MODEL_CHANGED_NONE;
    int shown = m->layout.help.page;
    double page = shown > 1 ? shown - 1 : 1; /* one line of context */
    double top = (double)m->help_top + a->arg + a->value * page, max = m->layout.help.max_top;
    top = top < 0 ? 0 : top > max ? max : top;
    if ((size_t)top == m->help_top)
        return MODEL_CHANGED_NONE;
    m->help_top = (size_t)top;
    return MODEL_CHANGED_VIEW;
}

/* ACT_SAY: the script's caption i; its row comes and goes with it. */
static unsigned model_caption(struct model *m, int i)
{
    const char *text = NULL;
    if (i >= 0 && (size_t)i < m->start.n_captions && m->start.captions[i][0])
        text = m->start.captions[i];
    if (text == m->caption)
        return MODEL_CHANGED_NONE;
    m->caption = text;
    model_relayout(m);
    return MODEL_CHANGED_VIEW;
}

/* ACT_PLAY: a script on the live terminal starts, ends, or a person takes the keys. */
static unsigned model_play(struct model *m, int what)
{
    bool was = m->playing;
    m->playing = what == MODEL_PLAY_LIVE;
    unsigned changed = was != m->playing ? MODEL_CHANGED_VIEW : MODEL_CHANGED_NONE;
    if (what != MODEL_PLAY_PERSON)
        return changed;
    if (was) { /* after the key's own message, if it had one */
        char said[MODEL_MESSAGE_MAX];
        memcpy(said, m->message, sizeof said);
        if (said[0])
            model_say(m, "you have the keys; %s", said);
        else
            model_say(m, "you have the keys");
        changed = MODEL_CHANGED_VIEW;
    }
    return changed | model_caption(m, -1);
}

/* ---- the focused slider in words ---- */

bool model_knob_shown(const struct model *m)
{
    return m->layout.knob.h > 0 || (m->layout.gen.h > 0 && m->gen_count == 0);
}

/* Where the screen has no line for it, what the newly focused slider does goes on the status
 * line: the parameter table's meaning, the same words as --help. */
static unsigned model_explain(struct model *m, unsigned changed)
{
    if (changed != MODEL_CHANGED_NONE && !model_knob_shown(m)) {
        const struct param_spec *ps = param_spec(model_focus_param(m));
        model_say(m, "%s: %s", ps->label, ps->meaning);
    }
    return changed;
}

/* ---- typing: a value for the focused slider, a token's text to find ---- */

static unsigned model_prompt_open(struct model *m, int kind)
{
    if (kind != PROMPT_VALUE && kind != PROMPT_FIND && kind != PROMPT_TEXT)
        return MODEL_CHANGED_NONE;
    if ((kind == PROMPT_VALUE && m->n_sliders == 0) || (kind == PROMPT_TEXT && !model_is_lm(m)))
        return MODEL_CHANGED_NONE;
    m->prompt = (struct model_prompt){(enum action_prompt)kind, model_focus_param(m), "", 0};
    if (kind == PROMPT_TEXT) /* the prompt as it is, to edit */
        model_lm_prompt_fill(m);
    return MODEL_CHANGED_VIEW;
}

/* Ctrl-U: everything typed goes. */
static unsigned model_prompt_clear(struct model *m)
{
    if (m->prompt.len == 0)
        return MODEL_CHANGED_NONE;
    m->prompt.len = 0;
    m->prompt.text[0] = '\0';
    return MODEL_CHANGED_VIEW;
}

/* A typed character, as UTF-8; a control character or a full line is ignored. */
static unsigned model_prompt_char(struct model *m, int c)
{
    struct model_prompt *p = &m->prompt;
    char u[4];
    if (!key_is_char(c))
        return MODEL_CHANGED_NONE;
    size_t n = key_utf8(c, u);
    if (p->len + n >= sizeof p->text)
        return MODEL_CHANGED_NONE;
    memcpy(p->text + p->len, u, n);
    p->len += n;
    p->text[p->len] = '\0';
    return MODEL_CHANGED_VIEW;
}

static unsigned model_prompt_erase(struct model *m)
{
    struct model_prompt *p = &m->prompt;
    if (p->len == 0)
        return MODEL_CHANGED_NONE;
    do /* a whole UTF-8 character */
        p->len--;
    while (p->len > 0 && ((unsigned char)p->text[p->len] & 0xc0) == 0x80);
    p->text[p->len] = '\0';
    return MODEL_CHANGED_VIEW;
}

/* Enter on a value: read and checked as the command line reads it (the same words when it
 * is wrong, and the old value stays); a temperature past the slider is refused as -t is, a
 * top-k past V is V (the same tokens); any other value is set exactly, on the grid or not. */
static unsigned model_prompt_value(struct model *m, const char *text, size_t len)
{
    enum param_id p = m->prompt.param;
    const struct param_spec *ps = param_spec(p);
    struct ls_error err = {{0}};
    double v;
    if (model_slider_of(m, p) < 0)
        return MODEL_CHANGED_NONE;
    if (param_read(p, ps->flag + 2, text, len, &v, &err) != 0) {
        model_say(m, "%s; %s stays", err.msg, ps->label);
        return MODEL_CHANGED_VIEW;
    }
    if (p == PARAM_TEMPERATURE && v > ps->slider_hi) {
        char hi[40];
        param_format_double(ps->slider_hi, hi, sizeof hi);
        model_say(m, "the temperature slider ends at %s, got %s; for more use `logitscope sweep "
                  "-t %s`", hi, text, text);
        return MODEL_CHANGED_VIEW;
    }
    unsigned changed = MODEL_CHANGED_VIEW;
    if (ps->kind == PARAM_WHOLE && v > model_slider_hi(m, p)) {
        changed |= model_set(m, p, model_slider_hi(m, p));
        model_say(m, "%s %s is more than V: %zu keeps the same tokens", ps->label, text,
                  model_vocab_max(m));
        return changed;
    }
    changed |= model_set(m, p, v);
    model_say(m, "%s = %s", ps->label, text);
    return changed;
}

/* The row of rank `rank` on screen: left where it is when it shows, else scrolled to with a
 * little of what comes before it. */
static void model_scroll_to(struct model *m, size_t rank)
{
    size_t rows = m->layout.hist.h > 0 ? (size_t)m->layout.hist.h : 1;
    if (rank >= m->scroll && rank < m->scroll + rows / 2)
        return;
    size_t before = rows >= 8 ? 2 : 0;
    size_t max = model_scroll_max(m);
    m->scroll = rank > before ? rank - before : 0;
    m->scroll = m->scroll > max ? max : m->scroll;
}

static bool model_lower_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return false;
    return true;
}

/* Whether `needle` is in hay[0..len): ASCII letters match either case when the needle has no
 * capital letter (vim's smartcase). */
static bool model_contains(const char *hay, size_t len, const char *needle, size_t n, bool fold)
{
    for (size_t i = 0; i + n <= len; i++) {
        size_t j = 0;
        for (; j < n; j++) {
            char a = hay[i + j], b = needle[j];
            if (fold && a >= 'A' && a <= 'Z')
                a = (char)(a - 'A' + 'a');
            if (a != b)
                break;
        }
        if (j == n)
            return true;
    }
    return false;
}

/* Enter on a text: the next token after the one found last (in rank order, round to the
 * top) whose text holds it; nothing typed: the last text again. */
static unsigned model_prompt_find(struct model *m, const char *text, size_t len)
{
    struct model_find *f = &m->find;
    bool again = len == 0;
    if (again && f->len == 0) {
        model_say(m, "type a token's text to find");
        return MODEL_CHANGED_VIEW;
    }
    const char *want = again ? f->text : text;
    size_t want_len = again ? f->len : len;
    size_t n = m->vocab->n, from = again && f->rank != MODEL_FIND_NONE ? f->rank + 1 : 0;
    bool fold = model_lower_ascii(want, want_len);
    for (size_t k = 0; k < n; k++) {
        size_t r = (from + k) % n, tl;
        char buf[24];
        const char *tok = vocab_token(m->vocab, m->vocab->order[r], buf, &tl);
        if (!model_contains(tok, tl, want, want_len, fold))
            continue;
        bool wrapped = again && f->rank != MODEL_FIND_NONE && r <= f->rank;
        if (!again) {
            memcpy(f->text, text, len + 1);
            f->len = len;
        }
        f->rank = r;
        model_scroll_to(m, r);
        model_say(m, "found \"%s\" at #%zu of %zu (%.2f%%)%s; / Enter: next", f->text, r + 1, n,
                  100.0 * dist_prob_rank(&m->dist, r), wrapped ? ", from the top" : "");
        return MODEL_CHANGED_VIEW;
    }
    /* nothing: the row found before (and its text) stay */
    model_say(m, "no token holds \"%.*s\"", (int)want_len, want);
    return MODEL_CHANGED_VIEW;
}

static unsigned model_prompt_done(struct model *m)
{
    struct model_prompt p = m->prompt;
    m->prompt.kind = PROMPT_NONE;
    if (p.kind == PROMPT_FIND)
        return model_prompt_find(m, p.text, p.len);
    if (p.kind == PROMPT_TEXT) /* an empty one too: the start of a sentence */
        return model_lm_prompt_set(m, p.text, p.len);
    if (p.len == 0)
        return MODEL_CHANGED_VIEW; /* nothing typed: nothing changes */
    return model_prompt_value(m, p.text, p.len);
}

static unsigned model_prompt_cancel(struct model *m)
{
    if (m->prompt.kind == PROMPT_FIND) /* and the row found is no longer marked */
        m->find.rank = MODEL_FIND_NONE;
    m->prompt.kind = PROMPT_NONE;
    return MODEL_CHANGED_VIEW;
}

/* ---- undo and redo ---- */

/* The actions that change settings: a state before each is kept to go back to. */
static bool model_is_setting(enum action_kind k)
{
    switch (k) {
    case ACT_STEP: case ACT_HOME: case ACT_END: case ACT_OFF: case ACT_SET: case ACT_LAB:
    case ACT_ORDER: case ACT_SEED: case ACT_RESET: case ACT_CHAIN_REMOVE: case ACT_CHAIN_MOVE:
    case ACT_CHAIN_DRAG: case ACT_PICK_TAKE: case ACT_PROMPT_DONE:
        return true;
    default:
        return false;
    }
}

static struct model_state *model_undo_slot(struct model *m, int i)
{
    return &m->undo.ring[(m->undo.first + i) % MODEL_UNDO_MAX];
}

/* After an action: `before` goes on the undo list when the action changed a setting. */
static void model_undo_note(struct model *m, const struct action *a,
                            const struct model_state *before)
{
    struct model_undo *u = &m->undo;
    bool drag = a->kind == ACT_SET && u->set_param == a->arg && u->back > 0;
    u->set_param = a->kind == ACT_SET ? a->arg : -1;
    if (!model_is_setting(a->kind) || drag ||
        (params_equal(&before->params, &m->params) && before->seed == m->seed))
        return;
    if (u->back == MODEL_UNDO_MAX) { /* the oldest goes */
        u->first = (u->first + 1) % MODEL_UNDO_MAX;
        u->back--;
    }
    *model_undo_slot(m, u->back++) = *before;
    u->ahead = 0;
}

/* "top-p back to 0.9": what differs between two states, in a few words. */
static void model_state_diff(const struct model_state *from, const struct model_state *to,
                             char *buf, size_t cap)
{
    int changed = 0, which = -1;
    for (int i = 0; i < PARAM_COUNT; i++)
        if (params_get(&from->params, (enum param_id)i) !=
            params_get(&to->params, (enum param_id)i)) {
            changed++;
            which = i;
        }
    if (!chain_equal(&from->params.chain, &to->params.chain)) {
        char chain[160];
        chain_format(&to->params.chain, " > ", chain, sizeof chain);
        snprintf(buf, cap, "the chain back to %s", chain);
    } else if (changed == 1) {
        char v[40];
        if (param_spec((enum param_id)which)->kind == PARAM_WHOLE)
            snprintf(v, sizeof v, "%zu", params_whole(&to->params, (enum param_id)which));
        else
            param_format_double(params_real(&to->params, (enum param_id)which), v, sizeof v);
        snprintf(buf, cap, "%s back to %s", param_spec((enum param_id)which)->label, v);
    } else if (changed > 1) {
        snprintf(buf, cap, "%d settings back", changed);
    } else {
        snprintf(buf, cap, "the seed back to %llu", (unsigned long long)to->seed);
    }
}

/* u (dir -1) and U (dir +1): the state before the last change, or after the last undone. */
static unsigned model_undo_step(struct model *m, int dir)
{
    struct model_undo *u = &m->undo;
    const char *what = dir < 0 ? "undo" : "redo";
    if (dir < 0 ? u->back == 0 : u->ahead == 0) {
        model_say(m, "nothing to %s", what);
        return MODEL_CHANGED_VIEW;
    }
    struct model_state *slot = model_undo_slot(m, dir < 0 ? u->back - 1 : u->back);
    struct model_state now = {m->params, m->seed}, to = *slot;
    *slot = now;
    u->back += dir;
    u->ahead -= dir;
    u->set_param = -1;
    m->params = to.params;
    if (m->seed != to.seed) {
        m->seed = to.seed;
        rng_seed(&m->gen_rng, m->seed ^ 0x9E3779B97F4A7C15ULL);
        model_lm_seed(m);
    }
    model_build_sliders(m);
    model_relayout(m);
    model_apply(m);
    model_draw_a(m);
    char diff[200];
    model_state_diff(&now, &to, diff, sizeof diff);
    int left = dir < 0 ? u->back : u->ahead;
    model_say(m, "%s: %s (%d more to %s)", what, diff, left, what);
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

/* The actions that change a parameter or the view. */
static unsigned model_dispatch(struct model *m, const struct action *a)
{
    enum param_id p = model_focus_param(m);
    switch (a->kind) {
    case ACT_FOCUS: return model_explain(m, model_focus(m, a->arg));
    case ACT_FOCUS_CELL: return model_explain(m, model_focus_cell(m, a->arg));
    case ACT_STEP: return model_step(m, a->arg);
    case ACT_HOME: return model_set(m, p, model_slider_lo(p));
    case ACT_END: return model_set(m, p, model_slider_hi(m, p));
    case ACT_OFF: return model_off(m);
    case ACT_SET: return model_set_action(m, a);
    case ACT_LAB: return model_lab(m, a->arg);
    case ACT_ORDER: return model_next_preset(m);
    case ACT_SEED: return model_new_seed(m);
    case ACT_DRAW_ONE: return model_draw_one(m);
    case ACT_RESET: return model_reset(m);
    case ACT_HELP:
        m->help = !m->help;
        m->help_top = 0;
        return MODEL_CHANGED_VIEW;
    case ACT_HELP_SCROLL: return model_help_scroll(m, a);
    case ACT_SCROLL: return model_scroll_by(m, (long long)a->arg * m->layout.page_rows);
    case ACT_SCROLL_ROWS: return model_scroll_by(m, a->arg);
    case ACT_REDRAW: return MODEL_CHANGED_REDRAW;
    case ACT_QUIT: m->quit = true; return MODEL_CHANGED_QUIT;
    case ACT_PLOT: return model_plot(m);
    case ACT_COMPARE: return model_compare(m);
    case ACT_RESIZE:
    case ACT_GLYPHS: return model_screen(m, a);
    case ACT_FOCUS_SET: return model_explain(m, model_focus_set(m, a->arg));
    case ACT_CHAIN_PICK: return model_picker_open(m);
    case ACT_CHAIN_REMOVE: return model_chain_remove(m);
    case ACT_CHAIN_MOVE:
        return model_chain_move_to(m, model_focus_row(m), model_focus_row(m) + a->arg);
    case ACT_CHAIN_DRAG: return model_chain_move_to(m, a->arg, (int)a->value);
    case ACT_PICK_MOVE: return m->picker ? model_picker_move(m, a->arg) : MODEL_CHANGED_NONE;
    case ACT_PICK_TAKE: return m->picker ? model_picker_take(m, a->arg) : MODEL_CHANGED_NONE;
    case ACT_PICK_CLOSE: return m->picker ? model_picker_close(m) : MODEL_CHANGED_NONE;
    case ACT_IDLE: return model_idle(m);
    case ACT_POSITION: return model_step_position(m, a->arg);
    case ACT_POSITION_END: return model_goto(m, a->arg < 0 ? 0 : m->src->n - 1);
    case ACT_POSITION_SET: return a->arg >= 0 ? model_goto(m, (size_t)a->arg) : MODEL_CHANGED_NONE;
    case ACT_NEXT_OUTSIDE: return model_next_outside(m);
    case ACT_UNWRITE: return model_lm_unwrite(m);
    case ACT_WRITE_ON: return model_lm_write_on(m);
    case ACT_TICK: return model_lm_tick(m);
    case ACT_SAY: return model_caption(m, a->arg);
    case ACT_PLAY: return model_play(m, a->arg);
    case ACT_LOGITS:
    case ACT_LOG_BARS:
    case ACT_CUM: return model_view_toggle(m, a->kind);
    case ACT_PROMPT_OPEN: return model_prompt_open(m, a->arg);
    case ACT_PROMPT_CHAR: return m->prompt.kind ? model_prompt_char(m, a->arg) : MODEL_CHANGED_NONE;
    case ACT_PROMPT_ERASE: return m->prompt.kind ? model_prompt_erase(m) : MODEL_CHANGED_NONE;
    case ACT_PROMPT_CLEAR: return m->prompt.kind ? model_prompt_clear(m) : MODEL_CHANGED_NONE;
    case ACT_PROMPT_DONE: return m->prompt.kind ? model_prompt_done(m) : MODEL_CHANGED_NONE;
    case ACT_PROMPT_CANCEL: return m->prompt.kind ? model_prompt_cancel(m) : MODEL_CHANGED_NONE;
    case ACT_UNDO: return model_undo_step(m, a->arg < 0 ? -1 : +1);
    case ACT_NONE: break;
    }
    return MODEL_CHANGED_NONE;
}

/* While "terminal too small" shows, nothing can be seen changing: only the keys that quit,
 * repaint or toggle help act, so that no setting moves unseen. */
static bool model_acts_when_too_small(enum action_kind kind)
{
    return kind == ACT_QUIT || kind == ACT_REDRAW || kind == ACT_HELP;
}

unsigned model_update(struct model *m, const struct action *a)
{
    /* The terminal's news, a script's captions and the pace of writing on are not a person's
     * doing: the message stays, and so does help. Anything a person does stops the writing
     * (w does nothing else) and clears the last message, and with help open any key just
     * closes it. */
    if (a->kind == ACT_RESIZE || a->kind == ACT_GLYPHS || a->kind == ACT_IDLE ||
        a->kind == ACT_SAY || a->kind == ACT_PLAY || a->kind == ACT_TICK)
        return model_dispatch(m, a);
    if (model_lm_stop(m) && a->kind == ACT_WRITE_ON)
        return MODEL_CHANGED_VIEW;
    if (m->layout.too_small && !model_acts_when_too_small(a->kind))
        return MODEL_CHANGED_NONE;
    unsigned changed = m->message[0] || m->drawn != SOURCE_NONE ? MODEL_CHANGED_VIEW
                                                                : MODEL_CHANGED_NONE;
    m->message[0] = '\0';
    m->drawn = SOURCE_NONE; /* a draw is lit for its own frame only */
    /* help closes on any key, as it says (it scrolls when it must, and then says so) */
    if (m->help && a->kind != ACT_SCROLL_ROWS && a->kind != ACT_HELP_SCROLL) {
        m->help = false;
        return changed | MODEL_CHANGED_VIEW | (a->kind == ACT_REDRAW ? MODEL_CHANGED_REDRAW : 0);
    }
    /* the picker takes its own keys; any other closes it */
    if (m->picker && a->kind != ACT_PICK_MOVE && a->kind != ACT_PICK_TAKE &&
        a->kind != ACT_REDRAW && a->kind != ACT_QUIT)
        return changed | model_picker_close(m);
    /* so does a line being typed (the mouse, say, cancels it) */
    if (m->prompt.kind && a->kind != ACT_PROMPT_CHAR && a->kind != ACT_PROMPT_ERASE &&
        a->kind != ACT_PROMPT_CLEAR && a->kind != ACT_PROMPT_DONE && a->kind != ACT_PROMPT_CANCEL && a->kind != ACT_REDRAW &&
        a->kind != ACT_QUIT)
        return changed | model_prompt_cancel(m);
    struct model_state before = {m->params, m->seed};
    changed |= model_dispatch(m, a);
    model_undo_note(m, a, &before);
    return changed;
}

struct action model_key_action(const struct model *m, int key)
{
    if (m->prompt.kind)
        return keymap_lookup_prompt(key);
    if (m->help) /* keys scroll it only when it has more than the screen holds */
        return m->layout.help.max_top > 0 ? keymap_lookup_help(key) : keymap_lookup(key);
    if (m->picker)
        return keymap_lookup_picker(key);
    return keymap_lookup(key);
}

size_t model_gen_len(const struct model *m)
{
    return m->gen_count < MODEL_GEN_MAX ? m->gen_count : MODEL_GEN_MAX;
}

uint32_t model_gen_at(const struct model *m, size_t i)
{
    size_t first = m->gen_count - model_gen_len(m);
    return m->gen[(first + i) % MODEL_GEN_MAX];
}

/* The per-position arrays and the scan workspace: allocated once, here. */
static int model_seq_init(struct model *m, struct ls_error *err)
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

int model_init(struct model *m, const struct model_config *c, struct ls_error *err)
{
    memset(m, 0, sizeof *m);
    if (params_check(&c->params, err) != 0)
        return -1;
    m->start = *c;
    const struct source *from = c->writer ? NULL : c->source;
    if (c->writer && model_lm_init(m, c->writer, err) != 0)
        return -1;
    if (!from)
        source_of_vocab(&m->single, c->writer ? &c->writer->vocab : c->vocab);
    m->src = from ? from : &m->single;
    m->seq.pos = from && c->position < from->n ? c->position : 0;
    m->vocab = source_vocab(m->src, m->seq.pos, err);
    if (!m->vocab) {
        model_free(m);
        return -1;
    }
    /* k >= V keeps every token: V is the same distribution, and the top of the slider */
    if (params_whole(&m->start.params, PARAM_TOP_K) > model_vocab_max(m))
        m->start.params.v[PARAM_TOP_K].whole = model_vocab_max(m);
    m->drawn = SOURCE_NONE;
    if (dist_init_cap(&m->dist, m->vocab, model_vocab_max(m)) != 0 ||
        stage_inputs_init(&m->inputs, model_vocab_max(m)) != 0 ||
        model_seq_init(m, err) != 0) {
        model_free(m);
        return ls_error_set(err, "out of memory for %zu tokens", model_vocab_max(m));
    }
    m->screen = (struct layout_screen){LAYOUT_DEFAULT_COLS, LAYOUT_DEFAULT_ROWS, false};
    m->find.rank = MODEL_FIND_NONE;
    m->undo.set_param = -1;
    model_reset(m);
    m->message[0] = '\0';
    m->applies = 1;
    return 0;
}

void model_free(struct model *m)
{
    model_lm_free(m);
    dist_free(&m->dist);
    stage_inputs_free(&m->inputs);
    if (m->curve.ready)
        dist_free(&m->curve.dist);
    if (m->have_a)
        dist_free(&m->dist_a);
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
