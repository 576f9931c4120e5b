/* inputs.c: what each stage of the chain was given, recomputed from a finished dist: the
 * ranges and temperatures engine_apply() recorded, and the weights of each distinct (t, lo)
 * summed exactly as the kernels summed them, so a cut token's ghost, top-p's running total
 * and a threshold sampler's bar are the numbers the stage itself compared. */
#include <math.h>
#include <string.h>

#include "engine_internal.h"
#include "logitscope/engine.h"

int stage_inputs_init(struct stage_inputs *s, size_t cap)
{
    memset(s, 0, sizeof *s);
    s->cap = cap;
    for (int i = 0; i < STAGE_INPUT_SETS; i++)
        if (weights_alloc(&s->sets[i], cap) != 0) {
            stage_inputs_free(s);
            return -1;
        }
    return 0;
}

void stage_inputs_free(struct stage_inputs *s)
{
    for (int i = 0; i < STAGE_INPUT_SETS; i++)
        weights_release(&s->sets[i]);
    memset(s, 0, sizeof *s);
}

/* Samplers whose input is worth showing even when they cut nothing: a bar that moves with
 * the slider, or top-p's running total. */
static bool stage_measures(const struct params *p, enum sampler_id id)
{
    switch (id) {
    case SAMPLER_TOP_P:
    case SAMPLER_MIN_P:
    case SAMPLER_EPSILON:
    case SAMPLER_ETA:
    case SAMPLER_TOP_A:
    case SAMPLER_XTC: return !sampler_is_off(p, id);
    default: return false;
    }
}

/* The probability each threshold sampler's kernel compares with (stages.c: each keeps or
 * flags the ranks at or above it, up to SAMPLER_SLACK). The weights are relative to rank lo,
 * whose weight is 1, so p_max = 1 / S. */
static double stage_bar(const struct params *p, enum sampler_id id, const struct weights *ws,
                        size_t hi, double total)
{
    switch (id) {
    case SAMPLER_MIN_P: return params_real(p, PARAM_MIN_P) / total;
    case SAMPLER_EPSILON: return params_real(p, PARAM_EPSILON);
    case SAMPLER_ETA: return stage_eta_bar(params_real(p, PARAM_ETA), weights_entropy(ws, hi));
    case SAMPLER_TOP_A: return params_real(p, PARAM_TOP_A) / (total * total);
    case SAMPLER_XTC: return params_real(p, PARAM_XTC_THRESHOLD);
    default: return NAN;
    }
}

/* The weights of (t, lo), summed up to hi: a set this call began already, or a new one. */
static int stage_set(struct stage_inputs *s, const struct vocab *v, int *used, double t,
                     size_t lo, size_t hi)
{
    int k = 0;
    while (k < *used && !(s->sets[k].t == t && s->sets[k].lo == lo))
        k++;
    if (k == *used) {
        if (k == STAGE_INPUT_SETS) /* cannot happen: see STAGE_INPUT_SETS */
            return -1;
        weights_bind(&s->sets[k], v);
        weights_begin(&s->sets[k], t, lo);
        (*used)++;
    }
    weights_extend(&s->sets[k], hi);
    return k;
}

int engine_stage_inputs(struct stage_inputs *s, const struct dist *d)
{
    const struct vocab *v = d->vocab;
    const struct dist_branch *br = &d->br[0];
    const struct params *p = &d->params;
    s->n = 0;
    if (v->n_finite > s->cap)
        return -1;
    int used = 0;
    for (int i = 0; i < p->chain.n; i++) {
        struct stage_input *in = &s->in[i];
        struct dist_stage from = i ? br->after[i - 1] : (struct dist_stage){0, v->n_finite, 1.0};
        enum sampler_id id = (enum sampler_id)p->chain.stage[i];
        bool cut = br->after[i].lo != from.lo || br->after[i].hi != from.hi;
        *in = (struct stage_input){.lo = from.lo, .hi = from.hi, .t = from.t,
                                   .greedy = !(from.t > 0), .threshold = NAN, .set = -1};
        in->known = cut || stage_measures(p, id);
        if (!in->known)
            continue;
        if (in->greedy) { /* the probability samplers do nothing then: no bar */
            in->total = 1.0;
            continue;
        }
        in->set = stage_set(s, v, &used, from.t, from.lo, from.hi);
        if (in->set < 0) {
            in->known = false;
            continue;
        }
        in->total = weights_cum(&s->sets[in->set], from.hi);
        if (stage_measures(p, id))
            in->threshold = stage_bar(p, id, &s->sets[in->set], from.hi, in->total);
    }
    s->n = p->chain.n;
    return 0;
}

static const struct stage_input *stage_known(const struct stage_inputs *s, int i)
{
    return i >= 0 && i < s->n && s->in[i].known ? &s->in[i] : NULL;
}

double stage_input_prob(const struct stage_inputs *s, int i, size_t r)
{
    const struct stage_input *in = stage_known(s, i);
    if (!in)
        return NAN;
    if (r < in->lo || r >= in->hi)
        return 0.0;
    if (in->greedy)
        return r == in->lo ? 1.0 : 0.0;
    return weights_at(&s->sets[in->set], r) / in->total;
}

double stage_input_cum(const struct stage_inputs *s, int i, size_t r)
{
    const struct stage_input *in = stage_known(s, i);
    if (!in)
        return NAN;
    if (r < in->lo)
        return 0.0;
    if (in->greedy)
        return 1.0;
    size_t m = r + 1 < in->hi ? r + 1 : in->hi;
    return weights_cum(&s->sets[in->set], m) / in->total;
}

double stage_input_threshold(const struct stage_inputs *s, int i)
{
    const struct stage_input *in = stage_known(s, i);
    return in ? in->threshold : NAN;
}
