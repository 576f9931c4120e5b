/* datapath.h: finding the bundled data files (data/...) from the build tree, the source
 * tree, or after `meson install`; $LOGITSCOPE_DATA overrides them all. And which language
 * model --lm means when it is not given. */
#ifndef LOGITSCOPE_DATAPATH_H
#define LOGITSCOPE_DATAPATH_H

#include "logitscope/error.h"

/* Debian's pocketsphinx-en-us: the CMU Sphinx US English trigram model. */
#define DATA_LM_PACKAGE "pocketsphinx-en-us"
#define DATA_LM_DEFAULT "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"

/* rel is relative to data/, e.g. "decisions.tsv". Returns a malloc'd path that exists, or
 * NULL. */
char *data_find(const char *rel);

/* The language model to read, in order: given (--lm); $LOGITSCOPE_LM when set and not empty;
 * fallback (DATA_LM_DEFAULT) when it exists. NULL with err, naming the package to install,
 * when there is none. The result is one of those strings. */
const char *data_lm_path(const char *given, const char *fallback, struct ls_error *err);

#endif
