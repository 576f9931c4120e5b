/* completion.c: the shell completions, from the option table (opt_doc) and the names the
 * engine knows (samplers, presets) and --format takes. Each shell gets one function that
 * tells `logitscope sweep ...` and `logitscope generate ...` from the explorer, offers that
 * command's options, and completes their values: files, presets, formats, sampler lists. */
#include "completion.h"

#include <stdbool.h>
#include <string.h>

#include "logitscope/sampler.h"
#include "options.h"
#include "tui.h"

/* The commands named on the command line (all but the explorer), with their words for a
 * menu. */
static const struct {
    enum opt_cmd cmd;
    const char *what;
} completion_subcmds[] = {{CMD_SWEEP, "print distributions for many settings"},
                          {CMD_GENERATE, "write text with a language model"}};

#define COMPLETION_SUBCMDS (sizeof completion_subcmds / sizeof completion_subcmds[0])

size_t completion_phrase(const char *help, char *buf, size_t cap)
{
    static const char *const stops[] = {". ", "; ", ": ", " ["};
    size_t end = strlen(help), paren = end;
    int depth = 0;
    for (size_t i = 0; help[i] && i < end; i++) {
        if (help[i] == '(' && depth++ == 0 && paren == strlen(help))
            paren = i;
        else if (help[i] == ')' && depth > 0)
            depth--;
        for (size_t k = 0; depth == 0 && i >= 10 && k < sizeof stops / sizeof *stops; k++)
            if (strncmp(help + i, stops[k], 2) == 0)
                end = i;
    }
    if (end > 60 && paren < end)
        end = paren;
    while (end && help[end - 1] == ' ')
        end--;
    int n = snprintf(buf, cap, "%.*s", (int)end, help);
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* An option's words for a menu: the table's, or the parameter's meaning. */
static void completion_describe(const struct opt_doc *d, char *buf, size_t cap)
{
    completion_phrase(d->param >= 0 ? param_spec((enum param_id)d->param)->meaning : d->help,
                      buf, cap);
}

/* The words a preset or format option of command cmd takes, separated by spaces; samplers
 * too. */
static void completion_names(FILE *out, enum opt_value v, enum opt_cmd cmd)
{
    const char *sep = "";
    if (v == OPT_VALUE_FORMAT)
        for (size_t i = 0; opt_format_name(i); i++)
            if (opt_format_takes(cmd, (enum opt_format)i)) {
                fprintf(out, "%s%s", sep, opt_format_name(i));
                sep = " ";
            }
    if (v == OPT_VALUE_THEME)
        for (size_t i = 0; tui_theme_name(i); i++)
            fprintf(out, "%s%s", i ? " " : "", tui_theme_name(i));
    if (v == OPT_VALUE_PRESET)
        for (int i = 0; i < PRESET_COUNT; i++)
            fprintf(out, "%s%s", i ? " " : "", chain_preset_name((enum chain_preset)i));
    if (v == OPT_VALUE_SAMPLERS)
        for (int i = 0; i < SAMPLER_COUNT; i++)
            fprintf(out, "%s%s", i ? " " : "", sampler_spec((enum sampler_id)i)->name);
}

/* s in a shell's single quotes: ' closes, an escaped one, and opens again; in zsh's specs
 * [ ] and backslashes are escaped too. */
static void completion_quoted(FILE *out, const char *s, bool zsh_spec)
{
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", out);
        else if (zsh_spec && (*s == '[' || *s == ']' || *s == '\\'))
            fprintf(out, "\\%c", *s);
        else
            fputc(*s, out);
    }
}

/* The commands named on the command line, separated by sep: "sweep|generate". */
static void completion_subcmd_names(FILE *out, const char *sep)
{
    for (size_t k = 0; k < COMPLETION_SUBCMDS; k++)
        fprintf(out, "%s%s", k ? sep : "", opt_cmd_name(completion_subcmds[k].cmd));
}

/* ---- bash -------------------------------------------------------------------------------- */

/* Writes pattern to a bash case arm's pattern list, wrapping long lines. */
static void bash_pattern(FILE *out, int *col, const char *cmd, const char *dashes,
                         const char *name)
{
    int len = (int)(strlen(cmd) + 1 + strlen(dashes) + strlen(name));
    if (*col == 0) {
        fputs("        ", out);
        *col = 8;
    } else if (*col + 1 + len > 94) {
        fputs("| \\\n        ", out);
        *col = 8;
    } else {
        fputc('|', out);
        (*col)++;
    }
    fprintf(out, "%s:%s%s", cmd, dashes, name);
    *col += len;
}

/* "explore:-t|explore:--temperature|explore:--temp|..." for every option whose value is of a
 * kind in `kinds` (bits 1 << enum opt_value), of the commands in `cmds`; false when there is
 * none. */
static bool bash_patterns(FILE *out, unsigned kinds, unsigned cmds)
{
    int col = 0;
    struct opt_doc d;
    enum opt_cmd c;
    for (size_t k = 0; opt_cmd_at(k, &c); k++)
        for (size_t i = 0; opt_doc(i, &d) && (cmds & c); i++) {
            if (!(kinds & 1u << d.value) || !(d.cmds & c))
                continue;
            const char *cmd = opt_cmd_name(c);
            char short_name[2] = {d.short_opt, '\0'};
            if (d.short_opt)
                bash_pattern(out, &col, cmd, "-", short_name);
            bash_pattern(out, &col, cmd, "--", d.name);
            if (d.alias)
                bash_pattern(out, &col, cmd, "--", d.alias);
        }
    if (col)
        fputs(")\n", out);
    return col != 0;
}

static void bash_option_words(FILE *out, enum opt_cmd cmd)
{
    struct opt_doc d;
    const char *sep = "";
    for (size_t i = 0; opt_doc(i, &d); i++) {
        if (!(d.cmds & cmd))
            continue;
        fprintf(out, "%s--%s", sep, d.name);
        sep = " ";
        if (d.alias)
            fprintf(out, " --%s", d.alias);
        if (d.short_opt)
            fprintf(out, " -%c", d.short_opt);
    }
}

static void completion_bash(FILE *out)
{
    fputs("# bash completion for logitscope, written by logitscope-docgen from the program's "
          "option table.\n\n"
          "_logitscope_words()\n{\n"
          "    local IFS=$' \\t\\n'\n"
          "    COMPREPLY=($(compgen -P \"$1\" -W \"$3\" -- \"$2\"))\n}\n\n"
          "_logitscope_files()\n{\n"
          "    local IFS=$'\\n'\n"
          "    [[ -z $1 ]] && compopt -o filenames 2>/dev/null\n"
          "    COMPREPLY=($(compgen -f -P \"$1\" -- \"$2\"))\n}\n\n"
          "# A list separated by , or ; : complete its last name.\n"
          "_logitscope_samplers()\n{\n"
          "    local tail=${2##*[,;]}\n"
          "    local head=${2%\"$tail\"}\n"
          "    _logitscope_words \"$1$head\" \"$tail\" \"",
          out);
    completion_names(out, OPT_VALUE_SAMPLERS, CMD_SWEEP);
    fputs("\"\n}\n\n"
          "_logitscope()\n{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd=explore i\n"
          "    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    if (( COMP_CWORD > 1 )); then\n"
          "        case ${COMP_WORDS[1]} in\n"
          "        ",
          out);
    completion_subcmd_names(out, "|");
    fputs(") cmd=${COMP_WORDS[1]} ;;\n"
          "        esac\n"
          "    fi\n"
          "    for (( i = 1; i < COMP_CWORD; i++ )); do\n"
          "        if [[ ${COMP_WORDS[i]} == -- ]]; then\n"
          "            _logitscope_files \"\" \"$cur\"\n"
          "            return\n"
          "        fi\n"
          "    done\n"
          "    # --opt=value, whether or not COMP_WORDBREAKS splits the word at =\n"
          "    local opt= val= pre=\n"
          "    if [[ $cur == --*=* ]]; then\n"
          "        opt=${cur%%=*} val=${cur#*=} pre=${cur%%=*}=\n"
          "    elif [[ $cur == = && $prev == -* ]]; then\n"
          "        opt=$prev\n"
          "    elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then\n"
          "        opt=${COMP_WORDS[COMP_CWORD-2]} val=$cur\n"
          "    elif [[ $prev == -* ]]; then\n"
          "        opt=$prev val=$cur\n"
          "    fi\n"
          "    case $cmd:$opt in\n",
          out);
    static const struct {
        enum opt_value v;
        const char *action; /* NULL: the names completion_names() gives */
    } arms[] = {
        {OPT_VALUE_FILE, "_logitscope_files \"$pre\" \"$val\""},
        {OPT_VALUE_SAMPLERS, "_logitscope_samplers \"$pre\" \"$val\""},
        {OPT_VALUE_PRESET, NULL},
        {OPT_VALUE_FORMAT, NULL}, /* one arm per command: each takes its own formats */
        {OPT_VALUE_THEME, NULL},
        {OPT_VALUE_NUMBER, "COMPREPLY=()"}, /* typed by hand, as OPT_VALUE_TEXT */
    };
    for (size_t a = 0; a < sizeof arms / sizeof arms[0]; a++) {
        unsigned kinds = 1u << arms[a].v;
        if (arms[a].v == OPT_VALUE_NUMBER)
            kinds |= 1u << OPT_VALUE_TEXT;
        enum opt_cmd c;
        bool per_cmd = arms[a].v == OPT_VALUE_FORMAT;
        for (size_t k = 0; per_cmd ? opt_cmd_at(k, &c) : k == 0; k++) {
            if (!bash_patterns(out, kinds, per_cmd ? (unsigned)c : OPT_CMDS))
                continue;
            if (arms[a].action) {
                fprintf(out, "            %s\n", arms[a].action);
            } else {
                fputs("            _logitscope_words \"$pre\" \"$val\" \"", out);
                completion_names(out, arms[a].v, per_cmd ? c : CMD_SWEEP);
                fputs("\"\n", out);
            }
            fputs("            return ;;\n", out);
        }
    }
    fputs("    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        case $cmd in\n",
          out);
    enum opt_cmd c;
    for (size_t k = 0; opt_cmd_at(k, &c); k++) {
        fprintf(out, "        %s) _logitscope_words \"\" \"$cur\" \"", opt_cmd_name(c));
        bash_option_words(out, c);
        fputs("\" ;;\n", out);
    }
    fputs("        esac\n"
          "        return\n"
          "    fi\n"
          "    # generate reads no file\n"
          "    [[ $cmd == generate ]] || _logitscope_files \"\" \"$cur\"\n"
          "    if [[ $cmd == explore ]] && (( COMP_CWORD == 1 )); then\n"
          "        COMPREPLY+=($(compgen -W \"",
          out);
    completion_subcmd_names(out, " ");
    fputs("\" -- \"$cur\"))\n"
          "    fi\n"
          "}\n\n"
          "complete -F _logitscope logitscope\n",
          out);
}

/* ---- zsh --------------------------------------------------------------------------------- */

/* One _arguments spec: '(excl)'{-t+,--temperature=,--temp=}'[words]:T: ' */
static void zsh_spec(FILE *out, const struct opt_doc *d, enum opt_cmd cmd, bool repeatable)
{
    char words[256];
    completion_describe(d, words, sizeof words);
    const char *arg = d->metavar ? "=" : "";
    int names = 1 + (d->short_opt != 0) + (d->alias != NULL);
    fputs("        ", out);
    if (repeatable) {
        fputs("'*'", out);
    } else {
        fputs("'(", out);
        if (d->short_opt)
            fprintf(out, "-%c ", d->short_opt);
        fprintf(out, "--%s", d->name);
        if (d->alias)
            fprintf(out, " --%s", d->alias);
        fputs(")'", out);
    }
    fputs(names > 1 ? "{" : "", out);
    if (d->short_opt)
        fprintf(out, "-%c%s,", d->short_opt, d->metavar ? "+" : "");
    fprintf(out, "--%s%s", d->name, arg);
    if (d->alias)
        fprintf(out, ",--%s%s", d->alias, arg);
    fputs(names > 1 ? "}'[" : "'[", out);
    completion_quoted(out, words, true);
    fputc(']', out);
    if (d->metavar) {
        fputc(':', out);
        completion_quoted(out, d->metavar, true);
        switch (d->value) {
        case OPT_VALUE_FILE: fputs(":_files", out); break;
        case OPT_VALUE_SAMPLERS: fputs(":_logitscope_samplers", out); break;
        case OPT_VALUE_PRESET:
        case OPT_VALUE_FORMAT:
        case OPT_VALUE_THEME:
            fputs(":(", out);
            completion_names(out, d->value, cmd);
            fputc(')', out);
            break;
        default: fputs(": ", out); break;
        }
    }
    fputs("'\n", out);
}

static void zsh_specs(FILE *out, enum opt_cmd cmd)
{
    struct opt_doc d;
    for (size_t i = 0; opt_doc(i, &d); i++)
        if (d.cmds & cmd)
            zsh_spec(out, &d, cmd, cmd == CMD_SWEEP && d.param >= 0);
}

static void completion_zsh(FILE *out)
{
    fputs("#compdef logitscope\n"
          "# zsh completion for logitscope, written by logitscope-docgen from the program's "
          "option table.\n\n"
          "_logitscope_samplers() {\n"
          "    _values -s , sampler",
          out);
    for (int i = 0; i < SAMPLER_COUNT; i++) {
        const struct sampler_spec *s = sampler_spec((enum sampler_id)i);
        char words[256];
        completion_phrase(s->meaning, words, sizeof words);
        fprintf(out, " \\\n        '%s[", s->name);
        completion_quoted(out, words, true);
        fputs("]'", out);
    }
    fputs("\n}\n\n"
          "_logitscope() {\n"
          "    local curcontext=$curcontext state line ret=1\n"
          "    local -a args\n",
          out);
    /* one branch per command named on the command line; sweep reads a FILE, generate none */
    for (size_t k = 0; k < COMPLETION_SUBCMDS; k++) {
        enum opt_cmd c = completion_subcmds[k].cmd;
        fprintf(out,
                "    %s (( CURRENT > 2 )) && [[ $words[2] == %s ]]; then\n"
                "        shift words\n"
                "        (( CURRENT-- ))\n"
                "        curcontext=${curcontext%%:*:*}:logitscope-%s:\n"
                "        args=(\n",
                k ? "elif" : "if", opt_cmd_name(c), opt_cmd_name(c));
        zsh_specs(out, c);
        if (c == CMD_SWEEP)
            fputs("        '1::FILE:_files'\n", out);
        fputs("        )\n"
              "        _arguments -s -S : $args && ret=0\n",
              out);
    }
    fputs("    else\n"
          "        args=(\n",
          out);
    zsh_specs(out, CMD_EXPLORE);
    fputs("        '1::FILE:->first'\n"
          "        )\n"
          "        _arguments -C -s -S : $args && ret=0\n"
          "        # sweep and generate are commands only as the first word\n"
          "        if [[ $state == first ]] && (( CURRENT == 2 )); then\n"
          "            _alternative 'commands:command:((",
          out);
    for (size_t k = 0; k < COMPLETION_SUBCMDS; k++)
        fprintf(out, "%s%s\\:\"%s\"", k ? " " : "", opt_cmd_name(completion_subcmds[k].cmd),
                completion_subcmds[k].what);
    fputs("))' \\\n"
          "                'files:file:_files' && ret=0\n"
          "        elif [[ $state == first ]]; then\n"
          "            _files && ret=0\n"
          "        fi\n"
          "    fi\n"
          "    return ret\n"
          "}\n\n"
          "_logitscope \"$@\"\n",
          out);
}

/* ---- fish -------------------------------------------------------------------------------- */

static void fish_quoted(FILE *out, const char *s)
{
    fputc('\'', out);
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('\'', out);
}

/* One `complete` line for the commands in cmds (a format's names are those of cmd). */
static void fish_option(FILE *out, const struct opt_doc *d, unsigned cmds, enum opt_cmd cmd)
{
    char words[256];
    completion_describe(d, words, sizeof words);
    fputs("complete -c logitscope", out);
    if ((cmds & OPT_CMDS) != OPT_CMDS) {
        enum opt_cmd c;
        fputs(" -n '__logitscope_in", out);
        for (size_t k = 0; opt_cmd_at(k, &c); k++)
            if (cmds & c)
                fprintf(out, " %s", opt_cmd_name(c));
        fputc('\'', out);
    }
    if (d->short_opt)
        fprintf(out, " -s %c", d->short_opt);
    fprintf(out, " -l %s", d->name);
    if (d->alias)
        fprintf(out, " -l %s", d->alias);
    switch (d->value) {
    case OPT_VALUE_NONE: break;
    case OPT_VALUE_FILE: fputs(" -r -F", out); break;
    case OPT_VALUE_SAMPLERS: fputs(" -x -a '(__logitscope_samplers)'", out); break;
    case OPT_VALUE_PRESET:
    case OPT_VALUE_FORMAT:
    case OPT_VALUE_THEME:
        fputs(" -x -a '", out);
        completion_names(out, d->value, cmd);
        fputc('\'', out);
        break;
    default: fputs(" -x", out); break;
    }
    fputs(" -d ", out);
    fish_quoted(out, words);
    fputc('\n', out);
}

static void completion_fish(FILE *out)
{
    fputs("# fish completion for logitscope, written by logitscope-docgen from the program's "
          "option table.\n\n"
          "# Is the command on the line (explore when none is named) one of the arguments?\n"
          "function __logitscope_in\n"
          "    set -l words (commandline -opc)\n"
          "    set -l cmd explore\n"
          "    if test (count $words) -ge 2; and contains -- $words[2]",
          out);
    fputc(' ', out);
    completion_subcmd_names(out, " ");
    fputs("\n"
          "        set cmd $words[2]\n"
          "    end\n"
          "    contains -- $cmd $argv\n"
          "end\n\n"
          "function __logitscope_first\n"
          "    test (count (commandline -opc)) -eq 1\n"
          "end\n\n"
          "# A list separated by , or ; : every name after what is typed up to the last one.\n"
          "function __logitscope_samplers\n"
          "    set -l typed (string replace -r -- '^--samplers=' '' (commandline -ct))\n"
          "    set -l head (string match -r -- '^.*[,;]' $typed)\n"
          "    for name in ",
          out);
    completion_names(out, OPT_VALUE_SAMPLERS, CMD_SWEEP);
    fputs("\n"
          "        echo $head$name\n"
          "    end\n"
          "end\n\n",
          out);
    for (size_t k = 0; k < COMPLETION_SUBCMDS; k++) {
        fprintf(out, "complete -c logitscope -n __logitscope_first -a %s -d ",
                opt_cmd_name(completion_subcmds[k].cmd));
        fish_quoted(out, completion_subcmds[k].what);
        fputc('\n', out);
    }
    struct opt_doc d;
    for (size_t i = 0; opt_doc(i, &d); i++) {
        if (d.value != OPT_VALUE_FORMAT) {
            fish_option(out, &d, d.cmds, CMD_SWEEP);
            continue;
        }
        enum opt_cmd c; /* each command its own formats */
        for (size_t k = 0; opt_cmd_at(k, &c); k++)
            if (d.cmds & c)
                fish_option(out, &d, c, c);
    }
}

int completion_write(const char *shell, FILE *out)
{
    if (strcmp(shell, "bash") == 0)
        completion_bash(out);
    else if (strcmp(shell, "zsh") == 0)
        completion_zsh(out);
    else if (strcmp(shell, "fish") == 0)
        completion_fish(out);
    else
        return 1;
    fflush(out);
    return ferror(out) ? -1 : 0;
}
