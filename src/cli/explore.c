/* explore.c: the explorer's command line. Everything that can be wrong (options, the data
 * file, the lab's settings, no terminal) is found and reported before the screen is touched;
 * then the model is built and handed to the tui, or rendered once for --snapshot. */
#include "explore.h"

#include <errno.h>
#include <getopt.h>
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
#include "logitscope/parse.h"
#include "logitscope/settings.h"
#include "logitscope/text.h"
#include "logitscope/vocab.h"
#include "model.h"
#include "options.h"
#include "script.h"
#include "tui.h"

#define EXPLORE_SIZE_MAX 1000 /* --size: columns and rows */

static const char explore_usage[] =
    "Usage: logitscope [OPTIONS] [FILE]\n"
    "       logitscope --snapshot [--size COLSxROWS] [OPTIONS] [FILE]\n"
    "       logitscope --play SCRIPT [--cast FILE] [--size COLSxROWS] [OPTIONS] [FILE]\n"
    "\n"
    "The interactive explorer: sliders for temperature, top-p, top-k and min-p over the\n"
    "tokens of FILE (TSV or .npy; default: the bundled data/decisions.tsv). Press ? inside\n"
    "for every key.\n"
    "\n"
    "  -t, --temperature=T   starting temperature, 0 to 5 (default 1)\n"
    "  -k, --top-k=K         starting top-k, 0 = off (default 0)\n"
    "  -p, --top-p=P         starting top-p, 1 = off (default 1)\n"
    "      --min-p=M         starting min-p, 0 = off (default 0)\n"
    "      --order=ORDER     hf (default) or llama\n"
    "  -n, --samples=N       draws per setting (default 10000)\n"
    "      --seed=S          seed for the draws\n"
    "      --vocab=FILE      token names for a .npy file, one per line\n"
    "      --ascii           ASCII glyphs only\n"
    "      --no-color        no colour (also when NO_COLOR is set and not empty)\n"
    "      --no-mouse        leave the mouse to the terminal (default: click and drag the\n"
    "                        sliders, the wheel scrolls the tokens)\n"
    "      --snapshot        print the frame as plain text and exit: no terminal needed\n"
    "      --size=COLSxROWS  the size of a snapshot or an offscreen run (default 80x24)\n"
    "      --play=SCRIPT     press the keys of a key script (data/demos/*.play), with its\n"
    "                        pauses; a key you press takes over, q quits. On a terminal the\n"
    "                        explorer then stays live; without one (or with --size) the\n"
    "                        script runs offscreen and logitscope exits 0\n"
    "      --cast=FILE       record an asciicast v2 file of every byte sent to the terminal.\n"
    "                        With --play offscreen: the script's own timing, byte-identical\n"
    "                        on every run (timestamp SOURCE_DATE_EPOCH, else 0); live: the\n"
    "                        wall clock\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad usage, value or file, or no terminal.\n";

struct explore_opts {
    struct params params;
    size_t samples;
    uint64_t seed;
    const char *vocab_path;
    const char *file;
    const char *play_path, *cast_path;
    bool ascii, no_color, snapshot, sized, no_mouse;
    int cols, rows;
};

enum { EXPLORE_OPT_MIN_P = 256, EXPLORE_OPT_ORDER, EXPLORE_OPT_SEED, EXPLORE_OPT_VOCAB,
       EXPLORE_OPT_ASCII, EXPLORE_OPT_NO_COLOR, EXPLORE_OPT_SNAPSHOT, EXPLORE_OPT_SIZE,
       EXPLORE_OPT_VERSION, EXPLORE_OPT_PLAY, EXPLORE_OPT_CAST, EXPLORE_OPT_NO_MOUSE };

static const struct option explore_longopts[] = {
    {"temperature", required_argument, NULL, 't'},
    {"top-k", required_argument, NULL, 'k'},
    {"top-p", required_argument, NULL, 'p'},
    {"min-p", required_argument, NULL, EXPLORE_OPT_MIN_P},
    {"order", required_argument, NULL, EXPLORE_OPT_ORDER},
    {"samples", required_argument, NULL, 'n'},
    {"seed", required_argument, NULL, EXPLORE_OPT_SEED},
    {"vocab", required_argument, NULL, EXPLORE_OPT_VOCAB},
    {"ascii", no_argument, NULL, EXPLORE_OPT_ASCII},
    {"no-color", no_argument, NULL, EXPLORE_OPT_NO_COLOR},
    {"no-mouse", no_argument, NULL, EXPLORE_OPT_NO_MOUSE},
    {"snapshot", no_argument, NULL, EXPLORE_OPT_SNAPSHOT},
    {"size", required_argument, NULL, EXPLORE_OPT_SIZE},
    {"play", required_argument, NULL, EXPLORE_OPT_PLAY},
    {"cast", required_argument, NULL, EXPLORE_OPT_CAST},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, EXPLORE_OPT_VERSION},
    {NULL, 0, NULL, 0},
};

/* "COLSxROWS", each 1..EXPLORE_SIZE_MAX. */
static int explore_size(const char *arg, int *cols, int *rows, struct ls_error *err)
{
    char shown[96];
    unsigned long c = 0, r = 0;
    const char *x = strchr(arg, 'x');
    char *end = NULL;
    if (x && x > arg && arg[0] >= '0' && arg[0] <= '9' && x[1] >= '0' && x[1] <= '9') {
        c = strtoul(arg, &end, 10);
        if (end == x) {
            r = strtoul(x + 1, &end, 10);
            if (*end == '\0' && c >= 1 && r >= 1 && c <= EXPLORE_SIZE_MAX &&
                r <= EXPLORE_SIZE_MAX) {
                *cols = (int)c;
                *rows = (int)r;
                return 0;
            }
        }
    }
    text_escape(arg, strlen(arg), 0, shown, sizeof shown);
    return ls_error_set(err, "--size must be COLSxROWS with each in [1, %d] (e.g. 80x24), "
                        "got \"%s\"", EXPLORE_SIZE_MAX, shown);
}

static int explore_option(struct explore_opts *o, int c, const char *arg, struct ls_error *err)
{
    switch (c) {
    case 't': return opt_param_one(OPT_TEMPERATURE, arg, &o->params, err);
    case 'k': return opt_param_one(OPT_TOP_K, arg, &o->params, err);
    case 'p': return opt_param_one(OPT_TOP_P, arg, &o->params, err);
    case EXPLORE_OPT_MIN_P: return opt_param_one(OPT_MIN_P, arg, &o->params, err);
    case EXPLORE_OPT_ORDER: return opt_order(arg, &o->params.order, err);
    case 'n': return opt_samples(arg, &o->samples, err);
    case EXPLORE_OPT_SEED: return opt_seed(arg, &o->seed, err);
    case EXPLORE_OPT_VOCAB: o->vocab_path = arg; return 0;
    case EXPLORE_OPT_ASCII: o->ascii = true; return 0;
    case EXPLORE_OPT_NO_COLOR: o->no_color = true; return 0;
    case EXPLORE_OPT_NO_MOUSE: o->no_mouse = true; return 0;
    case EXPLORE_OPT_SNAPSHOT: o->snapshot = true; return 0;
    case EXPLORE_OPT_SIZE: o->sized = true; return explore_size(arg, &o->cols, &o->rows, err);
    case EXPLORE_OPT_PLAY: o->play_path = arg; return 0;
    case EXPLORE_OPT_CAST: o->cast_path = arg; return 0;
    default: return ls_error_set(err, "internal error: option %d", c);
    }
}

/* A starting temperature the slider cannot show would be drawn pinned at its end and
 * stepped from a value off its track: refused, with where to go instead. (top-k above V is
 * clamped by the model: it is the same distribution.) */
static int explore_in_range(const struct params *p, struct ls_error *err)
{
    const struct slider_spec *t = model_slider_spec(SLIDER_TEMPERATURE);
    if (p->temperature <= t->hi)
        return 0;
    return ls_error_set(err, "the explorer's temperature slider spans %g to %g, got -t %g; "
                        "for larger temperatures use `logitscope sweep -t %g`", t->lo, t->hi,
                        p->temperature, p->temperature);
}

enum explore_parsed { EXPLORE_ERROR = -1, EXPLORE_RUN = 0, EXPLORE_DONE = 1 };

static enum explore_parsed explore_parse(int argc, char **argv, struct explore_opts *o,
                                         struct ls_error *err)
{
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":t:k:p:n:h", explore_longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(explore_usage, stdout);
            return EXPLORE_DONE;
        }
        if (c == EXPLORE_OPT_VERSION) {
            puts("logitscope " LS_VERSION);
            return EXPLORE_DONE;
        }
        if (c == '?' || c == ':') {
            opt_getopt_error(c, argv, "logitscope --help", err);
            return EXPLORE_ERROR;
        }
        if (explore_option(o, c, optarg, err))
            return EXPLORE_ERROR;
    }
    if (argc - optind > 1) {
        ls_error_set(err, "the explorer takes at most one FILE, got %d (try `logitscope "
                     "--help`)", argc - optind);
        return EXPLORE_ERROR;
    }
    if (o->sized && !o->snapshot && !o->play_path) {
        ls_error_set(err, "--size is for --snapshot and --play (a live explorer uses the "
                     "terminal's size)");
        return EXPLORE_ERROR;
    }
    if (o->cast_path && o->snapshot && !o->play_path) {
        ls_error_set(err, "--cast with --snapshot records a key script: give --play SCRIPT");
        return EXPLORE_ERROR;
    }
    o->file = optind < argc ? argv[optind] : NULL;
    if (params_check(&o->params, err) || explore_in_range(&o->params, err))
        return EXPLORE_ERROR;
    return EXPLORE_RUN;
}

/* Everything the model borrows, loaded before the screen is touched. */
struct explore_data {
    struct vocab vocab;
    struct settings lab;
    bool have_lab;
    struct script play; /* empty without --play */
    char *bundled;
    const char *name;
};

static int explore_load(struct explore_data *d, const struct explore_opts *o,
                        struct ls_error *err)
{
    const char *file = o->file;
    if (!file) {
        file = d->bundled = data_find("decisions.tsv");
        if (!file)
            return ls_error_set(err, "cannot find the bundled data/decisions.tsv (set "
                                "LOGITSCOPE_DATA to the data directory)");
    }
    if (vocab_load(&d->vocab, file, o->vocab_path, err) != 0)
        return -1;
    const char *slash = strrchr(file, '/');
    d->name = slash && slash[1] ? slash + 1 : file;
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
    vocab_free(&d->vocab);
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

/* --cast: the header's title ("logitscope: SCRIPT", or the data file's name) and time. */
static int explore_record(struct tui_record *rec, char *title, size_t cap,
                          const struct explore_opts *o, const char *data_name, bool live,
                          struct ls_error *err)
{
    const char *name = data_name;
    if (o->play_path) {
        const char *slash = strrchr(o->play_path, '/');
        name = slash && slash[1] ? slash + 1 : o->play_path;
    }
    snprintf(title, cap, "logitscope: %s", name);
    rec->path = o->cast_path;
    rec->title = title;
    return explore_cast_time(&rec->timestamp, live ? (long long)time(NULL) : 0, err);
}

/* Runs the live explorer; a stop signal is re-raised once the terminal is restored, so the
 * shell sees how we ended. */
static int explore_live(struct model *m, const struct tui_opts *opts,
                        const struct explore_opts *o, const struct explore_data *d,
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
                             const struct explore_opts *o, const struct explore_data *d,
                             FILE *out, struct ls_error *err)
{
    char title[256];
    struct tui_record rec;
    if (o->cast_path && explore_record(&rec, title, sizeof title, o, d->name, false, err))
        return 2;
    return tui_play_offscreen(m, to, &d->play, o->cols, o->rows, o->cast_path ? &rec : NULL,
                              out, err) ? 1 : 0;
}

static int explore_run(const struct explore_opts *o, struct ls_error *err)
{
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
        .vocab = &d.vocab,
        .lab = d.have_lab ? &d.lab : NULL,
        .source_name = d.name,
        .params = o->params,
        .samples = o->samples,
        .seed = o->seed,
    };
    struct model m;
    if (model_init(&m, &mc, err) != 0) {
        explore_unload(&d);
        return 1;
    }
    const char *nc = getenv("NO_COLOR");
    struct tui_opts to = {.ascii = o->ascii, .no_color = o->no_color || (nc && nc[0]),
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
    struct explore_opts o = {
        .params = params_default(),
        .samples = ENGINE_DEFAULT_SAMPLES,
        .seed = ENGINE_DEFAULT_SEED,
        .cols = 80,
        .rows = 24,
    };
    struct ls_error err = {{0}};
    /* the locale's character set decides the glyphs; numbers stay in the C locale */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    int status;
    switch (explore_parse(argc, argv, &o, &err)) {
    case EXPLORE_DONE: status = fflush(stdout) == 0 ? 0 : 1; break;
    case EXPLORE_RUN: status = explore_run(&o, &err); break;
    default: status = 2; break;
    }
    if (status != 0 && err.msg[0])
        opt_print_error(err.msg);
    return status;
}
