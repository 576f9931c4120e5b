/* textfile.h: reading the line-based text formats (TSV logits, --vocab lists, settings) and
 * the escapes of their token text. Private to the engine; each loader includes it. One
 * reader and one unescaper, so a token reads the same in every format. */
#ifndef LOGITSCOPE_TEXTFILE_H
#define LOGITSCOPE_TEXTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "logitscope/error.h"

/* Reads a text file line by line: the '\n' and one trailing '\r' are stripped, a NUL byte
 * is an error. Line numbers start at 1. */
struct line_reader {
    FILE *f;
    const char *path;
    char *buf;
    size_t cap;
    size_t lineno;
    bool any_bytes; /* tells "the file is empty" from "only comments" */
};

int line_open(struct line_reader *r, const char *path, struct ls_error *err);
/* 1: a line in (*s, *len); 0: end of file; -1: error, err filled. */
int line_next(struct line_reader *r, const char **s, size_t *len, struct ls_error *err);
void line_close(struct line_reader *r);
/* Empty, or only spaces. */
bool line_is_blank(const char *s, size_t len);

/* Undoes \t \n \\ \xHH in s[0..len) into out (room for len bytes; the result is never
 * longer). On a bad escape returns -1 and writes the reason into why. */
int token_unescape(const char *s, size_t len, char *out, size_t *out_len, char *why,
                   size_t why_cap);

#endif
