/* play.c: the clock of a key script (--play) on the live terminal; offscreen runs keep the
 * script's own clock instead (playback.c). */
#include "play.h"

#include "monotonic.h"

void play_start(struct play_cursor *p, const struct script *s)
{
    p->s = s && s->n ? s : NULL;
    p->next = 0;
    p->due_ms = monotonic_ms();
}

bool play_active(const struct play_cursor *p)
{
    return p->s != NULL;
}

int play_wait_ms(const struct play_cursor *p)
{
    long long left = p->due_ms - monotonic_ms();
    return left <= 0 ? 0 : left > 1000000 ? 1000000 : (int)left;
}

const struct script_event *play_take(struct play_cursor *p)
{
    if (p->next == p->s->n) {
        p->s = NULL;
        return NULL;
    }
    const struct script_event *ev = &p->s->events[p->next++];
    p->due_ms += ev->wait_ms;
    return ev;
}

void play_stop(struct play_cursor *p)
{
    p->s = NULL;
}
