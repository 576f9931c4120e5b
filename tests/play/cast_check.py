#!/usr/bin/env python3
"""cast_check.py: reads an asciicast v2 recording as a player would and checks how it ends.

    cast_check.py CAST COLSxROWS [--end SECONDS | --end-after SECONDS] [--final FRAME]
                  [--markers OUT]

Always: the header is version 2 of that size; every event is a JSON array [time, kind, data]
with kind "o", "r" or "m", a string as data, times that never go back. The output at the last
time restores the terminal (leaves the alternate screen, shows the cursor), and the recording
ends on its last frame: the bytes after the restore paint it again on the normal screen.
--end: the last event is at exactly SECONDS; --end-after: at SECONDS or later.
--final FRAME: that last frame, read the way --snapshot prints a screen (one line per row,
trailing blanks trimmed), is the text in FRAME.
--markers OUT: writes each marker as "TIME<TAB>LABEL" to OUT.
Exit 0 when all holds, 1 with the reason otherwise.
"""
import argparse
import json
import re
import sys

RESTORE = ("\x1b[?1049l", "\x1b[?25h")
CSI = re.compile(r"\x1b\[([0-9;?]*)([@-~])")


def fail(why):
    print(f"cast_check: {why}")
    sys.exit(1)


def repainted_rows(data):
    """The rows painted by data: CR LF between rows, CSI n C moves right over erased cells,
    SGR and erase sequences draw nothing. Anything else is refused: the repaint is exactly
    this small language."""
    rows, row = [], []
    i = 0
    while i < len(data):
        c = data[i]
        if c == "\x1b":
            m = CSI.match(data, i)
            if not m:
                fail(f"an escape the repaint does not use at {data[i:i + 12]!r}")
            params, final = m.groups()
            if final == "C":
                row.append(" " * int(params or "1"))
            elif final not in "mK":
                fail(f"the repaint moves the cursor with {m.group(0)!r}")
            i = m.end()
        elif data.startswith("\r\n", i):
            rows.append("".join(row))
            row = []
            i += 2
        elif c == "\r":
            if row:
                fail("a carriage return inside a row of the repaint")
            i += 1
        elif c < " ":
            fail(f"a control character {c!r} in the repaint")
        else:
            row.append(c)
            i += 1
    rows.append("".join(row))
    return [r.rstrip(" ") for r in rows]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cast")
    ap.add_argument("size")
    ap.add_argument("--end", type=float)
    ap.add_argument("--end-after", type=float)
    ap.add_argument("--final")
    ap.add_argument("--markers")
    a = ap.parse_args()
    cols, rows = (int(n) for n in a.size.split("x"))
    with open(a.cast, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[-1] != "":
        fail("the file does not end with a newline")
    head = json.loads(lines[0])
    if (head.get("version"), head.get("width"), head.get("height")) != (2, cols, rows):
        fail(f"header: {lines[0]}")
    events, last = [], 0.0
    for line in lines[1:-1]:
        ev = json.loads(line)
        if not (isinstance(ev, list) and len(ev) == 3):
            fail(f"not an event: {line}")
        t, kind, data = ev
        if kind not in ("o", "r", "m") or not isinstance(data, str) or not t >= last:
            fail(f"bad event: {line}")
        last = t
        events.append(ev)
    outputs = [e for e in events if e[1] == "o"]
    if not outputs:
        fail("no output at all")
    end = outputs[-1][0]
    if a.end is not None and abs(end - a.end) > 5e-7:
        fail(f"the last output is at {end}, want {a.end}")
    if a.end_after is not None and end < a.end_after:
        fail(f"the last output is at {end}, want {a.end_after} or later")
    whole = "".join(e[2] for e in outputs)
    cut = whole.rfind(RESTORE[0])
    if cut < 0 or whole.rfind("\x1b[?1049h") > cut:
        fail("the recording does not end by leaving the alternate screen")
    if whole.rfind(RESTORE[1]) < whole.rfind("\x1b[?25l"):
        fail("the recording does not end with the cursor shown")
    tail = whole[cut + len(RESTORE[0]):]
    paint = tail.find("\x1b[0m\r\x1b[K")
    if paint < 0:
        fail("nothing is painted after the restore: a player would end on a blank screen")
    if CSI.sub("", tail[:paint]).strip("\r\x1b>="):
        fail(f"text between the restore and the last frame: {tail[:paint]!r}")
    frame = repainted_rows(tail[paint:])
    if len(frame) != rows:
        fail(f"the last frame has {len(frame)} rows, want {rows}")
    if a.final:
        with open(a.final, encoding="utf-8") as f:
            want = f.read().split("\n")[:-1]
        if frame != want:
            for i, (w, g) in enumerate(zip(want, frame)):
                if w != g:
                    fail(f"the last frame differs at row {i + 1}:\n want {w!r}\n got  {g!r}")
            fail(f"the last frame has {len(frame)} rows, the snapshot {len(want)}")
    if a.markers:
        with open(a.markers, "w", encoding="utf-8") as f:
            for t, kind, label in events:
                if kind == "m":
                    f.write(f"{t:.6f}\t{label}\n")


main()
