#!/usr/bin/env python3
# numpy_reference.py: an independent numpy implementation of the sampler chain, compared with
# `logitscope sweep --format csv/summary`: a grid of the classic settings in both classic
# orders, then random chains of every sampler in random orders (a settings file with a header
# row names every column), over several data files. Exit 0 = agree, 1 = disagree, 77 = numpy
# missing (skip).
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


def load_tsv(path):
    """Logits in file order; token text is not needed (rank order is checked by logit)."""
    logits = []
    with open(path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            if not line.strip() or line.startswith(b"#"):
                continue
            logits.append(float(line.rsplit(b"\t", 1)[1].decode()))
    return np.array(logits, dtype=np.float64)


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
            "epsilon", "eta", "top_a"]
COLUMNS = ["temperature", "top_k", "top_p", "min_p", "typical_p", "top_n_sigma",
           "xtc_threshold", "xtc_probability", "dynatemp_range", "dynatemp_exp", "epsilon",
           "eta", "top_a", "min_keep"]


def random_setting(rng):
    order = SAMPLERS[:]
    rng.shuffle(order)
    chain = [s for s in order if rng.random() < 0.7] or ["temperature"]
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
    }
    for name, sampler in [("top_k", "top_k"), ("top_p", "top_p"), ("min_p", "min_p"),
                          ("typical_p", "typ_p"), ("top_n_sigma", "top_n_sigma"),
                          ("xtc_probability", "xtc"), ("xtc_threshold", "xtc"),
                          ("epsilon", "epsilon"), ("eta", "eta"), ("top_a", "top_a"),
                          ("temperature", "temperature"), ("dynatemp_range", "temperature"),
                          ("dynatemp_exp", "temperature")]:
        if sampler not in chain:  # a parameter of a sampler not in the chain must be default
            s[name] = {"temperature": 1, "top_k": 0, "top_p": 1, "min_p": 0, "typical_p": 1,
                       "top_n_sigma": 0, "xtc_probability": 0, "xtc_threshold": 0.1,
                       "epsilon": 0, "eta": 0, "top_a": 0, "dynatemp_range": 0,
                       "dynatemp_exp": 1}[name]
    s["samplers"] = ";".join(chain)
    return s


def entropy(q):
    nz = q[q > 0]
    return float(-(nz * np.log(nz)).sum())


def dist(l, keep, t):
    return np.where(keep, softmax(np.where(keep, l / t, -np.inf)), 0.0)


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
    logits = load_tsv(path)
    rank = np.argsort(-logits, kind="stable")
    l = logits[rank]
    settings = [random_setting(rng) for _ in range(count)]
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write("\t".join(["name"] + COLUMNS + ["samplers"]) + "\n")
        for i, s in enumerate(settings):
            f.write("\t".join([f"s{i}"] + [str(s[c]) for c in COLUMNS] + [s["samplers"]]) + "\n")
        name = f.name
    try:
        cmd = [exe, "sweep", path, "--settings", name, "-n", "0"]
        rows = list(csv.DictReader(io.StringIO(subprocess.run(
            cmd + ["--format", "csv"], check=True, capture_output=True, text=True).stdout)))
        summary = list(csv.DictReader(io.StringIO(subprocess.run(
            cmd + ["--format", "summary"], check=True, capture_output=True, text=True).stdout)))
    finally:
        os.unlink(name)
    V, bad = len(l), 0
    for i, s in enumerate(settings):
        block = rows[i * V:(i + 1) * V]
        want = run_chain(l, s, s["samplers"].split(";"), np.isfinite(l), 1.0, False)
        got = np.array([float(r["prob"]) for r in block])
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
    return bad, count


def main():
    exe, files = sys.argv[1], sys.argv[2:]
    bad = settings = 0
    for path in files:
        for order in ("hf", "llama"):
            b, n = check_file(exe, path, order)
            bad += b
            settings += n
    rng = random.Random(20240607)
    chains = 0
    for path in files:
        b, n = check_chains(exe, path, rng, 150)
        bad += b
        chains += n
    print(f"{settings} settings and {chains} random chains compared with numpy, "
          f"{bad} disagreements")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
