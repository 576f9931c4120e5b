/* playback.h: a key script played offscreen, for src/cli (--play without a terminal, or with
 * --size). The live terminal plays scripts in tui_run, on the clock in play.h. */
#ifndef LOGITSCOPE_TUI_PLAYBACK_H
#define LOGITSCOPE_TUI_PLAYBACK_H

#include <stdio.h>

#include "logitscope/error.h"
#include "model.h"
#include "script.h"
#include "tui.h"

/* Plays s on an offscreen xterm-256color of cols x rows with the script's own clock (the
 * time of a step is the sum of the pauses before it), so the same script always gives the
 * same bytes. rec (may be NULL) records them; snapshot (may be NULL) receives the last frame
 * as text. Stops early when a key quits. Returns 0, or -1 with err. */
int playback_offscreen(struct model *m, const struct tui_opts *o, const struct script *s,
                       int cols, int rows, const struct tui_record *rec, FILE *snapshot,
                       struct ls_error *err);

#endif
