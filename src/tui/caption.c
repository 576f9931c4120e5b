/* caption.c: what a key script adds to the frame: its caption (say) in a row of its own under
 * the frame, and while it plays on the live terminal, a note on the status line that says so
 * and how to take over. */
#include <string.h>

#include "logitscope/text.h"
#include "script.h"
#include "widgets.h"

/* A caption is text from a file: escaped whole (at most four bytes a byte), then cut to the
 * row with an ellipsis, never mid-character. */
_Static_assert(4 * SCRIPT_SAY_MAX < UI_TOKEN_BUF, "a caption's escaped form fits ui_token");

void caption_draw(const struct ui *u, struct rect r, const struct model *m)
{
    if (r.h <= 0 || !m->caption)
        return;
    /* the script's author wrote \\ for one backslash: it shows as one (a control byte still
     * shows as its escape) */
    struct ui own = *u;
    own.text_flags |= TEXT_KEEP_BACKSLASH;
    attr_t a = ui_attr(u, ROLE_CAPTION);
    ui_repeat(u, r.y, r.x, r.w, " ", a);
    ui_token(&own, r.y, r.x + 1, r.w - 2, m->caption, strlen(m->caption), false, a);
}

int playing_draw(const struct ui *u, int y, int x, int end, const struct model *m, bool brief)
{
    const char *name = m->start.script_name ? m->start.script_name : "a key script";
    size_t len = strlen(name);
    const char *verb = " playing ", *tail = "any key takes over";
    attr_t key = ui_attr(u, ROLE_STATUS_KEY), txt = ui_attr(u, ROLE_STATUS);
    int head_w = ui_width(u->g->play) + ui_width(verb);
    int name_w = ui_token_width(u, name, len, false);
    /* "playing" while a few columns of the name still fit (a long one is cut), what to do
     * only when all of it fits */
    bool with_verb = !brief && x + head_w + (name_w < 8 ? name_w : 8) <= end;
    bool with_tail =
        with_verb && x + head_w + name_w + ui_width(u->g->dash) + ui_width(tail) <= end;
    x += ui_text(u, y, x, end - x, u->g->play, key);
    x += ui_text(u, y, x, end - x, with_verb ? verb : " ", key);
    x += ui_token(u, y, x, end - x, name, len, false, key);
    if (with_tail) {
        x += ui_text(u, y, x, end - x, u->g->dash, txt);
        x += ui_text(u, y, x, end - x, tail, txt);
    }
    return x;
}
