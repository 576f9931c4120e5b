/* test_script.c: key scripts: every command, captions (say) among them, and every kind of bad
 * line refused with its SCRIPT:LINE: prefix. */
#include <stdlib.h>
#include <unistd.h>

#include "keys.h"
#include "script.h"
#include "tap.h"

static int parse(struct script *s, const char *text, struct ls_error *err)
{
    return script_parse(s, "lesson.play", text, strlen(text), err);
}

static void test_good(void)
{
    struct script s;
    struct ls_error err = {{0}};
    const char *text = "# the lab, in short\n"
                       "\n"
                       "  Right 3   # three steps\n"
                       "sleep 1.5s\n"
                       "set delay 40ms\n"
                       "type \"a\\\"\\\\\\n\"\n"
                       "Ctrl+X\n"
                       "PageDown\n"
                       "F12 2\n"
                       "sleep 250ms\n"
                       "?\n"
                       "q\n";
    int rc = parse(&s, text, &err);
    tap_ok(rc == 0, "a script with every command parses (%s)", err.msg);
    if (rc != 0)
        return;
    TAP_EQ_INT(s.n, 15, "15 steps: 3 keys, a sleep, 4 typed, Ctrl+X, PageDown, 2 F12, sleep, ?, q");
    TAP_EQ_INT(s.events[0].key, KEYC_RIGHT, "Right");
    TAP_EQ_INT(s.events[0].wait_ms, SCRIPT_DEFAULT_DELAY_MS, "default delay after a key");
    TAP_EQ_INT(s.events[0].line, 3, "events remember their line");
    TAP_EQ_INT(s.events[3].key, KEYC_NONE, "sleep is a pause without a key");
    TAP_EQ_INT(s.events[3].wait_ms, 1500, "sleep 1.5s is 1500 ms");
    TAP_EQ_INT(s.events[4].key, 'a', "type: a");
    TAP_EQ_INT(s.events[4].wait_ms, 40, "set delay applies to later keys");
    TAP_EQ_INT(s.events[5].key, '"', "type: escaped quote");
    TAP_EQ_INT(s.events[6].key, '\\', "type: escaped backslash");
    TAP_EQ_INT(s.events[7].key, KEYC_ENTER, "type: \\n is Enter");
    TAP_EQ_INT(s.events[8].key, KEYC_CTRL('x'), "Ctrl+X");
    TAP_EQ_INT(s.events[9].key, KEYC_PAGEDOWN, "PageDown");
    TAP_EQ_INT(s.events[11].key, KEYC_F(12), "F12 twice");
    TAP_EQ_INT(s.events[13].key, '?', "a single character key");
    TAP_EQ_INT(s.total_ms, 3 * 100 + 1500 + 8 * 40 + 250 + 2 * 40, "total running time");
    for (size_t i = 0; i < s.n; i++)
        if (s.events[i].say != -1)
            tap_ok(0, "step %zu is not a caption", i);
    TAP_EQ_INT(s.n_says, 0, "no captions");
    script_free(&s);
    TAP_EQ_INT(parse(&s, "", &err), 0, "an empty script is fine");
    TAP_EQ_INT(s.n, 0, "and has no steps");
    script_free(&s);
}

/* say "text": a step with no key and no wait, its text kept as written after \" and \\ (the
 * view escapes it); say "" is a caption too, the empty one. */
static void test_say(void)
{
    struct script s;
    struct ls_error err = {{0}};
    const char *text = "say \"T divides the logits\"   # the first caption\n"
                       "Right 2\n"
                       "SAY \"a \\\"quoted\\\" word, a \\\\ and # no comment\"\n"
                       "sleep 1s\n"
                       "say \"\"\n"
                       "say \"caf\xc3\xa9 \x1b[2J\t\xff\"\n";
    int rc = parse(&s, text, &err);
    tap_ok(rc == 0, "a script with captions parses (%s)", err.msg);
    if (rc != 0)
        return;
    TAP_EQ_INT(s.n, 7, "7 steps: a caption, 2 keys, a caption, a sleep, 2 captions");
    TAP_EQ_INT(s.n_says, 4, "4 captions");
    TAP_EQ_INT(s.events[0].say, 0, "the first step shows caption 0");
    TAP_EQ_INT(s.events[0].key, KEYC_NONE, "a caption presses no key");
    TAP_EQ_INT(s.events[0].wait_ms, 0, "and takes no time");
    TAP_EQ_INT(s.events[0].line, 1, "and remembers its line");
    TAP_EQ_INT(s.events[1].say, -1, "a key is not a caption");
    TAP_EQ_INT(s.events[3].say, 1, "SAY in capitals is say");
    TAP_EQ_INT(s.events[5].say, 2, "say \"\" is a step");
    TAP_EQ_INT(s.events[6].line, 6, "the last caption is on line 6");
    TAP_EQ_STR(s.says[0], "T divides the logits", "the text without its quotes");
    TAP_EQ_STR(s.says[1], "a \"quoted\" word, a \\ and # no comment",
               "\\\" and \\\\ are a quote and a backslash; # inside the quotes is text");
    TAP_EQ_STR(s.says[2], "", "say \"\": the empty caption");
    TAP_EQ_STR(s.says[3], "caf\xc3\xa9 \x1b[2J\t\xff",
               "other bytes are kept as they are (the view escapes them)");
    TAP_EQ_INT(s.total_ms, 2 * 100 + 1000, "captions add no time");
    script_free(&s);
    /* the longest caption */
    char max[SCRIPT_SAY_MAX + 16];
    memcpy(max, "say \"", 5);
    memset(max + 5, 'x', SCRIPT_SAY_MAX);
    strcpy(max + 5 + SCRIPT_SAY_MAX, "\"");
    TAP_EQ_INT(parse(&s, max, &err), 0, "a caption of SCRIPT_SAY_MAX bytes");
    TAP_EQ_INT(s.n_says == 1 ? strlen(s.says[0]) : 0, SCRIPT_SAY_MAX, "kept whole");
    script_free(&s);
}

static void test_bad(void)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"Right\nRigt\n", "lesson.play:2: unknown key or command \"Rigt\""},
        {"Right 0", "lesson.play:1: the count must be a whole number from 1 to 10000"},
        {"Right 10001", "lesson.play:1: the count must be"},
        {"Right -2", "lesson.play:1: the count must be"},
        {"Right 3 4", "lesson.play:1: a key takes at most a count"},
        {"sleep", "lesson.play:1: sleep takes one duration"},
        {"sleep 5", "lesson.play:1: a duration needs a unit"},
        {"sleep -1s", "lesson.play:1: not a duration"},
        {"sleep 2h", "lesson.play:1: a duration needs a unit"},
        {"sleep 7200s", "lesson.play:1: not a duration"},
        {"sleep abcms", "lesson.play:1: not a duration"},
        {"set delay", "lesson.play:1: set takes"},
        {"set speed 5ms", "lesson.play:1: set takes"},
        {"type abc", "lesson.play:1: type takes a quoted text"},
        {"type \"abc", "lesson.play:1: type takes a quoted text"},
        {"type \"a\\qb\"", "lesson.play:1: unknown escape"},
        {"type \"a\" \"b\"", "lesson.play:1: type takes one quoted text"},
        {"a b c d e", "lesson.play:1: too many words"},
        {"Resize", "lesson.play:1: unknown key or command"},
        {"\n\n\nq\nCtrl+", "lesson.play:5: unknown key or command"},
        {"Right\nsay", "lesson.play:2: say takes one quoted text"},
        {"say hello", "lesson.play:1: say takes a quoted text, e.g. say \"T divides the logits\": "
                      "got \"hello\""},
        {"say \"a\" \"b\"", "lesson.play:1: say takes one quoted text"},
        {"say \"a\"b", "lesson.play:1: say takes one quoted text"},
        {"say \"unclosed", "lesson.play:1: say takes a quoted text"},
        {"\nsay \"ends in \\\"", "lesson.play:2: say text has no closing quote"},
        {"sleep 1s\n\n\nsay \"a\\nb\"", "lesson.play:4: unknown escape in say text (a caption is "
                                       "one line; use \\\" \\\\): \"\\n\""},
        {"say \"tab\\t\"", "lesson.play:1: unknown escape in say text"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct script s;
        struct ls_error err = {{0}};
        int rc = parse(&s, cases[i].text, &err);
        tap_ok(rc < 0 && strncmp(err.msg, cases[i].want, strlen(cases[i].want)) == 0 && s.n == 0,
               "refused: %s", err.msg);
    }
    struct script s;
    struct ls_error err;
    const char nul[] = "Right\n\0q\n";
    tap_ok(script_parse(&s, "n.play", nul, sizeof nul - 1, &err) < 0 &&
               strstr(err.msg, "n.play:2: the line holds a NUL byte"),
           "NUL byte refused: %s", err.msg);
    tap_ok(script_load(&s, "/nonexistent/x.play", &err) < 0 &&
               strstr(err.msg, "/nonexistent/x.play: cannot open"),
           "missing file: %s", err.msg);
    tap_ok(script_load(&s, "/", &err) < 0 && strcmp(err.msg, "/: cannot read: Is a directory") == 0,
           "a directory says so: %s", err.msg);
    /* one byte over the longest caption, and a caption past a bad line is not kept */
    char over[SCRIPT_SAY_MAX + 32];
    memcpy(over, "Left\nsay \"", 10);
    memset(over + 10, 'x', SCRIPT_SAY_MAX + 1);
    strcpy(over + 10 + SCRIPT_SAY_MAX + 1, "\"");
    tap_ok(parse(&s, over, &err) < 0 && s.n == 0 && s.n_says == 0 && s.says == NULL &&
               strcmp(err.msg, "lesson.play:2: a caption holds at most 120 bytes") == 0,
           "a caption over SCRIPT_SAY_MAX bytes: %s", err.msg);
    tap_ok(parse(&s, "say \"kept so far\"\nsay \"x\" y\n", &err) < 0 && s.n_says == 0 &&
               s.says == NULL && strstr(err.msg, "lesson.play:2: "),
           "captions before a bad line are freed: %s", err.msg);
}

/* A script of exactly SCRIPT_MAX_BYTES is read whole; one byte more is refused, not cut. */
static void test_size_limit(void)
{
    char path[] = "/tmp/logitscope-script-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
    static char block[1 << 16];
    struct script s;
    struct ls_error err = {{0}};

    if (!f) {
        printf("Bail out! cannot create %s\n", path);
        exit(1);
    }
    memset(block, ' ', sizeof block);
    for (size_t i = 0; i < SCRIPT_MAX_BYTES / sizeof block; i++)
        fwrite(block, 1, sizeof block, f);
    fseek(f, -(long)strlen("q\n"), SEEK_END);
    fputs("q\n", f);
    fflush(f);
    int rc = script_load(&s, path, &err);
    tap_ok(rc == 0 && s.n == 1 && s.events[0].key == 'q',
           "a 16 MiB script is read to its last line: %s", err.msg);
    if (rc == 0)
        script_free(&s);
    fputs("q", f);
    fflush(f);
    tap_ok(script_load(&s, path, &err) < 0 &&
               strstr(err.msg, ": longer than 16 MiB, the most a key script may hold"),
           "one byte more is refused: %s", err.msg);
    fclose(f);
    unlink(path);
}

int main(void)
{
    test_good();
    test_say();
    test_bad();
    test_size_limit();
    return tap_done();
}
