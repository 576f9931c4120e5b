/* term_signal.h: the live terminal's signal handlers, as term.c installs them and reads their
 * flags (term_signal.c). Offscreen terminals install none. */
#ifndef LOGITSCOPE_TUI_TERM_SIGNAL_H
#define LOGITSCOPE_TUI_TERM_SIGNAL_H

#include <signal.h>
#include <stdbool.h>

/* The stop signal (SIGINT, SIGTERM, SIGHUP) caught, or 0. */
extern volatile sig_atomic_t term_stop_sig;
/* Recording only (curses does not see the tty): a SIGWINCH came. */
extern volatile sig_atomic_t term_winch_sig;

/* The stop signals' handler (no SA_RESTART: a stop must interrupt the blocking read) and the
 * crash handler, or the defaults back. */
void term_signals(bool install);
/* When recording, the window size is ours to watch (curses would ask its file). Installed
 * before newterm, so curses leaves SIGWINCH alone. Suspending is off meanwhile: curses'
 * SIGTSTP handler would restore the modes of its file, not the terminal's. */
void term_winch(bool install);

/* A crash restores tty fd's modes as they are now (nothing when they cannot be read). */
void term_crash_arm(int fd);
/* Nothing left for the crash handler to restore. */
void term_crash_disarm(void);
/* The bytes the crash handler sends, worked out now that terminfo is loaded (calling it is
 * not async-signal-safe). */
void term_crash_prepare(void);
/* Crash signals fatal as usual again; the stop signals' handler stays. */
void term_crash_uninstall(void);

#endif
