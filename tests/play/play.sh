#!/bin/sh
# play.sh: key scripts (--play) and recordings (--cast), end to end, for meson's test().
#   play.sh EXE CASE [ARGS]    exit 0 pass, 1 fail, 77 skip (no tmux / asciinema)
# Terminal cases run their own tmux server on a unique socket (-L) and always kill it.
# LOGITSCOPE_GOLDEN_UPDATE=1 makes case `shipped` rewrite the shipped cast instead.
set -u
exe=$1 case_name=$2
shift 2
case $exe in /*) ;; *) exe=$PWD/$exe ;; esac # case shipped records from another directory
data=${LOGITSCOPE_DATA:?LOGITSCOPE_DATA must point at data/}
demos=$data/demos
sock="lsplay-$case_name-$$"
export LC_ALL=C.UTF-8 LOGITSCOPE_DATA="$data"
unset SOURCE_DATE_EPOCH NO_COLOR
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tmux.sh"

need() { command -v "$1" >/dev/null || { echo "$1 not found"; exit 77; }; }

# The language model a demo writes with (Debian's pocketsphinx-en-us); LOGITSCOPE_LM would
# change what the demos' own commands record.
en_us=/usr/share/pocketsphinx/model/en-us/en-us.lm.bin
unset LOGITSCOPE_LM

# run_opts SCRIPT: the options its "Run it:" line gives before --play (a language model's
# prompt), as the positional parameters of the caller's `eval "set -- ..."`.
run_opts() { sed -n 's/^# Run it: *logitscope \(.*\)--play .*/\1/p' "$1"; }

# valid_cast FILE COLS ROWS: asciicast v2: a header of that size, then events (output, resize,
# marker) with times that never go back, each line whole JSON ending in a newline (without
# python3: each line at least closed).
valid_cast() {
    [ -s "$1" ] && [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] || return 1
    if ! command -v python3 >/dev/null; then
        sed 1d "$1" | grep -qv '"\]$' && return 1
        return 0
    fi
    python3 - "$@" <<'EOF'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
head = json.loads(lines[0])
want = (2, int(sys.argv[2]), int(sys.argv[3]))
assert (head["version"], head["width"], head["height"]) == want, head
last = 0.0
for line in lines[1:]:
    t, kind, data = json.loads(line)
    assert kind in ("o", "r", "m") and isinstance(data, str) and t >= last, line
    last = t
EOF
}

# ends_on CAST COLSxROWS [cast_check.py options]: the recording is valid asciicast v2 and ends
# on its last frame: the terminal restored, then the frame painted again (--final FILE: that
# frame is the text in FILE).
ends_on() {
    python3 "$here/cast_check.py" "$@" >"$tmp/check" || fail "$1: $(cat "$tmp/check")"
}

# record SCRIPT OUT [ARGS...]: the README's recording command.
record() {
    rec_script=$1 rec_out=$2
    shift 2
    "$exe" --play "$rec_script" --cast "$rec_out" --size 80x24 "$@" >"$tmp/stdout" \
        2>"$tmp/err" || fail "recording $rec_script: exit $? ($(cat "$tmp/err"))"
    [ -s "$tmp/stdout" ] && fail "recording $rec_script printed on stdout"
    return 0
}

# sweep_facts T P ORDER: what the screen must show for these settings, from `sweep`: one
# line per kept token ("token exact%") and the entropy ("X.XXX bits").
sweep_facts() {
    printf 'want\t%s\t0\t%s\n' "$1" "$2" >"$tmp/settings.tsv"
    "$exe" sweep --settings "$tmp/settings.tsv" --order "$3" --format csv --top 0 \
        >"$tmp/sweep.csv" || fail "sweep failed"
    "$exe" sweep --settings "$tmp/settings.tsv" --order "$3" --format summary \
        >"$tmp/summary.csv" || fail "sweep summary failed"
    awk -F, 'NR > 1 && $10 > 0 { printf "%s %.2f%%\n", $8, $10 * 100 }' "$tmp/sweep.csv"
    awk -F, 'NR == 2 { printf "%.3f bits\n", $8 }' "$tmp/summary.csv"
}

# check_numbers T P ORDER: the screen in $tmp/screen shows sweep's numbers: its entropy, and
# for the top tokens, as many as it has rows for (a caption takes one), their probabilities.
check_numbers() {
    sweep_facts "$@" >"$tmp/facts"
    # the exact column is a row's first percentage (a running total may follow the sampled)
    awk '/ token  / { on = 1; next }
        on && !/cut: / { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9.]+%$/) { print $1, $i; break } }' \
        "$tmp/screen" >"$tmp/got"
    shown=$(wc -l <"$tmp/got")
    [ "$shown" -ge 2 ] || fail "fewer than two token rows on screen"
    { grep '%$' "$tmp/facts" | head -n "$shown"; grep 'bits$' "$tmp/facts"; } >"$tmp/want"
    grep -o '[0-9]\.[0-9][0-9][0-9] bits' "$tmp/screen" | head -n 1 >>"$tmp/got"
    cmp -s "$tmp/want" "$tmp/got" || {
        diff "$tmp/want" "$tmp/got"
        fail "the screen's numbers are not sweep's for T=$1 top-p=$2 $3"
    }
}

# ---- offscreen ------------------------------------------------------------------------------

# Every bundled demo plays to its end without a terminal: exit 0, nothing on stdout.
case_demos() {
    n=0
    for s in "$demos"/*.play; do
        head -n 1 "$s" | grep -q '^# .*\.play: ' || fail "$s has no comment header"
        grep -q 'Run it: *logitscope .*--play' "$s" || fail "$s does not say how to run it"
        eval "set -- $(run_opts "$s")"
        if [ $# -gt 0 ] && [ ! -r "$en_us" ]; then
            echo "$s: $en_us is not installed (pocketsphinx-en-us): not played"
            continue
        fi
        "$exe" "$@" --play "$s" >"$tmp/stdout" 2>"$tmp/err" </dev/null ||
            fail "$s: exit $? ($(cat "$tmp/err"))"
        [ -s "$tmp/stdout" ] && fail "$s printed on stdout without a terminal"
        [ -s "$tmp/err" ] && fail "$s: $(cat "$tmp/err")"
        n=$((n + 1))
    done
    [ $n -ge 3 ] || fail "want at least 3 demos, found $n"
}

# Two recordings of the same script are byte-identical; every line is JSON; the header is
# the one documented.
case_determinism() {
    record "$demos/lab.play" "$tmp/a.cast"
    sleep 1 # a clock that leaked into the file would show now
    record "$demos/lab.play" "$tmp/b.cast"
    cmp "$tmp/a.cast" "$tmp/b.cast" || fail "two recordings differ"
    want='{"version": 2, "width": 80, "height": 24, "timestamp": 0, "title": "logitscope: lab.play", "env": {"TERM": "xterm-256color"}}'
    [ "$(head -n 1 "$tmp/a.cast")" = "$want" ] || fail "header: $(head -n 1 "$tmp/a.cast")"
    SOURCE_DATE_EPOCH=1700000000 record "$demos/lab.play" "$tmp/c.cast"
    head -n 1 "$tmp/c.cast" | grep -q '"timestamp": 1700000000,' ||
        fail "SOURCE_DATE_EPOCH is not the timestamp"
    valid_cast "$tmp/a.cast" 80 24 || fail "not asciicast v2 JSON"
    sed 1d "$tmp/a.cast" | grep -qv '^\[[0-9.]*, "[om]", ' && fail "not only output and markers"
    # times: the script's own clock, the last one its running time (18.2 s for lab.play), and
    # the recording ends on the frame --snapshot --play shows, with a marker for each caption
    need python3
    "$exe" --snapshot --play "$demos/lab.play" >"$tmp/snap" || fail "snapshot failed"
    ends_on "$tmp/a.cast" 80x24 --end 18.2 --final "$tmp/snap" --markers "$tmp/marks"
    [ "$(wc -l <"$tmp/marks")" -eq "$(grep -c '^say "' "$demos/lab.play")" ] ||
        fail "want a marker per caption of lab.play: $(cat "$tmp/marks")"
}

# The shipped recording is what the README's command makes today (so it cannot go stale).
case_shipped() {
    shipped=$demos/lab.cast
    (cd "$tmp" && cp "$demos/lab.play" . && "$exe" --play lab.play --cast lab.cast \
        --size 80x24) || fail "recording failed"
    if [ "${LOGITSCOPE_GOLDEN_UPDATE:-}" = 1 ]; then
        cp "$tmp/lab.cast" "$shipped" && echo "updated $shipped"
        return 0
    fi
    cmp -s "$tmp/lab.cast" "$shipped" || fail "$shipped is stale: regenerate it with " \
        "LOGITSCOPE_GOLDEN_UPDATE=1 meson test -C build play-shipped-cast"
}

# The shipped recording of a language model writing (lm.play) is what its header's command
# makes today; it needs the model.
case_shipped_lm() {
    [ -r "$en_us" ] || { echo "$en_us is not installed (pocketsphinx-en-us)"; exit 77; }
    shipped=$demos/lm.cast
    eval "set -- $(run_opts "$demos/lm.play")"
    (cd "$tmp" && cp "$demos/lm.play" . && "$exe" "$@" --play lm.play --cast lm.cast \
        --size 80x24) || fail "recording failed"
    valid_cast "$tmp/lm.cast" 80 24 || fail "not asciicast v2 JSON"
    if [ "${LOGITSCOPE_GOLDEN_UPDATE:-}" = 1 ]; then
        cp "$tmp/lm.cast" "$shipped" && echo "updated $shipped"
        return 0
    fi
    cmp -s "$tmp/lm.cast" "$shipped" || fail "$shipped is stale: regenerate it with " \
        "LOGITSCOPE_GOLDEN_UPDATE=1 meson test -C build play-shipped-lm-cast"
}

# A script that quits stops there: the snapshot is the frame before q, and the recording
# ends there too, on that frame, with the terminal restored (the alternate screen left).
case_quit() {
    need python3
    printf 'Right 2\nq\nRight 5\n' >"$tmp/q.play"
    "$exe" --snapshot --play "$tmp/q.play" >"$tmp/snap" || fail "snapshot: exit $?"
    grep -q '^. temperature T .* 1\.10 ' "$tmp/snap" || fail "the frame is not the one before q"
    record "$tmp/q.play" "$tmp/q.cast"
    ends_on "$tmp/q.cast" 80x24 --end 0.2 --final "$tmp/snap"
}

# A recording ends as a session does, q or not: after the script's last pause it leaves the
# alternate screen and shows the cursor; then it paints the last frame again on the normal
# screen, so that a player ends on the final numbers, not on a blank screen. And it is drawn
# at its own size from the first byte: no 24-line scroll region from terminfo in a 40x12 (or
# 1x1) one.
case_restores() {
    need python3
    record "$demos/lab.play" "$tmp/a.cast"
    ends_on "$tmp/a.cast" 80x24 --end 18.2
    for size in 40x12 1x1; do
        "$exe" --play "$demos/lab.play" --cast "$tmp/s.cast" --size $size 2>"$tmp/err" ||
            fail "recording at $size: $(cat "$tmp/err")"
        grep -qF '\u001b[1;24r' "$tmp/s.cast" && fail "a $size recording sets a 24-line region"
        "$exe" --snapshot --play "$demos/lab.play" --size $size >"$tmp/snap" ||
            fail "snapshot at $size"
        ends_on "$tmp/s.cast" $size --end 18.2 --final "$tmp/snap"
    done
    "$exe" --play "$demos/lab.play" --cast "$tmp/s.cast" --size 40x12 &&
        grep -qF '\u001b[1;12r' "$tmp/s.cast" || fail "a 40x12 recording has no 12-line region"
}

# Captions (say): a row of their own under the frame until the next say, in --snapshot --play
# and in a recording, where each is also a marker at its time. A caption is text from a file:
# escaped on screen and in the file (a backslash written \\ is one); a long one is cut with
# an ellipsis, never mid-character; say "" takes it away.
case_captions() {
    need python3
    # a caption, then one that tries to set the title and clear the screen, with a bidi
    # override, over the next key
    printf '%s\n' 'sleep 500ms' 'say "T = 0.1: \"greedy\", a \\ backslash"' 1 'sleep 1s' \
        "say \"$(printf '\033]0;owned\033[2J \342\200\256rtl')\"" Right >"$tmp/c.play"
    head -n 2 "$tmp/c.play" >"$tmp/first.play"
    "$exe" --snapshot --play "$tmp/first.play" >"$tmp/snap" || fail "snapshot failed"
    [ "$(sed -n 23p "$tmp/snap")" = ' T = 0.1: "greedy", a \ backslash' ] ||
        fail "no caption over the status line: $(sed -n 23p "$tmp/snap")"
    "$exe" --snapshot --play "$tmp/c.play" >"$tmp/snap" || fail "snapshot failed"
    [ "$(sed -n 23p "$tmp/snap")" = ' \e]0;owned\e[2J \u202ertl' ] ||
        fail "the next say does not replace the caption, escaped: $(sed -n 23p "$tmp/snap")"
    record "$tmp/c.play" "$tmp/c.cast"
    ends_on "$tmp/c.cast" 80x24 --end 1.7 --final "$tmp/snap" --markers "$tmp/marks"
    printf '0.500000\t%s\n1.600000\t%s\n' 'T = 0.1: "greedy", a \ backslash' \
        '\e]0;owned\e[2J \u202ertl' >"$tmp/want"
    cmp -s "$tmp/want" "$tmp/marks" || fail "markers: $(cat "$tmp/marks")"
    grep -qF -e '\u001b]0;owned' -e "$(printf '\342\200\256')" "$tmp/c.cast" &&
        fail "the caption reached the recording raw"
    # say "" takes the caption and its row away: the frame is the one without captions
    printf 'say "gone soon"\nRight\nsay ""\n' >"$tmp/gone.play"
    printf 'Right\n' >"$tmp/plain.play"
    "$exe" --snapshot --play "$tmp/gone.play" >"$tmp/a" && "$exe" --snapshot --play \
        "$tmp/plain.play" >"$tmp/b" || fail "snapshots failed"
    cmp -s "$tmp/a" "$tmp/b" || fail "say \"\" did not take the caption away"
    # a long caption is cut on a character boundary, with an ellipsis, at every size
    long=$(awk 'BEGIN { while (i++ < 60) printf "\303\251" }')
    printf 'say "%s"\n' "$long" >"$tmp/long.play"
    "$exe" --snapshot --play "$tmp/long.play" --size 40x12 >"$tmp/snap" || fail "40x12"
    want=" $(printf '%s' "$long" | cut -c1-74)…" # 37 characters of two bytes, then …
    [ "$(sed -n 11p "$tmp/snap")" = "$want" ] || fail "40x12: $(sed -n 11p "$tmp/snap")"
    "$exe" --snapshot --play "$tmp/long.play" --size 30x9 >"$tmp/snap" || fail "30x9"
    sed -n 8p "$tmp/snap" | grep -q '^ é*…$' || fail "30x9: no caption: $(cat "$tmp/snap")"
}

# Bad scripts and options: exit 2, "SCRIPT:LINE: what", nothing drawn, no file written.
case_errors() {
    printf 'Right\n\nsleep 5 parsecs\n' >"$tmp/bad.play"
    for mode in "" --snapshot; do
        "$exe" $mode --play "$tmp/bad.play" --cast "$tmp/x.cast" >"$tmp/stdout" 2>"$tmp/err"
        st=$?
        [ $st -eq 2 ] || fail "bad script ($mode): want exit 2, got $st"
        grep -q "^logitscope: $tmp/bad.play:3: " "$tmp/err" || fail "message: $(cat "$tmp/err")"
        [ -s "$tmp/stdout" ] && fail "a bad script printed on stdout"
        [ -e "$tmp/x.cast" ] && fail "a bad script still wrote the recording"
    done
    expect_2() { # expect_2 TEXT ARGS...: exit 2 and TEXT in the message
        text=$1
        shift
        "$exe" "$@" >/dev/null 2>"$tmp/err"
        st=$?
        [ $st -eq 2 ] && grep -qF -e "$text" "$tmp/err" ||
            fail "$*: want exit 2 and '$text', got $st: $(cat "$tmp/err")"
    }
    expect_2 "$tmp/none.play: cannot open" --play "$tmp/none.play"
    expect_2 "$tmp: cannot read: Is a directory" --play "$tmp"
    expect_2 "give --play SCRIPT" --snapshot --cast "$tmp/x.cast"
    expect_2 "bad.play:3:" --play "$tmp/bad.play" -t 1
    printf 'Left\n' >"$tmp/ok.play"
    SOURCE_DATE_EPOCH=yesterday expect_2 "SOURCE_DATE_EPOCH" --play "$tmp/ok.play" \
        --cast "$tmp/x.cast"
    "$exe" --play "$tmp/ok.play" --cast "$tmp/no/such/dir.cast" 2>"$tmp/err"
    [ $? -eq 1 ] && grep -q "cannot write" "$tmp/err" || fail "unwritable cast: $(cat "$tmp/err")"
}

# ---- in a terminal --------------------------------------------------------------------------

# The recording, replayed by asciinema inside tmux, shows what --snapshot --play shows, and
# its numbers are sweep's for the script's last settings.
case_replay() {
    need tmux
    need asciinema
    s=$1 t=$2 p=$3 order=$4
    record "$demos/$s.play" "$tmp/r.cast"
    "$exe" --snapshot --play "$demos/$s.play" >"$tmp/snap" || fail "snapshot failed"
    # the whole recording, played to its end, shows the last frame and its numbers, and
    # leaves the viewer's terminal as it was
    replay "$tmp/r.cast" "$tmp/snap" "the --snapshot --play frame"
    check_numbers "$t" "$p" "$order"
}

# replay CAST WANT WHAT: asciinema plays CAST to its end in a fresh 80x24 pane (which then sets
# its title, printing nothing); the screen must be the text in file WANT, on the normal screen
# with the cursor shown.
replay() {
    sock="$sock-replay"
    # -onlcr: the emulator gets the bytes exactly as recorded (a newline is not a CR LF)
    T new-session -d -x 80 -y 24 \
        "stty -onlcr; asciinema cat '$1'; printf '\\033]2;REPLAYED\\007'; sleep 60" ||
        fail "tmux cannot start"
    i=0
    until [ "$(T display -p '#{pane_title}')" = REPLAYED ]; do
        [ $i -ge 100 ] && fail "the replay did not finish"
        sleep 0.1
        i=$((i + 1))
    done
    capture
    cmp -s "$2" "$tmp/screen" || {
        diff "$2" "$tmp/screen" | head -n 20
        fail "the replayed screen is not $3"
    }
    [ "$(T display -p '#{alternate_on}')" = 0 ] || fail "the replay left the alternate screen on"
    [ "$(T display -p '#{cursor_flag}')" = 1 ] || fail "the replay left the cursor hidden"
    T kill-server
}

# Live: the script plays with its pauses on a real terminal, then the explorer stays live;
# a key pressed during the script takes over; q quits and restores the terminal.
case_live() {
    need tmux
    printf 'sleep 300ms\n6\nsleep 1500ms\nDown 2\n[ 5\no\n' >"$tmp/live.play"
    T new-session -d -x 80 -y 24 \
        "env TERM=xterm-256color '$exe' --play '$tmp/live.play'; echo EXIT=\$?; sleep 60" ||
        fail "tmux cannot start"
    wait_for "? help" || fail "the explorer did not start"
    grep -q ' 2\.00 ' "$tmp/screen" && fail "the script did not wait its pauses"
    wait_for "llama:" 50 || fail "the script did not reach its end"
    capture
    check_numbers 2.0 0.5 llama
    T send-keys o
    wait_for "vllm:" 10 || fail "the explorer is not live after the script"
    T send-keys q
    wait_for "EXIT=0" 30 || fail "q did not quit"
    T kill-server
    # a person's key during the first pause drops the rest of the script
    printf 'sleep 2s\n6\n' >"$tmp/slow.play"
    sock="$sock-2"
    T new-session -d -x 80 -y 24 \
        "env TERM=xterm-256color '$exe' --play '$tmp/slow.play'; echo EXIT=\$?; sleep 60" ||
        fail "tmux cannot start"
    wait_for "? help" || fail "the explorer did not start"
    T send-keys Right
    sleep 2.5
    capture
    grep -q '^▸ temperature T .* 1\.05 ' "$tmp/screen" || fail "the key did not take over"
    T send-keys q
    wait_for "EXIT=0" 30 || fail "q did not quit after taking over"
    T kill-server
    # Ctrl-C while the script waits: the terminal is restored, the shell sees SIGINT
    sock="$sock-3"
    T new-session -d -x 80 -y 24 "trap true INT; env TERM=xterm-256color '$exe' --play \
        '$tmp/slow.play'; echo EXIT=\$?; sleep 60" || fail "tmux cannot start"
    wait_for "? help" || fail "the explorer did not start"
    T send-keys C-c
    wait_for "EXIT=130" 30 || fail "Ctrl-C during the script: want EXIT=130"
    [ "$(T display -p '#{alternate_on}')" = 0 ] || fail "Ctrl-C left the alternate screen on"
}

# wait_gone TEXT [TENTHS]: until TEXT is no longer on screen (default 5 seconds).
wait_gone() {
    i=0
    while [ $i -lt "${2:-50}" ]; do
        capture
        grep -qF -e "$1" "$tmp/screen" || return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# While a script plays live the status line says so, and its caption shows; a person's key
# takes over and says so, and takes the script's caption away. A script that plays to its end
# leaves its last caption until a person's first key, with nothing to say about keys. A live
# recording has the captions' markers.
case_live_play() {
    need tmux
    printf 'say "watch the top token"\nsleep 30s\nRight\n' >"$tmp/long.play"
    live --play "$tmp/long.play" --cast "$tmp/l.cast"
    wait_for "▶ playing long.play — any key takes over" || fail "no note that a script plays"
    wait_for "watch the top token" || fail "no caption"
    T send-keys Right
    wait_for "you have the keys" || fail "taking over did not say so"
    wait_re '^▸ temperature T .* 1\.05 ' || fail "the key that took over was not taken"
    grep -qF -e "watch the top token" -e "playing" "$tmp/screen" &&
        fail "the caption or the note stayed after taking over"
    T send-keys q
    restored 0
    need python3
    ends_on "$tmp/l.cast" 80x24 --markers "$tmp/marks"
    cut -f 2 "$tmp/marks" | grep -qx "watch the top token" || fail "no marker: $(cat "$tmp/marks")"
    # to its end
    printf 'say "short one"\nsleep 300ms\n' >"$tmp/short.play"
    live --play "$tmp/short.play"
    wait_for "short one" || fail "no caption"
    wait_gone "any key takes over" || fail "the note stayed after the script's end"
    grep -qF "short one" "$tmp/screen" || fail "the last caption went with the script's end"
    T send-keys Right
    wait_gone "short one" || fail "the caption stayed after a person's key"
    grep -qF "you have the keys" "$tmp/screen" && fail "after the end, no one took over"
    T send-keys q
    restored 0
}

# ---- recording a live session -----------------------------------------------------------

# live ARGS...: the explorer recording in a fresh tmux session of 80x24.
live_start() {
    servers=$((${servers:-0} + 1))
    T kill-server 2>/dev/null
    sock="lsplay-$case_name-$$-$servers"
    args=""
    for a; do args="$args '$a'"; done
    T new-session -d -x 80 -y 24 "env TERM=xterm-256color sh '$tmp/run.sh' '$tmp/run.sh.pid' '$exe' $args" ||
        fail "tmux cannot start"
}
live() {
    live_start "$@"
    wait_for "? help" || fail "the explorer did not start"
}

# restored STATUS: the exit status, the terminal's modes, the normal screen and cursor back.

# --cast on a live terminal: the keys and a resize are recorded with the terminal's bytes;
# the recording replayed up to the quit shows the screen the person saw; every way out
# restores the terminal.
case_record() {
    need tmux
    live --cast "$tmp/live.cast"
    T send-keys 6
    sleep 0.2
    T send-keys Down Down '[' '[' '[' '[' '['
    sleep 0.2
    T send-keys o
    wait_for "llama:" || fail "keys did not arrive"
    sleep 0.3
    capture
    check_numbers 2.0 0.5 llama
    cp "$tmp/screen" "$tmp/seen"
    T send-keys q
    restored 0
    head -n 1 "$tmp/live.cast" | grep -q '^{"version": 2, "width": 80, "height": 24, "timestamp": [0-9]*, "title": "logitscope: decisions.tsv", "env": {"TERM": "xterm-256color"}}$' ||
        fail "header: $(head -n 1 "$tmp/live.cast")"
    # the recording ends on what the person saw last, though their terminal got the restore
    # alone (it shows what it showed before the explorer)
    need python3
    ends_on "$tmp/live.cast" 80x24 --final "$tmp/seen"
    capture
    grep -q "like choosing among" "$tmp/screen" && fail "the frame was painted on the terminal too"
    # the whole recording, replayed in a pane of the same size, ends on that screen too
    command -v asciinema >/dev/null && replay "$tmp/live.cast" "$tmp/seen" "what the person saw"
    # a resize is recorded as an "r" event and the layout follows
    live --cast "$tmp/resize.cast"
    T resize-window -x 100 -y 30
    sleep 0.5
    wait_for "like choosing among" || fail "no layout after resizing"
    [ "$(wc -l <"$tmp/screen")" -ge 28 ] || fail "the frame does not use 30 rows"
    T send-keys q
    restored 0
    grep -q '^\[[0-9.]*, "r", "100x30"\]$' "$tmp/resize.cast" || fail "no resize event"
    # a script played live is recorded live too, on the wall clock
    printf 'sleep 1s\n6\nsleep 500ms\nq\n' >"$tmp/p.play"
    live --play "$tmp/p.play" --cast "$tmp/p.cast"
    restored 0
    grep -q '"title": "logitscope: p.play"' "$tmp/p.cast" || fail "live --play --cast: title"
    grep -q '^\[1\.[0-9]*, "o", ' "$tmp/p.cast" || fail "the key at 1 s is not there"
    ends_on "$tmp/p.cast" 80x24 --end-after 1.5
    python3 -c 'import json, sys
t = [json.loads(l)[0] for l in open(sys.argv[1]).read().splitlines()[1:]]
sys.exit(not 1.5 <= t[-1] < 10)' "$tmp/p.cast" ||
        fail "the script's q (at 1.5 s) did not end the recording"
}

# Every way out of a live recording restores the terminal (signals are raised again).
case_record_exits() {
    need tmux
    live --cast "$tmp/x.cast"
    T send-keys Escape
    restored 0
    live --cast "$tmp/x.cast"
    T send-keys C-z Right # Ctrl-Z cannot suspend a recording (and leave the modes behind)
    wait_for " 1.05" 20 || fail "Ctrl-Z stopped the recording"
    T send-keys C-c
    restored 130
    live --cast "$tmp/x.cast"
    kill -TERM "$(cat "$tmp/run.sh.pid")"
    restored 143
    live --cast "$tmp/x.cast"
    kill -HUP "$(cat "$tmp/run.sh.pid")"
    restored 129
    live --cast "$tmp/x.cast"
    kill -SEGV "$(cat "$tmp/run.sh.pid")"
    restored 139
    # what was recorded up to the crash is written whole: the file is valid asciicast
    valid_cast "$tmp/x.cast" 80 24 ||
        fail "a crash left an invalid recording, ending: $(tail -c 100 "$tmp/x.cast")"
    [ "$(wc -l <"$tmp/x.cast")" -ge 2 ] || fail "a crash lost the recorded frames"
    # a recording that cannot be written (a full disk) is refused before the screen is used
    if [ -w /dev/full ]; then
        live_start --cast /dev/full
        wait_for "EXIT=2 TTY=same" || fail "--cast /dev/full: want exit 2"
        grep -qF "/dev/full: cannot write: No space left on device" "$tmp/screen" ||
            fail "--cast /dev/full: no reason given"
        [ -c /dev/full ] || fail "the device /dev/full is gone"
    fi
    # the terminal goes away: the explorer ends within a second
    live --cast "$tmp/x.cast"
    pid=$(cat "$tmp/run.sh.pid")
    T kill-window
    gone_in_time "$pid" || fail "still running after its terminal went away"
    # a recording needs a terminal: no file is left behind without one
    "$exe" --cast "$tmp/none.cast" >/dev/null 2>"$tmp/err"
    [ $? -eq 2 ] && [ ! -e "$tmp/none.cast" ] || fail "--cast without a terminal"
}

case "$case_name" in
demos | determinism | shipped | shipped_lm | quit | restores | captions | errors | replay | \
    live | live_play | record | record_exits)
    "case_$case_name" "$@" ;;
*)
    echo "unknown case $case_name"
    exit 1
    ;;
esac
echo "ok $case_name"
