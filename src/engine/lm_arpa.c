/* lm_arpa.c: ARPA back-off models as KenLM, SRILM and IRSTLM write them, plain or gzipped
 * (zlib reads both). Strict where a mistake would change the numbers: the counts in \data\
 * must match the sections, every number must parse, every word of an n-gram must be a
 * 1-gram, no n-gram may appear twice, and the file must end with \end\. Every error names
 * FILE:LINE.
 *
 * Like sphinxbase and KenLM, a positive log10 probability (IRSTLM writes a few) is read as
 * 0, and a missing back-off weight as 0. Text before \data\ is ignored; blank lines anywhere. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lm_internal.h"
#include "logitscope/parse.h"

#define ARPA_CHUNK ((size_t)1 << 16)
#define ARPA_MAX_FIELDS (LM_MAX_ORDER + 3)

struct arpa_reader {
    gzFile gz;
    const char *path;
    unsigned char *buf; /* decompressed bytes [pos, len) not yet split into lines */
    size_t len, pos;
    bool eof;
    char *line;
    size_t line_cap;
    size_t lineno;
    bool pushed_back; /* the current line is to be read again */
    const char *s;    /* the current line */
    size_t n;
};

struct arpa_field {
    const char *s;
    size_t len;
};

static int arpa_fill(struct arpa_reader *r, struct ls_error *err)
{
    int got = gzread(r->gz, r->buf, (unsigned)ARPA_CHUNK);
    const char *why = got <= 0 ? lm_gz_error(r->gz, r->path) : NULL;

    /* zlib reports a stream cut short only once the data before the cut has been read. */
    if (got < 0 || why)
        return ls_error_set(err, "%s:%zu: cannot read: %s", r->path, r->lineno + 1,
                            why ? why : "unknown error");
    r->len = (size_t)got;
    r->pos = 0;
    r->eof = got == 0;
    return 0;
}

/* 1: a line in r->s / r->n ('\n' and one '\r' stripped); 0: end of file; -1: error. */
static int arpa_line(struct arpa_reader *r, struct ls_error *err)
{
    size_t used = 0;

    if (r->pushed_back) {
        r->pushed_back = false;
        return 1;
    }
    for (;;) {
        if (r->pos == r->len) {
            if (!r->eof && arpa_fill(r, err) < 0)
                return -1;
            if (r->eof) {
                if (!used)
                    return 0;
                break; /* a last line without '\n' */
            }
        }
        unsigned char *start = r->buf + r->pos;
        unsigned char *nl = memchr(start, '\n', r->len - r->pos);
        size_t take = nl ? (size_t)(nl - start) : r->len - r->pos;
        if (used + take + 1 > r->line_cap) {
            size_t c = r->line_cap ? r->line_cap : 256;
            while (c < used + take + 1)
                c *= 2;
            char *p = realloc(r->line, c);
            if (!p)
                return ls_error_set(err, "%s:%zu: out of memory", r->path, r->lineno + 1);
            r->line = p;
            r->line_cap = c;
        }
        memcpy(r->line + used, start, take);
        used += take;
        r->pos += take + (nl != NULL);
        if (nl)
            break;
    }
    r->lineno++;
    if (memchr(r->line, '\0', used))
        return ls_error_set(err, "%s:%zu: line contains a NUL byte (binary file?)", r->path,
                            r->lineno);
    if (used > 0 && r->line[used - 1] == '\r')
        used--;
    r->line[used] = '\0';
    r->s = r->line;
    r->n = used;
    return 1;
}

static bool arpa_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static size_t arpa_fields(const char *s, size_t n, struct arpa_field *f, size_t max)
{
    size_t nf = 0, i = 0;

    while (i < n) {
        while (i < n && arpa_space(s[i]))
            i++;
        if (i == n)
            break;
        size_t b = i;
        while (i < n && !arpa_space(s[i]))
            i++;
        if (nf < max) {
            f[nf].s = s + b;
            f[nf].len = i - b;
        }
        nf++;
    }
    return nf;
}

/* The current line without surrounding space equals word. */
static bool arpa_is(const struct arpa_reader *r, const char *word)
{
    struct arpa_field f[2];
    size_t nf = arpa_fields(r->s, r->n, f, 2);

    return nf == 1 && f[0].len == strlen(word) && memcmp(f[0].s, word, f[0].len) == 0;
}

static bool arpa_blank(const struct arpa_reader *r)
{
    struct arpa_field f[1];

    return arpa_fields(r->s, r->n, f, 1) == 0;
}

/* Next non-blank line; 0 at end of file. */
static int arpa_content(struct arpa_reader *r, struct ls_error *err)
{
    int rc;

    while ((rc = arpa_line(r, err)) == 1 && arpa_blank(r))
        ;
    return rc;
}

static int arpa_at(const struct arpa_reader *r, struct ls_error *err, const char *what)
{
    return ls_error_set(err, "%s:%zu: %s", r->path, r->lineno, what);
}

static const char *arpa_quote_line(const struct arpa_reader *r, char *buf, size_t cap)
{
    return lm_quote(r->s, r->n, buf, cap);
}

/* "ngram K=C" (spaces allowed around '='). 1: parsed; 0: not such a line; -1: error. */
static int arpa_count_line(struct arpa_reader *r, size_t *k, size_t *count, struct ls_error *err)
{
    const char *s = r->s, *eq;
    size_t n = r->n, i = 0;

    while (i < n && arpa_space(s[i]))
        i++;
    if (n - i < 6 || memcmp(s + i, "ngram", 5) != 0 || !arpa_space(s[i + 5]))
        return 0;
    i += 5;
    if (!(eq = memchr(s + i, '=', n - i)))
        return arpa_at(r, err, "an \"ngram N=COUNT\" line without '='");
    size_t eqi = (size_t)(eq - s);
    enum parse_status st = parse_size(s + i, eqi - i, k);
    if (st != PARSE_OK)
        return ls_error_set(err, "%s:%zu: the order in \"ngram N=COUNT\": %s", r->path,
                            r->lineno, parse_status_str(st));
    st = parse_size(s + eqi + 1, n - eqi - 1, count);
    if (st != PARSE_OK)
        return ls_error_set(err, "%s:%zu: the count in \"ngram N=COUNT\": %s", r->path,
                            r->lineno, parse_status_str(st));
    return 1;
}

/* Reads \data\ and its counts; leaves the first line after them pushed back. */
static int arpa_header(struct arpa_reader *r, size_t *counts, int *order, struct ls_error *err)
{
    int rc;
    size_t k, c;

    while ((rc = arpa_line(r, err)) == 1 && !arpa_is(r, "\\data\\"))
        ;
    if (rc < 0)
        return -1;
    if (rc == 0)
        return r->lineno == 0
                   ? ls_error_set(err, "%s: the file is empty", r->path)
                   : ls_error_set(err,
                                  "%s:%zu: no \\data\\ line: not an ARPA language model",
                                  r->path, r->lineno);
    *order = 0;
    for (;;) {
        if ((rc = arpa_content(r, err)) <= 0)
            return rc < 0 ? -1 : arpa_at(r, err, "the file ends in the \\data\\ section");
        if ((rc = arpa_count_line(r, &k, &c, err)) < 0)
            return -1;
        if (rc == 0)
            break;
        if (k != (size_t)*order + 1)
            return ls_error_set(err, "%s:%zu: \"ngram %zu=\" where \"ngram %d=\" was expected",
                                r->path, r->lineno, k, *order + 1);
        if (k > LM_MAX_ORDER)
            return ls_error_set(err, "%s:%zu: order %zu is more than the %d this reader takes",
                                r->path, r->lineno, k, LM_MAX_ORDER);
        if (c > (k == 1 ? LM_MAX_WORDS - 1 : LM_MAX_NGRAMS))
            return ls_error_set(err, "%s:%zu: %zu %zu-grams are more than this reader takes",
                                r->path, r->lineno, c, k);
        counts[(*order)++] = c;
    }
    if (*order == 0)
        return arpa_at(r, err, "no \"ngram 1=COUNT\" line after \\data\\");
    if (counts[0] == 0)
        return arpa_at(r, err, "\"ngram 1=0\": a model needs at least one word");
    r->pushed_back = true;
    return 0;
}

/* A log10 value as a natural log. -1 with err when it is not a number ARPA allows. */
static int arpa_number(const struct arpa_reader *r, const struct arpa_field *f, bool prob,
                       double *out, struct ls_error *err)
{
    double x = 0;
    char q[128];
    enum parse_status st = parse_double(f->s, f->len, &x);

    if (st != PARSE_OK && st != PARSE_NEG_INF)
        return ls_error_set(err, "%s:%zu: %s \"%s\": %s", r->path, r->lineno,
                            prob ? "log10 probability" : "log10 back-off weight",
                            lm_quote(f->s, f->len, q, sizeof q), parse_status_str(st));
    if (prob && x > 0)
        x = 0;
    *out = x * M_LN10;
    return 0;
}

struct arpa_state {
    struct arpa_reader r;
    struct lm *lm;
    struct lm_ngram *ng;
    struct lm_raw raw[LM_MAX_ORDER];
    size_t counts[LM_MAX_ORDER];
};

static int arpa_unigram(struct arpa_state *a, const struct arpa_field *f, size_t nf,
                        struct ls_error *err)
{
    struct arpa_reader *r = &a->r;
    uint32_t id;
    char q[128];
    double prob, bo = 0;

    if (arpa_number(r, &f[0], true, &prob, err) < 0 ||
        (nf == 3 && arpa_number(r, &f[2], false, &bo, err) < 0))
        return -1;
    int rc = lm_vocab_add(&a->lm->vocab, f[1].s, f[1].len, &id);
    if (rc == 1)
        return ls_error_set(err, "%s:%zu: the word \"%s\" is already a 1-gram (line %zu)",
                            r->path, r->lineno, lm_quote(f[1].s, f[1].len, q, sizeof q),
                            a->raw[0].where[id]);
    id = (uint32_t)a->raw[0].n;
    if (rc < 0 || lm_raw_push(&a->raw[0], &id, prob, bo, r->lineno) < 0)
        return arpa_at(r, err, "out of memory");
    return 0;
}

static int arpa_ngram(struct arpa_state *a, int k, const struct arpa_field *f, size_t nf,
                      struct ls_error *err)
{
    struct arpa_reader *r = &a->r;
    uint32_t words[LM_MAX_ORDER];
    char q[128];
    double prob, bo = 0;

    if (arpa_number(r, &f[0], true, &prob, err) < 0 ||
        (nf == (size_t)k + 2 && arpa_number(r, &f[k + 1], false, &bo, err) < 0))
        return -1;
    for (int j = 0; j < k; j++)
        if (!lm_vocab_find(&a->lm->vocab, f[j + 1].s, f[j + 1].len, &words[j]))
            return ls_error_set(err, "%s:%zu: \"%s\" is not one of the 1-grams", r->path,
                                r->lineno, lm_quote(f[j + 1].s, f[j + 1].len, q, sizeof q));
    if (lm_raw_push(&a->raw[k - 1], words, prob, bo, r->lineno) < 0)
        return arpa_at(r, err, "out of memory");
    return 0;
}

/* The "\K-grams:" section: exactly counts[K - 1] entries. */
static int arpa_section(struct arpa_state *a, int k, int order, struct ls_error *err)
{
    struct arpa_reader *r = &a->r;
    struct arpa_field f[ARPA_MAX_FIELDS];
    char head[32], q[128];
    size_t want = a->counts[k - 1], got = 0;
    int rc;

    snprintf(head, sizeof head, "\\%d-grams:", k);
    if ((rc = arpa_content(r, err)) < 0)
        return -1;
    if (rc == 0)
        return ls_error_set(err, "%s:%zu: the file ends before the %s section", r->path,
                            r->lineno, head);
    if (!arpa_is(r, head))
        return ls_error_set(err, "%s:%zu: \"%s\" where the %s section should begin", r->path,
                            r->lineno, arpa_quote_line(r, q, sizeof q), head);
    while ((rc = arpa_content(r, err)) == 1) {
        size_t nf = arpa_fields(r->s, r->n, f, ARPA_MAX_FIELDS);
        if (f[0].len > 0 && f[0].s[0] == '\\') {
            r->pushed_back = true;
            break;
        }
        if (got == want)
            return ls_error_set(err, "%s:%zu: more %d-grams than the %zu that \\data\\ announced",
                                r->path, r->lineno, k, want);
        size_t most = (size_t)k + (k < order ? 2 : 1);
        if (nf < (size_t)k + 1 || nf > most)
            return ls_error_set(err,
                                "%s:%zu: %zu fields; a %d-gram line has a log10 probability, "
                                "%d word%s%s",
                                r->path, r->lineno, nf, k, k, k > 1 ? "s" : "",
                                k < order ? " and an optional log10 back-off weight" : "");
        if ((k == 1 ? arpa_unigram(a, f, nf, err) : arpa_ngram(a, k, f, nf, err)) < 0)
            return -1;
        got++;
    }
    if (rc < 0)
        return -1;
    if (got < want && rc == 0)
        return ls_error_set(err,
                            "%s:%zu: the file ends after %zu of the %zu %d-grams that \\data\\ "
                            "announced",
                            r->path, r->lineno, got, want, k);
    if (got < want)
        return ls_error_set(err, "%s:%zu: the %d-grams end after %zu of the %zu that \\data\\ "
                            "announced",
                            r->path, r->lineno, k, got, want);
    return 0;
}

static int arpa_read(struct arpa_state *a, struct ls_error *err)
{
    struct arpa_reader *r = &a->r;
    struct lm_raw_dup dup;
    int order = 0, rc;
    char q[256];

    if (arpa_header(r, a->counts, &order, err) < 0)
        return -1;
    a->lm->order = a->ng->order = order;
    for (int k = 1; k <= order; k++) {
        a->raw[k - 1].k = k;
        if (arpa_section(a, k, order, err) < 0)
            return -1;
    }
    if ((rc = arpa_content(r, err)) < 0)
        return -1;
    if (rc == 0)
        return arpa_at(r, err, "the file ends without \\end\\");
    if (!arpa_is(r, "\\end\\"))
        return ls_error_set(err, "%s:%zu: \"%s\" where \\end\\ should be", r->path, r->lineno,
                            arpa_quote_line(r, q, sizeof q));
    struct lm_level *u = &a->ng->level[0];
    u->n = a->ng->n_words = a->counts[0];
    u->prob = a->raw[0].prob; /* the 1-grams are already in id order */
    u->bo = a->raw[0].bo;
    a->raw[0].prob = a->raw[0].bo = NULL;
    rc = lm_ngram_build(a->ng, a->raw, &dup);
    if (rc < 0)
        return ls_error_set(err, "%s: out of memory", r->path);
    if (rc == 1) {
        size_t o = 0;
        for (int j = 0; j < dup.k && o + 1 < sizeof q; j++) {
            size_t len;
            const char *w = lm_word(a->lm, dup.words[j], &len);
            if (j)
                q[o++] = ' ';
            lm_quote(w, len, q + o, sizeof q - o);
            o += strlen(q + o);
        }
        return ls_error_set(err, "%s:%zu: the %d-gram \"%s\" is listed twice (first at line %zu)",
                            r->path, dup.second, dup.k, q, dup.first);
    }
    return 0;
}

int lm_arpa_load(struct lm **out, const char *path, struct ls_error *err)
{
    struct arpa_state a;
    int rc = -1;

    memset(&a, 0, sizeof a);
    *out = NULL;
    a.r.path = path;
    a.lm = lm_new(&lm_ngram_ops_arpa);
    a.ng = calloc(1, sizeof *a.ng);
    a.r.buf = malloc(ARPA_CHUNK);
    if (!a.lm || !a.ng || !a.r.buf) {
        ls_error_set(err, "%s: out of memory", path);
        goto out;
    }
    a.lm->impl = a.ng;
    if (!(a.r.gz = gzopen(path, "rb"))) {
        ls_error_set(err, "%s: cannot open: %s", path, strerror(errno ? errno : ENOMEM));
        goto out;
    }
    gzbuffer(a.r.gz, 1 << 17);
    rc = arpa_read(&a, err);
out:
    for (int k = 0; k < LM_MAX_ORDER; k++)
        lm_raw_free(&a.raw[k]);
    if (a.r.gz)
        gzclose(a.r.gz);
    free(a.r.buf);
    free(a.r.line);
    if (rc < 0) {
        if (!a.lm || !a.lm->impl)
            free(a.ng); /* still empty */
        lm_free(a.lm);
        return -1;
    }
    lm_finish(a.lm);
    *out = a.lm;
    return 0;
}
