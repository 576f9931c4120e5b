#!/bin/sh
# install.sh MESON BUILDDIR PREFIX MANDIR DATADIR FILE=DIR...: `meson install --destdir` puts
# each generated FILE (man page, completions) in DIR under the prefix (MANDIR and DATADIR as
# meson's options give them: relative to PREFIX, or absolute), byte for byte as built, and the
# program next to them. Exit 0 = pass, 1 = fail, 77 = skip (no meson).
set -u
meson=$1 build=$2 prefix=$3 mandir=$4 datadir=$5
shift 5
[ -x "$meson" ] || command -v "$meson" >/dev/null 2>&1 || { echo "meson not found"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
under() {
    case $1 in
    /*) echo "$tmp/root$1" ;;
    *) echo "$tmp/root$prefix/$1" ;;
    esac
}
"$meson" install -C "$build" --no-rebuild --quiet --destdir "$tmp/root" >"$tmp/log" 2>&1 || {
    echo "FAIL: meson install:"
    cat "$tmp/log"
    exit 1
}
failed=0
for pair in "$@"; do
    built=${pair%%=*} dir=${pair#*=}
    installed=$(under "$dir")/$(basename "$built")
    if cmp -s "$built" "$installed"; then
        echo "ok: ${installed#"$tmp/root"}"
    else
        echo "FAIL: $installed is missing or differs from $built"
        failed=1
    fi
done
[ -x "$tmp/root$prefix/bin/logitscope" ] || [ -x "$(under bin)/logitscope" ] || {
    echo "FAIL: no bin/logitscope under $tmp/root$prefix"
    failed=1
}
[ -f "$(under "$datadir")/logitscope/decisions.tsv" ] || {
    echo "FAIL: no data under $(under "$datadir")/logitscope"
    failed=1
}
exit "$failed"
