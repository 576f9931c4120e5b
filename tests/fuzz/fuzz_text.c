/* fuzz_text.c: libFuzzer harness for text_escape/text_width/text_fit: whatever the bytes,
 * the escaped text holds no control byte, fits its buffer, and fitting never overruns.
 * Built and run as README says. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned flags = size ? data[0] & 3u : 0;
    size_t cap = size ? 1 + data[size - 1] % 64 : 1; /* short buffers too */
    char small[64], big[8192];
    size_t n, w, fit, fit_w;

    if (size > 800)
        return 0;
    n = text_escape((const char *)data, size, flags, big, sizeof big);
    if (n != strlen(big))
        abort(); /* the escaped text never holds a NUL */
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)big[i] < 0x20 || big[i] == 0x7f)
            abort();
    if (text_escape((const char *)data, size, flags, small, cap) >= cap ||
        strncmp(small, big, strlen(small)) != 0)
        abort(); /* a short buffer holds a prefix of the full rendering */
    w = text_width(big, n);
    fit = text_fit(big, n, w / 2, &fit_w);
    if (fit > n || fit_w > w / 2 || text_fit(big, n, w, NULL) != n)
        abort();
    return 0;
}
