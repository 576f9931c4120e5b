/* lm.c: the language-model interface: loading by content, the vocabulary and its lookups,
 * and the rules every backend shares (<s> and <unk> are never candidates). What a backend
 * computes lives behind lm->ops. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lm_internal.h"
#include "logitscope/text.h"

#define LM_SNIFF 32

static uint64_t lm_hash(const char *w, size_t len)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)w[i];
        h *= 1099511628211u;
    }
    return h ^ (h >> 29);
}

static const char *lm_vocab_word(const struct lm_vocab *v, uint32_t id, size_t *len)
{
    *len = v->off[id + 1] - v->off[id] - 1; /* each word ends in a NUL */
    return v->text + v->off[id];
}

static bool lm_vocab_slot(const struct lm_vocab *v, const char *w, size_t len, size_t *at)
{
    size_t i = (size_t)lm_hash(w, len) & v->mask;

    for (;; i = (i + 1) & v->mask) {
        uint32_t s = v->slot[i];
        size_t l;
        if (!s) {
            *at = i;
            return false;
        }
        const char *x = lm_vocab_word(v, s - 1, &l);
        if (l == len && memcmp(x, w, len) == 0) {
            *at = i;
            return true;
        }
    }
}

static int lm_vocab_rehash(struct lm_vocab *v, size_t slots)
{
    uint32_t *old = v->slot;
    size_t old_n = v->mask + 1;

    if (!(v->slot = calloc(slots, sizeof *v->slot))) {
        v->slot = old;
        return -1;
    }
    v->mask = slots - 1;
    for (size_t i = 0; old && i < old_n; i++) {
        size_t at, len;
        if (!old[i])
            continue;
        const char *w = lm_vocab_word(v, old[i] - 1, &len);
        lm_vocab_slot(v, w, len, &at);
        v->slot[at] = old[i];
    }
    free(old);
    return 0;
}

static int lm_grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap ? *cap : 256;
    void *q;

    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    if (c > SIZE_MAX / size || !(q = realloc(*p, c * size)))
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

int lm_vocab_add(struct lm_vocab *v, const char *w, size_t len, uint32_t *dup)
{
    size_t at;

    if (v->n >= LM_MAX_WORDS || len >= UINT32_MAX - v->text_len)
        return -1;
    if (!v->slot && lm_vocab_rehash(v, 1024) < 0)
        return -1;
    if (lm_vocab_slot(v, w, len, &at)) {
        *dup = v->slot[at] - 1;
        return 1;
    }
    if (lm_grow((void **)&v->text, &v->text_cap, v->text_len + len + 1, 1) < 0 ||
        lm_grow((void **)&v->off, &v->off_cap, v->n + 2, sizeof *v->off) < 0)
        return -1;
    v->off[v->n] = (uint32_t)v->text_len;
    memcpy(v->text + v->text_len, w, len);
    v->text[v->text_len + len] = '\0';
    v->text_len += len + 1;
    v->off[v->n + 1] = (uint32_t)v->text_len;
    v->slot[at] = (uint32_t)++v->n;
    if (v->n * 2 > v->mask + 1 && lm_vocab_rehash(v, (v->mask + 1) * 2) < 0)
        return -1;
    return 0;
}

bool lm_vocab_find(const struct lm_vocab *v, const char *w, size_t len, uint32_t *id)
{
    size_t at;

    if (!v->slot || !lm_vocab_slot(v, w, len, &at))
        return false;
    *id = v->slot[at] - 1;
    return true;
}

void lm_vocab_free(struct lm_vocab *v)
{
    free(v->text);
    free(v->off);
    free(v->slot);
    memset(v, 0, sizeof *v);
}

struct lm *lm_new(const struct lm_ops *ops)
{
    struct lm *lm = calloc(1, sizeof *lm);

    if (lm)
        lm->ops = ops;
    return lm;
}

static uint32_t lm_special(const struct lm *lm, const char *a, const char *b)
{
    uint32_t id;

    if (lm_vocab_find(&lm->vocab, a, strlen(a), &id))
        return id;
    if (b && lm_vocab_find(&lm->vocab, b, strlen(b), &id))
        return id;
    return LM_NO_WORD;
}

void lm_finish(struct lm *lm)
{
    lm->bos = lm_special(lm, "<s>", NULL);
    lm->eos = lm_special(lm, "</s>", NULL);
    /* sphinxbase spells it <UNK>; KenLM, SRILM and IRSTLM write <unk>. */
    lm->unk = lm_special(lm, "<unk>", "<UNK>");
}

const char *lm_quote(const char *w, size_t len, char *buf, size_t cap)
{
    size_t n = text_escape(w, len > 60 ? 60 : len, 0, buf, cap > 4 ? cap - 3 : cap);

    if (len > 60 && cap > 4)
        memcpy(buf + n, "...", 4);
    return buf;
}

const char *lm_gz_error(void *gz, const char *path)
{
    int code;
    const char *why = gzerror((gzFile)gz, &code);
    size_t n = strlen(path);

    if (code == Z_OK || code == Z_STREAM_END)
        return NULL;
    if (code == Z_ERRNO)
        return strerror(errno ? errno : EIO);
    if (strncmp(why, path, n) == 0 && strncmp(why + n, ": ", 2) == 0)
        why += n + 2;
    return why;
}

/* The first bytes of the file, through gzip when it is compressed. -1 with err on failure. */
static int lm_sniff(const char *path, unsigned char *head, size_t *got, bool *gz,
                    struct ls_error *err)
{
    FILE *f = fopen(path, "rb");

    if (!f)
        return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    errno = 0;
    *got = fread(head, 1, LM_SNIFF, f);
    int bad = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (bad)
        return ls_error_set(err, "%s: cannot read: %s", path, strerror(bad));
    *gz = *got >= 2 && head[0] == 0x1f && head[1] == 0x8b;
    if (!*gz)
        return 0;
    gzFile g = gzopen(path, "rb");
    if (!g)
        return ls_error_set(err, "%s: cannot open: %s", path, strerror(errno ? errno : EIO));
    int n = gzread(g, head, LM_SNIFF);
    const char *why = lm_gz_error(g, path);
    if (n < 0 || (n < LM_SNIFF && why)) {
        ls_error_set(err, "%s: corrupt gzip data: %s", path, why ? why : "unknown error");
        gzclose(g);
        return -1;
    }
    gzclose(g);
    *got = (size_t)n;
    return 0;
}

int lm_load(struct lm **out, const char *path, struct ls_error *err)
{
    unsigned char head[LM_SNIFF];
    size_t got = 0;
    bool gz = false;
    static const char trie_magic[] = "Trie Language Model";
    static const char dmp_magic[] = "Darpa Trigram LM";

    *out = NULL;
    if (lm_sniff(path, head, &got, &gz, err) < 0)
        return -1;
    if (got >= sizeof trie_magic - 1 && memcmp(head, trie_magic, sizeof trie_magic - 1) == 0)
        return lm_trie_load(out, path, gz, err);
    if (got >= 4 + sizeof dmp_magic - 1 && head[0] == sizeof dmp_magic && !head[1] && !head[2] && !head[3] &&
        memcmp(head + 4, dmp_magic, sizeof dmp_magic - 1) == 0)
        return ls_error_set(err,
                            "%s: offset 0: a Sphinx DMP model, which logitscope does not read; "
                            "convert it with sphinx_lm_convert to ARPA or the binary trie",
                            path);
    return lm_arpa_load(out, path, err);
}

void lm_free(struct lm *lm)
{
    if (!lm)
        return;
    if (lm->ops && lm->ops->free_impl)
        lm->ops->free_impl(lm->impl);
    lm_vocab_free(&lm->vocab);
    free(lm);
}

const char *lm_format(const struct lm *lm)
{
    return lm->ops->format;
}

size_t lm_size(const struct lm *lm)
{
    return lm->vocab.n;
}

int lm_order(const struct lm *lm)
{
    return lm->order;
}

const char *lm_word(const struct lm *lm, uint32_t id, size_t *len)
{
    size_t l;

    if (id >= lm->vocab.n)
        return NULL;
    const char *w = lm->vocab.text + lm->vocab.off[id];
    l = lm->vocab.off[id + 1] - lm->vocab.off[id] - 1;
    if (len)
        *len = l;
    return w;
}

bool lm_find(const struct lm *lm, const char *w, size_t len, uint32_t *id)
{
    return lm_vocab_find(&lm->vocab, w, len, id);
}

/* The lowercase of a capital in the scripts a typed prompt is likely to use; every pair
 * here keeps its UTF-8 length, so a word never grows. 0: not a capital. */
static uint32_t lm_lower_cp(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xc0 && c <= 0xde && c != 0xd7)
        return c + 0x20;
    if ((c >= 0x100 && c <= 0x12f) || (c >= 0x132 && c <= 0x137) ||
        (c >= 0x14a && c <= 0x177))
        return c % 2 == 0 ? c + 1 : 0;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
        return c % 2 == 1 ? c + 1 : 0;
    if (c == 0x178)
        return 0xff;
    if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2)
        return c + 0x20;
    if (c == 0x386)
        return 0x3ac;
    if (c >= 0x388 && c <= 0x38a)
        return c + 0x25;
    if (c == 0x38c)
        return 0x3cc;
    if (c == 0x38e || c == 0x38f)
        return c + 0x3f;
    if (c >= 0x400 && c <= 0x40f)
        return c + 0x50;
    if (c >= 0x410 && c <= 0x42f)
        return c + 0x20;
    return 0;
}

/* Lowercases s[0..len) into out (room for len bytes); returns whether anything changed.
 * Bytes that are not two-byte UTF-8 sequences or ASCII capitals are copied as they are. */
static bool lm_lowercase(const char *s, size_t len, char *out)
{
    bool changed = false;

    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            uint32_t l = lm_lower_cp(b);
            out[i++] = (char)(l ? l : b);
            changed |= l != 0;
            continue;
        }
        if (b >= 0xc2 && b <= 0xdf && i + 1 < len && ((unsigned char)s[i + 1] & 0xc0) == 0x80) {
            uint32_t c = ((uint32_t)(b & 0x1f) << 6) | ((unsigned char)s[i + 1] & 0x3f);
            uint32_t l = lm_lower_cp(c);
            if (l) {
                out[i] = (char)(0xc0 | (l >> 6));
                out[i + 1] = (char)(0x80 | (l & 0x3f));
                changed = true;
            } else {
                out[i] = s[i];
                out[i + 1] = s[i + 1];
            }
            i += 2;
            continue;
        }
        out[i] = s[i];
        i++;
    }
    return changed;
}

bool lm_lookup_word(const struct lm *lm, const char *w, size_t len, uint32_t *id)
{
    char small[256], *low = small;
    bool found = false;

    if (lm_find(lm, w, len, id))
        return true;
    if (len > sizeof small && !(low = malloc(len)))
        return false;
    if (lm_lowercase(w, len, low))
        found = lm_find(lm, low, len, id);
    if (low != small)
        free(low);
    return found;
}

uint32_t lm_bos(const struct lm *lm)
{
    return lm->bos;
}

uint32_t lm_eos(const struct lm *lm)
{
    return lm->eos;
}

uint32_t lm_unk(const struct lm *lm)
{
    return lm->unk;
}

void lm_next(const struct lm *lm, const uint32_t *ctx, size_t n, double *logp)
{
    lm->ops->next(lm, ctx, n, logp);
    if (lm->bos != LM_NO_WORD)
        logp[lm->bos] = -INFINITY;
    if (lm->unk != LM_NO_WORD)
        logp[lm->unk] = -INFINITY;
}
