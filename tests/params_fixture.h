/* params_fixture.h: short spellings of the four classic parameters for the tests, and a
 * params builder, so that a test reads like the settings it checks. */
#ifndef LOGITSCOPE_TESTS_PARAMS_FIXTURE_H
#define LOGITSCOPE_TESTS_PARAMS_FIXTURE_H

#include "logitscope/sampler.h"

#define P_T(p) params_real(&(p), PARAM_TEMPERATURE)
#define P_K(p) params_whole(&(p), PARAM_TOP_K)
#define P_P(p) params_real(&(p), PARAM_TOP_P)
#define P_MINP(p) params_real(&(p), PARAM_MIN_P)
#define P_PRESET(p) chain_which_preset(&(p).chain)

/* T, top-k, top-p and min-p over a preset chain, everything else off. */
static inline struct params test_params(double t, size_t k, double p, double minp,
                                        enum chain_preset order)
{
    struct params q = params_default();
    q.chain = chain_preset(order);
    params_set(&q, PARAM_TEMPERATURE, t);
    q.v[PARAM_TOP_K].whole = k;
    params_set(&q, PARAM_TOP_P, p);
    params_set(&q, PARAM_MIN_P, minp);
    return q;
}

/* params with one sampler alone in the chain (and temperature 1). */
static inline struct params only(enum sampler_id s)
{
    struct params p = params_default();
    p.chain.n = 1;
    p.chain.stage[0] = (unsigned char)s;
    return p;
}

/* p with one parameter set. */
static inline struct params with(struct params p, enum param_id id, double x)
{
    params_set(&p, id, x);
    return p;
}

#endif
