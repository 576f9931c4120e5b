/* main.c: the `logitscope` command: dispatches `sweep` to the batch report, `generate` to the
 * language model's writing, and everything else, --help and --version included, to the
 * interactive explorer. */
#include <string.h>

#include "explore.h"
#include "generate.h"
#include "sweep.h"

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "sweep") == 0)
        return sweep_main(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "generate") == 0)
        return generate_main(argc - 1, argv + 1);
    return explore_main(argc, argv);
}
