/* test_generate.c: `logitscope generate --format json` opened by the sequence loader, the
 * round trip a file makes from generate to the explorer: every position's chosen word and
 * log-probability, and its top 20, against the model's own column (lm_next) for a context
 * rebuilt here from the text output of the same run. On the small ARPA model of
 * lm_fixture.h and, when it is installed, on en-us.lm.bin. Usage: test_generate LOGITSCOPE */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "../engine/lm_fixture.h"
#include "logitscope/lm.h"
#include "logitscope/seq.h"
#include "tap.h"

#define EN_US "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"

static const char *exe;

/* Runs logitscope generate with args, stdout to out; its exit status. */
static int run(const char *args, const char *out)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' generate %s > '%s'", exe, args, out);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The words of a file of one line. */
static size_t read_words(const char *path, char words[][64], size_t cap)
{
    FILE *f = fopen(path, "r");
    size_t n = 0;
    while (f && n < cap && fscanf(f, "%63s", words[n]) == 1)
        n++;
    if (f)
        fclose(f);
    return n;
}

static uint32_t id_of(const struct lm *lm, const char *w)
{
    uint32_t id = LM_NO_WORD;
    if (!lm_lookup_word(lm, w, strlen(w), &id))
        id = lm_unk(lm);
    return id;
}

/* The context of word k of ids: the order - 1 before it, back to <s> after a </s>. */
static size_t context_of(const struct lm *lm, const uint32_t *ids, size_t k, uint32_t *ctx)
{
    size_t want = (size_t)lm_order(lm) - 1, from = k, n = 0;
    while (from > 0 && k - from < want && ids[from - 1] != lm_eos(lm))
        from--;
    if ((from == 0 || ids[from - 1] == lm_eos(lm)) && k - from < want)
        ctx[n++] = lm_bos(lm);
    for (size_t i = from; i < k; i++)
        ctx[n++] = ids[i];
    return n;
}

/* One run of generate with the same arguments as text and as JSON; the JSON, loaded, must
 * be that text with the model's numbers. A real model's column sums to 1 and the loader
 * reads log-probabilities; the small model's does not (its 1-grams alone sum to 0.46, and
 * "<s> a b" has 0.89), so the loader takes its numbers for logits, as it should. */
static void round_trip(const char *model_path, const char *prompt, size_t prompt_words,
                       size_t n_words, const char *args, bool normalized, const char *what)
{
    struct lm *lm = NULL;
    struct ls_error err = {{0}};
    if (lm_load(&lm, model_path, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    size_t V = lm_size(lm);
    char full[1024];
    snprintf(full, sizeof full, "--lm '%s' --prompt '%s' -n %zu %s", model_path, prompt, n_words,
             args);
    const char *text_path = tmp_path("out.txt"), *json_path = tmp_path("out.json");
    char json_args[1100];
    snprintf(json_args, sizeof json_args, "%s --format json", full);
    tap_ok(run(full, text_path) == 0 && run(json_args, json_path) == 0,
           "%s: generate runs, as text and as JSON", what);

    static char words[4096][64];
    size_t n = read_words(text_path, words, 4096);
    TAP_EQ_INT(n, prompt_words + n_words, "%s: the text is the prompt and %zu words", what,
               n_words);
    uint32_t *ids = malloc((n + 1) * sizeof *ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = id_of(lm, words[i]);

    struct seq s;
    int rc = seq_load(&s, json_path, NULL, &err);
    tap_ok(rc == 0, "%s: the sequence loader opens it: %s", what, rc ? err.msg : "");
    if (rc != 0) {
        free(ids);
        lm_free(lm);
        return;
    }
    tap_ok(s.format == SEQ_OPENAI_CHAT && s.has_chosen && s.n == n_words &&
               s.values == (normalized ? SEQ_LOGPROBS : SEQ_LOGITS) && !s.post_sampling,
           "%s: OpenAI chat, %s before sampling, %zu positions with their chosen word", what,
           seq_values_name(s.values), n_words);

    /* the content: the written words, a space before each unless it opens the text */
    char want_text[65536];
    size_t at = 0;
    for (size_t i = prompt_words; i < n && at < sizeof want_text - 80; i++)
        at += (size_t)snprintf(want_text + at, sizeof want_text - at, "%s%s", i ? " " : "",
                               words[i]);
    tap_ok(s.text_len == at && memcmp(s.text, want_text, at) == 0,
           "%s: the chosen tokens make the text", what);

    double *lp = malloc(V * sizeof *lp);
    bool chosen_ok = true, top_ok = true;
    for (size_t i = 0; i < s.n && i + prompt_words < n; i++) {
        size_t k = prompt_words + i;
        uint32_t ctx[16];
        lm_next(lm, ctx, context_of(lm, ids, k, ctx), lp);
        const struct seq_pos *pos = &s.pos[i];
        if (pos->chosen_value != lp[ids[k]]) {
            printf("# position %zu: chosen %.17g, lm_next %.17g\n", i, pos->chosen_value,
                   lp[ids[k]]);
            chosen_ok = false;
        }
        /* the listed words: the model's 20 likeliest (fewer when fewer are possible), each
         * with its own log-probability */
        size_t finite = 0;
        for (size_t w = 0; w < V; w++)
            finite += isfinite(lp[w]) != 0;
        size_t listed = pos->n - !pos->chosen_listed, top = finite < 20 ? finite : 20;
        const struct vocab *v = seq_vocab(&s, i, &err);
        double lowest = INFINITY;
        bool each = v && listed == top;
        for (size_t c = 0; each && c < v->n; c++) {
            char buf[32], name[64];
            size_t len;
            const char *tok = vocab_token(v, c, buf, &len);
            size_t skip = len && tok[0] == ' ';
            snprintf(name, sizeof name, "%.*s", (int)(len - skip), tok + skip);
            uint32_t id = LM_NO_WORD;
            each = lm_find(lm, name, strlen(name), &id) && v->logits[c] == lp[id];
            if (c != pos->chosen || pos->chosen_listed)
                lowest = fmin(lowest, v->logits[c]);
        }
        size_t above = 0;
        for (size_t w = 0; w < V; w++)
            above += lp[w] > lowest;
        if (!each || above > top - 1) {
            printf("# position %zu: %zu listed, %zu above the lowest of them\n", i, listed,
                   above);
            top_ok = false;
        }
    }
    tap_ok(chosen_ok, "%s: each chosen word's logprob is lm_next's for its context", what);
    tap_ok(top_ok, "%s: each position lists the model's top 20 with their logprobs", what);
    free(lp);
    free(ids);
    seq_free(&s);
    lm_free(lm);
    unlink(text_path);
    unlink(json_path);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        printf("Bail out! usage: test_generate LOGITSCOPE\n");
        return 1;
    }
    exe = argv[1];
    (void)fx_shuffled_trie; /* the fixture's trie writer is for the loader's tests */
    tmp_dir_make("generate");
    const char *small = tmp_text("small.arpa", fx_small_arpa);
    round_trip(small, "a", 1, 60, "--seed 3", false, "small, T = 1");
    round_trip(small, "", 0, 30, "-t 1.5 --seed 9", false, "small, empty prompt");
    round_trip(small, "zebra b", 2, 30, "-t 0", false, "small, greedy after <unk>");
    if (access(EN_US, R_OK) == 0) {
        round_trip(EN_US, "the cat sat on the", 5, 40, "-t 0.8 -p 0.9 --seed 7", true, "en-us");
    } else {
        printf("# %s is not installed (Debian: pocketsphinx-en-us)\n", EN_US);
        tap_ok(1, "# SKIP en-us.lm.bin");
    }
    tmp_dir_remove();
    return tap_done();
}
