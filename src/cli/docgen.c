/* docgen.c: logitscope-docgen, run by the build: writes the man page or a shell's completion
 * script on stdout, from the same tables as the program's --help. Not installed. */
#include <stdio.h>
#include <string.h>

#include "completion.h"
#include "manpage.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: logitscope-docgen man|bash|zsh|fish\n", stderr);
        return 2;
    }
    int rc = strcmp(argv[1], "man") == 0 ? manpage_write(stdout)
                                         : completion_write(argv[1], stdout);
    if (rc > 0)
        fprintf(stderr, "logitscope-docgen: unknown output \"%s\" (man, bash, zsh or fish)\n",
                argv[1]);
    else if (rc < 0)
        fputs("logitscope-docgen: error writing the output\n", stderr);
    return rc ? 1 : 0;
}
