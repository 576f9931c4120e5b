/* test_seq_npy.c: 2-D .npy sequences (with and without names and chosen ids, float32 and
 * float64, ids as any integer .npy or as text), a revisited row giving exactly the first
 * visit's vocabulary, content detection, standard input, and every malformed input. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/text.h"
#include "npy_fixture.h"
#include "tap.h"
#include "seq_fixture.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

/* A 2 x 5 sequence of logits. */
static const double two_rows[10] = {1.0, 3.0, -INFINITY, 3.0, 0.5, -1.0, 2.0, 0.25, 2.0, -3.0};

static const char *write_rows(const char *name, const double *x, size_t rows, size_t cols,
                              int f32)
{
    unsigned char *b = npy_le_bytes(x, rows * cols, f32);
    char shape[64];
    const char *p;

    snprintf(shape, sizeof shape, "(%zu, %zu)", rows, cols);
    p = npy_write(name, f32 ? "<f4" : "<f8", shape, b, rows * cols * (f32 ? 4 : 8));
    free(b);
    return p;
}

/* The vocabulary seq_vocab gives equals one built from the row by the 1-D route, bit for
 * bit: logits, order, sorted, n_finite and the block moments. */
static int same_as_fresh(const struct vocab *v, const double *row, size_t n)
{
    struct vocab f = {0};
    int ok;

    if (vocab_from_logits(&f, row, n, NULL, NULL) < 0)
        return 0;
    ok = v->n == n && v->n_finite == f.n_finite &&
         memcmp(v->logits, f.logits, n * sizeof *v->logits) == 0 &&
         memcmp(v->order, f.order, n * sizeof *v->order) == 0 &&
         memcmp(v->sorted, f.sorted, n * sizeof *v->sorted) == 0 &&
         memcmp(v->moments, f.moments, (n / 64) * 13 * sizeof *v->moments) == 0;
    vocab_free(&f);
    return ok;
}

static void test_example(void)
{
    struct seq s;
    struct seq_opts o = {.vocab_path = EXAMPLE("hf-vocab.txt"),
                         .tokens_path = EXAMPLE("hf-tokens.npy")};
    const struct vocab *v;
    const char *name;
    char buf[24];
    size_t len;

    fx_load_ok(&s, EXAMPLE("hf-logits.npy"), &o);
    tap_ok(s.format == SEQ_NPY && s.values == SEQ_LOGITS && s.stream == SEQ_WHOLE &&
           !s.post_sampling && s.n == 7 && s.max_candidates == 48 && s.has_chosen &&
           s.choices == 1, "hf-logits.npy: 7 positions of 48 logits, chosen ids");
    TAP_EQ_STR(s.text, "the cat sat on the mat .", "the text: the chosen tokens' names");
    v = seq_vocab(&s, 5, NULL);
    name = vocab_token(v, 13, buf, &len);
    tap_ok(s.pos[5].chosen == 13 && s.pos[5].chosen_listed &&
           s.pos[5].chosen_value == v->logits[13] && isnan(s.pos[5].known_mass) &&
           len == 4 && memcmp(name, " mat", 4) == 0,
           "position 6 chose ' mat' (id 13), its logit as the file has it, no known mass");
    tap_ok(v->order[0] == 13, "... the model's favourite there");
    name = vocab_token(v, 45, buf, &len);
    tap_ok(len == 2 && memcmp(name, " #", 2) == 0, "names with escapes: ' \\x23' is ' #'");
    name = vocab_token(v, 40, buf, &len);
    tap_ok(len == 1 && name[0] == '\n',
           "... and '\\n' a newline");
    seq_free(&s);
}

/* A .npy's positions share one vocabulary: the history is the chosen ids themselves. At
 * "." (position 6) after "the cat sat on the mat", " mat" (written once) loses the frequency
 * penalty once. */
static void test_history(void)
{
    struct seq s;
    struct seq_opts o = {.vocab_path = EXAMPLE("hf-vocab.txt"),
                         .tokens_path = EXAMPLE("hf-tokens.npy")};
    uint32_t tok[8];
    const char *text[8];
    size_t len[8];
    fx_load_ok(&s, EXAMPLE("hf-logits.npy"), &o);
    const struct vocab *v = seq_vocab(&s, 6, NULL);
    struct history h = seq_history(&s, 6, v, tok, text, len);
    int ok = h.n == 6;
    for (size_t k = 0; k < 6 && ok; k++)
        ok = tok[k] == s.pos[k].chosen && len[k] == s.pos[k].text_len;
    tap_ok(ok && tok[5] == 13, "the history at \".\": the six ids before it, \" mat\" last");
    struct params p = params_default();
    struct ls_error err;
    chain_parse_names("penalties;temperature", &p.chain, &err);
    params_set(&p, PARAM_FREQUENCY_PENALTY, 0.5);
    struct dist d;
    dist_init(&d, v);
    engine_apply_history(&d, &p, &h);
    double changed = NAN;
    for (size_t r = 0; r < d.vocab->n; r++)
        if (d.vocab->order[r] == 13)
            changed = d.vocab->sorted[r];
    TAP_NEAR(changed, v->logits[13] - 0.5, 1e-15, "\" mat\" loses 0.5");
    dist_free(&d);
    seq_free(&s);
}

static void test_rows(void)
{
    struct seq s;
    struct ls_error err = {{0}};
    struct seq_opts o = {0};
    const struct vocab *v, *w;
    uint32_t order0[5];

    for (int f32 = 1; f32 >= 0; f32--) {
        const char *p = write_rows(f32 ? "r4.npy" : "r8.npy", two_rows, 2, 5, f32);
        fx_load_ok(&s, p, NULL);
        tap_ok(s.n == 2 && s.max_candidates == 5 && !s.has_chosen &&
               s.pos[0].chosen == SEQ_NONE && s.text_len == 0 && s.text && s.text[0] == '\0',
               "%s: without --tokens no chosen token, an empty text", f32 ? "float32" : "float64");
        v = seq_vocab(&s, 0, &err);
        tap_ok(v && same_as_fresh(v, two_rows, 5), "row 0 sorted as the 1-D loader would");
        memcpy(order0, v->order, sizeof order0);
        w = seq_vocab(&s, 1, &err);
        tap_ok(w == v && same_as_fresh(w, two_rows + 5, 5),
               "row 1 refills the same working vocabulary");
        v = seq_vocab(&s, 0, &err);
        tap_ok(v && same_as_fresh(v, two_rows, 5) && memcmp(order0, v->order, sizeof order0) == 0,
               "a revisit (kept order, no sort) gives exactly the first visit's vocabulary");
        tap_ok(v->text == NULL, "no --vocab: names are #ID");
        tap_ok(seq_vocab(&s, 2, &err) == NULL, "position 3 of 2: none");
        TAP_EQ_STR(err.msg, tmp_msg("%s: no position 3 (it has 2)", p), "message");
        seq_free(&s);
    }

    /* a row wider than a block, so that the kept order must give the block moments too */
    {
        enum { W = 300 };
        double x[3 * W];
        for (size_t i = 0; i < 3 * W; i++)
            x[i] = sin((double)i * 0.37) * 4 + (i % 7 == 0 ? -INFINITY : 0);
        fx_load_ok(&s, write_rows("wide.npy", x, 3, W, 1), NULL);
        int all = 1;
        for (int pass = 0; pass < 2; pass++)
            for (size_t j = 0; j < 3; j++) {
                size_t i = (j * 2 + (size_t)pass) % 3;
                double row[W];
                for (size_t k = 0; k < W; k++)
                    row[k] = (float)x[i * W + k];
                v = seq_vocab(&s, i, NULL);
                all &= v != NULL && same_as_fresh(v, row, W);
            }
        tap_ok(all, "300-wide rows in any order, first and later visits: same as fresh");
        seq_free(&s);
    }

    /* names without ids, ids without names */
    o.vocab_path = tmp_text("names5.txt", "a\nb\nc\nd\n\\x23e\n");
    fx_load_ok(&s, write_rows("r4.npy", two_rows, 2, 5, 1), &o);
    v = seq_vocab(&s, 0, NULL);
    tap_ok(v->text && v->tok_len[4] == 2 && memcmp(v->text + v->tok_off[4], "#e", 2) == 0,
           "--vocab names the tokens (TSV escapes)");
    seq_free(&s);
    o.vocab_path = NULL;
    o.tokens_path = tmp_text("ids.txt", "3\r\n\r\n  4 \n");
    fx_load_ok(&s, write_rows("r4.npy", two_rows, 2, 5, 1), &o);
    tap_ok(s.has_chosen && s.pos[0].chosen == 3 && s.pos[1].chosen == 4 &&
           strcmp(s.text, "#3#4") == 0 && s.pos[1].text_off == 2 && s.pos[1].text_len == 2,
           "ids one per line (blank lines, CRLF, spaces); without names the text is #ID");
    tap_ok(s.pos[0].chosen_value == 3.0 && s.pos[1].chosen_value == -3.0, "chosen values");
    seq_free(&s);
}

/* The chosen ids in every integer dtype numpy writes. */
static void test_token_dtypes(void)
{
    static const struct {
        const char *descr;
        size_t size;
        unsigned char bytes[16];
    } cases[] = {
        {"|i1", 1, {1, 4}},
        {"|u1", 1, {1, 4}},
        {"<i2", 2, {1, 0, 4, 0}},
        {"<u2", 2, {1, 0, 4, 0}},
        {"<i4", 4, {1, 0, 0, 0, 4, 0, 0, 0}},
        {"<u4", 4, {1, 0, 0, 0, 4, 0, 0, 0}},
        {"<i8", 8, {1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0}},
        {"<u8", 8, {1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0}},
    };
    const char *p = write_rows("r4.npy", two_rows, 2, 5, 1);

    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        struct seq s;
        struct seq_opts o = {.tokens_path = npy_write("ids.npy", cases[c].descr, "(2,)",
                                                      cases[c].bytes, 2 * cases[c].size)};
        fx_load_ok(&s, p, &o);
        tap_ok(s.pos[0].chosen == 1 && s.pos[1].chosen == 4, "ids as %s", cases[c].descr);
        seq_free(&s);
    }
}

static void test_detect(void)
{
    static const char *const yes[] = {
        "{\"choices\": []}",
        "  \n{ \"logprobs\": 1}",
        "\xef\xbb\xbf{\"a\": 1}",
        "data: {\"a\": 1}\n",
        ": comment\nevent: message\nid: 4\n\ndata:{\"a\": 1}\n",
        "data: [DONE]\n",
    };
    static const char *const no[] = {
        "token\t1.0\n",
        "{\t1.0\n",
        "{}\t1.0\n",
        "data:\t1.5\n",
        "data: hello\n",
        "# a comment\ndata: {\"a\": 1}\n",
        "[{\"a\": 1}]",
        "",
    };
    bool is_seq = true;
    struct ls_error err = {{0}};
    const char *p = write_rows("r4.npy", two_rows, 2, 5, 1);
    FILE *f;
    unsigned char head[256];
    size_t got;

    char shown[128];

    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        text_escape(yes[i], strlen(yes[i]), 0, shown, 40);
        tap_ok(seq_detect(yes[i], strlen(yes[i])), "a sequence: %s", shown);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        text_escape(no[i], strlen(no[i]), 0, shown, 40);
        tap_ok(!seq_detect(no[i], strlen(no[i])), "not a sequence: %s", shown);
    }
    tap_ok(seq_detect_path(p, &is_seq, &err) == 0 && is_seq, "a 2-D .npy is a sequence");
    tap_ok(seq_detect_path(TEST_DATA_DIR "/npy/f4.npy", &is_seq, &err) == 0 && !is_seq,
           "a 1-D .npy is a vocabulary");
    tap_ok(seq_detect_path(TEST_DATA_DIR "/tsv/good.tsv", &is_seq, &err) == 0 && !is_seq,
           "a TSV is a vocabulary");
    tap_ok(seq_detect_path(EXAMPLE("openai-chat-stream.sse"), &is_seq, &err) == 0 && is_seq,
           "SSE is a sequence");
    tap_ok(seq_detect_path(tmp_path("none"), &is_seq, &err) == -1, "a missing file");
    TAP_EQ_STR(err.msg, tmp_msg("%s: cannot open: No such file or directory", tmp_path("none")),
               "message");
    f = fopen(p, "rb");
    got = f ? fread(head, 1, sizeof head, f) : 0;
    if (f)
        fclose(f);
    tap_ok(got > 100 && seq_detect(head, got) && !seq_detect(head, 40),
           "a .npy header cut short cannot be told (false)");
}

/* A .npy on standard input is read into memory, then loaded like a mapped file. */
static void test_stdin(void)
{
    struct seq s;
    struct ls_error err = {{0}};
    struct seq_opts o = {.vocab_path = EXAMPLE("hf-vocab.txt"),
                         .tokens_path = EXAMPLE("hf-tokens.npy")};
    int rc;

    fflush(stdout);
    if (!freopen(EXAMPLE("hf-logits.npy"), "rb", stdin)) {
        tap_ok(0, "cannot reopen stdin");
        return;
    }
    rc = seq_load(&s, "-", &o, &err);
    tap_ok(rc == 0 && strcmp(s.source, "<stdin>") == 0 &&
           strcmp(s.text, "the cat sat on the mat .") == 0 && seq_vocab(&s, 3, NULL),
           "a .npy from standard input: %s", err.msg);
    if (rc == 0)
        seq_free(&s);
}

static void test_errors(void)
{
    struct seq_opts o = {0};
    double x[10];
    const char *p, *q;
    unsigned char *b;

    memcpy(x, two_rows, sizeof x);
    x[7] = NAN;
    p = write_rows("nan.npy", x, 2, 5, 1);
    fx_expect_error(p, NULL, tmp_msg("%s: position 2 (row 1), token 2: logit is NaN", p));
    x[7] = INFINITY;
    p = write_rows("inf.npy", x, 2, 5, 0);
    fx_expect_error(p, NULL, tmp_msg("%s: position 2 (row 1), token 2: logit is +inf (only -inf "
                                     "is allowed)", p));
    for (size_t k = 0; k < 5; k++)
        x[k] = -INFINITY;
    p = write_rows("allinf.npy", x, 2, 5, 1);
    fx_expect_error(p, NULL, tmp_msg("%s: position 1 (row 0): every logit is -inf", p));

    p = TEST_DATA_DIR "/npy/f4.npy";
    fx_expect_error(p, NULL, tmp_msg("%s: shape (10,) is 1-D: one vocabulary, not a sequence of "
                                     "positions", p));
    b = npy_le_bytes(two_rows, 8, 1);
    p = npy_write("rank3.npy", "<f4", "(2, 2, 2)", b, 32);
    fx_expect_error(p, NULL, tmp_msg("%s: shape (2, 2, 2) is 3-D; need a 2-D array of logits, "
                                     "shape (positions, V)", p));
    p = npy_write("norows.npy", "<f4", "(0, 5)", b, 0);
    fx_expect_error(p, NULL, tmp_msg("%s: shape (0, 5) has no positions", p));
    p = npy_write("nocols.npy", "<f4", "(2, 0)", b, 0);
    fx_expect_error(p, NULL, tmp_msg("%s: shape (2, 0) has no logits", p));
    p = npy_write_dict("fortran.npy", 1,
                       "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 4), }", b, 32);
    fx_expect_error(p, NULL, tmp_msg("%s: the array is in Fortran order; save it in C order "
                                     "(numpy.ascontiguousarray)", p));
    p = npy_write("short.npy", "<f4", "(2, 5)", b, 32);
    fx_expect_error(p, NULL, tmp_msg("%s: shape (2, 5) needs 40 bytes of data but the file has 32",
                                     p));
    /* hostile sizes are refused from the header, before anything is allocated */
    p = npy_write("big.npy", "<f4", "(1000000, 1000000)", b, 32);
    fx_expect_error(p, NULL, tmp_msg("%s: shape (1000000, 1000000) needs 4000000000000 bytes of "
                                     "data but the file has 32", p));
    p = npy_write("huge.npy", "<f8", "(4611686018427387904, 1000)", b, 32);
    fx_expect_error(p, NULL, tmp_msg("%s: shape (4611686018427387904, 1000) is too large for "
                                     "this machine", p));
    p = npy_write("wide.npy", "<f4", "(1, 100000000)", b, 32);
    fx_expect_error(p, NULL, tmp_msg("%s: shape (1, 100000000) has more than the 67108864 tokens "
                                     "supported", p));
    p = npy_write("int.npy", "<i4", "(2, 4)", b, 32);
    fx_expect_error(p, NULL, tmp_msg("%s: dtype '<i4' is not supported (need float32 '<f4' or "
                                     "float64 '<f8')", p));
    p = tmp_write("trunc.npy", "\x93NUMPY\x01\x00\x76\x00{'descr'", 18);
    fx_expect_error(p, NULL, tmp_msg("%s: the .npy header is truncated (it says 118 bytes, the "
                                     "file has 8 after the preamble)", p));
    free(b);

    p = write_rows("r4.npy", two_rows, 2, 5, 1);
    o.choice = 1;
    fx_expect_error(p, &o, tmp_msg("%s: a .npy holds one sequence; there is no choice 1", p));
    o.choice = 0;
    o.vocab_path = tmp_text("names4.txt", "a\nb\nc\nd\n");
    fx_expect_error(p, &o, tmp_msg("%s: has 4 tokens but %s has 5 logits", o.vocab_path, p));
    o.vocab_path = NULL;

    /* chosen ids */
    static const unsigned char i8[] = {1, 2, 3}, neg[] = {0xff, 2}, big[] = {1, 7};
    static const struct {
        const char *descr, *shape;
        const unsigned char *data;
        size_t len;
        const char *want; /* after "IDS: " */
    } ids[] = {
        {"|i1", "(3,)", i8, 3, "has 3 token ids but %s has 2 positions"},
        {"|i1", "(2,)", neg, 2, "element 0 (position 1): token id -1 is negative"},
        {"|u1", "(2,)", big, 2, "element 1 (position 2): token id 7 is out of range (%s has 5 "
                                "tokens per position)"},
        {"<f4", "(2,)", i8, 2, "dtype '<f4' is not an integer type (the chosen token ids need "
                               "int8 .. int64 or uint8 .. uint64)"},
        {">i2", "(1,)", i8, 2, "big-endian data is not supported (dtype '>i2'; save it with "
                               ".astype('<i2'))"},
        {"|u1", "(1, 2)", i8, 2, "shape (1, 2) is not 1-D; need one chosen id per position, "
                                 "shape (2,)"},
        {"|u1", "(2,)", i8, 3, "shape (2,) needs 2 bytes of data but the file has 3"},
    };
    for (size_t k = 0; k < sizeof ids / sizeof *ids; k++) {
        char want[512];
        o.tokens_path = npy_write("ids.npy", ids[k].descr, ids[k].shape, ids[k].data, ids[k].len);
        snprintf(want, sizeof want, "%s: ", o.tokens_path);
        snprintf(want + strlen(want), sizeof want - strlen(want), ids[k].want, p);
        fx_expect_error(p, &o, want);
    }
    static const struct {
        const char *text;
        size_t len;
        const char *want; /* after "IDS" */
    } lines[] = {
        {"1\n", 2, ": has 1 token ids but %s has 2 positions"},
        {"1\n2\n3\n", 6, ":3: more token ids than the 2 positions of %s"},
        {"1\nx1\n", 5, ":2: \"x1\" is not a token id (a whole number >= 0)"},
        {"-1\n", 3, ":1: \"-1\" is not a token id (a whole number >= 0)"},
        {"9\n1\n", 4, ":1: token id 9 is out of range (%s has 5 tokens per position)"},
        {"1\n\0002\n", 5, ": contains a NUL byte (neither a .npy nor a list of ids)"},
        {"", 0, ": the file is empty (no token ids)"},
    };
    for (size_t k = 0; k < sizeof lines / sizeof *lines; k++) {
        char want[512];
        o.tokens_path = tmp_write("ids.txt", lines[k].text, lines[k].len);
        snprintf(want, sizeof want, "%s", o.tokens_path);
        snprintf(want + strlen(want), sizeof want - strlen(want), lines[k].want, p);
        fx_expect_error(p, &o, want);
    }
    o.tokens_path = q = tmp_path("absent.txt");
    fx_expect_error(p, &o, tmp_msg("%s: cannot open: No such file or directory", q));
}

int main(void)
{
    tmp_dir_make("seqnpy");
    test_example();
    test_history();
    test_rows();
    test_token_dtypes();
    test_detect();
    test_stdin();
    test_errors();
    tmp_dir_remove();
    return tap_done();
}
