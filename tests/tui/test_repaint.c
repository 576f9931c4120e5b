/* test_repaint.c: the bytes that paint the last frame again at a recording's end, read back
 * as a player would: the frame --snapshot prints, row for row, in the theme's colours, wide
 * characters included, the last row written to its last column. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "logitscope/text.h"
#include "model.h"
#include "tap.h"
#include "lab_fixture.h"
#include "screen_fixture.h"
#include "tui.h"

static const char *const captions[] = {"T divides the logits"};

static void start(struct model *m, const struct vocab *v)
{
    struct model_config c = {.vocab = v, .source_name = "decisions.tsv",
                             .params = params_default(), .samples = 10000, .seed = 1,
                             .captions = captions, .n_captions = 1};
    model_or_bail(m, &c);
}

/* The repaint's rows as text: CR LF between rows, CSI n C over blank cells, SGR and EL draw
 * nothing. Returns false on anything else. */
static bool repaint_text(const char *b, size_t len, FILE *out, int *rows)
{
    *rows = 1;
    for (size_t i = 0; i < len; i++) {
        if (b[i] == '\x1b') {
            if (i + 1 >= len || b[i + 1] != '[')
                return false;
            size_t j = i + 2;
            int n = 0;
            while (j < len && ((b[j] >= '0' && b[j] <= '9') || b[j] == ';'))
                n = b[j] == ';' ? 0 : n * 10 + (b[j] - '0'), j++;
            if (j == len || (b[j] != 'm' && b[j] != 'K' && b[j] != 'C'))
                return false;
            for (int k = 0; b[j] == 'C' && k < n; k++)
                fputc(' ', out);
            i = j;
        } else if (b[i] == '\r' && i + 1 < len && b[i + 1] == '\n') {
            fputc('\n', out);
            ++*rows;
            i++;
        } else if (b[i] != '\r') {
            fputc(b[i], out);
        }
    }
    fputc('\n', out);
    return true;
}

/* Each line of s without its trailing blanks. */
static void trim_lines(char *s)
{
    char *w = s;
    for (char *p = s; *p;) {
        size_t n = strcspn(p, "\n");
        size_t keep = n;
        while (keep > 0 && p[keep - 1] == ' ')
            keep--;
        memmove(w, p, keep);
        w += keep;
        p += n;
        if (*p == '\n')
            *w++ = *p++;
    }
    *w = '\0';
}

static void test_repaint(const struct vocab *v)
{
    static const char *const tokens[] = {"\xe6\x97\xa5\xe6\x9c\xac", "wide", "x"};
    static const double logits[] = {3.0, 2.0, 1.0};
    struct vocab cjk;
    struct ls_error err;
    if (vocab_from_logits(&cjk, logits, 3, tokens, &err) != 0) {
        printf("Bail out! %s\n", err.msg);
        exit(1);
    }
    const struct vocab *vocabs[] = {v, &cjk};
    for (int i = 0; i < 2; i++) {
        struct model m;
        start(&m, vocabs[i]);
        struct tui_screen *s = screen_open(&(struct tui_opts){.ascii = false}, &m, 80, 24, NULL,
                                           NULL);
        tui_screen_action(s, &m, &(struct action){ACT_SAY, 0, 0.0});
        tui_screen_key(s, &m, KEYC_RIGHT);
        size_t len;
        char *bytes = tui_screen_repaint(s, &len);
        size_t dump_len, painted_len = 0;
        char *dump = screen_text(s, &dump_len), *painted = NULL;
        FILE *f = open_memstream(&painted, &painted_len);
        int rows = 0;
        bool ok = bytes && repaint_text(bytes, len, f, &rows);
        fclose(f);
        trim_lines(painted);
        tap_ok(ok && rows == 24 && strcmp(painted, dump) == 0,
               "%s: the repaint paints the frame --snapshot prints, row for row",
               i ? "a token of wide characters" : "the lab");
        tap_ok(bytes && strncmp(bytes, "\x1b[0m\r\x1b[K", 7) == 0 && len > 4 &&
                   strcmp(bytes + len - 4, "\x1b[0m") == 0,
               "it starts at the line's start, erased, and ends with the attributes reset");
        tap_ok(bytes && strstr(bytes, "\x1b[0;1;38;5;231;48;5;24m logitscope ") &&
                   strstr(bytes, "\x1b[0;1;38;5;231;48;5;24m T divides the logits"),
               "with the theme's colours: the title and the caption");
        /* the last row (the status line) is written whole: 80 cells after the last CR LF */
        const char *last = bytes ? strrchr(bytes, '\n') : NULL;
        char *cells = NULL;
        size_t cells_len = 0;
        f = open_memstream(&cells, &cells_len);
        int one;
        if (last)
            repaint_text(last + 1, strlen(last + 1), f, &one);
        fclose(f);
        tap_ok(last && cells_len > 0 && (int)text_width(cells, cells_len - 1) == 80,
               "the last row is written to its last column");
        free(cells);
        free(bytes);
        free(dump);
        free(painted);
        tui_screen_close(s);
        model_free(&m);
    }
    vocab_free(&cjk);
}

int main(void)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    struct vocab v;
    lab_vocab(&v);
    test_repaint(&v);
    vocab_free(&v);
    return tap_done();
}
