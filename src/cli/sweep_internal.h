/* sweep_internal.h: what the files of `logitscope sweep` share: the plan of settings
 * (sweep_plan.c), the printers of each format (sweep_print.c), and the run (sweep.c). */
#ifndef LOGITSCOPE_CLI_SWEEP_INTERNAL_H
#define LOGITSCOPE_CLI_SWEEP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "logitscope/engine.h"
#include "logitscope/error.h"
#include "logitscope/settings.h"
#include "options.h"
#include "source.h"

/* The settings a run walks: loaded from a file, or the cross product of the value lists. */
struct sweep_plan {
    struct settings loaded;
    bool from_file;
    size_t n;
    size_t dim[PARAM_COUNT];
};

/* The position a distribution is at, in a sequence (NULL for a single vocabulary). */
struct sweep_at {
    const struct source *src;
    size_t i; /* from 0 */
    struct source_step step;
    size_t chosen_rank; /* or SOURCE_NONE */
};

/* Output state: one buffered stream and a reusable buffer for escaped text. */
struct sweep_out {
    FILE *f;
    char *esc;
    size_t esc_cap;
    bool failed; /* out of memory while escaping */
    bool cut_noted; /* a text table cut a token short, and said so below it */
};

/* ---- the plan (sweep_plan.c) ---------------------------------------------------------- */

/* A bundled data file, or an error that says how to point at the data. */
char *sweep_data(const char *rel, struct ls_error *err);
/* A sequence with no setting options runs T = 1 alone (the cross product of no lists). */
int sweep_plan_build(struct sweep_plan *plan, const struct cli_opts *o, bool sequence,
                     struct ls_error *err);
void sweep_plan_free(struct sweep_plan *plan);
/* Setting i of the plan: its parameters, and its name (in buf when it is made up). A file's
 * row without a chain of its own takes the command line's; either way no parameter may be
 * set for a sampler its chain lacks. */
const char *sweep_setting(const struct sweep_plan *plan, const struct cli_opts *o, size_t i,
                          struct params *p, char *buf, size_t cap, struct ls_error *err);
/* Whether some setting's chain reads a history (penalties, DRY, mirostat): only then is one
 * looked up, and only then may --history be given. */
bool sweep_plan_reads_history(const struct sweep_plan *plan, const struct cli_opts *o);
/* --history with no sampler to read it would be silently ignored: say so instead. */
int sweep_history_unused(const struct sweep_plan *plan, const struct cli_opts *o,
                         struct ls_error *err);

/* ---- printing (sweep_print.c) --------------------------------------------------------- */

/* Display-safe text of s[0..len) in the reusable buffer. Every escape is at most four bytes
 * per input byte, so 4 * len + 8 never truncates. */
const char *sweep_escape(struct sweep_out *out, const char *s, size_t len, unsigned flags);

typedef void sweep_print_fn(struct sweep_out *, const struct cli_opts *, size_t, const char *,
                            const struct dist *, const struct sweep_at *);
/* One block (text) or row group (csv, summary) for a setting: index counts them from 0, the
 * first writes a CSV header; at is the position in a sequence, or NULL. */
sweep_print_fn sweep_print_text, sweep_print_csv, sweep_print_summary;

#endif
