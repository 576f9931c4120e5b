/* text.h: making token bytes safe and measurable for a terminal. Token text from a data file
 * never reaches a terminal raw: control bytes, ESC, C1 controls, bidirectional overrides and
 * invalid UTF-8 come out as visible escapes; wide characters keep their real width. */
#ifndef LOGITSCOPE_TEXT_H
#define LOGITSCOPE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

enum text_flags {
    TEXT_ASCII = 1,         /* escape every non-ASCII code point as \uXXXX (ASCII terminals) */
    TEXT_SHOW_SPACE = 2,    /* leading/trailing spaces shown as a visible glyph */
    TEXT_KEEP_BACKSLASH = 4, /* a backslash stays itself: for messages that already hold
                              * escapes of their own, so they are not escaped twice */
};

/* Writes a display-safe UTF-8 rendering of s[0..len) into out (always NUL-terminated,
 * truncated at a character boundary when cap is short). Escapes: \t \n \r \e \\ \xHH
 * (C0, DEL, invalid UTF-8 bytes), \u0085-style for C1 and bidi/format controls.
 * With TEXT_SHOW_SPACE, leading and trailing spaces become "␣" ("_" under TEXT_ASCII).
 * Returns the length written (excluding NUL). */
size_t text_escape(const char *s, size_t len, unsigned flags, char *out, size_t cap);

/* Terminal columns taken by already-escaped UTF-8 text (wide CJK/emoji count 2,
 * combining marks 0). */
size_t text_width(const char *s, size_t len);

/* Longest prefix of escaped text s that fits in `cols` columns; returns its byte length and
 * stores its width in *width (may be NULL). Never splits a character. */
size_t text_fit(const char *s, size_t len, size_t cols, size_t *width);

#endif
