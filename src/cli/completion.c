/* completion.c: the shell completions, from the option table (opt_doc) and the names the
 * engine knows (samplers, presets) and --format takes. Each shell gets one function that
 * tells `logitscope sweep ...` from the explorer, offers that command's options, and
 * completes their values: files, presets, formats, sampler lists. */
#include "completion.h"

#include <stdbool.h>
#include <string.h>

#include "logitscope/sampler.h"
#include "options.h"
#include "tui.h"

static const struct {
    enum opt_cmd cmd;
    const char *name; /* as the scripts call it */
} completion_cmds[] = {{CMD_EXPLORE, "explore"}, {CMD_SWEEP, "sweep"}};

#define COMPLETION_CMDS (sizeof completion_cmds / sizeof completion_cmds[0])

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

/* The words a preset or format option takes, separated by spaces; samplers too. */
static void completion_names(FILE *out, enum opt_value v)
{
    if (v == OPT_VALUE_FORMAT)
        for (size_t i = 0; opt_format_name(i); i++)
            fprintf(out, "%s%s", i ? " " : "", opt_format_name(i));
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
 * kind in `kinds` (bits 1 << enum opt_value), every command; false when there is none. */
static bool bash_patterns(FILE *out, unsigned kinds)
{
    int col = 0;
    struct opt_doc d;
    for (size_t c = 0; c < COMPLETION_CMDS; c++)
        for (size_t i = 0; opt_doc(i, &d); i++) {
            if (!(kinds & 1u << d.value) || !(d.cmds & completion_cmds[c].cmd))
                continue;
            const char *cmd = completion_cmds[c].name;
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
    completion_names(out, OPT_VALUE_SAMPLERS);
    fputs("\"\n}\n\n"
          "_logitscope()\n{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd=explore i\n"
          "    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    (( COMP_CWORD > 1 )) && [[ ${COMP_WORDS[1]} == sweep ]] && cmd=sweep\n"
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
        {OPT_VALUE_FORMAT, NULL},
        {OPT_VALUE_THEME, NULL},
        {OPT_VALUE_NUMBER, "COMPREPLY=()"}, /* typed by hand, as OPT_VALUE_TEXT */
    };
    for (size_t a = 0; a < sizeof arms / sizeof arms[0]; a++) {
        unsigned kinds = 1u << arms[a].v;
        if (arms[a].v == OPT_VALUE_NUMBER)
            kinds |= 1u << OPT_VALUE_TEXT;
        if (!bash_patterns(out, kinds))
            continue;
        if (arms[a].action) {
            fprintf(out, "            %s\n", arms[a].action);
        } else {
            fputs("            _logitscope_words \"$pre\" \"$val\" \"", out);
            completion_names(out, arms[a].v);
            fputs("\"\n", out);
        }
        fputs("            return ;;\n", out);
    }
    fputs("    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        if [[ $cmd == sweep ]]; then\n"
          "            _logitscope_words \"\" \"$cur\" \"",
          out);
    bash_option_words(out, CMD_SWEEP);
    fputs("\"\n"
          "        else\n"
          "            _logitscope_words \"\" \"$cur\" \"",
          out);
    bash_option_words(out, CMD_EXPLORE);
    fputs("\"\n"
          "        fi\n"
          "        return\n"
          "    fi\n"
          "    _logitscope_files \"\" \"$cur\"\n"
          "    if [[ $cmd == explore ]] && (( COMP_CWORD == 1 )); then\n"
          "        COMPREPLY+=($(compgen -W sweep -- \"$cur\"))\n"
          "    fi\n"
          "}\n\n"
          "complete -F _logitscope logitscope\n",
          out);
}

/* ---- zsh --------------------------------------------------------------------------------- */

/* One _arguments spec: '(excl)'{-t+,--temperature=,--temp=}'[words]:T: ' */
static void zsh_spec(FILE *out, const struct opt_doc *d, bool repeatable)
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
            completion_names(out, d->value);
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
            zsh_spec(out, &d, cmd == CMD_SWEEP && d.param >= 0);
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
          "    local -a args\n"
          "    if (( CURRENT > 2 )) && [[ $words[2] == sweep ]]; then\n"
          "        shift words\n"
          "        (( CURRENT-- ))\n"
          "        curcontext=${curcontext%:*:*}:logitscope-sweep:\n"
          "        args=(\n",
          out);
    zsh_specs(out, CMD_SWEEP);
    fputs("        '1::FILE:_files'\n"
          "        )\n"
          "        _arguments -s -S : $args && ret=0\n"
          "    else\n"
          "        args=(\n",
          out);
    zsh_specs(out, CMD_EXPLORE);
    fputs("        '1::FILE:->first'\n"
          "        )\n"
          "        _arguments -C -s -S : $args && ret=0\n"
          "        # sweep is a command only as the first word\n"
          "        if [[ $state == first ]] && (( CURRENT == 2 )); then\n"
          "            _alternative 'commands:command:((sweep\\:\"print distributions for many "
          "settings\"))' \\\n"
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

static void fish_option(FILE *out, const struct opt_doc *d)
{
    char words[256];
    completion_describe(d, words, sizeof words);
    fputs("complete -c logitscope", out);
    if (d->cmds == CMD_SWEEP)
        fputs(" -n __logitscope_sweep", out);
    else if (d->cmds == CMD_EXPLORE)
        fputs(" -n 'not __logitscope_sweep'", out);
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
        completion_names(out, d->value);
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
          "function __logitscope_sweep\n"
          "    set -l words (commandline -opc)\n"
          "    test (count $words) -ge 2; and test \"$words[2]\" = sweep\n"
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
    completion_names(out, OPT_VALUE_SAMPLERS);
    fputs("\n"
          "        echo $head$name\n"
          "    end\n"
          "end\n\n"
          "complete -c logitscope -n __logitscope_first -a sweep "
          "-d 'print distributions for many settings'\n",
          out);
    struct opt_doc d;
    for (size_t i = 0; opt_doc(i, &d); i++)
        fish_option(out, &d);
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
