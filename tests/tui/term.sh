#!/bin/sh
# term.sh: the explorer in a real terminal (tmux), for meson's test().
#   term.sh EXE CASE     exit 0 pass, 1 fail, 77 skip (no tmux)
# Each case runs its own tmux server on a unique socket (-L) and kills it at the end, so cases
# can run in parallel. See the case list at the bottom.
set -u
exe=$1 case_name=$2
data=${LOGITSCOPE_DATA:?LOGITSCOPE_DATA must point at data/}
here=$(cd "$(dirname "$0")" && pwd)
sock="lstest-$case_name-$$"
export LC_ALL=C.UTF-8
. "$here/../tmux.sh"

# A fresh tmux server (new socket) for the next start: a server being killed may still hold
# the old socket for a moment.
restart() {
    tmux -L "$sock" kill-server 2>/dev/null
    servers=$((servers + 1))
    sock="lstest-$case_name-$$-$servers"
}
servers=0

# start COLS ROWS [VAR=value...] -- ARGS: the explorer in a new tmux session, default data.
start() {
    cols=$1 rows=$2
    shift 2
    envs=""
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        envs="$envs $1"
        shift
    done
    shift
    args=""
    for a; do args="$args '$a'"; done
    rm -f "$tmp/pid"
    T new-session -d -x "$cols" -y "$rows" \
        "env LOGITSCOPE_DATA='$data' TERM=xterm-256color $envs sh '$tmp/run.sh' '$tmp/pid' '$exe' $args" ||
        fail "tmux cannot start"
    wait_for "? help" || wait_for "too small" || fail "the explorer did not start"
    pid=$(cat "$tmp/pid")
}

# keys KEY...: send keys one at a time (as a person types), then wait for the frame to settle.
keys() {
    r0=$(proc_reads "$pid")
    for k; do T send-keys "$k"; done
    settle "$pid" "$r0" || fail "the explorer did not settle after: $*"
}

fmt() { T display -p "$1"; }

# The process is running (a zombie is not: a container's init may never reap it).

# The process is gone within a second.

# ---- numbers on screen equal `sweep`'s -----------------------------------------------------

# compare T K P MINP ORDER: the histogram, entropy, perplexity and kept on screen against
# `logitscope sweep` with the same settings (CSV, full precision, formatted like the screen).
compare() {
    printf 'screen\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >"$tmp/settings.tsv"
    LOGITSCOPE_DATA=$data "$exe" sweep --settings "$tmp/settings.tsv" --order "$5" \
        --format csv --top 0 >"$tmp/sweep.csv" || fail "sweep failed"
    LOGITSCOPE_DATA=$data "$exe" sweep --settings "$tmp/settings.tsv" --order "$5" \
        --format summary >"$tmp/summary.csv" || fail "sweep summary failed"
    # kept rows: token, exact %, sampled %, in the histogram's own digits rule (src/tui/numfmt.c,
    # a 7-column field with 2 decimals: two significant digits, more decimals or scientific
    # notation for small ones); cut rows show no exact or sampled numbers (a running total may
    # follow them)
    awk -F, '
        function sig(s,   i, c, n, on) {
            for (i = 1; i <= length(s); i++) {
                c = substr(s, i, 1)
                if (c == "e" || c == "%") break
                if (c ~ /[0-9]/) { if (c != "0") on = 1; n += on }
            }
            return n
        }
        function pct(p,   v, d, s, need, a) {
            v = p * 100
            if (v <= 0) return "0.00%"
            for (need = 2; need >= 1; need--) {
                for (d = 2; d <= 12; d++) {
                    s = sprintf("%." d "f%%", v)
                    if (length(s) > 7) break
                    if (sig(s) >= need) return s
                }
                for (d = 1; d >= 0; d--) {
                    s = sprintf("%." d "f%%", v)
                    if (length(s) <= 7 && sig(s) >= need) return s
                }
                split(sprintf("%." (need - 1) "e", v), a, "e")
                s = a[1] "e" (a[2] + 0) "%"
                if (length(s) <= 7) return s
            }
            return "?"
        }
        NR > 1 && $10 > 0 { print $8, pct($10), pct($11) }' "$tmp/sweep.csv" >"$tmp/want-rows"
    awk '/ token  / { on = 1; next }
        on && !/cut: / {
            n = 0
            for (i = 2; i <= NF && n < 2; i++)
                if ($i ~ /^[0-9.]+(e-?[0-9]+)?%$/) got[++n] = $i
            if (n == 2) print $1, got[1], got[2]
        }' "$tmp/screen" >"$tmp/got-rows"
    [ -s "$tmp/got-rows" ] || fail "no token rows found on screen"
    cmp -s "$tmp/want-rows" "$tmp/got-rows" || {
        diff "$tmp/want-rows" "$tmp/got-rows"
        fail "rows differ from sweep for T=$1 k=$2 p=$3 min-p=$4 $5"
    }
    awk -F, 'NR == 2 { printf "%.3f bits|%.3f tokens|kept %d/\n", $8, $9, $7 }' \
        "$tmp/summary.csv" | tr '|' '\n' >"$tmp/want-facts"
    while read -r fact; do
        grep -qF -e "$fact" "$tmp/screen" || fail "screen lacks \"$fact\" (from sweep)"
    done <"$tmp/want-facts"
}

case_numbers() {
    start 80 24 --
    keys Right Right Right            # T 1.15
    keys Down Down Left Left Left Left Left # top-p 0.95 (the hf chain: T, top-k, top-p, ...)
    keys Up Right Right Right Right Right # top-k 5
    compare 1.15 5 0.95 0 hf
    keys o
    compare 1.15 5 0.95 0 llama
    keys o o Down Down Right Right Right Right Right Right Right Right Right Right # vllm, hf; min-p 0.10
    compare 1.15 5 0.95 0.1 hf
    keys r 6                           # the lab's sixth setting: T = 2.0
    compare 2.0 0 1.0 0 hf
    keys 1 Down S-Right                # T = 0.1, then top-k 10 (= V: keeps all)
    compare 0.1 10 1.0 0 hf
    keys q
}

# ---- resize, down to 1x1 ------------------------------------------------------------------

case_resize() {
    start 80 24 --
    T resize-window -x 40 -y 12
    wait_for "H " || fail "no compact gauge at 40x12"
    grep -q "kept 10/10" "$tmp/screen" || fail "40x12 lacks kept"
    T resize-window -x 20 -y 6
    wait_for "too small" || fail "no 'terminal too small' at 20x6"
    T resize-window -x 1 -y 1
    sleep 0.3
    alive "$pid" || fail "died at 1x1"
    T resize-window -x 3 -y 2
    sleep 0.2
    T resize-window -x 120 -y 40
    wait_for "like choosing among" || fail "no full layout after growing back"
    [ "$(wc -l <"$tmp/screen")" -ge 38 ] || fail "the frame does not use 40 rows"
    keys Right
    grep -q "1.05" "$tmp/screen" || fail "keys stopped working after resizes"
    keys q
    wait_for "EXIT=0 TTY=same" || fail "q after resizing"
}

# ---- every way out restores the terminal --------------------------------------------------

case_quit_q() {
    start 80 24 --
    keys Right Down Left
    keys q
    restored 0
}

case_quit_esc() {
    start 80 24 --
    keys Escape
    restored 0
}

case_quit_help_esc() {
    start 80 24 --
    keys '?'
    grep -qE "any key closes|other keys close" "$tmp/screen" || fail "? shows no help"
    keys Escape
    grep -qE "any key closes|other keys close" "$tmp/screen" && fail "Esc does not close help"
    alive "$pid" || fail "Esc in help quit"
    keys Escape
    restored 0
}

case_ctrl_c() {
    start 80 24 --
    keys C-c
    restored 130
}

case_sigterm() {
    start 80 24 --
    kill -TERM "$pid"
    gone_in_time "$pid" || fail "still running a second after SIGTERM"
    restored 143
}

# The terminal's modes as tmux tracks them: screen, cursor, keypad and cursor keys, mouse.
modes() {
    fmt 'alt=#{alternate_on} cursor=#{cursor_flag} keypad=#{keypad_flag} cursor-keys=#{keypad_cursor_flag} mouse=#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag} insert=#{insert_flag} origin=#{origin_flag} wrap=#{wrap_flag}'
}

# A crash restores every mode a clean exit (q) restores.
case_sigsegv() {
    start 80 24 --
    keys q
    restored 0
    modes >"$tmp/clean"
    restart
    start 80 24 --
    modes | grep -q "keypad=1 cursor-keys=1" || fail "keypad modes not on while running: $(modes)"
    kill -SEGV "$pid"
    gone_in_time "$pid" || fail "still running a second after SIGSEGV"
    wait_for "EXIT=139" || fail "want death by SIGSEGV (139)"
    [ "$(fmt '#{alternate_on}')" = 0 ] || fail "a crash left the alternate screen on"
    grep -q "TTY=same" "$tmp/screen" || fail "a crash left the terminal modes changed"
    modes >"$tmp/crash"
    cmp -s "$tmp/clean" "$tmp/crash" ||
        fail "after a crash: $(cat "$tmp/crash"); after q: $(cat "$tmp/clean")"
}

# Killing the window hangs up the terminal: the explorer must notice and leave.
case_kill_window() {
    T new-session -d -x 80 -y 24 -s keep "sleep 60"
    rm -f "$tmp/pid"
    T new-window -d -t keep -n victim \
        "env LOGITSCOPE_DATA='$data' sh '$tmp/run.sh' '$tmp/pid' '$exe'"
    i=0
    while [ ! -s "$tmp/pid" ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
    pid=$(cat "$tmp/pid")
    sleep 0.5
    alive "$pid" || fail "did not start"
    T kill-window -t keep:victim
    gone_in_time "$pid" || fail "still running a second after its window was killed"
}

# ---- hostile token text changes nothing but the text ---------------------------------------

case_escapes() {
    T new-session -d -x 80 -y 24 "sleep 60"
    title0=$(fmt '#{pane_title}')
    restart
    start 80 24 -- "$here/data/escapes.tsv"
    keys Space Space Space
    [ "$(fmt '#{pane_title}')" = "$title0" ] || fail "the pane title changed"
    [ "$(fmt '#{alternate_on}')" = 1 ] || fail "a token switched the alternate screen off"
    [ "$(fmt '#{cursor_flag}')" = 0 ] || fail "a token showed the cursor"
    grep -qF 'logitscope escapes.tsv' "$tmp/screen" || fail "the title line was cleared"
    grep -qF '\e[2Jclear' "$tmp/screen" || fail "no escaped \\e[2J on screen"
    grep -qF '\u202ereversed' "$tmp/screen" || fail "no escaped bidi override"
    T capture-pane -p -e >"$tmp/styled"
    if grep -q "$(printf '\033')\[31m" "$tmp/styled"; then fail "a token turned text red"; fi
    keys q
    restored 0
}

# ---- colour and glyph modes ---------------------------------------------------------------

sgr_colours() { # the colour codes in the styled capture, one per line
    T capture-pane -p -e | grep -o "$(printf '\033')\[[0-9;]*m" |
        tr ';' '\n' | tr -d 'm[' | tr -d "$(printf '\033')" | sort -u
}

case_colours() {
    start 80 24 --
    sgr_colours | grep -qx '38' || fail "TERM=xterm-256color: no 256-colour codes"
    keys q
    restart
    start 80 24 TERM=screen --
    sgr_colours >"$tmp/sgr"
    grep -qx '38' "$tmp/sgr" && fail "TERM=screen: 256-colour codes"
    grep -qx '3[1-7]' "$tmp/sgr" || fail "TERM=screen: no 8-colour codes"
    keys q
    restart
    start 80 24 NO_COLOR=1 --
    sgr_colours >"$tmp/sgr"
    grep -qxE '(3|4|9|10)[0-8]|38|48' "$tmp/sgr" && fail "NO_COLOR=1: colour codes"
    grep -qx '7' "$tmp/sgr" || fail "NO_COLOR=1: no reverse video (attributes only)"
    keys q
    restart
    start 80 24 -- --no-color
    sgr_colours >"$tmp/sgr"
    grep -qxE '(3|4|9|10)[0-8]|38|48' "$tmp/sgr" && fail "--no-color: colour codes"
    keys q
    restart
    start 80 24 LC_ALL=C --
    LC_ALL=C grep -q "$(printf '[\200-\377]')" "$tmp/screen" && fail "LC_ALL=C: non-ASCII on screen"
    grep -q '\[===' "$tmp/screen" || fail "LC_ALL=C: no ASCII slider"
    keys q
}

# ---- idle means no CPU, Space generates -----------------------------------------------------

case_idle() {
    [ -r "/proc/$$/stat" ] || { echo "no /proc: skipped"; exit 77; }
    start 80 24 --
    keys Right
    t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    sleep 2
    t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    [ $((t1 - t0)) -le 1 ] || fail "used $((t1 - t0)) clock ticks in 2 idle seconds"
    keys Home Space Space Space
    grep -q "generated approve.approve.approve" "$tmp/screen" ||
        fail "Space at T=0 should generate approve three times"
    keys q
}

# ---- the mouse (xterm protocol, as tmux forwards it) ---------------------------------------

# mouse_flags: tmux's record of the modes the explorer turned on: "any button sgr".
mouse_flags() { fmt '#{mouse_any_flag} #{mouse_button_flag} #{mouse_sgr_flag}'; }

# click X Y [Y2 X2]: press at column X, row Y (1-based), drag to X2,Y2 when given, release;
# SGR encoding for TERM=xterm-256color, X10 for TERM=screen (what curses asked for).
click() {
    if [ "$enc" = sgr ]; then
        T send-keys -l "$(printf '\033[<0;%d;%dM' "$1" "$2")"
        [ $# -gt 2 ] && T send-keys -l "$(printf '\033[<32;%d;%dM' "$3" "$4")"
        T send-keys -l "$(printf '\033[<0;%d;%dm' "${3:-$1}" "${4:-$2}")"
    else
        T send-keys -H 1b 5b 4d 20 "$(printf %x $((32 + $1)))" "$(printf %x $((32 + $2)))"
        [ $# -gt 2 ] && T send-keys -H 1b 5b 4d 40 "$(printf %x $((32 + $3)))" "$(printf %x $((32 + $4)))"
        T send-keys -H 1b 5b 4d 23 "$(printf %x $((32 + ${3:-$1})))" "$(printf %x $((32 + ${4:-$2})))"
    fi
}

# click_at_once X Y: press and release at column X, row Y in one write, as a quick click
# reaches a program that was busy (or one behind SSH): both reports arrive in one read.
click_at_once() {
    if [ "$enc" = sgr ]; then
        T send-keys -l "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' "$1" "$2" "$1" "$2")"
    else
        x=$(printf %x $((32 + $1))) y=$(printf %x $((32 + $2)))
        T send-keys -H 1b 5b 4d 20 "$x" "$y" 1b 5b 4d 23 "$x" "$y"
    fi
}

# mouse_on: until the explorer has asked for mouse reports (it does so after its first frame),
# so that a click is never sent to a terminal that would drop it.
mouse_on() {
    i=0
    while [ $i -lt 50 ]; do
        [ "$(mouse_flags)" = "1 1 1" ] || [ "$(mouse_flags)" = "1 1 0" ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

case_mouse() {
    enc=sgr
    start 80 24 --
    mouse_on && [ "$(mouse_flags)" = "1 1 1" ] ||
        fail "mouse modes on: want any, button (1002), sgr; got $(mouse_flags)"
    # temperature's row holds T and dynatemp: T's track runs from column 17 to 39 (1-based),
    # T = 5 * (col - 17) / 22; top-k's, the next row, from 15 to 73, k = 10 * (col - 15) / 58
    click 28 2
    wait_re "temperature T .*●.* 2\.50 " || fail "a click at column 28: want T 2.50"
    click 28 2 17 9
    wait_re "temperature T ●.* 0\.00 " || fail "dragged to the start: want T 0.00"
    click 44 3
    wait_re "▸ top-k .*5$" || fail "a click on top-k's track: want focus and k 5"
    click_at_once 39 2
    wait_re "▸ temperature T .*●.* 5\.00 " || fail "a click in one read: want focus and T 5.00"
    keys q
    wait_for "EXIT=0 TTY=same" || fail "q after the mouse: want EXIT=0 TTY=same"
    [ "$(mouse_flags)" = "0 0 0" ] || fail "after q the mouse modes stay on: $(mouse_flags)"
    # TERM=screen (as inside tmux): curses asks for X10 reports
    restart
    enc=x10
    T new-session -d -x 80 -y 24 \
        "env LOGITSCOPE_DATA='$data' TERM=screen sh '$tmp/run.sh' '$tmp/pid' '$exe'"
    wait_for "? help" || fail "TERM=screen: the explorer did not start"
    mouse_on || fail "TERM=screen: no mouse mode turned on: $(mouse_flags)"
    click 28 2
    wait_re "temperature T .*●.* 2\.50 " || fail "TERM=screen: want T 2.50"
    click_at_once 39 2
    wait_re "temperature T .*●.* 5\.00 " || fail "TERM=screen: a click in one read: want T 5.00"
    keys q
    # --no-mouse: no mouse mode is turned on, so the terminal keeps the mouse (selection)
    restart
    start 80 24 -- --no-mouse
    [ "$(mouse_flags)" = "0 0 0" ] || fail "--no-mouse: modes on: $(mouse_flags)"
    keys q
}

# ---- typing a value, finding a token, undo, the help's samplers, Space at 40x12 ------------

case_typing() {
    start 80 24 --
    keys = 0 . 3 5
    grep -q "temperature = 0\.35" "$tmp/screen" || fail "= shows no line with what is typed"
    keys Enter
    grep -q "▸ temperature T .* 0\.35  *dyn" "$tmp/screen" || fail "= 0.35 Enter: want T 0.35"
    keys = a b Enter
    grep -q 'got "ab" (not a number)' "$tmp/screen" || fail "a bad value: no message"
    grep -q "temperature T .* 0\.35  *dyn" "$tmp/screen" || fail "a bad value changed T"
    keys / r e v Enter
    grep -q 'found "rev" at #3 of 10' "$tmp/screen" || fail "/rev: review not found"
    grep -q '^▸review ' "$tmp/screen" || fail "/rev: the row found is not marked"
    keys u
    grep -q "temperature T .* 1\.00  *dyn" "$tmp/screen" || fail "u: want T back to 1.00"
    grep -q "undo: temperature back to 1" "$tmp/screen" || fail "u: no message"
    keys U
    grep -q "temperature T .* 0\.35  *dyn" "$tmp/screen" || fail "U: want T 0.35 again"
    keys '?'
    grep -q "scroll, other keys close" "$tmp/screen" || fail "the help does not say how it scrolls"
    keys PageDown
    grep -q "what each sampler does" "$tmp/screen" || fail "the help explains no sampler"
    grep -q "keeps the fewest top tokens" "$tmp/screen" || fail "the help lacks top-p's rule"
    keys x
    grep -q "what each sampler does" "$tmp/screen" && fail "x did not close the help"
    grep -q "hf: T → k → p → min-p → typ → eps → eta" "$tmp/screen" || fail "x removed a sampler"
    T resize-window -x 40 -y 12
    wait_for "H " || fail "no compact layout at 40x12"
    keys Space
    grep -q 'drew "' "$tmp/screen" || fail "40x12: Space says nothing"
    keys q
    restored 0
}

# ---- errors before the screen is touched --------------------------------------------------

# ---- keys that wait behind a slow update -------------------------------------------------

# events N: the output events of the live recording so far ([time, "o", data] lines).
events() { grep -c '^\[[0-9.]*, "o"' "$tmp/live.cast"; }

# Keys typed while an update runs are read at once when it ends: a quit among them acts
# before anything else, and steps the same way become one update. Keys sent in one send-keys
# reach the explorer in one write, so this needs no slow machine to show.
case_queue() {
    start 80 24 -- --cast "$tmp/live.cast"
    keys w
    n0=$(events)
    keys Right
    [ "$(events)" -eq $((n0 + 1)) ] || fail "one step, one update: $n0 then $(events) events"
    n1=$(events)
    r0=$(proc_reads "$pid")
    T send-keys Right Right Right Right
    settle "$pid" "$r0" || fail "did not settle after four steps"
    grep -q "temperature T .*●.* 1\.25 " "$tmp/screen" || fail "four steps: want T 1.25"
    [ "$(events)" -eq $((n1 + 1)) ] ||
        fail "four steps in one write: want one update, got $(($(events) - n1))"
    # q alone, then q behind three steps: the same events from the keys to the end
    keys q
    restored 0
    quit_events=$(($(events) - n1 - 1))
    restart
    rm -f "$tmp/live.cast"
    start 80 24 -- --cast "$tmp/live.cast"
    keys w
    n2=$(events)
    T send-keys Left Left Left q
    restored 0
    [ "$(($(events) - n2))" -eq "$quit_events" ] ||
        fail "q behind three steps: $(($(events) - n2)) events, q alone $quit_events: steps ran"
}

# ---- a language model writing on, a word a tick, until a key ---------------------------------

# text_words: the words on the text row of the last capture (the prompt's and the written).
text_words() { awk '$1 == "text" { print NF - 1; exit }' "$tmp/screen"; }

# wait_words N: until the text row holds at least N words (at most 10 seconds).
wait_words() {
    i=0
    while [ $i -lt 100 ]; do
        capture
        [ "$(text_words)" -ge "$1" ] 2>/dev/null && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# A model that never ends a sentence (no </s>): only a key stops the writing.
case_lm_write() {
    printf '\\data\\\nngram 1=4\n\n\\1-grams:\n-0.30103\talpha\n-0.60206\tbeta\n-0.60206\tgamma\n-99\t<s>\n\n\\end\\\n' \
        >"$tmp/endless.arpa"
    start 80 24 -- --lm "$tmp/endless.arpa" --prompt "alpha"
    grep -q "text  *alpha$" "$tmp/screen" || fail "the prompt is not on the text row"
    T send-keys w
    wait_words 5 || fail "w: no four words written within 10 seconds"
    grep -q "writing a word every 0.4 s" "$tmp/screen" || fail "no message while writing"
    keys w
    n=$(sed -n 's/.*stopped after \([0-9]*\) words.*/\1/p' "$tmp/screen")
    [ -n "$n" ] || fail "w again: no \"stopped after N words\""
    [ "$(text_words)" -eq $((n + 1)) ] || fail "stopped after $n words, the row has $(text_words)"
    grep "text  " "$tmp/screen" >"$tmp/stopped"
    # three paces and more: the text stays as it is (a wrong wait would write on here)
    i=0
    while [ $i -lt 15 ]; do
        capture
        grep "text  " "$tmp/screen" | cmp -s - "$tmp/stopped" || fail "it wrote on after the key"
        sleep 0.1
        i=$((i + 1))
    done
    # Backspace takes a word back; q while it writes quits at once
    keys BSpace
    [ "$(text_words)" -eq "$n" ] || fail "Backspace: want $n words, got $(text_words)"
    T send-keys w
    wait_words $((n + 2)) || fail "w again: it does not write on"
    T send-keys q
    restored 0
}

# ---- a TSV typed at the terminal ------------------------------------------------------------

# sweep - reads what a person types; one Ctrl-D ends it (the stream is not read again after
# it said so).
case_stdin_eof() {
    T new-session -d -x 80 -y 24 \
        "env LOGITSCOPE_DATA='$data' '$exe' sweep - -n 0; echo EXIT=\$?; sleep 60" ||
        fail "tmux cannot start"
    T send-keys -l "$(printf 'yes\t1')"
    T send-keys Enter
    T send-keys -l "$(printf 'no\t0')"
    T send-keys Enter C-d
    wait_for "EXIT=0" || fail "one Ctrl-D should end the input"
    grep -q "kept 2/2" "$tmp/screen" || fail "want the two typed tokens swept"
}

case_errors() {
    # stdout not a terminal
    LOGITSCOPE_DATA=$data "$exe" >"$tmp/out" 2>"$tmp/err"
    [ $? -eq 2 ] || fail "no terminal: want exit 2"
    grep -q "sweep" "$tmp/err" && grep -q -- "--snapshot" "$tmp/err" ||
        fail "no terminal: the message should point at sweep and --snapshot"
    # the same words as sweep for bad values and files
    for bad in "-t abc" "-p 1.5" "-k -1" "--min-p 2" "--order gpt" "-n x" "--seed -3" \
        "/nonexistent.tsv" "$here/data/missing.npy"; do
        # shellcheck disable=SC2086
        LOGITSCOPE_DATA=$data "$exe" sweep $bad >/dev/null 2>"$tmp/want"
        # shellcheck disable=SC2086
        LOGITSCOPE_DATA=$data "$exe" $bad >/dev/null 2>"$tmp/got"
        st=$?
        [ $st -eq 2 ] || fail "$bad: want exit 2, got $st"
        cmp -s "$tmp/want" "$tmp/got" || fail "$bad: '$(cat "$tmp/got")' is not sweep's '$(cat "$tmp/want")'"
    done
    LOGITSCOPE_DATA=$data "$exe" --size 80x24 >/dev/null 2>"$tmp/err"
    [ $? -eq 2 ] || fail "--size without --snapshot: want exit 2"
    LOGITSCOPE_DATA=$data "$exe" --snapshot --size 80 >/dev/null 2>"$tmp/err"
    [ $? -eq 2 ] && grep -q "COLSxROWS" "$tmp/err" || fail "--size 80: want COLSxROWS error"
    # in a terminal: the message, and the screen never switched
    T new-session -d -x 80 -y 24 \
        "env LOGITSCOPE_DATA='$data' sh '$tmp/run.sh' '$tmp/pid' '$exe' -t abc"
    wait_for "EXIT=2 TTY=same" || fail "bad value in a terminal: want EXIT=2"
    grep -q "temperature" "$tmp/screen" || fail "bad value in a terminal: no message"
}

case "$case_name" in
numbers | resize | quit_q | quit_esc | quit_help_esc | ctrl_c | sigterm | sigsegv | \
    kill_window | escapes | colours | idle | errors | mouse | queue | stdin_eof | typing | lm_write)
    [ "$case_name" = errors ] || command -v tmux >/dev/null || { echo "tmux not found"; exit 77; }
    if [ "$case_name" = errors ] && ! command -v tmux >/dev/null; then
        T() { echo "tmux not found"; exit 77; }
    fi
    "case_$case_name"
    ;;
*)
    echo "unknown case $case_name"
    exit 1
    ;;
esac
echo "ok $case_name"
