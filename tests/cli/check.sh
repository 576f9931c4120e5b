#!/bin/sh
# check.sh: one command-line check of the logitscope executable, for meson's test().
# Exit status 0 = pass, 1 = fail, 77 = skip. Usage:
#   check.sh EXE golden GOLDEN ARGS...       exit 0 and stdout byte-for-byte equal to GOLDEN
#   check.sh EXE fails STATUS TEXT ARGS...   exit STATUS, TEXT on stderr, nothing on stdout
#   check.sh EXE prints TEXT ARGS...         exit 0 and TEXT on stdout
#   check.sh EXE lines COUNT ARGS...         exit 0 and exactly COUNT lines on stdout
#   check.sh EXE readme README TAG ARGS...   exit 0 and stdout equal to README's block between
#                                            <!-- TAG ... --> and <!-- /TAG -->
#   check.sh EXE clean ARGS...               exit 0 and no raw ESC, C1 or bidi bytes on stdout
#   check.sh EXE clean-error TEXT ARGS...     exit 2, TEXT on stderr, no raw ESC/C1/bidi there
#                                            (\e in ARGS stands for an ESC byte)
#   check.sh EXE pipe ARGS...                a reader that stops early: no message on stderr
#   check.sh EXE full ARGS...                stdout is /dev/full: exit 1 with a message
#   check.sh EXE input GEN STATUS TEXT ARGS... stdin from the shell command GEN; exit STATUS
#                                            and TEXT on stdout (STATUS 0) or stderr; within
#                                            256 MB of address space (unless sanitized)
#   check.sh EXE golden-stdin INPUT GOLDEN ARGS...  as golden, with stdin read from INPUT
#   check.sh EXE fails-stdin INPUT STATUS TEXT ARGS...  as fails, with stdin read from INPUT
# ARGS are the arguments of logitscope itself.
# Set LOGITSCOPE_GOLDEN_UPDATE=1 to rewrite GOLDEN files (and README's block) from the current
# output instead.
set -u
exe=$1
mode=$2
shift 2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "FAIL: $*"
    echo "--- stdout (first lines)"
    head -n 20 "$tmp/out"
    echo "--- stderr"
    cat "$tmp/err"
    exit 1
}

# ESC, CSI (C1 0x9b as UTF-8: c2 9b) or RIGHT-TO-LEFT OVERRIDE (e2 80 ae) in FILE?
raw_bytes() {
    LC_ALL=C grep -q "$(printf '\033')" "$1" ||
        LC_ALL=C grep -q "$(printf '\302\233')" "$1" ||
        LC_ALL=C grep -q "$(printf '\342\200\256')" "$1"
}

input=/dev/null
run() {
    "$exe" "$@" <"$input" >"$tmp/out" 2>"$tmp/err"
    status=$?
}

case $mode in
golden-stdin | fails-stdin)
    input=$1
    shift
    mode=${mode%-stdin}
    ;;
esac

case $mode in
golden)
    golden=$1
    shift
    run "$@"
    [ "$status" -eq 0 ] || fail "exit status $status, want 0"
    if [ "${LOGITSCOPE_GOLDEN_UPDATE:-}" = 1 ]; then
        cp "$tmp/out" "$golden"
        echo "updated $golden"
        exit 0
    fi
    cmp -s "$tmp/out" "$golden" || {
        diff -u "$golden" "$tmp/out" | head -n 60
        fail "output differs from $golden"
    }
    ;;
fails)
    want=$1 text=$2
    shift 2
    run "$@"
    [ "$status" -eq "$want" ] || fail "exit status $status, want $want"
    grep -qF -e "$text" "$tmp/err" || fail "stderr lacks: $text"
    [ ! -s "$tmp/out" ] || fail "stdout is not empty"
    ;;
readme)
    # The block between "<!-- TAG" and "<!-- /TAG -->", inside its ``` fence.
    readme=$1 tag=$2
    shift 2
    run "$@"
    [ "$status" -eq 0 ] || fail "exit status $status, want 0"
    if [ "${LOGITSCOPE_GOLDEN_UPDATE:-}" = 1 ]; then
        # tests run in parallel and several rewrite README.md: one at a time
        exec 9>"${TMPDIR:-/tmp}/logitscope-readme.lock"
        flock 9
        awk -v out="$tmp/out" -v open="<!-- $tag" '
            skip && /^```$/ { skip = 0 }
            !skip { print }
            index($0, open) == 1 && substr($0, length(open) + 1, 1) ~ /[ :]/ {
                getline; print; while ((getline l < out) > 0) print l; skip = 1
            }
        ' "$readme" >"$tmp/readme" && cp "$tmp/readme" "$readme"
        echo "updated $readme"
        exit 0
    fi
    awk -v open="<!-- $tag" -v shut="<!-- /$tag -->" '
        index($0, shut) == 1 { on = 0 }
        on { print }
        index($0, open) == 1 && substr($0, length(open) + 1, 1) ~ /[ :]/ { on = 1 }
    ' "$readme" | sed '1d;$d' >"$tmp/want"
    [ -s "$tmp/want" ] || fail "no <!-- $tag --> block in $readme"
    cmp -s "$tmp/want" "$tmp/out" || {
        diff -u "$tmp/want" "$tmp/out" | head -n 60
        fail "the README's $tag block is not what a real run prints"
    }
    ;;
prints)
    text=$1
    shift
    run "$@"
    [ "$status" -eq 0 ] || fail "exit status $status, want 0"
    grep -qF -e "$text" "$tmp/out" || fail "stdout lacks: $text"
    ;;
lines)
    want=$1
    shift
    run "$@"
    [ "$status" -eq 0 ] || fail "exit status $status, want 0"
    got=$(wc -l <"$tmp/out")
    [ "$got" -eq "$want" ] || fail "$got lines, want $want"
    ;;
clean)
    run "$@"
    [ "$status" -eq 0 ] || fail "exit status $status, want 0"
    raw_bytes "$tmp/out" && fail "raw control bytes in the output"
    ;;
clean-error)
    text=$1
    shift
    esc=$(printf '\033')
    # meson cannot pass an ESC byte, so the arguments spell it \e (no globbing of "[")
    set -f
    set -- $(printf '%s\n' "$@" | sed "s/\\\\e/$esc/g")
    run "$@"
    [ "$status" -eq 2 ] || fail "exit status $status, want 2"
    grep -qF -e "$text" "$tmp/err" || fail "stderr lacks: $text"
    raw_bytes "$tmp/err" && fail "raw control bytes on stderr"
    ;;
pipe)
    # The first line only, then the reader is gone: SIGPIPE (or EPIPE) ends the run quietly.
    "$exe" "$@" 2>"$tmp/err" | head -n 1 >"$tmp/out"
    [ -s "$tmp/out" ] || fail "no output before the pipe closed"
    [ ! -s "$tmp/err" ] || fail "messages on stderr after the reader went away"
    ;;
full)
    [ -w /dev/full ] || { echo "SKIP: no /dev/full"; exit 77; }
    "$exe" "$@" >/dev/full 2>"$tmp/err"
    status=$?
    : >"$tmp/out"
    [ "$status" -eq 1 ] || fail "exit status $status, want 1"
    grep -qE "error writing the (output|snapshot): No space left on device" "$tmp/err" ||
        fail "no write error and its reason reported"
    ;;
input)
    # The sanitizers' shadow memory needs a huge address space, so only plain builds get the
    # bound that makes a loader reading an endless line into memory fail here.
    gen=$1 want=$2 text=$3
    shift 3
    (
        [ -n "${LOGITSCOPE_SANITIZED:-}" ] || ulimit -v 262144
        sh -c "$gen" | "$exe" "$@" >"$tmp/out" 2>"$tmp/err"
    )
    status=$?
    [ "$status" -eq "$want" ] || fail "exit status $status, want $want"
    if [ "$want" -eq 0 ]; then
        grep -qF -e "$text" "$tmp/out" || fail "stdout lacks: $text"
    else
        grep -qF -e "$text" "$tmp/err" || fail "stderr lacks: $text"
        [ ! -s "$tmp/out" ] || fail "stdout is not empty"
    fi
    ;;
*)
    echo "check.sh: unknown mode $mode"
    exit 1
    ;;
esac
exit 0
