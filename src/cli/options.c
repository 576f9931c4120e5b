/* options.c: the option table and the one getopt_long loop that reads it for every command,
 * with the checks a command makes once everything is read. The sampler options come from the
 * engine's parameter table; --help (options_help.c), a parameter's values (options_values.c)
 * and --position (options_positions.c) have files of their own. */
#include "options.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "logitscope/parse.h"
#include "logitscope/text.h"
#include "options_internal.h"

#define CMD_BROWSE (CMD_EXPLORE | CMD_SWEEP) /* the commands that show a distribution */

/* Every option but the sampler parameters, in the order --help lists them. */
const struct opt_spec opt_table[] = {
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
const size_t opt_table_n = OPT_TABLE_N;

const char *opt_show(const char *s, size_t len, char *buf, size_t cap)
{
    text_escape(s, len, 0, buf, cap);
    return buf;
}

int opt_read_size(const char *flag, const char *allowed, const char *s, size_t len,
                  size_t *out, struct ls_error *err)
{
    return param_read_size(flag, allowed, s, len, out, err);
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
