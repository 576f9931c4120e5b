/* tee.c: the bytes of a live session, copied to the terminal and to an asciicast (see
 * tee.h). The terminal's modes are restored on every way out by tee_close (normal exits) and
 * by term_signal.c's crash handler (which restores the same saved modes). */
#include "tee.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "layout.h"
#include "monotonic.h"

int tee_open(struct tee *t, int tty, struct cast *cast, struct ls_error *err)
{
    memset(t, 0, sizeof *t);
    t->tty = tty;
    t->cast = cast;
    t->t0_ms = monotonic_ms();
    if (tcgetattr(tty, &t->saved) != 0)
        return ls_error_set(err, "recording needs a terminal on stdout: %s", strerror(errno));
    t->bytes = tmpfile();
    if (!t->bytes)
        return ls_error_set(err, "cannot make a temporary file: %s", strerror(errno));
    return 0;
}

int tee_raw(struct tee *t, struct ls_error *err)
{
    struct termios tio = t->saved;
    tio.c_lflag &= (tcflag_t) ~(ICANON | ECHO | ECHONL);
    tio.c_lflag |= ISIG;
    tio.c_iflag &= (tcflag_t) ~(ICRNL | INLCR | IGNCR);
    tio.c_oflag &= (tcflag_t) ~ONLCR;
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    tio.c_cc[VSUSP] = _POSIX_VDISABLE; /* Ctrl-Z: see term_winch() */
    if (tcsetattr(t->tty, TCSADRAIN, &tio) != 0)
        return ls_error_set(err, "cannot set the terminal's modes: %s", strerror(errno));
    t->raw = true;
    return 0;
}

void tee_size(int fd, int *cols, int *rows)
{
    struct winsize ws;
    bool ok = ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0;
    *cols = ok ? ws.ws_col : LAYOUT_DEFAULT_COLS;
    *rows = ok ? ws.ws_row : LAYOUT_DEFAULT_ROWS;
}

static double tee_time(const struct tee *t)
{
    return (double)(monotonic_ms() - t->t0_ms) / 1000.0;
}

/* The events so far out to the file: a full disk shows at once. */
static void tee_flush_cast(struct tee *t)
{
    if (cast_flush(t->cast) != 0)
        t->cast_failed = true;
}

/* All of buf to the terminal, through short writes and interruptions. */
static void tee_write_all(struct tee *t, const char *buf, size_t len)
{
    while (len > 0 && !t->gone) {
        ssize_t n = write(t->tty, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            t->gone = true; /* EIO: the terminal went away; the reader will notice too */
            return;
        }
        buf += n;
        len -= (size_t)n;
    }
}

void tee_forward(struct tee *t)
{
    if (!t->bytes)
        return;
    int fd = fileno(t->bytes);
    char buf[16384];
    off_t at = 0;
    ssize_t n;
    while ((n = pread(fd, buf, sizeof buf, at)) > 0) {
        tee_write_all(t, buf, (size_t)n);
        cast_output(t->cast, tee_time(t), buf, (size_t)n);
        at += n;
    }
    /* start the file over: curses writes at the descriptor's offset, which we rewind (it
     * only writes while we call it, so nothing is in flight) */
    if (at > 0 && ftruncate(fd, 0) == 0)
        lseek(fd, 0, SEEK_SET);
    if (at > 0)
        tee_flush_cast(t);
}

void tee_resized(struct tee *t, int cols, int rows)
{
    cast_resize(t->cast, tee_time(t), cols, rows);
    tee_flush_cast(t);
}

void tee_record_only(struct tee *t, const char *data, size_t len)
{
    cast_output(t->cast, tee_time(t), data, len);
    tee_flush_cast(t);
}

void tee_marker(struct tee *t, const char *label)
{
    cast_marker(t->cast, tee_time(t), label);
    tee_flush_cast(t);
}

void tee_close(struct tee *t)
{
    if (t->raw)
        tcsetattr(t->tty, TCSADRAIN, &t->saved);
    t->raw = false;
    if (t->bytes)
        fclose(t->bytes);
    t->bytes = NULL;
}
