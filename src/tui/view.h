/* view.h: one frame of the explorer: erase, every widget in the rectangle the model's layout
 * gives it (m->layout, kept for the terminal's size by model_update), the help overlay on
 * top. Drawing only: the model is read, never changed; sending the frame is the terminal's
 * job. */
#ifndef LOGITSCOPE_TUI_VIEW_H
#define LOGITSCOPE_TUI_VIEW_H

#include "model.h"
#include "ui.h"

/* Erases the window and draws m's frame. */
void view_draw(const struct ui *u, const struct model *m);

#endif
