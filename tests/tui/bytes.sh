#!/bin/sh
# bytes.sh: what each key costs on the wire, measured in a real terminal (tmux pipe-pane).
#   tests/tui/bytes.sh EXE [TERM [COLSxROWS]] -- KEY...     (tmux key names: Right, Left, ...)
# prints "KEY=BYTES" for each key. Not a test: test_tui checks the same budget offscreen.
set -u
exe=$1
shift
term=xterm-256color size=80x24
[ $# -gt 0 ] && [ "$1" != -- ] && { term=$1; shift; }
[ $# -gt 0 ] && [ "$1" != -- ] && { size=$1; shift; }
[ "${1:-}" = -- ] && shift
command -v tmux >/dev/null || { echo "tmux not found"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
sock="lsbytes-$$"
out=$(mktemp) || exit 1
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -f "$out"' EXIT
tmux -L "$sock" -f /dev/null new-session -d -x "${size%x*}" -y "${size#*x}" \
    "env TERM=$term LOGITSCOPE_DATA='${LOGITSCOPE_DATA:-$here/../../data}' '$exe'; sleep 60"
sleep 0.5
tmux -L "$sock" pipe-pane -o "cat >>'$out'"
sleep 0.3
for k; do
    a=$(wc -c <"$out")
    tmux -L "$sock" send-keys "$k"
    sleep 0.25
    b=$(wc -c <"$out")
    printf '%s=%d ' "$k" $((b - a))
done
echo
