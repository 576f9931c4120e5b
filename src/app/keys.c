/* keys.c: names of the curses-independent key codes, both ways (key scripts, help, tests). */
#include "keys.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    int key;
    const char *name;
} key_names[] = {
    {KEYC_UP, "Up"},           {KEYC_DOWN, "Down"},         {KEYC_LEFT, "Left"},
    {KEYC_RIGHT, "Right"},     {KEYC_SLEFT, "SLeft"},       {KEYC_SRIGHT, "SRight"},
    {KEYC_HOME, "Home"},       {KEYC_END, "End"},           {KEYC_PAGEUP, "PageUp"},
    {KEYC_PAGEDOWN, "PageDown"}, {KEYC_TAB, "Tab"},         {KEYC_BTAB, "BTab"},
    {KEYC_ENTER, "Enter"},     {KEYC_ESCAPE, "Escape"},     {KEYC_BACKSPACE, "Backspace"},
    {KEYC_DELETE, "Delete"},   {KEYC_INSERT, "Insert"},     {KEYC_RESIZE, "Resize"},
    {KEYC_MOUSE, "Mouse"},     {KEYC_SPACE, "Space"},
};

bool key_is_char(int key)
{
    return key >= 0x20 && key <= 0x10FFFF && key != 0x7f && !(key >= 0x80 && key < 0xa0) &&
           !(key >= 0xD800 && key <= 0xDFFF);
}

size_t key_utf8(int cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t key_to_name(int key, char *buf, size_t cap)
{
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (key_names[i].key == key)
            return (size_t)snprintf(buf, cap, "%s", key_names[i].name);
    if (key >= KEYC_F1 && key <= KEYC_F12)
        return (size_t)snprintf(buf, cap, "F%d", key - KEYC_F1 + 1);
    if (key >= KEYC_CTRL_A && key <= KEYC_CTRL_Z)
        return (size_t)snprintf(buf, cap, "Ctrl+%c", 'A' + (key - KEYC_CTRL_A));
    if (key_is_char(key)) {
        char u[5];
        size_t n = key_utf8(key, u);
        u[n] = '\0';
        return (size_t)snprintf(buf, cap, "%s", u);
    }
    return (size_t)snprintf(buf, cap, "?0x%x", (unsigned)key);
}

/* Decodes exactly one UTF-8 character filling s[0..len); -1 when it is not that. */
static int key_utf8_decode(const unsigned char *s, size_t len)
{
    size_t need;
    uint32_t cp;
    if (len == 0)
        return -1;
    if (s[0] < 0x80) {
        need = 1;
        cp = s[0];
    } else if ((s[0] & 0xE0) == 0xC0) {
        need = 2;
        cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        need = 3;
        cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        need = 4;
        cp = s[0] & 0x07;
    } else {
        return -1;
    }
    if (len != need)
        return -1;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[need] || cp > 0x10FFFF)
        return -1;
    return (int)cp;
}

bool key_parse(const char *name, size_t len, int *key)
{
    int cp = key_utf8_decode((const unsigned char *)name, len);
    if (cp >= 0 && key_is_char(cp)) {
        *key = cp;
        return true;
    }
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (strlen(key_names[i].name) == len && strncasecmp(key_names[i].name, name, len) == 0) {
            *key = key_names[i].key;
            return true;
        }
    if ((len == 2 || len == 3) && (name[0] == 'F' || name[0] == 'f')) {
        int n = name[1] - '0';
        if (len == 3)
            n = n * 10 + (name[2] - '0');
        if (name[1] >= '1' && name[1] <= '9' && (len == 2 || (name[2] >= '0' && name[2] <= '9')) &&
            n >= 1 && n <= 12) {
            *key = KEYC_F(n);
            return true;
        }
    }
    if (len == 6 && strncasecmp(name, "Ctrl+", 5) == 0) {
        char c = (char)(name[5] | 0x20);
        if (c >= 'a' && c <= 'z') {
            *key = KEYC_CTRL(c);
            return true;
        }
    }
    return false;
}
