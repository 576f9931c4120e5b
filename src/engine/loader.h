/* loader.h: the file formats a vocabulary loads from, one entry point each (not installed).
 * vocab_load() in load.c picks one by the file name; a new format adds its load_FORMAT.c
 * beside these (reading lines through textfile.h, building through vocab_build.h) and one
 * line here and in vocab_load(). */
#ifndef LOGITSCOPE_LOADER_H
#define LOGITSCOPE_LOADER_H

#include "logitscope/error.h"
#include "logitscope/vocab.h"

int vocab_load_tsv(struct vocab *v, const char *path, struct ls_error *err);
int vocab_load_npy(struct vocab *v, const char *path, const char *vocab_path,
                   struct ls_error *err);

#endif
