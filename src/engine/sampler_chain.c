/* sampler_chain.c: what is done with a chain: its names read and written, the order of
 * its stages checked, a stage moved, inserted or removed. */
#include <stdio.h>
#include <string.h>

#include "logitscope/sampler.h"
#include "sampler_internal.h"

bool chain_equal(const struct chain *a, const struct chain *b)
{
    return a->n == b->n && memcmp(a->stage, b->stage, a->n) == 0;
}

int chain_index(const struct chain *c, enum sampler_id s)
{
    for (int i = 0; i < c->n; i++)
        if (c->stage[i] == s)
            return i;
    return -1;
}

bool chain_has(const struct chain *c, enum sampler_id s)
{
    return chain_index(c, s) >= 0;
}

size_t chain_format(const struct chain *c, const char *sep, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (int i = 0; i < c->n; i++) {
        int w = snprintf(buf + (len < cap ? len : cap), len < cap ? cap - len : 0, "%s%s",
                         i ? sep : "", sampler_table[c->stage[i]].name);
        len += w > 0 ? (size_t)w : 0;
    }
    return len;
}

static int chain_add(struct chain *c, enum sampler_id s, const char *shown, size_t len,
                     struct ls_error *err)
{
    if (chain_has(c, s))
        return ls_error_set(err, "sampler %.*s appears twice in the chain (each at most once)",
                            (int)len, shown);
    c->stage[c->n++] = (unsigned char)s;
    return 0;
}

/* A name for a message: printable ASCII only, at most 40 bytes. */
static const char *chain_shown(const char *s, size_t len, char *buf, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap && i < 40; i++)
        buf[n++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
    buf[n] = '\0';
    return buf;
}

int chain_parse_names(const char *s, struct chain *out, struct ls_error *err)
{
    struct chain c = {0};
    const char *p = s;
    for (;;) {
        size_t len = strcspn(p, ";,");
        char shown[48];
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len) {
            int id = sampler_find(p, len);
            if (id < 0)
                return ls_error_set(err, "unknown sampler \"%s\" (samplers: temperature, "
                                         "top_k, top_p, min_p, typ_p, top_n_sigma, xtc, "
                                         "epsilon, eta, top_a, penalties, dry, mirostat)",
                                    chain_shown(p, len, shown, sizeof shown));
            if (chain_add(&c, (enum sampler_id)id, chain_shown(p, len, shown, sizeof shown),
                          strlen(shown), err))
                return -1;
        }
        p += strcspn(p, ";,");
        if (!*p)
            break;
        p++;
    }
    if (c.n == 0)
        return ls_error_set(err, "the chain is empty: name at least one sampler");
    if (chain_check(&c, err))
        return -1;
    *out = c;
    return 0;
}

int chain_parse_letters(const char *s, struct chain *out, struct ls_error *err)
{
    struct chain c = {0};
    for (const char *p = s; *p; p++) {
        int id = -1;
        for (int i = 0; i < SAMPLER_COUNT; i++)
            if (sampler_table[i].letter && sampler_table[i].letter == *p)
                id = i;
        char shown[8];
        if (id < 0)
            return ls_error_set(err, "unknown sampler letter '%s' (llama.cpp's letters: e "
                                     "penalties, d dry, k top_k, p top_p, m min_p, y typ_p, s "
                                     "top_n_sigma, x xtc, t temperature)",
                                chain_shown(p, 1, shown, sizeof shown));
        if (chain_add(&c, (enum sampler_id)id, chain_shown(p, 1, shown, sizeof shown), 1, err))
            return -1;
    }
    if (c.n == 0)
        return ls_error_set(err, "the chain is empty: give at least one letter");
    if (chain_check(&c, err))
        return -1;
    *out = c;
    return 0;
}

bool sampler_changes_logits(enum sampler_id s)
{
    return s == SAMPLER_PENALTIES || s == SAMPLER_DRY;
}

/* What may come before a sampler that changes logits: temperature only rescales, and the
 * other one changes logits too. */
static bool chain_keeps_all(enum sampler_id s)
{
    return s == SAMPLER_TEMPERATURE || sampler_changes_logits(s);
}

int chain_check(const struct chain *c, struct ls_error *err)
{
    int first_cut = -1;
    for (int i = 0; i < c->n; i++) {
        enum sampler_id s = (enum sampler_id)c->stage[i];
        if (first_cut < 0 && !chain_keeps_all(s))
            first_cut = i;
        if (first_cut < 0 || !sampler_changes_logits(s))
            continue;
        /* the fix: every such sampler moved to just before the first one that cuts */
        struct chain fixed = {0};
        for (int j = 0; j < first_cut; j++)
            fixed.stage[fixed.n++] = c->stage[j];
        for (int j = first_cut; j < c->n; j++)
            if (sampler_changes_logits((enum sampler_id)c->stage[j]))
                fixed.stage[fixed.n++] = c->stage[j];
        for (int j = first_cut; j < c->n; j++)
            if (!sampler_changes_logits((enum sampler_id)c->stage[j]))
                fixed.stage[fixed.n++] = c->stage[j];
        char want[200];
        chain_format(&fixed, ";", want, sizeof want);
        return ls_error_set(err, "%s changes logits, so it must come before every sampler that "
                                 "cuts (%s here; only temperature may precede it): e.g. \"%s\"",
                            sampler_table[s].name, sampler_table[c->stage[first_cut]].name, want);
    }
    return 0;
}

int chain_move(struct chain *c, int i, int delta)
{
    if (i < 0 || i >= c->n)
        return i;
    int j = i + delta;
    j = j < 0 ? 0 : j >= c->n ? c->n - 1 : j;
    unsigned char s = c->stage[i];
    if (j > i)
        memmove(c->stage + i, c->stage + i + 1, (size_t)(j - i));
    else if (j < i)
        memmove(c->stage + j + 1, c->stage + j, (size_t)(i - j));
    c->stage[j] = s;
    return j;
}

void chain_remove(struct chain *c, int i)
{
    if (i < 0 || i >= c->n)
        return;
    memmove(c->stage + i, c->stage + i + 1, (size_t)(c->n - i - 1));
    c->n--;
}

bool chain_insert(struct chain *c, int i, enum sampler_id s)
{
    if ((unsigned)s >= SAMPLER_COUNT || chain_has(c, s))
        return false;
    i = i < 0 ? 0 : i > c->n ? c->n : i;
    memmove(c->stage + i + 1, c->stage + i, (size_t)(c->n - i));
    c->stage[i] = (unsigned char)s;
    c->n++;
    return true;
}
