/* options_help.c: what the options say: --help, and the rows the man page and the shell
 * completions are written from (opt_doc, the commands' intros and names, --format's names). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "options_internal.h"

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
    if (i >= opt_table_n)
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
    for (size_t i = 0; i < opt_table_n; i++) {
        const struct opt_spec *o = &opt_table[i];
        if (opt_heading(o->key))
            fprintf(out, "\n%s:\n", opt_heading(o->key));
        if (o->cmds & cmd)
            opt_help_row(out, o->short_opt, o->name, o->metavar, o->help);
    }
    fprintf(out, "\n%s", in->exit_status);
}
