/* term_signal.c: the live terminal's signal handlers. Stop signals and SIGWINCH only set flags;
 * a crash restores the terminal with async-signal-safe calls only, then dies of its signal. */
#include "term_signal.h"

#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tui_curses.h"

volatile sig_atomic_t term_stop_sig;
volatile sig_atomic_t term_winch_sig;
/* For the crash handler: the tty, its settings before curses, and the bytes that leave the
 * alternate screen and show the cursor, computed while it was safe to call terminfo. */
static int term_crash_fd = -1;
static struct termios term_crash_tio;
static char term_crash_seq[128];
static size_t term_crash_len;

static const int term_stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
static const int term_crash_signals[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};

static void term_on_stop(int sig)
{
    term_stop_sig = sig;
}

static void term_on_winch(int sig)
{
    term_winch_sig = sig;
}

void term_winch(bool install)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = install ? term_on_winch : SIG_DFL;
    sigaction(SIGWINCH, &sa, NULL);
    sa.sa_handler = install ? SIG_IGN : SIG_DFL;
    sigaction(SIGTSTP, &sa, NULL);
    term_winch_sig = 0;
}

static void term_on_crash(int sig)
{
    if (term_crash_fd >= 0) {
        ssize_t w = write(term_crash_fd, term_crash_seq, term_crash_len);
        (void)w;
        tcsetattr(term_crash_fd, TCSANOW, &term_crash_tio);
    }
    raise(sig); /* the handler was reset (SA_RESETHAND): this time it is fatal */
}

void term_signals(bool install)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    /* no SA_RESTART: a stop signal must interrupt the blocking read */
    sa.sa_handler = install ? term_on_stop : SIG_DFL;
    for (size_t i = 0; i < sizeof term_stop_signals / sizeof term_stop_signals[0]; i++)
        sigaction(term_stop_signals[i], &sa, NULL);
    sa.sa_handler = install ? term_on_crash : SIG_DFL;
    sa.sa_flags = install ? (SA_RESETHAND | SA_NODEFER) : 0;
    for (size_t i = 0; i < sizeof term_crash_signals / sizeof term_crash_signals[0]; i++)
        sigaction(term_crash_signals[i], &sa, NULL);
}

/* Bytes that are not in terminfo (xterm's mouse modes): the tui may have turned them on. */
static void term_crash_raw(const char *seq)
{
    size_t n = strlen(seq);
    if (term_crash_len + n < sizeof term_crash_seq) {
        memcpy(term_crash_seq + term_crash_len, seq, n);
        term_crash_len += n;
    }
}

static void term_crash_add(const char *cap)
{
    char *s = tigetstr((char *)cap);
    if (s == NULL || s == (char *)-1)
        return;
    term_crash_raw(s);
}

void term_crash_arm(int fd)
{
    term_crash_fd = fd;
    if (tcgetattr(term_crash_fd, &term_crash_tio) != 0)
        term_crash_fd = -1;
}

void term_crash_disarm(void)
{
    term_crash_fd = -1;
}

void term_crash_prepare(void)
{
    /* what a clean exit sends (the tui's mouse_enable(false), then endwin), in its order */
    term_crash_len = 0;
    term_crash_raw("\033[?1002l\033[?1006l\033[?1000l"); /* mouse reporting off */
    term_crash_add("sgr0");
    term_crash_add("cnorm");
    term_crash_add("rmcup");
    term_crash_add("rmkx"); /* keypad transmit and application cursor keys off */
}

void term_crash_uninstall(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof term_crash_signals / sizeof term_crash_signals[0]; i++)
        sigaction(term_crash_signals[i], &sa, NULL);
}
