/* model_prompt.c: the line typed on the status line and what Enter does with it: a value for
 * the focused slider (read as the command line reads it), a token's text to find, or a
 * language model's prompt. */
#include "model.h"
#include "model_internal.h"

#include "keys.h"

#include <string.h>

unsigned model_prompt_open(struct model *m, int kind)
{
    if (kind != PROMPT_VALUE && kind != PROMPT_FIND && kind != PROMPT_TEXT)
        return MODEL_CHANGED_NONE;
    if ((kind == PROMPT_VALUE && m->n_sliders == 0) || (kind == PROMPT_TEXT && !model_is_lm(m)))
        return MODEL_CHANGED_NONE;
    m->prompt = (struct model_prompt){(enum action_prompt)kind, model_focus_param(m), "", 0};
    if (kind == PROMPT_TEXT) /* the prompt as it is, to edit */
        model_lm_prompt_fill(m);
    return MODEL_CHANGED_VIEW;
}

/* Ctrl-U: everything typed goes. */
unsigned model_prompt_clear(struct model *m)
{
    if (m->prompt.len == 0)
        return MODEL_CHANGED_NONE;
    m->prompt.len = 0;
    m->prompt.text[0] = '\0';
    return MODEL_CHANGED_VIEW;
}

/* A typed character, as UTF-8; a control character or a full line is ignored. */
unsigned model_prompt_char(struct model *m, int c)
{
    struct model_prompt *p = &m->prompt;
    char u[4];
    if (!key_is_char(c))
        return MODEL_CHANGED_NONE;
    size_t n = key_utf8(c, u);
    if (p->len + n >= sizeof p->text)
        return MODEL_CHANGED_NONE;
    memcpy(p->text + p->len, u, n);
    p->len += n;
    p->text[p->len] = '\0';
    return MODEL_CHANGED_VIEW;
}

unsigned model_prompt_erase(struct model *m)
{
    struct model_prompt *p = &m->prompt;
    if (p->len == 0)
        return MODEL_CHANGED_NONE;
    do /* a whole UTF-8 character */
        p->len--;
    while (p->len > 0 && ((unsigned char)p->text[p->len] & 0xc0) == 0x80);
    p->text[p->len] = '\0';
    return MODEL_CHANGED_VIEW;
}

/* Enter on a value: read and checked as the command line reads it (the same words when it
 * is wrong, and the old value stays); a temperature past the slider is refused as -t is, a
 * top-k past V is V (the same tokens); any other value is set exactly, on the grid or not. */
static unsigned model_prompt_value(struct model *m, const char *text, size_t len)
{
    enum param_id p = m->prompt.param;
    const struct param_spec *ps = param_spec(p);
    struct ls_error err = {{0}};
    double v;
    if (model_slider_of(m, p) < 0)
        return MODEL_CHANGED_NONE;
    if (param_read(p, ps->flag + 2, text, len, &v, &err) != 0) {
        model_say(m, "%s; %s stays", err.msg, ps->label);
        return MODEL_CHANGED_VIEW;
    }
    if (p == PARAM_TEMPERATURE && v > ps->slider_hi) {
        char hi[40];
        param_format_double(ps->slider_hi, hi, sizeof hi);
        model_say(m, "the temperature slider ends at %s, got %s; for more use `logitscope sweep "
                  "-t %s`", hi, text, text);
        return MODEL_CHANGED_VIEW;
    }
    unsigned changed = MODEL_CHANGED_VIEW;
    if (ps->kind == PARAM_WHOLE && v > model_slider_hi(m, p)) {
        changed |= model_set(m, p, model_slider_hi(m, p));
        model_say(m, "%s %s is more than V: %zu keeps the same tokens", ps->label, text,
                  model_vocab_max(m));
        return changed;
    }
    changed |= model_set(m, p, v);
    model_say(m, "%s = %s", ps->label, text);
    return changed;
}

/* The row of rank `rank` on screen: left where it is when it shows, else scrolled to with a
 * little of what comes before it. */
static void model_scroll_to(struct model *m, size_t rank)
{
    size_t rows = m->layout.hist.h > 0 ? (size_t)m->layout.hist.h : 1;
    if (rank >= m->scroll && rank < m->scroll + rows / 2)
        return;
    size_t before = rows >= 8 ? 2 : 0;
    model_scroll_set(m, rank > before ? rank - before : 0);
}

static bool model_lower_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return false;
    return true;
}

/* Whether `needle` is in hay[0..len): ASCII letters match either case when the needle has no
 * capital letter (vim's smartcase). */
static bool model_contains(const char *hay, size_t len, const char *needle, size_t n, bool fold)
{
    for (size_t i = 0; i + n <= len; i++) {
        size_t j = 0;
        for (; j < n; j++) {
            char a = hay[i + j], b = needle[j];
            if (fold && a >= 'A' && a <= 'Z')
                a = (char)(a - 'A' + 'a');
            if (a != b)
                break;
        }
        if (j == n)
            return true;
    }
    return false;
}

/* Enter on a text: the next token after the one found last (in rank order, round to the
 * top) whose text holds it; nothing typed: the last text again. */
static unsigned model_prompt_find(struct model *m, const char *text, size_t len)
{
    struct model_find *f = &m->find;
    bool again = len == 0;
    if (again && f->len == 0) {
        model_say(m, "type a token's text to find");
        return MODEL_CHANGED_VIEW;
    }
    const char *want = again ? f->text : text;
    size_t want_len = again ? f->len : len;
    size_t n = m->vocab->n, from = again && f->rank != MODEL_FIND_NONE ? f->rank + 1 : 0;
    bool fold = model_lower_ascii(want, want_len);
    for (size_t k = 0; k < n; k++) {
        size_t r = (from + k) % n, tl;
        char buf[24];
        const char *tok = vocab_token(m->vocab, m->vocab->order[r], buf, &tl);
        if (!model_contains(tok, tl, want, want_len, fold))
            continue;
        bool wrapped = again && f->rank != MODEL_FIND_NONE && r <= f->rank;
        if (!again) {
            memcpy(f->text, text, len + 1);
            f->len = len;
        }
        f->rank = r;
        model_scroll_to(m, r);
        model_say(m, "found \"%s\" at #%zu of %zu (%.2f%%)%s; / Enter: next", f->text, r + 1, n,
                  100.0 * dist_prob_rank(&m->dist, r), wrapped ? ", from the top" : "");
        return MODEL_CHANGED_VIEW;
    }
    /* nothing: the row found before (and its text) stay */
    model_say(m, "no token holds \"%.*s\"", (int)want_len, want);
    return MODEL_CHANGED_VIEW;
}

unsigned model_prompt_done(struct model *m)
{
    struct model_prompt p = m->prompt;
    m->prompt.kind = PROMPT_NONE;
    if (p.kind == PROMPT_FIND)
        return model_prompt_find(m, p.text, p.len);
    if (p.kind == PROMPT_TEXT) /* an empty one too: the start of a sentence */
        return model_lm_prompt_set(m, p.text, p.len);
    if (p.len == 0)
        return MODEL_CHANGED_VIEW; /* nothing typed: nothing changes */
    return model_prompt_value(m, p.text, p.len);
}

unsigned model_prompt_cancel(struct model *m)
{
    if (m->prompt.kind == PROMPT_FIND) /* and the row found is no longer marked */
        m->find.rank = MODEL_FIND_NONE;
    m->prompt.kind = PROMPT_NONE;
    return MODEL_CHANGED_VIEW;
}
