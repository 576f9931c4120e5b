/* sweep.h: `logitscope sweep [FILE] [OPTIONS]`, the batch command. Runs named settings (or the
 * cross product of -t/-k/-p/--min-p lists) through the same engine_apply() as the explorer
 * and prints text, CSV or a one-row-per-setting summary on stdout. */
#ifndef LOGITSCOPE_CLI_SWEEP_H
#define LOGITSCOPE_CLI_SWEEP_H

/* argv[0] is "sweep". Returns the exit status: 0 done, 1 write error or out of memory,
 * 2 bad usage, bad value or bad file (with a message on stderr). */
int sweep_main(int argc, char **argv);

#endif
