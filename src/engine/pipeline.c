/* pipeline.c: engine_apply(), the sampler chain in rank space. Each stage keeps a contiguous
 * range of ranks; the weights behind a stage are those of its temperature relative to its
 * range's first rank, kept in a small cache of weight sets so that a step which changes one
 * sampler recomputes only what follows it. XTC with a probability strictly between 0 and 1
 * forks the chain: the result is the mixture of the two ways through it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "logitscope/engine.h"

const char *cut_name(enum cut c)
{
    if (c == CUT_GREEDY)
        return "T=0";
    if (c == CUT_NEG_INF)
        return "-inf";
    if (c >= CUT_BY_SAMPLER && c < CUT_GREEDY)
        return sampler_spec((enum sampler_id)(c - CUT_BY_SAMPLER))->label;
    return "";
}

int dist_init_cap(struct dist *d, const struct vocab *v, size_t cap)
{
    cap = cap > v->n_finite ? cap : v->n_finite;
    size_t alias = cap < ENGINE_ALIAS_MAX ? cap : ENGINE_ALIAS_MAX;
    memset(d, 0, sizeof *d);
    d->cap = cap;
    int bad = 0;
    for (int i = 0; i < ENGINE_WEIGHT_SLOTS; i++)
        bad |= weights_alloc(&d->slot[i], cap);
    d->counts = calloc(cap ? cap : 1, sizeof *d->counts);
    d->alias_prob = malloc((alias ? alias : 1) * sizeof *d->alias_prob);
    d->alias_idx = malloc(2 * (alias ? alias : 1) * sizeof *d->alias_idx);
    if (bad || !d->counts || !d->alias_prob || !d->alias_idx) {
        dist_free(d);
        return -1;
    }
    d->mirostat_mu = NAN;
    return dist_bind(d, v);
}

int dist_init(struct dist *d, const struct vocab *v)
{
    return dist_init_cap(d, v, v->n_finite);
}

int dist_bind(struct dist *d, const struct vocab *v)
{
    if (v->n_finite > d->cap)
        return -1;
    d->vocab = d->source = v;
    history_forget(d);
    for (int i = 0; i < ENGINE_WEIGHT_SLOTS; i++)
        weights_bind(&d->slot[i], v);
    d->sd_valid = false;
    d->samples = 0;
    d->n_branch = 0;
    return 0;
}

void dist_free(struct dist *d)
{
    for (int i = 0; i < ENGINE_WEIGHT_SLOTS; i++)
        weights_release(&d->slot[i]);
    free(d->counts);
    free(d->alias_prob);
    free(d->alias_idx);
    free(d->draw_u);
    free(d->draw_tmp);
    history_free(d);
    memset(d, 0, sizeof *d);
}

void dist_invalidate(struct dist *d)
{
    for (int i = 0; i < ENGINE_WEIGHT_SLOTS; i++)
        d->slot[i].valid = false;
    d->sd_valid = false;
    history_forget(d);
}

/* The weights of (t, lo): a cached set, or the least recently used one that this apply has
 * not touched, begun anew. A chain touches at most six sets (three per branch), so one is
 * always free. */
static struct weights *slot_get(struct dist *d, double t, size_t lo)
{
    struct weights *victim = NULL;
    for (int i = 0; i < ENGINE_WEIGHT_SLOTS; i++) {
        struct weights *ws = &d->slot[i];
        if (ws->valid && ws->t == t && ws->lo == lo) {
            ws->stamp = d->clock;
            return ws;
        }
    }
    for (int i = 0; i < ENGINE_WEIGHT_SLOTS; i++) {
        struct weights *ws = &d->slot[i];
        if (!ws->valid) {
            victim = ws;
            break;
        }
        if (ws->stamp != d->clock && (!victim || ws->stamp < victim->stamp))
            victim = ws;
    }
    weights_begin(victim, t, lo);
    victim->stamp = d->clock;
    return victim;
}

struct weights *run_weights(struct chain_run *s)
{
    if (!s->ws)
        s->ws = slot_get(s->d, s->greedy ? 1.0 : s->t, s->lo);
    return s->ws;
}

struct weights *run_blocks(struct chain_run *s)
{
    struct weights *ws = run_weights(s);
    weights_extend(ws, s->hi);
    return ws;
}

double run_total(struct chain_run *s)
{
    return weights_cum(run_blocks(s), s->hi);
}

double run_entropy(struct chain_run *s)
{
    return weights_entropy(run_blocks(s), s->hi);
}

/* Count, mean and sum of squared deviations of a run of logits, in two passes. */
struct moments2 {
    double n, mean, m2;
};

static struct moments2 moments_direct(const double *x, size_t lo, size_t hi)
{
    struct moments2 m = {(double)(hi - lo), 0, 0};
    if (lo >= hi)
        return m;
    double s = 0;
    for (size_t r = lo; r < hi; r++)
        s += x[r];
    m.mean = s / m.n;
    for (size_t r = lo; r < hi; r++)
        m.m2 += (x[r] - m.mean) * (x[r] - m.mean);
    return m;
}

/* Chan, Golub and LeVeque's pairwise update: stable however far apart the two means are. */
static struct moments2 moments_join(struct moments2 a, struct moments2 b)
{
    if (a.n == 0)
        return b;
    if (b.n == 0)
        return a;
    double n = a.n + b.n, delta = b.mean - a.mean;
    return (struct moments2){n, a.mean + delta * (b.n / n),
                             a.m2 + b.m2 + delta * delta * (a.n / n) * b.n};
}

/* A whole block from its power sums: with z = (x - c) / h, mean = c + h Q1 / 64 and the
 * squared deviations h^2 (2 Q2 - Q1^2 / 64). The block's values span z in [-1, 1], so this
 * loses nothing to cancellation. */
static struct moments2 moments_block(const struct vocab *v, size_t b)
{
    const double *m = v->moments + b * ENGINE_MOMENT_STRIDE;
    double c = m[0], h = m[1], q1 = m[2], q2 = m[3];
    if (!isfinite(h))
        return moments_direct(v->sorted, b * ENGINE_BLOCK, (b + 1) * ENGINE_BLOCK);
    double n = ENGINE_BLOCK;
    return (struct moments2){n, c + h * (q1 / n), h * h * (2 * q2 - q1 * q1 / n)};
}

double run_sd(struct chain_run *s)
{
    struct dist *d = s->d;
    if (d->sd_valid && d->sd_lo == s->lo && d->sd_hi == s->hi)
        return d->sd_value;
    const struct vocab *v = d->vocab;
    size_t lo = s->lo, hi = s->hi, first = (lo + ENGINE_BLOCK - 1) / ENGINE_BLOCK;
    size_t last = hi / ENGINE_BLOCK;
    struct moments2 m;
    if (first >= last) {
        m = moments_direct(v->sorted, lo, hi);
    } else {
        m = moments_direct(v->sorted, lo, first * ENGINE_BLOCK);
        for (size_t b = first; b < last; b++)
            m = moments_join(m, moments_block(v, b));
        m = moments_join(m, moments_direct(v->sorted, last * ENGINE_BLOCK, hi));
    }
    double sd = sqrt(fmax(m.m2, 0) / m.n);
    d->sd_value = isnan(sd) ? INFINITY : sd;
    d->sd_lo = lo;
    d->sd_hi = hi;
    d->sd_valid = true;
    return d->sd_value;
}

/* The end of one way through the chain: a greedy range keeps its first rank; the final
 * weights and their total. */
static void run_finish(struct chain_run *s)
{
    struct dist_branch *br = s->br;
    if (!s->settled)
        history_settle(s);
    if (s->greedy) {
        s->hi = s->lo + 1;
        s->ws = NULL;
    }
    br->lo = s->lo;
    br->hi = s->hi;
    br->t = s->greedy ? 0.0 : s->t;
    br->ws = run_blocks(s);
    br->total = weights_cum(br->ws, s->hi);
}

static void run_from(struct chain_run *s, int from);

/* XTC: no change, always (the range moves on), or a fork into the two branches, each of
 * which runs the rest of the chain. Returns true when it forked (the rest has run). */
static bool run_xtc(struct chain_run *s, int i)
{
    stage_kernel(SAMPLER_XTC)(s);
    if (!s->xtc_lo)
        return false;
    double q = params_real(s->p, PARAM_XTC_PROBABILITY);
    if (q >= 1) {
        s->lo = s->xtc_lo;
        s->ws = NULL;
        return false;
    }
    struct dist *d = s->d;
    struct chain_run fired = *s;
    d->n_branch = 2;
    d->br[1] = d->br[0];
    d->br[0].share = 1 - q;
    d->br[1].share = q;
    fired.br = &d->br[1];
    fired.lo = s->xtc_lo;
    fired.ws = NULL;
    s->br->after[i] = (struct dist_stage){s->lo, s->hi, s->t};
    fired.br->after[i] = (struct dist_stage){fired.lo, fired.hi, fired.t};
    run_from(s, i + 1);
    run_from(&fired, i + 1);
    return true;
}

static void run_from(struct chain_run *s, int from)
{
    const struct chain *c = &s->p->chain;
    for (int i = from; i < c->n; i++) {
        enum sampler_id id = (enum sampler_id)c->stage[i];
        /* every stage but these reads weights: the logits changed so far must be in place */
        bool reads = !sampler_changes_logits(id) &&
                     !(id == SAMPLER_TEMPERATURE &&
                       !(params_real(s->p, PARAM_DYNATEMP_RANGE) > 0));
        if (reads && !s->settled)
            history_settle(s);
        if (id == SAMPLER_XTC) {
            if (run_xtc(s, i))
                return;
        } else {
            stage_kernel(id)(s);
        }
        s->br->after[i] = (struct dist_stage){s->lo, s->hi, s->greedy ? 0.0 : s->t};
    }
    run_finish(s);
}

/* -sum p ln p over ranks [u, v) of a branch, where p = c w and w = e^y its weights. */
static double region_entropy(const struct dist_branch *b, double c, size_t u, size_t v)
{
    if (u >= v || !(c > 0))
        return 0;
    double w = weights_cum(b->ws, v) - weights_cum(b->ws, u);
    double wy = weights_wy(b->ws, v) - weights_wy(b->ws, u);
    return -(c * log(c) * w + c * wy);
}

static bool branch_has(const struct dist_branch *b, size_t r)
{
    return r >= b->lo && r < b->hi;
}

double dist_branch_prob(const struct dist *d, int b, size_t r)
{
    const struct dist_branch *br = &d->br[b];
    return b < d->n_branch && branch_has(br, r) ? weights_at(br->ws, r) / br->total : 0.0;
}

/* Where both branches keep a rank. With one temperature their weights differ by a constant
 * factor, so the mixture there is c w of the branch that starts lower in the ranking (whose
 * factor is <= 1: nothing overflows); with two (dynatemp picked differently) rank by rank. */
static double overlap_entropy(const struct dist *d, size_t u, size_t v)
{
    const struct dist_branch *b0 = &d->br[0], *b1 = &d->br[1];
    if (b0->ws->t == b1->ws->t) {
        const struct dist_branch *ref = b0->lo >= b1->lo ? b0 : b1, *o = ref == b0 ? b1 : b0;
        const double *x = d->vocab->sorted;
        double f = exp((x[ref->lo] - x[o->lo]) / ref->ws->t);
        return region_entropy(ref, ref->share / ref->total + o->share * f / o->total, u, v);
    }
    double h = 0;
    for (size_t r = u; r < v; r++) {
        double p = dist_prob_rank(d, r);
        if (p > 0)
            h -= p * log(p);
    }
    return h;
}

static void mixture_summarize(struct dist *d)
{
    const struct dist_branch *b0 = &d->br[0], *b1 = &d->br[1];
    size_t pt[4] = {b0->lo, b0->hi, b1->lo, b1->hi};
    for (int i = 1; i < 4; i++) /* sort the four boundaries */
        for (int j = i; j > 0 && pt[j - 1] > pt[j]; j--) {
            size_t tmp = pt[j];
            pt[j] = pt[j - 1];
            pt[j - 1] = tmp;
        }
    double h = 0;
    d->kept = 0;
    for (int i = 0; i < 3; i++) {
        size_t u = pt[i], v = pt[i + 1];
        bool in0 = branch_has(b0, u) && v <= b0->hi, in1 = branch_has(b1, u) && v <= b1->hi;
        if (u >= v || !(in0 || in1))
            continue;
        d->kept += v - u;
        if (in0 && in1)
            h += overlap_entropy(d, u, v);
        else
            h += region_entropy(in0 ? b0 : b1, (in0 ? b0 : b1)->share /
                                (in0 ? b0 : b1)->total, u, v);
    }
    d->first_kept = pt[0];
    d->last_kept = pt[3] - 1;
    d->entropy_bits = h > 0 ? h / log(2.0) : 0.0;
    double p0 = dist_prob_rank(d, b0->lo), p1 = dist_prob_rank(d, b1->lo);
    bool first0 = p0 > p1 || (p0 == p1 && b0->lo <= b1->lo);
    d->top_rank = first0 ? b0->lo : b1->lo;
    d->top_prob = first0 ? p0 : p1;
}

double mirostat_start(const struct params *p)
{
    return 2 * params_real(p, PARAM_MIROSTAT_ENT);
}

double mirostat_update(const struct dist *d, size_t r)
{
    const struct params *p = &d->params;
    double mu = d->mirostat_mu, prob = dist_prob_rank(d, r);
    if (!chain_has(&p->chain, SAMPLER_MIROSTAT) || sampler_is_off(p, SAMPLER_MIROSTAT) ||
        !(prob > 0))
        return mu;
    double surprise = -log2(prob);
    return mu - params_real(p, PARAM_MIROSTAT_LR) * (surprise - params_real(p, PARAM_MIROSTAT_ENT));
}

void engine_apply(struct dist *d, const struct params *p)
{
    engine_apply_history(d, p, NULL);
}

int engine_apply_history(struct dist *d, const struct params *p, const struct history *hist)
{
    d->params = *p;
    d->samples = 0;
    d->clock++;
    d->n_branch = 1;
    memset(&d->br[0], 0, sizeof d->br[0]);
    d->br[0].share = 1.0;
    d->br[0].entropy_in = NAN;
    d->mirostat_mu = NAN;
    if (chain_has(&p->chain, SAMPLER_MIROSTAT))
        d->mirostat_mu = hist && !isnan(hist->mirostat_mu) ? hist->mirostat_mu
                                                           : mirostat_start(p);
    history_begin(d);
    struct chain_run s = {.d = d, .p = &d->params, .br = &d->br[0], .lo = 0,
                          .hi = d->source->n_finite, .t = 1.0, .h = hist && hist->n ? hist : NULL};
    run_from(&s, 0);
    if (d->n_branch == 2) {
        mixture_summarize(d);
    } else {
        const struct dist_branch *b = &d->br[0];
        d->kept = b->hi - b->lo;
        d->first_kept = d->top_rank = b->lo;
        d->last_kept = b->hi - 1;
        /* H = ln S - sum(w y) / S with y = (x - x0) / T; both terms are >= 0. y, not x - x0:
         * with logits near 1e307, w (x - x0) overflows where w y does not. */
        double h = log(b->total) - weights_wy(b->ws, b->hi) / b->total;
        d->entropy_bits = h > 0 ? h / log(2.0) : 0.0;
        d->top_prob = 1.0 / b->total;
    }
    d->perplexity = exp2(d->entropy_bits);
    return s.failed ? -1 : 0;
}

double dist_prob_rank(const struct dist *d, size_t r)
{
    if (d->n_branch == 1)
        return dist_branch_prob(d, 0, r);
    return d->br[0].share * dist_branch_prob(d, 0, r) +
           d->br[1].share * dist_branch_prob(d, 1, r);
}

bool dist_is_kept(const struct dist *d, size_t r)
{
    return branch_has(&d->br[0], r) || (d->n_branch == 2 && branch_has(&d->br[1], r));
}

/* The first stage of branch b whose range left r out, or -1. */
static int branch_cut_stage(const struct dist *d, int b, size_t r)
{
    const struct dist_branch *br = &d->br[b];
    for (int i = 0; i < d->params.chain.n; i++)
        if (r < br->after[i].lo || r >= br->after[i].hi)
            return i;
    return -1;
}

int dist_cut_stage(const struct dist *d, size_t r)
{
    if (r >= d->vocab->n_finite || dist_is_kept(d, r))
        return -1;
    return branch_cut_stage(d, 0, r);
}

double dist_logit(const struct dist *d, size_t r)
{
    return r < d->vocab->n_finite ? d->vocab->sorted[r] : -INFINITY;
}

double dist_scaled_logit(const struct dist *d, size_t r)
{
    double t = d->br[0].t;
    return t > 0 ? dist_logit(d, r) / t : NAN;
}

enum cut dist_cut(const struct dist *d, size_t r)
{
    if (r >= d->vocab->n_finite)
        return CUT_NEG_INF;
    if (dist_is_kept(d, r))
        return CUT_NONE;
    int i = branch_cut_stage(d, 0, r);
    return i < 0 ? CUT_GREEDY : cut_by((enum sampler_id)d->params.chain.stage[i]);
}

bool dist_xtc_removes(const struct dist *d, size_t r)
{
    if (d->n_branch != 2 || !branch_has(&d->br[0], r) || branch_has(&d->br[1], r))
        return false;
    int i = branch_cut_stage(d, 1, r);
    return i >= 0 && d->params.chain.stage[i] == SAMPLER_XTC;
}

static double branch_cum(const struct dist *d, int b, size_t r)
{
    const struct dist_branch *br = &d->br[b];
    if (r < br->lo)
        return 0.0;
    size_t m = r + 1 < br->hi ? r + 1 : br->hi;
    return weights_cum(br->ws, m) / br->total;
}

double dist_cum(const struct dist *d, size_t r)
{
    if (d->n_branch == 1)
        return branch_cum(d, 0, r);
    return d->br[0].share * branch_cum(d, 0, r) + d->br[1].share * branch_cum(d, 1, r);
}

int dist_stage_of(const struct dist *d, enum sampler_id s)
{
    return chain_index(&d->params.chain, s);
}
