/* model_curve.c: the entropy curve (g), H against the temperature for the current filters,
 * sampled coarse first so that a keystroke stays cheap and idle time fills in the rest. */
#include "model.h"
#include "model_internal.h"

#include <math.h>
#include <string.h>

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
void model_curve_refresh(struct model *m)
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

unsigned model_idle(struct model *m)
{
    if (!model_busy(m))
        return MODEL_CHANGED_NONE;
    model_curve_compute(m, model_curve_budget(m));
    return MODEL_CHANGED_VIEW;
}

/* g */
unsigned model_plot(struct model *m)
{
    if (!m->plot && !model_panel_dist(m, &m->curve.dist, &m->curve.ready, "the plot"))
        return MODEL_CHANGED_VIEW;
    m->plot = !m->plot;
    model_relayout(m);
    return MODEL_CHANGED_VIEW;
}
