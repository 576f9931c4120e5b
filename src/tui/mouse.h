/* mouse.h: the mouse. A pure decoder from a struct mouse_event and the frame's
 * layout to model actions, testable without a terminal, and the curses glue that turns on
 * xterm mouse reporting and reads events into struct mouse_event. */
#ifndef LOGITSCOPE_TUI_MOUSE_H
#define LOGITSCOPE_TUI_MOUSE_H

#include <stdbool.h>
#include <stdio.h>

#include "keys.h"
#include "model.h"

#define MOUSE_WHEEL_ROWS 3 /* histogram rows per wheel notch */
#define MOUSE_ACTIONS_MAX 2
#define MOUSE_EVENTS_MAX 8 /* one KEY_MOUSE's events: curses' queue (ncurses') holds 8 */

/* What the left button is dragging, between a press and its release: a slider's knob (an
 * index into the model's sliders), or a stage along the chain line. */
struct mouse_drag {
    int slider; /* -1: none */
    int stage;  /* -1: none */
};

/* The actions for event e on m's frame (its layout; caps: the tracks have ASCII's "[" and
 * "]" ends). Writes at most MOUSE_ACTIONS_MAX actions to out and returns how many:
 * a press on a slider focuses it and, on its track, sets it there and starts a drag; drags
 * and the release move it; the wheel scrolls the histogram; on the chain line a press on a
 * stage focuses it and a release on another stage moves it there, a press on the preset's
 * name takes the next preset; a press on a sequence's text or entropy strip goes to the
 * position there; with the help overlay open a press closes it, with the picker open a press
 * on an entry adds it (elsewhere closes the picker). */
int mouse_actions(const struct mouse_event *e, const struct model *m, bool caps,
                  struct mouse_drag *drag, struct action *out);

/* Curses glue for a real terminal: reporting on (press, release, drags with the button down:
 * xterm mode 1002, which works through SSH and tmux) or off. out is the terminal's stream. */
void mouse_enable(FILE *out, bool on);
/* After KEY_MOUSE: the events curses decoded, oldest first (one KEY_MOUSE may stand for
 * several, e.g. a press and its release). Writes at most max to events and returns how
 * many; 0 when there is none we use. */
int mouse_read(struct mouse_event *events, int max);

#endif
