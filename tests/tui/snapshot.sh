#!/bin/sh
# snapshot.sh: one golden --snapshot frame, for meson's test(). Exit 0 pass, 1 fail.
#   snapshot.sh EXE GOLDEN LOCALE ARGS...
# runs `LC_ALL=LOCALE EXE --snapshot ARGS...` and compares stdout byte for byte with GOLDEN.
# An argument @BIG@ is replaced by a 50,000-token TSV generated here, @HUGE@ by a 262,144-token
# one, deterministically (integer arithmetic only, so every machine writes the same file).
# Set LOGITSCOPE_GOLDEN_UPDATE=1 to rewrite GOLDEN from the current output instead.
set -u
exe=$1 golden=$2 locale=$3
shift 3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

big() {
    # logit = -r/50 for a scrambled rank r, plus a head of five favourites
    awk 'BEGIN {
        print "# 50,000 generated tokens: a few favourites and a long tail"
        for (i = 0; i < 50000; i++) {
            r = (i * 7919) % 50000
            c = -2 * r
            if (r < 5) c += (5 - r) * 150
            s = c < 0 ? "-" : ""
            a = c < 0 ? -c : c
            printf "tok%05d\t%s%d.%02d\n", i, s, int(a / 100), a % 100
        }
    }' >"$tmp/big.tsv"
}

huge() {
    # 262,144 tokens: logit = -r/20000 for a scrambled rank r, three favourites, and long
    # names every 4,096 tokens
    awk 'BEGIN {
        print "# 262,144 generated tokens: a nearly flat vocabulary of a real size"
        for (i = 0; i < 262144; i++) {
            r = (i * 7919) % 262144
            c = -r * 5
            if (r < 3) c += (3 - r) * 200000
            s = c < 0 ? "-" : ""
            a = c < 0 ? -c : c
            name = i % 4096 == 0 ? sprintf("a_long_token_name_for_row_%06d", i) : sprintf("t%06d", i)
            printf "%s\t%s%d.%05d\n", name, s, int(a / 100000), a % 100000
        }
    }' >"$tmp/huge.tsv"
}

set -- "$@" END
for a; do
    shift
    case $a in
    END) ;;
    @BIG@) big; set -- "$@" "$tmp/big.tsv" ;;
    @HUGE@) huge; set -- "$@" "$tmp/huge.tsv" ;;
    *) set -- "$@" "$a" ;;
    esac
done

LC_ALL=$locale "$exe" --snapshot "$@" >"$tmp/out" 2>"$tmp/err"
status=$?
if [ "$status" -ne 0 ]; then
    echo "FAIL: exit status $status"
    cat "$tmp/err"
    exit 1
fi
if [ "${LOGITSCOPE_GOLDEN_UPDATE:-}" = 1 ]; then
    cp "$tmp/out" "$golden"
    echo "updated $golden"
    exit 0
fi
if ! cmp -s "$tmp/out" "$golden"; then
    diff -u "$golden" "$tmp/out" | head -n 80
    echo "FAIL: the frame differs from $golden"
    exit 1
fi
