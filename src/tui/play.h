/* play.h: the clock of a key script played on the live terminal: which step is next and when
 * it is due. The pauses are waited for real, so a person can take over at any moment. */
#ifndef LOGITSCOPE_TUI_PLAY_H
#define LOGITSCOPE_TUI_PLAY_H

#include <stdbool.h>

#include "script.h"

struct play_cursor {
    const struct script *s; /* NULL: nothing to play */
    unsigned long next;     /* index of the next step */
    long long due_ms;       /* monotonic time the next step is due */
};

/* Starts s (may be NULL) now: its first step is due at once. */
void play_start(struct play_cursor *p, const struct script *s);
/* The script plays: it has steps to take, or its last pause is not over. */
bool play_active(const struct play_cursor *p);
/* Milliseconds until the next step is due (0 when it is due). */
int play_wait_ms(const struct play_cursor *p);
/* Takes the due step (its key is KEYC_NONE for a pause or a caption). The next one falls due
 * after this step's wait, counted from when this one was due, so late steps do not add up.
 * NULL when what fell due is the end of the last pause: the script is over. */
const struct script_event *play_take(struct play_cursor *p);
/* A person pressed a key: the rest of the script is dropped. */
void play_stop(struct play_cursor *p);

#endif
