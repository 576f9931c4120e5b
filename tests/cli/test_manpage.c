/* test_manpage.c: the generated logitscope.1 (its path is argv[1]) against the tables it is
 * written from: every option of both commands, every sampler and preset, every key of the key
 * map, in their sections; every example is a command line the parser accepts; and the roff
 * escaping that keeps text from being read as requests. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../src/cli/manpage.h"
#include "../src/cli/options.h"
#include "keymap.h"
#include "logitscope/sampler.h"
#include "tap.h"

#define MAN_LINES_MAX 4096

struct man {
    char *text;
    char *line[MAN_LINES_MAX]; /* raw roff, one per line */
    char *plain[MAN_LINES_MAX]; /* the same without escapes and font changes */
    size_t n;
};

/* Roff text as a reader sees it: \- is -, \e is \, \(aq ' and so on; font changes and \&
 * vanish. */
static char *man_plain(const char *s)
{
    static const struct {
        const char *esc, *plain;
    } escapes[] = {{"\\-", "-"},     {"\\e", "\\"},    {"\\(aq", "'"}, {"\\(ga", "`"},
                   {"\\(dq", "\""},  {"\\(lq", "\""},  {"\\(rq", "\""}, {"\\&", ""},
                   {"\\fB", ""},     {"\\fI", ""},     {"\\fR", ""},   {"\\fP", ""}};
    char *out = malloc(strlen(s) + 1), *o = out;
    while (*s) {
        size_t k = 0, n = sizeof escapes / sizeof escapes[0];
        while (k < n && strncmp(s, escapes[k].esc, strlen(escapes[k].esc)) != 0)
            k++;
        if (k < n) {
            strcpy(o, escapes[k].plain);
            o += strlen(escapes[k].plain);
            s += strlen(escapes[k].esc);
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

static bool man_load(struct man *m, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    m->text = malloc((size_t)size + 1);
    size_t got = fread(m->text, 1, (size_t)size, f);
    fclose(f);
    m->text[got] = '\0';
    m->n = 0;
    for (char *p = m->text; *p && m->n < MAN_LINES_MAX;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        m->line[m->n] = p;
        m->plain[m->n++] = man_plain(p);
        p = nl ? nl + 1 : p + strlen(p);
    }
    return true;
}

static void man_free(struct man *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->plain[i]);
    free(m->text);
}

/* The lines [*from, *to) of section `name` (".SH NAME" or ".SH \"NAME\""). */
static bool man_section(const struct man *m, const char *name, size_t *from, size_t *to)
{
    char want[64], quoted[64];
    snprintf(want, sizeof want, ".SH %s", name);
    snprintf(quoted, sizeof quoted, ".SH \"%s\"", name);
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->line[i], want) == 0 || strcmp(m->line[i], quoted) == 0) {
            size_t j = i + 1;
            while (j < m->n && strncmp(m->line[j], ".SH ", 4) != 0)
                j++;
            *from = i + 1;
            *to = j;
            return true;
        }
    return false;
}

/* The line after .TP whose plain text is `head`, in section `name`: its index, or 0. */
static size_t man_item(const struct man *m, const char *name, const char *head)
{
    size_t from, to;
    if (!man_section(m, name, &from, &to))
        return 0;
    for (size_t i = from; i + 1 < to; i++)
        if (strcmp(m->line[i], ".TP") == 0 && strcmp(m->plain[i + 1], head) == 0)
            return i + 1;
    return 0;
}

/* Whether the plain text of the lines after item i (up to the next .TP or heading) contains s. */
static bool man_item_says(const struct man *m, size_t i, const char *s)
{
    for (size_t j = i + 1; j < m->n && m->line[j][0] != '.'; j++)
        if (strstr(m->plain[j], s))
            return true;
    return false;
}

/* "-t, --temperature=T, --temp=T": the head of an option's item, as the tables give it. */
static void option_head(const struct opt_doc *d, char *buf, size_t cap)
{
    size_t n = 0;
    if (d->short_opt)
        n += (size_t)snprintf(buf, cap, "-%c, ", d->short_opt);
    n += (size_t)snprintf(buf + n, cap - n, "--%s%s%s", d->name, d->metavar ? "=" : "",
                          d->metavar ? d->metavar : "");
    if (d->alias)
        snprintf(buf + n, cap - n, ", --%s%s%s", d->alias, d->metavar ? "=" : "",
                 d->metavar ? d->metavar : "");
}

static void test_options(const struct man *m)
{
    struct opt_doc d;
    size_t count = 0;
    unsigned cmds_seen = 0;
    for (size_t i = 0; opt_doc(i, &d); i++, count++) {
        char head[160];
        option_head(&d, head, sizeof head);
        size_t at = man_item(m, "OPTIONS", head);
        tap_ok(at != 0, "OPTIONS has an item \"%s\"", head);
        if (!at)
            continue;
        cmds_seen |= d.cmds;
        if (opt_cmds_note(d.cmds))
            tap_ok(man_item_says(m, at, opt_cmds_note(d.cmds)), "--%s is marked %s", d.name,
                   opt_cmds_note(d.cmds));
        if (d.param >= 0) {
            const struct param_spec *ps = param_spec((enum param_id)d.param);
            tap_ok(man_item_says(m, at, ps->meaning) && man_item_says(m, at, ps->allowed),
                   "--%s says what it does and what it allows (%s)", d.name, ps->allowed);
            struct params def = params_default();
            char shown[64], want[80];
            param_format(&def, (enum param_id)d.param, shown, sizeof shown);
            snprintf(want, sizeof want, "Default: %s.", shown);
            tap_ok(man_item_says(m, at, want), "--%s gives its default: %s", d.name, want);
        } else {
            tap_ok(man_item_says(m, at, d.help), "--%s has the words of --help", d.name);
        }
    }
    tap_ok(count > PARAM_COUNT && cmds_seen == OPT_CMDS,
           "the table has %zu options, for every command", count);
    TAP_EQ_STR(opt_cmds_note(CMD_SWEEP), "(sweep only)", "a note: sweep only");
    TAP_EQ_STR(opt_cmds_note(CMD_EXPLORE | CMD_GENERATE), "(explorer and generate)",
               "a note: two commands");
    tap_ok(opt_cmds_note(OPT_CMDS) == NULL, "no note for every command");
}

static void test_samplers(const struct man *m)
{
    for (int i = 0; i < SAMPLER_COUNT; i++) {
        const struct sampler_spec *s = sampler_spec((enum sampler_id)i);
        char head[96];
        if (s->letter)
            snprintf(head, sizeof head, "%s (letter %c)", s->name, s->letter);
        else
            snprintf(head, sizeof head, "%s (not in llama.cpp)", s->name);
        size_t at = man_item(m, "SAMPLERS", head);
        tap_ok(at && man_item_says(m, at, s->meaning), "SAMPLERS: \"%s\" and its rule", head);
        for (int k = 0; at && k < s->n_params; k++)
            tap_ok(man_item_says(m, at, param_spec(s->params[k])->flag), "%s lists %s", s->name,
                   param_spec(s->params[k])->flag);
    }
    for (int i = 0; i < PRESET_COUNT; i++) {
        struct chain c = chain_preset((enum chain_preset)i);
        char names[256];
        chain_format(&c, ";", names, sizeof names);
        const char *name = chain_preset_name((enum chain_preset)i);
        size_t at = man_item(m, "SAMPLERS", name);
        if (!at) {
            char def[64];
            snprintf(def, sizeof def, "%s (the default)", name);
            at = man_item(m, "SAMPLERS", def);
        }
        tap_ok(at && man_item_says(m, at, names), "preset %s is %s", name, names);
    }
}

static void test_keys(const struct man *m)
{
    size_t n;
    const struct keymap_binding *b = keymap_bindings(&n);
    for (size_t i = 0; i < n; i++) {
        size_t at = man_item(m, "KEYS", b[i].help.ascii_keys);
        tap_ok(at && man_item_says(m, at, b[i].help.what), "KEYS: %s: %s", b[i].help.ascii_keys,
               b[i].help.what);
    }
}

/* Each example's words through the parser of its command. */
static void test_examples(const struct man *m)
{
    size_t n, from, to;
    const struct manpage_example *e = manpage_examples(&n);
    bool have = man_section(m, "EXAMPLES", &from, &to);
    for (size_t i = 0; i < n; i++) {
        char words[512];
        char *argv[32];
        int argc = 0;
        snprintf(words, sizeof words, "%s", e[i].command);
        for (char *w = strtok(words, " "); w && argc < 31; w = strtok(NULL, " "))
            argv[argc++] = w;
        argv[argc] = NULL;
        enum opt_cmd cmd = CMD_EXPLORE, c;
        for (size_t k = 0; argc > 1 && opt_cmd_at(k, &c); k++)
            if (c != CMD_EXPLORE && strcmp(argv[1], opt_cmd_name(c)) == 0)
                cmd = c;
        int skip = cmd != CMD_EXPLORE;
        struct cli_opts o;
        struct ls_error err = {{0}};
        enum opt_parsed r = opt_parse(argc - skip, argv + skip, cmd, &o, &err);
        if (r != OPT_RUN)
            printf("# %s\n", err.msg);
        tap_ok(argc > 0 && strcmp(argv[0], "logitscope") == 0 && r == OPT_RUN,
               "the example `%s` is accepted", e[i].command);
        opt_free(&o);
        bool shown = false;
        for (size_t k = from; have && k < to; k++)
            shown |= strcmp(m->plain[k], e[i].command) == 0;
        tap_ok(shown, "EXAMPLES shows `%s`", e[i].command);
    }
}

static void test_sections(const struct man *m)
{
    static const char *const names[] = {"NAME",  "SYNOPSIS",    "DESCRIPTION", "OPTIONS",
                                        "SAMPLERS", "KEYS",     "FILES",       "ENVIRONMENT",
                                        "EXIT STATUS", "EXAMPLES"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t from, to;
        tap_ok(man_section(m, names[i], &from, &to) && to > from, "section %s", names[i]);
    }
    static const char *const env[] = {"NO_COLOR", "LOGITSCOPE_DATA", "SOURCE_DATE_EPOCH",
                                      "LOGITSCOPE_LM"};
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++)
        tap_ok(man_item(m, "ENVIRONMENT", env[i]) != 0, "ENVIRONMENT: %s", env[i]);
    /* the synopsis is --help's usage lines: each of them, for both commands */
    size_t from, to;
    man_section(m, "SYNOPSIS", &from, &to);
    enum opt_cmd c;
    for (size_t ci = 0; opt_cmd_at(ci, &c); ci++) {
        const char *u = opt_intro(c)->usage;
        while (*u) {
            size_t len = strcspn(u, "\n");
            char want[256];
            snprintf(want, sizeof want, "%.*s", (int)len, u);
            const char *words = want + strspn(want, " ");
            if (strncmp(words, "Usage: ", 7) == 0)
                words += 7;
            bool found = false;
            for (size_t k = from; k < to; k++)
                found |= strcmp(m->plain[k], words) == 0;
            tap_ok(found, "SYNOPSIS: %s", words);
            u += len + (u[len] == '\n');
        }
    }
}

/* What manpage_text writes for s, in buf. */
static const char *roff_of(const char *s, char *buf, size_t cap)
{
    FILE *f = fmemopen(buf, cap, "w");
    manpage_text(f, s);
    fclose(f);
    return buf;
}

static void test_escaping(void)
{
    char buf[256];
    TAP_EQ_STR(roff_of(".TP at the start", buf, sizeof buf), "\\&.TP at the start",
               "a line that starts with a dot stays text");
    TAP_EQ_STR(roff_of("'quoted", buf, sizeof buf), "\\&\\(aqquoted",
               "so does one that starts with a quote");
    TAP_EQ_STR(roff_of("a\\b --x", buf, sizeof buf), "a\\eb \\-\\-x",
               "backslashes and dashes are escaped");
    TAP_EQ_STR(roff_of("two\n.lines\n", buf, sizeof buf), "two .lines",
               "a newline is a space, never the start of a request");
    TAP_EQ_STR(roff_of("\xcf\x83 \xff", buf, sizeof buf), "\\[u03C3] \\[uFFFD]",
               "non-ASCII as \\[uXXXX], a bad byte as U+FFFD");
}

int main(int argc, char **argv)
{
    struct man m;
    if (argc != 2 || !man_load(&m, argv[1])) {
        printf("Bail out! usage: test_manpage logitscope.1\n");
        return 1;
    }
    test_sections(&m);
    test_options(&m);
    test_samplers(&m);
    test_keys(&m);
    test_examples(&m);
    test_escaping();
    man_free(&m);
    return tap_done();
}
