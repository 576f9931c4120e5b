/* test_seq.c: the JSON sequences (OpenAI chat and legacy, llama.cpp's three shapes, Ollama),
 * whole and streamed: the bundled examples, the details of a position (bytes joining, the
 * chosen token outside the list, -9999 and -inf, duplicates, known mass, choices), and every
 * malformed input with its exact message. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "seq_fixture.h"

/* JSON written in C without escaping its quotes (whitespace is collapsed). */
#define J(...) #__VA_ARGS__

/* A whole chat response around the given logprobs.content entries. */
static const char *chat_doc(const char *content)
{
    static char buf[4096];

    snprintf(buf, sizeof buf, "{\"choices\": [{\"index\": 0, \"logprobs\": {\"content\": [%s]}}]}",
             content);
    return buf;
}

static void load_json(struct seq *s, const char *name, const char *json,
                      const struct seq_opts *o)
{
    fx_load_ok(s, tmp_text(name, json), o);
}

/* Descending, ties in file order, -inf last: the rank order is a valid one. */
static int sorted_ok(const struct vocab *v)
{
    for (size_t r = 0; r < v->n; r++) {
        if (v->order[r] >= v->n || v->sorted[r] != v->logits[v->order[r]])
            return 0;
        if (r && (v->sorted[r - 1] < v->sorted[r] ||
                  (v->sorted[r - 1] == v->sorted[r] && v->order[r - 1] > v->order[r])))
            return 0;
    }
    return v->n_finite <= v->n && (v->n_finite == v->n || isinf(v->sorted[v->n_finite]));
}

static int token_is(const struct vocab *v, size_t i, const char *want, size_t want_len)
{
    char buf[24];
    size_t len;
    const char *t = vocab_token(v, i, buf, &len);

    return len == want_len && memcmp(t, want, len) == 0;
}

/* ---- the bundled examples ---- */

struct example {
    const char *file;
    enum seq_format format;
    enum seq_stream stream;
    enum seq_values values;
    size_t n;
    const char *text;
};

static const struct example examples[] = {
    {EXAMPLE("openai-chat.json"), SEQ_OPENAI_CHAT, SEQ_WHOLE, SEQ_LOGPROBS, 11,
     "The sea is a restless blue mirror \xf0\x9f\x8c\x8a."},
    {EXAMPLE("openai-chat-stream.sse"), SEQ_OPENAI_CHAT, SEQ_SSE, SEQ_LOGPROBS, 11,
     "The sea is a restless blue mirror \xf0\x9f\x8c\x8a."},
    {EXAMPLE("openai-legacy.json"), SEQ_OPENAI_LEGACY, SEQ_WHOLE, SEQ_LOGPROBS, 10,
     "\nViolets are blue,\nSugar is sweet"},
    {EXAMPLE("llamacpp.json"), SEQ_LLAMACPP, SEQ_WHOLE, SEQ_LOGPROBS, 9,
     " Step 1: Choose a domain name\n"},
    {EXAMPLE("llamacpp-stream.sse"), SEQ_LLAMACPP, SEQ_SSE, SEQ_LOGPROBS, 9,
     " Step 1: Choose a domain name\n"},
    {EXAMPLE("llamacpp-post.json"), SEQ_LLAMACPP_POST, SEQ_WHOLE, SEQ_PROBS, 9,
     " Step 1: Plan a domain name\n"},
    {EXAMPLE("llamacpp-old.json"), SEQ_LLAMACPP_OLD, SEQ_WHOLE, SEQ_PROBS, 9,
     " Step 1: Plan a domain name\n"},
    {EXAMPLE("ollama.json"), SEQ_OLLAMA, SEQ_WHOLE, SEQ_LOGPROBS, 11,
     "The sky looks blue because air scatters blue light more."},
    {EXAMPLE("ollama-stream.ndjson"), SEQ_OLLAMA, SEQ_NDJSON, SEQ_LOGPROBS, 11,
     "The sky looks blue because air scatters blue light more."},
};

/* Every position: a sorted vocabulary whose chosen token's bytes are its piece of the text,
 * and a known mass that is the sum of the listed probabilities. */
static int positions_ok(struct seq *s)
{
    struct ls_error err = {{0}};
    size_t text = 0;

    for (size_t i = 0; i < s->n; i++) {
        const struct vocab *v = seq_vocab(s, i, &err);
        const struct seq_pos *p = &s->pos[i];
        double mass = 0;
        if (!v || v->n != p->n || p->chosen >= v->n || !sorted_ok(v) ||
            p->text_off != text || !token_is(v, p->chosen, s->text + text, p->text_len))
            return 0;
        for (size_t k = 0; k < v->n; k++)
            mass += exp(v->logits[k]);
        if (s->values == SEQ_LOGPROBS ? fabs(mass - p->known_mass) > 1e-12 || mass > 1
                                      : !isnan(p->known_mass))
            return 0;
        text += p->text_len;
    }
    return text == s->text_len;
}

/* Two loads of one response (whole and streamed) give the same positions. */
static int same_positions(struct seq *a, struct seq *b)
{
    if (a->n != b->n || a->text_len != b->text_len || memcmp(a->text, b->text, a->text_len))
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const struct vocab *va = seq_vocab(a, i, NULL), *vb = seq_vocab(b, i, NULL);
        if (a->pos[i].n != b->pos[i].n || a->pos[i].chosen != b->pos[i].chosen ||
            a->pos[i].chosen_listed != b->pos[i].chosen_listed ||
            a->pos[i].chosen_value != b->pos[i].chosen_value)
            return 0;
        for (size_t k = 0; k < va->n; k++) {
            char b1[24], b2[24];
            size_t l1, l2;
            const char *t1 = vocab_token(va, k, b1, &l1), *t2 = vocab_token(vb, k, b2, &l2);
            if (va->logits[k] != vb->logits[k] || l1 != l2 || memcmp(t1, t2, l1))
                return 0;
        }
    }
    return 1;
}

static void test_examples(void)
{
    struct seq s[sizeof examples / sizeof *examples];

    for (size_t e = 0; e < sizeof examples / sizeof *examples; e++) {
        const struct example *x = &examples[e];
        fx_load_ok(&s[e], x->file, NULL);
        TAP_EQ_INT(s[e].format, x->format, "%s: format %s", x->file, seq_format_name(x->format));
        TAP_EQ_INT(s[e].stream, x->stream, "%s: stream kind", x->file);
        TAP_EQ_INT(s[e].values, x->values, "%s: %s", x->file, seq_values_name(x->values));
        TAP_EQ_INT(s[e].post_sampling, x->values == SEQ_PROBS, "%s: post-sampling", x->file);
        TAP_EQ_INT(s[e].n, x->n, "%s: positions", x->file);
        tap_ok(s[e].text_len == strlen(x->text) && strcmp(s[e].text, x->text) == 0,
               "%s: the text is the chosen tokens", x->file);
        tap_ok(s[e].has_chosen && s[e].choices == 1, "%s: chosen tokens, one choice", x->file);
        tap_ok(positions_ok(&s[e]), "%s: every position sorted, chosen token and mass right",
               x->file);
    }
    tap_ok(same_positions(&s[0], &s[1]), "OpenAI chat: streamed = whole");
    tap_ok(same_positions(&s[3], &s[4]), "llama.cpp: streamed = whole");
    tap_ok(same_positions(&s[7], &s[8]), "Ollama: streamed = whole");
    for (size_t e = 0; e < sizeof examples / sizeof *examples; e++)
        seq_free(&s[e]);
}

/* The chat example's hand-written numbers, checked one by one. */
static void test_chat_example(void)
{
    struct seq s;
    const struct vocab *v;
    const struct seq_pos *p;
    double mass;

    fx_load_ok(&s, EXAMPLE("openai-chat.json"), NULL);
    p = &s.pos[4];
    v = seq_vocab(&s, 4, NULL);
    mass = exp(-0.4417) + exp(-2.2048) + exp(-2.3969) + exp(-3.0157) + exp(-3.5560) +
           exp(-3.9120);
    tap_ok(p->n == 6 && p->chosen == 5 && !p->chosen_listed && p->chosen_value == -3.9120,
           "' restless' was sampled from outside the top 5: added as a sixth candidate");
    tap_ok(v->order[5] == 5 && token_is(v, 5, " restless", 9), "... ranked last, its text kept");
    TAP_NEAR(p->known_mass, mass, 1e-15, "known mass: the six probabilities");
    tap_ok(s.pos[7].chosen == 2 && s.pos[7].chosen_listed, "' ' chosen third in its list");
    v = seq_vocab(&s, 8, NULL);
    tap_ok(token_is(v, s.pos[8].chosen, "\xf0\x9f\x8c", 3), "a byte token's text comes from bytes");
    v = seq_vocab(&s, 9, NULL);
    tap_ok(token_is(v, s.pos[9].chosen, "\x8a", 1), "... and its other half");
    tap_ok(memcmp(s.text + s.pos[8].text_off, "\xf0\x9f\x8c\x8a", 4) == 0 &&
           s.pos[9].text_off == s.pos[8].text_off + 3, "the halves join into one character");
    TAP_EQ_INT(s.max_candidates, 6, "the largest position has 6 candidates");
    seq_free(&s);
}

/* The history at each position: the chosen tokens before it, found by their text in the
 * position's own candidates or absent; and the chain runs over it. */
static void test_history(void)
{
    uint32_t tok[64];
    const char *text[64];
    size_t len[64];
    int ok = 1, found = 0;
    struct params p = params_default();
    struct ls_error err;
    chain_parse_names("penalties;dry;temperature", &p.chain, &err);
    params_set(&p, PARAM_PRESENCE_PENALTY, 1);
    params_set(&p, PARAM_DRY_MULTIPLIER, 1);
    for (size_t e = 0; e < sizeof examples / sizeof *examples && ok; e++) {
        struct seq s;
        struct dist d;
        fx_load_ok(&s, examples[e].file, NULL);
        for (size_t i = 0; i < s.n && i < 64 && ok; i++) {
            const struct vocab *v = seq_vocab(&s, i, &err);
            struct history h = seq_history(&s, i, v, tok, text, len);
            ok = h.n == i;
            for (size_t k = 0; k < i && ok; k++) {
                ok = text[k] == s.text + s.pos[k].text_off && len[k] == s.pos[k].text_len;
                if (tok[k] != HISTORY_ABSENT) {
                    found++;
                    ok = ok && token_is(v, tok[k], text[k], len[k]);
                } else {
                    for (size_t j = 0; j < v->n && ok; j++)
                        ok = !token_is(v, j, text[k], len[k]);
                }
            }
            ok = ok && dist_init(&d, v) == 0 && engine_apply_history(&d, &p, &h) == 0 &&
                 d.kept > 0;
            dist_free(&d);
        }
        seq_free(&s);
    }
    tap_ok(ok, "each position's history: the chosen tokens before it, found by text or absent, "
               "and the chain runs over it");
    tap_ok(found > 0, "some are among a later position's candidates (%d)", found);
}

/* ---- details of a position ---- */

static void test_chat_details(void)
{
    struct seq s;
    const struct vocab *v;
    struct seq_opts o = {0};

    /* -9999, OpenAI's floor, for a token outside the top 20; bytes null: the token text */
    load_json(&s, "floor.json", chat_doc(J(
        {"token": "zq", "logprob": -9999.0, "bytes": null, "top_logprobs": [
            {"token": "a", "logprob": -0.1, "bytes": [97]},
            {"token": "b", "logprob": -2.5, "bytes": [98]}]})), NULL);
    v = seq_vocab(&s, 0, NULL);
    tap_ok(s.pos[0].n == 3 && s.pos[0].chosen == 2 && !s.pos[0].chosen_listed &&
           v->logits[2] == -9999 && v->order[2] == 2 && v->n_finite == 3,
           "-9999: the chosen token is a candidate with logit -9999, ranked last");
    tap_ok(token_is(v, 2, "zq", 2) && strcmp(s.text, "zq") == 0, "bytes null: the token text");
    TAP_NEAR(s.pos[0].known_mass, exp(-0.1) + exp(-2.5), 1e-15, "the floor adds no mass");
    seq_free(&s);

    /* -inf as Python writes it (bare) and as a string */
    load_json(&s, "neginf.json", chat_doc(J(
        {"token": "a", "logprob": -0.5, "top_logprobs": [
            {"token": "x", "logprob": -Infinity}, {"token": "a", "logprob": -0.5},
            {"token": "y", "logprob": "-Infinity"}, {"token": "b", "logprob": -1.5}]})), NULL);
    v = seq_vocab(&s, 0, NULL);
    tap_ok(v->n == 4 && v->n_finite == 2 && isinf(v->logits[0]) && isinf(v->logits[2]) &&
           v->order[0] == 1 && v->order[1] == 3 && v->order[2] == 0 && v->order[3] == 2,
           "-Infinity, bare or quoted: -inf logits, ranked last in file order");
    tap_ok(s.pos[0].chosen == 1 && s.pos[0].chosen_listed, "the chosen token is found");
    TAP_NEAR(s.pos[0].known_mass, exp(-0.5) + exp(-1.5), 1e-15, "-inf holds no mass");
    seq_free(&s);

    /* two tokens with the same text are two candidates; the number tells which was chosen */
    load_json(&s, "dup.json", chat_doc(J(
        {"token": "a", "logprob": -0.50000001, "top_logprobs": [
            {"token": "a", "logprob": -1.0}, {"token": "a", "logprob": -0.5}]})), NULL);
    tap_ok(s.pos[0].n == 2 && s.pos[0].chosen == 1 && s.pos[0].chosen_listed,
           "duplicate texts stay apart; the chosen one matches by number (to 1e-6)");
    seq_free(&s);

    /* numbers that are no log-probabilities (a server's raw logits) */
    load_json(&s, "logits.json", chat_doc(J(
        {"token": "a", "logprob": 3.0, "top_logprobs": [
            {"token": "a", "logprob": 3.0}, {"token": "b", "logprob": 1.0}]},
        {"token": "c", "logprob": -0.1, "top_logprobs": [{"token": "c", "logprob": -0.1}]})), NULL);
    tap_ok(s.values == SEQ_LOGITS && isnan(s.pos[0].known_mass) && isnan(s.pos[1].known_mass),
           "listed mass above 1: logits, and no known mass anywhere");
    seq_free(&s);

    /* several choices: the one asked for, by its index */
    static const char two[] = J(
        {"choices": [
          {"index": 1, "logprobs": {"content": [
            {"token": "B", "logprob": -0.2, "top_logprobs": [{"token": "B", "logprob": -0.2}]}]}},
          {"index": 0, "logprobs": {"content": [
            {"token": "A", "logprob": -0.1, "top_logprobs": [{"token": "A", "logprob": -0.1}]}]}}]});
    load_json(&s, "two.json", two, NULL);
    tap_ok(strcmp(s.text, "A") == 0 && s.choices == 2, "choice 0 by default: index 0");
    seq_free(&s);
    o.choice = 1;
    load_json(&s, "two.json", two, &o);
    tap_ok(strcmp(s.text, "B") == 0 && s.choices == 2, "choice 1: index 1");
    seq_free(&s);
    o.choice = 2;
    fx_expect_error(tmp_text("two.json", two), &o,
                    tmp_msg("%s: there is no choice 2 (the response has 2)", tmp_path("two.json")));

    /* streamed choices interleave; CRLF, comments and other fields are passed over */
    static const char interleaved[] =
        ": ping\r\n"
        "event: message\r\n"
        "data: {\"choices\": [{\"index\": 0, \"delta\": {\"role\": \"assistant\"}, "
        "\"logprobs\": null}]}\r\n"
        "\r\n"
        "data: {\"choices\": [{\"index\": 1, \"logprobs\": {\"content\": [{\"token\": \"x\", "
        "\"logprob\": -1, \"top_logprobs\": [{\"token\": \"x\", \"logprob\": -1}]}]}}]}\r\n"
        "data:{\"choices\": [{\"index\": 0, \"logprobs\": {\"content\": [{\"token\": \"H\", "
        "\"logprob\": -0.1, \"top_logprobs\": [{\"token\": \"H\", \"logprob\": -0.1}]}]}}]}\r\n"
        "data: {\"choices\": [{\"index\": 1, \"logprobs\": {\"content\": [{\"token\": \"y\", "
        "\"logprob\": -1, \"top_logprobs\": [{\"token\": \"y\", \"logprob\": -1}]}]}}]}\r\n"
        "data: {\"choices\": [{\"index\": 0, \"logprobs\": {\"content\": [{\"token\": \"i\", "
        "\"logprob\": -0.2, \"top_logprobs\": [{\"token\": \"i\", \"logprob\": -0.2}]}]}}]}\r\n"
        "data: {\"choices\": [], \"usage\": {\"total_tokens\": 9}}\r\n"
        "data: [DONE]\r\n"
        "this line comes after the end and is never read\r\n";
    o.choice = 0;
    load_json(&s, "inter.sse", interleaved, &o);
    tap_ok(s.stream == SEQ_SSE && strcmp(s.text, "Hi") == 0 && s.choices == 2,
           "SSE: choice 0 picked out of interleaved chunks");
    seq_free(&s);
    o.choice = 1;
    load_json(&s, "inter.sse", interleaved, &o);
    tap_ok(strcmp(s.text, "xy") == 0, "SSE: choice 1");
    seq_free(&s);

    /* a byte order mark, and pretty-printed whole JSON with Windows line ends */
    load_json(&s, "bom.json", "\xef\xbb\xbf{\r\n \"logprobs\": [{\"token\": \"t\", \"logprob\": 0,"
                              "\r\n \"top_logprobs\": [{\"token\": \"t\", \"logprob\": 0}]}]}\r\n", NULL);
    tap_ok(s.format == SEQ_OLLAMA && s.n == 1 && s.pos[0].known_mass == 1,
           "a UTF-8 BOM and CRLF are fine; logprob 0 is mass 1");
    seq_free(&s);

    /* bytes that are no UTF-8 at all, and a NUL in a token */
    load_json(&s, "raw.json", chat_doc(J(
        {"token": "?", "logprob": -0.1, "bytes": [255, 0, 27], "top_logprobs": [
            {"token": "?", "logprob": -0.1, "bytes": [255, 0, 27]},
            {"token": "a\u0000b", "logprob": -3}]})), NULL);
    v = seq_vocab(&s, 0, NULL);
    tap_ok(s.text_len == 3 && memcmp(s.text, "\xff\x00\x1b", 3) == 0 && token_is(v, 1, "a\0b", 3),
           "raw bytes are kept as they are (escaping is the display's job)");
    seq_free(&s);
}

static void test_legacy_details(void)
{
    struct seq s;
    const struct vocab *v;

    /* OpenAI writes a token that is not UTF-8 as "bytes:\xe2\x80" */
    load_json(&s, "legacy.json", J(
        {"choices": [{"text": "\u2019s", "index": 0, "logprobs": {
          "tokens": ["bytes:\\xe2\\x80", "bytes:\\x99", "s"],
          "token_logprobs": [-0.2, -0.01, -2.0],
          "top_logprobs": [{"bytes:\\xe2\\x80": -0.2, "'": -2.1},
                           {"bytes:\\x99": -0.01},
                           {"t": -0.9, "d": -1.6, "ll": -2.6}],
          "text_offset": [0, 1, 1]}}]}), NULL);
    v = seq_vocab(&s, 0, NULL);
    tap_ok(s.format == SEQ_OPENAI_LEGACY && s.text_len == 4 &&
           memcmp(s.text, "\xe2\x80\x99s", 4) == 0, "legacy bytes: tokens join into one character");
    tap_ok(token_is(v, 0, "\xe2\x80", 2) && token_is(v, 1, "'", 1), "... in the lists too");
    tap_ok(s.pos[2].n == 4 && s.pos[2].chosen == 3 && !s.pos[2].chosen_listed &&
           s.pos[2].chosen_value == -2.0, "the chosen 's' is not among the keys: added");
    TAP_NEAR(s.pos[2].known_mass, exp(-0.9) + exp(-1.6) + exp(-2.6) + exp(-2.0), 1e-15,
             "known mass with the added token");
    seq_free(&s);
}

static void test_llamacpp_details(void)
{
    struct seq s;
    const struct vocab *v;

    /* ids decide between two tokens with the same text and number */
    load_json(&s, "ids.json", J(
        {"content": " a", "completion_probabilities": [
          {"id": 9999, "token": " a", "bytes": [32, 97], "logprob": -1.0, "top_logprobs": [
            {"id": 264, "token": " a", "bytes": [32, 97], "logprob": -1.0},
            {"id": 9999, "token": " a", "bytes": [32, 97], "logprob": -1.0},
            {"id": 11, "token": ",", "bytes": [44], "logprob": -3.4028234663852886e+38}]}]}), NULL);
    v = seq_vocab(&s, 0, NULL);
    tap_ok(s.pos[0].chosen == 1 && s.pos[0].chosen_listed, "the chosen id, not the first same text");
    tap_ok(v->n_finite == 3 && v->order[2] == 2, "float's lowest (llama.cpp's log 0) is finite, last");
    seq_free(&s);

    /* post-sampling probabilities: their logs; a probability of 0 is -inf */
    load_json(&s, "post.json", J(
        {"completion_probabilities": [
          {"id": 5, "token": "b", "prob": 0.3, "top_probs": [
            {"id": 4, "token": "a", "prob": 0.7}, {"id": 5, "token": "b", "prob": 0.3},
            {"id": 6, "token": "c", "prob": 0.0}]}]}), NULL);
    v = seq_vocab(&s, 0, NULL);
    tap_ok(s.values == SEQ_PROBS && s.post_sampling && isnan(s.pos[0].known_mass),
           "post-sampling: probabilities, no known mass");
    tap_ok(v->logits[0] == log(0.7) && v->logits[1] == log(0.3) && isinf(v->logits[2]) &&
           v->n_finite == 2, "... the vocabulary holds their logs");
    tap_ok(s.pos[0].chosen == 1 && s.pos[0].chosen_value == 0.3, "chosen value as the file says");
    seq_free(&s);

    /* the old shape: no number for the chosen token, which may be missing from the list */
    load_json(&s, "old.json", J(
        {"content": "xy", "completion_probabilities": [
          {"content": "x", "probs": [{"tok_str": "w", "prob": 0.6}, {"tok_str": "x", "prob": 0.4}]},
          {"content": "y", "probs": [{"tok_str": "z", "prob": 1.0}]}]}), NULL);
    v = seq_vocab(&s, 1, NULL);
    tap_ok(s.pos[0].chosen == 1 && s.pos[0].chosen_value == 0.4, "old shape: found by its text");
    tap_ok(s.pos[1].n == 2 && s.pos[1].chosen == 1 && !s.pos[1].chosen_listed &&
           isnan(s.pos[1].chosen_value) && isinf(v->logits[1]),
           "old shape, chosen not listed: added with probability 0, value unknown");
    tap_ok(strcmp(s.text, "xy") == 0 && s.format == SEQ_LLAMACPP_OLD, "old shape text");
    seq_free(&s);
}

static void test_ollama_details(void)
{
    struct seq s;

    load_json(&s, "stream.ndjson",
              "{\"model\":\"m\",\"response\":\"\",\"done\":false}\n"
              "\n"
              "{\"model\":\"m\",\"response\":\"Hi\",\"done\":false,\"logprobs\":[{\"token\":\"Hi\","
              "\"logprob\":-0.3,\"top_logprobs\":[{\"token\":\"Hi\",\"logprob\":-0.3},"
              "{\"token\":\"Hey\",\"logprob\":-1.6}]}]}\n"
              "  {\"model\":\"m\",\"response\":\"!\",\"done\":false,\"logprobs\":[{\"token\":\"!\","
              "\"logprob\":-0.7,\"top_logprobs\":[{\"token\":\".\",\"logprob\":-0.6},"
              "{\"token\":\"!\",\"logprob\":-0.7}]}]}\n"
              "{\"model\":\"m\",\"response\":\"\",\"done\":true,\"eval_count\":2}\n", NULL);
    tap_ok(s.stream == SEQ_NDJSON && s.n == 2 && strcmp(s.text, "Hi!") == 0 &&
           s.pos[1].chosen == 1, "NDJSON: chunks without logprobs and blank lines passed over");
    seq_free(&s);
}

/* Standard input, and bytes handed over by the caller. */
static void test_stdin(void)
{
    struct seq s;
    struct ls_error err = {{0}};
    const char *p = tmp_text("stdin.json", chat_doc(J(
        {"token": "a", "logprob": -0.1, "top_logprobs": [{"token": "a", "logprob": -0.1}]})));
    unsigned char *copy;
    FILE *f;
    int rc;

    fflush(stdout);
    if (!(f = freopen(p, "rb", stdin))) {
        tap_ok(0, "cannot reopen stdin");
        return;
    }
    rc = seq_load(&s, "-", NULL, &err);
    tap_ok(rc == 0 && strcmp(s.source, "<stdin>") == 0 && strcmp(s.text, "a") == 0,
           "\"-\" reads standard input: %s", err.msg);
    if (rc == 0)
        seq_free(&s);
    copy = (unsigned char *)strdup("{\"logprobs\": [{\"token\": \"q\", \"logprob\": -1, "
                                   "\"top_logprobs\": [{\"token\": \"q\", \"logprob\": -1}]}]}");
    rc = seq_load_memory(&s, "mem", copy, strlen((char *)copy), NULL, &err);
    tap_ok(rc == 0 && strcmp(s.source, "mem") == 0 && strcmp(s.text, "q") == 0,
           "seq_load_memory: %s", err.msg);
    if (rc == 0)
        seq_free(&s);
    copy = (unsigned char *)strdup("token\t1.0\n");
    rc = seq_load_memory(&s, "mem.tsv", copy, strlen((char *)copy), NULL, &err);
    TAP_EQ_STR(err.msg, "mem.tsv: not a sequence (expected a JSON response with "
                        "log-probabilities, server-sent events or a 2-D .npy)",
               "a TSV in memory is no sequence (and its buffer is freed)");
}

/* ---- malformed input ---- */

static void test_syntax_errors(void)
{
    fx_expect_json("s1.json", "{\"choices\": [1, 2,, 3]}", ":1:19: unexpected token near ','");
    /* columns count in the file, whatever was rewritten before them */
    fx_expect_json("s2.json", "{\"a\": -Infinity, \"b\": ]}", ":1:23: unexpected token near ']'");
    fx_expect_json("s3.json", "{\n  \"a\": [1,\n  }", ":3:3: unexpected token near '}'");
    fx_expect_json("s4.json", "{\"\xc3\xa9\": x}", ":1:7: invalid token near 'x'");
    fx_expect_json("s5.json", "{\"a\": \x01}", ":1:7: invalid token near '\\x01'");
    fx_expect_json("s6.json", "{\"choices\": [", ":1:13: ']' expected near end of file");
    fx_expect_json("s7.json", "{\"a\": 1e999}", ":1:11: real number overflow near '1e999'");
    fx_expect_json("s8.json", "{\"a\": \"\xff\"}", ":1:7: unable to decode byte 0xff near '\"'");
    fx_expect_json("s9.sse", "data: {\"logprobs\": null}\n\ndata: {\"x\": }\n",
                   ":3:13: unexpected token near '}'");
    fx_expect_json("s10.ndjson", "{\"logprobs\": []}\n{\"logprobs\": [}\n",
                   ":2:15: unexpected token near '}'");
    /* after one object, anything but another object (a stream) is wrong */
    fx_expect_json("s11.json", "{\"logprobs\": []} trailing",
                   ":1:25: '[' or '{' expected near 'trailing'");
}

static void test_shape_errors(void)
{
    static const char *const in_content = ": choices[0].logprobs.content[0]";

    fx_expect_json("e1.json", chat_doc(J({"token": "a", "top_logprobs": [{"token": "a", "logprob": -1}]})),
                   tmp_msg("%s: has no \"logprob\"", in_content));
    fx_expect_json("e2.json", chat_doc(J(
        {"token": "a", "logprob": -1, "top_logprobs": [{"token": "a", "logprob": -1}, {"token": "b", "logprob": "-2"}]})),
        tmp_msg("%s.top_logprobs[1].logprob: is a string, not a number", in_content));
    fx_expect_json("e3.json", chat_doc(J(
        {"token": "a", "logprob": -1, "top_logprobs": [{"token": "a", "logprob": NaN}]})),
        tmp_msg("%s.top_logprobs[0].logprob: is NaN", in_content));
    fx_expect_json("e4.json", chat_doc(J(
        {"token": "a", "logprob": Infinity, "top_logprobs": [{"token": "a", "logprob": -1}]})),
        tmp_msg("%s.logprob: is +inf (only -inf is allowed)", in_content));
    fx_expect_json("e5.json", chat_doc(J(
        {"token": "a", "logprob": -1, "top_logprobs": [{"token": "a", "logprob": -1}]},
        {"token": "b", "logprob": -1, "top_logprobs": []})),
        ": choices[0].logprobs.content[1]: has an empty \"top_logprobs\" (ask for \"top_logprobs\": N)");
    fx_expect_json("e6.json", chat_doc(J({"token": "a", "logprob": -1})),
                   tmp_msg("%s: has no \"top_logprobs\" (ask for \"top_logprobs\": N)",
                           in_content));
    fx_expect_json("e7.json", chat_doc(J({"token": "a", "logprob": -1, "top_logprobs": {"a": -1}})),
                   tmp_msg("%s.top_logprobs: is an object, not an array", in_content));
    fx_expect_json("e8.json", chat_doc(J({"token": "a", "logprob": -1, "top_logprobs": [3]})),
                   tmp_msg("%s.top_logprobs[0]: is a number, not an object", in_content));
    fx_expect_json("e9.json", chat_doc(J(
        {"token": "a", "logprob": -1, "top_logprobs": [{"token": "a", "logprob": -1, "bytes": [97, 300]}]})),
        tmp_msg("%s.top_logprobs[0].bytes[1]: is not a byte (a whole number 0-255)", in_content));
    fx_expect_json("e10.json", chat_doc(J(
        {"token": "a", "logprob": -1, "bytes": "YQ==", "top_logprobs": [{"token": "a", "logprob": -1}]})),
        tmp_msg("%s.bytes: is a string, not an array of bytes", in_content));
    fx_expect_json("e11.json", chat_doc(J({"token": "a", "logprob": -1, "top_logprobs": [{"logprob": -1}]})),
                   tmp_msg("%s.top_logprobs[0]: has no \"token\"", in_content));
    fx_expect_json("e12.json", chat_doc(J({"token": 7, "logprob": -1, "top_logprobs": [{"token": "a", "logprob": -1}]})),
                   tmp_msg("%s.token: is a number, not a string", in_content));
    fx_expect_json("e13.json", chat_doc(J(
        {"token": "a", "logprob": -Infinity, "top_logprobs": [{"token": "a", "logprob": -Infinity}]})),
        tmp_msg("%s: every candidate has log-probability -inf", in_content));
    fx_expect_json("e14.json", J({"choices": [{"logprobs": {"content": {"a": 1}}}]}),
                   ": choices[0].logprobs.content: is an object, not an array");
    fx_expect_json("e15.json", J({"choices": {"index": 0}}), ": choices: is an object, not an array");
    fx_expect_json("e16.json", J({"choices": [{"index": 0, "logprobs": {"refusal": null}}]}),
                   ": choices[0].logprobs: has neither \"content\" (chat) nor \"tokens\" (legacy)");
    fx_expect_json("e17.json", J({"choices": [{"index": "0"}]}),
                   ": choices[0].index: is not a whole number >= 0");
    fx_expect_json("e18.json", J({"choices": [{"index": 0, "message": {"content": "Hi"}, "logprobs": null}]}),
                   ": the response holds no log-probabilities (ask the server for them: "
                   "\"logprobs\": true and \"top_logprobs\": N, or llama.cpp's \"n_probs\": N)");
    fx_expect_json("e19.json", J({"model": "m", "response": "Hi", "done": true}),
                   ": the response holds no log-probabilities (ask the server for them: "
                   "\"logprobs\": true and \"top_logprobs\": N, or llama.cpp's \"n_probs\": N)");
    fx_expect_json("e20.json", J({"id": 3, "data": [1, 2]}),
                   ": not a known response (expected choices[].logprobs, "
                   "completion_probabilities or logprobs)");
    fx_expect_json("e21.json", J({"error": {"message": "Invalid \u001b[31mvalue", "type": "invalid_request_error"}}),
                   ": the server returned an error: Invalid \\e[31mvalue");
    fx_expect_json("e22.json", J({"error": "model 'llama9' not found"}),
                   ": the server returned an error: model 'llama9' not found");
    fx_expect_json("e23.json", J({"choices": []}), ": the response holds no positions");
    fx_expect_json("e24.ndjson", "{\"logprobs\": []}\n[1]\n", ":2: the top level is an array, not an object");
}

static void test_shape_errors_llama_legacy_ollama(void)
{
    fx_expect_json("l1.json", J({"completion_probabilities": [
        {"id": 1, "token": "a", "prob": 0.5, "top_probs": [{"id": 1, "token": "a", "prob": 1.5}]}]}),
        ": completion_probabilities[0].top_probs[0].prob: is above 1 (a probability)");
    fx_expect_json("l2.json", J({"completion_probabilities": [
        {"id": 1, "token": "a", "prob": -0.5, "top_probs": [{"id": 1, "token": "a", "prob": 1}]}]}),
        ": completion_probabilities[0].prob: is negative (a probability)");
    fx_expect_json("l3.json", J({"completion_probabilities": [
        {"id": 1, "token": "a", "prob": 0, "top_probs": [{"id": 1, "token": "a", "prob": 0}]}]}),
        ": completion_probabilities[0]: every candidate has probability 0");
    fx_expect_json("l4.json", J({"completion_probabilities": [
        {"id": "1", "token": "a", "logprob": -1, "top_logprobs": [{"id": 1, "token": "a", "logprob": -1}]}]}),
        ": completion_probabilities[0].id: is not a token id (a whole number >= 0)");
    fx_expect_json("l5.json", J({"completion_probabilities": [
        {"id": 1, "token": "a", "logprob": -1, "top_logprobs": []}]}),
        ": completion_probabilities[0]: has an empty \"top_logprobs\" (ask for \"n_probs\": N)");
    fx_expect_json("l6.json", J({"completion_probabilities": [
        {"id": 1, "token": "a", "logprob": -1, "top_logprobs": [{"id": 1, "token": "a", "logprob": -1}]},
        {"id": 1, "token": "a", "prob": 1, "top_probs": [{"id": 1, "token": "a", "prob": 1}]}]}),
        ": llama.cpp /completion (post-sampling) data after llama.cpp /completion data");
    fx_expect_json("l7.json", J({"completion_probabilities": [{"content": "a", "probs": [{"prob": 1}]}]}),
                   ": completion_probabilities[0].probs[0]: has no \"tok_str\"");
    fx_expect_json("l8.json", J({"completion_probabilities": {"a": 1}}),
                   ": completion_probabilities: is an object, not an array");
    fx_expect_json("l9.json", J({"completion_probabilities": [
        {"id": 1, "token": "a", "prob": 1, "top_probs": [{"id": 1, "token": "a", "prob": 1}]}, 5]}),
        ": completion_probabilities[1]: is a number, not an object");

    fx_expect_json("g1.json", J({"choices": [{"logprobs": {"tokens": ["a", "b"], "token_logprobs": [-1],
                                 "top_logprobs": [{"a": -1}, {"b": -1}]}}]}),
                   ": choices[0].logprobs.token_logprobs: does not have one entry per token");
    fx_expect_json("g2.json", J({"choices": [{"logprobs": {"tokens": ["a", "b"], "token_logprobs": [-1, -1],
                                 "top_logprobs": [{"a": -1}, {}]}}]}),
                   ": choices[0].logprobs.top_logprobs[1]: is empty (ask for \"logprobs\": N)");
    fx_expect_json("g3.json", J({"choices": [{"logprobs": {"tokens": ["a"], "token_logprobs": [-1],
                                 "top_logprobs": [{"a": "x"}]}}]}),
                   ": choices[0].logprobs.top_logprobs[0][\"a\"]: is a string, not a number");
    fx_expect_json("g4.json", J({"choices": [{"logprobs": {"tokens": ["a"], "token_logprobs": [-1],
                                 "top_logprobs": [{"a\u001b": NaN}]}}]}),
                   ": choices[0].logprobs.top_logprobs[0][\"a\\e\"]: is NaN");
    fx_expect_json("g5.json", J({"choices": [{"logprobs": {"tokens": ["a"], "token_logprobs": [null],
                                 "top_logprobs": [{"a": -1}]}}]}),
                   ": choices[0].logprobs.token_logprobs[0]: is null, not a number");
    fx_expect_json("g6.json", J({"choices": [{"logprobs": {"tokens": [1], "token_logprobs": [-1],
                                 "top_logprobs": [{"a": -1}]}}]}),
                   ": choices[0].logprobs.tokens[0]: is a number, not a string");
    fx_expect_json("g7.json", J({"choices": [{"logprobs": {"tokens": ["a"], "token_logprobs": [-1],
                                 "top_logprobs": null}}]}),
                   ": choices[0].logprobs: has no \"top_logprobs\" (ask for \"logprobs\": N)");
    fx_expect_json("g8.json", J({"choices": [{"logprobs": {"tokens": ["a"], "top_logprobs": [{"a": -1}]}}]}),
                   ": choices[0].logprobs: has no \"token_logprobs\"");

    fx_expect_json("o1.json", J({"logprobs": [{"token": "a", "logprob": -1,
                                 "top_logprobs": [{"token": "a", "logprob": "x"}]}]}),
                   ": logprobs[0].top_logprobs[0].logprob: is a string, not a number");
    fx_expect_json("o2.json", J({"logprobs": [{"token": "a", "logprob": -1}]}),
                   ": logprobs[0]: has no \"top_logprobs\" (ask for \"top_logprobs\": N)");
    fx_expect_json("o3.json", J({"logprobs": 5}), ": logprobs: is a number, not an array");
    fx_expect_json("o4.json", J({"logprobs": [[]]}), ": logprobs[0]: is an array, not an object");
}

static void test_stream_errors(void)
{
    const char *chunk = "data: {\"choices\": [{\"index\": 0, \"logprobs\": {\"content\": "
                        "[{\"token\": \"a\", \"logprob\": -1, \"top_logprobs\": "
                        "[{\"token\": \"a\", \"logprob\": -1}]}]}}]}\n";
    char buf[1024];

    snprintf(buf, sizeof buf, "%s\n%sdata: {\"choices\": [{\"index\": 0, \"logprobs\": "
             "{\"content\": [{\"token\": \"b\", \"top_logprobs\": []}]}}]}\n", chunk, chunk);
    fx_expect_json("t1.sse", buf, ":4: choices[0].logprobs.content[0]: has no \"logprob\"");
    snprintf(buf, sizeof buf, "%sdata: {\"completion_probabilities\": [{\"id\": 1, \"token\": "
             "\"a\", \"logprob\": -1, \"top_logprobs\": [{\"id\": 1, \"token\": \"a\", "
             "\"logprob\": -1}]}]}\n", chunk);
    fx_expect_json("t2.sse", buf, ":2: llama.cpp /completion data after OpenAI chat data");
    snprintf(buf, sizeof buf, "%s{\"choices\": []}\n", chunk);
    fx_expect_json("t3.sse", buf, ":2: not a server-sent event line (expected \"data: {...}\")");
    fx_expect_json("t4.ndjson", "{\"logprobs\": []}\n{\"logprobs\": [{\"token\": \"a\"}]}\n",
                   ":2: logprobs[0]: has no \"logprob\"");
    fx_expect_json("t5.sse", "data: [DONE]\n", ": not a known response (expected "
                   "choices[].logprobs, completion_probabilities or logprobs)");
}

static void test_file_errors(void)
{
    struct seq_opts o = {0};
    const char *p = tmp_text("empty.json", ""), *q;

    fx_expect_error(p, NULL, tmp_msg("%s: the file is empty", p));
    p = tmp_text("plain.tsv", "a\t1.0\nb\t2.0\n");
    fx_expect_error(p, NULL, tmp_msg("%s: not a sequence (expected a JSON response with "
                                     "log-probabilities, server-sent events or a 2-D .npy)", p));
    p = tmp_text("brace.tsv", "{\t1.0\n}\t2.0\n");
    fx_expect_error(p, NULL, tmp_msg("%s: not a sequence (expected a JSON response with "
                                     "log-probabilities, server-sent events or a 2-D .npy)", p));
    fx_expect_error(tmp_path("missing.json"), NULL,
                    tmp_msg("%s: cannot open: No such file or directory",
                            tmp_path("missing.json")));
    q = EXAMPLE("ollama.json");
    o.vocab_path = "v.txt";
    fx_expect_error(q, &o, tmp_msg("v.txt: a token list only goes with a .npy of logits; %s "
                                   "names its own tokens", q));
    o.vocab_path = NULL;
    o.tokens_path = "ids.txt";
    fx_expect_error(q, &o, tmp_msg("ids.txt: chosen token ids only go with a .npy of logits; %s "
                                   "names its own chosen tokens", q));
}

int main(void)
{
    tmp_dir_make("seq");
    test_examples();
    test_chat_example();
    test_history();
    test_chat_details();
    test_legacy_details();
    test_llamacpp_details();
    test_ollama_details();
    test_stdin();
    test_syntax_errors();
    test_shape_errors();
    test_shape_errors_llama_legacy_ollama();
    test_stream_errors();
    test_file_errors();
    tmp_dir_remove();
    return tap_done();
}
