#!/bin/sh
# run.sh: each libFuzzer harness for a bounded time, starting from its regression corpus.
#   tests/fuzz/run.sh BUILD_DIR SECONDS [NAME...]
# BUILD_DIR is a meson build made with clang (CC=clang meson setup BUILD_DIR); NAMEs pick
# harnesses (default: every fuzz_*-libfuzzer in BUILD_DIR/tests/fuzz). The corpus is copied
# first, so the checkout stays as it is; what a run finds goes to $FUZZ_OUT (default: a
# temporary directory, removed when every harness passed): crash-*, leak-*, timeout-* and
# oom-* inputs, the grown corpora and each harness's log.
# Exit 0: no harness failed; 1: one did (the input that shows it is named); 2: usage.
set -u
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR SECONDS [NAME...]" >&2; exit 2; }
build=$1 seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
out=${FUZZ_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/logitscope-fuzz-XXXXXX")}
mkdir -p "$out" || exit 2

if [ $# -eq 0 ]; then
    for bin in "$build"/tests/fuzz/fuzz_*-libfuzzer; do
        [ -x "$bin" ] || continue
        name=${bin##*/fuzz_}
        set -- "$@" "${name%-libfuzzer}"
    done
fi
[ $# -gt 0 ] || {
    echo "run.sh: no libFuzzer harnesses in $build/tests/fuzz (configure it with CC=clang)" >&2
    exit 2
}

failed=0
for name; do
    bin=$build/tests/fuzz/fuzz_$name-libfuzzer
    [ -x "$bin" ] || { echo "run.sh: no $bin" >&2; exit 2; }
    work=$out/$name
    rm -rf "$work"
    mkdir -p "$work/corpus"
    cp "$here/corpus/$name/"* "$work/corpus/" 2>/dev/null
    # new inputs go to the copy; the regression corpus is read only
    nice -n 10 "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 \
        -timeout=10 -max_len=8192 -print_final_stats=1 -artifact_prefix="$work/" \
        "$work/corpus" "$here/corpus/$name" >"$work/log" 2>&1
    status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
    if [ $status -eq 0 ]; then
        echo "ok $name: ${runs:-?} runs in ${seconds}s"
    else
        failed=1
        echo "FAIL $name (exit $status); log: $work/log"
        for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
            [ -e "$a" ] && echo "  input: $a"
        done
        grep -m 5 -E 'ERROR|SUMMARY|runtime error' "$work/log" | sed 's/^/  /'
    fi
done
if [ -z "${FUZZ_OUT:-}" ] && [ $failed -eq 0 ]; then
    rm -rf "$out" # a temporary directory, and nothing in it to keep
else
    echo "corpora and logs: $out"
fi
exit $failed
