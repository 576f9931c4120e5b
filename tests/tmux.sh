# tmux.sh: the shared harness of the terminal tests (tests/tui/term.sh, tests/play/play.sh),
# sourced after they set case_name and sock. Gives a temp dir removed at exit, a tmux server
# of their own (killed at exit), and helpers to read the screen.

tmp=$(mktemp -d) || exit 1

# Cases that need a fresh server take a new socket named after this one: kill them all.
sock_base=$sock
cleanup() {
    for s in "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock_base"*; do
        [ -S "$s" ] && tmux -L "${s##*/}" kill-server 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
    echo "FAIL ($case_name): $*"
    if [ -f "$tmp/screen" ]; then
        echo "--- last screen"
        cat "$tmp/screen"
    fi
    exit 1
}

# The server passes its environment to the explorer. Under ASan, LeakSanitizer's scan at exit
# can hang for good in a process whose terminal has just gone away (seen in the kill-window
# cases), so leaks are checked by the unit, snapshot and offscreen tests, not here.
T() { ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" tmux -L "$sock" -f /dev/null "$@"; }

capture() { T capture-pane -p "$@" >"$tmp/screen"; }

# wait_grep GREP-FLAG PATTERN [TENTHS]: until the screen matches (default 5 seconds).
wait_grep() {
    i=0
    while [ $i -lt "${3:-50}" ]; do
        capture
        grep -q "$1" -e "$2" "$tmp/screen" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# settle PID [READS]: until PID has read every byte sent to its terminal, sleeps (waits for
# input) or has ended, and the screen stays the same over two looks; at most 10 seconds. With
# READS (its read calls before the keys were sent, proc_reads), also until it has read since:
# tmux writes a key to the terminal a moment after send-keys returns, so an empty input queue
# alone may come before the key. A fixed pause after keys races a busy machine; this waits as
# long as the explorer takes.
settle() {
    pane_tty=$(T display -p '#{pane_tty}')
    i=0 seen=0
    while [ $i -lt 200 ]; do
        case $(proc_state "$1") in S | Z) idle=1 ;; *) idle=0 ;; esac
        reads=$(proc_reads "$1")
        [ -n "${2:-}" ] && [ "$2" -ge 0 ] && [ "$reads" -ge 0 ] && [ "$reads" -le "$2" ] && idle=0
        if [ $idle = 1 ] && [ "$(tty_unread "$pane_tty")" = 0 ]; then
            capture
            [ $seen = 1 ] && cmp -s "$tmp/screen" "$tmp/screen.before" && return 0
            cp "$tmp/screen" "$tmp/screen.before"
            seen=1
        else
            seen=0
        fi
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

# proc_reads PID: the read calls PID has made so far (/proc/PID/io), or -1 when that cannot
# be known (no such file: another system, or the process has ended).
proc_reads() {
    r=$(sed -n 's/^syscr: //p' "/proc/$1/io" 2>/dev/null)
    echo "${r:--1}"
}

# tty_unread TTY: bytes waiting in TTY's input queue, not yet read by the program on it.
tty_unread() {
    python3 -c 'import fcntl, os, struct, sys, termios
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
print(struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0])' "$1" 2>/dev/null ||
        echo 0
}

# proc_state PID: R running, S sleeping, Z zombie... (S when /proc is missing)
proc_state() {
    if [ -r "/proc/$1/stat" ]; then sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1; else echo S; fi
}

# wait_for TEXT [TENTHS]: until TEXT is on screen. wait_re REGEX [TENTHS]: until a line
# matches REGEX (grep's basic syntax).
wait_for() { wait_grep -F "$@"; }
wait_re() { wait_grep -G "$@"; }

# restored STATUS [TENTHS]: the pane printed "EXIT=STATUS TTY=same" and the terminal is as it
# was: off the alternate screen, cursor shown.
restored() {
    wait_for "EXIT=$1 TTY=same" "${2:-30}" || fail "want EXIT=$1 TTY=same"
    [ "$(T display -p '#{alternate_on}')" = 0 ] || fail "still on the alternate screen"
    [ "$(T display -p '#{cursor_flag}')" = 1 ] || fail "the cursor is still hidden"
}

# alive PID: running and not a zombie.
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    [ "$(proc_state "$1")" != Z ]
}

# gone_in_time PID: the process ends within a second. Under ASan/UBSan (LOGITSCOPE_SANITIZED,
# set by tests/meson.build) five: LeakSanitizer's scan at exit alone can take a second.
gone_in_time() {
    i=0 limit=20
    [ -n "${LOGITSCOPE_SANITIZED:-}" ] && limit=100
    while alive "$1"; do
        [ $i -ge $limit ] && return 1
        sleep 0.05
        i=$((i + 1))
    done
    return 0
}

# run.sh PIDFILE EXE ARGS...: runs the explorer, records its pid in PIDFILE and the terminal
# settings before and after, then prints its exit status ("EXIT=N TTY=same") and keeps the
# pane open so the screen can still be read.
cat >"$tmp/run.sh" <<'RUN'
#!/bin/sh
pidfile=$1
shift
trap true INT # Ctrl+C is for the explorer; this script must live on to report
stty -g >"$pidfile.stty-before" 2>/dev/null
sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@"
status=$?
stty -g >"$pidfile.stty-after" 2>/dev/null
if cmp -s "$pidfile.stty-before" "$pidfile.stty-after"; then tty=same; else tty=changed; fi
echo "EXIT=$status TTY=$tty"
exec sleep 60
RUN
