/* test_vocab.c: loading vocabularies (TSV, .npy, --vocab lists, memory) and their rank
 * order. Every broken input must fail with its exact "FILE:LINE: what" message and leave
 * the struct empty; the sort must be stable, put -inf last and stay fast at V = 262,144. */
#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "logitscope/text.h"
#include "logitscope/vocab.h"
#include "npy_fixture.h"
#include "tap.h"
#include "tmpfile_fixture.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif
#define TSV(name) TEST_DATA_DIR "/tsv/" name
#define NPY(name) TEST_DATA_DIR "/npy/" name

static int is_zeroed(const struct vocab *v)
{
    static const struct vocab zero;
    return memcmp(v, &zero, sizeof zero) == 0;
}

/* Loading must fail with exactly `want`, leaving the struct zeroed. */
static void expect_error(const char *path, const char *vocab_path, const char *want)
{
    struct vocab v = {0};
    struct ls_error err = {{0}};
    int rc = vocab_load(&v, path, vocab_path, &err);

    TAP_EQ_INT(rc, -1, "%s fails", want);
    TAP_EQ_STR(err.msg, want, "message");
    tap_ok(is_zeroed(&v), "struct stays empty");
    vocab_free(&v);
}

/* Checks the rank order against its definition: descending, ties by file index, -inf last. */
static int order_ok(const struct vocab *v)
{
    size_t finite = 0;
    unsigned char *seen = calloc(v->n, 1);
    int ok = seen != NULL;

    for (size_t i = 0; i < v->n; i++)
        finite += !isinf(v->logits[i]);
    for (size_t r = 0; ok && r < v->n; r++) {
        uint32_t i = v->order[r];
        ok = i < v->n && !seen[i]++;
    }
    free(seen);
    if (!ok || v->n_finite != finite)
        return 0;
    for (size_t r = 0; r < v->n; r++) {
        uint32_t i = v->order[r];
        if (v->sorted[r] != v->logits[i])
            return 0;
        if (r == 0)
            continue;
        double a = v->sorted[r - 1], b = v->sorted[r];
        if (a < b || (a == b && v->order[r - 1] > i))
            return 0;
    }
    return 1;
}

static int token_is(const struct vocab *v, size_t i, const char *want, size_t want_len)
{
    char buf[24];
    size_t len;
    const char *t = vocab_token(v, i, buf, &len);

    return len == want_len && memcmp(t, want, len) == 0;
}

#define TOKEN_IS(v, i, lit) token_is(v, i, lit, sizeof(lit) - 1)

static void test_tsv_good(void)
{
    struct vocab v = {0};
    struct ls_error err = {{0}};

    TAP_EQ_INT(vocab_load(&v, TSV("good.tsv"), NULL, &err), 0, "good.tsv loads: %s", err.msg);
    TAP_EQ_INT(v.n, 11, "11 tokens (comments and blank lines skipped)");
    TAP_EQ_STR(v.source, TSV("good.tsv"), "source is the path");
    tap_ok(TOKEN_IS(&v, 0, " the") && TOKEN_IS(&v, 1, "the"), "leading space kept");
    tap_ok(TOKEN_IS(&v, 2, "#hash"), "\\x23 makes a token starting with #");
    tap_ok(TOKEN_IS(&v, 3, "tab\there") && TOKEN_IS(&v, 4, "new\nline") &&
               TOKEN_IS(&v, 5, "back\\slash"), "\\t \\n \\\\ unescaped");
    tap_ok(TOKEN_IS(&v, 6, ""), "an empty token is allowed");
    tap_ok(TOKEN_IS(&v, 7, "caf\xc3\xa9"), "UTF-8 bytes kept");
    tap_ok(TOKEN_IS(&v, 8, "the"), "duplicate token strings are allowed");
    TAP_NEAR(v.logits[2], 1, 0, "logit 1");
    TAP_NEAR(v.logits[8], 1e-3, 0, "logit 1e-3");
    tap_ok(isinf(v.logits[9]) && v.logits[9] < 0 && isinf(v.logits[10]), "-inf logits");
    TAP_EQ_INT(v.n_finite, 9, "n_finite excludes -inf");
    TAP_EQ_INT(v.order[0], 0, "tie at 2.5: file order, \" the\" first");
    TAP_EQ_INT(v.order[1], 1, "then \"the\"");
    TAP_EQ_INT(v.order[9], 9, "-inf last, in file order");
    TAP_EQ_INT(v.order[10], 10, "-inf last, in file order (2)");
    tap_ok(order_ok(&v), "rank order is consistent");
    vocab_free(&v);
    tap_ok(is_zeroed(&v), "vocab_free zeroes");
}

static void test_tsv_variants(void)
{
    struct vocab v = {0};
    struct ls_error err = {{0}};

    TAP_EQ_INT(vocab_load(&v, TSV("crlf.tsv"), NULL, &err), 0, "CRLF loads: %s", err.msg);
    TAP_EQ_INT(v.n, 3, "CRLF: 3 tokens");
    tap_ok(TOKEN_IS(&v, 0, "approve") && TOKEN_IS(&v, 2, " with space "),
           "CRLF: no \\r in tokens, spaces kept");
    TAP_NEAR(v.logits[2], 0.9, 0, "CRLF: logit without \\r");
    vocab_free(&v);
    TAP_EQ_INT(vocab_load(&v, TSV("no_newline.tsv"), NULL, &err), 0, "no final newline");
    TAP_EQ_INT(v.n, 2, "last line read");
    TAP_EQ_INT(v.order[0], 1, "b (2) ranks first");
    vocab_free(&v);
    TAP_EQ_INT(vocab_load(&v, TSV("invalid_utf8.tsv"), NULL, &err), 0, "invalid UTF-8 loads");
    tap_ok(TOKEN_IS(&v, 0, "\xff\xfe") && TOKEN_IS(&v, 1, "\x1b[31mred"),
           "token bytes stored raw (escaped only for display)");
    vocab_free(&v);
}

static void test_tsv_broken(void)
{
    expect_error(TSV("missing.tsv"), NULL,
                 TSV("missing.tsv") ": cannot open: No such file or directory");
    expect_error(TSV("empty.tsv"), NULL, TSV("empty.tsv") ": no tokens (the file is empty)");
    expect_error(TSV("only_comments.tsv"), NULL,
                 TSV("only_comments.tsv") ": no tokens (only comments or blank lines)");
    expect_error(TSV("no_tab.tsv"), NULL, TSV("no_tab.tsv") ":3: no tab between token and logit");
    expect_error(TSV("two_tabs.tsv"), NULL,
                 TSV("two_tabs.tsv") ":2: more than one tab (the line is token<TAB>logit; "
                                     "write a tab inside a token as \\t)");
    expect_error(TSV("not_number.tsv"), NULL,
                 TSV("not_number.tsv") ":2: logit \"abc\" is not a number");
    expect_error(TSV("trailing.tsv"), NULL,
                 TSV("trailing.tsv") ":7: logit \"1.5x\" has trailing characters after the number");
    expect_error(TSV("empty_logit.tsv"), NULL, TSV("empty_logit.tsv") ":1: no logit after the tab");
    expect_error(TSV("nan.tsv"), NULL, TSV("nan.tsv") ":4: logit is NaN");
    expect_error(TSV("pos_inf.tsv"), NULL,
                 TSV("pos_inf.tsv") ":4: logit is +inf (only -inf is allowed)");
    expect_error(TSV("range.tsv"), NULL, TSV("range.tsv") ":4: logit 1e999 is out of range");
    expect_error(TSV("all_neg_inf.tsv"), NULL, TSV("all_neg_inf.tsv") ": every logit is -inf");
    expect_error(TSV("bad_escape.tsv"), NULL,
                 TSV("bad_escape.tsv") ":2: token has an unknown escape \\q "
                                       "(allowed: \\t \\n \\r \\e \\\\ \\xHH \\uXXXX \\UXXXXXXXX)");
    expect_error(TSV("bad_hex.tsv"), NULL,
                 TSV("bad_hex.tsv") ":1: token has \\x without two hex digits after it");
    expect_error(TSV("lone_backslash.tsv"), NULL,
                 TSV("lone_backslash.tsv") ":1: token has a lone backslash at the end "
                                           "(write a backslash as \\\\)");
    expect_error(TSV("nul.tsv"), NULL,
                 TSV("nul.tsv") ":2: line contains a NUL byte (binary file?)");
    expect_error(TSV("hex_float.tsv"), NULL,
                 TSV("hex_float.tsv") ":1: logit \"0x1p3\" is not a number");
    expect_error(TEST_DATA_DIR "/tsv", NULL, TEST_DATA_DIR "/tsv: cannot read: Is a directory");
    expect_error(TSV("good.tsv"), TSV("crlf.tsv"),
                 TSV("crlf.tsv") ": a separate token list only goes with .npy logits; "
                 TSV("good.tsv") " names its own tokens");
}

static void test_tsv_generated(void)
{
    static const char junk[] = "a\t1\nb\t\"\x1b[2J\xe2\x80\xae" "0123456789012345678901234567"
                               "8901234567890123456789\n";
    static const char neg[] = "only\t-inf\nbut\t-1e308\n";
    struct vocab v = {0};
    struct ls_error err = {{0}};
    char big[9000];
    const char *p;

    p = tmp_write("junk.tsv", junk, sizeof junk - 1);
    expect_error(p, NULL, tmp_msg("%s:2: logit \"\"\\e[2J\\u202e01234567890123456789012345678901..."
                                  "\" is not a number", p));
    memset(big, 'x', sizeof big);
    memcpy(big + sizeof big - 5, "\t1.5\n", 5);
    p = tmp_write("long.tsv", big, sizeof big);
    TAP_EQ_INT(vocab_load(&v, p, NULL, &err), 0, "an 8995-byte token loads");
    TAP_EQ_INT(v.tok_len[0], sizeof big - 5, "long token length");
    vocab_free(&v);
    static const char bom[] = "\xef\xbb\xbf" "a\t1\n\xef\xbb\xbf" "b\t2\n";
    p = tmp_write("bom.tsv", bom, sizeof bom - 1);
    TAP_EQ_INT(vocab_load(&v, p, NULL, &err), 0, "a file with a UTF-8 BOM loads");
    tap_ok(TOKEN_IS(&v, 0, "a") && TOKEN_IS(&v, 1, "\xef\xbb\xbf" "b"),
           "the BOM opening the file is dropped; U+FEFF later is a token's own");
    vocab_free(&v);
    p = tmp_write("neg.tsv", neg, sizeof neg - 1);
    TAP_EQ_INT(vocab_load(&v, p, NULL, &err), 0, "-inf with one finite logit loads");
    TAP_EQ_INT(v.order[0], 1, "the finite one ranks first");
    TAP_EQ_INT(v.n_finite, 1, "one finite");
    vocab_free(&v);
}

/* Every byte value written with the token escapes comes back as that byte. */
static void test_tsv_round_trip(void)
{
    static char text[256 * 16];
    struct vocab v = {0};
    struct ls_error err = {{0}};
    size_t o = 0;
    int same = 1;

    for (int b = 0; b < 256; b++) {
        if (b == '\\')
            o += (size_t)snprintf(text + o, sizeof text - o, "\\\\");
        else if (b == '\t' || b == '\n')
            o += (size_t)snprintf(text + o, sizeof text - o, b == '\t' ? "\\t" : "\\n");
        else if (b < 0x20 || b == '#' || b >= 0x7f)
            o += (size_t)snprintf(text + o, sizeof text - o,
                                  (b & 1) ? "\\x%02x" : "\\x%02X", b); /* either case */
        else
            text[o++] = (char)b;
        o += (size_t)snprintf(text + o, sizeof text - o, "%c\t%d\n", b == ' ' ? '.' : ' ', -b);
    }
    const char *p = tmp_write("bytes.tsv", text, o);
    TAP_EQ_INT(vocab_load(&v, p, NULL, &err), 0, "every byte escaped: %s", err.msg);
    for (int b = 0; b < 256 && v.n == 256; b++) {
        char want[2] = {(char)b, b == ' ' ? '.' : ' '};
        same &= token_is(&v, (size_t)b, want, 2);
    }
    tap_ok(v.n == 256 && same, "all 256 bytes round trip through the escapes");
    vocab_free(&v);
}

/* A token of random pieces: raw bytes, ASCII controls and backslashes, spaces, and UTF-8
 * characters from every length class, hidden ones (C1, bidi, tags) included. */
static size_t random_token(uint64_t *state, char *out)
{
    static const char special[] = "\\\t\n\r\x1b #\x7f"; /* bytes with escapes, and '#' */
    static const uint32_t cps[] = {0xe9, 0x85, 0x9b, 0x202e, 0x200b, 0xfeff, 0x4e2d,
                                   0x1f600, 0xe0041, 0x10ffff, 0x7ff, 0x800, 0xffff};
    size_t n = 0, pieces;

    *state = *state * 6364136223846793005u + 1442695040888963407u;
    pieces = (size_t)(*state >> 59); /* 0..31 */
    for (size_t i = 0; i < pieces; i++) {
        *state = *state * 6364136223846793005u + 1442695040888963407u;
        uint64_t x = *state >> 33;
        uint32_t cp = cps[x % (sizeof cps / sizeof *cps)];
        switch (x >> 20 & 3) {
        case 0: out[n++] = (char)(x >> 8); break;                   /* any byte */
        case 1: out[n++] = special[(x >> 8) % (sizeof special - 1)]; break;
        case 2: out[n++] = ' '; break;
        default:
            if (cp < 0x800) {
                out[n++] = (char)(0xc0 | cp >> 6);
            } else if (cp < 0x10000) {
                out[n++] = (char)(0xe0 | cp >> 12);
                out[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
            } else {
                out[n++] = (char)(0xf0 | cp >> 18);
                out[n++] = (char)(0x80 | (cp >> 12 & 0x3f));
                out[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
            }
            if (cp >= 0x80)
                out[n++] = (char)(0x80 | (cp & 0x3f));
            break;
        }
    }
    return n;
}

/* What sweep's CSV and the display write for a token (text_escape, without the display's
 * space marks) reads back as the same bytes, in every locale's form. The one rule the TSV
 * adds: a line starting with '#' is a comment, so such a token starts with \x23. */
static void test_tsv_escape_round_trip(void)
{
    enum { N = 3000 };
    static char raw[N][128], esc[200 * 10];
    static size_t raw_len[N];
    uint64_t state = 20240607;
    const unsigned flag_sets[] = {0, TEXT_ASCII};

    for (size_t i = 0; i < N; i++)
        raw_len[i] = random_token(&state, raw[i]);
    for (size_t f = 0; f < 2; f++) {
        const char *p = tmp_path("escaped.tsv");
        FILE *out = fopen(p, "wb");
        struct vocab v = {0};
        struct ls_error err = {{0}};
        size_t same = 0;
        for (size_t i = 0; out && i < N; i++) {
            text_escape(raw[i], raw_len[i], flag_sets[f], esc, sizeof esc);
            fprintf(out, "%s%s\t%zu\n", esc[0] == '#' ? "\\x23" : "",
                    esc + (esc[0] == '#'), i);
        }
        if (out)
            fclose(out);
        TAP_EQ_INT(vocab_load(&v, p, NULL, &err), 0, "%s escapes of %d random tokens load: %s",
                   f ? "ASCII" : "UTF-8", N, err.msg);
        for (size_t i = 0; i < N && v.n == N; i++)
            same += token_is(&v, i, raw[i], raw_len[i]);
        TAP_EQ_INT(same, N, "every token reads back as its bytes (%s)", f ? "ASCII" : "UTF-8");
        vocab_free(&v);
    }
}

/* A first line `token<TAB>logit` (or logprob, any case) is a header; anywhere else, or
 * spelled otherwise, it is a line like any other. */
static void test_tsv_header(void)
{
    static const char *const good[] = {
        "token\tlogit\na\t1\n", "TOKEN\tLogProb\r\na\t1\r\n", "# made by hand\n\ntoken\tlogit\na\t1\n",
    };
    struct vocab v = {0};
    struct ls_error err = {{0}};
    const char *p;

    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        p = tmp_text("header.tsv", good[i]);
        int rc = vocab_load(&v, p, NULL, &err);
        tap_ok(rc == 0 && v.n == 1 && TOKEN_IS(&v, 0, "a"), "header %zu skipped: %s", i, err.msg);
        vocab_free(&v);
    }
    p = tmp_write("header.tsv", "a\t1\ntoken\tlogit\n", 17);
    expect_error(p, NULL, tmp_msg("%s:2: logit \"logit\" is not a number", p));
    p = tmp_write("header.tsv", "token\tlogits\na\t1\n", 18);
    expect_error(p, NULL, tmp_msg("%s:1: logit \"logits\" is not a number", p));
}

static const double lab[10] = {2.2, 1.8, 1.4, 0.9, 0.2, 0.1, -0.3, -0.6, -0.8, -1.0};

static void test_npy_numpy_files(void)
{
    static const char *const good[] = {"f4.npy", "f8.npy", "v2.npy", "v3.npy"};
    struct vocab v = {0};
    struct ls_error err = {{0}};

    for (size_t f = 0; f < 4; f++) {
        char path[512];
        snprintf(path, sizeof path, NPY("%s"), good[f]);
        TAP_EQ_INT(vocab_load(&v, path, NULL, &err), 0, "numpy's %s loads: %s", good[f],
                   err.msg);
        int same = v.n == 10;
        for (size_t i = 0; same && i < 10; i++)
            same = v.logits[i] == (f == 0 ? (double)(float)lab[i] : lab[i]);
        tap_ok(same, "%s: the lab's ten logits", good[f]);
        tap_ok(v.text == NULL && TOKEN_IS(&v, 3, "#3"), "%s: names are #INDEX", good[f]);
        tap_ok(order_ok(&v) && v.order[0] == 0 && v.order[9] == 9, "%s: sorted", good[f]);
        vocab_free(&v);
    }
    expect_error(NPY("i4.npy"), NULL, NPY("i4.npy") ": dtype '<i4' is not supported "
                                                    "(need float32 '<f4' or float64 '<f8')");
    expect_error(NPY("f2.npy"), NULL, NPY("f2.npy") ": dtype '<f2' is not supported "
                                                    "(need float32 '<f4' or float64 '<f8')");
    expect_error(NPY("be_f4.npy"), NULL,
                 NPY("be_f4.npy") ": big-endian data is not supported (dtype '>f4'; "
                                  "save it with .astype('<f4'))");
    expect_error(NPY("rank2.npy"), NULL,
                 NPY("rank2.npy") ": shape (2, 5) is 2-D; need a 1-D array of logits, "
                                  "shape (N,)");
}

static void test_npy_headers(void)
{
    unsigned char *d4 = npy_le_bytes(lab, 10, 1), *d8 = npy_le_bytes(lab, 10, 0);
    struct vocab v = {0};
    struct ls_error err = {{0}};
    const char *p;

    p = npy_write_dict("fortran.npy", 1,
                       "{\"descr\":\"<f8\",\"fortran_order\":True,\"shape\":(10,)}", d8, 80);
    TAP_EQ_INT(vocab_load(&v, p, NULL, &err), 0, "fortran_order True, double quotes, "
               "no spaces: %s", err.msg);
    vocab_free(&v);
    p = npy_write_dict("longint.npy", 2,
                       "{'shape': (10L,), 'fortran_order': False, 'descr': '<f4'}", d4, 40);
    TAP_EQ_INT(vocab_load(&v, p, NULL, &err), 0, "keys in any order, 10L, v2.0: %s", err.msg);
    vocab_free(&v);
    p = npy_write("UPPER.NPY", "<f4", "(10,)", d4, 40);
    TAP_EQ_INT(vocab_load(&v, p, NULL, &err), 0, ".NPY in capitals is .npy: %s", err.msg);
    vocab_free(&v);

    p = tmp_write("garbage.npy", "token\t1.0\nother\t2.0\n", 20);
    expect_error(p, NULL, tmp_msg("%s: not a .npy file (bad magic)", p));
    p = tmp_write("empty.npy", "", 0);
    expect_error(p, NULL, tmp_msg("%s: the file is empty (not a .npy file)", p));
    p = tmp_write("short.npy", "\x93NUM", 4);
    expect_error(p, NULL, tmp_msg("%s: not a .npy file (bad magic)", p));
    p = tmp_write("v4.npy", "\x93NUMPY\x04\x00\x10\x00{}", 12);
    expect_error(p, NULL, tmp_msg("%s: unsupported .npy format version 4.0", p));
    p = tmp_write("trunc.npy", "\x93NUMPY\x01\x00\x76\x00{'descr'", 18);
    expect_error(p, NULL, tmp_msg("%s: the .npy header is truncated (it says 118 bytes, the file "
                                  "has 8 after the preamble)", p));
    p = tmp_write("hugehdr.npy", "\x93NUMPY\x03\x00\x74\x00\x01\x92 ", 13);
    expect_error(p, NULL, tmp_msg("%s: the .npy header is truncated (it says 2449539188 bytes, "
                                  "the file has 1 after the preamble)", p));
    p = npy_write_dict("notdict.npy", 1, "['descr', '<f4']", d4, 40);
    expect_error(p, NULL,
                 tmp_msg("%s: cannot read the .npy header: it does not start with '{'", p));
    p = npy_write_dict("nodescr.npy", 1, "{'fortran_order': False, 'shape': (10,), }", d4, 40);
    expect_error(p, NULL, tmp_msg("%s: cannot read the .npy header: it has no 'descr'", p));
    p = npy_write_dict("extra.npy", 1,
                       "{'descr': '<f4', 'fortran_order': False, 'shape': (10,), 'x': 1}", d4,
                       40);
    expect_error(p, NULL, tmp_msg("%s: cannot read the .npy header: it has a key other than "
                                  "descr, fortran_order and shape", p));
    p = npy_write_dict("struct.npy", 1,
                       "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (10,), }",
                       d4, 40);
    expect_error(p, NULL, tmp_msg("%s: cannot read the .npy header: a structured dtype is not "
                                  "supported", p));
    p = npy_write_dict("badshape.npy", 1,
                       "{'descr': '<f4', 'fortran_order': False, 'shape': (ten,), }", d4, 40);
    expect_error(p, NULL, tmp_msg("%s: cannot read the .npy header: the shape is not a tuple of "
                                  "whole numbers", p));
    p = npy_write_dict("junkafter.npy", 1,
                       "{'descr': '<f4', 'fortran_order': False, 'shape': (10,), } x", d4, 40);
    expect_error(p, NULL, tmp_msg("%s: cannot read the .npy header: there is text after the "
                                  "dictionary", p));
    free(d4);
    free(d8);
}

static void test_npy_shapes(void)
{
    unsigned char *d4 = npy_le_bytes(lab, 10, 1), *d8 = npy_le_bytes(lab, 10, 0);
    const char *p;

    p = npy_write("scalar.npy", "<f8", "()", d8, 8);
    expect_error(p, NULL,
                 tmp_msg("%s: shape () is 0-D; need a 1-D array of logits, shape (N,)", p));
    p = npy_write("rank3.npy", "<f4", "(1, 2, 5)", d4, 40);
    expect_error(p, NULL, tmp_msg("%s: shape (1, 2, 5) is 3-D; need a 1-D array of logits, "
                                  "shape (N,)", p));
    p = npy_write("row.npy", "<f4", "(1, 10)", d4, 40);
    expect_error(p, NULL, tmp_msg("%s: shape (1, 10) is 2-D; need a 1-D array of logits, "
                                  "shape (N,)", p));
    p = npy_write("zero.npy", "<f4", "(0,)", d4, 0);
    expect_error(p, NULL, tmp_msg("%s: shape (0,) has no logits", p));
    p = npy_write("few.npy", "<f4", "(10,)", d4, 36);
    expect_error(p, NULL, tmp_msg("%s: shape (10,) needs 40 bytes of data but the file has 36", p));
    p = npy_write("many.npy", "<f8", "(10,)", d8, 80);
    expect_error(NULL, NULL, "no logits file given");
    p = npy_write("f8as4.npy", "<f4", "(10,)", d8, 80);
    expect_error(p, NULL, tmp_msg("%s: shape (10,) needs 40 bytes of data but the file has 80", p));
    p = npy_write("huge.npy", "<f4", "(1000000000000,)", d4, 40);
    expect_error(p, NULL, tmp_msg("%s: shape (1000000000000,) is more than the 67108864 tokens "
                                  "supported", p));
    p = npy_write("u8.npy", "|u1", "(10,)", d4, 10);
    expect_error(p, NULL, tmp_msg("%s: dtype '|u1' is not supported (need float32 '<f4' or "
                                  "float64 '<f8')", p));
    p = npy_write("be8.npy", ">f8", "(10,)", d8, 80);
    expect_error(p, NULL, tmp_msg("%s: big-endian data is not supported (dtype '>f8'; save it "
                                  "with .astype('<f8'))", p));
    free(d4);
    free(d8);
}

static void test_npy_values(void)
{
    double x[20];
    unsigned char *b;
    const char *p;

    for (int i = 0; i < 20; i++)
        x[i] = i * 0.5;
    x[17] = NAN;
    b = npy_le_bytes(x, 20, 0);
    p = npy_write("nan.npy", "<f8", "(20,)", b, 160);
    expect_error(p, NULL, tmp_msg("%s: element 17 is NaN", p));
    free(b);
    x[17] = 0;
    x[3] = INFINITY;
    b = npy_le_bytes(x, 20, 1);
    p = npy_write("inf.npy", "<f4", "(20,)", b, 80);
    expect_error(p, NULL, tmp_msg("%s: element 3 is +inf (only -inf is allowed)", p));
    free(b);
    for (int i = 0; i < 20; i++)
        x[i] = -INFINITY;
    b = npy_le_bytes(x, 20, 1);
    p = npy_write("neginf.npy", "<f4", "(20,)", b, 80);
    expect_error(p, NULL, tmp_msg("%s: every logit is -inf", p));
    free(b);
}

static void test_npy_names(void)
{
    static const char names[] = "approve\nreject\n review\nesc\\talate\r\n\\x23delay\n"
                                "audit\n\nnotify\nback\\\\slash\nclose\n";
    unsigned char *d4 = npy_le_bytes(lab, 10, 1);
    char npy[512];
    const char *p;
    struct vocab v = {0};
    struct ls_error err = {{0}};

    snprintf(npy, sizeof npy, "%s", npy_write("named.npy", "<f4", "(10,)", d4, 40));
    p = tmp_write("names.txt", names, sizeof names - 1);
    TAP_EQ_INT(vocab_load(&v, npy, p, &err), 0, "npy with names: %s", err.msg);
    tap_ok(TOKEN_IS(&v, 0, "approve") && TOKEN_IS(&v, 2, " review") &&
               TOKEN_IS(&v, 3, "esc\talate") && TOKEN_IS(&v, 4, "#delay") &&
               TOKEN_IS(&v, 6, "") && TOKEN_IS(&v, 8, "back\\slash") &&
               TOKEN_IS(&v, 9, "close"),
           "names: spaces, escapes, CRLF, an empty line is an empty token, final newline");
    vocab_free(&v);
    p = tmp_write("names_nonl.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj", 19);
    TAP_EQ_INT(vocab_load(&v, npy, p, &err), 0, "names without a final newline");
    tap_ok(TOKEN_IS(&v, 9, "j"), "last name read");
    vocab_free(&v);
    p = tmp_write("names9.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\n", 18);
    expect_error(npy, p, tmp_msg("%s: has 9 tokens but %s has 10 logits", p, npy));
    p = tmp_write("names11.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n", 22);
    expect_error(npy, p, tmp_msg("%s: has 11 tokens but %s has 10 logits", p, npy));
    p = tmp_write("names_blank_end.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n", 21);
    expect_error(npy, p, tmp_msg("%s: has 11 tokens but %s has 10 logits", p, npy));
    p = tmp_write("names_esc.txt", "a\nb\\q\n", 6);
    expect_error(npy, p, tmp_msg("%s:2: token has an unknown escape \\q (allowed: \\t \\n \\r "
                                 "\\e \\\\ \\xHH \\uXXXX \\UXXXXXXXX)", p));
    p = tmp_write("names_tab.txt", "a\nb\nc\t1.0\n", 10);
    expect_error(npy, p, tmp_msg("%s:3: a raw tab in a token (write it as \\t)", p));
    p = tmp_path("names_missing.txt");
    expect_error(npy, p, tmp_msg("%s: cannot open: No such file or directory", p));
    free(d4);
}

static void test_from_logits(void)
{
    static const char *const names[] = {"zero", "negzero", "big", "small"};
    double x[4] = {0.0, -0.0, 1e30, -1e30};
    struct vocab v = {0};
    struct ls_error err = {{0}};
    double one = 3.5, bad[3] = {1, NAN, 2};

    TAP_EQ_INT(vocab_from_logits(&v, x, 4, names, &err), 0, "from memory");
    TAP_EQ_INT(v.order[0], 2, "1e30 first");
    tap_ok(v.order[1] == 0 && v.order[2] == 1, "+0 and -0 tie, in file order");
    TAP_EQ_INT(v.order[3], 3, "-1e30 last");
    tap_ok(TOKEN_IS(&v, 1, "negzero"), "names copied");
    vocab_free(&v);
    TAP_EQ_INT(vocab_from_logits(&v, &one, 1, NULL, &err), 0, "V = 1");
    tap_ok(v.n_finite == 1 && v.order[0] == 0, "V = 1 order");
    vocab_free(&v);
    TAP_EQ_INT(vocab_from_logits(&v, bad, 3, NULL, &err), -1, "NaN in memory");
    TAP_EQ_STR(err.msg, "logits: element 1 is NaN", "NaN message");
    tap_ok(is_zeroed(&v), "NaN leaves it empty");
    bad[1] = INFINITY;
    TAP_EQ_INT(vocab_from_logits(&v, bad, 3, NULL, &err), -1, "+inf in memory");
    bad[0] = bad[1] = bad[2] = -INFINITY;
    TAP_EQ_INT(vocab_from_logits(&v, bad, 3, NULL, &err), -1, "all -inf in memory");
    TAP_EQ_STR(err.msg, "logits: every logit is -inf", "all -inf message");
    TAP_EQ_INT(vocab_from_logits(&v, bad, 0, NULL, &err), -1, "V = 0");
    TAP_EQ_INT(vocab_from_logits(&v, bad, 3, NULL, NULL), -1, "err may be NULL");
}

/* ---- the sort against a plain comparison sort ---- */

static const double *ref_logits; /* what ref_rank_cmp compares by */

/* Descending logit (-0 and +0 tie), ties by file index; -inf is the smallest. */
static int ref_rank_cmp(const void *a, const void *b)
{
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    double x = ref_logits[i], y = ref_logits[j];
    if (x != y)
        return x > y ? -1 : 1;
    return (i > j) - (i < j);
}

/* The engine's order of l[0..n) is exactly qsort's. */
static int sorts_like_qsort(const double *l, size_t n)
{
    struct vocab v = {0};
    struct ls_error err = {{0}};
    uint32_t *want = malloc(n * sizeof *want);
    int ok = want && vocab_from_logits(&v, l, n, NULL, &err) == 0;
    for (size_t i = 0; ok && i < n; i++)
        want[i] = (uint32_t)i;
    ref_logits = l;
    if (ok)
        qsort(want, n, sizeof *want, ref_rank_cmp);
    ok = ok && memcmp(want, v.order, n * sizeof *want) == 0 && order_ok(&v);
    vocab_free(&v);
    free(want);
    return ok;
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

/* Inputs aimed at each path of the radix sort: float32 keys that tie for doubles near one
 * value (a long run, sorted again on the full key), beyond the float32 range and below it
 * (runs whose 64-bit keys differ in more than 32 bits), pairs, signed zeros, -inf anywhere,
 * every size around the insertion-sort and MSD thresholds, and constant input. */
static void test_sort_paths(void)
{
    enum { N = 9000 };
    static double l[N];
    uint64_t s = 0x2545f4914f6cdd1du;
    int ok = 1;

    for (size_t i = 0; i < N; i++) /* one float32, 1 + [0, 2^-25): a run of N */
        l[i] = 1.0 + (double)(xorshift(&s) % 1000) * 0x1p-35;
    ok &= sorts_like_qsort(l, N);
    tap_ok(ok, "doubles that share one float32 (a run of 9000)");

    static const double wide[] = {1e300, -1e300, 1e39, -1e39, DBL_MAX, -DBL_MAX, 4e38, 1e-300,
                                  -1e-300, 1e-46, -1e-46, 5e-324, -5e-324, 0.0, -0.0, 1.5,
                                  -INFINITY, 3.5e38, 1e308};
    size_t nw = sizeof wide / sizeof *wide;
    for (size_t i = 0; i < N; i++) {
        double x = wide[xorshift(&s) % nw];
        l[i] = xorshift(&s) % 2 ? x : x * (1 - 0x1p-40);
    }
    ok = sorts_like_qsort(l, N);
    tap_ok(ok, "beyond and below the float32 range, signed zeros, -inf mixed in");

    for (size_t i = 0; i < N; i++) { /* pairs and small runs that share a float32 */
        double x = (double)(xorshift(&s) % 3000) * 0.37;
        l[i] = x + (double)(xorshift(&s) % 3) * 0x1p-45;
    }
    ok = sorts_like_qsort(l, N);
    tap_ok(ok, "short runs of doubles that share a float32");

    for (size_t i = 0; i < N; i++) /* float32 data with -inf at random */
        l[i] = xorshift(&s) % 4 == 0
                   ? -INFINITY
                   : (float)((double)((int64_t)(xorshift(&s) % 200001) - 100000) / 977);
    ok = sorts_like_qsort(l, N);
    tap_ok(ok, "float32 data, a quarter -inf");

    static const size_t sizes[] = {1, 2, 3, 23, 24, 25, 33, 64, 100, 4095, 4096, 4097, 5000};
    ok = 1;
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        for (size_t i = 0; i < sizes[k]; i++) {
            double x = (double)(xorshift(&s) % 50) - 25.5;
            l[i] = x + (xorshift(&s) % 2 ? 0.1 : 0);
        }
        ok &= sorts_like_qsort(l, sizes[k]);
        for (size_t i = 0; i < sizes[k]; i++)
            l[i] = (double)(xorshift(&s) >> 11) * 0x1p-53 * 1e6 - 5e5;
        ok &= sorts_like_qsort(l, sizes[k]);
    }
    tap_ok(ok, "sizes 1 to 5000 around every threshold");

    for (size_t i = 0; i < N; i++)
        l[i] = -2.75;
    tap_ok(sorts_like_qsort(l, N), "a constant vocabulary keeps file order");
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of 21 re-sorts of an already loaded vocabulary. */
static double sort_ms(struct vocab *v)
{
    double t[21];

    for (int i = 0; i < 21; i++) {
        double t0 = now_ms();
        vocab_sort(v);
        t[i] = now_ms() - t0;
    }
    qsort(t, 21, sizeof *t, cmp_double);
    return t[10];
}

/* V = 262,144 through a real file: exact round trip and a correct, fast sort. Logits are
 * quantised to 0.01 so that every value is tied ~130 times, and every 97th is -inf. */
static void test_big(int f32)
{
    const size_t n = 262144;
    double *x = malloc(n * sizeof *x);
    uint64_t s = 0x9e3779b97f4a7c15u;
    struct vocab v = {0};
    struct ls_error err = {{0}};
    unsigned char *b;
    const char *p;
    char shape[32];

    for (size_t i = 0; i < n; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        x[i] = i % 97 == 5 ? -INFINITY : (double)((int)(s % 2001) - 1000) / 100.0;
        if (f32)
            x[i] = (float)x[i];
    }
    b = npy_le_bytes(x, n, f32);
    snprintf(shape, sizeof shape, "(%zu,)", n);
    p = npy_write(f32 ? "big4.npy" : "big8.npy", f32 ? "<f4" : "<f8", shape, b, n * (f32 ? 4 : 8));
    free(b);
    double t0 = now_ms();
    int rc = vocab_load(&v, p, NULL, &err);
    double load = now_ms() - t0;
    TAP_EQ_INT(rc, 0, "V=262144 %s loads: %s", f32 ? "float32" : "float64", err.msg);
    tap_ok(rc == 0 && memcmp(v.logits, x, n * sizeof *x) == 0, "exact round trip");
    tap_ok(rc == 0 && order_ok(&v), "stable descending order, -inf last, order a permutation");
    if (rc == 0)
        printf("# V=262144 %s: load+sort %.3f ms, sort alone %.3f ms (median of 21)\n",
               f32 ? "float32" : "float64", load, sort_ms(&v));
    vocab_free(&v);
    unlink(p);
    free(x);
}

/* The same size as TSV text, for the load time and a second path to the sort. */
static void test_big_tsv(void)
{
    const size_t n = 262144;
    const char *p = tmp_path("big.tsv");
    FILE *f = fopen(p, "w");
    struct vocab v = {0};
    struct ls_error err = {{0}};

    for (size_t i = 0; f && i < n; i++)
        fprintf(f, " tok%zu\t%d.%02d\n", i, (int)(i * 7919 % 41) - 20, (int)(i % 100));
    if (f)
        fclose(f);
    double t0 = now_ms();
    int rc = vocab_load(&v, p, NULL, &err);
    double load = now_ms() - t0;
    TAP_EQ_INT(rc, 0, "V=262144 TSV loads: %s", err.msg);
    tap_ok(rc == 0 && v.n == n && order_ok(&v), "TSV order");
    printf("# V=262144 TSV: load+sort %.3f ms\n", load);
    vocab_free(&v);
    unlink(p);
}

int main(void)
{
    tmp_dir_make("vocab");
    test_tsv_good();
    test_tsv_variants();
    test_tsv_broken();
    test_tsv_generated();
    test_tsv_round_trip();
    test_tsv_escape_round_trip();
    test_tsv_header();
    test_npy_numpy_files();
    test_npy_headers();
    test_npy_shapes();
    test_npy_values();
    test_npy_names();
    test_from_logits();
    test_sort_paths();
    test_big(1);
    test_big(0);
    test_big_tsv();
    tmp_dir_remove();
    return tap_done();
}
