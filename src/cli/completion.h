/* completion.h: bash, zsh and fish completions for logitscope, written from the option table,
 * so that a shell offers exactly the options each command takes and the values they accept. */
#ifndef LOGITSCOPE_CLI_COMPLETION_H
#define LOGITSCOPE_CLI_COMPLETION_H

#include <stdio.h>

/* The completion script for shell ("bash", "zsh" or "fish"). 0; 1 for an unknown shell; -1
 * when out could not be written. */
int completion_write(const char *shell, FILE *out);

/* An option's help cut to a phrase for a shell's menu: up to the first ". ", "; ", ": " or
 * " [" outside parentheses and past the tenth character, and before a parenthesis when
 * still long. Returns the length written to buf (always NUL-terminated). */
size_t completion_phrase(const char *help, char *buf, size_t cap);

#endif
