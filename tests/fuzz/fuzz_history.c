/* fuzz_history.c: libFuzzer harness for what reads the samplers that need history from
 * text: a --history line (history_parse), DRY's breakers as a settings column
 * (dry_breakers_parse, which must read back what dry_breakers_format writes) and as
 * --dry-sequence-breaker (dry_breaker_unescape); then the chain over that history, whose
 * distribution must be one (a permutation of ranks, probabilities summing to 1). Built and run
 * as tests/fuzz/README says. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"a", "b", ":", "c\n", " d", "ab", "*", "#7"};
    static const double logits[] = {2, 1, 1, 0.5, -1, -INFINITY, 0, 3};
    enum { N = sizeof logits / sizeof *logits };
    if (size < 8 || size > 2048)
        return 0;
    struct vocab v;
    struct dist d;
    struct ls_error err;
    if (vocab_from_logits(&v, logits, N, names, &err) < 0 || dist_init(&d, &v) < 0)
        abort();
    /* the first bytes: the chain and the parameters */
    struct params p = params_default();
    static const enum sampler_id front[] = {SAMPLER_PENALTIES, SAMPLER_DRY};
    p.chain.n = 0;
    if (data[0] & 1)
        p.chain.stage[p.chain.n++] = SAMPLER_TEMPERATURE;
    for (int i = 0; i < 2; i++)
        if (data[0] & (2 << i))
            p.chain.stage[p.chain.n++] = (unsigned char)front[(i + (data[0] >> 7)) & 1];
    if (data[0] & 8)
        p.chain.stage[p.chain.n++] = SAMPLER_MIROSTAT;
    if (data[0] & 16)
        p.chain.stage[p.chain.n++] = SAMPLER_TOP_K;
    if (p.chain.n == 0)
        p.chain.stage[p.chain.n++] = SAMPLER_PENALTIES;
    params_set(&p, PARAM_TEMPERATURE, data[1] % 4 * 0.5);
    params_set(&p, PARAM_REPEAT_PENALTY, 0.25 + data[2] % 16 * 0.25);
    params_set(&p, PARAM_FREQUENCY_PENALTY, (data[3] % 9 - 4) * 0.5);
    params_set(&p, PARAM_PRESENCE_PENALTY, (data[3] / 9 % 9 - 4) * 0.5);
    params_set(&p, PARAM_REPEAT_LAST_N, data[4] % 10 - 1.0);
    params_set(&p, PARAM_DRY_MULTIPLIER, data[5] % 8 * 0.5);
    params_set(&p, PARAM_DRY_BASE, 1 + data[5] / 8 % 8 * 0.5);
    params_set(&p, PARAM_DRY_ALLOWED_LENGTH, data[6] % 5);
    params_set(&p, PARAM_DRY_PENALTY_LAST_N, data[6] / 5 % 10 - 1.0);
    params_set(&p, PARAM_MIROSTAT, data[7] % 3);
    params_set(&p, PARAM_MIROSTAT_ENT, data[7] / 3 % 12 * 0.5);
    p.v[PARAM_TOP_K].whole = data[1] / 4 % 5;
    double mu = data[0] % 3 ? NAN : (double)(data[2] % 20) - 3;
    data += 8;
    size -= 8;
    /* up to the first newline: breakers as a settings column; they must read back */
    const uint8_t *nl = memchr(data, '\n', size);
    size_t blen = nl ? (size_t)(nl - data) : 0;
    struct dry_breakers b, back;
    if (dry_breakers_parse((const char *)data, blen, &b, &err) == 0) {
        char text[4 * DRY_BREAKERS_BYTES + 8];
        dry_breakers_format(&b, text, sizeof text);
        if (dry_breakers_parse(text, strlen(text), &back, &err) < 0 ||
            memcmp(&b, &back, sizeof b) != 0)
            abort();
        p.breakers = b;
    }
    char out[2048];
    if (dry_breaker_unescape((const char *)data, blen, out) > blen)
        abort();
    /* the rest: a history line */
    char line[2048];
    size_t rest = size - blen - (nl ? 1 : 0);
    memcpy(line, data + blen + (nl ? 1 : 0), rest);
    line[rest] = '\0';
    struct history_text h;
    if (params_check(&p, &err) == 0 && history_parse(&h, &v, line, &err) == 0) {
        h.h.mirostat_mu = mu;
        if (engine_apply_history(&d, &p, &h.h) < 0)
            abort();
        unsigned char seen[N] = {0};
        double sum = 0;
        for (size_t r = 0; r < N; r++) {
            uint32_t i = d.vocab->order[r];
            if (i >= N || seen[i]++ || (r && d.vocab->sorted[r - 1] < d.vocab->sorted[r]))
                abort();
            sum += dist_prob_rank(&d, r);
        }
        if (!(fabs(sum - 1) < 1e-9) || d.kept < 1)
            abort();
        history_text_free(&h);
    }
    dist_free(&d);
    vocab_free(&v);
    return 0;
}
