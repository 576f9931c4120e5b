/* test_textfile.c: the line reader shared by the text formats (line endings, the byte order
 * mark, lines across reads, the bounds on a line and the bytes it refuses as they arrive)
 * and the token unescaper. A reader that waited for more input would hang: alarm() ends
 * such a run as a failure. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "logitscope/text.h"
#include "tap.h"
#include "textfile.h"
#include "tmpfile_fixture.h"

/* Every line of the file joined with '|', or "ERR <message>" after the lines read. */
static const char *read_all(const char *path)
{
    static char out[4096];
    struct line_reader r;
    struct ls_error err = {{0}};
    const char *s;
    size_t len, o = 0;
    int rc;

    out[0] = '\0';
    if (line_open(&r, path, &err) < 0) {
        snprintf(out, sizeof out, "ERR %s", err.msg);
        return out;
    }
    while ((rc = line_next(&r, &s, &len, &err)) > 0)
        o += (size_t)snprintf(out + o, sizeof out - o, "%.*s|", (int)len, s);
    if (rc < 0)
        snprintf(out + o, sizeof out - o, "ERR %s", err.msg);
    line_close(&r);
    return out;
}

static const char *lines_of(const char *name, const char *text)
{
    return read_all(tmp_text(name, text));
}

static void test_line_endings(void)
{
    TAP_EQ_STR(lines_of("lf.txt", "a\nb\n"), "a|b|", "LF lines");
    TAP_EQ_STR(lines_of("nonl.txt", "a\nb"), "a|b|", "the last line needs no newline");
    TAP_EQ_STR(lines_of("crlf.txt", "a\r\nb\r\n"), "a|b|", "CRLF lines");
    TAP_EQ_STR(lines_of("crend.txt", "a\nb\r"), "a|b|", "a CR ending the file is a line end");
    TAP_EQ_STR(lines_of("blank.txt", "\n\na\n"), "||a|", "empty lines are lines");
    TAP_EQ_STR(lines_of("empty.txt", ""), "", "an empty file has no line");
    TAP_EQ_STR(lines_of("bom.txt", "\xef\xbb\xbf" "a\n\xef\xbb\xbf" "b\n"),
               "a|\xef\xbb\xbf" "b|", "the BOM opening the file is dropped, not a later one");
}

static void test_refused(void)
{
    const char *got;

    got = lines_of("cr.txt", "a\t1\rb\t2\rc\t3\r");
    tap_ok(strstr(got, "ERR ") == got && strstr(got, "cr.txt:1: the file has CR line endings "
                                                      "(old Mac); save it with LF or CRLF"),
           "CR-only line endings are named as such, at line 1: %s", got);
    got = lines_of("crmid.txt", "a\t1\nb\rc\t2\n");
    tap_ok(strstr(got, "a\t1|ERR ") == got &&
               strstr(got, "crmid.txt:2: a raw carriage return inside the line (write a CR in "
                           "a token as \\r)"),
           "a raw CR inside a later line is refused: %s", got);
    got = lines_of("crcr.txt", "a\r\r\nb\n");
    tap_ok(strstr(got, "crcr.txt:1: the file has CR line endings") != NULL,
           "two CRs before the LF: the first is inside the line: %s", got);
    got = read_all(tmp_write("nul.txt", "a\nb\0c\n", 6));
    tap_ok(strstr(got, "a|ERR ") == got && strstr(got, "nul.txt:2: line contains a NUL byte"),
           "a NUL byte is refused with its line: %s", got);
    got = read_all(tmp_dir);
    tap_ok(strstr(got, ": cannot read: Is a directory") != NULL, "a directory says so: %s", got);
    got = read_all(tmp_path("missing.txt"));
    tap_ok(strstr(got, "missing.txt: cannot open: No such file or directory") != NULL,
           "a missing file says so: %s", got);
}

/* Lines that span the reader's chunks come back whole; a CRLF split between two chunks is
 * still a line end. */
static void test_long_lines(void)
{
    size_t n = 3 * 65536 + 17, total = 2 * n + 4;
    char *text = malloc(total);
    struct line_reader r;
    struct ls_error err = {{0}};
    const char *s, *p;
    size_t len;
    int ok;

    memset(text, 'x', total);
    text[n] = '\r';
    text[n + 1] = '\n';
    text[2 * n + 2] = '\r';
    text[2 * n + 3] = '\n';
    p = tmp_write("long.txt", text, total);
    ok = line_open(&r, p, &err) == 0 && line_next(&r, &s, &len, &err) == 1 && len == n &&
         memcmp(s, text, n) == 0 && line_next(&r, &s, &len, &err) == 1 && len == n &&
         memcmp(s, text, n) == 0 && line_next(&r, &s, &len, &err) == 0;
    tap_ok(ok, "two CRLF lines of %zu bytes each: %s", n, err.msg);
    line_close(&r);
    for (size_t at = 65534; at <= 65537; at++) { /* the CR or LF on either side of a chunk */
        memset(text, 'y', total);
        text[at - 1] = '\r';
        text[at] = '\n';
        p = tmp_write("split.txt", text, at + 3);
        ok = line_open(&r, p, &err) == 0 && line_next(&r, &s, &len, &err) == 1 &&
             len == at - 1 && line_next(&r, &s, &len, &err) == 1 && len == 2 &&
             line_next(&r, &s, &len, &err) == 0;
        tap_ok(ok, "CRLF at bytes %zu-%zu: %s", at - 1, at, err.msg);
        line_close(&r);
    }
    free(text);
}

/* A stream of bytes with no newline: refused once a line passes LINE_MAX_BYTES, with the
 * reader's buffer never larger than that. A writer that never stops: no end of file to
 * wait for. */
static void test_endless_line(void)
{
    int fds[2];
    pid_t child;
    char path[64];
    struct line_reader r;
    struct ls_error err = {{0}};
    const char *s;
    size_t len;
    int rc = 0;

    if (pipe(fds) != 0 || (child = fork()) < 0) {
        printf("Bail out! no pipe or fork: %s\n", strerror(errno));
        exit(1);
    }
    if (child == 0) {
        static char a[65536];
        close(fds[0]);
        memset(a, 'a', sizeof a);
        while (write(fds[1], a, sizeof a) > 0)
            ;
        _exit(0);
    }
    close(fds[1]);
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    if (line_open(&r, path, &err) == 0)
        rc = line_next(&r, &s, &len, &err);
    TAP_EQ_INT(rc, -1, "an endless line is refused");
    tap_ok(strstr(err.msg, ":1: a line longer than 16777216 bytes (16 MiB), the limit") != NULL,
           "with its line and the limit: %s", err.msg);
    tap_ok(r.cap <= LINE_MAX_BYTES, "the line buffer stays within the limit (%zu bytes)", r.cap);
    line_close(&r);
    close(fds[0]);
    waitpid(child, NULL, 0); /* the writer ends on SIGPIPE */
}

/* A NUL byte is refused when it arrives, while the writer still holds its end open. */
static void test_nul_as_it_arrives(void)
{
    int fds[2];
    char path[64];
    struct line_reader r;
    struct ls_error err = {{0}};
    const char *s;
    size_t len;
    int first = 0, second = 0;

    if (pipe(fds) != 0 || write(fds[1], "a\nbb\0", 5) != 5) {
        printf("Bail out! no pipe: %s\n", strerror(errno));
        exit(1);
    }
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    if (line_open(&r, path, &err) == 0) {
        first = line_next(&r, &s, &len, &err);
        second = line_next(&r, &s, &len, &err);
    }
    tap_ok(first == 1 && second == -1 && strstr(err.msg, ":2: line contains a NUL byte"),
           "the NUL on line 2 is refused before the line ends: %s", err.msg);
    line_close(&r);
    close(fds[0]);
    close(fds[1]);
}

/* "-" reads standard input, named <stdin> in messages, and leaves it open. */
static void test_stdin(void)
{
    const char *p = tmp_write("stdin.txt", "one\ntwo\n", 8);
    int saved = dup(STDIN_FILENO), fd = open(p, O_RDONLY);
    struct line_reader r;
    struct ls_error err = {{0}};
    const char *s;
    size_t len;

    if (saved < 0 || fd < 0 || dup2(fd, STDIN_FILENO) < 0) {
        printf("Bail out! cannot redirect stdin\n");
        exit(1);
    }
    close(fd);
    int ok = line_open(&r, "-", &err) == 0 && line_next(&r, &s, &len, &err) == 1 &&
             len == 3 && memcmp(s, "one", 3) == 0 && line_next(&r, &s, &len, &err) == 1 &&
             line_next(&r, &s, &len, &err) == 0;
    tap_ok(ok, "two lines from standard input: %s", err.msg);
    TAP_EQ_STR(r.path, "<stdin>", "messages name <stdin>");
    line_close(&r);
    tap_ok(fcntl(STDIN_FILENO, F_GETFD) != -1, "standard input stays open");
    dup2(saved, STDIN_FILENO);
    close(saved);
}

/* token_unescape on s: the bytes, or "ERR why". */
static const char *unescaped(const char *s)
{
    static char out[256];
    char why[160];
    size_t n;

    if (token_unescape(s, strlen(s), out, &n, why, sizeof why) < 0)
        snprintf(out, sizeof out, "ERR %s", why);
    else
        out[n] = '\0';
    return out;
}

static void test_unescape(void)
{
    TAP_EQ_STR(unescaped("a\\tb\\nc\\rd\\ee\\\\f"), "a\tb\nc\rd\x1b" "e\\f",
               "\\t \\n \\r \\e \\\\");
    TAP_EQ_STR(unescaped("\\x41\\xfF"), "A\xff", "\\xHH in either case");
    TAP_EQ_STR(unescaped("\\u00e9\\u202E\\u0041"), "\xc3\xa9\xe2\x80\xae" "A",
               "\\uXXXX as UTF-8");
    TAP_EQ_STR(unescaped("\\U0001f600\\U0010FFFF"), "\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf",
               "\\UXXXXXXXX as UTF-8");
    TAP_EQ_STR(unescaped("\\ud800"), "ERR \\ud800, not a Unicode character (a surrogate or "
                                     "above U+10FFFF)", "a surrogate is refused");
    TAP_EQ_STR(unescaped("\\U00110000"), "ERR \\U00110000, not a Unicode character (a "
                                         "surrogate or above U+10FFFF)", "beyond U+10FFFF");
    TAP_EQ_STR(unescaped("\\u12"), "ERR \\u without four hex digits after it", "short \\u");
    TAP_EQ_STR(unescaped("\\U1234567g"), "ERR \\U without eight hex digits after it",
               "a bad digit in \\U");
    TAP_EQ_STR(unescaped("\\x4"), "ERR \\x without two hex digits after it", "short \\x");
    TAP_EQ_STR(unescaped("ab\\"), "ERR a lone backslash at the end (write a backslash as \\\\)",
               "a lone backslash");
    TAP_EQ_STR(unescaped("\\q"), "ERR an unknown escape \\q (allowed: \\t \\n \\r \\e \\\\ "
                                 "\\xHH \\uXXXX \\UXXXXXXXX)", "an unknown escape");
}

/* Whatever the bytes, token_unescape undoes text_escape (without the display's space
 * marks), in UTF-8 and in ASCII form. */
static void test_unescape_round_trip(void)
{
    uint64_t state = 88172645463325252u;
    char raw[64], esc[64 * 10 + 1], back[sizeof esc], why[160];
    size_t bad = 0, n, got;

    for (int i = 0; i < 200000; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        n = state % sizeof raw;
        for (size_t k = 0; k < n; k++) { /* bytes biased towards UTF-8 lead and tail bytes */
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            unsigned b = (unsigned)(state >> 56);
            unsigned utf8 = (state >> 21 & 1) ? 0x80 | (b & 0x3f) : 0xc0 | (b & 0x3f);
            raw[k] = (char)((state >> 20 & 1) ? b : utf8);
        }
        unsigned flags = i & 1 ? TEXT_ASCII : 0;
        size_t e = text_escape(raw, n, flags, esc, sizeof esc);
        if (token_unescape(esc, e, back, &got, why, sizeof why) < 0 || got != n ||
            memcmp(back, raw, n) != 0)
            bad++;
    }
    TAP_EQ_INT(bad, 0, "200000 random byte strings round trip through text_escape");
}

int main(void)
{

    signal(SIGPIPE, SIG_IGN);
    alarm(60); /* a reader that waits for input it will never get fails, not hangs */
    tmp_dir_make("textfile");
    test_line_endings();
    test_refused();
    test_long_lines();
    test_endless_line();
    test_nul_as_it_arrives();
    test_stdin();
    test_unescape();
    test_unescape_round_trip();
    tmp_dir_remove();
    return tap_done();
}
