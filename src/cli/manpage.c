/* manpage.c: logitscope.1 from the option table (options.c), the sampler and parameter tables
 * (sampler.h) and the key map (keymap.c). Only the prose around them is written here: the
 * sections a man page has and --help does not (files, environment, examples). */
#include "manpage.h"

#include <stdbool.h>
#include <string.h>

#include "config.h"
#include "datapath.h"
#include "keymap.h"
#include "logitscope/sampler.h"
#include "options.h"

static const struct manpage_example manpage_example_table[] = {
    {"Explore the bundled decisions, a little cooler and with a nucleus of 0.9:",
     "logitscope -t 0.7 -p 0.9"},
    {"Another file, with llama.cpp's order of the samplers:",
     "logitscope --order llama " LS_INSTALL_DATADIR "/scenarios/next-word.tsv"},
    {"A chain of your own: top-k first, then temperature, then min-p:",
     "logitscope --samplers top_k,temperature,min_p -k 40 --min-p 0.05"},
    {"Entropy and kept tokens at 191 temperatures, one line each:",
     "logitscope sweep -t 0.1:2.0:0.01 --format summary"},
    {"Every pair of two temperatures and three top-p values, as CSV:",
     "logitscope sweep -t 0.7,1 -p 0.8,0.9,1 --format csv"},
    {"The next word after a prompt, by the CMU US English model, at three temperatures:",
     "logitscope sweep --prompt=yesterday -t 0.5,1,2 --top 5"},
    {"Thirty words after it, cooler and with a nucleus of 0.9, the same on every run:",
     "logitscope generate --prompt=yesterday -n 30 -t 0.8 -p 0.9 --seed 7"},
    {"The same as an OpenAI chat completion with the top 20 words at each position:",
     "logitscope generate --prompt=yesterday -n 30 --format json"},
    {"The screen as text, with no terminal:", "logitscope --snapshot --size 100x30 -t 0.5"},
    {"Play a demo offscreen and record it as an asciicast:",
     "logitscope --play " LS_INSTALL_DATADIR "/demos/top-p.play --cast top-p.cast --size 80x24"},
};

const struct manpage_example *manpage_examples(size_t *n)
{
    *n = sizeof manpage_example_table / sizeof manpage_example_table[0];
    return manpage_example_table;
}

/* The code point of the UTF-8 sequence at s, and its length in *len; U+FFFD for a bad one. */
static unsigned manpage_utf8(const unsigned char *s, size_t *len)
{
    int more = s[0] >= 0xF0 ? 3 : s[0] >= 0xE0 ? 2 : s[0] >= 0xC0 ? 1 : 0;
    unsigned cp = s[0] & (0x3Fu >> more);
    *len = 1;
    if (!more || s[0] >= 0xF8)
        return 0xFFFD;
    for (int i = 1; i <= more; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0xFFFD;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    *len = (size_t)more + 1;
    return cp;
}

void manpage_text(FILE *out, const char *s)
{
    /* a line that starts with . or ' is a request; \& in front makes it text */
    if (s[0] == '.' || s[0] == '\'')
        fputs("\\&", out);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = 1;
        switch (*p) {
        case '\\': fputs("\\e", out); break;
        case '-': fputs("\\-", out); break;
        case '\'': fputs("\\(aq", out); break;
        case '`': fputs("\\(ga", out); break;
        case '"': fputs("\\(dq", out); break;
        case '\n': if (p[1]) fputc(' ', out); break;
        default:
            if (*p >= 0x80)
                fprintf(out, "\\[u%04X]", manpage_utf8(p, &len));
            else if (*p >= ' ')
                fputc(*p, out);
        }
        p += len;
    }
}

/* Bold or italic words, back to roman after. */
static void manpage_font(FILE *out, char font, const char *s)
{
    fprintf(out, "\\f%c", font);
    manpage_text(out, s);
    fputs("\\fR", out);
}

/* A --help line ("Usage: logitscope --snapshot [--size COLSxROWS] [OPTIONS] [FILE]") as a
 * synopsis: options and command names bold, placeholders italic, brackets plain. */
static void manpage_synopsis_line(FILE *out, const char *line, size_t len)
{
    static const char usage[] = "Usage: ";
    if (len >= sizeof usage - 1 && memcmp(line, usage, sizeof usage - 1) == 0) {
        line += sizeof usage - 1;
        len -= sizeof usage - 1;
    }
    bool first = true;
    for (size_t i = 0; i < len;) {
        while (i < len && line[i] == ' ')
            i++;
        size_t end = i;
        while (end < len && line[end] != ' ')
            end++;
        if (end == i)
            break;
        if (!first)
            fputc(' ', out);
        first = false;
        size_t a = i, b = end;
        while (a < b && line[a] == '[')
            fputc(line[a++], out);
        while (b > a && line[b - 1] == ']')
            b--;
        char word[128];
        size_t n = b - a < sizeof word - 1 ? b - a : sizeof word - 1;
        memcpy(word, line + a, n);
        word[n] = '\0';
        bool placeholder = n > 0 && word[0] >= 'A' && word[0] <= 'Z';
        manpage_font(out, placeholder ? 'I' : 'B', word);
        fwrite(line + b, 1, end - b, out);
        i = end;
    }
    fputc('\n', out);
}

static void manpage_synopsis(FILE *out, enum opt_cmd cmd)
{
    const char *u = opt_intro(cmd)->usage;
    while (*u) {
        size_t len = strcspn(u, "\n");
        fputs(".br\n", out);
        manpage_synopsis_line(out, u, len);
        u += len + (u[len] == '\n');
    }
}

/* A --help paragraph after `lead` (roff, may be ""): a closing colon becomes a full stop. */
static void manpage_paragraph(FILE *out, const char *lead, const char *s)
{
    size_t len = strlen(s);
    while (len && s[len - 1] == '\n')
        len--;
    bool colon = len && s[len - 1] == ':';
    char buf[1024];
    snprintf(buf, sizeof buf, "%.*s", (int)(len - colon), s);
    fprintf(out, ".PP\n%s", lead);
    manpage_text(out, buf);
    fputs(colon ? ".\n" : "\n", out);
}

/* "\fB\-t\fR, \fB\-\-temperature\fR=\fIT\fR" */
static void manpage_option_name(FILE *out, char short_opt, const char *name, const char *meta)
{
    if (short_opt) {
        char s[3] = {'-', short_opt, '\0'};
        manpage_font(out, 'B', s);
        fputs(", ", out);
    }
    fputs("\\fB\\-\\-", out);
    manpage_text(out, name);
    fputs("\\fR", out);
    if (meta) {
        fputc('=', out);
        manpage_font(out, 'I', meta);
    }
}

static void manpage_option(FILE *out, const struct opt_doc *d)
{
    fputs(".TP\n", out);
    manpage_option_name(out, d->short_opt, d->name, d->metavar);
    if (d->alias) {
        fputs(", ", out);
        manpage_option_name(out, 0, d->alias, d->metavar);
    }
    fputc('\n', out);
    if (d->param >= 0) {
        const struct param_spec *ps = param_spec((enum param_id)d->param);
        struct params def = params_default();
        char shown[64];
        param_format(&def, (enum param_id)d->param, shown, sizeof shown);
        manpage_text(out, ps->meaning);
        fputs(".\n", out);
        if (ps->sampler != SAMPLER_NONE) {
            fputs("Sampler: ", out);
            manpage_font(out, 'B', sampler_spec(ps->sampler)->name);
            fputs(". ", out);
        }
        fputs("Allowed: ", out);
        manpage_text(out, ps->allowed);
        fputs(". Default: ", out);
        manpage_text(out, shown);
        fputs(".\n", out);
    } else {
        manpage_text(out, d->help);
        fputc('\n', out);
    }
    if (opt_cmds_note(d->cmds)) {
        manpage_text(out, opt_cmds_note(d->cmds));
        fputc('\n', out);
    }
}

static void manpage_options(FILE *out)
{
    fputs(".SH OPTIONS\n"
          "An option that names the commands taking it (\\(lqsweep only\\(rq, \\(lqexplorer and "
          "generate\\(rq) is theirs alone; the others are taken by every command.\n"
          ".SS \"Sampler parameters\"\n",
          out);
    manpage_paragraph(out, "", opt_intro(CMD_SWEEP)->params_title);
    manpage_paragraph(out, "In the explorer: ", opt_intro(CMD_EXPLORE)->params_title);
    manpage_paragraph(out, "\\fBgenerate\\fR: ", opt_intro(CMD_GENERATE)->params_title);
    struct opt_doc d;
    for (size_t i = 0; opt_doc(i, &d); i++) {
        if (d.heading) {
            fputs(".SS \"", out);
            manpage_text(out, d.heading);
            fputs("\"\n", out);
        }
        manpage_option(out, &d);
    }
}

static void manpage_samplers(FILE *out)
{
    fputs(".SH SAMPLERS\n"
          "The chain applies its samplers in its order, each to what the one before it left. "
          "The names are those of \\fB\\-\\-samplers\\fR; the letters those of llama.cpp's "
          "\\fB\\-\\-sampling\\-seq\\fR.\n",
          out);
    for (int i = 0; i < SAMPLER_COUNT; i++) {
        const struct sampler_spec *s = sampler_spec((enum sampler_id)i);
        fputs(".TP\n", out);
        manpage_font(out, 'B', s->name);
        if (s->letter)
            fprintf(out, " (letter \\fB%c\\fR)", s->letter);
        else
            fputs(" (not in llama.cpp)", out);
        fputc('\n', out);
        manpage_text(out, s->meaning);
        fputs(".\nParameters:", out);
        for (int k = 0; k < s->n_params; k++) {
            fputs(k ? ", \\fB" : " \\fB", out);
            manpage_text(out, param_spec(s->params[k])->flag);
            fputs("\\fR", out);
        }
        fputs(".\n", out);
    }
    fputs(".SS Presets\n"
          "\\fB\\-\\-order\\fR and the explorer's \\fBo\\fR key choose among these chains.\n",
          out);
    struct params defaults = params_default();
    enum chain_preset def = chain_which_preset(&defaults.chain);
    for (int i = 0; i < PRESET_COUNT; i++) {
        struct chain c = chain_preset((enum chain_preset)i);
        char names[256];
        chain_format(&c, ";", names, sizeof names);
        fputs(".TP\n", out);
        manpage_font(out, 'B', chain_preset_name((enum chain_preset)i));
        fputs(i == (int)def ? " (the default)\n" : "\n", out);
        manpage_text(out, names);
        fputc('\n', out);
    }
    fputs(".PP\n\\fB\\-\\-min\\-keep\\fR belongs to no sampler: every probability filter keeps "
          "at least that many tokens.\n",
          out);
}

static void manpage_keys(FILE *out)
{
    size_t n;
    const struct keymap_binding *b = keymap_bindings(&n);
    fputs(".SH KEYS\n"
          "The explorer's keys (\\fB?\\fR shows them inside):\n",
          out);
    for (size_t i = 0; i < n; i++) {
        fputs(".TP\n", out);
        manpage_font(out, 'B', b[i].help.ascii_keys);
        fputc('\n', out);
        manpage_text(out, b[i].help.what);
        fputc('\n', out);
    }
}

static void manpage_examples_section(FILE *out)
{
    size_t n;
    const struct manpage_example *e = manpage_examples(&n);
    fputs(".SH EXAMPLES\n", out);
    for (size_t i = 0; i < n; i++) {
        fputs(".PP\n", out);
        manpage_text(out, e[i].what);
        fputs("\n.RS 4\n.nf\n\\fB", out);
        manpage_text(out, e[i].command);
        fputs("\\fR\n.fi\n.RE\n", out);
    }
}

/* "Exit status: 0 success, ..." without its label. */
static void manpage_exit(FILE *out, const char *cmd_name, enum opt_cmd cmd)
{
    static const char label[] = "Exit status: ";
    const char *s = opt_intro(cmd)->exit_status;
    if (strncmp(s, label, sizeof label - 1) == 0)
        s += sizeof label - 1;
    fputs(".TP\n", out);
    manpage_font(out, 'B', cmd_name);
    fputc('\n', out);
    manpage_text(out, s);
    fputc('\n', out);
}

int manpage_write(FILE *out)
{
    fputs(".\\\" logitscope.1: written by logitscope-docgen from the program's own tables.\n"
          ".\\\" Do not edit: change options.c, sampler.c or keymap.c and rebuild.\n"
          ".TH LOGITSCOPE 1 \"\" \"logitscope " LS_VERSION "\" \"User Commands\"\n"
          ".SH NAME\n"
          "logitscope \\- feel how an LLM picks its next token\n"
          ".SH SYNOPSIS\n",
          out);
    enum opt_cmd c;
    for (size_t k = 0; opt_cmd_at(k, &c); k++) {
        if (k)
            fputs(".PP\n", out);
        manpage_synopsis(out, c);
    }
    fputs(".SH DESCRIPTION\n"
          "\\fBlogitscope\\fR shows how a language model's sampler turns the logits of the next "
          "token into a choice: temperature, top\\-k, top\\-p, min\\-p and the other samplers "
          "below, in a chain whose order you choose.\n",
          out);
    manpage_paragraph(out, "", opt_intro(CMD_EXPLORE)->what);
    manpage_paragraph(out, "\\fBlogitscope sweep\\fR: ", opt_intro(CMD_SWEEP)->what);
    manpage_paragraph(out, "\\fBlogitscope generate\\fR: ", opt_intro(CMD_GENERATE)->what);
    fputs(".PP\n"
          "With \\fB\\-\\-lm\\fR or \\fB\\-\\-prompt\\fR, sweep and the explorer show a language "
          "model's next word after the prompt: every word of the model, with its natural\\-log "
          "probability as the logit. The prompt is split at white space; each word is looked "
          "up as typed, then lowercased, then without punctuation around it. A word the model "
          "does not know is read as <unk> and shown in angle brackets. </s> ends a sentence: "
          "after it the model starts again at <s>.\n",
          out);
    manpage_options(out);
    manpage_samplers(out);
    manpage_keys(out);
    fputs(".SH FILES\n"
          ".TP\n\\fI", out);
    manpage_text(out, LS_INSTALL_DATADIR);
    fputs("\\fR\n"
          "The bundled data: \\fIdecisions.tsv\\fR (the default FILE), "
          "\\fIsweeps/temperature.tsv\\fR (the lab's six settings: keys \\fB1\\fR .. \\fB6\\fR "
          "and what \\fBsweep\\fR runs with no sampler options), \\fIscenarios/*.tsv\\fR and the "
          "key scripts \\fIdemos/*.play\\fR.\n"
          ".PP\n"
          "The data directory is looked for in order: \\fB$LOGITSCOPE_DATA\\fR; the source tree, "
          "when the program runs from its build tree; \\fI../share/logitscope\\fR next to the "
          "executable; the installed directory above.\n"
          ".TP\n\\fI" DATA_LM_DEFAULT "\\fR\n"
          "The language model without \\fB\\-\\-lm\\fR and \\fBLOGITSCOPE_LM\\fR: the CMU Sphinx "
          "US English trigram model of 72,547 words (Debian: \\fB" DATA_LM_PACKAGE "\\fR).\n"
          ".SH ENVIRONMENT\n"
          ".TP\n\\fBLOGITSCOPE_DATA\\fR\n"
          "The data directory, looked in before any other.\n"
          ".TP\n\\fBLOGITSCOPE_LM\\fR\n"
          "The language model when \\fB\\-\\-lm\\fR is not given (when set and not empty).\n"
          ".TP\n\\fBNO_COLOR\\fR\n"
          "When set and not empty, the explorer uses no colour, as with "
          "\\fB\\-\\-no\\-color\\fR.\n"
          ".TP\n\\fBSOURCE_DATE_EPOCH\\fR\n"
          "The time in the header of a \\fB\\-\\-cast\\fR recording, in whole seconds since "
          "1970. Without it an offscreen recording says 0 (so that every run gives the same "
          "bytes) and a live one the time it started.\n"
          ".TP\n\\fBLC_ALL\\fR, \\fBLC_CTYPE\\fR, \\fBLANG\\fR\n"
          "The character set decides the explorer's glyphs (UTF\\-8 or ASCII). Numbers are "
          "always written with a decimal point.\n"
          ".SH \"EXIT STATUS\"\n",
          out);
    manpage_exit(out, "logitscope", CMD_EXPLORE);
    manpage_exit(out, "logitscope sweep", CMD_SWEEP);
    manpage_exit(out, "logitscope generate", CMD_GENERATE);
    manpage_examples_section(out);
    fflush(out);
    return ferror(out) ? -1 : 0;
}
