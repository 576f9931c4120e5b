/* sweep.c: `logitscope sweep`, the batch report. Reads the options and the data, then runs
 * every setting of the plan (sweep_plan.c) through the one engine_apply() + engine_draw() the
 * explorer uses and prints it (sweep_print.c). A sequence (a model's output) runs every
 * setting at each position asked for, with the history of the tokens chosen before it. */
#include "sweep.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "lmsource.h"
#include "logitscope/engine.h"
#include "logitscope/vocab.h"
#include "options.h"
#include "source.h"
#include "sweep_internal.h"

/* Flushes stdout. A reader that went away (`| head`) ends the run quietly with 1; any other
 * write error is reported. */
static int sweep_finish(FILE *f)
{
    int failed = fflush(f) != 0 || ferror(f);
    if (!failed)
        return 0;
    if (errno != EPIPE)
        fprintf(stderr, "logitscope: error writing the output: %s\n", strerror(errno));
    return 1;
}

/* One run: the state a position's settings share. */
struct sweep_run {
    const struct cli_opts *o;
    const struct sweep_plan *plan;
    sweep_print_fn *print;
    struct sweep_out out;
    struct dist d;
    size_t index; /* blocks or row groups printed so far */
    int status;
    /* what penalties, DRY and mirostat read: --history for one vocabulary, a sequence's
     * chosen tokens before each position (buffers for src->n of them), or nothing */
    const struct history *h;
    struct history pos_h;
    uint32_t *h_tokens;
    const char **h_text;
    size_t *h_len;
};

/* Every setting of the plan on d's vocabulary; false when the run must stop. */
static bool sweep_settings(struct sweep_run *run, const struct sweep_at *at)
{
    const struct cli_opts *o = run->o;
    struct ls_error err = {{0}};
    for (size_t i = 0; i < run->plan->n && !ferror(run->out.f) && !run->out.failed; i++) {
        char buf[256];
        struct params p;
        const char *name = sweep_setting(run->plan, o, i, &p, buf, sizeof buf, &err);
        if (err.msg[0]) {
            opt_print_error(err.msg);
            run->status = 2;
            return false;
        }
        if (params_check(&p, &err)) {
            fprintf(stderr, "logitscope: setting \"%s\": %s\n",
                    sweep_escape(&run->out, name, strlen(name), 0), err.msg);
            run->status = 2;
            return false;
        }
        if (engine_apply_history(&run->d, &p, run->h)) {
            run->out.failed = true;
            return false;
        }
        /* penalties and DRY rank the tokens anew: the chosen one's rank is then d's own */
        struct sweep_at here;
        const struct sweep_at *shown = at;
        if (at && at->step.chosen != SOURCE_NONE && run->d.vocab != run->d.source) {
            here = *at;
            here.chosen_rank = source_rank_of(run->d.vocab, at->step.chosen);
            shown = &here;
        }
        /* a summary row shows no sampled column: its draws would be work thrown away */
        if (o->format != FORMAT_SUMMARY && o->samples &&
            engine_draw(&run->d, o->samples, o->seed)) {
            run->out.failed = true;
            return false;
        }
        run->print(&run->out, o, run->index++, name, &run->d, shown);
    }
    return !ferror(run->out.f) && !run->out.failed;
}

/* Position i of a sequence: its vocabulary bound to the run's dist, then every setting. */
static bool sweep_position(struct sweep_run *run, const struct source *src, size_t i)
{
    struct ls_error err = {{0}};
    const struct vocab *v = source_vocab(src, i, &err);
    if (!v || dist_bind(&run->d, v) != 0) {
        opt_print_error(v ? "out of memory" : err.msg);
        run->status = 1;
        return false;
    }
    struct sweep_at at = {.src = src, .i = i};
    if (run->h_tokens) {
        run->pos_h = source_history(src, i, v, run->h_tokens, run->h_text, run->h_len);
        run->h = &run->pos_h;
    }
    source_step(src, i, &at.step);
    at.chosen_rank = at.step.chosen == SOURCE_NONE ? SOURCE_NONE : source_rank_of(v, at.step.chosen);
    return sweep_settings(run, &at);
}

/* The positions --position names, in its order (all of them when not given). */
static void sweep_positions(struct sweep_run *run, const struct source *src)
{
    const struct opt_positions *ps = &run->o->positions;
    bool listed = ps->given && !ps->all;
    size_t ranges = listed ? ps->n : 1;
    for (size_t r = 0; r < ranges; r++) {
        size_t lo = listed ? ps->lo[r] - 1 : 0, hi = listed ? ps->hi[r] - 1 : src->n - 1;
        for (size_t i = lo; i <= hi; i++)
            if (!sweep_position(run, src, i))
                return;
    }
}

/* Every setting of the plan on src (every position of a sequence). h: the history of a
 * single vocabulary, or NULL; a sequence's is its own chosen tokens. */
static int sweep_run(const struct cli_opts *o, const struct sweep_plan *plan,
                     const struct source *src, const struct history *h)
{
    static sweep_print_fn *const print[] = {
        [FORMAT_TEXT] = sweep_print_text,
        [FORMAT_CSV] = sweep_print_csv,
        [FORMAT_SUMMARY] = sweep_print_summary,
    };
    struct sweep_run run = {.o = o, .plan = plan, .print = print[o->format],
                            .out = {.f = stdout}, .h = h};
    struct ls_error err = {{0}};
    const struct vocab *first = source_vocab(src, 0, &err);
    if (!first) {
        opt_print_error(err.msg);
        return 1;
    }
    bool pos_history = src->sequence && sweep_plan_reads_history(plan, o);
    if (pos_history) {
        run.h_tokens = malloc(src->n * sizeof *run.h_tokens);
        run.h_text = malloc(src->n * sizeof *run.h_text);
        run.h_len = malloc(src->n * sizeof *run.h_len);
    }
    if (dist_init_cap(&run.d, first, src->max_vocab) ||
        (pos_history && (!run.h_tokens || !run.h_text || !run.h_len))) {
        fputs("logitscope: out of memory\n", stderr);
        run.status = 1;
    } else if (src->sequence) {
        sweep_positions(&run, src);
    } else {
        sweep_settings(&run, NULL);
    }
    if (run.out.failed) {
        fputs("logitscope: out of memory\n", stderr);
        run.status = 1;
    }
    int written = sweep_finish(run.out.f);
    dist_free(&run.d);
    free(run.h_tokens);
    free((void *)run.h_text);
    free(run.h_len);
    free(run.out.esc);
    return run.status ? run.status : written;
}

/* --history's words could not be read: the message says which option. */
static void sweep_history_error(struct ls_error *err)
{
    char why[sizeof err->msg];
    memcpy(why, err->msg, sizeof why);
    ls_error_set(err, "--history: %.400s", why);
}

/* The next word after --prompt as the vocabulary. */
static int sweep_lm_and_run(const struct cli_opts *o, struct ls_error *err)
{
    struct sweep_plan plan = {.n = 0};
    struct lm_source lm;
    struct source src;
    int status = 2;
    if (lm_source_open(&lm, o, err) != 0)
        return 2;
    int ready = writer_prepare(&lm.writer, err);
    const struct vocab *v = ready ? NULL : writer_vocab(&lm.writer, err);
    if (ready)
        status = ready == WRITER_NO_MEMORY ? 1 : 2;
    else if (v && sweep_plan_build(&plan, o, false, err) == 0) {
        /* what penalties and DRY look back at: the prompt's words (or --history) */
        struct history_text given = {.h = {.n = 0}};
        struct history h = {.mirostat_mu = NAN};
        h.tokens = writer_history(&lm.writer, &h.n);
        if (o->history && history_parse(&given, v, o->history, err) < 0) {
            sweep_history_error(err);
        } else if (sweep_history_unused(&plan, o, err) == 0) {
            source_of_vocab(&src, v);
            status = sweep_run(o, &plan, &src, o->history ? &given.h : &h);
        }
        history_text_free(&given);
    }
    sweep_plan_free(&plan);
    lm_source_close(&lm);
    return status;
}

/* Loads the data and the plan, then runs; the status as sweep_main returns it. */
static int sweep_load_and_run(struct cli_opts *o, struct ls_error *err)
{
    struct sweep_plan plan = {.n = 0};
    struct input in;
    struct source src;
    char *bundled = NULL;
    const char *file = o->file;
    int status = 2;
    if (opt_lm_mode(o))
        return sweep_lm_and_run(o, err);
    if (!file)
        file = bundled = sweep_data("decisions.tsv", err);
    if (file && input_load(&in, file, o, err) == 0) {
        if (in.is_seq) {
            source_of_seq(&src, &in.seq);
            /* no setting options: one summary row per position at T = 1 */
            if (!opt_any_param(o) && !o->settings_path && !o->format_given)
                o->format = FORMAT_SUMMARY;
        } else {
            source_of_vocab(&src, &in.vocab);
        }
        struct history_text h = {.h = {.n = 0}};
        if (o->history && in.is_seq)
            ls_error_set(err, "--history: %s is a model's output, whose history at each "
                              "position is the tokens it chose", in.name);
        else if (o->history && history_parse(&h, &in.vocab, o->history, err) < 0)
            sweep_history_error(err);
        else if (sweep_plan_build(&plan, o, in.is_seq, err) == 0 &&
                 sweep_history_unused(&plan, o, err) == 0)
            status = sweep_run(o, &plan, &src, o->history ? &h.h : NULL);
        history_text_free(&h);
        sweep_plan_free(&plan);
        input_free(&in);
    }
    free(bundled);
    return status;
}

int sweep_main(int argc, char **argv)
{
    struct cli_opts o;
    struct ls_error err = {{0}};
    int status;
    setvbuf(stdout, NULL, _IOFBF, 1 << 16); /* one buffered stream, few write calls */
    switch (opt_parse(argc, argv, CMD_SWEEP, &o, &err)) {
    case OPT_DONE: status = sweep_finish(stdout); break;
    case OPT_RUN: status = sweep_load_and_run(&o, &err); break;
    default: status = 2; break;
    }
    if (status != 0 && err.msg[0])
        opt_print_error(err.msg);
    opt_free(&o);
    return status;
}
