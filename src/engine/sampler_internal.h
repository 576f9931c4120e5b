/* sampler_internal.h: the two tables of sampler.c, for the chain operations
 * (sampler_chain.c) and the parameters (sampler_params.c). Others read them through
 * sampler_spec() and param_spec(). Not installed. */
#ifndef LOGITSCOPE_SAMPLER_INTERNAL_H
#define LOGITSCOPE_SAMPLER_INTERNAL_H

#include "logitscope/sampler.h"

extern const struct sampler_spec sampler_table[SAMPLER_COUNT];
extern const struct param_spec param_table[PARAM_COUNT];

#endif
