/* sampler.c: the sampler and parameter tables, and what is done with them: defaults, checks,
 * chains and their presets, names. The kernels live in stages.c, one per table row. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "logitscope/parse.h"
#include "logitscope/sampler.h"
#include "logitscope/text.h"

#define P(...) {__VA_ARGS__}

static const struct sampler_spec sampler_table[SAMPLER_COUNT] = {
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

static const struct param_spec param_table[PARAM_COUNT] = {
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

bool chain_equal(const struct chain *a, const struct chain *b)
{
    return a->n == b->n && memcmp(a->stage, b->stage, a->n) == 0;
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

int chain_index(const struct chain *c, enum sampler_id s)
{
    for (int i = 0; i < c->n; i++)
        if (c->stage[i] == s)
            return i;
    return -1;
}

bool chain_has(const struct chain *c, enum sampler_id s)
{
    return chain_index(c, s) >= 0;
}

size_t chain_format(const struct chain *c, const char *sep, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (int i = 0; i < c->n; i++) {
        int w = snprintf(buf + (len < cap ? len : cap), len < cap ? cap - len : 0, "%s%s",
                         i ? sep : "", sampler_table[c->stage[i]].name);
        len += w > 0 ? (size_t)w : 0;
    }
    return len;
}

static int chain_add(struct chain *c, enum sampler_id s, const char *shown, size_t len,
                     struct ls_error *err)
{
    if (chain_has(c, s))
        return ls_error_set(err, "sampler %.*s appears twice in the chain (each at most once)",
                            (int)len, shown);
    c->stage[c->n++] = (unsigned char)s;
    return 0;
}

/* A name for a message: printable ASCII only, at most 40 bytes. */
static const char *chain_shown(const char *s, size_t len, char *buf, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap && i < 40; i++)
        buf[n++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
    buf[n] = '\0';
    return buf;
}

int chain_parse_names(const char *s, struct chain *out, struct ls_error *err)
{
    struct chain c = {0};
    const char *p = s;
    for (;;) {
        size_t len = strcspn(p, ";,");
        char shown[48];
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len) {
            int id = sampler_find(p, len);
            if (id < 0)
                return ls_error_set(err, "unknown sampler \"%s\" (samplers: temperature, "
                                         "top_k, top_p, min_p, typ_p, top_n_sigma, xtc, "
                                         "epsilon, eta, top_a, penalties, dry, mirostat)",
                                    chain_shown(p, len, shown, sizeof shown));
            if (chain_add(&c, (enum sampler_id)id, chain_shown(p, len, shown, sizeof shown),
                          strlen(shown), err))
                return -1;
        }
        p += strcspn(p, ";,");
        if (!*p)
            break;
        p++;
    }
    if (c.n == 0)
        return ls_error_set(err, "the chain is empty: name at least one sampler");
    if (chain_check(&c, err))
        return -1;
    *out = c;
    return 0;
}

int chain_parse_letters(const char *s, struct chain *out, struct ls_error *err)
{
    struct chain c = {0};
    for (const char *p = s; *p; p++) {
        int id = -1;
        for (int i = 0; i < SAMPLER_COUNT; i++)
            if (sampler_table[i].letter && sampler_table[i].letter == *p)
                id = i;
        char shown[8];
        if (id < 0)
            return ls_error_set(err, "unknown sampler letter '%s' (llama.cpp's letters: e "
                                     "penalties, d dry, k top_k, p top_p, m min_p, y typ_p, s "
                                     "top_n_sigma, x xtc, t temperature)",
                                chain_shown(p, 1, shown, sizeof shown));
        if (chain_add(&c, (enum sampler_id)id, chain_shown(p, 1, shown, sizeof shown), 1, err))
            return -1;
    }
    if (c.n == 0)
        return ls_error_set(err, "the chain is empty: give at least one letter");
    if (chain_check(&c, err))
        return -1;
    *out = c;
    return 0;
}

bool sampler_changes_logits(enum sampler_id s)
{
    return s == SAMPLER_PENALTIES || s == SAMPLER_DRY;
}

/* What may come before a sampler that changes logits: temperature only rescales, and the
 * other one changes logits too. */
static bool chain_keeps_all(enum sampler_id s)
{
    return s == SAMPLER_TEMPERATURE || sampler_changes_logits(s);
}

int chain_check(const struct chain *c, struct ls_error *err)
{
    int first_cut = -1;
    for (int i = 0; i < c->n; i++) {
        enum sampler_id s = (enum sampler_id)c->stage[i];
        if (first_cut < 0 && !chain_keeps_all(s))
            first_cut = i;
        if (first_cut < 0 || !sampler_changes_logits(s))
            continue;
        /* the fix: every such sampler moved to just before the first one that cuts */
        struct chain fixed = {0};
        for (int j = 0; j < first_cut; j++)
            fixed.stage[fixed.n++] = c->stage[j];
        for (int j = first_cut; j < c->n; j++)
            if (sampler_changes_logits((enum sampler_id)c->stage[j]))
                fixed.stage[fixed.n++] = c->stage[j];
        for (int j = first_cut; j < c->n; j++)
            if (!sampler_changes_logits((enum sampler_id)c->stage[j]))
                fixed.stage[fixed.n++] = c->stage[j];
        char want[200];
        chain_format(&fixed, ";", want, sizeof want);
        return ls_error_set(err, "%s changes logits, so it must come before every sampler that "
                                 "cuts (%s here; only temperature may precede it): e.g. \"%s\"",
                            sampler_table[s].name, sampler_table[c->stage[first_cut]].name, want);
    }
    return 0;
}

int chain_move(struct chain *c, int i, int delta)
{
    if (i < 0 || i >= c->n)
        return i;
    int j = i + delta;
    j = j < 0 ? 0 : j >= c->n ? c->n - 1 : j;
    unsigned char s = c->stage[i];
    if (j > i)
        memmove(c->stage + i, c->stage + i + 1, (size_t)(j - i));
    else if (j < i)
        memmove(c->stage + j + 1, c->stage + j, (size_t)(i - j));
    c->stage[j] = s;
    return j;
}

void chain_remove(struct chain *c, int i)
{
    if (i < 0 || i >= c->n)
        return;
    memmove(c->stage + i, c->stage + i + 1, (size_t)(c->n - i - 1));
    c->n--;
}

bool chain_insert(struct chain *c, int i, enum sampler_id s)
{
    if ((unsigned)s >= SAMPLER_COUNT || chain_has(c, s))
        return false;
    i = i < 0 ? 0 : i > c->n ? c->n : i;
    memmove(c->stage + i + 1, c->stage + i, (size_t)(c->n - i));
    c->stage[i] = (unsigned char)s;
    c->n++;
    return true;
}

struct params params_default(void)
{
    struct params p;
    memset(&p, 0, sizeof p);
    for (int i = 0; i < PARAM_COUNT; i++)
        if (param_table[i].kind == PARAM_WHOLE)
            p.v[i].whole = (size_t)param_table[i].def;
        else
            p.v[i].real = param_table[i].def;
    p.chain = chain_preset(PRESET_HF);
    p.breakers = dry_breakers_default();
    return p;
}

/* ---- DRY's sequence breakers ---- */

struct dry_breakers dry_breakers_default(void)
{
    static const char *const def[] = {"\n", ":", "\"", "*"};
    struct dry_breakers b;
    memset(&b, 0, sizeof b);
    for (size_t i = 0; i < sizeof def / sizeof *def; i++)
        dry_breakers_add(&b, def[i], strlen(def[i]), NULL);
    return b;
}

int dry_breakers_add(struct dry_breakers *b, const char *s, size_t len, struct ls_error *err)
{
    if (len == 0)
        return 0;
    if (memchr(s, '\0', len))
        return ls_error_set(err, "a DRY sequence breaker cannot hold a NUL byte");
    len = len < DRY_BREAKER_MAX ? len : DRY_BREAKER_MAX;
    if (b->used + len + 1 > DRY_BREAKERS_BYTES || b->n == UCHAR_MAX)
        return ls_error_set(err, "too many DRY sequence breakers (at most %d bytes in all)",
                            DRY_BREAKERS_BYTES);
    memcpy(b->text + b->used, s, len);
    b->text[b->used + len] = '\0';
    b->used = (unsigned short)(b->used + len + 1);
    b->n++;
    return 0;
}

const char *dry_breaker(const struct dry_breakers *b, int i, size_t *len)
{
    const char *s = b->text;
    for (int k = 0; k < i; k++)
        s += strlen(s) + 1;
    *len = strlen(s);
    return s;
}

void dry_breakers_format(const struct dry_breakers *b, char *buf, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (cap == 0)
        return;
    if (b->n == 0)
        snprintf(buf, cap, "none");
    else
        buf[0] = '\0';
    for (int i = 0; i < b->n; i++) {
        size_t len;
        const char *s = dry_breaker(b, i, &len);
        char item[4 * DRY_BREAKER_MAX + 2];
        size_t k = 0;
        if (i)
            item[k++] = ';';
        for (size_t j = 0; j < len; j++) {
            unsigned char c = (unsigned char)s[j];
            const char *named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
                                : c == '\\' ? "\\\\" : NULL;
            /* "none" alone means the empty list: a breaker spelled so is written \x6eone */
            bool literal_none = len == 4 && j == 0 && memcmp(s, "none", 4) == 0;
            if (named) {
                memcpy(item + k, named, 2);
                k += 2;
            } else if (c < 0x20 || c == 0x7f || c == ';' || literal_none) {
                item[k++] = '\\';
                item[k++] = 'x';
                item[k++] = hex[c >> 4];
                item[k++] = hex[c & 15];
            } else {
                item[k++] = (char)c;
            }
        }
        if (o + k + 1 > cap)
            break; /* cut between breakers, never inside an escape */
        memcpy(buf + o, item, k);
        o += k;
        buf[o] = '\0';
    }
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

size_t dry_breaker_unescape(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\\' || i + 1 >= len) {
            out[o++] = s[i];
            continue;
        }
        char c = s[++i];
        switch (c) {
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case '\'':
        case '"':
        case '\\': out[o++] = c; break;
        default:
            if (c == 'x' && i + 2 < len && hex_digit(s[i + 1]) >= 0 &&
                hex_digit(s[i + 2]) >= 0) {
                out[o++] = (char)(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
                i += 2;
            } else { /* not an escape: kept as written */
                out[o++] = '\\';
                out[o++] = c;
            }
            break;
        }
    }
    return o;
}

int dry_breakers_parse(const char *s, size_t len, struct dry_breakers *out,
                       struct ls_error *err)
{
    struct dry_breakers b;
    memset(&b, 0, sizeof b);
    if (!(len == 4 && memcmp(s, "none", 4) == 0)) {
        for (size_t start = 0; start <= len;) {
            const char *semi = memchr(s + start, ';', len - start);
            size_t end = semi ? (size_t)(semi - s) : len;
            char item[DRY_BREAKERS_BYTES];
            size_t n = end - start < sizeof item ? end - start : sizeof item;
            if (dry_breakers_add(&b, item, dry_breaker_unescape(s + start, n, item), err))
                return -1;
            start = end + 1;
        }
    }
    *out = b;
    return 0;
}

double params_get(const struct params *p, enum param_id id)
{
    return param_table[id].kind == PARAM_WHOLE ? (double)p->v[id].whole : p->v[id].real;
}

void params_set(struct params *p, enum param_id id, double x)
{
    if (param_table[id].kind != PARAM_WHOLE) {
        p->v[id].real = x;
        return;
    }
    /* SIZE_MAX as a double rounds up to 2^64, which does not convert */
    p->v[id].whole = !(x > 0) ? 0 : x >= 18446744073709551615.0 ? SIZE_MAX : (size_t)llround(x);
}

bool params_is_off(const struct params *p, enum param_id id)
{
    const struct param_spec *s = &param_table[id];
    if (id == PARAM_TEMPERATURE)
        return p->v[id].real == 1.0 && p->v[PARAM_DYNATEMP_RANGE].real == 0.0;
    if (isnan(s->off))
        return false;
    return params_get(p, id) == s->off;
}

bool sampler_is_off(const struct params *p, enum sampler_id s)
{
    switch (s) {
    case SAMPLER_TEMPERATURE: return params_is_off(p, PARAM_TEMPERATURE);
    case SAMPLER_XTC:
        return !(p->v[PARAM_XTC_PROBABILITY].real > 0) ||
               p->v[PARAM_XTC_THRESHOLD].real > 0.5;
    case SAMPLER_PENALTIES:
        return params_is_off(p, PARAM_REPEAT_LAST_N) ||
               (params_is_off(p, PARAM_REPEAT_PENALTY) &&
                params_is_off(p, PARAM_FREQUENCY_PENALTY) &&
                params_is_off(p, PARAM_PRESENCE_PENALTY));
    case SAMPLER_DRY:
        return params_is_off(p, PARAM_DRY_MULTIPLIER) ||
               params_is_off(p, PARAM_DRY_PENALTY_LAST_N);
    default: return params_is_off(p, sampler_table[s].params[0]);
    }
}

static bool params_value_equal(const struct params *a, const struct params *b,
                               enum param_id id)
{
    if (param_table[id].kind == PARAM_WHOLE)
        return a->v[id].whole == b->v[id].whole;
    return a->v[id].real == b->v[id].real;
}

static bool breakers_equal(const struct dry_breakers *a, const struct dry_breakers *b)
{
    return a->n == b->n && a->used == b->used && memcmp(a->text, b->text, a->used) == 0;
}

bool params_equal(const struct params *a, const struct params *b)
{
    for (int i = 0; i < PARAM_COUNT; i++)
        if (!params_value_equal(a, b, (enum param_id)i))
            return false;
    return chain_equal(&a->chain, &b->chain) && breakers_equal(&a->breakers, &b->breakers);
}

bool params_equal_but_t(const struct params *a, const struct params *b)
{
    for (int i = 0; i < PARAM_COUNT; i++)
        if (i != PARAM_TEMPERATURE && !params_value_equal(a, b, (enum param_id)i))
            return false;
    return chain_equal(&a->chain, &b->chain) && breakers_equal(&a->breakers, &b->breakers);
}

int params_unused(const struct params *p)
{
    for (int i = 0; i < PARAM_COUNT; i++) {
        const struct param_spec *s = &param_table[i];
        if (s->sampler == SAMPLER_NONE || chain_has(&p->chain, s->sampler))
            continue;
        if (params_get(p, (enum param_id)i) != s->def)
            return i;
    }
    struct dry_breakers def = dry_breakers_default();
    if (!chain_has(&p->chain, SAMPLER_DRY) && !breakers_equal(&p->breakers, &def))
        return PARAM_DRY_BREAKERS;
    return -1;
}

void params_unused_message(const struct params *p, enum param_id id, bool as_flag,
                           const char *how, char *buf, size_t cap)
{
    char have[200], want[220];
    bool breakers = id == PARAM_DRY_BREAKERS;
    enum sampler_id s = breakers ? SAMPLER_DRY : param_table[id].sampler;
    const char *what = breakers ? (as_flag ? "--dry-sequence-breaker" : "dry_sequence_breakers")
                                : as_flag ? param_table[id].flag : param_table[id].name;
    struct chain with = p->chain;
    /* at the end, or in front for one that changes logits (llama.cpp's place for them) */
    chain_insert(&with, sampler_changes_logits(s) ? 0 : with.n, s);
    chain_format(&p->chain, ";", have, sizeof have);
    chain_format(&with, ";", want, sizeof want);
    snprintf(buf, cap, "%s is set but %s is not in the chain (%s): add it, e.g. %s \"%s\"",
             what, sampler_table[s].name, have, how, want);
}

bool param_in_domain(enum param_id id, double x)
{
    const struct param_spec *s = &param_table[id];
    if (!isfinite(x))
        return false;
    if (s->kind != PARAM_REAL && x != floor(x))
        return false;
    return (s->lo_open ? x > s->lo : x >= s->lo) && x <= s->hi;
}

/* "NAME must be ALLOWED, got TEXT" with the text as typed (escaped: it may hold anything). */
static int param_err_got(const char *name, const char *allowed, const char *s, size_t len,
                         const char *why, struct ls_error *err)
{
    char shown[96];
    text_escape(s, len, 0, shown, sizeof shown);
    if (why)
        return ls_error_set(err, "%s must be %s, got \"%s\" (%s)", name, allowed, shown, why);
    return ls_error_set(err, "%s must be %s, got %s", name, allowed, shown);
}

int param_read_size(const char *name, const char *allowed, const char *s, size_t len,
                    size_t *out, struct ls_error *err)
{
    enum parse_status st = parse_size(s, len, out);
    double x;
    if (st == PARSE_OK)
        return 0;
    /* A number, just not a whole one in range (-1, 1.5, 1e99): no need to say "not a number". */
    enum parse_status real = parse_double(s, len, &x);
    if (real == PARSE_OK || real == PARSE_POS_INF || real == PARSE_NEG_INF)
        return param_err_got(name, allowed, s, len, NULL, err);
    return param_err_got(name, allowed, s, len, parse_status_str(st), err);
}

int param_read(enum param_id id, const char *name, const char *s, size_t len, double *out,
               struct ls_error *err)
{
    const struct param_spec *ps = &param_table[(unsigned)id < PARAM_COUNT ? id : 0];
    if (ps->kind == PARAM_WHOLE) {
        size_t n;
        if (param_read_size(name, ps->allowed, s, len, &n, err) != 0)
            return -1;
        *out = (double)n;
        return 0;
    }
    enum parse_status st = parse_double(s, len, out);
    /* NaN and infinities are numbers, out of range */
    if (st != PARSE_OK && st != PARSE_NAN && st != PARSE_POS_INF && st != PARSE_NEG_INF)
        return param_err_got(name, ps->allowed, s, len, parse_status_str(st), err);
    if (st != PARSE_OK || !param_in_domain(id, *out))
        return param_err_got(name, ps->allowed, s, len, NULL, err);
    return 0;
}

int params_check(const struct params *p, struct ls_error *err)
{
    for (int i = 0; i < PARAM_COUNT; i++) {
        const struct param_spec *s = &param_table[i];
        if (s->kind == PARAM_WHOLE)
            continue; /* every size_t is a count */
        double x = p->v[i].real;
        if (!param_in_domain((enum param_id)i, x)) {
            char shown[40];
            param_format_double(x, shown, sizeof shown);
            return ls_error_set(err, "%s must be %s, got %s", s->flag + 2, s->allowed, shown);
        }
    }
    const struct chain *c = &p->chain;
    if (c->n == 0 || c->n > SAMPLER_COUNT)
        return ls_error_set(err, "the chain must hold 1 to %d samplers", SAMPLER_COUNT);
    bool seen[SAMPLER_COUNT] = {false};
    for (int i = 0; i < c->n; i++) {
        if (c->stage[i] >= SAMPLER_COUNT)
            return ls_error_set(err, "the chain holds an unknown sampler");
        if (seen[c->stage[i]])
            return ls_error_set(err, "sampler %s appears twice in the chain",
                                sampler_table[c->stage[i]].name);
        seen[c->stage[i]] = true;
    }
    return chain_check(c, err);
}

void param_format_double(double x, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return;
    /* A double that some shorter decimal reads back as is within far less than half a unit
     * of the 15th digit of it, so %.15g (which drops trailing zeros) already finds that
     * decimal; only 16 and 17 digits need trying after it. */
    bool subnormal = x != 0 && fabs(x) < DBL_MIN; /* fewer digits are significant there */
    for (int prec = subnormal ? 1 : 15; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, x);
        double back;
        if (parse_double(buf, strlen(buf), &back) == PARSE_OK && back == x)
            return;
    }
}

void param_format(const struct params *p, enum param_id id, char *buf, size_t cap)
{
    if (param_table[id].kind == PARAM_WHOLE)
        snprintf(buf, cap, "%zu", p->v[id].whole);
    else
        param_format_double(p->v[id].real, buf, cap);
}
