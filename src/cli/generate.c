/* generate.c: `logitscope generate`, a language model writing after a prompt in batch. The
 * words are drawn by the writer (src/app/writer.h) with the chain and seed of the command
 * line; the text is printed, or an OpenAI chat completion with logprobs, streamed a
 * position per line so that a long run needs no tree of it in memory. */
#include "generate.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cast.h"
#include "lmsource.h"
#include "logitscope/text.h"
#include "options.h"
#include "writer.h"

#define GENERATE_TOP 20 /* alternatives at each position, OpenAI's most */

static void generate_json_string(FILE *f, const char *s, size_t len)
{
    fputc('"', f);
    cast_json_string(f, s, len);
    fputc('"', f);
}

static void generate_json_number(FILE *f, double x)
{
    char num[40];
    param_format_double(x, num, sizeof num);
    fputs(num, f);
}

/* A token: the word with a space before it, unless it opens the text. */
static void generate_json_token(FILE *f, const char *word, size_t len, bool space)
{
    fputs("\"token\":\"", f);
    if (space)
        fputc(' ', f);
    cast_json_string(f, word, len);
    fputs("\",\"bytes\":[", f);
    if (space)
        fputs(len ? "32," : "32", f);
    for (size_t i = 0; i < len; i++)
        fprintf(f, "%s%u", i ? "," : "", (unsigned char)word[i]);
    fputc(']', f);
}

/* One position of choices[0].logprobs.content: the word written at w->n - 1 (just pushed),
 * the top alternatives of the vocabulary it was chosen from. */
static void generate_json_entry(FILE *f, const struct writer *w, const struct vocab *v,
                                bool space, bool first)
{
    size_t len;
    const struct writer_word *word = &w->words[w->n - 1];
    const char *text = writer_word_bytes(w, w->n - 1, &len);
    fputs(first ? "\n{" : ",\n{", f);
    generate_json_token(f, text, len, space);
    fputs(",\"logprob\":", f);
    generate_json_number(f, word->logprob);
    fputs(",\"top_logprobs\":[", f);
    size_t top = v->n_finite < GENERATE_TOP ? v->n_finite : GENERATE_TOP;
    for (size_t r = 0; r < top; r++) {
        const char *alt = lm_word(w->lm, v->order[r], &len);
        fputs(r ? ",{" : "{", f);
        generate_json_token(f, alt, len, space);
        fputs(",\"logprob\":", f);
        generate_json_number(f, v->sorted[r]);
        fputc('}', f);
    }
    fputs("]}", f);
}

/* What produced the file, so that a run can be repeated: logitscope's own key, which the
 * readers of OpenAI's shape skip. */
static void generate_json_origin(FILE *f, const struct cli_opts *o, const struct params *p)
{
    char chain[200], num[40];
    const char *prompt = o->prompt ? o->prompt : "";
    fputs("\"logitscope\":{\"prompt\":", f);
    generate_json_string(f, prompt, strlen(prompt));
    fprintf(f, ",\"words\":%zu,\"seed\":%llu,\"samplers\":", o->words,
            (unsigned long long)o->seed);
    chain_format(&p->chain, ";", chain, sizeof chain);
    generate_json_string(f, chain, strlen(chain));
    for (int i = 0; i < PARAM_COUNT; i++) {
        param_format(p, (enum param_id)i, num, sizeof num);
        fprintf(f, ",\"%s\":%s", param_spec((enum param_id)i)->name, num);
    }
    fputc('}', f);
}

/* Replays the written words (ids[0..n)) from the prompt, writing each position's entry. */
static int generate_json(FILE *f, struct lm_source *src, const struct cli_opts *o,
                         const struct params *p, const uint32_t *ids, size_t n,
                         struct ls_error *err)
{
    struct writer *w = &src->writer;
    fputs("{\"object\":\"chat.completion\",\"model\":", f);
    generate_json_string(f, src->name, strlen(src->name));
    fputs(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"", f);
    for (size_t i = w->n_prompt; i < w->n; i++) {
        size_t len;
        const char *s = writer_word_bytes(w, i, &len);
        if (i > 0)
            fputc(' ', f);
        cast_json_string(f, s, len);
    }
    fputs("\"},\"finish_reason\":\"length\",\"logprobs\":{\"content\":[", f);
    writer_clear(w);
    for (size_t i = 0; i < n; i++) {
        const struct vocab *v = writer_vocab(w, err);
        int rc = v ? writer_push(w, ids[i], err) : WRITER_NO_MEMORY;
        if (rc)
            return rc == WRITER_NO_MEMORY ? 1 : 2;
        generate_json_entry(f, w, v, w->n > 1, i == 0);
    }
    fputs(n ? "\n]}}],\n" : "]}}],\n", f);
    generate_json_origin(f, o, p);
    fputs("}\n", f);
    return 0;
}

/* Flushes stdout: a reader that went away (`| head`) ends the run quietly with 1. */
static int generate_finish(FILE *f, struct ls_error *err)
{
    if (fflush(f) == 0 && !ferror(f))
        return 0;
    if (errno != EPIPE)
        ls_error_set(err, "error writing the output: %s", strerror(errno));
    return 1;
}

static int generate_run(const struct cli_opts *o, struct ls_error *err)
{
    struct params p;
    if (opt_params(o, &p, err))
        return 2;
    struct lm_source src;
    if (lm_source_open(&src, o, err))
        return 2;
    struct writer *w = &src.writer;
    uint32_t *ids = malloc((o->words ? o->words : 1) * sizeof *ids);
    int status = 0;
    if (!ids) {
        ls_error_set(err, "out of memory for %zu words", o->words);
        status = 1;
    }
    for (size_t i = 0; i < o->words && status == 0; i++) {
        int rc = writer_write(w, &p, &ids[i], err);
        if (rc)
            status = rc == WRITER_NO_MEMORY ? 1 : 2;
    }
    if (status == 0 && o->format == FORMAT_JSON) {
        status = generate_json(stdout, &src, o, &p, ids, o->words, err);
    } else if (status == 0) {
        size_t len;
        const char *text = writer_text(w, 0, o->ascii ? TEXT_ASCII : 0, &len);
        if (!text) {
            ls_error_set(err, "out of memory for the text");
            status = 1;
        } else {
            fwrite(text, 1, len, stdout);
            fputc('\n', stdout);
        }
    }
    if (status == 0)
        status = generate_finish(stdout, err);
    free(ids);
    lm_source_close(&src);
    return status;
}

int generate_main(int argc, char **argv)
{
    struct cli_opts o;
    struct ls_error err = {{0}};
    int status;
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    switch (opt_parse(argc, argv, CMD_GENERATE, &o, &err)) {
    case OPT_DONE: status = generate_finish(stdout, &err); break;
    case OPT_RUN: status = generate_run(&o, &err); break;
    default: status = 2; break;
    }
    if (status != 0 && err.msg[0])
        opt_print_error(err.msg);
    opt_free(&o);
    return status;
}
