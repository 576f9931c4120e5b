/* playback.c: key scripts (--play) on an offscreen screen. The script's own clock stamps
 * every frame, so a recording (--cast) is byte-identical on every run; a caption (say) is a
 * frame and a marker at its time. */
#include "playback.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cast.h"
#include "keys.h"

#define PLAYBACK_TERM_TYPE "xterm-256color" /* the offscreen terminal, named in the cast */

/* An offscreen run: curses writes into a temporary file; what is new after each step is
 * handed to the cast with the script's time. */
struct playback_rec {
    FILE *bytes;
    off_t done;
    struct cast cast;
    bool open;
};

/* Returns whether there was anything new. */
static bool playback_drain(struct playback_rec *r, unsigned long long t_ms)
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

static int playback_rec_open(struct playback_rec *r, const struct tui_record *rec, int cols,
                             int rows, struct ls_error *err)
{
    memset(r, 0, sizeof *r);
    if (!rec)
        return 0;
    r->bytes = tmpfile();
    if (!r->bytes)
        return ls_error_set(err, "cannot make a temporary file: %s", strerror(errno));
    struct cast_header h = {cols, rows, rec->timestamp, rec->title, PLAYBACK_TERM_TYPE};
    if (cast_open(&r->cast, rec->path, &h, err) != 0) {
        fclose(r->bytes);
        r->bytes = NULL;
        return -1;
    }
    r->open = true;
    return 0;
}

static int playback_rec_close(struct playback_rec *r, struct ls_error *err)
{
    int rc = r->open ? cast_close(&r->cast, err) : 0;
    if (r->bytes)
        fclose(r->bytes);
    memset(r, 0, sizeof *r);
    return rc;
}

/* A caption: its frame, then its marker at the same time (a player that pauses on markers
 * then shows the caption). An empty one only takes the caption away. */
static void playback_say(struct tui_screen *scr, struct model *m, const struct script *s,
                         int say, struct playback_rec *r, unsigned long long t_ms)
{
    tui_screen_action(scr, m, &(struct action){ACT_SAY, say, 0.0});
    playback_drain(r, t_ms);
    if (r->open && s->says[say][0])
        cast_marker(&r->cast, (double)t_ms / 1000.0, s->says[say]);
}

/* While the model writes on, its ticks fall due on the script's clock, a pace apart from
 * the key that began the writing: those due by `until` run now, each stamped with its time
 * (a tick due with a step comes first). *due is the next one's time. */
static void playback_ticks(struct tui_screen *scr, struct model *m, struct playback_rec *r,
                           unsigned long long *due, unsigned long long until)
{
    while (model_tick_ms(m) > 0 && *due <= until) {
        tui_screen_tick(scr, m);
        playback_drain(r, *due);
        *due += (unsigned long long)model_tick_ms(m);
    }
}

/* Runs the steps; returns the script time reached, and whether a step quit. */
static unsigned long long playback_steps(struct tui_screen *scr, struct model *m,
                                         const struct script *s, struct playback_rec *r,
                                         bool *quit)
{
    unsigned long long t_ms = 0, due = 0;
    *quit = false;
    for (size_t i = 0; i < s->n; i++) {
        playback_ticks(scr, m, r, &due, t_ms);
        if (s->events[i].say >= 0)
            playback_say(scr, m, s, s->events[i].say, r, t_ms);
        if (s->events[i].key != KEYC_NONE) {
            bool writing = model_tick_ms(m) > 0;
            if (!tui_screen_key(scr, m, s->events[i].key)) {
                *quit = true;
                return t_ms;
            }
            playback_drain(r, t_ms);
            if (!writing && model_tick_ms(m) > 0)
                due = t_ms + (unsigned long long)model_tick_ms(m);
        }
        t_ms += s->events[i].wait_ms;
    }
    playback_ticks(scr, m, r, &due, t_ms);
    return t_ms;
}

int playback_offscreen(struct model *m, const struct tui_opts *o, const struct script *s,
                       int cols, int rows, const struct tui_record *rec, FILE *snapshot,
                       struct ls_error *err)
{
    struct playback_rec r;
    if (playback_rec_open(&r, rec, cols, rows, err) != 0)
        return -1;
    struct tui_screen *scr = tui_screen_open(o, m, cols, rows, r.bytes, PLAYBACK_TERM_TYPE, err);
    if (!scr) {
        playback_rec_close(&r, err);
        return -1;
    }
    tui_screen_frame(scr, m);
    playback_drain(&r, 0);
    bool quit;
    unsigned long long t_ms = playback_steps(scr, m, s, &r, &quit);
    int rc = snapshot ? tui_screen_dump(scr, snapshot) : 0;
    if (rc != 0)
        ls_error_set(err, "cannot write the snapshot");
    /* A recording ends as a session does: the last frame is held for the script's final
     * pause (or until its q), then the bytes endwin sends (normal screen, cursor shown), so a
     * viewer's terminal is left as it was; then the last frame painted again on the normal
     * screen, so that a player ends showing it, not a blank screen. */
    size_t last_len = 0;
    char *last = r.open ? tui_screen_repaint(scr, &last_len) : NULL;
    tui_screen_close(scr);
    playback_drain(&r, t_ms);
    if (r.open && last)
        cast_output(&r.cast, (double)t_ms / 1000.0, last, last_len);
    else if (r.open && rc == 0)
        rc = ls_error_set(err, "out of memory for the recording's last frame");
    free(last);
    if (playback_rec_close(&r, err) != 0)
        rc = -1;
    return rc;
}
