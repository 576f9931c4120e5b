/* seq.c: real model output opened as a sequence of positions: reading the bytes (a file
 * mapped, standard input read whole), telling the format by its content, handing out each
 * position's vocabulary. The formats themselves live in seq_json.c and seq_npy.c. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "npy.h"
#include "seq_internal.h"

#define SEQ_DETECT_HEAD ((size_t)1 << 16)
#define SEQ_READ_CHUNK ((size_t)1 << 16)

static bool seq_is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool seq_has_prefix(const unsigned char *d, size_t len, const char *word)
{
    size_t n = strlen(word);

    return len >= n && memcmp(d, word, n) == 0;
}

enum sse_line seq_sse_line(const char *s, size_t n, size_t *payload)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0 || s[0] == ':' || seq_has_prefix(u, n, "event:") || seq_has_prefix(u, n, "id:") ||
        seq_has_prefix(u, n, "retry:"))
        return SSE_SKIP;
    if (!seq_has_prefix(u, n, "data:"))
        return SSE_OTHER;
    size_t j = 5;
    while (j < n && (s[j] == ' ' || s[j] == '\t'))
        j++;
    *payload = j;
    return SSE_DATA;
}

/* Server-sent events: before the first data: line only blank lines, ':' comments and the
 * other fields (event:, id:, retry:) may come; the data must then be JSON or [DONE]. */
static bool seq_looks_sse(const unsigned char *d, size_t len)
{
    size_t i = 0;

    while (i < len) {
        const unsigned char *nl = memchr(d + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - d) : len, n = end - i, j = 0;
        const unsigned char *line = d + i;

        if (n > 0 && line[n - 1] == '\r')
            n--;
        switch (seq_sse_line((const char *)line, n, &j)) {
        case SSE_DATA: return (j < n && line[j] == '{') || seq_has_prefix(line + j, n - j, "[DONE]");
        case SSE_OTHER: return false;
        case SSE_SKIP: break;
        }
        i = end + 1;
    }
    return false;
}

enum seq_kind seq_kind_of(const unsigned char *d, size_t len)
{
    size_t bom = seq_has_prefix(d, len, "\xef\xbb\xbf") ? 3 : 0, i = bom;

    if (seq_has_prefix(d, len, "\x93NUMPY"))
        return SEQ_KIND_NPY;
    while (i < len && seq_is_space(d[i]))
        i++;
    if (i < len && d[i] == '{') {
        /* an object with a key: a TSV token "{" is followed by a tab and a number */
        for (i++; i < len && seq_is_space(d[i]); i++)
            ;
        return i < len && d[i] == '"' ? SEQ_KIND_JSON : SEQ_KIND_OTHER;
    }
    return seq_looks_sse(d + bom, len - bom) ? SEQ_KIND_SSE : SEQ_KIND_OTHER;
}

bool seq_detect(const void *head, size_t len)
{
    const unsigned char *d = head;
    struct npy_header h;

    switch (len ? seq_kind_of(d, len) : SEQ_KIND_OTHER) {
    case SEQ_KIND_JSON:
    case SEQ_KIND_SSE:
        return true;
    case SEQ_KIND_NPY:
        return npy_header_parse("", d, len, &h, NULL) == 0 && h.rank == 2;
    case SEQ_KIND_OTHER:
        break;
    }
    return false;
}

int seq_detect_path(const char *path, bool *is_seq, struct ls_error *err)
{
    unsigned char *head = malloc(SEQ_DETECT_HEAD);
    FILE *f;
    size_t got;

    if (!head)
        return ls_error_set(err, "%s: out of memory", path);
    if (!(f = fopen(path, "rb"))) {
        free(head);
        return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    }
    errno = 0;
    got = fread(head, 1, SEQ_DETECT_HEAD, f);
    if (ferror(f)) {
        int e = errno ? errno : EIO;
        fclose(f);
        free(head);
        return ls_error_set(err, "%s: cannot read: %s", path, strerror(e));
    }
    fclose(f);
    *is_seq = seq_detect(head, got);
    free(head);
    return 0;
}

int seq_read_stream(FILE *f, const char *name, unsigned char **data, size_t *size,
                    struct ls_error *err)
{
    unsigned char *buf = NULL, *nb;
    size_t len = 0, cap = 0, got;

    do {
        if (cap - len < SEQ_READ_CHUNK + 1) {
            size_t ncap = cap ? cap * 2 : 4 * SEQ_READ_CHUNK;
            if (ncap < cap || !(nb = realloc(buf, ncap))) {
                free(buf);
                return ls_error_set(err, "%s: out of memory after %zu bytes", name, len);
            }
            buf = nb;
            cap = ncap;
        }
        errno = 0;
        got = fread(buf + len, 1, SEQ_READ_CHUNK, f);
        len += got;
    } while (got == SEQ_READ_CHUNK);
    if (ferror(f)) {
        int e = errno ? errno : EIO;
        free(buf);
        return ls_error_set(err, "%s: cannot read: %s", name, strerror(e));
    }
    buf[len] = '\0';
    *data = buf;
    *size = len;
    return 0;
}

void seq_release(unsigned char *data, size_t size, bool mapped)
{
    if (mapped)
        munmap(data, size);
    else
        free(data);
}

/* Options that only one family understands. */
static int seq_check_opts(const char *name, enum seq_kind kind, const struct seq_opts *o,
                          struct ls_error *err)
{
    if (kind == SEQ_KIND_NPY)
        return o->choice == 0 ? 0
                              : ls_error_set(err, "%s: a .npy holds one sequence; there is "
                                                  "no choice %zu", name, o->choice);
    if (o->vocab_path)
        return ls_error_set(err, "%s: a token list only goes with a .npy of logits; %s "
                                 "names its own tokens", o->vocab_path, name);
    if (o->tokens_path)
        return ls_error_set(err, "%s: chosen token ids only go with a .npy of logits; %s "
                                 "names its own chosen tokens", o->tokens_path, name);
    return 0;
}

/* Loads from a buffer obtained either way; always disposes of it. */
static int seq_load_image(struct seq *s, const char *name, unsigned char *data, size_t size,
                          bool mapped, const struct seq_opts *o, struct ls_error *err)
{
    static const struct seq_opts defaults = {0};
    enum seq_kind kind = size ? seq_kind_of(data, size) : SEQ_KIND_OTHER;
    int rc;

    memset(s, 0, sizeof *s);
    o = o ? o : &defaults;
    if (size == 0 || kind == SEQ_KIND_OTHER || seq_check_opts(name, kind, o, err) < 0) {
        seq_release(data, size, mapped);
        if (size == 0)
            return ls_error_set(err, "%s: the file is empty", name);
        if (kind == SEQ_KIND_OTHER)
            return ls_error_set(err, "%s: not a sequence (expected a JSON response with "
                                     "log-probabilities, server-sent events or a 2-D .npy)",
                                name);
        return -1;
    }
    if (!(s->source = strdup(name))) {
        seq_release(data, size, mapped);
        return ls_error_set(err, "%s: out of memory", name);
    }
    if (kind == SEQ_KIND_NPY) {
        rc = seq_npy_load(s, data, size, mapped, o, err);
    } else {
        rc = seq_json_load(s, data, size, kind == SEQ_KIND_SSE, o, err);
        seq_release(data, size, mapped);
    }
    if (rc < 0) {
        free(s->source);
        s->source = NULL;
        return -1;
    }
    return 0;
}

int seq_load_memory(struct seq *s, const char *name, unsigned char *data, size_t size,
                    const struct seq_opts *o, struct ls_error *err)
{
    return seq_load_image(s, name, data, size, false, o, err);
}

int seq_load(struct seq *s, const char *path, const struct seq_opts *o, struct ls_error *err)
{
    unsigned char *data;
    struct stat st;
    size_t size;
    FILE *f;
    int fd, rc;

    memset(s, 0, sizeof *s);
    if (!path)
        return ls_error_set(err, "no sequence file given");
    if (strcmp(path, "-") == 0) {
        if (seq_read_stream(stdin, "<stdin>", &data, &size, err) < 0)
            return -1;
        return seq_load_image(s, "<stdin>", data, size, false, o, err);
    }
    if ((fd = open(path, O_RDONLY)) < 0)
        return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uintmax_t)st.st_size <= SIZE_MAX) {
        size = (size_t)st.st_size;
        data = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (data == MAP_FAILED)
            return ls_error_set(err, "%s: cannot map: %s", path, strerror(errno));
        return seq_load_image(s, path, data, size, true, o, err);
    }
    /* a pipe, a device or an empty file: read it */
    if (!(f = fdopen(fd, "rb"))) {
        close(fd);
        return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    }
    rc = seq_read_stream(f, path, &data, &size, err);
    fclose(f);
    return rc < 0 ? -1 : seq_load_image(s, path, data, size, false, o, err);
}

void seq_discard(struct seq *s)
{
    char *source = s->source;
    s->source = NULL;
    seq_free(s);
    s->source = source;
}

void seq_free(struct seq *s)
{
    struct seq_data *d;

    if (!s)
        return;
    if ((d = s->data)) {
        free(d->logits);
        free(d->tok_text);
        free(d->tok_off);
        free(d->tok_len);
        free(d->first);
        free(d->order);
        free(d->sorted);
        free(d->moments);
        free(d->vocabs);
        free(d->chosen_sym);
        free(d->cand_sym);
        free(d->sym_index);
        seq_npy_free(d);
        free(d);
    }
    free(s->source);
    free(s->text);
    free(s->pos);
    memset(s, 0, sizeof *s);
}

const struct vocab *seq_vocab(struct seq *s, size_t i, struct ls_error *err)
{
    if (!s->data || i >= s->n) {
        ls_error_set(err, "%s: no position %zu (it has %zu)", s->source ? s->source : "?",
                     i + 1, s->n);
        return NULL;
    }
    if (s->format == SEQ_NPY)
        return seq_npy_vocab(s, i, err);
    return &s->data->vocabs[i];
}

const char *seq_format_name(enum seq_format f)
{
    switch (f) {
    case SEQ_OPENAI_CHAT: return "OpenAI chat";
    case SEQ_OPENAI_LEGACY: return "OpenAI completions (legacy)";
    case SEQ_LLAMACPP: return "llama.cpp /completion";
    case SEQ_LLAMACPP_POST: return "llama.cpp /completion (post-sampling)";
    case SEQ_LLAMACPP_OLD: return "llama.cpp /completion (old probs)";
    case SEQ_OLLAMA: return "Ollama";
    case SEQ_NPY: return "NumPy logits";
    }
    return "?";
}

const char *seq_values_name(enum seq_values v)
{
    switch (v) {
    case SEQ_LOGPROBS: return "log-probabilities";
    case SEQ_PROBS: return "probabilities";
    case SEQ_LOGITS: return "logits";
    }
    return "?";
}

/* FNV-1a: the texts' hash for seq_syms. */
static uint64_t seq_hash(const char *t, size_t len)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)t[i]) * 1099511628211u;
    return h;
}

/* Numbers the distinct chosen texts of a JSON sequence, and marks each candidate with its
 * text's number, so that a position's history is found in O(positions) instead of one
 * search of the vocabulary per earlier token. false without memory (seq_history then
 * searches). */
static bool seq_syms(const struct seq *s)
{
    struct seq_data *d = s->data;
    if (d->syms_tried)
        return d->sym_index != NULL;
    d->syms_tried = true;
    size_t cap = 16, total = d->first[s->n];
    while (cap < 2 * s->n)
        cap *= 2;
    uint32_t *slot = malloc(cap * sizeof *slot); /* a position whose text is that number's */
    d->chosen_sym = malloc(s->n * sizeof *d->chosen_sym);
    d->cand_sym = malloc((total ? total : 1) * sizeof *d->cand_sym);
    d->sym_index = malloc(s->n * sizeof *d->sym_index);
    if (!slot || !d->chosen_sym || !d->cand_sym || !d->sym_index) {
        free(slot);
        free(d->chosen_sym);
        free(d->cand_sym);
        free(d->sym_index);
        d->chosen_sym = d->cand_sym = d->sym_index = NULL;
        return false;
    }
    uint32_t *first_of = d->sym_index; /* during the build: the position that named each */
    size_t n_sym = 0;
    for (size_t h = 0; h < cap; h++)
        slot[h] = SEQ_NO_SYM;
    for (size_t k = 0; k < s->n; k++) {
        const char *t = s->text + s->pos[k].text_off;
        size_t len = s->pos[k].text_len, h = seq_hash(t, len) & (cap - 1);
        for (;; h = (h + 1) & (cap - 1)) {
            uint32_t sym = slot[h];
            if (sym == SEQ_NO_SYM) {
                slot[h] = (uint32_t)n_sym;
                first_of[n_sym] = (uint32_t)k;
                d->chosen_sym[k] = (uint32_t)n_sym++;
                break;
            }
            const struct seq_pos *q = &s->pos[first_of[sym]];
            if (q->text_len == len && memcmp(s->text + q->text_off, t, len) == 0) {
                d->chosen_sym[k] = sym;
                break;
            }
        }
    }
    for (size_t c = 0; c < total; c++) {
        const char *t = d->tok_text + d->tok_off[c];
        size_t len = d->tok_len[c], h = seq_hash(t, len) & (cap - 1);
        d->cand_sym[c] = SEQ_NO_SYM;
        for (; slot[h] != SEQ_NO_SYM; h = (h + 1) & (cap - 1)) {
            const struct seq_pos *q = &s->pos[first_of[slot[h]]];
            if (q->text_len == len && memcmp(s->text + q->text_off, t, len) == 0) {
                d->cand_sym[c] = slot[h];
                break;
            }
        }
    }
    free(slot);
    for (size_t k = 0; k < s->n; k++)
        d->sym_index[k] = SEQ_NO_SYM;
    return true;
}

struct history seq_history(const struct seq *s, size_t i, const struct vocab *v,
                           uint32_t *tokens, const char **text, size_t *len)
{
    size_t n = i < s->n ? i : s->n;
    const struct seq_data *d = s->data;
    bool fast = s->format != SEQ_NPY && i < s->n && v == &d->vocabs[i] && seq_syms(s);
    size_t base = fast ? d->first[i] : 0, m = fast ? d->first[i + 1] - base : 0;
    for (size_t c = 0; c < m; c++) { /* the first candidate of each text, as history_find */
        uint32_t sym = d->cand_sym[base + c];
        if (sym != SEQ_NO_SYM && d->sym_index[sym] == SEQ_NO_SYM)
            d->sym_index[sym] = (uint32_t)c;
    }
    for (size_t k = 0; k < n; k++) {
        const struct seq_pos *p = &s->pos[k];
        text[k] = s->text + p->text_off;
        len[k] = p->text_len;
        if (s->format == SEQ_NPY)
            tokens[k] = p->chosen < v->n ? (uint32_t)p->chosen : HISTORY_ABSENT;
        else if (fast)
            tokens[k] = d->sym_index[d->chosen_sym[k]] == SEQ_NO_SYM
                            ? HISTORY_ABSENT
                            : d->sym_index[d->chosen_sym[k]];
        else
            tokens[k] = history_find(v, text[k], len[k]);
    }
    for (size_t c = 0; c < m; c++)
        if (d->cand_sym[base + c] != SEQ_NO_SYM)
            d->sym_index[d->cand_sym[base + c]] = SEQ_NO_SYM;
    return (struct history){tokens, n, text, len, NAN};
}
