/* action.h: what a key, a mouse event or the terminal asks of the explorer's state, as a
 * plain value: the key map, the mouse and the terminal's size make these, model_update()
 * applies them. */
#ifndef LOGITSCOPE_APP_ACTION_H
#define LOGITSCOPE_APP_ACTION_H

enum action_kind {
    ACT_NONE = 0,
    ACT_FOCUS,       /* arg: +1 the next chain stage's row, -1 the previous (wraps) */
    ACT_FOCUS_CELL,  /* arg: +1 the next slider, -1 the previous, rows' cells included */
    ACT_STEP,        /* arg: signed number of grid steps for the focused slider */
    ACT_HOME,        /* focused slider to its low end */
    ACT_END,         /* focused slider to its high end */
    ACT_OFF,         /* focused filter off; temperature back to 1.0 */
    ACT_SET,         /* arg: a parameter (enum param_id), value: its new value; clamped */
    ACT_LAB,         /* arg: 1-based index into the lab's settings */
    ACT_ORDER,       /* the next preset chain: hf, llama, vllm */
    ACT_SEED,        /* a new seed for the N draws */
    ACT_DRAW_ONE,    /* draw one token and append it to the generated line */
    ACT_RESET,       /* everything back to the starting state */
    ACT_HELP,        /* toggle the help overlay */
    ACT_SCROLL,      /* arg: signed pages of the histogram */
    ACT_SCROLL_ROWS, /* arg: signed rows of the histogram (mouse wheel) */
    ACT_REDRAW,      /* repaint the whole screen (Ctrl+L) */
    ACT_QUIT,
    ACT_PLOT,        /* toggle the entropy-vs-temperature plot (g) */
    ACT_COMPARE,     /* pin the current settings as A, or leave A/B compare (c) */
    ACT_FOCUS_SET,   /* arg: the parameter whose slider to focus (a mouse click on it) */
    ACT_HELP_SCROLL, /* help open: arg rows, value pages (keymap_lookup_help) */
    ACT_RESIZE,      /* the terminal's size (at start, then on every change): arg columns,
                      * value rows */
    ACT_GLYPHS,      /* arg: 1 when the screen draws ASCII glyphs, 0 Unicode (at start) */
    ACT_CHAIN_PICK,  /* open the picker of samplers to add to the chain */
    ACT_CHAIN_REMOVE, /* take the focused slider's sampler out of the chain */
    ACT_CHAIN_MOVE,  /* arg: +1 later, -1 earlier: move the focused sampler along the chain */
    ACT_CHAIN_DRAG,  /* arg: a chain stage, value: the stage to move it to (the mouse) */
    ACT_PICK_MOVE,   /* picker open: arg +1 / -1 the next or previous entry */
    ACT_PICK_TAKE,   /* picker open: add the highlighted sampler (arg >= 0: entry arg) */
    ACT_PICK_CLOSE,  /* picker open: close it, nothing added */
    ACT_IDLE,        /* no key is waiting: do some of the work that waits (model_busy) */
    ACT_POSITION,    /* a sequence: arg +1 the next position, -1 the previous */
    ACT_POSITION_END, /* a sequence: arg -1 the first position, +1 the last */
    ACT_POSITION_SET, /* a sequence: arg the position to go to, from 0 (the mouse) */
    ACT_NEXT_OUTSIDE, /* a sequence: the next position whose chosen token the chain cuts */
    ACT_UNWRITE,     /* a language model: take the last written word back (both in compare) */
    ACT_WRITE_ON,    /* a language model: start or stop writing a word every tick */
    ACT_TICK,        /* the pace of writing on (MODEL_LM_PACE_MS): write the next word */
    ACT_SAY,         /* a key script's caption: arg indexes the model's captions ("" or
                      * out of range: none) */
    ACT_PLAY,        /* a key script on the live terminal: arg enum model_play */
    ACT_LOGITS,      /* the histogram's logit and logit/T columns on / off (z) */
    ACT_LOG_BARS,    /* the histogram's bars on a log scale / a linear one (b) */
    ACT_CUM,         /* the running-total column shown / hidden (m) */
    ACT_PROMPT_OPEN, /* arg: enum action_prompt: type a value for the focused slider, a
                      * token's text to find, or a language model's prompt */
    ACT_PROMPT_CHAR, /* prompt open: arg a character (a code point) typed */
    ACT_PROMPT_ERASE, /* prompt open: the last character out */
    ACT_PROMPT_CLEAR, /* prompt open: everything typed out (Ctrl-U) */
    ACT_PROMPT_DONE, /* prompt open: Enter: set the value, find the text, or set the prompt */
    ACT_PROMPT_CANCEL, /* prompt open: Esc: nothing changes */
    ACT_UNDO,        /* arg: -1 undo the last change of settings, +1 redo it */
};

/* What a line typed on the status line is for. */
enum action_prompt {
    PROMPT_NONE = 0,
    PROMPT_VALUE, /* a value for the focused slider */
    PROMPT_FIND,  /* a token's text to find */
    PROMPT_TEXT,  /* a language model's prompt (its words written after it go) */
};

struct action {
    enum action_kind kind;
    int arg;
    double value;
};

#endif
