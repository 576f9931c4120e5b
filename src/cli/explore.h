/* explore.h: `logitscope [OPTIONS] [FILE]`, the interactive explorer, and its headless
 * `--snapshot` frames. */
#ifndef LOGITSCOPE_CLI_EXPLORE_H
#define LOGITSCOPE_CLI_EXPLORE_H

/* argv[0] is the program name. Returns the exit status: 0 done, 1 runtime failure (the
 * terminal went away, out of memory), 2 bad usage, bad value, bad file, or no usable
 * terminal. */
int explore_main(int argc, char **argv);

#endif
