/* test_lm.c: the language-model loader. ARPA models (plain, gzipped, and written the ways
 * KenLM, SRILM and IRSTLM write them) against back-off computed by hand; word lookups; the
 * Sphinx trie from the fixture's writer, which must give what the same model gives as ARPA;
 * and every malformed file refused with its exact "FILE:LINE:" or "FILE: offset N:"
 * message. The cross-check against sphinxbase itself is test_lm_sphinx.c. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lm_fixture.h"
#include "logitscope/lm.h"
#include "tap.h"

#define L(x) ((x) * FX_LN10)

static struct lm *load_ok(const char *path, const char *what)
{
    struct lm *lm = NULL;
    struct ls_error err = {{0}};
    int rc = lm_load(&lm, path, &err);

    if (rc != 0)
        printf("# %s\n", err.msg);
    tap_ok(rc == 0 && lm, "%s loads", what);
    return rc == 0 ? lm : NULL;
}

static uint32_t id_of(const struct lm *lm, const char *w)
{
    uint32_t id = LM_NO_WORD;

    if (!lm_find(lm, w, strlen(w), &id))
        printf("# no word %s\n", w);
    return id;
}

/* Checks ln P(word | ctx) for the words given as "word=log10" pairs; ctx is space-separated
 * (empty for none; "?" stands for LM_NO_WORD). */
static void expect(const struct lm *lm, const char *ctx_text, const char *want)
{
    uint32_t ctx[16];
    size_t n = 0;
    char buf[256], *save = NULL;
    double *lp = malloc(lm_size(lm) * sizeof *lp);

    snprintf(buf, sizeof buf, "%s", ctx_text);
    for (char *w = strtok_r(buf, " ", &save); w && n < 16; w = strtok_r(NULL, " ", &save))
        ctx[n++] = strcmp(w, "?") == 0 ? LM_NO_WORD : id_of(lm, w);
    lm_next(lm, ctx, n, lp);
    snprintf(buf, sizeof buf, "%s", want);
    for (char *p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(p, '=');
        *eq = '\0';
        double v = strcmp(eq + 1, "-inf") == 0 ? -INFINITY : L(atof(eq + 1));
        TAP_NEAR(lp[id_of(lm, p)], v, 1e-12, "[%s] ln P(%s) = %s * ln 10", ctx_text, p, eq + 1);
    }
    free(lp);
}

/* fx_small_arpa by hand: P(w | u v) is the 3-gram, or bo(u v) + P(w | v); P(w | v) is the
 * 2-gram, or bo(v) + P(w). */
static void check_small(const struct lm *lm, const char *what)
{
    size_t len = 0;

    printf("# %s\n", what);
    TAP_EQ_INT(lm_size(lm), 6, "six words");
    TAP_EQ_INT(lm_order(lm), 3, "a trigram model");
    TAP_EQ_INT(lm_eos(lm), 0, "</s> is word 0");
    TAP_EQ_INT(lm_bos(lm), 1, "<s> is word 1");
    TAP_EQ_INT(lm_unk(lm), 5, "<unk> is word 5");
    TAP_EQ_STR(lm_word(lm, 2, &len), "a", "word 2 is a");
    TAP_EQ_INT(len, 1, "of length 1");
    tap_ok(lm_word(lm, 6, NULL) == NULL, "no word 6");
    expect(lm, "", "</s>=-1.0 a=-0.8 b=-0.9 c=-1.2 <s>=-inf <unk>=-inf");
    expect(lm, "<s>", "a=-0.2 </s>=-1.5 b=-1.4 c=-1.7");
    expect(lm, "<s> a", "b=-0.05 c=-0.4 </s>=-1.4 a=-1.2 <s>=-inf <unk>=-inf");
    expect(lm, "a b", "</s>=-0.1 a=-0.75 b=-1.35 c=-1.65");
    expect(lm, "c a", "b=-0.4 c=-0.3 </s>=-1.3 a=-1.1");
    expect(lm, "b a", "c=-0.2 b=-0.55 </s>=-1.45 a=-1.25");
    expect(lm, "c c <s> a b", "</s>=-0.1 a=-0.75 c=-1.65");
    expect(lm, "<unk> a", "b=-0.4 c=-0.3 </s>=-1.3");
    expect(lm, "? a", "b=-0.4 c=-0.3 </s>=-1.3");
    expect(lm, "a ?", "</s>=-1.0 a=-0.8 b=-0.9 c=-1.2");
    expect(lm, "<s> a ? b a", "c=-0.2 b=-0.55");

    double lp[6], lp2[6];
    uint32_t big[2] = {7, id_of(lm, "a")}, none[2] = {LM_NO_WORD, id_of(lm, "a")};
    lm_next(lm, big, 2, lp);
    lm_next(lm, none, 2, lp2);
    tap_ok(memcmp(lp, lp2, sizeof lp) == 0, "an id past the vocabulary cuts the context too");
}

static const char *write_gz(const char *name, const char *text)
{
    const char *p = tmp_path(name);
    gzFile g = gzopen(p, "wb9");

    if (!g || gzwrite(g, text, (unsigned)strlen(text)) != (int)strlen(text) || gzclose(g) != Z_OK) {
        printf("Bail out! cannot write %s\n", p);
        exit(1);
    }
    return p;
}

static void test_small(void)
{
    struct lm *lm = load_ok(tmp_text("small.arpa", fx_small_arpa), "small.arpa");
    if (lm) {
        TAP_EQ_STR(lm_format(lm), "ARPA", "its format is ARPA");
        check_small(lm, "small.arpa");
        lm_free(lm);
    }
    lm = load_ok(write_gz("small.arpa.gz", fx_small_arpa), "small.arpa.gz");
    if (lm) {
        check_small(lm, "small.arpa.gz");
        lm_free(lm);
    }
    /* The name says nothing: the content decides. */
    lm = load_ok(write_gz("small.txt", fx_small_arpa), "a gzipped model named .txt");
    if (lm) {
        expect(lm, "a b", "</s>=-0.1");
        lm_free(lm);
    }
}

/* The same model as other tools write it: a preamble, CRLF, spaces, "ngram 1 = 6", blank
 * lines, n-grams in no order, a positive log10 probability (IRSTLM), a 2-gram without its
 * back-off weight and no newline after \end\. */
static const char variant_arpa[] =
    "This is an ARPA model.\r\n"
    "\\data\\\r\n"
    "ngram  1 = 6\r\n"
    "ngram 2=5\r\n"
    "ngram 3=3\r\n"
    "\r\n"
    "\\1-grams:\r\n"
    "-1.0 </s>\r\n"
    "-99 <s> -0.5\r\n"
    "  -0.8   a   -0.3  \r\n"
    "\r\n"
    "-0.9 b -0.2\r\n"
    "-1.2 c -0.4\r\n"
    "-2.0 <unk> 0\r\n"
    "\\2-grams:\r\n"
    "-0.5 b a -0.15\r\n"
    "-0.6 b </s>\r\n"
    "-0.3 a c\r\n"
    "-0.4 a b -0.25\r\n"
    "-0.2 <s> a -0.1\r\n"
    "\\3-grams:\r\n"
    "-0.2 b a c\r\n"
    "-0.1 a b </s>\r\n"
    "-0.05 <s> a b\r\n"
    "\\end\\";

static void test_variants(void)
{
    struct lm *lm = load_ok(tmp_text("variant.arpa", variant_arpa), "variant.arpa");
    if (lm) {
        check_small(lm, "variant.arpa");
        lm_free(lm);
    }
    static const char positive[] = "\\data\\\nngram 1=2\n\\1-grams:\n0.25 a\n-0.5 b\n\\end\\\n";
    lm = load_ok(tmp_text("positive.arpa", positive), "a positive log10 probability");
    if (lm) {
        TAP_EQ_INT(lm_order(lm), 1, "a unigram model");
        expect(lm, "a", "a=0 b=-0.5"); /* read as 0, as sphinxbase and KenLM do */
        lm_free(lm);
    }
}

/* Contexts that only longer n-grams name, and n-grams whose suffix is missing. */
static void test_missing_contexts(void)
{
    struct lm *lm = load_ok(tmp_text("prefix.arpa", fx_prefix_arpa), "prefix.arpa");
    if (lm) {
        expect(lm, "c a", "b=-0.01 a=-0.8 c=-1.0 </s>=-1.3");
        expect(lm, "a b", "c=-0.02 </s>=-0.65 a=-1.1 b=-1.2");
        expect(lm, "c", "a=-0.6 b=-0.7 c=-0.8 </s>=-1.1");
        lm_free(lm);
    }
    /* "a b a" without "b a": P(a | b) backs off to bo(b) + P(a) (sphinxbase, which stores a
     * stand-in 2-gram, rounds it to the nearest 2-gram bin instead). */
    static const char suffix[] = "\\data\\\nngram 1=3\nngram 2=1\nngram 3=1\n"
                                 "\\1-grams:\n-0.5 a -0.3\n-0.6 b -0.2\n-0.7 c -0.1\n"
                                 "\\2-grams:\n-0.2 a b -0.4\n"
                                 "\\3-grams:\n-0.02 a b a\n\\end\\\n";
    lm = load_ok(tmp_text("suffix.arpa", suffix), "suffix.arpa");
    if (lm) {
        expect(lm, "b", "a=-0.7 b=-0.8 c=-0.9");
        expect(lm, "a b", "a=-0.02 b=-1.2 c=-1.3");
        lm_free(lm);
    }
    /* A 4-gram whose context "a b c" and that context's context "a b" are both missing. */
    static const char deep[] = "\\data\\\nngram 1=4\nngram 2=1\nngram 3=1\nngram 4=1\n"
                               "\\1-grams:\n-0.5 a -0.3\n-0.6 b -0.2\n-0.7 c -0.1\n-0.8 d -0.05\n"
                               "\\2-grams:\n-0.2 c d -0.4\n"
                               "\\3-grams:\n-0.1 b c d -0.3\n"
                               "\\4-grams:\n-0.01 a b c d\n\\end\\\n";
    lm = load_ok(tmp_text("deep.arpa", deep), "deep.arpa");
    if (lm) {
        TAP_EQ_INT(lm_order(lm), 4, "a 4-gram model");
        expect(lm, "a b c", "d=-0.01 a=-0.6 b=-0.7 c=-0.8");
        expect(lm, "d b c", "d=-0.1 a=-0.6");
        expect(lm, "b c", "d=-0.1 a=-0.6");
        expect(lm, "c", "d=-0.2 a=-0.6");
        expect(lm, "c d", "a=-0.95 d=-1.25");
        lm_free(lm);
    }
}

static void test_lookup(void)
{
    static const char words[] =
        "\\data\\\nngram 1=7\n\\1-grams:\n"
        "-1 the\n-1 The\n-1 \xc3\xbc" "ber\n-1 \xc3\xa9lan\n"
        "-1 \xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0\n-1 \xcf\x89mega\n-1 \xc5\x82\xc3\xb3" "d\xc5\xba\n"
        "\\end\\\n";
    struct lm *lm = load_ok(tmp_text("words.arpa", words), "words.arpa");
    uint32_t id = 99;

    if (!lm)
        return;
    tap_ok(lm_lookup_word(lm, "The", 3, &id) && id == 1, "an exact match wins over lowercase");
    tap_ok(lm_lookup_word(lm, "THE", 3, &id) && id == 0, "THE is found as the");
    tap_ok(!lm_find(lm, "THE", 3, &id), "lm_find is exact");
    tap_ok(lm_lookup_word(lm, "\xc3\x9c" "BER", 5, &id) && id == 2, "\xc3\x9c" "BER -> \xc3\xbc" "ber");
    tap_ok(lm_lookup_word(lm, "\xc3\x89LAN", 5, &id) && id == 3, "\xc3\x89LAN -> \xc3\xa9lan");
    tap_ok(lm_lookup_word(lm, "\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90", 12, &id) && id == 4,
           "Cyrillic capitals");
    tap_ok(lm_lookup_word(lm, "\xce\xa9MEGA", 6, &id) && id == 5, "Greek capitals");
    tap_ok(lm_lookup_word(lm, "\xc5\x81\xc3\x93" "D\xc5\xb9", 7, &id) && id == 6,
           "Latin Extended-A capitals");
    tap_ok(!lm_lookup_word(lm, "thee", 4, &id), "an unknown word is not found");
    tap_ok(!lm_lookup_word(lm, "th", 2, &id), "nor a prefix of one");
    char longw[600];
    memset(longw, 'T', sizeof longw);
    tap_ok(!lm_lookup_word(lm, longw, sizeof longw, &id), "a long unknown word is not found");
    TAP_EQ_INT(lm_bos(lm), LM_NO_WORD, "no <s> in this model");
    TAP_EQ_INT(lm_eos(lm), LM_NO_WORD, "no </s>");
    TAP_EQ_INT(lm_unk(lm), LM_NO_WORD, "no <unk>");
    lm_free(lm);

    static const char upper_unk[] = "\\data\\\nngram 1=2\n\\1-grams:\n-1 <UNK>\n-1 x\n\\end\\\n";
    lm = load_ok(tmp_text("unk.arpa", upper_unk), "a model with <UNK>");
    if (lm) {
        TAP_EQ_INT(lm_unk(lm), 0, "sphinxbase's <UNK> is the unknown word");
        lm_free(lm);
    }
}

/* Each file must be refused with exactly this message (%s is the path). */
static void refuse(const char *path, const char *want_fmt, const char *what)
{
    struct lm *lm = (struct lm *)&lm; /* must come back NULL */
    struct ls_error err = {{0}};
    char want[600];
    int rc = lm_load(&lm, path, &err);

    snprintf(want, sizeof want, want_fmt, path);
    tap_ok(rc == -1 && lm == NULL, "%s: refused", what);
    TAP_EQ_STR(err.msg, want, "%s: message", what);
}

static void refuse_text(const char *text, const char *want_fmt, const char *what)
{
    refuse(tmp_text("bad.arpa", text), want_fmt, what);
}

#define HEAD "\\data\\\nngram 1=3\nngram 2=2\n\\1-grams:\n-1 a -0.1\n-1 b -0.2\n-1 </s>\n"

static void test_broken_arpa(void)
{
    refuse(tmp_path("missing.arpa"), "%s: cannot open: No such file or directory", "no file");
    refuse(tmp_dir, "%s: cannot read: Is a directory", "a directory");
    refuse_text("", "%s: the file is empty", "an empty file");
    refuse_text("hello\nworld\n", "%s:2: no \\data\\ line: not an ARPA language model",
                "no \\data\\");
    refuse_text("\\data\\\n", "%s:1: the file ends in the \\data\\ section", "only \\data\\");
    refuse_text("\\data\\\n\\1-grams:\n", "%s:2: no \"ngram 1=COUNT\" line after \\data\\",
                "no counts");
    refuse_text("\\data\\\nngram 2=3\n", "%s:2: \"ngram 2=\" where \"ngram 1=\" was expected",
                "counts out of order");
    refuse_text("\\data\\\nngram 1=x\n", "%s:2: the count in \"ngram N=COUNT\": not a number",
                "a count that is not a number");
    refuse_text("\\data\\\nngram 1 6\n", "%s:2: an \"ngram N=COUNT\" line without '='",
                "a count without '='");
    refuse_text("\\data\\\nngram 1=0\n\\1-grams:\n",
                "%s:3: \"ngram 1=0\": a model needs at least one word", "no words");
    refuse_text("\\data\\\nngram 1=1\nngram 2=1\nngram 3=1\nngram 4=1\nngram 5=1\nngram 6=1\n"
                "ngram 7=1\nngram 8=1\nngram 9=1\nngram 10=1\nngram 11=1\n",
                "%s:12: order 11 is more than the 10 this reader takes", "order 11");
    refuse_text(HEAD "-1 c\n", "%s:8: more 1-grams than the 3 that \\data\\ announced",
                "more 1-grams than announced");
    refuse_text(HEAD "\\2-grams:\n-1 a b\n\\end\\\n",
                "%s:10: the 2-grams end after 1 of the 2 that \\data\\ announced",
                "fewer 2-grams than announced");
    refuse_text(HEAD "\\2-grams:\n-1 a b\n",
                "%s:9: the file ends after 1 of the 2 2-grams that \\data\\ announced",
                "a file cut inside the 2-grams");
    refuse_text(HEAD, "%s:7: the file ends before the \\2-grams: section",
                "a file cut before the 2-grams");
    refuse_text(HEAD "\\2-grams:\n-1 a b\n-1 b a\n",
                "%s:10: the file ends without \\end\\", "no \\end\\");
    refuse_text(HEAD "\\2-grams:\n-1 a b\n-1 b a\n\\3-grams:\n",
                "%s:11: \"\\\\3-grams:\" where \\end\\ should be", "a section too many");
    refuse_text(HEAD "\\3-grams:\n", "%s:8: \"\\\\3-grams:\" where the \\2-grams: section should begin",
                "a section out of order");
    refuse_text(HEAD "\\2-grams:\nabc a b\n",
                "%s:9: log10 probability \"abc\": not a number", "a probability that is text");
    refuse_text(HEAD "\\2-grams:\nnan a b\n",
                "%s:9: log10 probability \"nan\": not a number (NaN)", "a NaN probability");
    refuse_text(HEAD "\\2-grams:\ninf a b\n", "%s:9: log10 probability \"inf\": +inf",
                "a +inf probability");
    refuse_text(HEAD "\\2-grams:\n-0.5x a b\n",
                "%s:9: log10 probability \"-0.5x\": trailing characters after the number",
                "a probability with junk after it");
    refuse_text(HEAD "\\2-grams:\n-1e999 a b\n", "%s:9: log10 probability \"-1e999\": out of range",
                "a probability out of range");
    refuse_text("\\data\\\nngram 1=1\n\\1-grams:\n-1 a zz\n\\end\\\n",
                "%s:4: 3 fields; a 1-gram line has a log10 probability, 1 word",
                "a back-off weight in the top order");
    refuse_text("\\data\\\nngram 1=1\nngram 2=1\n\\1-grams:\n-1 a zz\n",
                "%s:5: log10 back-off weight \"zz\": not a number", "a back-off that is text");
    refuse_text(HEAD "\\2-grams:\n-1 a\n",
                "%s:9: 2 fields; a 2-gram line has a log10 probability, 2 words", "too few fields");
    refuse_text("\\data\\\nngram 1=1\nngram 2=1\n\\1-grams:\n-1\n",
                "%s:5: 1 fields; a 1-gram line has a log10 probability, 1 word and an optional "
                "log10 back-off weight",
                "a 1-gram without its word");
    refuse_text(HEAD "\\2-grams:\n-1 a zz\n", "%s:9: \"zz\" is not one of the 1-grams",
                "an unknown word in a 2-gram");
    refuse_text(HEAD "\\2-grams:\n-1 a \x1b[31m\n",
                "%s:9: \"\\e[31m\" is not one of the 1-grams",
                "a word with an escape sequence is escaped in the message");
    refuse_text("\\data\\\nngram 1=2\n\\1-grams:\n-1 a\n-2 a\n\\end\\\n",
                "%s:5: the word \"a\" is already a 1-gram (line 4)", "a repeated 1-gram");
    refuse_text(HEAD "\\2-grams:\n-1 a b\n-2 a b\n\\end\\\n",
                "%s:10: the 2-gram \"a b\" is listed twice (first at line 9)", "a repeated 2-gram");
    refuse(tmp_write("nul.arpa", "\\data\\\nngram 1=1\n\\1-grams:\n-1 a\0b\n", 33),
           "%s:4: line contains a NUL byte (binary file?)", "a NUL byte");
    refuse(tmp_write("dmp.lm", "\x11\0\0\0" "Darpa Trigram LM\0", 21),
           "%s: offset 0: a Sphinx DMP model, which logitscope does not read; convert it with "
           "sphinx_lm_convert to ARPA or the binary trie",
           "a Sphinx DMP model");

    /* A gzip stream cut short, or with damaged data, is an error, not a short model. */
    const char *gz = write_gz("cut.arpa.gz", fx_small_arpa);
    FILE *f = fopen(gz, "rb");
    unsigned char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct lm *lm = NULL;
    struct ls_error err = {{0}};
    const char *p = tmp_write("cut.arpa.gz", buf, n / 2);
    tap_ok(lm_load(&lm, p, &err) == -1 && strncmp(err.msg, p, strlen(p)) == 0,
           "a cut gzip stream is refused (%s)", err.msg);
    for (size_t i = 20; i < n - 8; i++)
        buf[i] ^= 0x55;
    p = tmp_write("damaged.arpa.gz", buf, n);
    tap_ok(lm_load(&lm, p, &err) == -1 && strncmp(err.msg, p, strlen(p)) == 0,
           "a damaged gzip stream is refused (%s)", err.msg);
}

/* ---- The Sphinx trie ---- */

static const char *const small_words[] = {"</s>", "<s>", "a", "b", "c", "<unk>"};
static const double small_uni_prob[] = {-1.0, -99, -0.8, -0.9, -1.2, -2.0};
static const double small_uni_bo[] = {0, -0.5, -0.3, -0.2, -0.4, 0};
static const struct fx_ngram small_big[] = {
    {{1, 2, 0}, -0.2, -0.1}, {{2, 3, 0}, -0.4, -0.25}, {{2, 4, 0}, -0.3, 0},
    {{3, 0, 0}, -0.6, 0},    {{3, 2, 0}, -0.5, -0.15},
};
static const struct fx_ngram small_tri[] = {
    {{1, 2, 3}, -0.05, 0}, {{2, 3, 0}, -0.1, 0}, {{3, 2, 4}, -0.2, 0}};

static struct fx_bytes small_trie(void)
{
    return fx_trie(small_words, 6, small_uni_prob, small_uni_bo, small_big, 5, small_tri, 3);
}

/* Every context of up to two words over the six, and every word: the trie (float32 values)
 * must give what the ARPA file gives. */
static void same_as_arpa(const struct lm *trie, const struct lm *arpa, const char *what)
{
    double a[6], b[6];
    int bad = 0;

    for (uint32_t n = 0; n <= 2; n++)
        for (uint32_t c = 0; c < 36; c++) {
            uint32_t ctx[2] = {c / 6, c % 6};
            lm_next(trie, ctx + 2 - n, n, a);
            lm_next(arpa, ctx + 2 - n, n, b);
            for (int w = 0; w < 6; w++)
                if (!(a[w] == b[w] || fabs(a[w] - b[w]) <= 1e-6 * fabs(b[w])))
                    bad++;
        }
    TAP_EQ_INT(bad, 0, "%s: every column equals the ARPA model's", what);
}

static void test_trie(void)
{
    struct fx_bytes t = small_trie();
    struct lm *arpa = load_ok(tmp_text("small.arpa", fx_small_arpa), "small.arpa");
    struct lm *lm = load_ok(tmp_write("small.lm.bin", t.b, t.n), "small.lm.bin");

    if (lm && arpa) {
        TAP_EQ_STR(lm_format(lm), "Sphinx trie", "its format is the Sphinx trie");
        TAP_EQ_INT(lm_size(lm), 6, "six words");
        TAP_EQ_INT(lm_order(lm), 3, "a trigram model");
        TAP_EQ_INT(lm_bos(lm), 1, "<s> is word 1");
        TAP_EQ_STR(lm_word(lm, 5, NULL), "<unk>", "word 5 is <unk>");
        same_as_arpa(lm, arpa, "small.lm.bin");
    }
    lm_free(lm);
    gzFile g = gzopen(tmp_path("small.lm.bin.gz"), "wb");
    gzwrite(g, t.b, (unsigned)t.n);
    gzclose(g);
    lm = load_ok(tmp_path("small.lm.bin.gz"), "a gzipped trie");
    if (lm && arpa)
        same_as_arpa(lm, arpa, "small.lm.bin.gz");
    lm_free(lm);
    lm_free(arpa);
    free(t.b);

    /* A 3-gram whose context is not a 2-gram: the trie is rebuilt the slow way, and must
     * still give what the ARPA file gives. Ids: a 0, b 1, c 2, </s> 3. */
    static const char *const words[] = {"a", "b", "c", "</s>"};
    static const double up[] = {-0.5, -0.6, -0.7, -1.0}, ub[] = {-0.3, -0.2, -0.1, 0};
    static const struct fx_ngram big[] = {{{0, 1, 0}, -0.2, -0.4}, {{1, 2, 0}, -0.3, -0.05},
                                          {{1, 3, 0}, -0.25, 0}};
    static const struct fx_ngram tri[] = {{{2, 0, 1}, -0.01, 0}, {{0, 1, 2}, -0.02, 0}};
    t = fx_trie(words, 4, up, ub, big, 3, tri, 2);
    lm = load_ok(tmp_write("prefix.lm.bin", t.b, t.n), "a trie with a missing context");
    arpa = load_ok(tmp_text("prefix.arpa", fx_prefix_arpa), "prefix.arpa");
    if (lm && arpa) {
        double a[4], b[4];
        int bad = 0;
        for (uint32_t c = 0; c < 25; c++) {
            uint32_t ctx[2] = {c / 5 == 4 ? LM_NO_WORD : c / 5, c % 5 == 4 ? LM_NO_WORD : c % 5};
            lm_next(lm, ctx, 2, a);
            lm_next(arpa, ctx, 2, b);
            for (int w = 0; w < 4; w++)
                bad += !(fabs(a[w] - b[w]) <= 1e-6 * fabs(b[w]));
        }
        TAP_EQ_INT(bad, 0, "prefix.lm.bin: every column equals the ARPA model's");
    }
    lm_free(lm);
    lm_free(arpa);
    free(t.b);
}

/* 3-grams out of order below one 2-gram: the one sphinxbase's search cannot reach is not in
 * the model. After the rewrite the file lists "b b </s>" with the first bin (-0.1) and
 * "a b </s>" with the second (-0.15); "c b </s>" keeps -0.12. */
static void test_trie_out_of_order(void)
{
    struct fx_bytes t = fx_shuffled_trie();
    struct lm *lm = load_ok(tmp_write("shuffled.lm.bin", t.b, t.n), "a trie out of order");

    if (lm) {
        static const char *const first[] = {"b", "a", "c"};
        /* b b: bo(b b) + P(</s> | b) = -0.3 - 0.6, the 3-gram being out of reach. */
        static const double want[] = {-0.9, -0.15, -0.12};
        double lp[5];
        for (int i = 0; i < 3; i++) {
            uint32_t c[2] = {id_of(lm, first[i]), id_of(lm, "b")};
            lm_next(lm, c, 2, lp);
            TAP_NEAR(lp[0], L(want[i]), 1e-6, "[%s b] ln P(</s>) = %g * ln 10", first[i],
                     want[i]);
        }
        lm_free(lm);
    }
    free(t.b);
}

/* A copy of the small trie with `len` bytes at `at` replaced (or cut at `cut`). */
static const char *trie_with(size_t cut, size_t at, const void *bytes, size_t len)
{
    struct fx_bytes t = small_trie();
    size_t n = cut ? cut : t.n;

    if (len) {
        if (at + len > t.n)
            t.b = realloc(t.b, at + len);
        memcpy(t.b + at, bytes, len);
        if (!cut && at + len > n)
            n = at + len;
    }
    const char *p = tmp_write("bad.lm.bin", t.b, n);
    free(t.b);
    return p;
}

static const char *trie_u32_at(size_t at, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    return trie_with(0, at, b, 4);
}

/* Offsets in the small trie: counts at 20, the quantisation type at 32, the three tables
 * from 36, the seven 1-gram records from 786468 (12 bytes each: prob, back-off, next), the
 * 2-gram array (3 + 32 + 2 = 37 bits an entry, 36 bytes) from 786552, the 3-gram array (19
 * bits, 18 bytes) from 786588, then the word list's size at 786606 and its 21 bytes. */
#define T_QUANT 36u
#define T_UNI 786468u
#define T_BI 786552u
#define T_WORDS 786606u

static void test_broken_trie(void)
{
    struct fx_bytes t = small_trie();
    TAP_EQ_INT(t.n, T_WORDS + 4 + 21, "the small trie has the size the offsets below assume");
    free(t.b);

    refuse(trie_with(0, 19, "\0", 1), "%s: offset 19: order 0 (this reader takes 1 to 10)",
           "order 0");
    refuse(trie_with(0, 19, "\x0b", 1), "%s: offset 19: order 11 (this reader takes 1 to 10)",
           "order 11");
    refuse(trie_u32_at(32, 5), "%s: offset 32: quantisation type 5 (sphinxbase writes 0 or 1)",
           "an unknown quantisation type");
    refuse(trie_u32_at(20, 0), "%s: offset 20: 0 words (the trie holds 1 to 33554431)",
           "no words");
    refuse(trie_u32_at(24, 1u << 25), "%s: offset 24: 33554432 2-grams (the trie holds fewer "
           "than 33554431)", "too many 2-grams");
    /* Cut anywhere: the section that is cut is named. */
    refuse(trie_with(19, 0, NULL, 0), "%s: offset 19: the file ends inside the header (1 bytes "
           "needed, 0 left)", "a file cut after the magic");
    refuse(trie_with(25, 0, NULL, 0), "%s: offset 20: the file ends inside the n-gram counts "
           "(12 bytes needed, 5 left)", "a file cut in the counts");
    refuse(trie_with(1000, 0, NULL, 0), "%s: offset 36: the file ends inside the quantisation "
           "tables (786432 bytes needed, 964 left)", "a file cut in the tables");
    refuse(trie_with(T_UNI + 50, 0, NULL, 0), "%s: offset 786468: the file ends inside the "
           "1-gram table (84 bytes needed, 50 left)", "a file cut in the 1-grams");
    refuse(trie_with(T_BI + 10, 0, NULL, 0), "%s: offset 786552: the file ends inside the "
           "2-gram array (36 bytes needed, 10 left)", "a file cut in the 2-grams");
    refuse(trie_with(T_WORDS + 10, 0, NULL, 0), "%s: offset 786610: the file ends inside the "
           "word list (21 bytes needed, 6 left)", "a file cut in the words");
    refuse(trie_with(0, T_WORDS + 25, "junk", 4), "%s: offset 786631: 4 bytes after the word "
           "list", "bytes after the end");
    /* Counts that disagree with the rest of the file. */
    refuse(trie_u32_at(28, 4), "%s: offset 786613: the file ends inside the word list "
           "(1932475392 bytes needed, 18 left)", "a wrong 3-gram count");
    refuse(trie_u32_at(T_WORDS, 14), "%s: offset 786624: 7 bytes after the word list",
           "a word list size too small");
    /* Numbers no model can have. */
    refuse(trie_with(0, T_UNI + 2 * 12, "\0\0\xc0\x7f", 4),
           "%s: offset 786492: the 1-gram \"a\" has a probability of nan", "a NaN 1-gram");
    refuse(trie_with(0, T_UNI + 3 * 12 + 4, "\0\0\x80\x7f", 4),
           "%s: offset 786508: the 1-gram \"b\" has a back-off weight of inf", "a +inf back-off");
    refuse(trie_with(0, T_QUANT + 4 * 3, "\0\0\xc0\x7f", 4),
           "%s: offset 48: quantisation bin 3 of the 2-gram probabilities is nan",
           "a NaN quantisation bin");
    refuse(trie_with(0, T_QUANT + (65536 + 2) * 4, "\0\0\x80\x7f", 4),
           "%s: offset 262188: quantisation bin 2 of the 2-gram back-off weights is inf",
           "a +inf back-off bin");
    /* Pointers and word ids out of range. */
    refuse(trie_u32_at(T_UNI + 2 * 12 + 8, 99),
           "%s: offset 786500: 1-gram 2 points to 2-gram 99; there are 5", "a pointer too far");
    refuse(trie_u32_at(T_UNI + 3 * 12 + 8, 0),
           "%s: offset 786512: 1-gram 3 points to 2-gram 0, before 1", "a pointer going back");
    unsigned char word7 = 7; /* the first 2-gram's word: 3 bits, 7 is past the 6 words */
    refuse(trie_with(0, T_BI, &word7, 1),
           "%s: offset 786552: 2-gram 0 has word id 7; there are 6 words", "a word id too big");
    /* 2-gram 3 ("a b") says its 3-grams begin at 3, after those of 2-gram 4 ("a c", at 2):
     * its pointer is the 2 bits at bit 3 * 37 + 35 = 146, byte 18 of the array, bits 2-3. */
    struct fx_bytes u = small_trie();
    u.b[T_BI + 18] |= 0x0c;
    refuse(tmp_write("bad.lm.bin", u.b, u.n),
           "%s: offset 786570: 2-gram 4 points to 3-gram 2, before 3", "a 2-gram pointer going back");
    free(u.b);
    /* The word list. */
    refuse(trie_with(0, T_WORDS + 4, "</s>\0</s>", 10), "%s: offset 786615: the word \"</s>\" is "
           "listed twice", "a repeated word");
    refuse(trie_with(0, T_WORDS + 4 + 5, "\0", 1), "%s: offset 786615: an empty word",
           "an empty word");
    refuse(trie_with(0, T_WORDS + 4 + 20, "x", 1), "%s: offset 786625: the last word does not "
           "end in a NUL byte", "no NUL after the last word");
    refuse(trie_with(0, T_WORDS + 4 + 4, "<", 1), "%s: offset 786610: 5 words where the header "
           "declares 6", "too few words");
    refuse(trie_with(0, T_WORDS + 4 + 2, "\0", 1), "%s: offset 786625: more words than the 6 the "
           "header declares", "too many words");
}

int main(void)
{
    tmp_dir_make("lm");
    test_small();
    test_variants();
    test_missing_contexts();
    test_lookup();
    test_broken_arpa();
    test_trie();
    test_trie_out_of_order();
    test_broken_trie();
    tmp_dir_remove();
    return tap_done();
}
