/* view.h: one frame of the explorer: layout for the window's size, erase, every widget, the
 * help overlay on top. Drawing only; sending the frame is the terminal's job. */
#ifndef LOGITSCOPE_TUI_VIEW_H
#define LOGITSCOPE_TUI_VIEW_H

#include "layout.h"
#include "model.h"
#include "ui.h"

/* The layout for this model at cols x rows. */
void view_layout(struct layout *l, const struct model *m, int cols, int rows);

/* Dot columns of the plot in this layout, one temperature each (0: no plot). */
int view_plot_dots(const struct layout *l, const struct glyphs *g);

/* Token rows the histogram shows in this layout (for the model's PgUp/PgDn). */
int view_page_rows(const struct layout *l);

/* Erases the window and draws the frame. */
void view_draw(const struct ui *u, const struct layout *l, const struct model *m);

#endif
