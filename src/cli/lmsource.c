/* lmsource.c: one place where a command line becomes a loaded language model and a writer
 * with the prompt, for generate, sweep and the explorer alike. */
#include "lmsource.h"

#include <string.h>

#include "datapath.h"

int lm_source_open(struct lm_source *s, const struct cli_opts *o, struct ls_error *err)
{
    memset(s, 0, sizeof *s);
    s->path = data_lm_path(o->lm_path, DATA_LM_DEFAULT, err);
    if (!s->path)
        return -1;
    const char *slash = strrchr(s->path, '/');
    s->name = slash && slash[1] ? slash + 1 : s->path;
    if (lm_load(&s->lm, s->path, err) != 0)
        return -1;
    const char *prompt = o->prompt ? o->prompt : "";
    if (writer_init(&s->writer, s->lm, o->seed, err) != 0) {
        lm_free(s->lm);
        s->lm = NULL;
        return -1;
    }
    if (writer_set_prompt(&s->writer, prompt, strlen(prompt), err) != 0) {
        lm_source_close(s);
        return -1;
    }
    return 0;
}

void lm_source_close(struct lm_source *s)
{
    if (s->lm) {
        writer_free(&s->writer);
        lm_free(s->lm);
    }
    memset(s, 0, sizeof *s);
}
