#!/bin/sh
# manpage_render.sh PAGE: PAGE renders with groff's man macros without a warning, and no
# request leaks into the text (a ".TP" glued to the end of a line is read as words).
# Exit 0 = pass, 1 = fail, 77 = skip (no groff).
set -u
page=$1
command -v groff >/dev/null 2>&1 || { echo "groff not found"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# -ww: every warning; -z: no output, only the diagnostics
groff -man -Tutf8 -ww -z "$page" 2>"$tmp/warnings"
status=$?
if [ "$status" -ne 0 ] || [ -s "$tmp/warnings" ]; then
    echo "FAIL: groff exits $status with:"
    cat "$tmp/warnings"
    exit 1
fi
# Plain text: no bold or underline by overstriking (grotty -c -b -u), no hyphenation breaks.
groff -man -Tascii -P-cbu -rHY=0 "$page" >"$tmp/text" 2>/dev/null
if grep -nE '(^|[^[:alnum:]/])\.(TH|SH|SS|TP|PP|RS|RE|br|nf|fi)([^[:alnum:]]|$)' "$tmp/text"; then
    echo "FAIL: a request is printed as text (above)"
    exit 1
fi
# The dashes of the options are real hyphen-minus characters, as typed.
grep -q -e '--top-p=P' "$tmp/text" || { echo "FAIL: --top-p=P is not in the text"; exit 1; }
grep -q -e 'logitscope sweep' "$tmp/text" || { echo "FAIL: no sweep synopsis"; exit 1; }
echo "ok: $(wc -l <"$tmp/text") lines, no warnings"
