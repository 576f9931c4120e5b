/* model_internal.h: what the parts of the model (model.c and model_*.c) call in one another;
 * not for the view, which reads model.h alone. It names struct model without including
 * model.h: a header that included it back would make the two one module. */
#ifndef LOGITSCOPE_APP_MODEL_INTERNAL_H
#define LOGITSCOPE_APP_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "logitscope/sampler.h"

struct action;
struct dist;
struct ls_error;
struct model;
struct model_state;
struct params;
struct vocab;
struct writer;

/* model.c */
void model_say(struct model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void model_seed_gen(struct model *m);
void model_scroll_set(struct model *m, size_t row);
/* The layout for the screen and the panels open now. */
void model_relayout(struct model *m);

/* model_engine.c: the engine runs */
void model_engine(struct model *m, struct dist *d, const struct params *p, size_t pos);
void model_run(struct model *m, size_t pos);
void model_apply(struct model *m);
void model_draw_a(struct model *m);
void model_compare_check(struct model *m);
bool model_panel_dist(struct model *m, struct dist *d, bool *ready, const char *panel);
unsigned model_compare(struct model *m);

/* model_slider.c: the sliders and their focus */
size_t model_vocab_max(const struct model *m);
/* The chain stage of the focused slider. */
int model_focus_row(const struct model *m);
void model_build_sliders(struct model *m);
void model_slider_scroll(struct model *m);
unsigned model_set(struct model *m, enum param_id p, double v);
unsigned model_step(struct model *m, int steps);
unsigned model_off(struct model *m);
unsigned model_focus_cell(struct model *m, int dir);
unsigned model_focus(struct model *m, int dir);
unsigned model_focus_set(struct model *m, int param);
unsigned model_set_action(struct model *m, const struct action *a);
unsigned model_explain(struct model *m, unsigned changed);

/* model_chain.c: the chain and the picker */
unsigned model_next_preset(struct model *m);
unsigned model_chain_remove(struct model *m);
unsigned model_chain_move_to(struct model *m, int from, int to);
unsigned model_picker_open(struct model *m);
unsigned model_picker_close(struct model *m);
unsigned model_picker_take(struct model *m, int entry);
unsigned model_picker_move(struct model *m, int dir);

/* model_seq.c: a sequence's positions */
int model_seq_init(struct model *m, struct ls_error *err);
void model_seq_free(struct model *m);
/* Position i, whose vocabulary v is: every dist rebinds to it and the chain runs again. */
void model_enter(struct model *m, size_t i, const struct vocab *v);
void model_mark(struct model *m, size_t i, const struct vocab *v, const struct dist *d);
void model_rescan(struct model *m);
unsigned model_goto(struct model *m, size_t i);
unsigned model_step_position(struct model *m, int dir);
unsigned model_next_outside(struct model *m);

/* model_curve.c: the entropy curve */
void model_curve_refresh(struct model *m);
unsigned model_idle(struct model *m);
unsigned model_plot(struct model *m);

/* model_prompt.c: the line typed on the status line */
unsigned model_prompt_open(struct model *m, int kind);
unsigned model_prompt_char(struct model *m, int c);
unsigned model_prompt_erase(struct model *m);
unsigned model_prompt_clear(struct model *m);
unsigned model_prompt_done(struct model *m);
unsigned model_prompt_cancel(struct model *m);

/* model_undo.c: undo and redo */
void model_undo_note(struct model *m, const struct action *a, const struct model_state *before);
unsigned model_undo_step(struct model *m, int dir);

/* model_lm.c: each does nothing (MODEL_CHANGED_NONE) without a language model. */
/* Borrows w (its prompt and seed set) and reserves the room writing needs. */
int model_lm_init(struct model *m, struct writer *w, struct ls_error *err);
void model_lm_free(struct model *m);
/* The writers draw with the model's seed. */
void model_lm_seed(struct model *m);
/* A person's action arrived: writing on stops. True when it was writing. */
bool model_lm_stop(struct model *m);
unsigned model_lm_write(struct model *m);    /* Space */
unsigned model_lm_unwrite(struct model *m);  /* Backspace */
unsigned model_lm_write_on(struct model *m); /* w */
unsigned model_lm_tick(struct model *m);     /* ACT_TICK */
/* e: the prompt as typed into the line being typed (m->prompt); false without a model. */
bool model_lm_prompt_fill(struct model *m);
/* Enter on it: the text becomes the prompt, the words written go (on both sides). */
unsigned model_lm_prompt_set(struct model *m, const char *text, size_t len);
/* A/B compare opens: A's text becomes B's. False (the message says why) when there is no
 * memory for it. */
bool model_lm_compare(struct model *m);

#endif
