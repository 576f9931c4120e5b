/* test_text.c: what reaches the terminal. Every control, invisible or malformed byte comes
 * out as a visible escape; widths follow our own table; fitting never splits a unit. */
#include <stdint.h>

#include "logitscope/text.h"
#include "tap.h"

static const char *esc(const char *s, size_t len, unsigned flags)
{
    static char out[512];

    text_escape(s, len, flags, out, sizeof out);
    return out;
}

#define ESC(lit, flags) esc(lit, sizeof(lit) - 1, flags)

static void test_controls(void)
{
    char one[2] = {0};

    TAP_EQ_STR(ESC("plain text", 0), "plain text", "ASCII is copied");
    TAP_EQ_STR(ESC("\t\n\r\x1b\\", 0), "\\t\\n\\r\\e\\\\", "named escapes");
    TAP_EQ_STR(ESC("a\0b", 0), "a\\x00b", "NUL byte");
    TAP_EQ_STR(ESC("\x01\x7f", 0), "\\x01\\x7f", "other C0 and DEL");
    TAP_EQ_STR(ESC("\x1b[31mred", 0), "\\e[31mred", "a colour sequence is defused");
    for (int c = 0; c < 0x20; c++) {
        one[0] = (char)c;
        const char *o = esc(one, 1, 0);
        tap_ok(o[0] == '\\' && strlen(o) >= 2, "byte 0x%02x is escaped as %s", c, o);
    }
}

static void test_unicode(void)
{
    TAP_EQ_STR(ESC("caf\xc3\xa9", 0), "caf\xc3\xa9", "valid UTF-8 kept");
    TAP_EQ_STR(ESC("\xe4\xb8\xad\xf0\x9f\x98\x80", 0), "\xe4\xb8\xad\xf0\x9f\x98\x80",
               "CJK and emoji kept");
    TAP_EQ_STR(ESC("\xc2\x85", 0), "\\u0085", "C1 NEL");
    TAP_EQ_STR(ESC("\xc2\x9b", 0), "\\u009b", "C1 CSI");
    TAP_EQ_STR(ESC("a\xe2\x80\xae" "b", 0), "a\\u202eb", "RLO bidi override");
    TAP_EQ_STR(ESC("\xe2\x80\x8e\xe2\x80\x8f", 0), "\\u200e\\u200f", "LRM RLM");
    TAP_EQ_STR(ESC("\xe2\x81\xa6\xe2\x81\xa9", 0), "\\u2066\\u2069", "isolates");
    TAP_EQ_STR(ESC("\xd8\x9c", 0), "\\u061c", "Arabic letter mark");
    TAP_EQ_STR(ESC("\xe2\x80\x8b\xe2\x80\x8d", 0), "\\u200b\\u200d", "zero-width space/joiner");
    TAP_EQ_STR(ESC("\xe2\x80\xa8\xe2\x80\xa9", 0), "\\u2028\\u2029", "line/para separators");
    TAP_EQ_STR(ESC("\xef\xbb\xbf", 0), "\\ufeff", "BOM");
    TAP_EQ_STR(ESC("\xf3\xa0\x81\x81", 0), "\\U000e0041", "tag character");
}

static void test_invalid(void)
{
    TAP_EQ_STR(ESC("\x80", 0), "\\x80", "stray continuation");
    TAP_EQ_STR(ESC("\xc0\xaf", 0), "\\xc0\\xaf", "overlong 2-byte");
    TAP_EQ_STR(ESC("\xe0\x80\xaf", 0), "\\xe0\\x80\\xaf", "overlong 3-byte");
    TAP_EQ_STR(ESC("\xf0\x80\x80\xaf", 0), "\\xf0\\x80\\x80\\xaf", "overlong 4-byte");
    TAP_EQ_STR(ESC("\xed\xa0\x80", 0), "\\xed\\xa0\\x80", "surrogate");
    TAP_EQ_STR(ESC("\xf4\x90\x80\x80", 0), "\\xf4\\x90\\x80\\x80", "above U+10FFFF");
    TAP_EQ_STR(ESC("\xf5\x80", 0), "\\xf5\\x80", "F5 lead byte");
    TAP_EQ_STR(ESC("ok\xe4\xb8", 0), "ok\\xe4\\xb8", "truncated at the end");
    TAP_EQ_STR(ESC("\xe4\xb8" "a", 0), "\\xe4\\xb8" "a", "interrupted sequence");
    TAP_EQ_STR(ESC("\xff\xfe", 0), "\\xff\\xfe", "FF FE");
}

static void test_ascii_and_space(void)
{
    TAP_EQ_STR(ESC("caf\xc3\xa9", TEXT_ASCII), "caf\\u00e9", "ASCII mode: BMP");
    TAP_EQ_STR(ESC("\xf0\x9f\x98\x80", TEXT_ASCII), "\\U0001f600", "ASCII mode: astral");
    TAP_EQ_STR(ESC(" the", TEXT_SHOW_SPACE), "\xe2\x90\xa3the", "leading space shown");
    TAP_EQ_STR(ESC("the  ", TEXT_SHOW_SPACE), "the\xe2\x90\xa3\xe2\x90\xa3", "trailing spaces");
    TAP_EQ_STR(ESC(" a b ", TEXT_SHOW_SPACE), "\xe2\x90\xa3" "a b\xe2\x90\xa3",
               "inner space kept");
    TAP_EQ_STR(ESC("  ", TEXT_SHOW_SPACE), "\xe2\x90\xa3\xe2\x90\xa3", "all spaces");
    TAP_EQ_STR(ESC(" the", TEXT_SHOW_SPACE | TEXT_ASCII), "_the", "ASCII space glyph");
    TAP_EQ_STR(ESC(" the", 0), " the", "spaces kept without the flag");
    char a[16], b[16];
    text_escape(" the", 4, TEXT_SHOW_SPACE, a, sizeof a);
    text_escape("the", 3, TEXT_SHOW_SPACE, b, sizeof b);
    tap_ok(strcmp(a, b) != 0, "\" the\" and \"the\" look different");
    TAP_EQ_STR(ESC("", TEXT_SHOW_SPACE), "", "empty token");
}

static void test_truncation(void)
{
    char out[16];

    memset(out, 'Z', sizeof out);
    TAP_EQ_INT(text_escape("abc", 3, 0, out, 0), 0, "cap 0 writes nothing");
    tap_ok(out[0] == 'Z', "cap 0 leaves the buffer alone");
    TAP_EQ_INT(text_escape("abc", 3, 0, out, 3), 2, "cap 3 fits two bytes and the NUL");
    TAP_EQ_STR(out, "ab", "cut ASCII");
    TAP_EQ_INT(text_escape("\xe4\xb8\xad", 3, 0, out, 3), 0, "a CJK char is never split");
    TAP_EQ_STR(out, "", "nothing rather than half a character");
    TAP_EQ_INT(text_escape("a\x01", 2, 0, out, 5), 1, "an escape is never split");
    TAP_EQ_STR(out, "a", "stops before \\x01");
    TAP_EQ_INT(text_escape("a\x01" "b", 3, 0, out, 6), 5, "exact fit");
    TAP_EQ_STR(out, "a\\x01", "then stops: later units are not written after a cut");
}

/* Whatever the bytes, the output is valid UTF-8 without controls or bidi characters. */
static int safe_output(const unsigned char *o, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (o[i] < 0x20 || o[i] == 0x7f)
            return 0;
        if (o[i] == 0xc2 && i + 1 < n && o[i + 1] < 0xa0)
            return 0; /* C1 */
        if (o[i] == 0xe2 && i + 2 < n && o[i + 1] == 0x80 && o[i + 2] >= 0xaa &&
            o[i + 2] <= 0xae)
            return 0; /* bidi embedding/override */
    }
    return 1;
}

static void test_random_bytes(void)
{
    uint64_t x = 88172645463325252u;
    unsigned char in[64];
    char out[64 * 10 + 1];
    int bad = 0;

    for (int round = 0; round < 20000; round++) {
        size_t n = round % 64;
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            in[i] = (unsigned char)(round % 3 ? x : 0x80 | (x & 0x7f) | (x >> 8 & 0x40));
        }
        size_t m = text_escape((const char *)in, n, round & 3, out, sizeof out);
        bad += m != strlen(out) || !safe_output((const unsigned char *)out, m);
    }
    TAP_EQ_INT(bad, 0, "20000 random strings escape to safe text");
}

static void test_width(void)
{
    TAP_EQ_INT(text_width("abc", 3), 3, "ASCII width");
    TAP_EQ_INT(text_width("\xe4\xb8\xad\xe6\x96\x87", 6), 4, "CJK width 2 each");
    TAP_EQ_INT(text_width("\xed\x95\x9c", 3), 2, "Hangul syllable");
    TAP_EQ_INT(text_width("\xe1\x84\x80", 3), 2, "Hangul jamo U+1100");
    TAP_EQ_INT(text_width("\xf0\x9f\x98\x80", 4), 2, "emoji U+1F600");
    TAP_EQ_INT(text_width("\xf0\x9f\xa4\x94", 4), 2, "emoji U+1F914");
    TAP_EQ_INT(text_width("\xef\xbc\xa1", 3), 2, "fullwidth A");
    TAP_EQ_INT(text_width("\xe3\x80\x80", 3), 2, "ideographic space");
    TAP_EQ_INT(text_width("\xf0\xa0\x80\x80", 4), 2, "CJK extension B");
    TAP_EQ_INT(text_width("e\xcc\x81", 3), 1, "combining acute is 0");
    TAP_EQ_INT(text_width("\xef\xb8\x8f", 3), 0, "variation selector is 0");
    TAP_EQ_INT(text_width("\xc3\xa9\xce\xb1\xd0\xb6", 6), 3, "Latin/Greek/Cyrillic 1 each");
    TAP_EQ_INT(text_width("\\x01\\u202e", 10), 10, "escapes count their characters");
    TAP_EQ_INT(text_width("", 0), 0, "empty");
    TAP_EQ_INT(text_width("\xe2\x90\xa3", 3), 1, "the space glyph is 1");
}

static void test_fit(void)
{
    size_t w = 99;

    TAP_EQ_INT(text_fit("abcdef", 6, 3, &w), 3, "fit ASCII");
    TAP_EQ_INT(w, 3, "fit ASCII width");
    TAP_EQ_INT(text_fit("\xe4\xb8\xad\xe6\x96\x87", 6, 3, &w), 3, "a wide char is not split");
    TAP_EQ_INT(w, 2, "leaving one column");
    TAP_EQ_INT(text_fit("a\\x01b", 6, 3, &w), 1, "an escape is not split");
    TAP_EQ_INT(w, 1, "width before the escape");
    TAP_EQ_INT(text_fit("a\\x01b", 6, 5, &w), 5, "the whole escape fits");
    TAP_EQ_INT(text_fit("e\xcc\x81x", 4, 1, &w), 3, "a combining mark stays with its base");
    TAP_EQ_INT(w, 1, "combining width");
    TAP_EQ_INT(text_fit("abc", 3, 0, &w), 0, "zero columns");
    TAP_EQ_INT(text_fit("abc", 3, 10, NULL), 3, "everything fits, width may be NULL");
    TAP_EQ_INT(text_fit("\xe4\xb8", 2, 10, &w), 2, "invalid bytes count 1 each");
}

/* Messages that already hold escapes keep their backslashes; control bytes are still escaped. */
static void test_keep_backslash(void)
{
    char out[64];
    const char msg[] = "/tmp/\\x1b\033]0;t\a.tsv"; /* an escaped excerpt, then raw ESC, BEL */
    text_escape(msg, sizeof msg - 1, TEXT_KEEP_BACKSLASH, out, sizeof out);
    TAP_EQ_STR(out, "/tmp/\\x1b\\e]0;t\\x07.tsv",
               "TEXT_KEEP_BACKSLASH: backslashes stay, ESC and BEL escaped");
}

int main(void)
{
    test_keep_backslash();
    test_controls();
    test_unicode();
    test_invalid();
    test_ascii_and_space();
    test_truncation();
    test_random_bytes();
    test_width();
    test_fit();
    return tap_done();
}
