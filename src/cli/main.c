/* main.c: the `logitscope` command: dispatches `sweep` to the batch report and everything
 * else, --help and --version included, to the interactive explorer. */
#include <string.h>

#include "explore.h"
#include "sweep.h"

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "sweep") == 0)
        return sweep_main(argc - 1, argv + 1);
    return explore_main(argc, argv);
}
