#!/usr/bin/env python3
# numpy_reference.py: an independent numpy implementation of the sampler chain, compared with
# `logitscope sweep --format csv/summary`: a grid of the classic settings in both classic
# orders, then random chains of every sampler in random orders (a settings file with a header
# row names every column), with a random --history for penalties and DRY, over several data
# files. Exit 0 = agree, 1 = disagree, 77 = numpy missing (skip).
# Usage: numpy_reference.py LOGITSCOPE FILE...
import csv
import io
import math
import os
import random
import subprocess
import sys
import tempfile

try:
    import numpy as np
except ImportError:
    print("numpy is not installed; skipping")
    sys.exit(77)

TEMPERATURES = "0,0.1,0.5,1,2,5"
TOP_K = "0,1,3,50"
TOP_P = "0.3,0.9,1"
MIN_P = "0,0.05,1"
SAMPLES = 2000
SLACK = 1e-12  # top-p keeps the prefix with cum >= p - SLACK


def load_tsv(path, with_tokens=False):
    """Logits in file order, and the token fields as written (escaped) when asked."""
    logits, tokens = [], []
    with open(path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            if line.endswith(b"\r"):
                line = line[:-1]
            if not line.strip() or line.startswith(b"#"):
                continue
            tok, value = line.split(b"\t", 1)
            logits.append(float(value.decode()))
            tokens.append(tok)
    logits = np.array(logits, dtype=np.float64)
    return (logits, tokens) if with_tokens else logits


def unescape(field):
    """The TSV escapes: \\t \\n \\\\ \\xHH."""
    out, i = bytearray(), 0
    while i < len(field):
        if field[i:i + 1] == b"\\":
            c = field[i + 1:i + 2]
            if c == b"x":
                out.append(int(field[i + 2:i + 4], 16))
                i += 4
                continue
            out += {b"t": b"\t", b"n": b"\n", b"\\": b"\\"}[c]
            i += 2
            continue
        out += field[i:i + 1]
        i += 1
    return bytes(out)


def softmax(x):
    x = x - x.max()
    e = np.exp(x)
    return e / e.sum()


def filters(q, keep, k, p, min_p):
    """top-k, top-p, min-p in rank order over a distribution q (0 where not kept)."""
    if k > 0:
        keep[k:] = False
    q = np.where(keep, q, 0.0)
    q = q / q.sum()
    if p < 1:
        cum = np.cumsum(q)
        n = int(np.argmax(cum >= p - SLACK)) + 1
        keep[n:] = False
        q = np.where(keep, q, 0.0)
        q = q / q.sum()
    if min_p > 0:
        keep &= q >= min_p * q.max()
    return keep


def reference(logits, T, k, p, min_p, order):
    """Probabilities by rank (stable descending sort by logit), as README's Semantics has them."""
    rank = np.argsort(-logits, kind="stable")
    l = logits[rank]
    keep = np.isfinite(l)
    if order == "hf":
        if T == 0:
            keep[1:] = False
        else:
            keep = filters(softmax(np.where(keep, l / T, -np.inf)), keep, k, p, min_p)
    else:
        keep = filters(softmax(np.where(keep, l, -np.inf)), keep, k, p, min_p)
        if T == 0:
            keep[1:] = False
    if T == 0:
        probs = np.zeros(len(l))
        probs[0] = 1.0
    else:
        probs = np.where(keep, softmax(np.where(keep, l / T, -np.inf)), 0.0)
    return l, probs, int(keep.sum())


def sweep(exe, path, order, fmt):
    cmd = [exe, "sweep", path, "-t", TEMPERATURES, "-k", TOP_K, "-p", TOP_P,
           "--min-p", MIN_P, "--order", order, "-n", str(SAMPLES), "--format", fmt]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def check_file(exe, path, order):
    logits = load_tsv(path)
    rows = sweep(exe, path, order, "csv")
    summary = {r["setting"]: r for r in sweep(exe, path, order, "summary")}
    bad = 0
    V = len(logits)
    assert len(rows) % V == 0 and len(rows) // V == len(summary), "row count"
    for s in range(0, len(rows), V):
        block = rows[s:s + V]
        r0 = block[0]
        T, k, p, m = (float(r0["temperature"]), int(r0["top_k"]), float(r0["top_p"]),
                      float(r0["min_p"]))
        l, want, kept = reference(logits, T, k, p, m, order)
        got = np.array([float(r["prob"]) for r in block])
        got_logit = np.array([float(r["logit"]) for r in block])
        sampled = np.array([float(r["sampled"]) for r in block])
        where = f"{path} {order} {r0['setting']}"
        if not np.array_equal(got_logit, l):
            print(f"not ok: {where}: rank order differs"); bad += 1; continue
        if not np.allclose(got, want, rtol=1e-9, atol=1e-15):
            i = int(np.argmax(np.abs(got - want)))
            print(f"not ok: {where}: rank {i + 1} prob {got[i]!r}, numpy {want[i]!r}")
            bad += 1
            continue
        if np.any(sampled[want == 0] != 0) or abs(sampled.sum() - 1) > 1e-9:
            print(f"not ok: {where}: a cut token was sampled, or frequencies do not sum to 1")
            bad += 1
        sd = np.sqrt(want * (1 - want) / SAMPLES)
        if np.any(np.abs(sampled - want) > 6 * sd + 2.0 / SAMPLES):
            print(f"not ok: {where}: sampled frequencies far from the probabilities")
            bad += 1
        nz = want[want > 0]
        H = float(-(nz * np.log2(nz)).sum())
        row = summary[r0["setting"]]
        if int(row["kept"]) != kept or \
                not math.isclose(float(row["entropy_bits"]), H, rel_tol=1e-9, abs_tol=1e-12) or \
                not math.isclose(float(row["perplexity"]), 2 ** H, rel_tol=1e-9) or \
                not math.isclose(float(row["top_prob"]), want[0], rel_tol=1e-9):
            print(f"not ok: {where}: summary {dict(row)} vs H={H} kept={kept}")
            bad += 1
    return bad, len(rows) // V



# ---- random chains: every sampler, any order -------------------------------------------

SAMPLERS = ["temperature", "top_k", "top_p", "min_p", "typ_p", "top_n_sigma", "xtc",
            "epsilon", "eta", "top_a", "mirostat"]
COLUMNS = ["temperature", "top_k", "top_p", "min_p", "typical_p", "top_n_sigma",
           "xtc_threshold", "xtc_probability", "dynatemp_range", "dynatemp_exp", "epsilon",
           "eta", "top_a", "min_keep", "repeat_penalty", "frequency_penalty", "presence_penalty",
           "repeat_last_n", "dry_multiplier", "dry_base", "dry_allowed_length",
           "dry_penalty_last_n", "mirostat", "mirostat_ent", "mirostat_lr",
           "dry_sequence_breakers"]
DEFAULTS = {"temperature": 1, "top_k": 0, "top_p": 1, "min_p": 0, "typical_p": 1,
            "top_n_sigma": 0, "xtc_probability": 0, "xtc_threshold": 0.1, "epsilon": 0, "eta": 0,
            "top_a": 0, "dynatemp_range": 0, "dynatemp_exp": 1, "repeat_penalty": 1,
            "frequency_penalty": 0, "presence_penalty": 0, "repeat_last_n": 64,
            "dry_multiplier": 0, "dry_base": 1.75, "dry_allowed_length": 2,
            "dry_penalty_last_n": -1, "mirostat": 0, "mirostat_ent": 5, "mirostat_lr": 0.1,
            "dry_sequence_breakers": "\\n;:;\";*"}
OWNER = {"top_k": "top_k", "top_p": "top_p", "min_p": "min_p", "typical_p": "typ_p",
         "top_n_sigma": "top_n_sigma", "xtc_probability": "xtc", "xtc_threshold": "xtc",
         "epsilon": "epsilon", "eta": "eta", "top_a": "top_a", "temperature": "temperature",
         "dynatemp_range": "temperature", "dynatemp_exp": "temperature",
         "repeat_penalty": "penalties", "frequency_penalty": "penalties",
         "presence_penalty": "penalties", "repeat_last_n": "penalties",
         "dry_multiplier": "dry", "dry_base": "dry", "dry_allowed_length": "dry",
         "dry_penalty_last_n": "dry", "mirostat": "mirostat", "mirostat_ent": "mirostat",
         "mirostat_lr": "mirostat", "dry_sequence_breakers": "dry"}
BREAKERS = {"\\n;:;\";*": [b"\n", b":", b"\"", b"*"], "none": [], "e;\\x20": [b"e", b" "]}


def random_setting(rng):
    order = SAMPLERS[:]
    rng.shuffle(order)
    chain = [s for s in order if rng.random() < 0.7] or ["temperature"]
    # penalties and DRY come before every sampler that cuts: first, or after a leading
    # temperature
    front = [m for m in ("penalties", "dry") if rng.random() < 0.4]
    rng.shuffle(front)
    at = 1 if chain[0] == "temperature" and rng.random() < 0.5 else 0
    chain = chain[:at] + front + chain[at:]
    on = lambda: rng.random() < 0.5
    s = {
        "temperature": rng.choice([0, 0.05, 0.3, 0.7, 1, 1.7, 5]),
        "top_k": rng.choice([0, 0, 1, 3, 50]),
        "top_p": round(rng.uniform(0.05, 0.99), 3) if on() else 1,
        "min_p": round(rng.uniform(0, 0.3), 3) if on() else 0,
        "typical_p": round(rng.uniform(0.05, 0.95), 3) if on() else 1,
        "top_n_sigma": round(rng.uniform(0.2, 3), 3) if on() else 0,
        "xtc_threshold": round(rng.uniform(0, 0.55), 3),
        "xtc_probability": rng.choice([0, 0.5, 1]) if on() else 0,
        "dynatemp_range": round(rng.uniform(0.1, 2), 3) if rng.random() < 0.3 else 0,
        "dynatemp_exp": rng.choice([1, 0.5, 2]),
        "epsilon": round(rng.uniform(0, 0.05), 4) if on() else 0,
        "eta": round(rng.uniform(0, 0.05), 4) if on() else 0,
        "top_a": round(rng.uniform(0, 0.5), 3) if on() else 0,
        "min_keep": rng.choice([0, 0, 0, 1, 2, 4]),
        "repeat_penalty": round(rng.uniform(0.5, 2), 3) if on() else 1,
        "frequency_penalty": round(rng.uniform(-0.5, 1.5), 3) if on() else 0,
        "presence_penalty": round(rng.uniform(-0.5, 1.5), 3) if on() else 0,
        "repeat_last_n": rng.choice([-1, 0, 2, 5, 64]),
        "dry_multiplier": round(rng.uniform(0, 3), 3) if on() else 0,
        "dry_base": round(rng.uniform(1, 3), 3),
        "dry_allowed_length": rng.choice([0, 1, 2, 3]),
        "dry_penalty_last_n": rng.choice([-1, 0, 3, 8]),
        "mirostat": rng.choice([0, 1, 2, 2]),
        "mirostat_ent": round(rng.uniform(0, 6), 3),
        "mirostat_lr": 0.1,
        "dry_sequence_breakers": rng.choice(list(BREAKERS)),
    }
    for name, sampler in OWNER.items():
        if sampler not in chain:  # a parameter of a sampler not in the chain must be default
            s[name] = DEFAULTS[name]
    s["samplers"] = ";".join(chain)
    return s


def entropy(q):
    nz = q[q > 0]
    return float(-(nz * np.log(nz)).sum())


def dist(l, keep, t):
    return np.where(keep, softmax(np.where(keep, l / t, -np.inf)), 0.0)


def penalties(x, s, t, history):
    """llama.cpp's penalties on the logits as the chain sees them (x / t), back times t."""
    n = int(s["repeat_last_n"])
    if n == 0 or (s["repeat_penalty"] == 1 and s["frequency_penalty"] == 0 and
                  s["presence_penalty"] == 0):
        return x
    x = x.copy()
    window = history if n < 0 or n >= len(history) else history[len(history) - n:]
    for tok in sorted(set(i for i in window if i is not None and np.isfinite(x[i]))):
        c = window.count(tok)
        z = x[tok] / t
        z = z * s["repeat_penalty"] if z <= 0 else z / s["repeat_penalty"]
        x[tok] = (z - (c * s["frequency_penalty"] + s["presence_penalty"])) * t
    return x


def dry(x, s, t, history, texts):
    """DRY, naively: for each earlier position, the run ending there that equals the run
    ending at the last token, cut at the last token holding a breaker."""
    n = int(s["dry_penalty_last_n"])
    if s["dry_multiplier"] == 0 or n == 0:
        return x
    window = history if n < 0 or n >= len(history) else history[len(history) - n:]
    breakers = BREAKERS[s["dry_sequence_breakers"]]
    is_breaker = lambda i: any(b in texts[i] for b in breakers)
    w, allowed = len(window), s["dry_allowed_length"]
    limit = w
    for j in range(w - 1, -1, -1):
        if window[j] is not None and is_breaker(window[j]):
            limit = w - 1 - j
            break
    longest = {}
    for j in range(w - 1):
        k = 0
        while k <= j and window[j - k] is not None and window[j - k] == window[w - 1 - k]:
            k += 1
        k = min(k, limit)
        nxt = window[j + 1]
        if k >= allowed and nxt is not None and np.isfinite(x[nxt]) and not is_breaker(nxt):
            longest[nxt] = max(longest.get(nxt, -1), k)
    x = x.copy()
    base = s["dry_base"]
    cap = math.floor(88.7228391 / math.log(base)) if base > 1.000001 else 0
    for tok, k in longest.items():
        e = k - allowed
        e = cap if 0 < cap < e else e
        x[tok] = (x[tok] / t - s["dry_multiplier"] * base ** e) * t
    return x


def run_history_chain(x, s, chain, history, texts):
    """The chain over file-order logits x: temperature, penalties and DRY up front change
    the logits, then the rest runs on them ranked again. Returns (ranked logits, probs)."""
    t, greedy, i = 1.0, False, 0
    while i < len(chain) and chain[i] in ("temperature", "penalties", "dry"):
        name = chain[i]
        if name == "temperature":
            T, d = s["temperature"], s["dynatemp_range"]
            fin = np.isfinite(x)
            if d > 0 and fin.sum() > 1:
                lo, hi = max(0.0, T - d), T + d
                norm = min(entropy(dist(x, fin, t)[fin]) / math.log(fin.sum()), 1.0)
                T = lo + (hi - lo) * norm ** s["dynatemp_exp"]
            if not (d > 0 and fin.sum() <= 1):
                t, greedy = T, T == 0
        elif not greedy and name == "penalties":
            x = penalties(x, s, t, history)
        elif not greedy and name == "dry":
            x = dry(x, s, t, history, texts)
        i += 1
    rank = np.argsort(-x, kind="stable")
    l = x[rank]
    return l, run_chain(l, s, chain[i:], np.isfinite(l), t, greedy)


def run_chain(l, s, chain, keep, t, greedy):
    """Probabilities by rank after the stages of `chain`, from state (keep, t, greedy)."""
    keep = keep.copy()
    mk = lambda n: min(max(int(s["min_keep"]), 1), n)
    for i, name in enumerate(chain):
        idx = np.flatnonzero(keep)  # kept ranks, in rank order
        m = len(idx)
        if name == "top_k":
            if 0 < s["top_k"] < m:
                keep[idx[int(s["top_k"]):]] = False
            continue
        if name == "top_n_sigma":
            if s["top_n_sigma"] > 0 and m > 1:
                x = l[idx]
                sd = x.std()
                keep[idx[x < x[0] - s["top_n_sigma"] * sd * (1 + SLACK)]] = False
            continue
        if greedy:
            continue
        q = dist(l, keep, t)
        qi = q[idx]
        if name == "temperature":
            T, d = s["temperature"], s["dynatemp_range"]
            if d > 0:
                if m <= 1:
                    continue
                lo, hi = max(0.0, T - d), T + d
                norm = min(entropy(qi) / math.log(m), 1.0)
                T = lo + (hi - lo) * norm ** s["dynatemp_exp"]
            t, greedy = T, T == 0
        elif name == "top_p" and s["top_p"] < 1:
            c = int(np.argmax(np.cumsum(qi) >= s["top_p"] - SLACK)) + 1
            keep[idx[max(c, mk(m)):]] = False
        elif name in ("min_p", "epsilon", "eta", "top_a"):
            v = s[name]
            if v <= 0:
                continue
            if name == "min_p":
                bar = (v - SLACK) * qi[0]
            elif name == "epsilon":
                bar = v - SLACK
            elif name == "eta":
                bar = min(v, math.sqrt(v) * math.exp(-entropy(qi))) - SLACK
            else:
                bar = (v - SLACK) * qi[0] ** 2
            c = int(np.sum(qi >= bar))
            keep[idx[max(c, mk(m)):]] = False
        elif name == "typ_p" and s["typical_p"] < 1 and m > 1:
            H = entropy(qi)
            surprise = -np.log(qi)
            c = int(np.sum(surprise < H))
            a = b = c
            mass = 0.0
            while b - a < m and (mass < s["typical_p"] - SLACK or b - a < mk(m)):
                left, right = a > 0, b < m
                if left and right:
                    right = abs(surprise[b] - H) < abs(surprise[a - 1] - H)
                    left = not right
                if left:
                    a -= 1
                    mass += qi[a]
                else:
                    mass += qi[b]
                    b += 1
            keep[idx[:a]] = False
            keep[idx[b:]] = False
        elif name == "mirostat" and s["mirostat"] > 0 and m > 1:
            mu = 2 * s["mirostat_ent"]
            if s["mirostat"] == 2:
                c = int(np.sum(qi >= 2.0 ** -mu - SLACK))
            else:
                tb = tt = 0.0
                for j in range(min(99, m - 1)):
                    ti = math.log((j + 2) / (j + 1))
                    bi = (l[idx[j]] - l[idx[j + 1]]) / t
                    tb += ti * bi
                    tt += ti * ti
                sh = tb / tt
                e = sh - 1
                try:
                    k = (e * 2.0 ** mu / (1 - float(len(l)) ** -e)) ** (1 / sh)
                except (ZeroDivisionError, OverflowError):
                    k = float("inf")
                if isinstance(k, complex) or math.isnan(k):
                    continue
                c = 1 if not k >= 1 else m if k >= m else int(k)
            keep[idx[max(c, 1):]] = False
        elif name == "xtc":
            prob, thr = s["xtc_probability"], s["xtc_threshold"]
            if prob <= 0 or thr > 0.5 or m < 2:
                continue
            c = int(np.sum(qi >= thr - SLACK))
            if c < 2 or m - (c - 1) < int(s["min_keep"]):
                continue
            fired = keep.copy()
            fired[idx[:c - 1]] = False
            if prob >= 1:
                keep = fired
                continue
            rest = chain[i + 1:]
            return ((1 - prob) * run_chain(l, s, rest, keep, t, greedy)
                    + prob * run_chain(l, s, rest, fired, t, greedy))
    if greedy:
        keep[np.flatnonzero(keep)[1:]] = False
        t = 1.0
    return dist(l, keep, t)


def check_chains(exe, path, rng, count):
    logits, fields = load_tsv(path, with_tokens=True)
    texts = [unescape(f) for f in fields]
    first = {}
    for i, t in enumerate(texts):  # a name that two tokens share finds the first
        first.setdefault(t, i)
    top = list(np.argsort(-logits, kind="stable")[:6])
    history = [int(rng.choice(top)) for _ in range(rng.randrange(0, 30))]
    history = [first[texts[i]] for i in history]
    arg = b" ".join(fields[i].replace(b" ", b"\\x20") for i in history)
    settings = [random_setting(rng) for _ in range(count)]
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write("\t".join(["name"] + COLUMNS + ["samplers"]) + "\n")
        for i, s in enumerate(settings):
            f.write("\t".join([f"s{i}"] + [str(s[c]) for c in COLUMNS] + [s["samplers"]]) + "\n")
        name = f.name
    try:
        cmd = [exe.encode(), b"sweep", path.encode(), b"--settings", name.encode(), b"-n", b"0",
               b"--history", arg]
        rows = list(csv.DictReader(io.StringIO(subprocess.run(
            cmd + [b"--format", b"csv"], check=True, capture_output=True, text=True).stdout)))
        summary = list(csv.DictReader(io.StringIO(subprocess.run(
            cmd + [b"--format", b"summary"], check=True, capture_output=True, text=True).stdout)))
    finally:
        os.unlink(name)
    V, bad, changed = len(logits), 0, 0
    plain = np.sort(logits)[::-1]
    for i, s in enumerate(settings):
        block = rows[i * V:(i + 1) * V]
        l, want = run_history_chain(logits, s, s["samplers"].split(";"), history, texts)
        changed += not np.array_equal(l, plain)
        got = np.array([float(r["prob"]) for r in block])
        got_logit = np.array([float(r["logit"]) for r in block])
        if not np.allclose(got_logit, l, rtol=1e-12, atol=0) or \
                not np.array_equal(np.isinf(got_logit), np.isinf(l)):
            print(f"not ok: {path} chain {s}: the changed logits or their order differ")
            bad += 1
            continue
        row = summary[i]
        H = float(-(want[want > 0] * np.log2(want[want > 0])).sum())
        kept = int(np.sum(want > 0))
        # a temperature picked from an entropy moves p by |ln p| times its rounding
        tol = 1e-9 + 1e-13 * np.abs(np.log(np.where(want > 0, want, 1.0)))
        if block[0]["samplers"] != s["samplers"] or \
                not np.all(np.abs(got - want) <= tol * want + 1e-300) or \
                (got > 0).sum() != kept or int(row["kept"]) != kept or \
                not math.isclose(float(row["entropy_bits"]), H, rel_tol=1e-9, abs_tol=1e-12):
            j = int(np.argmax(np.abs(got - want)))
            print(f"not ok: {path} chain {s}: rank {j + 1} prob {got[j]!r}, numpy {want[j]!r}; "
                  f"kept {row['kept']} vs {kept}; H {row['entropy_bits']} vs {H}")
            bad += 1
    return bad, count, changed


def main():
    exe, files = sys.argv[1], sys.argv[2:]
    bad = settings = 0
    for path in files:
        for order in ("hf", "llama"):
            b, n = check_file(exe, path, order)
            bad += b
            settings += n
    rng = random.Random(20240607)
    chains = changed = 0
    for path in files:
        b, n, c = check_chains(exe, path, rng, 150)
        bad += b
        chains += n
        changed += c
    print(f"{settings} settings and {chains} random chains ({changed} with logits changed by "
          f"penalties or DRY) compared with numpy, {bad} disagreements")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
