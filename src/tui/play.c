/* play.c: key scripts (--play) on the terminal and offscreen. Offscreen, the script's own
 * clock stamps every frame, so a recording (--cast) is byte-identical on every run. */
#include "play.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cast.h"
#include "keys.h"
#include "tui.h"

#define PLAY_TERM_TYPE "xterm-256color" /* the offscreen terminal, named in the cast */

static long long play_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void play_start(struct play_cursor *p, const struct script *s)
{
    p->s = s && s->n ? s : NULL;
    p->next = 0;
    p->due_ms = play_now_ms();
}

bool play_active(const struct play_cursor *p)
{
    return p->s != NULL && p->next < p->s->n;
}

int play_wait_ms(const struct play_cursor *p)
{
    long long left = p->due_ms - play_now_ms();
    return left <= 0 ? 0 : left > 1000000 ? 1000000 : (int)left;
}

int play_take(struct play_cursor *p)
{
    const struct script_event *ev = &p->s->events[p->next++];
    p->due_ms += ev->wait_ms;
    return ev->key;
}

void play_stop(struct play_cursor *p)
{
    p->s = NULL;
}

/* ---- offscreen ------------------------------------------------------------------------ */

/* An offscreen run: curses writes into a temporary file; what is new after each step is
 * handed to the cast with the script's time. */
struct play_rec {
    FILE *bytes;
    off_t done;
    struct cast cast;
    bool open;
};

/* Returns whether there was anything new. */
static bool play_drain(struct play_rec *r, unsigned long long t_ms)
{
    if (!r->open)
        return false;
    off_t from = r->done;
    char buf[8192];
    ssize_t n;
    /* curses writes with write(2) on the descriptor: read it back with pread, which leaves
     * the offset curses writes at alone */
    while ((n = pread(fileno(r->bytes), buf, sizeof buf, r->done)) > 0) {
        cast_output(&r->cast, (double)t_ms / 1000.0, buf, (size_t)n);
        r->done += n;
    }
    return r->done > from;
}

static int play_rec_open(struct play_rec *r, const struct tui_record *rec, int cols, int rows,
                         struct ls_error *err)
{
    memset(r, 0, sizeof *r);
    if (!rec)
        return 0;
    r->bytes = tmpfile();
    if (!r->bytes)
        return ls_error_set(err, "cannot make a temporary file: %s", strerror(errno));
    struct cast_header h = {cols, rows, rec->timestamp, rec->title, PLAY_TERM_TYPE};
    if (cast_open(&r->cast, rec->path, &h, err) != 0) {
        fclose(r->bytes);
        r->bytes = NULL;
        return -1;
    }
    r->open = true;
    return 0;
}

static int play_rec_close(struct play_rec *r, struct ls_error *err)
{
    int rc = r->open ? cast_close(&r->cast, err) : 0;
    if (r->bytes)
        fclose(r->bytes);
    memset(r, 0, sizeof *r);
    return rc;
}

/* Runs the steps; returns the script time reached, and whether a step quit. */
static unsigned long long play_steps(struct tui_screen *scr, struct model *m,
                                     const struct script *s, struct play_rec *r, bool *quit)
{
    unsigned long long t_ms = 0;
    *quit = false;
    for (size_t i = 0; i < s->n; i++) {
        if (s->events[i].key != KEYC_NONE) {
            if (!tui_screen_key(scr, m, s->events[i].key)) {
                *quit = true;
                return t_ms;
            }
            play_drain(r, t_ms);
        }
        t_ms += s->events[i].wait_ms;
    }
    return t_ms;
}

int tui_play_offscreen(struct model *m, const struct tui_opts *o, const struct script *s,
                       int cols, int rows, const struct tui_record *rec, FILE *snapshot,
                       struct ls_error *err)
{
    struct play_rec r;
    if (play_rec_open(&r, rec, cols, rows, err) != 0)
        return -1;
    struct tui_screen *scr = tui_screen_open(o, cols, rows, r.bytes, PLAY_TERM_TYPE, err);
    if (!scr) {
        play_rec_close(&r, err);
        return -1;
    }
    tui_screen_frame(scr, m);
    play_drain(&r, 0);
    bool quit;
    unsigned long long t_ms = play_steps(scr, m, s, &r, &quit);
    int rc = snapshot ? tui_screen_dump(scr, snapshot) : 0;
    if (rc != 0)
        ls_error_set(err, "cannot write the snapshot");
    /* A recording ends as a session does: the last frame is held for the script's final
     * pause (or until its q), then the bytes endwin sends (normal screen, cursor shown) are
     * the last event, so a viewer's terminal is left as it was. */
    tui_screen_close(scr);
    if (!play_drain(&r, t_ms) && r.open)
        cast_mark(&r.cast, (double)t_ms / 1000.0); /* the final pause is kept all the same */
    if (play_rec_close(&r, err) != 0)
        rc = -1;
    return rc;
}
