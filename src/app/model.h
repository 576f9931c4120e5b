/* model.h: the explorer's whole state as a plain struct, changed only by model_update() with
 * an action. No curses, no I/O: tests drive it with key sequences, and the tui only reads it. */
#ifndef LOGITSCOPE_APP_MODEL_H
#define LOGITSCOPE_APP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "action.h"
#include "layout.h"
#include "logitscope/engine.h"
#include "logitscope/error.h"
#include "logitscope/settings.h"
#include "logitscope/vocab.h"
#include "source.h"
#include "writer.h"

/* One slider: a parameter of a stage of the chain, shown on that stage's row. A stage with
 * several parameters (temperature with dynatemp, XTC) shares its row between them. Ranges,
 * grids and off values are the parameter table's (sampler.h). */
struct slider {
    enum param_id param;
    int row;   /* the chain stage */
    int cell;  /* its place on the row, of `cells` */
    int cells;
};

#define MODEL_SLIDERS_MAX (SAMPLER_COUNT * SAMPLER_PARAMS_MAX)

/* What changed, as returned by model_update(). */
enum model_change {
    MODEL_CHANGED_NONE = 0,
    MODEL_CHANGED_PARAMS = 1 << 0, /* distribution recomputed (engine_apply + engine_draw) */
    MODEL_CHANGED_DRAWS = 1 << 1,  /* counts redrawn (new seed) */
    MODEL_CHANGED_VIEW = 1 << 2,   /* focus, help, scroll, message, generated line */
    MODEL_CHANGED_REDRAW = 1 << 3, /* the screen must be repainted from scratch */
    MODEL_CHANGED_QUIT = 1 << 4,
};

/* Where the explorer starts and what `r` returns to. */
struct model_config {
    const struct vocab *vocab;     /* borrowed; outlives the model (when source is NULL) */
    struct writer *writer;         /* borrowed, may be NULL: a language model writing, with its
                                    * prompt and seed set (vocab and source are then unused) */
    const struct source *source;   /* borrowed, may be NULL: a sequence of positions */
    size_t position;               /* where a sequence opens, from 0 */
    const struct settings *lab;    /* borrowed, may be NULL: keys 1..6 */
    const char *source_name;       /* shown in the title; borrowed */
    struct params params;
    size_t samples;
    uint64_t seed;
    /* A key script (--play): its name (borrowed; the status line names it while it plays
     * live) and its captions (borrowed; ACT_SAY shows one). NULL / 0: none. */
    const char *script_name;
    const char *const *captions;
    size_t n_captions;
};

/* ACT_PLAY's arg: what the tui says about a script it plays on the live terminal. */
enum model_play {
    MODEL_PLAY_LIVE = 1,   /* it starts: the status line says so until it ends */
    MODEL_PLAY_DONE = 0,   /* it played to its end; its last caption stays */
    MODEL_PLAY_PERSON = -1, /* a person's key: the script's caption goes, and when the script
                             * was still playing a message says the keys are theirs now */
};

/* The entropy curve (g): H at temperatures 0..5 for the current filters, one sample per dot
 * column, but at most MODEL_CURVE_WORK / V samples (at least MODEL_CURVE_MIN) so that the
 * whole curve stays cheap at any V: the plot joins the samples with straight lines. A
 * keystroke computes at most MODEL_CURVE_KEY_WORK / V of them, coarse first (every 8th, then
 * every 4th, ...), and the rest come in idle ticks (ACT_IDLE) while no key is waiting; until
 * then the missing ones are drawn on the line between their computed neighbours. At V = 10
 * the first keystroke computes them all. */
#define MODEL_CURVE_MAX 1024
#define MODEL_CURVE_MIN 11
#define MODEL_CURVE_WORK (1u << 25)
#define MODEL_CURVE_KEY_WORK (1u << 22)

struct model_curve {
    struct dist dist;         /* the engine's workspace for the sweep; allocated on first g */
    bool ready;               /* dist is allocated */
    bool valid;               /* bits[] is for `key` and n (some samples may be pending) */
    struct params key;        /* the filters it was computed with (temperature unused) */
    size_t gen_key;           /* ... and the text written (penalties and DRY look at it) */
    double mu_key;
    size_t n;                 /* samples: T_i = 5 i / (n - 1), i < n */
    size_t pending;           /* samples not computed yet */
    double bits[MODEL_CURVE_MAX];
    bool have[MODEL_CURVE_MAX]; /* bits[i] is engine_apply's; else a line between neighbours */
    unsigned long applies;    /* engine_apply calls for the curve so far (tests) */
};

/* A sequence's positions as the current chain sees them. Every position is run through the
 * chain again when it changes while that costs little: when the positions' vocabularies add
 * up to at most MODEL_SCAN_WORK tokens (about 11 ns a token: 2,000 positions of a top-20
 * response take 0.5 ms, the most allowed about 6 ms; bench/seq_bench.c). Beyond that (a .npy
 * of whole rows, each refilled and run), or when the chain reads a history (penalties, DRY,
 * mirostat: position i reads i tokens, n^2 / 2 in all) past the same budget, only the
 * positions visited since the chain last changed are known, and the status line says so. */
#define MODEL_SCAN_WORK ((size_t)1 << 19)

enum model_mark {
    MODEL_MARK_UNSEEN = 0, /* not run through this chain yet */
    MODEL_MARK_KEPT,       /* the chain keeps its chosen token */
    MODEL_MARK_OUTSIDE,    /* the chain cuts its chosen token */
    MODEL_MARK_NO_CHOSEN,  /* run, but the source does not say which token was chosen */
};

struct model_seq {
    size_t pos;               /* the current position, from 0 */
    struct source_step step;  /* its facts */
    size_t chosen_rank;       /* its chosen token's rank, or SOURCE_NONE */
    bool whole;               /* every position is run on each change of the chain */
    double *bits;             /* per position: entropy under the chain (bits), NaN unseen */
    unsigned char *mark;      /* per position: enum model_mark */
    size_t *rank;             /* per position: the chosen token's rank, once known */
    size_t seen, outside;     /* positions with a chosen token run through this chain, and
                               * how many of those the chain cuts */
    struct dist scan;         /* the workspace of passes over other positions */
    /* a position's history (the tokens chosen before it) for penalties, DRY and mirostat */
    uint32_t *hist_tokens;
    const char **hist_text;
    size_t *hist_len;
    unsigned long scan_applies; /* engine_apply calls of those passes (tests, benchmark) */
};

/* A language model writing (the explorer opened with --lm). The histogram is the next word
 * after the text: the writer's vocabulary, refilled in place for each context, to which every
 * dist stays bound. Space writes a word drawn with the chain (writer_write: the k-th written
 * word from the seed and k alone), Backspace takes it back, e edits the prompt (a line typed
 * on the status line, PROMPT_TEXT), w writes on,
 * a word every MODEL_LM_PACE_MS, until a key or the end of a sentence. The pace is kept by
 * whoever drives the model (the terminal's timed wait live, the script's clock offscreen),
 * which sends ACT_TICK; the model itself never waits. In A/B compare A writes a text of its own
 * with the pinned settings, from the same text and seed, so both sides draw with the same
 * random numbers; the histogram stays B's context, its A column the pinned settings on it. */
#define MODEL_LM_PACE_MS 400     /* writing on: a word every 0.4 s, a pace a class can read */
#define MODEL_LM_WORDS_MAX 1000  /* words written after the prompt; their room is reserved */

struct model_lm {
    struct writer *writer;    /* B's text, the histogram's context: borrowed (the config's);
                               * NULL without a language model */
    struct writer a;          /* A's text in compare, the same model: made on the first c */
    bool have_a;
    bool ab;                  /* c: A writes a text of its own; the histogram's A column
                               * (compare) shows while A and B rank the words alike, which
                               * penalties or DRY with other settings may undo */
    bool writing;             /* w: a word a tick until a key or </s> */
    unsigned long ticks;      /* words written by ticks so far (tests) */
};

/* The running-total column (m): shown while top-p is on, until m says otherwise. */
enum model_cum {
    MODEL_CUM_AUTO = 0,
    MODEL_CUM_ON,
    MODEL_CUM_OFF,
};

/* A line typed on the status line: a value for the focused slider (= or Enter), a token's
 * text to find (/), or a language model's prompt (e). */
#define MODEL_PROMPT_MAX 512 /* bytes typed at most: a language model's prompt is the longest */
struct model_prompt {
    enum action_prompt kind;    /* PROMPT_NONE: none open */
    enum param_id param;         /* VALUE: the slider it is for */
    char text[MODEL_PROMPT_MAX]; /* typed so far, UTF-8, NUL-terminated */
    size_t len;
};

/* The last text found (/): the row it found stays highlighted until the position changes or
 * a find is cancelled; / and Enter with nothing typed finds its next match. */
#define MODEL_FIND_NONE ((size_t)-1)
struct model_find {
    char text[MODEL_PROMPT_MAX];
    size_t len;  /* 0: nothing searched for yet */
    size_t rank; /* the row found, or MODEL_FIND_NONE */
};

/* Undo (u) and redo (U) of the settings: the sliders, the chain, the lab's settings, a reset,
 * a new seed. A ring of states: the MODEL_UNDO_MAX newest are kept. */
#define MODEL_UNDO_MAX 64
struct model_state {
    struct params params;
    uint64_t seed;
};
struct model_undo {
    struct model_state ring[MODEL_UNDO_MAX]; /* [first, first + back): the states before each
                                              * change, oldest first; then `ahead` to redo */
    int first, back, ahead;
    int set_param; /* the parameter of the last change a mouse drag made (ACT_SET), or -1: a
                    * drag's many small moves are one change */
};

#define MODEL_GEN_MAX 256 /* tokens kept for the generated line (the screen shows the tail) */
#define MODEL_MESSAGE_MAX 160

struct model {
    struct model_config start;
    const struct source *src;    /* the config's source, or `single` */
    struct source single;        /* one vocabulary as a source of one position */
    struct model_seq seq;
    /* What the ranks of dist index: the current position's vocabulary (dist.source), or its
     * copy re-sorted after penalties or DRY changed logits (dist.vocab); the view reads
     * tokens through it. */
    const struct vocab *vocab;
    struct dist dist;            /* always computed from params/samples/seed */
    struct params params;
    size_t samples;
    uint64_t seed;
    struct slider sliders[MODEL_SLIDERS_MAX]; /* the chain's, in chain order */
    int n_sliders;
    int focus;                   /* the focused slider, an index into sliders */
    int slider_top;              /* the first chain row shown when not all of them fit */
    bool picker;                 /* the picker of samplers to add is open */
    int picker_at;               /* its highlighted entry */
    bool help;
    size_t help_top;             /* first line of the help overlay shown (it scrolls) */
    bool quit;
    size_t scroll;               /* first rank the histogram shows */
    /* The terminal (ACT_RESIZE, ACT_GLYPHS; 80x24 Unicode until told), and where everything
     * goes on it for the panels open now: kept current by model_update, read by the view. */
    struct layout_screen screen;
    struct layout layout;
    struct rng seed_rng;         /* where `s` gets new seeds: reproducible from the start seed */
    struct rng gen_rng;          /* Space's draws */
    uint32_t gen[MODEL_GEN_MAX]; /* file indices of generated tokens, a ring */
    size_t gen_count;            /* tokens generated so far (ring index = count % MAX) */
    /* The generated tokens are the history of penalties, DRY and mirostat (the last
     * MODEL_GEN_MAX of them); mirostat's mu moves with each. */
    double mirostat_mu;          /* NaN: mirostat's start, 2 tau */
    uint32_t hist[MODEL_GEN_MAX]; /* the ring in order, for the engine */
    char message[MODEL_MESSAGE_MAX]; /* one-shot status text; cleared by the next action */
    const char *caption;         /* a key script's caption under the frame (ACT_SAY), or NULL */
    bool playing;                /* a key script plays on the live terminal (ACT_PLAY) */
    unsigned long applies;       /* engine_apply calls so far (tests check there is one per change) */
    bool plot;                   /* g: the entropy curve is shown */
    struct model_curve curve;
    bool compare;                /* c: A/B compare; B is dist, A is dist_a */
    bool have_a;                 /* dist_a is allocated (on the first c) */
    struct params pin;           /* A's settings */
    struct dist dist_a;          /* A: pinned params, the same N and seed as B */
    /* The histogram's teaching aids: columns and scales a key turns on, and what each stage
     * of the chain was given (cut tokens' ghosts, threshold lines, top-p's running total),
     * computed with the distribution. */
    bool logits;                 /* z: logit and logit/T columns */
    bool log_bars;               /* b: bars on a log scale */
    enum model_cum cum;          /* m */
    size_t drawn;                /* the rank Space just drew, lit until the next key; or
                                  * SOURCE_NONE */
    struct stage_inputs inputs;
    struct model_prompt prompt;  /* a line being typed (= Enter /) */
    struct model_find find;      /* the last token found (/) */
    struct model_undo undo;      /* u U */
    struct model_lm lm;
};

/* Allocates the distribution (the only allocation) and computes it. params must pass
 * params_check(). */
int model_init(struct model *m, const struct model_config *c, struct ls_error *err);
void model_free(struct model *m);

/* Work waits for idle time (the curve's finer samples): the tui sends ACT_IDLE while no key
 * is waiting, and offscreen screens finish it before a frame. */
bool model_busy(const struct model *m);

/* What a key means now: the help overlay and the picker have keys of their own. */
struct action model_key_action(const struct model *m, int key);

/* Applies one action; returns a mask of enum model_change. Never allocates, but for the
 * workspace penalties and DRY make the first time they change something (and grow when the
 * text makes them change more tokens than ever before). */
unsigned model_update(struct model *m, const struct action *a);

/* The chain is llama.cpp's preset (temperature last). */
bool model_is_llama(const struct model *m);
/* The focused slider's parameter. */
enum param_id model_focus_param(const struct model *m);
/* The slider of a parameter, or -1 when its sampler is not in the chain. */
int model_slider_of(const struct model *m, enum param_id p);
/* A slider's track: its low and high ends (top-k's high end is V). */
double model_slider_lo(enum param_id p);
double model_slider_hi(const struct model *m, enum param_id p);
double model_slider_value(const struct model *m, enum param_id p);
/* At its sampler's "does nothing" value (temperature has none: T = 1 is a setting too). */
bool model_slider_is_off(const struct model *m, enum param_id p);
/* Knob position in [0, 1] along the track (top-k is logarithmic when V is large). */
double model_slider_fraction(const struct model *m, enum param_id p);
/* The value for a track position in [0, 1] (the inverse of the above, on the grid). */
double model_slider_at(const struct model *m, enum param_id p, double fraction);

/* Whether the line saying what the focused slider does is on screen: in a row of its own, or
 * in the generated line's while nothing is generated. */
bool model_knob_shown(const struct model *m);

/* What 0 does to the focused slider, in a few words: "off", "T=1", "thr=0.1". */
void model_off_label(const struct model *m, char *buf, size_t cap);

/* The picker's entries: the samplers not in the chain, in table order. Returns how many. */
int model_picker_entries(const struct model *m, enum sampler_id *out);

/* The curve's temperature of sample i (0..5). */
double model_curve_t(const struct model *m, size_t i);

/* The chain has a sampler that reads the generated text (penalties, DRY, mirostat). */
bool model_uses_history(const struct params *p);

/* The i-th generated token counting from the oldest still kept; n = model_gen_len(). */
size_t model_gen_len(const struct model *m);
uint32_t model_gen_at(const struct model *m, size_t i);

/* A language model writes (keys Space Backspace e w, its text). */
static inline bool model_is_lm(const struct model *m)
{
    return m->lm.writer != NULL;
}

/* While the model writes on: the milliseconds between two ACT_TICKs; else 0. */
int model_tick_ms(const struct model *m);

/* A sequence of positions is open (keys n p ^ $ f, the text and entropy strips). */
static inline bool model_is_sequence(const struct model *m)
{
    return m->src->sequence;
}

/* The running-total column shows (m, or top-p on). */
bool model_cum_shown(const struct model *m);

/* Largest useful scroll offset for the current view size. */
size_t model_scroll_max(const struct model *m);

#endif
