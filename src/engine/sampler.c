/* sampler.c: the sampler and parameter tables and the chain presets, and finding a row by
 * its name. The kernels live in stages.c, one per table row; what is done with a chain is in
 * sampler_chain.c, with the parameters' values in sampler_params.c. */
#include <math.h>
#include <string.h>

#include "logitscope/sampler.h"
#include "sampler_internal.h"

#define P(...) {__VA_ARGS__}

const struct sampler_spec sampler_table[SAMPLER_COUNT] = {
    [SAMPLER_TEMPERATURE] = {"temperature", "temperature", "T", "temperature", 't',
                             "divides the logits by T: below 1 sharper, above 1 flatter",
                             3, P(PARAM_TEMPERATURE, PARAM_DYNATEMP_RANGE, PARAM_DYNATEMP_EXP)},
    [SAMPLER_TOP_K] = {"top_k", "top-k", "k", "top_k", 'k', "keeps the K most likely tokens", 1,
                       P(PARAM_TOP_K)},
    [SAMPLER_TOP_P] = {"top_p", "top-p", "p", "top_p", 'p',
                       "keeps the fewest top tokens that add up to P (nucleus)", 1,
                       P(PARAM_TOP_P)},
    [SAMPLER_MIN_P] = {"min_p", "min-p", "min-p", "min_p", 'm',
                       "keeps tokens at least M times as likely as the top one", 1,
                       P(PARAM_MIN_P)},
    [SAMPLER_TYP_P] = {"typ_p", "typical", "typ", "typ_p", 'y',
                       "keeps the tokens as surprising as the average (the entropy), up to P",
                       1, P(PARAM_TYPICAL_P)},
    [SAMPLER_TOP_N_SIGMA] = {"top_n_sigma", "top-n-sigma", "nsig", "top_n_sigma", 's',
                             "keeps logits within N standard deviations of the top one", 1,
                             P(PARAM_TOP_N_SIGMA)},
    [SAMPLER_XTC] = {"xtc", "xtc", "xtc", "xtc", 'x',
                     "sometimes removes the top choices, all but the least likely of them", 2,
                     P(PARAM_XTC_THRESHOLD, PARAM_XTC_PROBABILITY)},
    [SAMPLER_EPSILON] = {"epsilon", "epsilon", "eps", NULL, 0, "keeps tokens with p >= epsilon", 1,
                         P(PARAM_EPSILON)},
    [SAMPLER_ETA] = {"eta", "eta", "eta", NULL, 0,
                     "like epsilon, with a bar that drops when the model is unsure", 1,
                     P(PARAM_ETA)},
    [SAMPLER_TOP_A] = {"top_a", "top-a", "top-a", NULL, 0, "keeps tokens with p >= A * p_max^2", 1,
                       P(PARAM_TOP_A)},
    [SAMPLER_PENALTIES] = {"penalties", "penalties", "pen", "penalties", 'e',
                           "lowers the tokens written lately: repeat divides, the others subtract",
                           4, P(PARAM_REPEAT_PENALTY, PARAM_FREQUENCY_PENALTY,
                                PARAM_PRESENCE_PENALTY, PARAM_REPEAT_LAST_N)},
    [SAMPLER_DRY] = {"dry", "dry", "dry", "dry", 'd',
                     "lowers the token that would make a repeat longer, more the longer it is", 4,
                     P(PARAM_DRY_MULTIPLIER, PARAM_DRY_BASE, PARAM_DRY_ALLOWED_LENGTH,
                       PARAM_DRY_PENALTY_LAST_N)},
    [SAMPLER_MIROSTAT] = {"mirostat", "mirostat", "miro", NULL, 0,
                          "keeps tokens no more surprising than mu; mu steers the text to tau",
                          3, P(PARAM_MIROSTAT, PARAM_MIROSTAT_ENT, PARAM_MIROSTAT_LR)},
};

#define WHOLE_MAX 18446744073709551615.0 /* 2^64 - 1, as the messages say */
#define INT_MAX_31 2147483647.0 /* llama.cpp's int32 counts */

const struct param_spec param_table[PARAM_COUNT] = {
    [PARAM_TEMPERATURE] = {"temperature", "--temperature", 't', "--temp", "T", "temperature", "T",
                           SAMPLER_TEMPERATURE, PARAM_REAL, 0.0, HUGE_VAL, false,
                           "a finite number >= 0", 1.0, 1.0, 0.0, 5.0, 20, 2,
                           "divides every logit by T; 0 always takes the top token"},
    [PARAM_TOP_K] = {"top_k", "--top-k", 'k', NULL, "K", "top-k", "top-k", SAMPLER_TOP_K,
                     PARAM_WHOLE, 0.0, WHOLE_MAX, false, "a whole number from 0 to 2^64-1",
                     0.0, 0.0, 0.0, 0.0, 1, 0, "keeps only the K most likely tokens; 0 = off"},
    [PARAM_TOP_P] = {"top_p", "--top-p", 'p', NULL, "P", "top-p", "top-p", SAMPLER_TOP_P,
                     PARAM_REAL, 0.0, 1.0, true, "in (0, 1]", 1.0, 1.0, 0.01, 1.0, 100, 2,
                     "keeps the fewest top tokens whose probabilities add up to P; 1 = off"},
    [PARAM_MIN_P] = {"min_p", "--min-p", 0, NULL, "M", "min-p", "min-p", SAMPLER_MIN_P, PARAM_REAL,
                     0.0, 1.0, false, "in [0, 1]", 0.0, 0.0, 0.0, 1.0, 100, 2,
                     "keeps tokens at least M times as likely as the top one; 0 = off"},
    [PARAM_TYPICAL_P] = {"typical_p", "--typical-p", 0, "--typical", "P", "typical-p", "typ",
                         SAMPLER_TYP_P, PARAM_REAL, 0.0, 1.0, true, "in (0, 1]", 1.0, 1.0,
                         0.01, 1.0, 100, 2,
                         "keeps the tokens whose surprise is nearest the entropy, up to mass P"},
    [PARAM_TOP_N_SIGMA] = {"top_n_sigma", "--top-n-sigma", 0, "--top-nsigma", "N", "top-n-sigma",
                           "nsig", SAMPLER_TOP_N_SIGMA, PARAM_REAL, 0.0, HUGE_VAL, false,
                           "a finite number >= 0", 0.0, 0.0, 0.0, 5.0, 20, 2,
                           "keeps logits at most N standard deviations below the top; 0 = off"},
    [PARAM_XTC_THRESHOLD] = {"xtc_threshold", "--xtc-threshold", 0, NULL, "P", "xtc threshold",
                             "thr", SAMPLER_XTC, PARAM_REAL, 0.0, 1.0, false, "in [0, 1]",
                             0.1, NAN, 0.0, 1.0, 100, 2,
                             "XTC's bar: tokens at least this likely are top choices"},
    [PARAM_XTC_PROBABILITY] = {"xtc_probability", "--xtc-probability", 0, NULL, "Q", "xtc chance",
                               "p", SAMPLER_XTC, PARAM_REAL, 0.0, 1.0, false, "in [0, 1]",
                               0.0, 0.0, 0.0, 1.0, 100, 2,
                               "how often XTC removes all top choices but the last; 0 = off"},
    [PARAM_DYNATEMP_RANGE] = {"dynatemp_range", "--dynatemp-range", 0, NULL, "D", "dynatemp",
                              "dyn", SAMPLER_TEMPERATURE, PARAM_REAL, 0.0, HUGE_VAL, false,
                              "a finite number >= 0", 0.0, 0.0, 0.0, 5.0, 20, 2,
                              "T moves in T +- range: cooler when sure, hotter when unsure"},
    [PARAM_DYNATEMP_EXP] = {"dynatemp_exp", "--dynatemp-exp", 0, NULL, "E", "dynatemp exp",
                            "exp", SAMPLER_TEMPERATURE, PARAM_REAL, 0.0, HUGE_VAL, false,
                            "a finite number >= 0", 1.0, NAN, 0.0, 5.0, 20, 2,
                            "how the entropy maps to the dynamic temperature (1 = linear)"},
    [PARAM_EPSILON] = {"epsilon", "--epsilon", 0, NULL, "E", "epsilon", "eps", SAMPLER_EPSILON,
                       PARAM_REAL, 0.0, 1.0, false, "in [0, 1]", 0.0, 0.0, 0.0, 0.1, 1000, 3,
                       "keeps tokens with probability at least epsilon; 0 = off"},
    [PARAM_ETA] = {"eta", "--eta", 0, NULL, "E", "eta", "eta", SAMPLER_ETA, PARAM_REAL, 0.0, 1.0,
                   false, "in [0, 1]", 0.0, 0.0, 0.0, 0.1, 1000, 3,
                   "keeps p >= min(eta, sqrt(eta) e^-H): a lower bar when unsure; 0 = off"},
    [PARAM_TOP_A] = {"top_a", "--top-a", 0, NULL, "A", "top-a", "top-a", SAMPLER_TOP_A, PARAM_REAL,
                     0.0, HUGE_VAL, false, "a finite number >= 0", 0.0, 0.0, 0.0, 1.0, 100, 2,
                     "keeps tokens with p >= A * p_max^2; 0 = off"},
    [PARAM_MIN_KEEP] = {"min_keep", "--min-keep", 0, NULL, "N", "min-keep", "keep", SAMPLER_NONE,
                        PARAM_WHOLE, 0.0, WHOLE_MAX, false, "a whole number from 0 to 2^64-1",
                        0.0, 0.0, 0.0, 0.0, 1, 0,
                        "the probability filters keep at least this many tokens (0 = 1)"},
    [PARAM_REPEAT_PENALTY] = {"repeat_penalty", "--repeat-penalty", 0, NULL, "R", "repeat", "rep",
                              SAMPLER_PENALTIES, PARAM_REAL, 0.0, HUGE_VAL, true,
                              "a finite number > 0", 1.0, 1.0, 0.5, 2.0, 100, 2,
                              "a token written lately: its logit / R if > 0, else * R; 1 = off"},
    [PARAM_FREQUENCY_PENALTY] = {"frequency_penalty", "--frequency-penalty", 0, NULL, "F",
                                 "frequency", "freq", SAMPLER_PENALTIES, PARAM_REAL, -HUGE_VAL,
                                 HUGE_VAL, false, "a finite number", 0.0, 0.0, -2.0, 2.0, 100, 2,
                                 "subtracts F for each time a token was written; 0 = off"},
    [PARAM_PRESENCE_PENALTY] = {"presence_penalty", "--presence-penalty", 0, NULL, "P",
                                "presence", "pres", SAMPLER_PENALTIES, PARAM_REAL, -HUGE_VAL,
                                HUGE_VAL, false, "a finite number", 0.0, 0.0, -2.0, 2.0, 100, 2,
                                "subtracts P once from each token written lately; 0 = off"},
    [PARAM_REPEAT_LAST_N] = {"repeat_last_n", "--repeat-last-n", 0, NULL, "N", "last n", "last",
                             SAMPLER_PENALTIES, PARAM_INT, -1.0, INT_MAX_31, false,
                             "a whole number from -1 to 2147483647", 64.0, 0.0, -1.0, 256.0, 1, 0,
                             "how many of the last tokens written count; -1 = all, 0 = off"},
    [PARAM_DRY_MULTIPLIER] = {"dry_multiplier", "--dry-multiplier", 0, NULL, "M", "dry", "mult",
                              SAMPLER_DRY, PARAM_REAL, 0.0, HUGE_VAL, false,
                              "a finite number >= 0", 0.0, 0.0, 0.0, 5.0, 20, 2,
                              "DRY subtracts M * base^(repeat length - allowed); 0 = off"},
    [PARAM_DRY_BASE] = {"dry_base", "--dry-base", 0, NULL, "B", "dry base", "base", SAMPLER_DRY,
                        PARAM_REAL, 1.0, HUGE_VAL, false, "a finite number >= 1", 1.75, NAN, 1.0,
                        4.0, 20, 2, "how fast DRY's penalty grows with the repeat's length"},
    [PARAM_DRY_ALLOWED_LENGTH] = {"dry_allowed_length", "--dry-allowed-length", 0, NULL, "L",
                                  "dry allowed", "len", SAMPLER_DRY, PARAM_INT, 0.0, INT_MAX_31,
                                  false, "a whole number from 0 to 2147483647", 2.0, NAN, 0.0,
                                  10.0, 1, 0, "repeats up to this many tokens long are free"},
    [PARAM_DRY_PENALTY_LAST_N] = {"dry_penalty_last_n", "--dry-penalty-last-n", 0, NULL, "N",
                                  "dry last n", "last", SAMPLER_DRY, PARAM_INT, -1.0, INT_MAX_31,
                                  false, "a whole number from -1 to 2147483647", -1.0, 0.0, -1.0,
                                  256.0, 1, 0,
                                  "how many of the last tokens DRY searches; -1 = all, 0 = off"},
    [PARAM_MIROSTAT] = {"mirostat", "--mirostat", 0, NULL, "V", "mirostat", "ver",
                        SAMPLER_MIROSTAT, PARAM_INT, 0.0, 2.0, false, "0, 1 or 2", 0.0, 0.0, 0.0,
                        2.0, 1, 0, "2: keeps surprise <= mu; 1: a top-k set from mu; 0 = off"},
    [PARAM_MIROSTAT_ENT] = {"mirostat_ent", "--mirostat-ent", 0, NULL, "TAU", "mirostat tau",
                            "tau", SAMPLER_MIROSTAT, PARAM_REAL, 0.0, HUGE_VAL, false,
                            "a finite number >= 0", 5.0, NAN, 0.0, 10.0, 10, 1,
                            "the surprise mirostat aims at, in bits (tau; mu starts at 2 tau)"},
    [PARAM_MIROSTAT_LR] = {"mirostat_lr", "--mirostat-lr", 0, NULL, "ETA", "mirostat eta", "eta",
                           SAMPLER_MIROSTAT, PARAM_REAL, 0.0, HUGE_VAL, false,
                           "a finite number >= 0", 0.1, NAN, 0.0, 1.0, 100, 2,
                           "how far mu moves per token written (eta, the learning rate)"},
};

static const char *const preset_names[PRESET_COUNT + 1] = {"hf", "llama", "vllm", "custom"};

static const unsigned char preset_stages[PRESET_COUNT][SAMPLER_COUNT + 1] = {
    [PRESET_HF] = {SAMPLER_TEMPERATURE, SAMPLER_TOP_K, SAMPLER_TOP_P, SAMPLER_MIN_P,
                   SAMPLER_TYP_P, SAMPLER_EPSILON, SAMPLER_ETA, SAMPLER_COUNT},
    [PRESET_LLAMA] = {SAMPLER_TOP_N_SIGMA, SAMPLER_TOP_K, SAMPLER_TYP_P, SAMPLER_TOP_P,
                      SAMPLER_MIN_P, SAMPLER_XTC, SAMPLER_TEMPERATURE, SAMPLER_COUNT},
    [PRESET_VLLM] = {SAMPLER_TEMPERATURE, SAMPLER_MIN_P, SAMPLER_TOP_K, SAMPLER_TOP_P,
                     SAMPLER_COUNT},
};

/* Other spellings --samplers takes, as llama.cpp does. */
static const struct {
    const char *name;
    enum sampler_id id;
} sampler_aliases[] = {
    {"temp", SAMPLER_TEMPERATURE}, {"nucleus", SAMPLER_TOP_P},  {"typical", SAMPLER_TYP_P},
    {"typical_p", SAMPLER_TYP_P},  {"typ", SAMPLER_TYP_P},      {"top_nsigma", SAMPLER_TOP_N_SIGMA},
};

const struct sampler_spec *sampler_spec(enum sampler_id id)
{
    return &sampler_table[(unsigned)id < SAMPLER_COUNT ? id : 0];
}

const struct param_spec *param_spec(enum param_id id)
{
    return &param_table[(unsigned)id < PARAM_COUNT ? id : 0];
}

/* s[0..len) equals name, with '-' and '_' taken as the same character. */
static bool name_is(const char *s, size_t len, const char *name)
{
    size_t i = 0;
    for (; i < len && name[i]; i++) {
        char a = s[i] == '-' ? '_' : s[i], b = name[i] == '-' ? '_' : name[i];
        if (a != b)
            return false;
    }
    return i == len && !name[i];
}

int sampler_find(const char *name, size_t len)
{
    for (int i = 0; i < SAMPLER_COUNT; i++)
        if (name_is(name, len, sampler_table[i].name))
            return i;
    for (size_t i = 0; i < sizeof sampler_aliases / sizeof *sampler_aliases; i++)
        if (name_is(name, len, sampler_aliases[i].name))
            return (int)sampler_aliases[i].id;
    return -1;
}

int param_find(const char *name, size_t len)
{
    for (int i = 0; i < PARAM_COUNT; i++)
        if (name_is(name, len, param_table[i].name))
            return i;
    return -1;
}

struct chain chain_preset(enum chain_preset p)
{
    struct chain c = {0};
    if ((unsigned)p >= PRESET_COUNT)
        p = PRESET_HF;
    for (int i = 0; preset_stages[p][i] != SAMPLER_COUNT; i++)
        c.stage[c.n++] = preset_stages[p][i];
    return c;
}

const char *chain_preset_name(enum chain_preset p)
{
    return preset_names[(unsigned)p <= PRESET_COUNT ? p : PRESET_CUSTOM];
}

int chain_preset_find(const char *name)
{
    for (int i = 0; i < PRESET_COUNT; i++)
        if (strcmp(name, preset_names[i]) == 0)
            return i;
    return -1;
}

enum chain_preset chain_which_preset(const struct chain *c)
{
    for (int i = 0; i < PRESET_COUNT; i++) {
        struct chain p = chain_preset((enum chain_preset)i);
        if (chain_equal(c, &p))
            return (enum chain_preset)i;
    }
    return PRESET_CUSTOM;
}
