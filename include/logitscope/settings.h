/* settings.h: named parameter sets (the lab's six temperatures and friends) read from a
 * TSV file: name<TAB>temperature<TAB>top_k<TAB>top_p[<TAB>min_p<TAB>...<TAB>samplers], the
 * columns in the CSV's order, or named by a first line `name<TAB>COLUMN...`. Used by
 * `sweep --settings`, the default sweep, and the explorer's 1..6 keys. */
#ifndef LOGITSCOPE_SETTINGS_H
#define LOGITSCOPE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "logitscope/engine.h"
#include "logitscope/error.h"

struct setting {
    char *name;            /* UTF-8, unescaped like token text */
    struct params params;  /* the hf chain unless the file gives one */
    bool chain_given;      /* the file's samplers or order column set the chain */
    size_t line;           /* where it was read, for messages */
};

struct settings {
    struct setting *items;
    size_t n;
};

/* path "-" reads standard input. Errors: "FILE:LINE: what" (missing columns, bad numbers,
 * values out of range, no rows). */
int settings_load(struct settings *s, const char *path, struct ls_error *err);
void settings_free(struct settings *s);

#endif
