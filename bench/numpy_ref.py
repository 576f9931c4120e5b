#!/usr/bin/env python3
"""numpy_ref.py: the logitscope chains of bench/bench.c written in numpy, as its reference:
three settings of the hf chain, and the llama chain with every sampler on (top-n-sigma,
typical-p, top-p, min-p, XTC's two branches mixed, temperature). Reads float64 logits from
a raw file and prints one line per setting: `V name median_update_ms median_presorted_ms`.

"update" is the idiomatic numpy version: every call sorts the logits, as a function that
takes logits and parameters must. "presorted" is given the rank order up front, as the C
engine is, so the remaining gap is the pipeline itself."""
import sys
import time

import numpy as np


def pipeline(logits, order, temperature, top_k, top_p, n, rng):
    if order is None:
        order = np.argsort(-logits, kind="stable")
    x = logits[order]
    y = (x - x[0]) / temperature
    if top_k:
        y = y[:top_k]
    w = np.exp(y)
    total = w.sum()
    if top_p < 1.0:
        cum = np.cumsum(w) / total
        m = int(np.searchsorted(cum, top_p - 1e-12)) + 1
        w, y = w[:m], y[:m]
        total = w.sum()
    p = w / total
    entropy = (np.log(total) - np.dot(p, y)) / np.log(2.0)
    cdf = np.cumsum(p)
    draws = np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right")
    counts = np.bincount(np.minimum(draws, len(p) - 1), minlength=len(p))
    return p, entropy, counts


def softmax(y):
    w = np.exp(y - y[0])
    return w / w.sum()


def llama_all(logits, order, n, rng):
    """top_n_sigma 2; typ_p 0.9; top_p 0.95; min_p 0.05; xtc 0.1 at 0.5; temperature 0.8."""
    if order is None:
        order = np.argsort(-logits, kind="stable")
    x = logits[order]
    x = x[x >= x[0] - 2.0 * x.std()]
    p = softmax(x)
    surprise = -np.log(p)
    h = float(np.dot(p, surprise))
    dist = np.abs(surprise - h)
    by = np.argsort(dist, kind="stable")
    last = int(np.searchsorted(np.cumsum(p[by]), 0.9 - 1e-12)) + 1
    band = np.sort(by[:last])
    x = x[band[0]:band[-1] + 1]
    p = softmax(x)
    x = x[:int(np.searchsorted(np.cumsum(p), 0.95 - 1e-12)) + 1]
    p = softmax(x)
    x = x[p >= 0.05 * p[0]]
    p = softmax(x)
    m = int(np.sum(p >= 0.1))
    branches = [(1.0, x)] if m < 2 else [(0.5, x), (0.5, x[m - 1:])]
    probs = np.zeros(len(x))
    for share, xb in branches:
        probs[len(x) - len(xb):] += share * softmax(xb / 0.8)
    nz = probs[probs > 0]
    entropy = float(-(nz * np.log2(nz)).sum())
    fired = rng.random(n) < 0.5
    counts = np.zeros(len(x), dtype=np.int64)
    for flag, (share, xb) in zip((False, True), branches if m >= 2 else branches * 2):
        k = int(np.sum(fired == flag)) if m >= 2 else (n if not flag else 0)
        cdf = np.cumsum(softmax(xb / 0.8))
        draws = np.searchsorted(cdf, rng.random(k) * cdf[-1], side="right")
        counts[len(x) - len(xb):] += np.bincount(np.minimum(draws, len(xb) - 1),
                                                 minlength=len(xb))
    return probs, entropy, counts


def median_ms(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(times))


def main():
    path, v = sys.argv[1], int(sys.argv[2])
    logits = np.fromfile(path, dtype=np.float64, count=v)
    order = np.argsort(-logits, kind="stable")
    rng = np.random.default_rng(1)
    repeats = 200 if v < 100000 else 40
    settings = (("T=0.7,top-p=0.9", 0.7, 0, 0.9), ("T=1.0,top-k=50", 1.0, 50, 1.0),
                ("T=1.5", 1.5, 0, 1.0))
    for name, t, k, p in settings:
        pipeline(logits, None, t, k, p, 10000, rng)
        full = median_ms(lambda: pipeline(logits, None, t, k, p, 10000, rng), repeats)
        pre = median_ms(lambda: pipeline(logits, order, t, k, p, 10000, rng), repeats)
        print(f"{v} {name} {full:.4f} {pre:.4f}", flush=True)
    llama_all(logits, None, 10000, rng)
    full = median_ms(lambda: llama_all(logits, None, 10000, rng), repeats)
    pre = median_ms(lambda: llama_all(logits, order, 10000, rng), repeats)
    print(f"{v} llama,all {full:.4f} {pre:.4f}", flush=True)


if __name__ == "__main__":
    main()
