/* generate.h: `logitscope generate [--lm FILE] [--prompt TEXT] [-n WORDS] [OPTIONS]`, a
 * language model writing after a prompt with the sampler chain: the text, or an OpenAI chat
 * completion with logprobs (--format json) that the sequence loaders open. */
#ifndef LOGITSCOPE_CLI_GENERATE_H
#define LOGITSCOPE_CLI_GENERATE_H

/* argv[0] is "generate". Returns the exit status: 0 done, 1 write error or out of memory,
 * 2 bad usage, bad value or bad model file (with a message on stderr). */
int generate_main(int argc, char **argv);

#endif
