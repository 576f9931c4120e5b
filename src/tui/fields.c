/* fields.c: lines made of fields, each drawn whole or not at all. When they do not all fit,
 * data text (a file name, a token) is abbreviated with an ellipsis first, then the least
 * important fields take their short form, then they go, least important first: a number is
 * never cut. Messages are cut at a word, never inside a number. */
#include <string.h>

#include "logitscope/text.h"
#include "widgets.h"

#define FIELDS_MSG_BUF 1024 /* an escaped message: far more than a status line shows */

/* The blanks a field's text starts with: not drawn when it comes first on the line. */
static int field_lead(const struct field *f)
{
    const char *t = f->short_form ? f->brief : f->text;
    int n = 0;
    while (t[n] == ' ')
        n++;
    return n;
}

/* Shown, and so is the field it goes with (and that one's, and so on). */
static bool field_visible(const struct field *f, int i)
{
    for (int depth = 0; depth < FIELDS_MAX; depth++) {
        if (!f[i].shown)
            return false;
        if (f[i].with <= 0 || f[i].with - 1 == i)
            return true;
        i = f[i].with - 1;
    }
    return true;
}

static int field_width(const struct field *f)
{
    return ui_width(f->short_form ? f->brief : f->text) + (f->raw ? f->raw_w : 0);
}

/* The first shown field of the left part, or -1. */
static int fields_first(const struct field *f, int n)
{
    for (int i = 0; i < n; i++)
        if (field_visible(f, i) && !f[i].right)
            return i;
    return -1;
}

/* The blanks not drawn before the first field: those of a field that comes first only
 * because the ones before it are left out. */
static int fields_skip(const struct field *f, int n)
{
    int first = fields_first(f, n);
    return first > 0 ? field_lead(&f[first]) : 0;
}

/* Columns of the shown fields, and one blank between the left ones and a right one. */
static int fields_total(const struct field *f, int n)
{
    int w = -fields_skip(f, n);
    bool left = false, right = false;
    for (int i = 0; i < n; i++) {
        if (!field_visible(f, i))
            continue;
        w += field_width(&f[i]);
        left = left || !f[i].right;
        right = right || f[i].right;
    }
    return w + (left && right ? 1 : 0);
}

/* One way to save room: shorten field i (its short form and its data text at their least),
 * or leave it out. */
struct fields_step {
    int rank, field;
    bool drop;
};

/* The steps in the order they are taken: highest rank first; at one rank, shortening before
 * leaving out, the later field first. */
static int fields_plan(const struct field *f, int n, struct fields_step *steps)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (f[i].brief || f[i].raw)
            steps[k++] = (struct fields_step){f[i].squeeze ? f[i].squeeze : f[i].rank, i, false};
        steps[k++] = (struct fields_step){f[i].rank, i, true};
    }
    for (int a = 1; a < k; a++) { /* insertion sort: a dozen steps */
        struct fields_step s = steps[a];
        int b = a;
        while (b > 0 && (steps[b - 1].rank < s.rank ||
                         (steps[b - 1].rank == s.rank && steps[b - 1].drop && !s.drop) ||
                         (steps[b - 1].rank == s.rank && steps[b - 1].drop == s.drop &&
                          steps[b - 1].field < s.field))) {
            steps[b] = steps[b - 1];
            b--;
        }
        steps[b] = s;
    }
    return k;
}

/* Takes step s (on) or takes it back; a group's fields go, come back and shorten together. */
static void fields_apply(struct field *f, int n, const struct fields_step *s, const int *least,
                         const int *natural, bool on)
{
    const struct field *x = &f[s->field];
    for (int i = 0; i < n; i++) {
        if (i != s->field && !(x->group && f[i].group == x->group))
            continue;
        if (s->drop) {
            f[i].shown = !on;
        } else {
            f[i].short_form = on && f[i].brief;
            f[i].raw_w = on ? least[i] : natural[i];
        }
    }
}

int fields_fit(const struct ui *u, struct field *f, int n, int room)
{
    int natural[FIELDS_MAX], least[FIELDS_MAX];
    struct fields_step steps[2 * FIELDS_MAX];
    n = n < FIELDS_MAX ? n : FIELDS_MAX;
    for (int i = 0; i < n; i++) {
        f[i].shown = true;
        f[i].short_form = false;
        natural[i] = f[i].raw ? ui_token_width(u, f[i].raw, f[i].raw_len, f[i].raw_space) : 0;
        if (f[i].raw_max > 0 && natural[i] > f[i].raw_max)
            natural[i] = f[i].raw_max;
        least[i] = natural[i] < f[i].raw_min ? natural[i] : f[i].raw_min;
        f[i].raw_w = natural[i];
    }
    int k = fields_plan(f, n, steps), taken = 0;
    while (taken < k && fields_total(f, n) > room)
        fields_apply(f, n, &steps[taken++], least, natural, true);
    /* room given back, the last step first: a field comes back whole, a shortened one takes
     * its full form, or else as much of its data text as fits */
    for (int i = taken - 1; i >= 0; i--) {
        struct field *x = &f[steps[i].field];
        if (steps[i].drop ? x->shown : !x->shown)
            continue; /* a shortened field that stayed out */
        fields_apply(f, n, &steps[i], least, natural, false);
        if (fields_total(f, n) <= room)
            continue;
        fields_apply(f, n, &steps[i], least, natural, true);
        if (!steps[i].drop && x->raw) {
            int slack = room - fields_total(f, n), want = natural[steps[i].field] - x->raw_w;
            x->raw_w += want < slack ? want : slack > 0 ? slack : 0;
        }
    }
    return fields_total(f, n);
}

int fields_draw(const struct ui *u, int y, int x, int end, struct field *f, int n)
{
    n = n < FIELDS_MAX ? n : FIELDS_MAX;
    fields_fit(u, f, n, end - x);
    int right_w = 0, x0 = x, first = fields_first(f, n), skip = fields_skip(f, n);
    for (int i = 0; i < n; i++)
        right_w += f[i].right && field_visible(f, i) ? field_width(&f[i]) : 0;
    int rx = end - right_w;
    for (int i = 0; i < n; i++) {
        if (!field_visible(f, i))
            continue;
        int *at = f[i].right ? &rx : &x;
        const char *t = f[i].short_form ? f[i].brief : f[i].text;
        t += i == first ? skip : 0;
        *at += ui_text(u, y, *at, end - *at, t, f[i].attr);
        if (f[i].raw && f[i].raw_w > 0)
            *at += ui_token(u, y, *at, f[i].raw_w, f[i].raw, f[i].raw_len, f[i].raw_space,
                            f[i].raw_attr);
    }
    return x - x0;
}

static bool fields_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Trailing blanks and punctuation that would dangle before an ellipsis. */
static size_t fields_trim(const char *s, size_t n)
{
    while (n > 0 && strchr(" ,;:(=", s[n - 1]))
        n--;
    return n;
}

size_t fields_cut_words(const char *s, size_t n, int maxw, const char **ellipsis_sep)
{
    size_t width;
    *ellipsis_sep = "";
    if (text_fit(s, n, (size_t)(maxw > 0 ? maxw : 0), &width) == n)
        return n;
    if (maxw < 2)
        return 0;
    /* at a blank: the longest run of whole words that leaves room for " …" */
    size_t fit = text_fit(s, n, (size_t)maxw - 2, &width);
    for (size_t k = fit; k > 0; k--) {
        if (s[k] != ' ')
            continue;
        size_t keep = fields_trim(s, k);
        if (keep == 0)
            break;
        /* a number just before the ellipsis keeps a blank from it: "seed 42 …" */
        *ellipsis_sep = fields_is_digit(s[keep - 1]) ? " " : "";
        return keep;
    }
    /* one long word: cut between characters, but never inside a number */
    fit = text_fit(s, n, (size_t)maxw - 1, &width);
    while (fit > 0 && fit < n && (fields_is_digit(s[fit]) || s[fit] == '.') &&
           (fields_is_digit(s[fit - 1]) || s[fit - 1] == '.'))
        fit--;
    return fields_trim(s, fit);
}

int fields_message(const struct ui *u, int y, int x, int maxw, const char *raw, size_t len,
                   attr_t a)
{
    if (maxw <= 0)
        return 0;
    char buf[FIELDS_MSG_BUF];
    size_t n = text_escape(raw, len, u->text_flags, buf, sizeof buf);
    const char *sep;
    size_t keep = fields_cut_words(buf, n, maxw, &sep);
    buf[keep] = '\0';
    int w = ui_text(u, y, x, maxw, buf, a);
    if (keep < n) {
        w += ui_text(u, y, x + w, maxw - w, sep, a);
        w += ui_text(u, y, x + w, maxw - w, u->g->ellipsis, a);
    }
    return w;
}
