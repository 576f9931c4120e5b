/* input.c: FILE or standard input, a sequence or a single vocabulary. A regular file is
 * looked at (seq_detect_path) and then loaded by its loader. A stream (standard input, a
 * pipe, a process substitution) can be read only once: its first 64 KiB decide, then a
 * sequence is read whole into memory (seq_load_memory), a TSV through the line reader from
 * the stream itself (line limits and all), and a .npy through an unlinked copy in $TMPDIR;
 * messages name the stream, never the copy. */
#include "input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INPUT_HEAD ((size_t)1 << 16) /* what seq_detect needs to see */
/* A vocabulary on a stream is copied up to this much: far beyond any real one (262,144
 * tokens are 8 MB of TSV), and an endless stream does not fill the disk. */
#define INPUT_COPY_MAX ((size_t)256 << 20)
#define INPUT_STDIN "<stdin>"

/* Options that only a sequence takes. */
static int input_vocab_opts(const char *name, const struct cli_opts *o, struct ls_error *err)
{
    if (o->tokens_path)
        return ls_error_set(err, "%s: --tokens gives the chosen ids of a 2-D .npy of logits; "
                                 "%s is a single vocabulary", o->tokens_path, name);
    if (o->choice_given)
        return ls_error_set(err, "--choice: %s is a single vocabulary, not a response with "
                                 "choices", name);
    if (o->positions.given)
        return ls_error_set(err, "--position: %s is a single vocabulary, not a sequence of "
                                 "positions", name);
    return 0;
}

static struct seq_opts input_seq_opts(const struct cli_opts *o)
{
    return (struct seq_opts){.vocab_path = o->vocab_path, .tokens_path = o->tokens_path,
                             .choice = o->choice};
}

/* Up to cap bytes; fewer only at the end of the stream. read(), not stdio: nothing is left
 * in a FILE buffer, so the rest can be read from the descriptor itself. */
static int input_head(FILE *f, const char *name, unsigned char *buf, size_t cap, size_t *got,
                      struct ls_error *err)
{
    *got = 0;
    while (*got < cap) {
        ssize_t n = read(fileno(f), buf + *got, cap - *got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ls_error_set(err, "%s: cannot read: %s", name, strerror(errno));
        if (n == 0)
            break;
        *got += (size_t)n;
    }
    return 0;
}

/* The head and the rest of the stream in one malloc'd buffer, for seq_load_memory. */
static int input_stream_seq(struct input *in, FILE *f, const char *name, unsigned char *head,
                            size_t got, const struct cli_opts *o, struct ls_error *err)
{
    unsigned char *rest = NULL, *all;
    size_t rest_len = 0;
    if (got == INPUT_HEAD && seq_read_stream(f, name, &rest, &rest_len, err) < 0)
        return -1;
    all = malloc(got + rest_len + 1);
    if (!all) {
        free(rest);
        return ls_error_set(err, "%s: out of memory after %zu bytes", name, got + rest_len);
    }
    memcpy(all, head, got);
    if (rest_len)
        memcpy(all + got, rest, rest_len);
    all[got + rest_len] = '\0';
    free(rest);
    struct seq_opts so = input_seq_opts(o);
    if (seq_load_memory(&in->seq, name, all, got + rest_len, &so, err) < 0)
        return -1;
    in->is_seq = true;
    return 0;
}

/* Every occurrence of `from` in msg becomes `to` (the copy's path becomes the stream's name). */
static void input_rename(struct ls_error *err, const char *from, const char *to)
{
    char out[sizeof err->msg];
    size_t o = 0, from_len = strlen(from), to_len = strlen(to);
    for (const char *s = err->msg; *s && o + 1 < sizeof out;) {
        if (strncmp(s, from, from_len) == 0 && o + to_len < sizeof out) {
            memcpy(out + o, to, to_len);
            o += to_len;
            s += from_len;
        } else {
            out[o++] = *s++;
        }
    }
    out[o] = '\0';
    memcpy(err->msg, out, o + 1);
}

static int input_copy_rest(FILE *from, int fd, const char *name, const unsigned char *head,
                           size_t got, struct ls_error *err)
{
    unsigned char buf[1 << 16];
    size_t n = got, total = 0;
    const unsigned char *p = head;
    for (bool more = got == INPUT_HEAD;; total += n) {
        if (total + n > INPUT_COPY_MAX)
            return ls_error_set(err, "%s: more than %zu MiB, more than any vocabulary; save it "
                                     "to a file", name, INPUT_COPY_MAX >> 20);
        for (size_t done = 0; done < n;) {
            ssize_t w = write(fd, p + done, n - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return ls_error_set(err, "%s: cannot keep a copy to read (set TMPDIR to a "
                                         "writable folder): %s", name, strerror(errno));
            done += (size_t)w;
        }
        if (!more)
            return 0;
        errno = 0;
        n = fread(buf, 1, sizeof buf, from);
        if (ferror(from))
            return ls_error_set(err, "%s: cannot read: %s", name, strerror(errno ? errno : EIO));
        more = n == sizeof buf;
        p = buf;
    }
}

/* A .npy vocabulary from a stream: copied to an unlinked file, which vocab_load reads (the
 * format needs its whole size). A TSV is read from the stream itself (input_stream). */
static int input_stream_npy(struct input *in, FILE *f, const char *name,
                              const unsigned char *head, size_t got, const struct cli_opts *o,
                              struct ls_error *err)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    if (!dir || !dir[0])
        dir = "/tmp";
    if (snprintf(path, sizeof path, "%s/logitscope-stdin-XXXXXX.npy", dir) >= (int)sizeof path)
        return ls_error_set(err, "%s: TMPDIR is too long a path", name);
    int fd = mkstemps(path, 4);
    if (fd < 0)
        return ls_error_set(err, "%s: cannot keep a copy to read (set TMPDIR to a writable "
                                 "folder): %s", name, strerror(errno));
    int rc = input_copy_rest(f, fd, name, head, got, err);
    if (close(fd) != 0 && rc == 0)
        rc = ls_error_set(err, "%s: cannot keep a copy to read: %s", name, strerror(errno));
    if (rc == 0 && vocab_load(&in->vocab, path, o->vocab_path, err) != 0) {
        input_rename(err, path, name);
        rc = -1;
    }
    unlink(path);
    if (rc == 0) {
        char *source = strdup(name);
        if (!source) {
            vocab_free(&in->vocab);
            return ls_error_set(err, "%s: out of memory", name);
        }
        free(in->vocab.source);
        in->vocab.source = source;
    }
    return rc;
}

static int input_stream(struct input *in, FILE *f, const char *name, const struct cli_opts *o,
                        struct ls_error *err)
{
    unsigned char *head = malloc(INPUT_HEAD);
    size_t got;
    int rc;
    if (!head)
        return ls_error_set(err, "%s: out of memory", name);
    rc = input_head(f, name, head, INPUT_HEAD, &got, err);
    if (rc == 0 && seq_detect(head, got))
        rc = input_stream_seq(in, f, name, head, got, o, err);
    else if (rc == 0 && input_vocab_opts(name, o, err) != 0)
        rc = -1;
    else if (rc == 0 && got >= 6 && memcmp(head, "\x93NUMPY", 6) == 0)
        rc = input_stream_npy(in, f, name, head, got, o, err);
    else if (rc == 0 && o->vocab_path)
        rc = ls_error_set(err, "%s: a separate token list only goes with .npy logits; %s "
                               "names its own tokens", o->vocab_path, name);
    else if (rc == 0)
        rc = vocab_load_tsv_stream(&in->vocab, fileno(f), name, head, got, got < INPUT_HEAD, err);
    free(head);
    return rc;
}

static int input_file(struct input *in, const char *path, const struct cli_opts *o,
                      struct ls_error *err)
{
    bool is_seq;
    if (seq_detect_path(path, &is_seq, err) != 0)
        return -1;
    if (is_seq) {
        struct seq_opts so = input_seq_opts(o);
        if (seq_load(&in->seq, path, &so, err) != 0)
            return -1;
        in->is_seq = true;
        return 0;
    }
    if (input_vocab_opts(path, o, err) != 0)
        return -1;
    return vocab_load(&in->vocab, path, o->vocab_path, err);
}

static int input_check_positions(const struct input *in, const struct cli_opts *o,
                                 struct ls_error *err)
{
    if (!in->is_seq || !o->positions.given)
        return 0;
    return opt_positions_check(&o->positions, in->seq.n, in->seq.source, err);
}

int input_load(struct input *in, const char *path, const struct cli_opts *o,
               struct ls_error *err)
{
    struct stat st;
    int rc;
    memset(in, 0, sizeof *in);
    if (strcmp(path, "-") == 0) {
        in->name = INPUT_STDIN;
        rc = input_stream(in, stdin, INPUT_STDIN, o, err);
    } else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        /* a pipe or a device: looking at its start would use that up */
        FILE *f = fopen(path, "rb");
        if (!f)
            return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        rc = input_stream(in, f, path, o, err);
        fclose(f);
    } else {
        rc = input_file(in, path, o, err);
    }
    if (rc == 0 && input_check_positions(in, o, err) != 0) {
        input_free(in);
        rc = -1;
    }
    if (rc != 0) {
        memset(in, 0, sizeof *in);
        return -1;
    }
    if (!in->name) {
        const char *slash = strrchr(path, '/');
        in->name = slash && slash[1] ? slash + 1 : path;
    }
    return 0;
}

void input_free(struct input *in)
{
    if (in->is_seq)
        seq_free(&in->seq);
    else
        vocab_free(&in->vocab);
    memset(in, 0, sizeof *in);
}
