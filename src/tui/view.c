/* view.c: composes the frame. werase() then a full redraw of the window: curses compares it
 * with what the terminal shows and sends only the cells that changed. */
#include "view.h"

#include "widgets.h"

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
    if (model_is_lm(m)) {
        lm_text_draw(u, l->text_a, m, l->label_w, true);
        lm_text_draw(u, l->text, m, l->label_w, false);
        lm_word_draw(u, l->gen, m);
    } else {
        text_strip_draw(u, l->text, m, l->label_w);
        entropy_strip_draw(u, l->strip, m, l->label_w);
        gen_draw(u, l->gen, m);
    }
    if (l->plot.h > 0)
        plot_draw(u, l->plot, &l->curve, m);
    caption_draw(u, l->caption, m);
    if (m->lm.editing)
        prompt_edit_draw(u, l->status, m);
    else
        status_draw(u, l->status, m, l->plot_hidden ? "no room for the plot" : NULL);
    if (m->picker)
        picker_draw(u, l->picker, m);
    if (m->help)
        help_draw(u, &l->help, m);
    wattrset(u->win, A_NORMAL);
}
