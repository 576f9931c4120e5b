/* tui.c: the explorer's main loop and offscreen screens. Both draw a frame with the same
 * tui_frame(): what --snapshot prints is what the terminal shows. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cast.h"
#include "keymap.h"
#include "keyqueue.h"
#include "monotonic.h"
#include "mouse.h"
#include "play.h"
#include "term.h"
#include "view.h"

struct tui_screen {
    struct term term;
    struct mouse_drag drag;
};

/* Draws m's frame and sends it. The model is only read: its layout is already the one for
 * this terminal (tui_tell_screen). */
static void tui_frame(struct term *t, const struct model *m, bool force)
{
    struct ui u = {t->win, &t->theme, t->glyphs, t->text_flags};
    view_draw(&u, m);
    term_flush(t, force);
}

/* The terminal's news for the model, when it opens and after every resize: its glyph set
 * and its size. The model lays itself out for them. */
static void tui_tell_screen(const struct term *t, struct model *m)
{
    int cols, rows;
    term_size(t, &cols, &rows);
    struct action glyphs = {ACT_GLYPHS, t->glyphs->ascii ? 1 : 0, 0.0};
    struct action size = {ACT_RESIZE, cols, (double)rows};
    model_update(m, &glyphs);
    model_update(m, &size);
}

/* One action into the model. Returns false when the explorer should end; *dirty and *force
 * say how to redraw. */
static bool tui_apply(struct model *m, const struct action *a, bool *dirty, bool *force)
{
    unsigned changed = model_update(m, a);
    if (changed & MODEL_CHANGED_QUIT)
        return false;
    *force = *force || (changed & MODEL_CHANGED_REDRAW) != 0;
    *dirty = *dirty || changed != MODEL_CHANGED_NONE;
    return true;
}

/* A mouse event through the frame's layout into the model: mouse.c says what it means. */
static void tui_mouse(const struct term *t, struct model *m, const struct mouse_event *e,
                      struct mouse_drag *drag, bool *dirty, bool *force)
{
    struct action a[MOUSE_ACTIONS_MAX];
    int n = mouse_actions(e, m, t->glyphs->track_l[0] != '\0', drag, a);
    for (int i = 0; i < n; i++)
        tui_apply(m, &a[i], dirty, force);
}

/* A key (or a mouse event) a person pressed, not the terminal's news. */
static bool tui_from_person(int key)
{
    return key != KEYC_NONE && key != KEYC_RESIZE && key != TERM_STOP && key != TERM_GONE;
}

/* While the model writes on, the monotonic time its next tick is due; -1 when it does not. */
struct tui_ticker {
    long long due;
};

/* Milliseconds until the next tick (0: due now), or -1 when the model does not write on.
 * The first tick falls due a pace after writing began. */
static int tui_tick_wait(struct tui_ticker *k, const struct model *m)
{
    int pace = model_tick_ms(m);
    long long now = monotonic_ms();
    if (pace <= 0) {
        k->due = -1;
        return -1;
    }
    if (k->due < 0)
        k->due = now + pace;
    return k->due <= now ? 0 : (int)(k->due - now);
}

/* A tick taken: the next is due a pace after this one was (not after it ran), unless the
 * explorer fell a whole pace behind. */
static void tui_tick_taken(struct tui_ticker *k, const struct model *m)
{
    long long now = monotonic_ms();
    k->due += model_tick_ms(m);
    if (k->due <= now)
        k->due = now + model_tick_ms(m);
}

/* The next key: the script's step when it is due (*step; NULL otherwise), unless a person
 * presses one first, which ends the script (and is taken like any key). While the model has
 * work waiting, no wait at all, and while it writes on, no longer than its next tick
 * (tick_ms, -1: none): KEYC_NONE says the keyboard is idle. */
static int tui_next_key(struct term *t, struct play_cursor *p, bool busy, int tick_ms,
                        const struct script_event **step)
{
    *step = NULL;
    if (!play_active(p)) {
        if (busy || tick_ms >= 0)
            return term_wait_key(t, busy ? 0 : tick_ms);
        return term_read_key(t);
    }
    int wait = busy ? 0 : play_wait_ms(p);
    wait = tick_ms >= 0 && tick_ms < wait ? tick_ms : wait;
    int key = wait > 0 || busy ? term_wait_key(t, wait) : KEYC_NONE;
    if (tui_from_person(key)) {
        play_stop(p);
    } else if (key == KEYC_NONE && play_wait_ms(p) == 0) {
        *step = play_take(p);
        key = *step ? (*step)->key : KEYC_NONE;
    }
    return key;
}

/* A script's caption on the live terminal: its frame at once, then its marker in a live
 * recording (after the frame, as offscreen). */
static void tui_say(struct term *t, struct model *m, const struct script *s, int say,
                    bool *dirty, bool *force)
{
    tui_apply(m, &(struct action){ACT_SAY, say, 0.0}, dirty, force);
    if (!s->says[say][0])
        return;
    tui_frame(t, m, *force);
    *dirty = *force = false;
    term_marker(t, s->says[say]);
}

/* Takes every key already waiting into q, without blocking; stops after anything but a plain
 * key (a mouse report, a resize, a signal), which is then handled in its turn. */
static void tui_queue_fill(struct term *t, struct key_queue *q)
{
    key_queue_clear(q);
    while (q->n < KEY_QUEUE_MAX) { /* a key once read must find room */
        int key = term_key_waiting(t);
        if (key == KEYC_NONE || !key_queue_push(q, key))
            return;
        if (key == KEYC_MOUSE || key == KEYC_RESIZE || key == TERM_STOP || key == TERM_GONE)
            return;
    }
}

/* One key through the key map into the model, with the steps the same way waiting behind it
 * in q (NULL: none). Returns false when the explorer should end. */
static bool tui_key(const struct term *t, struct model *m, int key, struct key_queue *q,
                    bool *dirty, bool *force)
{
    if (key == KEYC_NONE)
        return true;
    if (key == KEYC_RESIZE) {
        tui_tell_screen(t, m);
        *dirty = true;
        return true;
    }
    struct action a = model_key_action(m, key);
    if (a.kind == ACT_STEP && q)
        a = key_queue_steps(m, q, a);
    return tui_apply(m, &a, dirty, force);
}

/* Reads keys and applies them until the model quits or the terminal stops. While a script
 * plays the model knows it (the status line says so), and a person's first key takes the
 * script's caption away (and says the keys are theirs, when the script was still playing). */
static enum tui_end tui_loop(struct term *t, struct model *m, const struct script *play,
                             int *sig)
{
    bool dirty = true, force = false;
    struct mouse_drag drag = {-1, -1};
    struct play_cursor p;
    struct key_queue q;
    struct tui_ticker tick = {-1};
    key_queue_clear(&q);
    play_start(&p, play);
    if (play_active(&p))
        tui_apply(m, &(struct action){ACT_PLAY, MODEL_PLAY_LIVE, 0.0}, &dirty, &force);
    for (;;) {
        if (dirty && key_queue_empty(&q))
            tui_frame(t, m, force);
        int key;
        const struct script_event *step = NULL;
        if (!key_queue_empty(&q)) {
            key = key_queue_pop(&q);
        } else {
            if (dirty)
                dirty = force = false;
            bool playing = play_active(&p);
            int tick_ms = tui_tick_wait(&tick, m);
            key = tui_next_key(t, &p, model_busy(m), tick_ms, &step);
            if (step && step->say >= 0)
                tui_say(t, m, play, step->say, &dirty, &force);
            else if (playing && !play_active(&p) && !tui_from_person(key))
                tui_apply(m, &(struct action){ACT_PLAY, MODEL_PLAY_DONE, 0.0}, &dirty, &force);
            if (key == KEYC_NONE && !step && tick_ms >= 0 && tui_tick_wait(&tick, m) == 0) {
                tui_apply(m, &(struct action){ACT_TICK, 0, 0.0}, &dirty, &force);
                tui_tick_taken(&tick, m);
                continue;
            }
            if (key == KEYC_NONE && model_busy(m)) {
                if (model_update(m, &(struct action){ACT_IDLE, 0, 0.0}) != MODEL_CHANGED_NONE)
                    dirty = true;
                continue;
            }
            if (!play_active(&p) && tui_from_person(key) && key != KEYC_MOUSE) {
                tui_queue_fill(t, &q);
                if (key_queue_quits(m, key, &q))
                    return TUI_QUIT;
            }
        }
        bool person = !step && tui_from_person(key);
        if (key == TERM_STOP) {
            *sig = term_stop_signal();
            return TUI_SIGNAL;
        }
        if (key == TERM_GONE)
            return TUI_GONE;
        if (key == KEYC_MOUSE) {
            struct mouse_event mouse[MOUSE_EVENTS_MAX];
            int n = mouse_read(mouse, MOUSE_EVENTS_MAX);
            for (int i = 0; i < n; i++)
                tui_mouse(t, m, &mouse[i], &drag, &dirty, &force);
        } else {
            bool writing = model_tick_ms(m) > 0;
            if (!tui_key(t, m, key, &q, &dirty, &force))
                return TUI_QUIT;
            if (!writing) /* a key that starts writing on: its first tick is a pace away */
                tick.due = -1;
        }
        if (person && (m->playing || m->caption))
            tui_apply(m, &(struct action){ACT_PLAY, MODEL_PLAY_PERSON, 0.0}, &dirty, &force);
    }
}

/* The live recording's file, headed with the terminal's size and type. */
static int tui_cast_open(struct cast *c, const struct tui_record *r, struct ls_error *err)
{
    struct cast_header h = {LAYOUT_DEFAULT_COLS, LAYOUT_DEFAULT_ROWS, r->timestamp, r->title,
                            getenv("TERM")};
    tee_size(STDOUT_FILENO, &h.width, &h.height);
    return cast_open(c, r->path, &h, err);
}

static const char *const tui_theme_names[THEME_VARIANT_COUNT] = {
    [THEME_DARK] = "dark",
    [THEME_LIGHT] = "light",
    [THEME_CONTRAST] = "contrast",
};

const char *tui_theme_name(size_t i)
{
    return i < THEME_VARIANT_COUNT ? tui_theme_names[i] : NULL;
}

int tui_theme_find(const char *s)
{
    for (int i = 0; i < THEME_VARIANT_COUNT; i++)
        if (strcmp(s, tui_theme_names[i]) == 0)
            return i;
    return -1;
}

enum tui_end tui_run(struct model *m, const struct tui_opts *o, int *sig, struct ls_error *err)
{
    struct term t;
    struct cast cast;
    struct term_opts to = {.ascii = o->ascii, .no_color = o->no_color,
                          .theme = (enum theme_variant)o->theme};
    *sig = 0;
    if (o->record) {
        if (tui_cast_open(&cast, o->record, err) != 0)
            return TUI_ERROR;
        to.record = &cast;
    }
    if (term_open(&t, &to, err) != 0) {
        if (o->record) /* nothing was recorded: leave no file */
            cast_discard(&cast);
        return TUI_ERROR;
    }
    if (!o->no_mouse)
        mouse_enable(t.out, true);
    tui_tell_screen(&t, m);
    enum tui_end end = tui_loop(&t, m, o->play, sig);
    if (!o->no_mouse)
        mouse_enable(t.out, false);
    term_close(&t);
    /* a recording cut short (disk full) fails the run, as a lost terminal does */
    if (o->record && cast_close(&cast, err) != 0 && end == TUI_QUIT)
        end = TUI_GONE;
    return end;
}

struct tui_screen *tui_screen_open(const struct tui_opts *o, struct model *m, int cols,
                                   int rows, FILE *bytes, const char *term_type,
                                   struct ls_error *err)
{
    struct tui_screen *s = calloc(1, sizeof *s);
    if (!s) {
        ls_error_set(err, "out of memory");
        return NULL;
    }
    struct term_opts to = {
        .offscreen = true,
        .cols = cols,
        .rows = rows,
        .out = bytes,
        .term_type = term_type,
        .ascii = o->ascii,
        .no_color = o->no_color,
        .theme = (enum theme_variant)o->theme,
    };
    if (term_open(&s->term, &to, err) != 0) {
        free(s);
        return NULL;
    }
    s->drag.slider = s->drag.stage = -1;
    tui_tell_screen(&s->term, m);
    return s;
}

/* Offscreen there is no idle time between keys: the work that waits is done before the frame,
 * so a recording or a snapshot shows what a person would see once it settled. */
static void tui_settle(struct model *m)
{
    while (model_busy(m))
        model_update(m, &(struct action){ACT_IDLE, 0, 0.0});
}

void tui_screen_frame(struct tui_screen *s, const struct model *m)
{
    tui_frame(&s->term, m, false);
}

void tui_screen_mouse(struct tui_screen *s, struct model *m, const struct mouse_event *e)
{
    bool dirty = false, force = false;
    tui_mouse(&s->term, m, e, &s->drag, &dirty, &force);
    tui_settle(m);
    if (dirty)
        tui_frame(&s->term, m, force);
}

bool tui_screen_key(struct tui_screen *s, struct model *m, int key)
{
    bool dirty = false, force = false;
    bool go_on = tui_key(&s->term, m, key, NULL, &dirty, &force);
    tui_settle(m);
    if (go_on && dirty)
        tui_frame(&s->term, m, force);
    return go_on;
}

bool tui_screen_tick(struct tui_screen *s, struct model *m)
{
    unsigned changed = model_update(m, &(struct action){ACT_TICK, 0, 0.0});
    tui_settle(m);
    if (changed != MODEL_CHANGED_NONE)
        tui_frame(&s->term, m, false);
    return changed != MODEL_CHANGED_NONE;
}

void tui_screen_resize(struct tui_screen *s, struct model *m, int cols, int rows)
{
    term_resize(&s->term, cols, rows);
    tui_tell_screen(&s->term, m);
    tui_settle(m);
}

void tui_screen_action(struct tui_screen *s, struct model *m, const struct action *a)
{
    bool dirty = false, force = false;
    tui_apply(m, a, &dirty, &force);
    tui_settle(m);
    if (dirty)
        tui_frame(&s->term, m, force);
}

int tui_screen_dump(struct tui_screen *s, FILE *out)
{
    return term_dump(&s->term, out);
}

char *tui_screen_repaint(struct tui_screen *s, size_t *len)
{
    return term_repaint_bytes(&s->term, len);
}

void tui_screen_close(struct tui_screen *s)
{
    if (!s)
        return;
    term_close(&s->term);
    free(s);
}

int tui_snapshot(struct model *m, const struct tui_opts *o, int cols, int rows, FILE *out,
                 struct ls_error *err)
{
    struct tui_screen *s = tui_screen_open(o, m, cols, rows, NULL, NULL, err);
    if (!s)
        return -1;
    tui_settle(m);
    tui_screen_frame(s, m);
    int rc = tui_screen_dump(s, out);
    tui_screen_close(s);
    if (rc != 0)
        return ls_error_set(err, "cannot write the snapshot");
    return 0;
}
