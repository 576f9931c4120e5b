/* sampler.h: the sampler table, the one place that says which samplers exist, what their
 * parameters are called, what they accept and what they mean. Options, settings columns,
 * sliders, help, the chain line, CSV columns and `cut:` names are all generated from it.
 * A chain is an ordered list of samplers; struct params holds every parameter and the chain. */
#ifndef LOGITSCOPE_SAMPLER_H
#define LOGITSCOPE_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>

#include "logitscope/error.h"

/* Every single-step sampler, in the order of the table (not of any chain). */
enum sampler_id {
    SAMPLER_TEMPERATURE = 0,
    SAMPLER_TOP_K,
    SAMPLER_TOP_P,
    SAMPLER_MIN_P,
    SAMPLER_TYP_P,
    SAMPLER_TOP_N_SIGMA,
    SAMPLER_XTC,
    SAMPLER_EPSILON,
    SAMPLER_ETA,
    SAMPLER_TOP_A,
    SAMPLER_PENALTIES, /* the samplers that need history: what was written before */
    SAMPLER_DRY,
    SAMPLER_MIROSTAT,
    SAMPLER_COUNT
};

/* Every parameter, in the order of the CSV columns: today's four first, then the rest in
 * the order they were appended (those from PARAM_AFTER_SAMPLERS on come after the CSV's
 * samplers column, which was appended before them). */
enum param_id {
    PARAM_TEMPERATURE = 0,
    PARAM_TOP_K,
    PARAM_TOP_P,
    PARAM_MIN_P,
    PARAM_TYPICAL_P,
    PARAM_TOP_N_SIGMA,
    PARAM_XTC_THRESHOLD,
    PARAM_XTC_PROBABILITY,
    PARAM_DYNATEMP_RANGE,
    PARAM_DYNATEMP_EXP,
    PARAM_EPSILON,
    PARAM_ETA,
    PARAM_TOP_A,
    PARAM_MIN_KEEP,
    PARAM_REPEAT_PENALTY,
    PARAM_FREQUENCY_PENALTY,
    PARAM_PRESENCE_PENALTY,
    PARAM_REPEAT_LAST_N,
    PARAM_DRY_MULTIPLIER,
    PARAM_DRY_BASE,
    PARAM_DRY_ALLOWED_LENGTH,
    PARAM_DRY_PENALTY_LAST_N,
    PARAM_MIROSTAT,
    PARAM_MIROSTAT_ENT,
    PARAM_MIROSTAT_LR,
    PARAM_COUNT
};

#define PARAM_AFTER_SAMPLERS PARAM_REPEAT_PENALTY /* the first column after `samplers` */
/* params_unused()'s answer for DRY's sequence breakers, which are not a numeric parameter. */
#define PARAM_DRY_BREAKERS PARAM_COUNT

#define SAMPLER_PARAMS_MAX 4 /* penalties: repeat, frequency, presence, last n */
#define SAMPLER_NONE SAMPLER_COUNT /* the owner of a parameter that belongs to no sampler */
#define SAMPLER_SLACK 1e-12 /* every probability threshold is the parameter minus this */

struct sampler_spec {
    const char *name;       /* in --samplers and CSV: "top_p" */
    const char *label;      /* on screen and in "cut: top-p" */
    const char *short_name; /* where room is short: "T", "k", "p", "typ" */
    const char *llama_name; /* llama.cpp's name for it, or NULL when it has none */
    char letter;            /* llama.cpp's --sampling-seq letter, or 0 */
    const char *meaning;    /* one line, plain words */
    int n_params;
    enum param_id params[SAMPLER_PARAMS_MAX];
};

enum param_kind {
    PARAM_REAL,  /* a double */
    PARAM_WHOLE, /* a count (size_t): top_k, min_keep */
    PARAM_INT,   /* a whole number that may be negative (-1 = all), kept in .real */
};

struct param_spec {
    const char *name;       /* CSV column and settings column: "top_p" */
    const char *flag;       /* long option: "--top-p" */
    char short_opt;         /* 'p', or 0 */
    const char *alias;      /* another long option ("--temp"), or NULL */
    const char *metavar;    /* in --help: "P" */
    const char *label;      /* slider label: "top-p" */
    const char *short_label; /* narrow terminals: "T" */
    enum sampler_id sampler; /* SAMPLER_NONE for min_keep */
    enum param_kind kind;
    double lo, hi;          /* what the engine accepts (hi may be HUGE_VAL) */
    bool lo_open;           /* lo itself excluded: top-p's (0, 1] */
    const char *allowed;    /* the range in words: "in (0, 1]" */
    double def;             /* default */
    double off;             /* the value at which the sampler does nothing; NaN when none */
    double slider_lo, slider_hi; /* the explorer's track; slider_hi 0 = the vocabulary size */
    unsigned den;           /* slider grid: a step is 1/den */
    int decimals;           /* on screen */
    const char *meaning;    /* one line, plain words */
};

const struct sampler_spec *sampler_spec(enum sampler_id id);
const struct param_spec *param_spec(enum param_id id);
/* By --samplers name ("top_p"; also "typical", "top_n_sigma", "min_p", ...); -1 if none. */
int sampler_find(const char *name, size_t len);
/* By CSV/settings column name ("xtc_threshold"); -1 if none. */
int param_find(const char *name, size_t len);

/* An ordered list of samplers, each at most once. */
struct chain {
    unsigned char n;
    unsigned char stage[SAMPLER_COUNT];
};

enum chain_preset {
    PRESET_HF = 0, /* Hugging Face: temperature;top_k;top_p;min_p;typ_p;epsilon;eta */
    PRESET_LLAMA,  /* llama.cpp's default, without the samplers that need history */
    PRESET_VLLM,   /* temperature;min_p;top_k;top_p */
    PRESET_COUNT,
    PRESET_CUSTOM = PRESET_COUNT
};

struct chain chain_preset(enum chain_preset p);
const char *chain_preset_name(enum chain_preset p); /* "hf", "llama", "vllm", "custom" */
int chain_preset_find(const char *name); /* -1 if none */
/* Which preset a chain is, or PRESET_CUSTOM. */
enum chain_preset chain_which_preset(const struct chain *c);
bool chain_has(const struct chain *c, enum sampler_id s);
int chain_index(const struct chain *c, enum sampler_id s); /* -1 when absent */
bool chain_equal(const struct chain *a, const struct chain *b);
/* "temperature;top_k;top_p" with sep between names; returns the length (snprintf-like). */
size_t chain_format(const struct chain *c, const char *sep, char *buf, size_t cap);
/* Names separated by ';' or ',' (llama.cpp's --samplers syntax). */
int chain_parse_names(const char *s, struct chain *out, struct ls_error *err);
/* llama.cpp's letters: e d k p m y s x t (and the ones only logitscope has are refused). */
int chain_parse_letters(const char *s, struct chain *out, struct ls_error *err);
/* Penalties and DRY change logits, so the rank order the engine sorted once no longer holds
 * after them: they run on the whole vocabulary, before any stage that cuts. */
bool sampler_changes_logits(enum sampler_id s);
/* The chain is one the engine runs: each sampler once, and the samplers that change logits
 * preceded only by temperature and each other. On error err says how to fix it
 * ("penalties changes logits, so it must come before every sampler that cuts: e.g.
 * \"penalties;top_k;temperature\""). Both parsers above check it. */
int chain_check(const struct chain *c, struct ls_error *err);
/* Moves stage i by delta places (clamped); returns the new index. */
int chain_move(struct chain *c, int i, int delta);
void chain_remove(struct chain *c, int i);
/* Inserts s at index i (appends when i >= n); false when s is already there. */
bool chain_insert(struct chain *c, int i, enum sampler_id s);

union param_value {
    double real;
    size_t whole;
};

/* DRY's sequence breakers: strings that end a repeated sequence where a token's text holds
 * one (llama.cpp's default: "\n", ":", "\"", "*"). Kept inline, so that params stay a
 * plain value: at most DRY_BREAKERS_BYTES bytes in all, each cut to DRY_BREAKER_MAX bytes
 * as llama.cpp cuts them; no NUL inside one (llama.cpp passes C strings). */
#define DRY_BREAKERS_BYTES 256
#define DRY_BREAKER_MAX 40
struct dry_breakers {
    unsigned char n;
    unsigned short used;             /* bytes of text[] in use */
    char text[DRY_BREAKERS_BYTES];   /* n NUL-terminated strings; zeros after `used` */
};

struct dry_breakers dry_breakers_default(void);
/* Appends s[0..len), cut to DRY_BREAKER_MAX bytes; an empty string is skipped (as
 * llama.cpp skips it). -1 with err when it holds a NUL or there is no room. */
int dry_breakers_add(struct dry_breakers *b, const char *s, size_t len, struct ls_error *err);
/* Breaker i (i < b->n) and its length. */
const char *dry_breaker(const struct dry_breakers *b, int i, size_t *len);
/* The list as a settings file and the CSV write it: each breaker with the escapes \n \r \t
 * \\ \xHH (and \x3b for ';'), separated by ';'; "none" for an empty list. */
void dry_breakers_format(const struct dry_breakers *b, char *buf, size_t cap);
/* The inverse of dry_breakers_format. */
int dry_breakers_parse(const char *s, size_t len, struct dry_breakers *out,
                       struct ls_error *err);
/* One breaker as llama.cpp's --dry-sequence-breaker reads it: \n \r \t \' \" \\ and
 * \xHH are undone, any other backslash is kept as it is. out has room for len bytes. */
size_t dry_breaker_unescape(const char *s, size_t len, char *out);

struct params {
    union param_value v[PARAM_COUNT];
    struct chain chain;
    struct dry_breakers breakers;
};

/* Every parameter at its default (T = 1, everything off, min_keep 0) and the hf chain. */
struct params params_default(void);
double params_get(const struct params *p, enum param_id id); /* wholes as doubles */
void params_set(struct params *p, enum param_id id, double x); /* wholes: x >= 0, rounded */
static inline double params_real(const struct params *p, enum param_id id)
{
    return p->v[id].real;
}
static inline size_t params_whole(const struct params *p, enum param_id id)
{
    return p->v[id].whole;
}
/* The value is the sampler's "does nothing" value (temperature: T = 1 and no dynatemp). */
bool params_is_off(const struct params *p, enum param_id id);
bool sampler_is_off(const struct params *p, enum sampler_id s);
bool params_equal(const struct params *a, const struct params *b);
/* Parameters equal but for temperature (and dynatemp): what the entropy curve depends on. */
bool params_equal_but_t(const struct params *a, const struct params *b);

/* Checks every value and the chain; on error fills err ("top-p must be in (0, 1], got
 * 1.5"). */
int params_check(const struct params *p, struct ls_error *err);
/* The first parameter that differs from its default although its sampler is not in the
 * chain (it would do nothing: surely a mistake), or -1. min_keep belongs to no sampler.
 * PARAM_DRY_BREAKERS: the breakers differ from llama.cpp's default but dry is not in it. */
int params_unused(const struct params *p);
/* "top_p is set but top_p is not in the chain (temperature;top_k): add it, e.g. --samplers
 * \"temperature;top_k;top_p\"" for params_unused's answer: the parameter by its flag or its
 * column name; `how` says where to add it. */
void params_unused_message(const struct params *p, enum param_id id, bool as_flag,
                           const char *how, char *buf, size_t cap);
/* One value against param id's domain. */
bool param_in_domain(enum param_id id, double x);
/* A value of parameter id written as text (an option's value, a number typed into the
 * explorer), read and checked by one set of rules: on error err says "NAME must be ALLOWED,
 * got TEXT", and why when it is not a number at all. Counts (top_k) come back as doubles. */
int param_read(enum param_id id, const char *name, const char *s, size_t len, double *out,
               struct ls_error *err);
/* A count written as text, by the same rules (ALLOWED in words: "a whole number from 0 to
 * 2^64-1"). */
int param_read_size(const char *name, const char *allowed, const char *s, size_t len,
                    size_t *out, struct ls_error *err);

/* The shortest decimal that reads back as x ("0.05", not "0.050000000000000003"): for names
 * such as "T=0.7" and for CSV. Needs LC_NUMERIC "C". */
void param_format_double(double x, char *buf, size_t cap);
/* A value as the CSV writes it (wholes as integers, reals shortest). */
void param_format(const struct params *p, enum param_id id, char *buf, size_t cap);

#endif
