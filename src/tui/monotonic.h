/* monotonic.h: milliseconds on the monotonic clock, for the tui's own timing: when a key
 * script's next step is due (play.c) and the times of a live recording (tee.c). */
#ifndef LOGITSCOPE_TUI_MONOTONIC_H
#define LOGITSCOPE_TUI_MONOTONIC_H

#include <time.h>

static inline long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
