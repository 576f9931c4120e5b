/* chrome.c: the frame around the instruments: the title bar, the generated line, the status
 * line with the main keys (or the last message), and the "terminal too small" screen. */
#include <stdio.h>
#include <string.h>

#include "keymap.h"
#include "logitscope/vocab.h"
#include "widgets.h"

#define STATUS_HINTS_MAX 16 /* hints of one place on the status line */

/* The title's facts, each whole or not at all. What gives way first when the line is short:
 * "? help" (the status line says it too), the program's name, the file name's tail
 * (abbreviated down to 8 columns), a sequence's format, the file name, V, the seed; N and
 * what a sequence's numbers are stay longest. */
enum { TITLE_NAME_MIN = 8, TITLE_NAME_MAX = 40 };

void title_draw(const struct ui *u, struct rect r, const struct model *m)
{
    if (r.h <= 0)
        return;
    attr_t a = ui_attr(u, ROLE_TITLE), dim = ui_attr(u, ROLE_TITLE_DIM);
    ui_repeat(u, r.y, r.x, r.w, " ", a);
    const char *name = m->start.source_name ? m->start.source_name : "";
    char numbers[96], format[96], v[40], n[40], seed[40];
    snprintf(v, sizeof v, "  V=%zu", m->vocab->n);
    snprintf(n, sizeof n, "  N=%zu", m->samples);
    snprintf(seed, sizeof seed, "  seed %llu", (unsigned long long)m->seed);
    bool seq = model_is_sequence(m);
    struct field f[8];
    int k = 0;
    f[k++] = (struct field){.text = "logitscope", .attr = a, .rank = 8};
    f[k++] = (struct field){.text = " ", .attr = a, .rank = 5, .squeeze = 7, .raw = name,
                            .raw_len = strlen(name), .raw_min = TITLE_NAME_MIN,
                            .raw_max = TITLE_NAME_MAX, .raw_attr = dim};
    if (seq) {
        /* what the numbers are, unless the format's name says it ("NumPy logits") */
        memcpy(numbers, "  ", 2);
        source_numbers_text(m->src, &m->seq.step, numbers + 2, sizeof numbers - 2);
        if (!strstr(m->src->format, numbers + 2))
            f[k++] = (struct field){.text = numbers, .attr = a, .rank = 1};
        snprintf(format, sizeof format, "  %s", m->src->format);
        f[k++] = (struct field){.text = format, .attr = dim, .rank = 6};
    }
    f[k++] = (struct field){.text = v, .attr = dim, .rank = 4};
    f[k++] = (struct field){.text = n, .attr = dim, .rank = 2};
    f[k++] = (struct field){.text = seed, .attr = dim, .rank = 3};
    f[k++] = (struct field){.text = "? help", .attr = dim, .rank = 9, .right = true};
    fields_draw(u, r.y, r.x + 1, r.x + r.w - 1, f, k);
}

#define PIN_FIELDS_MAX (FIELDS_MAX - 2)

void pin_draw(const struct ui *u, int y, int x, int w, const struct params *pin, attr_t a)
{
    char text[PIN_FIELDS_MAX][48];
    struct field f[FIELDS_MAX];
    int k = 0;
    f[k++] = (struct field){.text = "A", .attr = a, .rank = 0};
    for (int i = 0; i < pin->chain.n; i++) {
        enum sampler_id s = (enum sampler_id)pin->chain.stage[i];
        const struct sampler_spec *ss = sampler_spec(s);
        if (s != SAMPLER_TEMPERATURE && sampler_is_off(pin, s))
            continue;
        for (int j = 0; j < ss->n_params && k - 1 < PIN_FIELDS_MAX; j++) {
            enum param_id p = ss->params[j];
            if (j > 0 && params_is_off(pin, p))
                continue;
            if (p == PARAM_DYNATEMP_EXP && params_is_off(pin, PARAM_DYNATEMP_RANGE))
                continue;
            char val[32];
            param_value_text(pin, p, val, sizeof val);
            const char *name = j == 0 ? ss->short_name
                               : s == SAMPLER_XTC ? "chance" /* its "p" reads as top-p */
                                                  : param_spec(p)->short_label;
            snprintf(text[k - 1], sizeof text[k - 1], " %s %s", name, val);
            f[k] = (struct field){.text = text[k - 1], .attr = a, .rank = k, .with = k};
            k++;
        }
    }
    enum chain_preset preset = chain_which_preset(&pin->chain);
    if (preset != PRESET_HF)
        f[k++] = (struct field){.text = preset == PRESET_LLAMA  ? " llama"
                                        : preset == PRESET_VLLM ? " vllm"
                                                                : " custom",
                                .attr = a, .rank = FIELDS_MAX};
    fields_draw(u, y, x, x + w, f, k);
}

/* What the focused slider does, under the histogram: its name in the labels' column, then the
 * parameter table's words (the same as --help), clause by clause while they fit, the first
 * cut at a word. */
void knob_draw(const struct ui *u, struct rect r, const struct model *m, int label_w)
{
    if (r.h <= 0 || m->n_sliders == 0)
        return;
    const struct param_spec *ps = param_spec(model_focus_param(m));
    const char *label = (int)strlen(ps->label) <= label_w ? ps->label : ps->short_label;
    ui_text(u, r.y, r.x + WIDGET_INDENT, label_w, label, ui_attr(u, ROLE_FOCUS));
    int x = widget_value_x(r, label_w), end = r.x + r.w;
    char clause[4][96];
    struct field f[4];
    int k = 0;
    for (const char *p = ps->meaning; *p && k < 4; k++) {
        const char *semi = strstr(p, "; ");
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        snprintf(clause[k], sizeof clause[k], "%s%.*s", k ? "; " : "", (int)n, p);
        f[k] = (struct field){.text = clause[k], .attr = ui_attr(u, ROLE_HELP), .rank = k,
                              .with = k};
        p += n + (semi ? 2 : 0);
    }
    fields_fit(u, f, k, end - x);
    if (k > 0 && f[0].shown)
        fields_draw(u, r.y, x, end, f, k);
    else if (k > 0)
        fields_message(u, r.y, x, end - x, clause[0], strlen(clause[0]), ui_attr(u, ROLE_HELP));
}

/* A generated token as the line shows it. */
struct gen_piece {
    const char *tok; /* its bytes (in buf, or the vocabulary's) */
    size_t len;
    char buf[24];
    bool sep;        /* a dot before it */
};

/* The i-th generated token; returns its width. Tokens join like text when they carry their
 * own spaces; otherwise a dot shows where one ends and the next begins. */
static int gen_piece(const struct ui *u, const struct model *m, size_t i, bool first,
                     struct gen_piece *p)
{
    p->tok = vocab_token(m->vocab, model_gen_at(m, i), p->buf, &p->len);
    p->sep = !first && !(p->len > 0 && (p->tok[0] == ' ' || p->tok[0] == '\n'));
    return ui_token_width(u, p->tok, p->len, false) + (p->sep ? 1 : 0);
}

/* The oldest generated token from which the rest fits in `room` columns. */
static size_t gen_fit(const struct ui *u, const struct model *m, int room)
{
    size_t first = model_gen_len(m);
    int w = 0;
    while (first > 0) {
        struct gen_piece p;
        int pw = gen_piece(u, m, first - 1, first - 1 == 0, &p);
        if (w + pw > room)
            break;
        w += pw;
        first--;
    }
    return first;
}

void gen_draw(const struct ui *u, struct rect r, const struct model *m)
{
    if (r.h <= 0)
        return;
    int x = r.x + WIDGET_INDENT, end = r.x + r.w;
    x += ui_text(u, r.y, x, end - x, "generated ", ui_attr(u, ROLE_HEADER));
    size_t n = model_gen_len(m);
    if (n == 0) {
        ui_text(u, r.y, x, end - x, "(Space draws a token)", ui_attr(u, ROLE_CUT));
        return;
    }
    /* the newest tokens that fit, oldest first; a leading ellipsis when older ones are
     * left out (off the line, or out of the model's ring) */
    int ew = ui_width(u->g->ellipsis);
    size_t first = gen_fit(u, m, end - x - 1);
    bool dropped = first > 0 || m->gen_count > n;
    if (dropped) {
        first = gen_fit(u, m, end - x - 1 - ew);
        x += ui_text(u, r.y, x, end - x, u->g->ellipsis, ui_attr(u, ROLE_GEN_SEP));
    }
    for (size_t i = first; i < n && x < end; i++) {
        struct gen_piece p;
        gen_piece(u, m, i, i == first, &p);
        if (p.sep)
            x += ui_text(u, r.y, x, end - x, u->g->sep, ui_attr(u, ROLE_GEN_SEP));
        x += ui_token(u, r.y, x, end - x, p.tok, p.len, false, ui_attr(u, ROLE_GEN));
    }
}

/* Whether the panel a binding opens is open now: its hint then says how to close it. */
static bool status_panel_open(const struct model *m, const struct keymap_binding *b)
{
    switch (b->keys[0].action.kind) {
    case ACT_PLOT: return m->plot;
    case ACT_COMPARE: return m->compare || m->lm.ab;
    default: return false;
    }
}

/* The bindings whose hints go at `place`, in their order. Returns how many (at most cap). */
static size_t status_hints(enum keymap_place place, const struct keymap_binding **out,
                           size_t cap)
{
    size_t n, count = 0;
    const struct keymap_binding *b = keymap_bindings(&n);
    for (int order = 1; count < cap; order++) {
        size_t before = count;
        for (size_t i = 0; i < n && count < cap; i++)
            if (b[i].place == place && b[i].order == order)
                out[count++] = &b[i];
        if (count == before)
            break;
    }
    return count;
}

/* With a language model: the bindings with words of their own for it, by lm_order. */
static size_t status_lm_hints(const struct keymap_binding **out, size_t cap)
{
    size_t n, count = 0;
    const struct keymap_binding *b = keymap_bindings(&n);
    for (int order = 1; count < cap; order++) {
        size_t before = count;
        for (size_t i = 0; i < n && count < cap; i++)
            if (b[i].lm_order == order)
                out[count++] = &b[i];
        if (count == before)
            break;
    }
    return count;
}

/* A binding's hint as the status line shows it now: how to close its panel when that is
 * open; what 0 does to the focused slider ("0 off", "0 T=1"). */
static struct keymap_label status_label(const struct model *m, const struct keymap_binding *b,
                                        char *what, size_t cap)
{
    struct keymap_label h = b->hint;
    if (b->close.keys && status_panel_open(m, b))
        h = b->close;
    if (b->keys[0].action.kind == ACT_OFF) {
        model_off_label(m, what, cap);
        h.what = what;
    }
    return h;
}

static int status_hint_width(const struct ui *u, const struct keymap_label *h)
{
    return ui_width(u->g->ascii ? h->ascii_keys : h->keys) + 1 + ui_width(h->what) + 2;
}

static int status_hint_draw(const struct ui *u, int y, int x, const struct keymap_label *h)
{
    int x0 = x;
    x += ui_text(u, y, x, 16, u->g->ascii ? h->ascii_keys : h->keys,
                 ui_attr(u, ROLE_STATUS_KEY));
    x += ui_text(u, y, x + 1, 16, h->what, ui_attr(u, ROLE_STATUS)) + 1;
    return x - x0 + 2;
}

#define STATUS_CHOSEN_TOKEN_W 16 /* the chosen token's columns at most */

/* A sequence: the chosen token here ("chosen ␣sea #2 4.10% cut: top-k"), then across the
 * text how many chosen tokens the chain cuts and the key to the next of them. Each fact whole
 * or not at all: the word "chosen" goes first, then the token (abbreviated first), the count
 * ("2 of 11 outside", then "2/11 out") and its key; the rank, its probability and what cut
 * it stay. Returns where the hints may start. */
static int status_chosen(const struct ui *u, int y, int x, int end, const struct model *m)
{
    const struct model_seq *q = &m->seq;
    attr_t txt = ui_attr(u, ROLE_STATUS), key = ui_attr(u, ROLE_STATUS_KEY);
    if (q->chosen_rank == SOURCE_NONE) {
        struct field f = {.text = "which token was chosen is not known", .brief = "chosen: ?",
                          .attr = txt};
        return x + fields_draw(u, y, x, end, &f, 1);
    }
    size_t rank = q->chosen_rank, len;
    char buf[24], at[32], pct[24], cut[48], outside[96], out_brief[64];
    const char *tok = vocab_token(m->vocab, m->vocab->order[rank], buf, &len);
    enum cut c = dist_cut(&m->dist, rank);
    snprintf(at, sizeof at, " #%zu", rank + 1);
    pct[0] = ' ';
    fmt_percent(pct + 1, sizeof pct - 1, dist_prob_rank(&m->dist, rank), 2);
    snprintf(cut, sizeof cut, " %s%s", c ? "cut: " : "kept", c ? cut_name(c) : "");
    const char *seen = q->whole ? "" : " seen";
    snprintf(outside, sizeof outside, "  %zu of %zu chosen tokens%s fall outside this chain",
             q->outside, q->seen, seen);
    if (end - x < ui_width(outside) + 40) /* the long wording only on a wide line */
        snprintf(outside, sizeof outside, "  %zu of %zu%s outside", q->outside, q->seen, seen);
    snprintf(out_brief, sizeof out_brief, "  %zu/%zu%s out", q->outside, q->seen, seen);
    bool next = q->outside > 0 || !q->whole;
    enum { FACTS = 1, NEXT };
    struct field f[8] = {
        {.text = "chosen", .attr = txt, .rank = 7},
        {.text = " ", .attr = txt, .rank = 5, .squeeze = 6, .raw = tok, .raw_len = len,
         .raw_min = 4, .raw_max = STATUS_CHOSEN_TOKEN_W, .raw_space = true, .raw_attr = key},
        {.text = at, .attr = txt, .rank = 0},
        {.text = pct, .attr = txt, .rank = 0},
        {.text = cut, .attr = txt, .rank = 1},
        {.text = outside, .brief = out_brief, .attr = txt, .rank = 3, .squeeze = 4,
         .group = FACTS},
        {.text = "  f", .attr = key, .rank = 2, .group = NEXT, .with = 6},
        {.text = " next", .attr = txt, .rank = 2, .group = NEXT, .with = 6},
    };
    return x + fields_draw(u, y, x, end, f, next ? 8 : 6);
}

/* The line being typed: what it is for, the text (its end, when long) and a cursor, then
 * how to finish. */
static void status_prompt(const struct ui *u, struct rect r, const struct model *m)
{
    const struct model_prompt *p = &m->prompt;
    attr_t txt = ui_attr(u, ROLE_STATUS), key = ui_attr(u, ROLE_STATUS_KEY);
    int x = r.x + 1, end = r.x + r.w - 1;
    char label[64];
    if (p->kind == PROMPT_FIND)
        snprintf(label, sizeof label, "find: ");
    else if (p->kind == PROMPT_TEXT)
        snprintf(label, sizeof label, "prompt: ");
    else
        snprintf(label, sizeof label, "%s = ", param_spec(p->param)->label);
    static const char done_value[] = "  Enter set  Esc cancel",
                      done_find[] = "  Enter find  Esc cancel";
    const char *done = p->kind == PROMPT_FIND ? done_find : done_value;
    x += ui_text(u, r.y, x, end - x, label, key);
    int room = end - x - 1 - ui_width(done);
    room = room < end - x - 1 ? room : end - x - 1;
    if (room < 1) { /* no room for the words: the text alone */
        room = end - x - 1;
        done = "";
    }
    /* the text's end: what was typed last is what shows */
    const char *t = p->text;
    size_t len = p->len;
    while (len > 0 && ui_token_width(u, t, len, false) > room) {
        do {
            t++;
            len--;
        } while (len > 0 && ((unsigned char)*t & 0xc0) == 0x80);
    }
    x += ui_token(u, r.y, x, room, t, len, false, txt);
    /* the cursor: a glyph, not reverse video (the monochrome status line is reversed) */
    x += ui_text(u, r.y, x, 1, "_", key);
    ui_text(u, r.y, x, end - x, done, txt);
}

/* Help and quit always show at the right end; then the last message, or the hints left to
 * right while they fit, how to close an open panel first (the rest stays as it was). A
 * sequence puts the chosen token's facts before the hints. A line being typed takes the
 * whole line (? and q are letters in it). */
void status_draw(const struct ui *u, struct rect r, const struct model *m, const char *note)
{
    if (r.h <= 0)
        return;
    ui_repeat(u, r.y, r.x, r.w, " ", ui_attr(u, ROLE_STATUS));
    if (m->prompt.kind) {
        status_prompt(u, r, m);
        return;
    }
    const struct keymap_binding *hints[STATUS_HINTS_MAX];
    int x = r.x + 1, end = r.x + r.w;
    size_t n = status_hints(KEYMAP_PLACE_FIXED, hints, STATUS_HINTS_MAX), first = 0;
    int fixed_w = 0;
    for (size_t i = 0; i < n; i++)
        fixed_w += status_hint_width(u, &hints[i]->hint);
    const char *msg = m->message[0] ? m->message : note;
    /* a message that needs the room takes "? help"'s, until the next key; how to quit stays */
    int msg_w = msg && msg[0] ? ui_token_width(u, msg, strlen(msg), false) : 0;
    while (first + 1 < n && msg_w > end - fixed_w - x - 1)
        fixed_w -= status_hint_width(u, &hints[first++]->hint);
    if (fixed_w <= r.w - 1) {
        int fx = end - fixed_w + 1;
        for (size_t i = first; i < n; i++)
            fx += status_hint_draw(u, r.y, fx, &hints[i]->hint);
        end -= fixed_w;
    }
    if (m->playing) /* a script plays: its note instead of the hints */
        x = playing_draw(u, r.y, x, end - 1, m, msg && msg[0]) + 2;
    if (msg && msg[0]) {
        fields_message(u, r.y, x, end - x - 1, msg, strlen(msg), ui_attr(u, ROLE_MESSAGE));
        return;
    }
    if (m->playing)
        return;
    char what[32];
    n = status_hints(KEYMAP_PLACE_HINT, hints, STATUS_HINTS_MAX);
    for (size_t i = 0; i < n; i++) { /* how to close the open panels, first */
        struct keymap_label h = status_label(m, hints[i], what, sizeof what);
        if (hints[i]->close.keys && status_panel_open(m, hints[i]) &&
            x + status_hint_width(u, &h) <= end)
            x += status_hint_draw(u, r.y, x, &h);
    }
    if (model_is_sequence(m))
        x = status_chosen(u, r.y, x, end - 1, m) + 2;
    bool lm = model_is_lm(m), fits = true;
    if (lm) { /* the keys that write, first */
        const struct keymap_binding *writes[STATUS_HINTS_MAX];
        size_t nw = status_lm_hints(writes, STATUS_HINTS_MAX);
        for (size_t i = 0; i < nw && fits; i++)
            if ((fits = x + status_hint_width(u, &writes[i]->lm_hint) <= end))
                x += status_hint_draw(u, r.y, x, &writes[i]->lm_hint);
    }
    for (size_t i = 0; i < n && fits; i++) {
        if ((hints[i]->close.keys && status_panel_open(m, hints[i])) ||
            (lm && hints[i]->lm_order))
            continue;
        struct keymap_label h = status_label(m, hints[i], what, sizeof what);
        if (x + status_hint_width(u, &h) > end)
            break;
        x += status_hint_draw(u, r.y, x, &h);
    }
}

void too_small_draw(const struct ui *u, int cols, int rows)
{
    char need[64];
    snprintf(need, sizeof need, "%dx%d, need %dx%d", cols, rows, LAYOUT_MIN_COLS,
             LAYOUT_MIN_ROWS);
    const char *lines[4] = {"terminal too small", need, "enlarge it, or q to quit"};
    int n = 3;
    if (cols < ui_width(lines[2])) { /* narrow: the advice on two lines, not cut */
        lines[2] = "enlarge it,";
        lines[3] = "or q to quit";
        n = 4;
    }
    int y0 = rows > n ? (rows - n) / 2 : 0;
    for (int i = 0; i < n && y0 + i < rows; i++) {
        int w = ui_width(lines[i]);
        int x = cols > w ? (cols - w) / 2 : 0;
        ui_text(u, y0 + i, x, cols - x, lines[i], ui_attr(u, i == 0 ? ROLE_WARN : ROLE_LABEL));
    }
}
