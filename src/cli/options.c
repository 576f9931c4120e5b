/* options.c: the command line of sweep and the explorer from one table. The sampler options
 * come from the engine's parameter table (flag, short letter, alias, range, meaning), the
 * others from opt_table below; one getopt_long loop reads them all and --help is written
 * from the same rows. Values are single numbers, comma lists or inclusive ranges, checked
 * against what the engine allows, with messages that say which option and what it takes.
 * Numbers are read by parse.h, the same rules as the data files. */
#include "options.h"

#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "logitscope/parse.h"
#include "logitscope/text.h"

enum opt_key {
    KEY_PARAM = 1000, /* + a param_id: the sampler options */
    KEY_SAMPLERS = 2000,
    KEY_SAMPLING_SEQ,
    KEY_ORDER,
    KEY_DRY_BREAKER,
    KEY_HISTORY,
    KEY_SAMPLES,
    KEY_SEED,
    KEY_VOCAB,
    KEY_TOKENS,
    KEY_CHOICE,
    KEY_POSITION,
    KEY_SETTINGS,
    KEY_LM,
    KEY_PROMPT,
    KEY_WORDS,
    KEY_TOP,
    KEY_FORMAT,
    KEY_ASCII,
    KEY_NO_COLOR,
    KEY_THEME,
    KEY_NO_MOUSE,
    KEY_SNAPSHOT,
    KEY_SIZE,
    KEY_PLAY,
    KEY_CAST,
    KEY_HELP,
    KEY_VERSION,
};

#define CMD_BROWSE (CMD_EXPLORE | CMD_SWEEP) /* the commands that show a distribution */

/* Every option but the sampler parameters, in the order --help lists them. */
static const struct opt_spec {
    int key;
    const char *name;
    char short_opt;
    const char *metavar; /* NULL: takes no value */
    unsigned cmds;
    const char *help;
} opt_table[] = {
    {KEY_ORDER, "order", 0, "PRESET", OPT_CMDS,
     "a preset chain: hf (temperature first), llama (temperature last) or vllm [hf]"},
    {KEY_SAMPLERS, "samplers", 0, "LIST", OPT_CMDS,
     "the chain in your order: names separated by ; or , from temperature, top_k, top_p, "
     "min_p, typ_p, top_n_sigma, xtc, epsilon, eta, top_a, penalties, dry, mirostat "
     "(penalties and dry before the samplers that cut)"},
    {KEY_SAMPLING_SEQ, "sampling-seq", 0, "LETTERS", OPT_CMDS,
     "the chain in llama.cpp's letters: e penalties, d dry, k top_k, p top_p, m min_p, "
     "y typ_p, s top_n_sigma, x xtc, t temperature"},
    {KEY_DRY_BREAKER, "dry-sequence-breaker", 0, "STRING", OPT_CMDS,
     "a string that ends a repeat for dry, with llama.cpp's escapes (\\n \\t \\\" \\xHH); "
     "the first use clears the defaults (\\n : \" *), each adds one, none clears them all"},
    {KEY_SETTINGS, "settings", 0, "FILE", CMD_SWEEP,
     "named settings from a file instead of the sampler options: "
     "name<TAB>T<TAB>top_k<TAB>top_p[<TAB>min_p...], or a header line naming the columns"},
    {KEY_LM, "lm", 0, "FILE", OPT_CMDS,
     "a language model: ARPA (plain or gzipped) or Sphinx binary trie. The explorer writes "
     "with it from --prompt, sweep shows the next word after --prompt [$LOGITSCOPE_LM, else "
     "Debian's pocketsphinx-en-us model]"},
    {KEY_PROMPT, "prompt", 0, "TEXT", OPT_CMDS,
     "the text before the next word, split at white space; a word the model does not know is "
     "marked and read as <unk> [none: the start of a sentence]"},
    {KEY_WORDS, "words", 'n', "N", CMD_GENERATE, "words to write [20]"},
    {KEY_SAMPLES, "samples", 'n', "N", CMD_BROWSE, "draws per setting, 0 = none [10000]"},
    {KEY_SEED, "seed", 0, "S", OPT_CMDS, "seed of the draws, 0 to 2^64-1 [20240607]"},
    {KEY_VOCAB, "vocab", 0, "FILE", CMD_BROWSE,
     "token names for a .npy file (1-D or 2-D), one per line"},
    {KEY_TOKENS, "tokens", 0, "FILE", CMD_BROWSE,
     "the chosen token ids of a 2-D .npy of logits: a 1-D integer .npy, or one id per line"},
    {KEY_CHOICE, "choice", 0, "N", CMD_BROWSE,
     "which choice of a response that has several, from 0 [0]"},
    {KEY_POSITION, "position", 0, "POS", CMD_SWEEP,
     "positions of a sequence, from 1: N, START:STOP, a comma list of them, or all [all]"},
    {KEY_POSITION, "position", 0, "N", CMD_EXPLORE,
     "the position of a sequence to open at, from 1 [1]"},
    {KEY_HISTORY, "history", 0, "TOKENS", CMD_SWEEP,
     "the tokens written before, oldest first, separated by spaces (TSV escapes; \\x20 is a "
     "space inside a token): what penalties and dry look back at"},
    {KEY_TOP, "top", 0, "N", CMD_SWEEP, "token rows per setting, 0 = all [text: 20, csv: all]"},
    {KEY_FORMAT, "format", 0, "FORMAT", CMD_SWEEP | CMD_GENERATE,
     "output format: text, csv or summary (sweep); text or json (generate: an OpenAI chat "
     "completion with logprobs, the top 20 words at each position) [text]"},
    {KEY_ASCII, "ascii", 0, NULL, CMD_EXPLORE | CMD_GENERATE,
     "ASCII only (generate: unknown words marked [so], not with angle brackets)"},
    {KEY_NO_COLOR, "no-color", 0, NULL, CMD_EXPLORE,
     "no colour (also when NO_COLOR is set and not empty)"},
    {KEY_THEME, "theme", 0, "THEME", CMD_EXPLORE,
     "the colours: dark (for a dark background), light (for a light one) or contrast (bold "
     "and bright, for a washed-out projector) [dark]"},
    {KEY_NO_MOUSE, "no-mouse", 0, NULL, CMD_EXPLORE,
     "leave the mouse to the terminal (default: click and drag the sliders, the wheel "
     "scrolls the tokens)"},
    {KEY_SNAPSHOT, "snapshot", 0, NULL, CMD_EXPLORE,
     "print the frame as plain text and exit: no terminal needed"},
    {KEY_SIZE, "size", 0, "COLSxROWS", CMD_EXPLORE,
     "the size of a snapshot or an offscreen run [80x24]"},
    {KEY_PLAY, "play", 0, "SCRIPT", CMD_EXPLORE,
     "press the keys of a key script (data/demos/*.play), with its pauses and captions; a key "
     "you press takes over, q quits. On a terminal the explorer then stays live; without one "
     "(or with --size) the script runs offscreen and logitscope exits 0"},
    {KEY_CAST, "cast", 0, "FILE", CMD_EXPLORE,
     "record an asciicast v2 file of every byte sent to the terminal, ending on the last "
     "frame; a key script's captions are markers. With --play offscreen: the script's own "
     "timing, byte-identical on every run (timestamp SOURCE_DATE_EPOCH, else 0); live: the "
     "wall clock"},
    {KEY_HELP, "help", 'h', NULL, OPT_CMDS, "show this help"},
    {KEY_VERSION, "version", 0, NULL, OPT_CMDS, "show the version"},
};

#define OPT_TABLE_N (sizeof opt_table / sizeof opt_table[0])

static const struct opt_intro opt_intros[] = {
    {CMD_EXPLORE,
     "Usage: logitscope [OPTIONS] [FILE]\n"
     "       logitscope --snapshot [--size COLSxROWS] [OPTIONS] [FILE]\n"
     "       logitscope --play SCRIPT [--cast FILE] [--size COLSxROWS] [OPTIONS] [FILE]\n",
     "The interactive explorer: a slider for every sampler of the chain over the tokens of\n"
     "FILE (TSV or .npy; default: the bundled data/decisions.tsv). FILE may also be a model's\n"
     "output with log-probabilities (OpenAI, llama.cpp or Ollama JSON, whole or streamed, or\n"
     "a 2-D .npy of logits): then n and p step through its positions. - reads standard\n"
     "input. Press ? inside for every key. For many settings at once, as text or CSV:\n"
     "`logitscope sweep --help`.\n",
     "Starting values (one each; the sliders take them from there):\n",
     "logitscope --help",
     "Exit status: 0 success, 1 runtime failure, 2 bad usage, value or file, or no "
     "terminal.\n"},
    {CMD_SWEEP,
     "Usage: logitscope sweep [FILE] [OPTIONS]\n",
     "Runs every setting through the sampler chain and prints the distribution. FILE is a\n"
     "TSV (token<TAB>logit per line) or a 1-D .npy array; default: the bundled\n"
     "data/decisions.tsv. With no sampler options it runs the lab's six temperatures\n"
     "(data/sweeps/temperature.tsv). FILE may also be a model's output with log-probabilities\n"
     "(OpenAI, llama.cpp or Ollama JSON, whole or streamed, or a 2-D .npy of logits): every\n"
     "setting then runs at each position (--position), and with no sampler options it prints\n"
     "the summary of every position at T = 1. - reads standard input.\n",
     "Samplers: each takes a VALUE, a comma list (0.2,0.5,1) or an inclusive range\n"
     "START:STOP:STEP (0.1:2.0:0.01 is 191 values); repeating an option adds values.\n"
     "Several options give their cross product, in the order listed (temperature outermost).\n"
     "A parameter of a sampler that is not in the chain is an error.\n",
     "logitscope sweep --help",
     "Exit status: 0 success, 1 write error or out of memory, 2 bad usage, value or file.\n"},
    {CMD_GENERATE,
     "Usage: logitscope generate [--lm FILE] [--prompt TEXT] [-n WORDS] [OPTIONS]\n",
     "Writes WORDS words after the prompt with a language model, each drawn through the\n"
     "sampler chain with --seed: the same seed and settings write the same words on every\n"
     "run and machine. </s> ends a sentence, and the next one starts afresh. The text\n"
     "output is the prompt and what was written; json is an OpenAI chat completion whose\n"
     "logprobs are the model's own (before the chain), with the top 20 words at each\n"
     "position, which `logitscope sweep` and the explorer open as a sequence.\n",
     "Samplers (one value each):\n",
     "logitscope generate --help",
     "Exit status: 0 success, 1 write error or out of memory, 2 bad usage, value or model "
     "file.\n"},
};

const struct opt_intro *opt_intro(enum opt_cmd cmd)
{
    for (size_t i = 0; i < sizeof opt_intros / sizeof opt_intros[0]; i++)
        if (opt_intros[i].cmd == cmd)
            return &opt_intros[i];
    return &opt_intros[0];
}

static const struct {
    enum opt_cmd cmd;
    const char *name;
} opt_cmd_names[] = {{CMD_EXPLORE, "explore"}, {CMD_SWEEP, "sweep"}, {CMD_GENERATE, "generate"}};

const char *opt_cmd_name(enum opt_cmd cmd)
{
    for (size_t i = 0; i < sizeof opt_cmd_names / sizeof opt_cmd_names[0]; i++)
        if (opt_cmd_names[i].cmd == cmd)
            return opt_cmd_names[i].name;
    return "explore";
}

bool opt_cmd_at(size_t i, enum opt_cmd *out)
{
    if (i >= sizeof opt_cmd_names / sizeof opt_cmd_names[0])
        return false;
    *out = opt_cmd_names[i].cmd;
    return true;
}

const char *opt_cmds_note(unsigned cmds)
{
    switch (cmds & OPT_CMDS) {
    case CMD_EXPLORE: return "(explorer only)";
    case CMD_SWEEP: return "(sweep only)";
    case CMD_GENERATE: return "(generate only)";
    case CMD_EXPLORE | CMD_SWEEP: return "(explorer and sweep)";
    case CMD_EXPLORE | CMD_GENERATE: return "(explorer and generate)";
    case CMD_SWEEP | CMD_GENERATE: return "(sweep and generate)";
    default: return NULL;
    }
}

/* The heading --help writes above an option of the table, or NULL. */
static const char *opt_heading(int key)
{
    switch (key) {
    case KEY_ORDER:
        return "The chain (default: hf = temperature;top_k;top_p;min_p;typ_p;epsilon;eta)";
    case KEY_LM: return "Language model";
    case KEY_SAMPLES: return "Draws, data and output";
    default: return NULL;
    }
}

static enum opt_value opt_value_of(const struct opt_spec *o)
{
    if (!o->metavar)
        return OPT_VALUE_NONE;
    switch (o->key) {
    case KEY_ORDER: return OPT_VALUE_PRESET;
    case KEY_SAMPLERS: return OPT_VALUE_SAMPLERS;
    case KEY_FORMAT: return OPT_VALUE_FORMAT;
    case KEY_THEME: return OPT_VALUE_THEME;
    case KEY_SETTINGS:
    case KEY_LM:
    case KEY_VOCAB:
    case KEY_PLAY:
    case KEY_CAST: return OPT_VALUE_FILE;
    case KEY_SAMPLES:
    case KEY_SEED:
    case KEY_WORDS:
    case KEY_TOP: return OPT_VALUE_NUMBER;
    default: return OPT_VALUE_TEXT;
    }
}

bool opt_doc(size_t i, struct opt_doc *out)
{
    if (i < PARAM_COUNT) {
        const struct param_spec *ps = param_spec((enum param_id)i);
        *out = (struct opt_doc){ps->flag + 2, ps->alias ? ps->alias + 2 : NULL, ps->short_opt,
                                ps->metavar, OPT_CMDS, OPT_VALUE_NUMBER, (int)i, NULL, NULL};
        return true;
    }
    i -= PARAM_COUNT;
    if (i >= OPT_TABLE_N)
        return false;
    const struct opt_spec *o = &opt_table[i];
    *out = (struct opt_doc){o->name, NULL, o->short_opt, o->metavar, o->cmds, opt_value_of(o),
                            -1, o->help, opt_heading(o->key)};
    return true;
}

static const char *const opt_format_names[] = {"text", "csv", "summary", "json"};

const char *opt_format_name(size_t i)
{
    return i < sizeof opt_format_names / sizeof *opt_format_names ? opt_format_names[i] : NULL;
}

bool opt_format_takes(enum opt_cmd cmd, enum opt_format f)
{
    if (cmd == CMD_GENERATE)
        return f == FORMAT_TEXT || f == FORMAT_JSON;
    return cmd == CMD_SWEEP && f != FORMAT_JSON;
}

/* User text, escaped so that a stray control byte cannot reach the terminal via stderr. */
static const char *opt_show(const char *s, size_t len, char *buf, size_t cap)
{
    text_escape(s, len, 0, buf, cap);
    return buf;
}


/* "--top-p must be in (0, 1], got 1.5" where `got` is the user's own spelling. */
static int opt_err_domain(enum param_id which, const char *s, size_t len, const char *range,
                          struct ls_error *err)
{
    char shown[96];
    return ls_error_set(err, "%s must be %s, got %s%s%s%s", param_spec(which)->flag,
                        param_spec(which)->allowed, opt_show(s, len, shown, sizeof shown),
                        range ? " (in range " : "", range ? range : "", range ? ")" : "");
}

static int opt_err_number(const char *flag, const char *allowed, const char *s, size_t len,
                          enum parse_status st, struct ls_error *err)
{
    char shown[96];
    return ls_error_set(err, "%s must be %s, got \"%s\" (%s)", flag, allowed,
                        opt_show(s, len, shown, sizeof shown), parse_status_str(st));
}

/* One real number of parameter `which` (the engine's rules: the explorer reads typed values
 * the same way). */
static int opt_read_double(enum param_id which, const char *s, size_t len, double *out,
                           struct ls_error *err)
{
    return param_read(which, param_spec(which)->flag, s, len, out, err);
}

static int opt_read_size(const char *flag, const char *allowed, const char *s, size_t len,
                         size_t *out, struct ls_error *err)
{
    return param_read_size(flag, allowed, s, len, out, err);
}

/* Adds " (in range A:B:C)" to a message about one end of a range. */
static int opt_err_in_range(const char *whole, struct ls_error *err)
{
    if (err) {
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len, " (in range %s)", whole);
    }
    return -1;
}

static bool opt_is_whole(enum param_id which)
{
    return param_spec(which)->kind == PARAM_WHOLE;
}

void opt_values_apply(const struct opt_values *v, size_t i, struct params *p)
{
    if (opt_is_whole(v->which))
        p->v[v->which].whole = v->z[i];
    else
        p->v[v->which].real = v->d[i];
}

void opt_values_free(struct opt_values *v)
{
    free(v->d);
    free(v->z);
    v->d = NULL;
    v->z = NULL;
    v->n = v->cap = 0;
}

/* Room for `more` values after the n already held (geometric growth). */
static int opt_values_reserve(struct opt_values *v, size_t *cap, size_t more,
                              struct ls_error *err)
{
    const char *flag = param_spec(v->which)->flag;
    if (more > OPT_MAX_VALUES || v->n + more > OPT_MAX_VALUES)
        return ls_error_set(err, "%s has too many values (at most %u)", flag, OPT_MAX_VALUES);
    if (v->n + more <= *cap)
        return 0;
    size_t want = *cap ? *cap : 8;
    while (want < v->n + more)
        want *= 2;
    void *grown = opt_is_whole(v->which) ? realloc(v->z, want * sizeof *v->z)
                                         : realloc(v->d, want * sizeof *v->d);
    if (!grown)
        return ls_error_set(err, "out of memory reading %s", flag);
    if (opt_is_whole(v->which))
        v->z = grown;
    else
        v->d = grown;
    *cap = want;
    return 0;
}

/* Digits after the decimal point of a number as written ("0.05" -> 2, "5e-3" -> 3), or -1
 * when that is not known or too many for exact arithmetic. */
static int opt_decimals(const char *s, size_t len)
{
    size_t i = 0;
    long frac = 0, exp = 0;
    int exp_sign = 1;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < len && s[i] == '.')
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            frac++;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            exp_sign = s[i++] == '-' ? -1 : 1;
        for (; i < len && s[i] >= '0' && s[i] <= '9' && exp < 1000; i++)
            exp = exp * 10 + (s[i] - '0');
    }
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i != len)
        return -1;
    long d = frac - exp_sign * exp;
    if (d < 0)
        d = 0;
    return d > 15 ? -1 : (int)d;
}

/* x * 10^d as an exact integer below 2^53, when it is one (up to rounding of the input). */
static bool opt_scaled(double x, double scale, double *out)
{
    double y = x * scale, r = nearbyint(y);
    if (!(fabs(r) < 9007199254740992.0) || fabs(y - r) > 1e-6 * fmax(1.0, fabs(r)))
        return false;
    *out = r;
    return true;
}

/* A real-valued range. With decimal inputs every value is (S + i*P) / 10^d over exact
 * integers, so `0.3` in a range is the same double as `-t 0.3`; otherwise start + i*step
 * with i up to floor((stop - start) / step + 1e-9). */
static int opt_range_double(struct opt_values *v, size_t *cap, const char *part[3],
                            const size_t plen[3], const char *whole, struct ls_error *err)
{
    enum param_id which = v->which;
    const char *flag = param_spec(which)->flag;
    double start, stop, step;
    enum parse_status st;
    if (opt_read_double(which, part[0], plen[0], &start, err) ||
        opt_read_double(which, part[1], plen[1], &stop, err))
        return opt_err_in_range(whole, err);
    st = parse_double(part[2], plen[2], &step);
    if (st != PARSE_OK && st != PARSE_POS_INF && st != PARSE_NEG_INF && st != PARSE_NAN)
        return opt_err_number(flag, "a range START:STOP:STEP with a number as STEP", part[2],
                              plen[2], st, err);
    if (st != PARSE_OK || !(step > 0))
        return ls_error_set(err, "%s range %s must have a STEP > 0", flag, whole);
    if (start > stop)
        return ls_error_set(err, "%s range %s must have START <= STOP", flag, whole);

    int d = opt_decimals(part[0], plen[0]), d1 = opt_decimals(part[1], plen[1]),
        d2 = opt_decimals(part[2], plen[2]);
    double scale = 1, s = 0, e = 0, p = 1;
    bool exact = d >= 0 && d1 >= 0 && d2 >= 0;
    if (exact) {
        d = d > d1 ? d : d1;
        d = d > d2 ? d : d2;
        for (int i = 0; i < d; i++)
            scale *= 10;
        exact = opt_scaled(start, scale, &s) && opt_scaled(stop, scale, &e) &&
                opt_scaled(step, scale, &p) && p > 0;
    }
    double count = exact ? (double)(((long long)e - (long long)s) / (long long)p) + 1
                         : floor((stop - start) / step + 1e-9) + 1;
    if (!(count <= OPT_MAX_VALUES))
        return ls_error_set(err, "%s range %s has too many values (at most %u)", flag, whole,
                            OPT_MAX_VALUES);
    if (opt_values_reserve(v, cap, (size_t)count, err))
        return -1;
    for (size_t i = 0; i < (size_t)count; i++) {
        double x = exact ? (s + (double)i * p) / scale : start + (double)i * step;
        if (x > stop) /* the 1e-9 slack must not step past STOP */
            x = stop;
        if (!param_in_domain(which, x)) {
            char num[40];
            param_format_double(x, num, sizeof num);
            return opt_err_domain(which, num, strlen(num), whole, err);
        }
        v->d[v->n++] = x;
    }
    return 0;
}

static int opt_range_size(struct opt_values *v, size_t *cap, const char *part[3],
                          const size_t plen[3], const char *whole, struct ls_error *err)
{
    const char *flag = param_spec(v->which)->flag, *allowed = param_spec(v->which)->allowed;
    size_t start, stop, step;
    if (opt_read_size(flag, allowed, part[0], plen[0], &start, err) ||
        opt_read_size(flag, allowed, part[1], plen[1], &stop, err))
        return opt_err_in_range(whole, err);
    if (opt_read_size(flag, "a range START:STOP:STEP with a whole number > 0 as STEP", part[2],
                      plen[2], &step, err))
        return -1;
    if (step == 0)
        return ls_error_set(err, "%s range %s must have a STEP > 0", flag, whole);
    if (start > stop)
        return ls_error_set(err, "%s range %s must have START <= STOP", flag, whole);
    size_t count = (stop - start) / step;
    if (count >= OPT_MAX_VALUES)
        return ls_error_set(err, "%s range %s has too many values (at most %u)", flag, whole,
                            OPT_MAX_VALUES);
    count++;
    if (opt_values_reserve(v, cap, count, err))
        return -1;
    for (size_t i = 0; i < count; i++)
        v->z[v->n++] = start + i * step;
    return 0;
}

/* One comma-separated item: a value or START:STOP:STEP. */
static int opt_item(struct opt_values *v, size_t *cap, const char *s, size_t len,
                    struct ls_error *err)
{
    const char *colon1 = memchr(s, ':', len);
    if (!colon1) {
        if (opt_values_reserve(v, cap, 1, err))
            return -1;
        if (opt_is_whole(v->which))
            return opt_read_size(param_spec(v->which)->flag, param_spec(v->which)->allowed, s,
                                 len, &v->z[v->n++], err);
        return opt_read_double(v->which, s, len, &v->d[v->n++], err);
    }
    char whole[96];
    opt_show(s, len, whole, sizeof whole);
    const char *end = s + len;
    const char *colon2 = memchr(colon1 + 1, ':', (size_t)(end - colon1 - 1));
    if (!colon2 || memchr(colon2 + 1, ':', (size_t)(end - colon2 - 1)))
        return ls_error_set(err, "%s range must be START:STOP:STEP, got \"%s\"",
                            param_spec(v->which)->flag, whole);
    const char *part[3] = {s, colon1 + 1, colon2 + 1};
    const size_t plen[3] = {(size_t)(colon1 - s), (size_t)(colon2 - colon1 - 1),
                            (size_t)(end - colon2 - 1)};
    if (opt_is_whole(v->which))
        return opt_range_size(v, cap, part, plen, whole, err);
    return opt_range_double(v, cap, part, plen, whole, err);
}

int opt_param_add(struct opt_values *v, const char *arg, struct ls_error *err)
{
    const char *s = arg;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (opt_item(v, &v->cap, s, len, err))
            return -1;
        if (!comma)
            return 0;
        s = comma + 1;
    }
}

int opt_param_list(enum param_id which, const char *arg, struct opt_values *out,
                   struct ls_error *err)
{
    struct opt_values v = {.which = which};
    if (opt_param_add(&v, arg, err)) {
        opt_values_free(&v);
        return -1;
    }
    *out = v;
    return 0;
}


/* "--samplers: " before a message from the chain parser. */
static int opt_err_prefix(const char *flag, struct ls_error *err)
{
    if (err) {
        char msg[sizeof err->msg + 64];
        snprintf(msg, sizeof msg, "%s: %s", flag, err->msg);
        size_t len = strlen(msg) < sizeof err->msg ? strlen(msg) : sizeof err->msg - 1;
        memcpy(err->msg, msg, len);
        err->msg[len] = '\0';
    }
    return -1;
}

/* A failed list leaves what it read so far: drop it, the run ends anyway. */
static int opt_clear_partial(struct cli_opts *o, int key)
{
    opt_values_free(&o->lists[key - KEY_PARAM]);
    return -1;
}

/* A parameter set away from its default for a sampler the chain lacks does nothing: an
 * error that says how to add the sampler. */
static int opt_check_chain(const struct cli_opts *o, struct ls_error *err)
{
    if (o->breakers_given && !chain_has(&o->chain, SAMPLER_DRY)) {
        struct params p = params_default();
        char why[sizeof err->msg];
        p.chain = o->chain;
        p.breakers = o->breakers;
        if (params_unused(&p) == PARAM_DRY_BREAKERS) {
            params_unused_message(&p, PARAM_DRY_BREAKERS, true, "--samplers", why, sizeof why);
            return ls_error_set(err, "%s", why);
        }
    }
    for (int i = 0; i < PARAM_COUNT; i++) {
        const struct param_spec *ps = param_spec((enum param_id)i);
        if (!o->lists[i].n || ps->sampler == SAMPLER_NONE || chain_has(&o->chain, ps->sampler))
            continue;
        struct params p = params_default();
        p.chain = o->chain;
        for (size_t k = 0; k < o->lists[i].n; k++) {
            opt_values_apply(&o->lists[i], k, &p);
            if (params_get(&p, (enum param_id)i) != ps->def) {
                char why[sizeof err->msg];
                params_unused_message(&p, (enum param_id)i, true, "--samplers", why, sizeof why);
                return ls_error_set(err, "%s", why);
            }
        }
    }
    return 0;
}

/* getopt_long's failure (c is '?' or ':', with opterr off) in our own words; `help` is the
 * command to suggest, e.g. "logitscope sweep --help". Returns -1. */
static int opt_getopt_error(int c, char **argv, const char *help, struct ls_error *err)
{
    const char *bad = optind > 0 ? argv[optind - 1] : "";
    char shown[96];
    if (strncmp(bad, "--", 2) == 0) {
        text_escape(bad, strcspn(bad, "="), 0, shown, sizeof shown);
    } else {
        shown[0] = '-';
        shown[1] = (char)optopt;
        shown[2] = '\0';
    }
    if (c == ':')
        return ls_error_set(err, "option %s needs a value (try `%s`)", shown, help);
    if (optopt && strchr(bad, '=')) /* glibc: a known option that takes no value */
        return ls_error_set(err, "option %s takes no value", shown);
    return ls_error_set(err, "unknown option %s (try `%s`)", shown, help);
}

/* ---- the parse loop ------------------------------------------------------------------ */

#define OPT_LONG_MAX (2 * PARAM_COUNT + OPT_TABLE_N + 1)

/* getopt_long's tables for one command: every parameter (with its alias), then the rows of
 * opt_table the command takes. */
static void opt_build(enum opt_cmd cmd, struct option *longs, char *shorts, size_t cap)
{
    size_t n = 0, s = 0;
    shorts[s++] = ':';
    for (int i = 0; i < PARAM_COUNT; i++) {
        const struct param_spec *ps = param_spec((enum param_id)i);
        longs[n++] = (struct option){ps->flag + 2, required_argument, NULL, KEY_PARAM + i};
        if (ps->alias)
            longs[n++] = (struct option){ps->alias + 2, required_argument, NULL, KEY_PARAM + i};
        if (ps->short_opt && s + 3 < cap) {
            shorts[s++] = ps->short_opt;
            shorts[s++] = ':';
        }
    }
    for (size_t i = 0; i < OPT_TABLE_N; i++) {
        const struct opt_spec *o = &opt_table[i];
        if (!(o->cmds & cmd))
            continue;
        longs[n++] = (struct option){o->name, o->metavar ? required_argument : no_argument,
                                     NULL, o->key};
        if (o->short_opt && s + 3 < cap) {
            shorts[s++] = o->short_opt;
            if (o->metavar)
                shorts[s++] = ':';
        }
    }
    longs[n] = (struct option){NULL, 0, NULL, 0};
    shorts[s] = '\0';
}

/* A short option's key: -n is --samples for one command and --words for another. */
static int opt_short_key(int c, enum opt_cmd cmd)
{
    for (int i = 0; i < PARAM_COUNT; i++)
        if (param_spec((enum param_id)i)->short_opt == c)
            return KEY_PARAM + i;
    for (size_t i = 0; i < OPT_TABLE_N; i++)
        if (opt_table[i].short_opt == c && (opt_table[i].cmds & cmd))
            return opt_table[i].key;
    return c;
}

int opt_param_of_flag(const char *flag)
{
    for (int i = 0; i < PARAM_COUNT; i++) {
        const struct param_spec *ps = param_spec((enum param_id)i);
        if (strcmp(flag, ps->flag) == 0 || (ps->alias && strcmp(flag, ps->alias) == 0) ||
            (ps->short_opt && flag[0] == '-' && flag[1] == ps->short_opt && !flag[2]))
            return i;
    }
    return -1;
}

static int opt_format_parse(enum opt_cmd cmd, const char *arg, enum opt_format *out,
                            struct ls_error *err)
{
    for (size_t i = 0; opt_format_name(i); i++)
        if (strcmp(arg, opt_format_name(i)) == 0 && opt_format_takes(cmd, (enum opt_format)i)) {
            *out = (enum opt_format)i;
            return 0;
        }
    char shown[96];
    return ls_error_set(err, "--format must be %s, got \"%s\"",
                        cmd == CMD_GENERATE ? "text or json" : "text, csv or summary",
                        opt_show(arg, strlen(arg), shown, sizeof shown));
}

/* generate's -n: a whole number in [0, OPT_WORDS_MAX]. */
static int opt_words(const char *arg, size_t *out, struct ls_error *err)
{
    static const char allowed[] = "a whole number in [0, 1000000]";
    if (opt_read_size("--words", allowed, arg, strlen(arg), out, err))
        return -1;
    if (*out > OPT_WORDS_MAX) {
        char shown[96];
        return ls_error_set(err, "--words must be %s, got %s", allowed,
                            opt_show(arg, strlen(arg), shown, sizeof shown));
    }
    return 0;
}

/* "COLSxROWS", each 1..OPT_SIZE_MAX. */
static int opt_size(const char *arg, int *cols, int *rows, struct ls_error *err)
{
    char shown[96];
    unsigned long c = 0, r = 0;
    const char *x = strchr(arg, 'x');
    char *end = NULL;
    if (x && x > arg && arg[0] >= '0' && arg[0] <= '9' && x[1] >= '0' && x[1] <= '9') {
        c = strtoul(arg, &end, 10);
        if (end == x) {
            r = strtoul(x + 1, &end, 10);
            if (*end == '\0' && c >= 1 && r >= 1 && c <= OPT_SIZE_MAX && r <= OPT_SIZE_MAX) {
                *cols = (int)c;
                *rows = (int)r;
                return 0;
            }
        }
    }
    return ls_error_set(err, "--size must be COLSxROWS with each in [1, %d] (e.g. 80x24), "
                        "got \"%s\"", OPT_SIZE_MAX, opt_show(arg, strlen(arg), shown, sizeof shown));
}

/* --dry-sequence-breaker, as llama.cpp reads it: the first use clears the defaults, "none"
 * clears everything, any other value (escapes undone) is one more breaker. */
static int opt_breaker(struct cli_opts *o, const char *arg, struct ls_error *err)
{
    char buf[DRY_BREAKERS_BYTES];
    size_t len = strlen(arg);
    if (!o->breakers_given)
        memset(&o->breakers, 0, sizeof o->breakers);
    o->breakers_given = true;
    if (strcmp(arg, "none") == 0) {
        memset(&o->breakers, 0, sizeof o->breakers);
        return 0;
    }
    len = len < sizeof buf ? len : sizeof buf; /* more than a breaker keeps anyway */
    if (dry_breakers_add(&o->breakers, buf, dry_breaker_unescape(arg, len, buf), err))
        return opt_err_prefix("--dry-sequence-breaker", err);
    return 0;
}

/* --order, --samplers, --sampling-seq: one of them, once. */
static int opt_chain(struct cli_opts *o, int key, const char *arg, struct ls_error *err)
{
    static const char *const flags[] = {"--samplers", "--sampling-seq", "--order"};
    const char *flag = flags[key - KEY_SAMPLERS];
    char shown[96];
    if (o->chain_flag && strcmp(o->chain_flag, flag) != 0)
        return ls_error_set(err, "%s and %s both give the chain: give one of them", o->chain_flag,
                            flag);
    o->chain_flag = flag;
    if (key == KEY_SAMPLERS)
        return chain_parse_names(arg, &o->chain, err) ? opt_err_prefix(flag, err) : 0;
    if (key == KEY_SAMPLING_SEQ)
        return chain_parse_letters(arg, &o->chain, err) ? opt_err_prefix(flag, err) : 0;
    int preset = chain_preset_find(arg);
    if (preset < 0)
        return ls_error_set(err, "--order must be hf, llama or vllm, got \"%s\"",
                            opt_show(arg, strlen(arg), shown, sizeof shown));
    o->chain = chain_preset((enum chain_preset)preset);
    return 0;
}

static int opt_one(struct cli_opts *o, enum opt_cmd cmd, int key, const char *arg,
                   struct ls_error *err)
{
    if (key >= KEY_PARAM && key < KEY_PARAM + PARAM_COUNT)
        return opt_param_add(&o->lists[key - KEY_PARAM], arg, err) ? opt_clear_partial(o, key)
                                                                    : 0;
    switch (key) {
    case KEY_SAMPLERS:
    case KEY_SAMPLING_SEQ:
    case KEY_ORDER: return opt_chain(o, key, arg, err);
    case KEY_SAMPLES: return opt_samples(arg, &o->samples, err);
    case KEY_SEED: return opt_seed(arg, &o->seed, err);
    case KEY_VOCAB: o->vocab_path = arg; return 0;
    case KEY_TOKENS: o->tokens_path = arg; return 0;
    case KEY_CHOICE: o->choice_given = true; return opt_count("--choice", arg, &o->choice, err);
    case KEY_POSITION:
        opt_positions_free(&o->positions);
        return opt_positions_parse(arg, &o->positions, err);
    case KEY_DRY_BREAKER: return opt_breaker(o, arg, err);
    case KEY_HISTORY: o->history = arg; return 0;
    case KEY_SETTINGS: o->settings_path = arg; return 0;
    case KEY_LM: o->lm_path = arg; return 0;
    case KEY_PROMPT: o->prompt = arg; return 0;
    case KEY_WORDS: return opt_words(arg, &o->words, err);
    case KEY_TOP: o->top_given = true; return opt_count("--top", arg, &o->top, err);
    case KEY_FORMAT: o->format_given = true; return opt_format_parse(cmd, arg, &o->format, err);
    case KEY_THEME: o->theme = arg; return 0; /* checked by the explorer, which knows them */
    case KEY_ASCII: o->ascii = true; return 0;
    case KEY_NO_COLOR: o->no_color = true; return 0;
    case KEY_NO_MOUSE: o->no_mouse = true; return 0;
    case KEY_SNAPSHOT: o->snapshot = true; return 0;
    case KEY_SIZE: o->sized = true; return opt_size(arg, &o->cols, &o->rows, err);
    case KEY_PLAY: o->play_path = arg; return 0;
    case KEY_CAST: o->cast_path = arg; return 0;
    default: return ls_error_set(err, "internal error: option %d", key);
    }
}

/* What the command's own rules forbid once everything is read. */
static int opt_finish(struct cli_opts *o, enum opt_cmd cmd, int operands, struct ls_error *err)
{
    if (cmd == CMD_SWEEP && operands > 1)
        return ls_error_set(err, "sweep takes at most one FILE, got %d (try `logitscope sweep "
                                 "--help`)", operands);
    if (cmd == CMD_EXPLORE && operands > 1)
        return ls_error_set(err, "the explorer takes at most one FILE, got %d (try `logitscope "
                                 "--help`)", operands);
    if (cmd == CMD_GENERATE && operands > 0)
        return ls_error_set(err, "generate takes no FILE: the model is --lm FILE (try "
                                 "`logitscope generate --help`)");
    if (cmd != CMD_GENERATE && opt_lm_mode(o) && (operands > 0 || o->vocab_path))
        return ls_error_set(err, "%s reads a language model (--lm, --prompt) or %s, not both",
                            cmd == CMD_SWEEP ? "sweep" : "the explorer",
                            operands > 0 ? "a FILE" : "a .npy file with --vocab");
    if (cmd == CMD_SWEEP && o->settings_path && (opt_any_param(o) || o->breakers_given))
        return ls_error_set(err, "--settings cannot be combined with the sampler options "
                                 "(-t, -k, -p, --min-p, ...)");
    if (cmd == CMD_EXPLORE || cmd == CMD_GENERATE) {
        for (int i = 0; i < PARAM_COUNT; i++)
            if (o->lists[i].n > 1)
                return ls_error_set(err, "%s takes one value for %s, got %zu (for lists and "
                                         "ranges use `logitscope sweep`)",
                                    cmd == CMD_EXPLORE ? "the explorer" : "generate",
                                    param_spec((enum param_id)i)->flag, o->lists[i].n);
    }
    if (cmd == CMD_EXPLORE) {
        if (o->positions.given && (o->positions.all || o->positions.n != 1 ||
                                   o->positions.lo[0] != o->positions.hi[0]))
            return ls_error_set(err, "the explorer opens at one --position, a number from 1 "
                                     "(for lists and ranges use `logitscope sweep`)");
        if (o->sized && !o->snapshot && !o->play_path)
            return ls_error_set(err, "--size is for --snapshot and --play (a live explorer "
                                     "uses the terminal's size)");
        if (o->cast_path && o->snapshot && !o->play_path)
            return ls_error_set(err, "--cast with --snapshot records a key script: give "
                                     "--play SCRIPT");
    }
    return opt_check_chain(o, err);
}

enum opt_parsed opt_parse(int argc, char **argv, enum opt_cmd cmd, struct cli_opts *o,
                          struct ls_error *err)
{
    struct option longs[OPT_LONG_MAX];
    char shorts[64];
    memset(o, 0, sizeof *o);
    for (int i = 0; i < PARAM_COUNT; i++)
        o->lists[i].which = (enum param_id)i;
    o->chain = chain_preset(PRESET_HF);
    o->breakers = dry_breakers_default();
    o->samples = ENGINE_DEFAULT_SAMPLES;
    o->seed = ENGINE_DEFAULT_SEED;
    o->words = OPT_WORDS_DEFAULT;
    opt_build(cmd, longs, shorts, sizeof shorts);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        if (c == '?' || c == ':') {
            opt_getopt_error(c, argv, opt_intro(cmd)->help_cmd, err);
            return OPT_ERROR;
        }
        int key = c < 256 ? opt_short_key(c, cmd) : c;
        if (key == KEY_HELP) {
            opt_usage(cmd, stdout);
            return OPT_DONE;
        }
        if (key == KEY_VERSION) {
            puts("logitscope " LS_VERSION);
            return OPT_DONE;
        }
        if (opt_one(o, cmd, key, optarg, err))
            return OPT_ERROR;
    }
    o->file = optind < argc ? argv[optind] : NULL;
    return opt_finish(o, cmd, argc - optind, err) ? OPT_ERROR : OPT_RUN;
}

void opt_free(struct cli_opts *o)
{
    for (int i = 0; i < PARAM_COUNT; i++)
        opt_values_free(&o->lists[i]);
    opt_positions_free(&o->positions);
}

bool opt_any_param(const struct cli_opts *o)
{
    for (int i = 0; i < PARAM_COUNT; i++)
        if (o->lists[i].n)
            return true;
    return false;
}

int opt_params(const struct cli_opts *o, struct params *p, struct ls_error *err)
{
    *p = params_default();
    p->chain = o->chain;
    p->breakers = o->breakers;
    for (int i = 0; i < PARAM_COUNT; i++)
        if (o->lists[i].n)
            opt_values_apply(&o->lists[i], 0, p);
    return params_check(p, err);
}

/* ---- --help ---------------------------------------------------------------------------- */

#define OPT_HELP_COL 24  /* where the words start */
#define OPT_HELP_WIDTH 79

/* "  -t, --temperature=T" then the words, wrapped under each other. */
static void opt_help_row(FILE *out, char short_opt, const char *name, const char *metavar,
                         const char *words)
{
    char left[64];
    int n = short_opt ? snprintf(left, sizeof left, "  -%c, --%s", short_opt, name)
                      : snprintf(left, sizeof left, "      --%s", name);
    if (metavar && n > 0 && (size_t)n < sizeof left)
        snprintf(left + n, sizeof left - (size_t)n, "=%s", metavar);
    fputs(left, out);
    int col = (int)strlen(left);
    if (col + 2 > OPT_HELP_COL) {
        fputc('\n', out);
        col = 0;
    }
    fprintf(out, "%*s", OPT_HELP_COL - col, "");
    col = OPT_HELP_COL;
    const char *w = words;
    while (*w) {
        size_t len = strcspn(w, " ");
        if (col > OPT_HELP_COL && col + 1 + (int)len > OPT_HELP_WIDTH) {
            fprintf(out, "\n%*s", OPT_HELP_COL, "");
            col = OPT_HELP_COL;
        } else if (col > OPT_HELP_COL) {
            fputc(' ', out);
            col++;
        }
        fwrite(w, 1, len, out);
        col += (int)len;
        w += len;
        while (*w == ' ')
            w++;
    }
    fputc('\n', out);
}

/* A parameter's words: its meaning, its range and its default. */
static void opt_help_param(FILE *out, enum param_id id)
{
    const struct param_spec *ps = param_spec(id);
    char words[320], def[40];
    if (ps->kind == PARAM_WHOLE)
        snprintf(def, sizeof def, "%.0f", ps->def);
    else
        param_format_double(ps->def, def, sizeof def);
    snprintf(words, sizeof words, "%s (%s, %s) [%s]", ps->meaning,
             sampler_spec(ps->sampler == SAMPLER_NONE ? SAMPLER_TEMPERATURE : ps->sampler)->name,
             ps->allowed, def);
    if (ps->sampler == SAMPLER_NONE)
        snprintf(words, sizeof words, "%s (%s) [%s]", ps->meaning, ps->allowed, def);
    opt_help_row(out, ps->short_opt, ps->flag + 2, ps->metavar, words);
    if (ps->alias)
        opt_help_row(out, 0, ps->alias + 2, ps->metavar, "the same");
}

void opt_usage(enum opt_cmd cmd, FILE *out)
{
    const struct opt_intro *in = opt_intro(cmd);
    fprintf(out, "%s\n%s\n%s", in->usage, in->what, in->params_title);
    for (int i = 0; i < PARAM_COUNT; i++)
        opt_help_param(out, (enum param_id)i);
    for (size_t i = 0; i < OPT_TABLE_N; i++) {
        const struct opt_spec *o = &opt_table[i];
        if (opt_heading(o->key))
            fprintf(out, "\n%s:\n", opt_heading(o->key));
        if (o->cmds & cmd)
            opt_help_row(out, o->short_opt, o->name, o->metavar, o->help);
    }
    fprintf(out, "\n%s", in->exit_status);
}

/* ---- --position ------------------------------------------------------------------------ */

static const char opt_positions_allowed[] =
    "N, START:STOP, a comma list of them, or all (positions count from 1)";

static int opt_positions_bad(const char *s, size_t len, const char *why, struct ls_error *err)
{
    char shown[96];
    return ls_error_set(err, "--position must be %s, got \"%s\"%s", opt_positions_allowed,
                        opt_show(s, len, shown, sizeof shown), why);
}

/* One position number, from 1. */
static int opt_position_number(const char *whole, size_t whole_len, const char *s, size_t len,
                               size_t *out, struct ls_error *err)
{
    if (parse_size(s, len, out) != PARSE_OK)
        return opt_positions_bad(whole, whole_len, "", err);
    if (*out == 0)
        return opt_positions_bad(whole, whole_len, " (the first position is 1)", err);
    return 0;
}

static int opt_positions_item(struct opt_positions *p, const char *whole, size_t whole_len,
                              const char *s, size_t len, struct ls_error *err)
{
    const char *colon = memchr(s, ':', len);
    size_t lo, hi;
    if (!colon) {
        if (opt_position_number(whole, whole_len, s, len, &lo, err))
            return -1;
        hi = lo;
    } else if (opt_position_number(whole, whole_len, s, (size_t)(colon - s), &lo, err) ||
               opt_position_number(whole, whole_len, colon + 1,
                                   (size_t)(s + len - colon - 1), &hi, err)) {
        return -1;
    } else if (lo > hi) {
        return opt_positions_bad(whole, whole_len, " (START:STOP needs START <= STOP)", err);
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 8;
        size_t *nlo = cap <= OPT_MAX_VALUES ? realloc(p->lo, cap * sizeof *nlo) : NULL;
        if (nlo)
            p->lo = nlo;
        size_t *nhi = nlo ? realloc(p->hi, cap * sizeof *nhi) : NULL;
        if (nhi)
            p->hi = nhi;
        if (!nlo || !nhi)
            return ls_error_set(err, "--position has too many items (at most %u)",
                                OPT_MAX_VALUES);
        p->cap = cap;
    }
    p->lo[p->n] = lo;
    p->hi[p->n] = hi;
    p->n++;
    return 0;
}

int opt_positions_parse(const char *arg, struct opt_positions *out, struct ls_error *err)
{
    struct opt_positions p = {.given = true};
    size_t len = strlen(arg);
    if (strcmp(arg, "all") == 0) {
        p.all = true;
        *out = p;
        return 0;
    }
    for (const char *s = arg;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        if (opt_positions_item(&p, arg, len, s, n, err)) {
            opt_positions_free(&p);
            return -1;
        }
        if (!comma)
            break;
        s = comma + 1;
    }
    *out = p;
    return 0;
}

void opt_positions_free(struct opt_positions *p)
{
    free(p->lo);
    free(p->hi);
    memset(p, 0, sizeof *p);
}

int opt_positions_check(const struct opt_positions *p, size_t n, const char *file,
                        struct ls_error *err)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->hi[i] > n)
            return ls_error_set(err, "--position %zu: %s has %zu position%s", p->hi[i], file, n,
                                n == 1 ? "" : "s");
    return 0;
}

int opt_samples(const char *arg, size_t *out, struct ls_error *err)
{
    static const char allowed[] = "a whole number in [0, 100000000]";
    size_t n;
    if (opt_read_size("--samples", allowed, arg, strlen(arg), &n, err))
        return -1;
    if (n > ENGINE_MAX_SAMPLES) {
        char shown[96];
        return ls_error_set(err, "--samples must be %s, got %s", allowed,
                            opt_show(arg, strlen(arg), shown, sizeof shown));
    }
    *out = n;
    return 0;
}

int opt_seed(const char *arg, uint64_t *out, struct ls_error *err)
{
    size_t n;
    if (opt_read_size("--seed", "a whole number from 0 to 2^64-1", arg, strlen(arg), &n, err))
        return -1;
    *out = (uint64_t)n;
    return 0;
}

int opt_count(const char *flag, const char *arg, size_t *out, struct ls_error *err)
{
    return opt_read_size(flag, "a whole number from 0 to 2^64-1", arg, strlen(arg), out, err);
}

void opt_print_error(const char *msg)
{
    char shown[4 * sizeof ((struct ls_error *)0)->msg + 1];
    text_escape(msg, strlen(msg), TEXT_KEEP_BACKSLASH, shown, sizeof shown);
    fprintf(stderr, "logitscope: %s\n", shown);
}
