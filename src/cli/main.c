/* main.c: the `logitscope` command: dispatches `sweep` to the batch report, --help and
 * --version here, and everything else to the interactive explorer. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "explore.h"
#include "sweep.h"

static const char main_usage[] =
    "Usage: logitscope [OPTIONS] [FILE]          explore FILE interactively\n"
    "       logitscope sweep [FILE] [OPTIONS]    print distributions for many settings\n"
    "       logitscope --help | --version\n"
    "\n"
    "Feel how an LLM picks its next token: temperature, top-k, top-p and min-p applied\n"
    "to a vocabulary of logits, live. FILE is a TSV (token<TAB>logit per line) or a\n"
    "1-D .npy array; without one, the bundled data/decisions.tsv is used. FILE may also be\n"
    "a model's output with log-probabilities (OpenAI, llama.cpp or Ollama JSON, whole or\n"
    "streamed, or a 2-D .npy of logits), stepped through position by position; - reads\n"
    "standard input.\n"
    "\n"
    "Explorer options (one value each; the same rules as for sweep):\n"
    "  -t, --temperature=T  -k, --top-k=K  -p, --top-p=P  --min-p=M  --order=hf|llama\n"
    "  -n, --samples=N      --seed=S       --vocab=FILE\n"
    "  --position=N  --choice=N  --tokens=FILE   where a model's output opens, which choice,\n"
    "                                  the chosen ids of a 2-D .npy\n"
    "  --snapshot [--size=COLSxROWS]   print the frame as plain text, no terminal needed\n"
    "  --play=SCRIPT [--cast=FILE]     press the keys of a script (data/demos/*.play);\n"
    "                                  --cast records it as an asciicast, offscreen\n"
    "  --no-color, --ascii, --no-mouse\n"
    "\n"
    "See `logitscope sweep --help` for the batch command.\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad usage, value or file.\n";

/* Prints text on stdout; 1 with a message when it cannot be written. */
static int main_print(const char *text)
{
    if (fputs(text, stdout) >= 0 && fflush(stdout) == 0)
        return 0;
    if (errno != EPIPE)
        fprintf(stderr, "logitscope: error writing the output: %s\n", strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "sweep") == 0)
        return sweep_main(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        return main_print(main_usage);
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        return main_print("logitscope " LS_VERSION "\n");
    }
    return explore_main(argc, argv);
}
