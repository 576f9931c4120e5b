/* view.c: composes the frame. werase() then a full redraw of the window: curses compares it
 * with what the terminal shows and sends only the cells that changed. */
#include "view.h"

#include "widgets.h"

#define VIEW_HIST_ROWS_MAX 1024 /* as hist.c: taller terminals leave the rest blank */

/* The row a find (/) found, lit over the histogram's own drawing: its token in reverse video
 * (the cells the token took, up to where the attribute changes) and, when the column before
 * the tokens is free, the focus mark. */
static void view_found(const struct ui *u, struct rect r, const struct model *m)
{
    if (m->find.rank == MODEL_FIND_NONE || r.h <= 0)
        return;
    static struct hist_item items[VIEW_HIST_ROWS_MAX];
    size_t n = hist_plan(m, r.h < VIEW_HIST_ROWS_MAX ? r.h : VIEW_HIST_ROWS_MAX, items), i = 0;
    while (i < n && !(items[i].kind == HIST_TOKEN && items[i].rank == m->find.rank))
        i++;
    if (i == n)
        return;
    int y = r.y + (int)i, x0 = r.x + 1;
    char buf[24];
    size_t len;
    const char *tok = vocab_token(m->vocab, m->vocab->order[m->find.rank], buf, &len);
    int w = ui_token_width(u, tok, len, true);
    attr_t first = (attr_t)(mvwinch(u->win, y, x0) & A_ATTRIBUTES);
    for (int x = x0; x < x0 + w && x < r.x + r.w; x++) {
        chtype c = mvwinch(u->win, y, x);
        attr_t a = (attr_t)(c & A_ATTRIBUTES);
        if (a != first)
            break;
        mvwchgat(u->win, y, x, 1, (a & ~A_COLOR) | A_REVERSE, (short)PAIR_NUMBER(c), NULL);
    }
    if ((mvwinch(u->win, y, r.x) & A_CHARTEXT) == ' ')
        ui_text(u, y, r.x, 1, u->g->focus, ui_attr(u, ROLE_FOCUS));
}

void view_draw(const struct ui *u, const struct model *m)
{
    const struct layout *l = &m->layout;
    werase(u->win);
    if (l->too_small) {
        too_small_draw(u, l->cols, l->rows);
        return;
    }
    title_draw(u, l->title, m);
    sliders_draw(u, l->sliders, m, l->label_w);
    chain_draw(u, l->chain, m, l->label_w);
    gauge_draw(u, l->gauge, m, l->label_w);
    hist_draw(u, l->header, l->hist, m, l->wide);
    view_found(u, l->hist, m);
    if (model_is_lm(m)) {
        lm_text_draw(u, l->text_a, m, l->label_w, true);
        lm_text_draw(u, l->text, m, l->label_w, false);
        knob_draw(u, l->knob, m, l->label_w);
        if (l->knob.h == 0 && m->lm.writer->n == m->lm.writer->n_prompt)
            knob_draw(u, l->gen, m, l->label_w);
        else
            lm_word_draw(u, l->gen, m);
    } else {
        text_strip_draw(u, l->text, m, l->label_w);
        entropy_strip_draw(u, l->strip, m, l->label_w);
        knob_draw(u, l->knob, m, l->label_w);
        if (l->knob.h == 0 && m->gen_count == 0)
            knob_draw(u, l->gen, m, l->label_w);
        else
            gen_draw(u, l->gen, m);
    }
    if (l->plot.h > 0)
        plot_draw(u, l->plot, &l->curve, m);
    caption_draw(u, l->caption, m);
    status_draw(u, l->status, m, l->plot_hidden ? "no room for the plot" : NULL);
    if (m->picker)
        picker_draw(u, l->picker, m);
    if (m->help)
        help_draw(u, &l->help, m);
    wattrset(u->win, A_NORMAL);
}
