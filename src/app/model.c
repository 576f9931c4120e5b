/* model.c: the explorer's state machine. model_update() hands each action to the part that
 * owns it (model_slider.c, model_chain.c, model_seq.c, model_curve.c, model_prompt.c,
 * model_undo.c, model_lm.c); start, reset, the seed, Space's draws and the screen's layout
 * stay here. Every action that changes a parameter runs the engine (model_engine.c) exactly
 * once; nothing allocates after model_init(), so a keystroke costs the same at V = 10 and
 * V = 262,144. */
#include "model.h"
#include "model_internal.h"

#include "keymap.h"
#include "logitscope/parse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The one-shot status message; a long one is cut (the status line shows what fits). */
void model_say(struct model *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->message, sizeof m->message, fmt, ap);
    va_end(ap);
}

bool model_is_llama(const struct model *m)
{
    return chain_which_preset(&m->params.chain) == PRESET_LLAMA;
}

/* Space's draws and a language model's words follow the seed. */
void model_seed_gen(struct model *m)
{
    rng_seed(&m->gen_rng, m->seed ^ 0x9E3779B97F4A7C15ULL);
    model_lm_seed(m);
}

static void model_seed_rngs(struct model *m)
{
    rng_seed(&m->seed_rng, m->seed ^ 0x5DEECE66DULL);
    model_seed_gen(m);
}

/* The histogram's first row shown, kept within what there is to scroll. */
void model_scroll_set(struct model *m, size_t row)
{
    size_t max = model_scroll_max(m);
    m->scroll = row > max ? max : row;
}

/* 1..6: a lab row's values for the samplers in the chain (the chain is the explorer's own);
 * a value the row sets for a sampler the chain lacks is named, not silently dropped. */
static unsigned model_lab(struct model *m, int index)
{
    const struct settings *lab = m->start.lab;
    if (!lab || index < 1 || (size_t)index > lab->n) {
        snprintf(m->message, sizeof m->message, "no lab setting %d (%zu loaded)", index,
                 lab ? lab->n : (size_t)0);
        return MODEL_CHANGED_VIEW;
    }
    const struct setting *st = &lab->items[index - 1];
    struct params p = st->params;
    p.chain = m->params.chain;
    p.breakers = m->params.breakers; /* a lab row is about the numbers */
    int unused = params_unused(&p);
    for (int i = 0; i < PARAM_COUNT; i++) {
        const struct param_spec *ps = param_spec((enum param_id)i);
        if (ps->sampler != SAMPLER_NONE && !chain_has(&p.chain, ps->sampler))
            p.v[i] = m->params.v[i];
    }
    m->params = p;
    model_build_sliders(m);
    model_apply(m);
    if (unused >= 0)
        model_say(m, "lab %d: %s (its %s is not in the chain)", index, st->name ? st->name : "",
                  param_spec((enum param_id)unused)->name);
    else
        model_say(m, "lab %d: %s", index, st->name ? st->name : "");
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

static unsigned model_new_seed(struct model *m)
{
    m->seed = rng_next(&m->seed_rng) & 0xFFFFFFFFu; /* short enough to type into --seed */
    model_seed_gen(m);
    engine_draw(&m->dist, m->samples, m->seed);
    model_draw_a(m);
    snprintf(m->message, sizeof m->message, "new seed %llu", (unsigned long long)m->seed);
    return MODEL_CHANGED_DRAWS | MODEL_CHANGED_VIEW;
}

/* Space: one token drawn and written. When the chain reads the text, the distribution
 * (and A's) follows it, and mirostat's mu moves by the token's surprise. Where the screen has
 * no generated line (small terminals) the draw is told on the status line, so a key never
 * seems to do nothing. */
static unsigned model_draw_one(struct model *m)
{
    if (model_is_lm(m))
        return model_lm_write(m);
    size_t r = engine_draw_one(&m->dist, &m->gen_rng);
    m->gen[m->gen_count % MODEL_GEN_MAX] = m->dist.vocab->order[r];
    m->gen_count++;
    m->drawn = r;
    if (m->layout.gen.h == 0) {
        char buf[24];
        size_t len;
        const char *tok = vocab_token(m->vocab, m->vocab->order[r], buf, &len);
        model_say(m, "drew \"%.*s\" #%zu %.2f%%", (int)(len < 64 ? len : 64), tok, r + 1,
                  100.0 * dist_prob_rank(&m->dist, r));
    }
    /* a sequence's history is the file's own choices: a draw changes nothing there */
    if (m->src->sequence ||
        (!model_uses_history(&m->params) && !(m->compare && model_uses_history(&m->pin))))
        return MODEL_CHANGED_VIEW;
    double mu = m->mirostat_mu, next = mirostat_update(&m->dist, r);
    if (!isnan(next) && !sampler_is_off(&m->params, SAMPLER_MIROSTAT)) {
        m->mirostat_mu = next;
        model_say(m, "mirostat mu %.2f -> %.2f (tau %.2f)",
                  isnan(mu) ? mirostat_start(&m->params) : mu, next,
                  params_real(&m->params, PARAM_MIROSTAT_ENT));
    }
    if (m->compare) {
        model_engine(m, &m->dist_a, &m->pin, m->seq.pos);
        m->applies++;
    }
    model_apply(m);
    model_draw_a(m);
    /* penalties and DRY may have ranked the tokens anew: light the token drawn, where it is */
    m->drawn = source_rank_of(m->dist.vocab, m->gen[(m->gen_count - 1) % MODEL_GEN_MAX]);
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

static unsigned model_reset(struct model *m)
{
    m->params = m->start.params;
    m->samples = m->start.samples;
    m->seed = m->start.seed;
    m->n_sliders = 0;
    m->focus = 0;
    model_build_sliders(m);
    int t = model_slider_of(m, PARAM_TEMPERATURE);
    m->focus = t >= 0 ? t : 0;
    m->slider_top = 0;
    m->help = false;
    m->picker = false;
    m->scroll = 0;
    m->gen_count = 0;
    m->mirostat_mu = NAN;
    m->drawn = SOURCE_NONE;
    model_seed_rngs(m);
    model_apply(m);
    model_relayout(m);
    model_draw_a(m); /* the panels stay as they are: r resets the settings, A stays pinned */
    snprintf(m->message, sizeof m->message, "reset");
    return MODEL_CHANGED_PARAMS | MODEL_CHANGED_VIEW;
}

size_t model_scroll_max(const struct model *m)
{
    size_t n = m->vocab->n, rows = (size_t)m->layout.page_rows;
    return n > rows ? n - rows : 0;
}

#define MODEL_MARK_ROWS (2 * SAMPLER_COUNT) /* where a stage's range ends, and begins */
#define MODEL_SCREEN_MAX 100000 /* columns or rows: far beyond any terminal */

/* The layout for the screen and the panels open now, and what follows from it: the scroll
 * and the help's first line kept in range, the curve sampled for the plot's width. Every
 * action that changes the screen or opens or closes a panel ends here. */
void model_relayout(struct model *m)
{
    unsigned strips = model_is_sequence(m) ? LAYOUT_STRIPS_SEQUENCE : 0;
    if (model_is_lm(m))
        strips = LAYOUT_STRIP_TEXT | (m->lm.ab ? LAYOUT_STRIP_TEXT_A : 0);
    layout_make(&m->layout, &m->screen, m->params.chain.n, model_vocab_max(m) + MODEL_MARK_ROWS,
                m->plot, strips, m->caption != NULL);
    if (m->picker) {
        enum sampler_id avail[SAMPLER_COUNT];
        int n = model_picker_entries(m, avail), w = 0;
        for (int i = 0; i < n; i++) {
            const struct sampler_spec *ss = sampler_spec(avail[i]);
            int len = (int)(strlen(ss->label) + 2 + strlen(ss->meaning));
            w = len > w ? len : w;
        }
        layout_picker(&m->layout, n, w);
    }
    size_t help_max = (size_t)m->layout.help.max_top;
    model_scroll_set(m, m->scroll);
    m->help_top = m->help_top > help_max ? help_max : m->help_top;
    model_slider_scroll(m);
    model_curve_refresh(m);
}

static int model_screen_size(double v)
{
    return !(v > 0) ? 0 : v > MODEL_SCREEN_MAX ? MODEL_SCREEN_MAX : (int)v;
}

/* ACT_RESIZE and ACT_GLYPHS: the terminal, as the tui sees it. */
static unsigned model_screen(struct model *m, const struct action *a)
{
    struct layout_screen s = m->screen;
    if (a->kind == ACT_GLYPHS) {
        s.ascii = a->arg != 0;
    } else {
        s.cols = model_screen_size(a->arg);
        s.rows = model_screen_size(a->value);
    }
    if (s.cols == m->screen.cols && s.rows == m->screen.rows && s.ascii == m->screen.ascii)
        return MODEL_CHANGED_NONE;
    m->screen = s;
    model_relayout(m);
    return MODEL_CHANGED_VIEW;
}

static unsigned model_scroll_by(struct model *m, long long rows)
{
    size_t old = m->scroll, max = model_scroll_max(m);
    if (rows < 0)
        m->scroll = (unsigned long long)-rows > m->scroll ? 0 : m->scroll - (size_t)-rows;
    else
        m->scroll = (unsigned long long)rows > max - (m->scroll < max ? m->scroll : max)
                        ? max
                        : m->scroll + (size_t)rows;
    return m->scroll != old ? MODEL_CHANGED_VIEW : MODEL_CHANGED_NONE;
}

bool model_cum_shown(const struct model *m)
{
    if (m->cum != MODEL_CUM_AUTO)
        return m->cum == MODEL_CUM_ON;
    return chain_has(&m->params.chain, SAMPLER_TOP_P) && !sampler_is_off(&m->params, SAMPLER_TOP_P);
}

/* z, b and m: the histogram's columns and scale; the message says what now shows (columns
 * need the histogram's header row to be named, and compare mode has its own). */
static unsigned model_view_toggle(struct model *m, enum action_kind kind)
{
    bool on;
    const char *what;
    switch (kind) {
    case ACT_LOGITS:
        on = m->logits = !m->logits;
        what = "logit and logit/T columns";
        break;
    case ACT_LOG_BARS:
        on = m->log_bars = !m->log_bars;
        model_say(m, "%s", on ? "bars on a log scale (b: linear)" : "bars on a linear scale");
        return MODEL_CHANGED_VIEW;
    default:
        m->cum = model_cum_shown(m) ? MODEL_CUM_OFF : MODEL_CUM_ON;
        on = m->cum == MODEL_CUM_ON;
        what = "cumulative mass column";
        break;
    }
    const char *where = !on ? "" : m->compare ? " (after compare: c)"
                               : m->layout.header.h == 0 ? " (on a taller terminal)" : "";
    model_say(m, "%s %s%s", what, on ? "on" : "off", where);
    return MODEL_CHANGED_VIEW;
}

/* Help open: rows and pages, kept between the first line and the last page. */
static unsigned model_help_scroll(struct model *m, const struct action *a)
{
    if (!m->help)
        return MODEL_CHANGED_NONE;
    int shown = m->layout.help.page;
    double page = shown > 1 ? shown - 1 : 1; /* one line of context */
    double top = (double)m->help_top + a->arg + a->value * page, max = m->layout.help.max_top;
    top = top < 0 ? 0 : top > max ? max : top;
    if ((size_t)top == m->help_top)
        return MODEL_CHANGED_NONE;
    m->help_top = (size_t)top;
    return MODEL_CHANGED_VIEW;
}

/* ACT_SAY: the script's caption i; its row comes and goes with it. */
static unsigned model_caption(struct model *m, int i)
{
    const char *text = NULL;
    if (i >= 0 && (size_t)i < m->start.n_captions && m->start.captions[i][0])
        text = m->start.captions[i];
    if (text == m->caption)
        return MODEL_CHANGED_NONE;
    m->caption = text;
    model_relayout(m);
    return MODEL_CHANGED_VIEW;
}

/* ACT_PLAY: a script on the live terminal starts, ends, or a person takes the keys. */
static unsigned model_play(struct model *m, int what)
{
    bool was = m->playing;
    m->playing = what == MODEL_PLAY_LIVE;
    unsigned changed = was != m->playing ? MODEL_CHANGED_VIEW : MODEL_CHANGED_NONE;
    if (what != MODEL_PLAY_PERSON)
        return changed;
    if (was) { /* after the key's own message, if it had one */
        char said[MODEL_MESSAGE_MAX];
        memcpy(said, m->message, sizeof said);
        if (said[0])
            model_say(m, "you have the keys; %s", said);
        else
            model_say(m, "you have the keys");
        changed = MODEL_CHANGED_VIEW;
    }
    return changed | model_caption(m, -1);
}

/* The actions that change a parameter or the view. */
static unsigned model_dispatch(struct model *m, const struct action *a)
{
    enum param_id p = model_focus_param(m);
    switch (a->kind) {
    case ACT_FOCUS: return model_explain(m, model_focus(m, a->arg));
    case ACT_FOCUS_CELL: return model_explain(m, model_focus_cell(m, a->arg));
    case ACT_STEP: return model_step(m, a->arg);
    case ACT_HOME: return model_set(m, p, model_slider_lo(p));
    case ACT_END: return model_set(m, p, model_slider_hi(m, p));
    case ACT_OFF: return model_off(m);
    case ACT_SET: return model_set_action(m, a);
    case ACT_LAB: return model_lab(m, a->arg);
    case ACT_ORDER: return model_next_preset(m);
    case ACT_SEED: return model_new_seed(m);
    case ACT_DRAW_ONE: return model_draw_one(m);
    case ACT_RESET: return model_reset(m);
    case ACT_HELP:
        m->help = !m->help;
        m->help_top = 0;
        return MODEL_CHANGED_VIEW;
    case ACT_HELP_SCROLL: return model_help_scroll(m, a);
    case ACT_SCROLL: return model_scroll_by(m, (long long)a->arg * m->layout.page_rows);
    case ACT_SCROLL_ROWS: return model_scroll_by(m, a->arg);
    case ACT_REDRAW: return MODEL_CHANGED_REDRAW;
    case ACT_QUIT: m->quit = true; return MODEL_CHANGED_QUIT;
    case ACT_PLOT: return model_plot(m);
    case ACT_COMPARE: return model_compare(m);
    case ACT_RESIZE:
    case ACT_GLYPHS: return model_screen(m, a);
    case ACT_FOCUS_SET: return model_explain(m, model_focus_set(m, a->arg));
    case ACT_CHAIN_PICK: return model_picker_open(m);
    case ACT_CHAIN_REMOVE: return model_chain_remove(m);
    case ACT_CHAIN_MOVE:
        return model_chain_move_to(m, model_focus_row(m), model_focus_row(m) + a->arg);
    case ACT_CHAIN_DRAG: return model_chain_move_to(m, a->arg, (int)a->value);
    case ACT_PICK_MOVE: return m->picker ? model_picker_move(m, a->arg) : MODEL_CHANGED_NONE;
    case ACT_PICK_TAKE: return m->picker ? model_picker_take(m, a->arg) : MODEL_CHANGED_NONE;
    case ACT_PICK_CLOSE: return m->picker ? model_picker_close(m) : MODEL_CHANGED_NONE;
    case ACT_IDLE: return model_idle(m);
    case ACT_POSITION: return model_step_position(m, a->arg);
    case ACT_POSITION_END: return model_goto(m, a->arg < 0 ? 0 : m->src->n - 1);
    case ACT_POSITION_SET: return a->arg >= 0 ? model_goto(m, (size_t)a->arg) : MODEL_CHANGED_NONE;
    case ACT_NEXT_OUTSIDE: return model_next_outside(m);
    case ACT_UNWRITE: return model_lm_unwrite(m);
    case ACT_WRITE_ON: return model_lm_write_on(m);
    case ACT_TICK: return model_lm_tick(m);
    case ACT_SAY: return model_caption(m, a->arg);
    case ACT_PLAY: return model_play(m, a->arg);
    case ACT_LOGITS:
    case ACT_LOG_BARS:
    case ACT_CUM: return model_view_toggle(m, a->kind);
    case ACT_PROMPT_OPEN: return model_prompt_open(m, a->arg);
    case ACT_PROMPT_CHAR: return m->prompt.kind ? model_prompt_char(m, a->arg) : MODEL_CHANGED_NONE;
    case ACT_PROMPT_ERASE: return m->prompt.kind ? model_prompt_erase(m) : MODEL_CHANGED_NONE;
    case ACT_PROMPT_CLEAR: return m->prompt.kind ? model_prompt_clear(m) : MODEL_CHANGED_NONE;
    case ACT_PROMPT_DONE: return m->prompt.kind ? model_prompt_done(m) : MODEL_CHANGED_NONE;
    case ACT_PROMPT_CANCEL: return m->prompt.kind ? model_prompt_cancel(m) : MODEL_CHANGED_NONE;
    case ACT_UNDO: return model_undo_step(m, a->arg < 0 ? -1 : +1);
    case ACT_NONE: break;
    }
    return MODEL_CHANGED_NONE;
}

/* While "terminal too small" shows, nothing can be seen changing: only the keys that quit,
 * repaint or toggle help act, so that no setting moves unseen. */
static bool model_acts_when_too_small(enum action_kind kind)
{
    return kind == ACT_QUIT || kind == ACT_REDRAW || kind == ACT_HELP;
}

unsigned model_update(struct model *m, const struct action *a)
{
    /* The terminal's news, a script's captions and the pace of writing on are not a person's
     * doing: the message stays, and so does help. Anything a person does stops the writing
     * (w does nothing else) and clears the last message, and with help open any key just
     * closes it. */
    if (a->kind == ACT_RESIZE || a->kind == ACT_GLYPHS || a->kind == ACT_IDLE ||
        a->kind == ACT_SAY || a->kind == ACT_PLAY || a->kind == ACT_TICK)
        return model_dispatch(m, a);
    if (model_lm_stop(m) && a->kind == ACT_WRITE_ON)
        return MODEL_CHANGED_VIEW;
    if (m->layout.too_small && !model_acts_when_too_small(a->kind))
        return MODEL_CHANGED_NONE;
    unsigned changed = m->message[0] || m->drawn != SOURCE_NONE ? MODEL_CHANGED_VIEW
                                                                : MODEL_CHANGED_NONE;
    m->message[0] = '\0';
    m->drawn = SOURCE_NONE; /* a draw is lit for its own frame only */
    /* help closes on any key, as it says (it scrolls when it must, and then says so) */
    if (m->help && a->kind != ACT_SCROLL_ROWS && a->kind != ACT_HELP_SCROLL) {
        m->help = false;
        return changed | MODEL_CHANGED_VIEW | (a->kind == ACT_REDRAW ? MODEL_CHANGED_REDRAW : 0);
    }
    /* the picker takes its own keys; any other closes it */
    if (m->picker && a->kind != ACT_PICK_MOVE && a->kind != ACT_PICK_TAKE &&
        a->kind != ACT_REDRAW && a->kind != ACT_QUIT)
        return changed | model_picker_close(m);
    /* so does a line being typed (the mouse, say, cancels it) */
    if (m->prompt.kind && a->kind != ACT_PROMPT_CHAR && a->kind != ACT_PROMPT_ERASE &&
        a->kind != ACT_PROMPT_CLEAR && a->kind != ACT_PROMPT_DONE && a->kind != ACT_PROMPT_CANCEL && a->kind != ACT_REDRAW &&
        a->kind != ACT_QUIT)
        return changed | model_prompt_cancel(m);
    struct model_state before = {m->params, m->seed};
    changed |= model_dispatch(m, a);
    model_undo_note(m, a, &before);
    return changed;
}

struct action model_key_action(const struct model *m, int key)
{
    if (m->prompt.kind)
        return keymap_lookup_prompt(key);
    if (m->help) /* keys scroll it only when it has more than the screen holds */
        return m->layout.help.max_top > 0 ? keymap_lookup_help(key) : keymap_lookup(key);
    if (m->picker)
        return keymap_lookup_picker(key);
    return keymap_lookup(key);
}

size_t model_gen_len(const struct model *m)
{
    return m->gen_count < MODEL_GEN_MAX ? m->gen_count : MODEL_GEN_MAX;
}

uint32_t model_gen_at(const struct model *m, size_t i)
{
    size_t first = m->gen_count - model_gen_len(m);
    return m->gen[(first + i) % MODEL_GEN_MAX];
}

int model_init(struct model *m, const struct model_config *c, struct ls_error *err)
{
    memset(m, 0, sizeof *m);
    if (params_check(&c->params, err) != 0)
        return -1;
    m->start = *c;
    const struct source *from = c->writer ? NULL : c->source;
    if (c->writer && model_lm_init(m, c->writer, err) != 0)
        return -1;
    if (!from)
        source_of_vocab(&m->single, c->writer ? &c->writer->vocab : c->vocab);
    m->src = from ? from : &m->single;
    m->seq.pos = from && c->position < from->n ? c->position : 0;
    m->vocab = source_vocab(m->src, m->seq.pos, err);
    if (!m->vocab) {
        model_free(m);
        return -1;
    }
    /* k >= V keeps every token: V is the same distribution, and the top of the slider */
    if (params_whole(&m->start.params, PARAM_TOP_K) > model_vocab_max(m))
        m->start.params.v[PARAM_TOP_K].whole = model_vocab_max(m);
    m->drawn = SOURCE_NONE;
    if (dist_init_cap(&m->dist, m->vocab, model_vocab_max(m)) != 0 ||
        stage_inputs_init(&m->inputs, model_vocab_max(m)) != 0 ||
        model_seq_init(m, err) != 0) {
        model_free(m);
        return ls_error_set(err, "out of memory for %zu tokens", model_vocab_max(m));
    }
    m->screen = (struct layout_screen){LAYOUT_DEFAULT_COLS, LAYOUT_DEFAULT_ROWS, false};
    m->find.rank = MODEL_FIND_NONE;
    m->undo.set_param = -1;
    model_reset(m);
    m->message[0] = '\0';
    m->applies = 1;
    return 0;
}

void model_free(struct model *m)
{
    model_lm_free(m);
    dist_free(&m->dist);
    stage_inputs_free(&m->inputs);
    if (m->curve.ready)
        dist_free(&m->curve.dist);
    if (m->have_a)
        dist_free(&m->dist_a);
    model_seq_free(m);
}
