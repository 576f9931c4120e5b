/* test_cast.c: asciicast v2 output: header, JSON escaping, split UTF-8, monotonic time,
 * markers with escaped labels, failed writes, and a discarded recording's file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
    /* one character in three chunks; markers, their labels escaped like the title */
    struct cast_header bare = {40, 12, 0, NULL, NULL};
    TAP_EQ_INT(cast_open(&c, path, &bare, &err), 0, "cast_open without a title");
    cast_output(&c, 1.0, "\xe2", 1);
    cast_output(&c, 1.5, "\x96", 1);
    cast_output(&c, 2.0, "\x88!", 2);
    cast_marker(&c, 2.5, "T = 0.1: \"greedy\"");
    cast_marker(&c, 2.0, "\x1b[2J \xe2\x80\xae\xff caf\xc3\xa9");
    TAP_EQ_INT(cast_close(&c, &err), 0, "cast_close");
    TAP_EQ_STR(slurp(path),
               "{\"version\": 2, \"width\": 40, \"height\": 12, \"timestamp\": 0, "
               "\"env\": {\"TERM\": \"\"}}\n"
               "[2.000000, \"o\", \"\xe2\x96\x88!\"]\n"
               "[2.500000, \"m\", \"T = 0.1: \\\"greedy\\\"\"]\n"
               "[2.500000, \"m\", \"\\\\e[2J \\\\u202e\\\\xff caf\xc3\xa9\"]\n",
               "a character split three ways waits for its last byte; markers, escaped, in time");
    unlink(path);
    tap_ok(cast_open(&c, "/nonexistent/dir/x.cast", &h, &err) < 0 &&
               strstr(err.msg, "/nonexistent/dir/x.cast: cannot write"),
           "unwritable path: %s", err.msg);

    /* the title names files: escaped like any text from outside, then as JSON */
    struct cast_header evil = {80, 24, 0, "logitscope: \xe2\x80\xae" "evil\xc2\x9b" "2J\x1b]0;x\\.tsv",
                               "xterm"};
    TAP_EQ_INT(cast_open(&c, path, &evil, &err), 0, "cast_open with a hostile title");
    TAP_EQ_INT(cast_close(&c, &err), 0, "cast_close");
    const char *head = slurp(path);
    TAP_EQ_STR(head, "{\"version\": 2, \"width\": 80, \"height\": 24, \"timestamp\": 0, "
                     "\"title\": \"logitscope: \\\\u202eevil\\\\u009b2J\\\\e]0;x\\\\\\\\.tsv\", "
                     "\"env\": {\"TERM\": \"xterm\"}}\n",
               "bidi override, C1 CSI, ESC and backslash escaped in the title");
    tap_ok(!strstr(head, "\xe2\x80\xae") && !strstr(head, "\xc2\x9b") && !strchr(head, 0x1b),
           "no raw control or bidi bytes in the header");
    unlink(path);

    /* a full disk: refused at the header, with the reason; a device is never removed */
    if (access("/dev/full", W_OK) == 0) {
        tap_ok(cast_open(&c, "/dev/full", &h, &err) < 0 &&
                   strcmp(err.msg, "/dev/full: cannot write: No space left on device") == 0,
               "/dev/full is refused at once: %s", err.msg);
        tap_ok(access("/dev/full", F_OK) == 0, "and /dev/full is still there");
        /* the disk fills up later: the next flush says so, and so does cast_close */
        TAP_EQ_INT(cast_open(&c, path, &h, &err), 0, "cast_open");
        tap_ok(freopen("/dev/full", "w", c.f) != NULL, "the file now writes to /dev/full");
        cast_output(&c, 0.1, "frame", 5);
        TAP_EQ_INT(cast_flush(&c), -1, "the flush after an event fails");
        tap_ok(cast_close(&c, &err) < 0 &&
                   strstr(err.msg, ": could not write the recording: No space left on device"),
               "cast_close names the reason: %s", err.msg);
        unlink(path);
    }
    /* a recording discarded before anything was recorded: its file goes, a device stays */
    TAP_EQ_INT(cast_open(&c, path, &h, &err), 0, "cast_open on a regular file");
    cast_discard(&c);
    tap_ok(access(path, F_OK) != 0, "cast_discard removes the regular file");
    /* a named pipe (any non-file) with a reader, so that opening it to write does not wait */
    char fifo[] = "/tmp/logitscope-fifo-XXXXXX";
    int tmp_fd = mkstemp(fifo);
    close(tmp_fd);
    unlink(fifo);
    int reader = mkfifo(fifo, 0600) == 0 ? open(fifo, O_RDONLY | O_NONBLOCK) : -1;
    if (reader >= 0 && cast_open(&c, fifo, &h, &err) == 0) {
        cast_discard(&c);
        tap_ok(access(fifo, F_OK) == 0, "cast_discard leaves a named pipe alone");
    } else {
        printf("ok # SKIP no named pipe: %s\n", reader < 0 ? strerror(errno) : err.msg);
    }
    if (reader >= 0)
        close(reader);
    unlink(fifo);
    return tap_done();
}
