/* test_cast.c: asciicast v2 output: header, JSON escaping, split UTF-8, monotonic time, the
 * closing empty event. */
#include <stdlib.h>
#include <unistd.h>

#include "cast.h"
#include "tap.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    static char buf[4096];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    return buf;
}

int main(void)
{
    char path[] = "/tmp/logitscope-cast-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    struct cast c;
    struct ls_error err;
    struct cast_header h = {80, 24, 1700000000, "lab \"sweep\"", "xterm-256color"};
    TAP_EQ_INT(cast_open(&c, path, &h, &err), 0, "cast_open");
    cast_output(&c, 0.1, "a\xe2\x96", 3);          /* a character split across chunks */
    cast_output(&c, 0.05, "\x88\x1b[0m\xff\n", 7);  /* time going backwards is clamped */
    cast_output(&c, 0.3, "\\\"\t", 3);
    cast_resize(&c, 0.4, 100, 30);
    TAP_EQ_INT(cast_close(&c, &err), 0, "cast_close");
    const char *want =
        "{\"version\": 2, \"width\": 80, \"height\": 24, \"timestamp\": 1700000000, "
        "\"title\": \"lab \\\"sweep\\\"\", \"env\": {\"TERM\": \"xterm-256color\"}}\n"
        "[0.100000, \"o\", \"a\"]\n"
        "[0.100000, \"o\", \"\xe2\x96\x88\\u001b[0m\\ufffd\\n\"]\n"
        "[0.300000, \"o\", \"\\\\\\\"\\u0009\"]\n"
        "[0.400000, \"r\", \"100x30\"]\n";
    const char *got = slurp(path);
    TAP_EQ_STR(got, want, "header, escapes, joined UTF-8, clamped time, resize event");
    unlink(path);
    /* one character in three chunks; an empty event holds the last frame */
    struct cast_header bare = {40, 12, 0, NULL, NULL};
    TAP_EQ_INT(cast_open(&c, path, &bare, &err), 0, "cast_open without a title");
    cast_output(&c, 1.0, "\xe2", 1);
    cast_output(&c, 1.5, "\x96", 1);
    cast_output(&c, 2.0, "\x88!", 2);
    cast_mark(&c, 2.5);
    TAP_EQ_INT(cast_close(&c, &err), 0, "cast_close");
    TAP_EQ_STR(slurp(path),
               "{\"version\": 2, \"width\": 40, \"height\": 12, \"timestamp\": 0, "
               "\"env\": {\"TERM\": \"\"}}\n"
               "[2.000000, \"o\", \"\xe2\x96\x88!\"]\n"
               "[2.500000, \"o\", \"\"]\n",
               "a character split three ways waits for its last byte; cast_mark");
    unlink(path);
    tap_ok(cast_open(&c, "/nonexistent/dir/x.cast", &h, &err) < 0 &&
               strstr(err.msg, "/nonexistent/dir/x.cast: cannot write"),
           "unwritable path: %s", err.msg);
    return tap_done();
}
