/* model_fixture.h: an explorer model started from any configuration, and a key pressed on it
 * as the explorer takes keys, shared by the app and tui tests. Header-only; include after
 * tap.h. */
#ifndef LOGITSCOPE_MODEL_FIXTURE_H
#define LOGITSCOPE_MODEL_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "model.h"

/* model_init with c, or a TAP bail-out. */
static inline void model_or_bail(struct model *m, const struct model_config *c)
{
    struct ls_error err = {{0}};
    if (model_init(m, c, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
}

/* The key's action on m, as the key map gives it; returns what changed. */
static inline unsigned press(struct model *m, int key)
{
    struct action a = model_key_action(m, key);
    return model_update(m, &a);
}

#endif
