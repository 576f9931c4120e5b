/* tui.c: the explorer's main loop and offscreen screens. Both draw a frame with the same
 * tui_frame(): what --snapshot prints is what the terminal shows. */
#include "tui.h"

#include <stdlib.h>

#include "keymap.h"
#include "term.h"
#include "view.h"

struct tui_screen {
    struct term term;
};

/* Layout for the current size, tell the model its page size, draw, send. */
static void tui_frame(struct term *t, struct model *m, bool force)
{
    int cols, rows;
    term_size(t, &cols, &rows);
    struct layout l;
    view_layout(&l, m, cols, rows);
    struct action a = {ACT_VIEW_ROWS, view_page_rows(&l), 0.0};
    model_update(m, &a);
    struct ui u = {t->win, &t->theme, t->glyphs, t->text_flags};
    view_draw(&u, &l, m);
    term_flush(t, force);
}

/* One key through the key map into the model. Returns false when the explorer should end;
 * *dirty and *force say how to redraw. */
static bool tui_key(struct model *m, int key, bool *dirty, bool *force)
{
    if (key == KEYC_NONE)
        return true;
    if (key == KEYC_RESIZE) {
        *dirty = true;
        return true;
    }
    struct action a = keymap_lookup(key);
    unsigned changed = model_update(m, &a);
    if (changed & MODEL_CHANGED_QUIT)
        return false;
    *force = *force || (changed & MODEL_CHANGED_REDRAW) != 0;
    *dirty = *dirty || changed != MODEL_CHANGED_NONE;
    return true;
}

/* Reads keys and applies them until the model quits or the terminal stops. */
static enum tui_end tui_loop(struct term *t, struct model *m, int *sig)
{
    bool dirty = true, force = false;
    for (;;) {
        if (dirty)
            tui_frame(t, m, force);
        dirty = force = false;
        struct mouse_event mouse;
        int key = term_read_key(t, &mouse);
        if (key == TERM_STOP) {
            *sig = term_stop_signal();
            return TUI_SIGNAL;
        }
        if (key == TERM_GONE)
            return TUI_GONE;
        if (!tui_key(m, key, &dirty, &force))
            return TUI_QUIT;
    }
}

enum tui_end tui_run(struct model *m, const struct tui_opts *o, int *sig, struct ls_error *err)
{
    struct term t;
    struct term_opts to = {.ascii = o->ascii, .no_color = o->no_color};
    *sig = 0;
    if (term_open(&t, &to, err) != 0)
        return TUI_ERROR;
    enum tui_end end = tui_loop(&t, m, sig);
    term_close(&t);
    return end;
}

struct tui_screen *tui_screen_open(const struct tui_opts *o, int cols, int rows, FILE *bytes,
                                   const char *term_type, struct ls_error *err)
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
    };
    if (term_open(&s->term, &to, err) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

void tui_screen_frame(struct tui_screen *s, struct model *m)
{
    tui_frame(&s->term, m, false);
}

bool tui_screen_key(struct tui_screen *s, struct model *m, int key)
{
    bool dirty = false, force = false;
    bool go_on = tui_key(m, key, &dirty, &force);
    if (go_on && dirty)
        tui_frame(&s->term, m, force);
    return go_on;
}

void tui_screen_resize(struct tui_screen *s, int cols, int rows)
{
    term_resize(&s->term, cols, rows);
}

int tui_screen_dump(struct tui_screen *s, FILE *out)
{
    return term_dump(&s->term, out);
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
    struct tui_screen *s = tui_screen_open(o, cols, rows, NULL, NULL, err);
    if (!s)
        return -1;
    tui_screen_frame(s, m);
    int rc = tui_screen_dump(s, out);
    tui_screen_close(s);
    if (rc != 0)
        return ls_error_set(err, "cannot write the snapshot");
    return 0;
}
