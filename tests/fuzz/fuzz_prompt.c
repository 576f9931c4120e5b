/* fuzz_prompt.c: libFuzzer harness for the writer's prompt (src/app/writer.c) on the small
 * model of lm_fixture.h: whatever the bytes, the words are pieces of the prompt, the context
 * holds only ids of the model (or LM_NO_WORD), the text holds no control byte, and words
 * written from it with the first byte's temperature can be taken back and written again the
 * same. Built and run as tests/fuzz/README says. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/lm_fixture.h"
#include "logitscope/text.h"
#include "writer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lm *lm;
    static struct writer w;
    struct ls_error err;
    if (!lm) {
        (void)fx_shuffled_trie;
        tmp_dir_make("fuzz-prompt");
        int loaded = lm_load(&lm, tmp_text("small.arpa", fx_small_arpa), &err);
        tmp_dir_remove(); /* the model is read whole: its file can go at once */
        if (loaded != 0 || writer_init(&w, lm, 1, &err) != 0)
            abort();
    }
    if (size > 2000 || writer_set_prompt(&w, (const char *)data, size, &err) != 0)
        return 0;
    for (size_t i = 0; i < w.n; i++) {
        size_t len;
        const char *b = writer_word_bytes(&w, i, &len);
        if (len == 0 || b < w.typed || b + len > w.typed + size || memchr(b, ' ', len))
            abort(); /* a word is a piece of the prompt without white space */
    }
    uint32_t ctx[8];
    size_t n = writer_context(&w, ctx, 8);
    for (size_t i = 0; i < n; i++)
        if (ctx[i] >= lm_size(lm) && ctx[i] != LM_NO_WORD)
            abort();
    for (unsigned flags = 0; flags <= TEXT_ASCII; flags += TEXT_ASCII) {
        size_t len;
        const char *t = writer_text(&w, 0, flags, &len);
        if (!t || strlen(t) != len)
            abort();
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
                abort();
    }
    struct params p = params_default();
    params_set(&p, PARAM_TEMPERATURE, size ? data[0] / 64.0 : 1);
    uint32_t first[4], again;
    for (int i = 0; i < 4; i++)
        if (writer_write(&w, &p, &first[i], &err) != 0)
            abort();
    for (int i = 3; i >= 0; i--)
        if (!writer_unwrite(&w) || writer_write(&w, &p, &again, &err) != 0 ||
            again != first[i] || !writer_unwrite(&w))
            abort();
    if (w.n != w.n_prompt)
        abort();
    return 0;
}
