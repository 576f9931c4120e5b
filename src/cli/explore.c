/* explore.c: the explorer's command line. Everything that can be wrong (options, the data
 * file, the lab's settings, no terminal) is found and reported before the screen is touched;
 * then the model is built and handed to the tui, or rendered once for --snapshot. With --lm
 * or --prompt a language model writes: the histogram is its next word after the text. */
#include "explore.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "datapath.h"
#include "input.h"
#include "lmsource.h"
#include "logitscope/parse.h"
#include "logitscope/settings.h"
#include "logitscope/text.h"
#include "logitscope/vocab.h"
#include "model.h"
#include "options.h"
#include "playback.h"
#include "script.h"
#include "tui.h"

/* A starting temperature the slider cannot show would be drawn pinned at its end and
 * stepped from a value off its track: refused, with where to go instead. (top-k above V is
 * clamped by the model: it is the same distribution.) */
static int explore_in_range(const struct params *p, struct ls_error *err)
{
    const struct param_spec *t = param_spec(PARAM_TEMPERATURE);
    double temp = params_real(p, PARAM_TEMPERATURE);
    if (temp <= t->slider_hi)
        return 0;
    return ls_error_set(err, "the explorer's temperature slider spans %g to %g, got -t %g; "
                        "for larger temperatures use `logitscope sweep -t %g`", t->slider_lo,
                        t->slider_hi, temp, temp);
}

/* Everything the model borrows, loaded before the screen is touched. */
struct explore_data {
    struct input in;
    struct source src;
    bool loaded;
    struct lm_source lm; /* with --lm or --prompt: its writer is the explorer's */
    bool have_lm;
    struct settings lab;
    bool have_lab;
    struct script play; /* empty without --play */
    char *bundled;
    const char *name;
};

static int explore_load(struct explore_data *d, const struct cli_opts *o,
                        struct ls_error *err)
{
    const char *file = o->file;
    if (opt_lm_mode(o)) {
        if (lm_source_open(&d->lm, o, err) != 0)
            return -1;
        d->have_lm = true;
        d->name = d->lm.name;
    } else if (!file) {
        file = d->bundled = data_find("decisions.tsv");
        if (!file)
            return ls_error_set(err, "cannot find the bundled data/decisions.tsv (set "
                                "LOGITSCOPE_DATA to the data directory)");
    }
    if (d->have_lm) { /* a prompt after which no word can come is the data's fault */
        if (!writer_vocab(&d->lm.writer, err))
            return -1;
    } else {
        if (input_load(&d->in, file, o, err) != 0)
            return -1;
        d->loaded = true;
        if (d->in.is_seq)
            source_of_seq(&d->src, &d->in.seq);
        else
            source_of_vocab(&d->src, &d->in.vocab);
        d->name = d->in.name;
    }
    /* the lab's six settings for keys 1..6: without the file those keys just say so */
    char *lab = data_find("sweeps/temperature.tsv");
    if (lab) {
        int rc = settings_load(&d->lab, lab, err);
        free(lab);
        if (rc != 0)
            return -1;
        d->have_lab = true;
    }
    /* a bad script line is reported now, with SCRIPT:LINE:, before the screen is touched */
    return o->play_path ? script_load(&d->play, o->play_path, err) : 0;
}

static void explore_unload(struct explore_data *d)
{
    if (d->have_lab)
        settings_free(&d->lab);
    script_free(&d->play);
    if (d->loaded)
        input_free(&d->in);
    if (d->have_lm)
        lm_source_close(&d->lm);
    free(d->bundled);
}

/* The cast header's timestamp: SOURCE_DATE_EPOCH when set (reproducible builds), else
 * fallback: 0 offscreen, so that a recording never depends on when it was made; now, live. */
static int explore_cast_time(long long *out, long long fallback, struct ls_error *err)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    *out = fallback;
    if (!sde || !sde[0])
        return 0;
    size_t v;
    if (parse_size(sde, strlen(sde), &v) != PARSE_OK || v > (size_t)1 << 40) {
        char shown[64];
        text_escape(sde, strlen(sde), 0, shown, sizeof shown);
        return ls_error_set(err, "SOURCE_DATE_EPOCH must be whole seconds since 1970, got "
                            "\"%s\"", shown);
    }
    *out = (long long)v;
    return 0;
}

/* --play's file name without its directories, or NULL. */
static const char *explore_script_name(const struct cli_opts *o)
{
    if (!o->play_path)
        return NULL;
    const char *slash = strrchr(o->play_path, '/');
    return slash && slash[1] ? slash + 1 : o->play_path;
}

/* --cast: the header's title ("logitscope: SCRIPT", or the data file's name) and time. */
static int explore_record(struct tui_record *rec, char *title, size_t cap,
                          const struct cli_opts *o, const char *data_name, bool live,
                          struct ls_error *err)
{
    const char *name = o->play_path ? explore_script_name(o) : data_name;
    snprintf(title, cap, "logitscope: %s", name);
    rec->path = o->cast_path;
    rec->title = title;
    return explore_cast_time(&rec->timestamp, live ? (long long)time(NULL) : 0, err);
}

/* Runs the live explorer; a stop signal is re-raised once the terminal is restored, so the
 * shell sees how we ended. */
static int explore_live(struct model *m, const struct tui_opts *opts,
                        const struct cli_opts *o, const struct explore_data *d,
                        struct ls_error *err)
{
    int sig = 0;
    struct tui_opts to = *opts;
    char title[256];
    struct tui_record rec;
    if (o->cast_path) {
        if (explore_record(&rec, title, sizeof title, o, d->name, true, err) != 0)
            return 2;
        to.record = &rec;
    }
    enum tui_end end = tui_run(m, &to, &sig, err);
    switch (end) {
    case TUI_QUIT: return 0;
    case TUI_GONE: return 1;
    case TUI_ERROR: return 2; /* no usable terminal: err says why */
    case TUI_SIGNAL:
        if (sig) {
            signal(sig, SIG_DFL);
            raise(sig);
        }
        return 1;
    }
    return 1;
}

/* --play offscreen (no terminal, or --size) and --snapshot --play: the script on a screen
 * in memory; out (may be NULL) receives the last frame. */
static int explore_offscreen(struct model *m, const struct tui_opts *to,
                             const struct cli_opts *o, const struct explore_data *d,
                             FILE *out, struct ls_error *err)
{
    char title[256];
    struct tui_record rec;
    if (o->cast_path && explore_record(&rec, title, sizeof title, o, d->name, false, err))
        return 2;
    return playback_offscreen(m, to, &d->play, o->cols, o->rows, o->cast_path ? &rec : NULL,
                              out, err) ? 1 : 0;
}

static int explore_run(struct cli_opts *o, struct ls_error *err)
{
    if (!o->sized) {
        o->cols = LAYOUT_DEFAULT_COLS;
        o->rows = LAYOUT_DEFAULT_ROWS;
    }
    struct params params;
    if (opt_params(o, &params, err) || explore_in_range(&params, err))
        return 2;
    int theme = o->theme ? tui_theme_find(o->theme) : 0;
    if (theme < 0) {
        char shown[96];
        text_escape(o->theme, strlen(o->theme), TEXT_ASCII, shown, sizeof shown);
        ls_error_set(err, "--theme must be dark, light or contrast, got \"%s\"", shown);
        return 2;
    }
    struct explore_data d;
    memset(&d, 0, sizeof d);
    if (explore_load(&d, o, err) != 0) {
        explore_unload(&d);
        return 2;
    }
    /* a script without a terminal, or sized, runs offscreen */
    bool offscreen = o->play_path && (o->snapshot || o->sized || !isatty(STDOUT_FILENO));
    if (!o->snapshot && !offscreen && !isatty(STDOUT_FILENO)) {
        explore_unload(&d);
        ls_error_set(err, "the explorer needs a terminal on stdout; for text output use "
                     "`logitscope sweep` (numbers) or `logitscope --snapshot` (the screen)");
        return 2;
    }
    struct model_config mc = {
        .source = d.have_lm ? NULL : &d.src,
        .writer = d.have_lm ? &d.lm.writer : NULL,
        .position = o->positions.given ? o->positions.lo[0] - 1 : 0,
        .lab = d.have_lab ? &d.lab : NULL,
        .source_name = d.name,
        .params = params,
        .samples = o->samples,
        .seed = o->seed,
        .script_name = explore_script_name(o),
        .captions = (const char *const *)d.play.says,
        .n_captions = d.play.n_says,
    };
    struct model m;
    if (model_init(&m, &mc, err) != 0) {
        explore_unload(&d);
        return 1;
    }
    const char *nc = getenv("NO_COLOR");
    struct tui_opts to = {.ascii = o->ascii, .no_color = o->no_color || (nc && nc[0]),
                          .theme = theme,
                          .no_mouse = o->no_mouse,
                          .play = o->play_path ? &d.play : NULL};
    int status;
    if (offscreen)
        status = explore_offscreen(&m, &to, o, &d, o->snapshot ? stdout : NULL, err);
    else if (o->snapshot)
        status = tui_snapshot(&m, &to, o->cols, o->rows, stdout, err) ? 1 : 0;
    else
        status = explore_live(&m, &to, o, &d, err);
    errno = 0;
    if (status == 0 && o->snapshot && (fflush(stdout) != 0 || ferror(stdout))) {
        ls_error_set(err, "error writing the snapshot: %s", strerror(errno ? errno : EIO));
        status = 1;
    }
    model_free(&m);
    explore_unload(&d);
    return status;
}

int explore_main(int argc, char **argv)
{
    struct cli_opts o;
    struct ls_error err = {{0}};
    /* the locale's character set decides the glyphs; numbers stay in the C locale */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    int status;
    switch (opt_parse(argc, argv, CMD_EXPLORE, &o, &err)) {
    case OPT_DONE:
        status = fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
        if (status && errno != EPIPE)
            ls_error_set(&err, "error writing the output: %s", strerror(errno));
        break;
    case OPT_RUN: status = explore_run(&o, &err); break;
    default: status = 2; break;
    }
    if (status != 0 && err.msg[0])
        opt_print_error(err.msg);
    opt_free(&o);
    return status;
}
