/* textfile.h: reading the line-based text formats (TSV logits, --vocab lists, settings) and
 * the escapes of their token text. Private to the engine; each loader includes it. One
 * reader and one unescaper, so a token reads the same in every format. */
#ifndef LOGITSCOPE_TEXTFILE_H
#define LOGITSCOPE_TEXTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "logitscope/error.h"

/* The longest line a text file may hold, without its line ending. A real token is a few
 * bytes; the bound keeps a file with no newline (a binary file, /dev/zero) from being read
 * into memory whole. */
#define LINE_MAX_BYTES ((size_t)16 << 20)

/* Reads a text file line by line: the '\n' and one '\r' before it (or before the end of the
 * file) are stripped; a UTF-8 byte order mark opening the file is dropped. Refused as soon
 * as they arrive: a NUL byte, a raw '\r' inside a line (CR line endings, or a CR a token
 * should write as \r), and a line longer than LINE_MAX_BYTES. Line numbers start at 1. */
struct line_reader {
    int fd;
    const char *path;       /* for messages: the name given, "<stdin>" for "-" */
    char *buf;              /* a line that spans reads is put together here */
    size_t cap, len;
    char *chunk;            /* bytes read from the file and not yet consumed */
    size_t chunk_len, chunk_pos;
    size_t lineno;
    bool any_bytes;         /* tells "the file is empty" from "only comments" */
    bool seen_newline;      /* a CR inside the first line means CR line endings */
    bool is_stdin;          /* the fd is not ours to close: standard input, a stream */
    bool ended;             /* read() said end of file: never asked again (a terminal would
                             * wait for a second Ctrl-D) */
};

/* The path "-" reads standard input, which is left open at line_close(). */
int line_open(struct line_reader *r, const char *path, struct ls_error *err);
/* A stream whose first head_len bytes were read already (to tell its format) and are given in
 * head: they are read first, then the rest from fd (unless `ended`: the head is all of it),
 * which is left open at line_close(). name is for messages ("<stdin>"). */
int line_open_stream(struct line_reader *r, int fd, const char *name, const void *head,
                     size_t head_len, bool ended, struct ls_error *err);
/* 1: a line in (*s, *len), valid until the next call; 0: end of file; -1: error, err filled
 * with "FILE:LINE: what". */
int line_next(struct line_reader *r, const char **s, size_t *len, struct ls_error *err);
void line_close(struct line_reader *r);
/* Empty, or only spaces. */
bool line_is_blank(const char *s, size_t len);
/* The name messages use for a path: "<stdin>" for "-", else the path itself. */
const char *line_path_name(const char *path);

/* Undoes the escapes of token text in s[0..len) into out (room for len bytes; the result
 * is never longer): \t \n \r \e \\ \xHH \uXXXX \UXXXXXXXX, every escape text_escape()
 * writes. On a bad escape returns -1 and writes the reason into why. */
int token_unescape(const char *s, size_t len, char *out, size_t *out_len, char *why,
                   size_t why_cap);

#endif
