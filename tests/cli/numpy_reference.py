#!/usr/bin/env python3
# numpy_reference.py: an independent numpy implementation of the sampling rules (README,
# Semantics), compared with `logitscope sweep --format csv/summary` over a grid of settings,
# both orders and several data files. Exit 0 = agree, 1 = disagree, 77 = numpy missing (skip).
# Usage: numpy_reference.py LOGITSCOPE FILE...
import csv
import io
import math
import subprocess
import sys

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


def main():
    exe, files = sys.argv[1], sys.argv[2:]
    bad = settings = 0
    for path in files:
        for order in ("hf", "llama"):
            b, n = check_file(exe, path, order)
            bad += b
            settings += n
    print(f"{settings} settings compared with numpy, {bad} disagreements")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
