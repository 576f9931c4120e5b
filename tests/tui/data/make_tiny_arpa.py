#!/usr/bin/env python3
"""make_tiny_arpa.py: writes tiny.arpa, the small trigram model of the explorer's language-model
golden frames: a few sentences about a cat, a dog and a bird, with absolutely discounted
(D = 0.5) trigram and bigram estimates backing off to add-one unigrams, so that every context's
probabilities add up to 1. Deterministic: run it again and the file is the same.
    python3 make_tiny_arpa.py > tiny.arpa"""
import math
from collections import Counter, defaultdict

CORPUS = """the cat sat on the mat
the dog sat on the log
the cat saw the dog
the dog ran to the park
a cat ran to the mat
the bird sang in the park
a dog saw a bird
the bird sat on the dog
a cat sang to the bird
the dog saw the cat in the park"""

D = 0.5
sents = [["<s>"] + line.split() + ["</s>"] for line in CORPUS.splitlines()]
uni, big, tri = Counter(), Counter(), Counter()
for s in sents:
    for i, w in enumerate(s):
        if w != "<s>":
            uni[w] += 1
        if i >= 1:
            big[(s[i - 1], w)] += 1
        if i >= 2:
            tri[(s[i - 2], s[i - 1], w)] += 1
words = sorted(uni) + ["<s>", "<unk>"]
cands = [w for w in words if w not in ("<s>", "<unk>")]
total = sum(uni.values()) + len(cands) + 1  # add-one, <unk> included
p1 = {w: (uni[w] + 1) / total for w in cands}
p1["<unk>"] = 1 / total


def discounted(counts, ctx_len):
    by_ctx = defaultdict(dict)
    for g, c in counts.items():
        by_ctx[g[:ctx_len]][g[ctx_len]] = c
    return by_ctx


b_ctx = discounted(big, 1)
t_ctx = discounted(tri, 2)
p2, bo1 = {}, {}
for (u,), nexts in b_ctx.items():
    n = sum(nexts.values())
    for w, c in nexts.items():
        p2[(u, w)] = (c - D) / n
    left = 1 - sum(p2[(u, w)] for w in nexts)
    rest = sum(p1[w] for w in p1 if w not in nexts)
    bo1[u] = left / rest
p3, bo2 = {}, {}
for (u, v), nexts in t_ctx.items():
    n = sum(nexts.values())
    for w, c in nexts.items():
        p3[(u, v, w)] = (c - D) / n
    left = 1 - sum(p3[(u, v, w)] for w in nexts)
    lower = lambda w: p2.get((v, w), bo1.get(v, 1) * p1.get(w, 0))
    rest = sum(lower(w) for w in p1 if w not in nexts)
    bo2[(u, v)] = left / rest

lg = lambda x: "%.6f" % math.log10(x)
print("# tiny.arpa: a trigram model of ten sentences (tests/tui/data/make_tiny_arpa.py)")
print("\\data\\")
print("ngram 1=%d" % len(words))
print("ngram 2=%d" % len(p2))
print("ngram 3=%d" % len(p3))
print("\n\\1-grams:")
for w in words:
    p = "-99" if w == "<s>" else lg(p1[w])
    bo = "\t" + lg(bo1[w]) if w in bo1 else ""
    print("%s\t%s%s" % (p, w, bo))
print("\n\\2-grams:")
for (u, w) in sorted(p2):
    bo = "\t" + lg(bo2[(u, w)]) if (u, w) in bo2 else ""
    print("%s\t%s %s%s" % (lg(p2[(u, w)]), u, w, bo))
print("\n\\3-grams:")
for g in sorted(p3):
    print("%s\t%s" % (lg(p3[g]), " ".join(g)))
print("\n\\end\\")
