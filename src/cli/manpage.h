/* manpage.h: logitscope.1, written from the tables that --help, the sliders and the key map
 * come from, so that the man page lists exactly the options and keys that work. */
#ifndef LOGITSCOPE_CLI_MANPAGE_H
#define LOGITSCOPE_CLI_MANPAGE_H

#include <stddef.h>
#include <stdio.h>

/* One command line of EXAMPLES: what it shows and the words to type, separated by single
 * spaces, without redirections or quotes (so that a test can parse each one). */
struct manpage_example {
    const char *what;
    const char *command; /* "logitscope sweep -t 0.1:2.0:0.01 --format summary" */
};

const struct manpage_example *manpage_examples(size_t *n);

/* The whole page in roff (man macros). 0, or -1 when out could not be written. */
int manpage_write(FILE *out);

/* s as roff text: dashes, backslashes and quotes escaped, newlines as spaces, non-ASCII as
 * \[uXXXX], and no line that a formatter would take for a request. */
void manpage_text(FILE *out, const char *s);

#endif
