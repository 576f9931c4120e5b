/* load.c: vocab_load(), which picks the loader for a file by its name. */
#include <ctype.h>
#include <string.h>

#include "loader.h"

/* ".npy" in any case at the end of the name. */
static int load_is_npy(const char *path)
{
    size_t n = strlen(path);
    const char *ext = ".npy";

    if (n < 4)
        return 0;
    for (size_t i = 0; i < 4; i++)
        if (tolower((unsigned char)path[n - 4 + i]) != ext[i])
            return 0;
    return 1;
}

int vocab_load(struct vocab *v, const char *path, const char *vocab_path,
               struct ls_error *err)
{
    if (!path)
        return ls_error_set(err, "no logits file given");
    if (load_is_npy(path))
        return vocab_load_npy(v, path, vocab_path, err);
    if (vocab_path)
        return ls_error_set(err, "%s: a separate token list only goes with .npy logits; "
                                 "%s names its own tokens", vocab_path, path);
    return vocab_load_tsv(v, path, err);
}
