/* datapath.h: finding the bundled data files (data/...) from the build tree, the source
 * tree, or after `meson install`; $LOGITSCOPE_DATA overrides them all. */
#ifndef LOGITSCOPE_DATAPATH_H
#define LOGITSCOPE_DATAPATH_H

/* rel is relative to data/, e.g. "decisions.tsv". Returns a malloc'd path that exists, or
 * NULL. */
char *data_find(const char *rel);

#endif
