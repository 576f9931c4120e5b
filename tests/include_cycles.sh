#!/bin/sh
# include_cycles.sh: no module includes a file that includes it back. A module is a source
# and its header side by side (src/tui/play.c and src/tui/play.h); the public headers in
# include/ are the engine's interface, a layer below every source. A quoted #include of one
# of our headers is an edge from the including module to the header's module, and tsort(1)
# finds any loop, however long. Header names under src/ must be unique: the build's include
# path finds them by name alone.
#   include_cycles.sh SRC_DIR INCLUDE_DIR
set -eu
[ $# -eq 2 ] || { echo "usage: include_cycles.sh SRC_DIR INCLUDE_DIR" >&2; exit 2; }
files=$(find "$1" "$2" -type f \( -name '*.c' -o -name '*.h' \) | sort)
[ -n "$files" ] || { echo "no sources under $1 and $2" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

find "$1" -type f -name '*.h' | sed 's,.*/,,' | sort | uniq -d >"$tmp/dups"
if [ -s "$tmp/dups" ]; then
    echo "header names that stand in two places under $1 (the include path cannot tell them"
    echo "apart):"
    cat "$tmp/dups"
    exit 1
fi

# One "from to" line per include of a header of ours: "x.h" is the header of that name
# under SRC_DIR, "logitscope/x.h" the one under INCLUDE_DIR. A module including its own
# header is no edge.
for f in $files; do
    from=${f%.*}
    sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
    while read -r inc; do
        case $inc in
        */*) header="$2/$inc"; [ -f "$header" ] || continue ;;
        *) header=$(find "$1" -type f -name "$inc" | head -n 1); [ -n "$header" ] || continue ;;
        esac
        to=${header%.h}
        [ "$to" = "$from" ] || echo "$from $to"
    done
done >"$tmp/edges"

if ! tsort "$tmp/edges" >/dev/null 2>"$tmp/loop"; then
    echo "modules that include each other (each includes the next, the last the first):"
    sed -e 's/^tsort: //' -e '/input contains a loop/d' "$tmp/loop"
    exit 1
fi
echo "ok: $(wc -l <"$tmp/edges") includes between modules, no loop"
