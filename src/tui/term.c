/* term.c: terminal setup and teardown, keys. Stop signals only set a flag (cmus style) and the
 * main loop leaves through term_close(); the handlers are term_signal.c's. */
#include "term.h"

#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "logitscope/text.h"
#include "term_signal.h"

#define TERM_ESCDELAY_MS 25
#define TERM_ERR_STREAK_MAX 20

int term_stop_signal(void)
{
    return term_stop_sig;
}

bool term_locale_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* Terminals that tmux, screen and xterm emulate send these for Shift+arrows, but not every
 * terminfo entry names them; teach curses so they never arrive as Escape + junk. */
static void term_define_keys(void)
{
    static const struct {
        const char *seq;
        int code;
    } keys[] = {
        {"\033[1;2D", KEY_SLEFT}, {"\033[1;2C", KEY_SRIGHT}, {"\033[1;2H", KEY_SHOME},
        {"\033[1;2F", KEY_SEND},  {"\033[Z", KEY_BTAB},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (key_defined(keys[i].seq) == 0)
            define_key(keys[i].seq, keys[i].code);
}

static void term_modes(struct term *t)
{
    cbreak();
    noecho();
    nonl();
    intrflush(t->win, FALSE);
    keypad(t->win, TRUE);
    leaveok(t->win, TRUE); /* no cursor trips back after each update: fewer bytes */
    curs_set(0);
    set_escdelay(TERM_ESCDELAY_MS);
    term_define_keys();
}

static int term_open_streams(struct term *t, const struct term_opts *o, struct ls_error *err)
{
    if (o->offscreen) {
        t->out = o->out;
        if (!t->out) {
            t->out = fopen("/dev/null", "w");
            t->own_out = true;
        }
        t->in = fopen("/dev/null", "r");
        t->own_in = true;
    } else {
        t->out = stdout;
        t->in = stdin;
        if (o->record) { /* curses draws into the tee's file; tee_forward copies it out */
            if (tee_open(&t->tee, fileno(stdout), o->record, err) != 0) {
                tee_close(&t->tee);
                return -1;
            }
            t->teeing = true;
            t->out = t->tee.bytes;
        }
        if (!isatty(fileno(stdin))) { /* stdin is a pipe: keys come from the terminal itself */
            t->in = fopen("/dev/tty", "r");
            t->own_in = true;
        }
    }
    if (!t->out || !t->in)
        return ls_error_set(err, "cannot open the terminal: %s", strerror(errno));
    return 0;
}

static void term_close_streams(struct term *t)
{
    if (t->teeing) { /* the terminal's own modes back, and the file gone */
        tee_close(&t->tee);
        t->teeing = false;
        term_winch(false);
    }
    if (t->own_in && t->in)
        fclose(t->in);
    if (t->own_out && t->out)
        fclose(t->out);
    t->in = t->out = NULL;
}

/* Recording: the modes curses would have set on the terminal, and its real size. */
static int term_tee_start(struct term *t, struct ls_error *err)
{
    if (tee_raw(&t->tee, err) != 0) {
        term_close(t);
        return -1;
    }
    int cols, rows;
    tee_size(t->tee.tty, &cols, &rows);
    resize_term(rows, cols);
    t->win = stdscr;
    return 0;
}

/* Recording: the window changed size. */
static int term_tee_resize(struct term *t)
{
    int cols, rows;
    term_winch_sig = 0;
    tee_size(t->tee.tty, &cols, &rows);
    resize_term(rows, cols);
    t->win = stdscr;
    clearok(curscr, TRUE); /* the terminal rewrapped what it showed: paint everything */
    tee_resized(&t->tee, cols, rows);
    return KEYC_RESIZE;
}

/* One environment variable, saved so that it can be put back as it was. */
struct term_env_var {
    const char *name;
    char *saved; /* NULL: it was unset */
};

static void term_env_set(struct term_env_var *v, const char *name, int value)
{
    const char *old = getenv(name);
    v->name = name;
    v->saved = old ? strdup(old) : NULL;
    char num[16];
    snprintf(num, sizeof num, "%d", value);
    setenv(name, num, 1);
}

static void term_env_restore(struct term_env_var *v)
{
    if (v->saved)
        setenv(v->name, v->saved, 1);
    else
        unsetenv(v->name);
    free(v->saved);
    v->saved = NULL;
}

/* newterm on a stream that is not the terminal takes its size from terminfo (24 lines) and
 * sends it (the scroll region \e[1;24r) before any resize_term: a recording or offscreen
 * screen of another size would carry it. ncurses reads LINES and COLUMNS at newterm time
 * (use_env is on by default), so they are set to the size wanted for that call only. */
static SCREEN *term_newterm(const char *type, FILE *out, FILE *in, int cols, int rows)
{
    if (cols <= 0 || rows <= 0)
        return newterm(type, out, in);
    struct term_env_var lines, columns;
    term_env_set(&lines, "LINES", rows);
    term_env_set(&columns, "COLUMNS", cols);
    SCREEN *scr = newterm(type, out, in);
    term_env_restore(&lines);
    term_env_restore(&columns);
    return scr;
}

/* The size newterm should start at: the offscreen size, the recorded terminal's, or 0 (a
 * real terminal: curses asks it). */
static void term_start_size(const struct term *t, const struct term_opts *o, int *cols,
                            int *rows)
{
    *cols = *rows = 0;
    if (o->offscreen) {
        *cols = o->cols > 0 ? o->cols : 80;
        *rows = o->rows > 0 ? o->rows : 24;
    } else if (t->teeing) {
        tee_size(t->tee.tty, cols, rows);
    }
}

int term_open(struct term *t, const struct term_opts *o, struct ls_error *err)
{
    memset(t, 0, sizeof *t);
    t->offscreen = o->offscreen;
    if (term_open_streams(t, o, err) != 0) {
        term_close_streams(t);
        return -1;
    }
    const char *type = o->offscreen ? (o->term_type ? o->term_type : "xterm-256color") : NULL;
    if (!o->offscreen) {
        term_crash_arm(t->teeing ? t->tee.tty : fileno(t->out));
        term_signals(true); /* before newterm, so curses keeps its hands off these */
        if (t->teeing)
            term_winch(true);
    }
    int cols, rows;
    term_start_size(t, o, &cols, &rows);
    t->screen = term_newterm(type, t->out, t->in, cols, rows);
    if (!t->screen) {
        if (!o->offscreen)
            term_signals(false);
        term_crash_disarm();
        term_close_streams(t);
        const char *name = type ? type : getenv("TERM");
        return ls_error_set(err, "cannot use terminal type '%s' (is TERM right?)",
                            name ? name : "(unset)");
    }
    set_term(t->screen);
    t->win = stdscr;
    char *cup = tigetstr((char *)"cup");
    if (!o->offscreen && (cup == NULL || cup == (char *)-1)) {
        const char *name = getenv("TERM");
        term_close(t);
        return ls_error_set(err, "terminal type '%s' cannot move the cursor; use `logitscope "
                            "sweep` or `logitscope --snapshot` instead", name ? name : "");
    }
    if (o->offscreen)
        resize_term(o->rows > 0 ? o->rows : 24, o->cols > 0 ? o->cols : 80);
    else if (t->teeing && term_tee_start(t, err) != 0)
        return -1;
    if (!o->offscreen)
        term_crash_prepare();
    term_modes(t);
    theme_init(&t->theme, !o->no_color, o->theme);
    t->glyphs = glyphs_get(o->ascii || !term_locale_utf8());
    t->text_flags = t->glyphs->ascii ? TEXT_ASCII : 0;
    return 0;
}

void term_close(struct term *t)
{
    if (t->screen) {
        set_term(t->screen);
        /* a recording ends on the last frame, painted again after the restore; the person's
         * terminal gets the restore alone, as without recording */
        size_t last_len = 0;
        char *last = t->teeing ? term_repaint_bytes(t, &last_len) : NULL;
        endwin();
        delscreen(t->screen);
        t->screen = NULL;
        if (t->teeing) { /* endwin's bytes leave the alternate screen and show the cursor */
            tee_forward(&t->tee);
            if (last)
                tee_record_only(&t->tee, last, last_len);
        }
        free(last);
    }
    if (!t->offscreen) {
        term_crash_disarm();
        /* stop signals stay caught until the caller has decided how to exit */
        term_crash_uninstall();
    }
    term_close_streams(t);
}

void term_size(const struct term *t, int *cols, int *rows)
{
    getmaxyx(t->win, *rows, *cols);
}

void term_resize(struct term *t, int cols, int rows)
{
    resize_term(rows < 1 ? 1 : rows, cols < 1 ? 1 : cols);
    t->win = stdscr;
}

void term_flush(struct term *t, bool force)
{
    if (force)
        clearok(curscr, TRUE);
    wnoutrefresh(t->win);
    doupdate();
    if (t->teeing)
        tee_forward(&t->tee);
}

void term_marker(struct term *t, const char *label)
{
    if (t->teeing)
        tee_marker(&t->tee, label);
}

/* curses' function-key codes -> ours. */
static int term_map_code(int code)
{
    static const struct {
        int curses, ours;
    } map[] = {
        {KEY_UP, KEYC_UP},           {KEY_DOWN, KEYC_DOWN},       {KEY_LEFT, KEYC_LEFT},
        {KEY_RIGHT, KEYC_RIGHT},     {KEY_SLEFT, KEYC_SLEFT},     {KEY_SRIGHT, KEYC_SRIGHT},
        {KEY_HOME, KEYC_HOME},       {KEY_END, KEYC_END},         {KEY_SHOME, KEYC_HOME},
        {KEY_SEND, KEYC_END},        {KEY_PPAGE, KEYC_PAGEUP},    {KEY_NPAGE, KEYC_PAGEDOWN},
        {KEY_BTAB, KEYC_BTAB},       {KEY_ENTER, KEYC_ENTER},     {KEY_BACKSPACE, KEYC_BACKSPACE},
        {KEY_DC, KEYC_DELETE},       {KEY_IC, KEYC_INSERT},       {KEY_RESIZE, KEYC_RESIZE},
        {KEY_MOUSE, KEYC_MOUSE},     {KEY_A1, KEYC_HOME},         {KEY_C1, KEYC_END},
        {KEY_A3, KEYC_PAGEUP},       {KEY_C3, KEYC_PAGEDOWN},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].curses == code)
            return map[i].ours;
    if (code >= KEY_F(1) && code <= KEY_F(12))
        return KEYC_F(code - KEY_F(0));
    return KEYC_NONE;
}

/* A plain character -> ours: control characters get their names. */
static int term_map_char(wint_t ch)
{
    switch (ch) {
    case 27: return KEYC_ESCAPE;
    case '\t': return KEYC_TAB;
    case '\r':
    case '\n': return KEYC_ENTER;
    case 8:
    case 127: return KEYC_BACKSPACE;
    default: break;
    }
    if (ch >= 1 && ch <= 26)
        return KEYC_CTRL('a' + (int)ch - 1);
    return key_is_char((int)ch) ? (int)ch : KEYC_NONE;
}

/* The next byte of a sequence already in curses' queue, or -1. */
static int term_next_now(struct term *t)
{
    wint_t ch;
    wtimeout(t->win, 0);
    int rc = wget_wch(t->win, &ch);
    wtimeout(t->win, -1);
    return rc == OK ? (int)ch : -1;
}

/* Decodes a CSI/SS3 sequence terminfo did not know (ESC already read), e.g. Shift+arrows
 * with other modifiers. Unknown ones are swallowed: a stray sequence must never read as
 * Escape (which quits). */
static int term_escape(struct term *t)
{
    int c = term_next_now(t);
    if (c < 0)
        return KEYC_ESCAPE;
    if (c != '[' && c != 'O')
        return KEYC_NONE; /* Alt+key: not ours */
    int params[4] = {0}, np = 0, fin = -1;
    for (int i = 0; i < 32; i++) {
        int d = term_next_now(t);
        if (d < 0)
            break;
        if (d >= '0' && d <= '9') {
            params[np] = params[np] * 10 + (d - '0');
        } else if (d == ';') {
            np = np < 3 ? np + 1 : np;
        } else if (d >= 0x40 && d <= 0x7e) {
            fin = d;
            break;
        }
    }
    int mod = np >= 1 ? params[1] - 1 : 0; /* xterm: 1 + (shift 1, alt 2, ctrl 4) */
    switch (fin) {
    case 'A': return KEYC_UP;
    case 'B': return KEYC_DOWN;
    case 'C': return mod & 5 ? KEYC_SRIGHT : KEYC_RIGHT;
    case 'D': return mod & 5 ? KEYC_SLEFT : KEYC_LEFT;
    case 'H': return KEYC_HOME;
    case 'F': return KEYC_END;
    case 'Z': return KEYC_BTAB;
    case 'P': return KEYC_F1;
    case 'Q': return KEYC_F(2);
    case 'R': return KEYC_F(3);
    case 'S': return KEYC_F(4);
    case '~':
        switch (params[0]) {
        case 1: case 7: return KEYC_HOME;
        case 4: case 8: return KEYC_END;
        case 5: return KEYC_PAGEUP;
        case 6: return KEYC_PAGEDOWN;
        default: return KEYC_NONE;
        }
    default: return KEYC_NONE;
    }
}

static int term_decode(struct term *t, int rc, wint_t ch);

int term_read_key(struct term *t)
{
    if (t->teeing) /* poll, so that a resize (our own SIGWINCH) is noticed */
        return term_wait_key(t, -1);
    if (term_stop_sig)
        return TERM_STOP;
    wint_t ch;
    errno = 0;
    int rc = wget_wch(t->win, &ch);
    return term_decode(t, rc, ch);
}

int term_key_waiting(struct term *t)
{
    if (term_stop_sig)
        return TERM_STOP;
    if (t->teeing && term_winch_sig)
        return term_tee_resize(t);
    wint_t ch;
    wtimeout(t->win, 0);
    errno = 0;
    int rc = wget_wch(t->win, &ch);
    wtimeout(t->win, -1);
    if (t->teeing) {
        tee_forward(&t->tee);
        if (t->tee.gone)
            return TERM_GONE;
    }
    return rc == ERR ? KEYC_NONE : term_decode(t, rc, ch);
}

int term_wait_key(struct term *t, int timeout_ms)
{
    if (term_stop_sig)
        return TERM_STOP;
    if (t->teeing && t->tee.cast_failed) /* the recording cannot go on: tui_run says why */
        return TERM_GONE;
    if (t->teeing && term_winch_sig)
        return term_tee_resize(t);
    struct pollfd pfd = {fileno(t->in), POLLIN, 0};
    int n = poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
    if (term_stop_sig)
        return TERM_STOP;
    if (t->teeing && term_winch_sig)
        return term_tee_resize(t);
    if (n == 0)
        return KEYC_NONE;
    if (n > 0 && (pfd.revents & POLLIN) == 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
        return TERM_GONE;
    /* input, or EINTR (a resize: curses turns its flag into KEY_RESIZE): take it without
     * blocking; wget_wch still waits the escape delay for the rest of a sequence */
    wint_t ch;
    wtimeout(t->win, 0);
    errno = 0;
    int rc = wget_wch(t->win, &ch);
    wtimeout(t->win, -1);
    if (t->teeing) { /* curses may have written (keypad mode on the first read) */
        tee_forward(&t->tee);
        if (t->tee.gone || t->tee.cast_failed)
            return TERM_GONE;
    }
    if (rc == ERR && n < 0)
        return KEYC_NONE;
    return term_decode(t, rc, ch);
}

/* wget_wch's answer as a key, or TERM_STOP / TERM_GONE. */
static int term_decode(struct term *t, int rc, wint_t ch)
{
    if (term_stop_sig)
        return TERM_STOP;
    if (rc == ERR) {
        /* Blocking reads only fail when interrupted or when the terminal is gone (EIO, EOF):
         * never spin on a dead terminal. */
        if (errno == EINTR && ++t->err_streak < TERM_ERR_STREAK_MAX)
            return KEYC_NONE;
        return TERM_GONE;
    }
    t->err_streak = 0;
    if (rc == KEY_CODE_YES)
        return term_map_code((int)ch);
    if (ch == 27)
        return term_escape(t);
    return term_map_char(ch);
}

