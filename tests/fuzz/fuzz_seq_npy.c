/* fuzz_seq_npy.c: libFuzzer harness for 2-D .npy sequences and their chosen ids. The first
 * byte picks the mode: raw (the rest is the .npy file as it is, headers and all) or built
 * (the harness writes a valid header for a small shape taken from the next bytes and the
 * rest is the data, so that the row checks, the sorts and the revisits see real numbers).
 * When the second bit is set, the last bytes become a --tokens file (text ids or a small
 * integer .npy). Built and run as
 * tests/fuzz/README says. */
#include <stdint.h>

#include "fuzz_file.h"
#include "fuzz_seq.h"

static char fuzz_tokens_path[64];

static void fuzz_tokens_cleanup(void)
{
    unlink(fuzz_tokens_path);
}

/* The ids file: its own temporary name, rewritten for every input. */
static const char *fuzz_tokens(const uint8_t *data, size_t size)
{
    FILE *f;

    if (!fuzz_tokens_path[0]) {
        snprintf(fuzz_tokens_path, sizeof fuzz_tokens_path, "/tmp/logitscope-fuzz-ids-XXXXXX");
        int fd = mkstemp(fuzz_tokens_path);
        if (fd < 0)
            abort();
        close(fd);
        atexit(fuzz_tokens_cleanup);
    }
    if (!(f = fopen(fuzz_tokens_path, "wb")) || fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    return fuzz_tokens_path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seq_opts o = {0};
    uint8_t *buf;
    size_t n = 0, tok = 0;

    if (size < 4 || size > 65536)
        return 0;
    if (data[0] & 2) { /* the last data[1] % 64 bytes are the ids */
        tok = data[1] % 64 < size - 4 ? data[1] % 64 : 0;
        o.tokens_path = fuzz_tokens(data + size - tok, tok);
        size -= tok;
    }
    if (!(buf = malloc(size + 256)))
        return 0;
    if (data[0] & 1) {
        size_t rows = data[2] % 6 + 1, cols = data[3] % 80 + 1, f8 = data[0] & 4;
        size_t need = rows * cols * (f8 ? 8 : 4), have = size - 4;
        int hl = snprintf((char *)buf + 10, 246, "{'descr': '<f%c', 'fortran_order': False, "
                          "'shape': (%zu, %zu), }", f8 ? '8' : '4', rows, cols);
        size_t pad = (10 + (size_t)hl + 1 + 63) / 64 * 64 - 10;
        memcpy(buf, "\x93NUMPY\x01\x00", 8);
        buf[8] = (uint8_t)pad;
        buf[9] = 0;
        memset(buf + 10 + hl, ' ', pad - (size_t)hl);
        buf[10 + pad - 1] = '\n';
        n = 10 + pad;
        /* usually exactly the data the shape needs (zero-filled), now and then not */
        memcpy(buf + n, data + 4, have);
        if (!(data[0] & 8) && have < need) {
            uint8_t *more = realloc(buf, n + need);
            if (!more) {
                free(buf);
                return 0;
            }
            buf = more;
            memset(buf + n + have, 0, need - have);
        }
        n += (data[0] & 8) ? have : need;
    } else {
        memcpy(buf, data + 1, size - 1);
        n = size - 1;
    }
    fuzz_seq_load(fuzz_file(buf, n, ".npy"), &o);
    free(buf);
    return 0;
}
