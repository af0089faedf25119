#!/usr/bin/env python3
"""The CPU persistent loop against the standard loop and oneDNN.

usage: ratios.py BASELINE.json RUN.json...

RUN.json: bench_recurrent with --benchmark_repetitions and random interleaving; per shape the
minimum over the repetitions of the standard loop (RecurrentAlgorithm::standard), the persistent
loop and oneDNN. BASELINE.json: the quiet, non-interleaved run of onednn-training/ (oneDNN time
/ our standard loop's time, `before`). `after` = before x (standard / persistent of RUN): the
speed-up measured in one run carried over to the quiet baseline's oneDNN ratio."""
import json, re, sys, math
from collections import defaultdict
NAME = re.compile(r"^BM_(?P<cell>LSTM|GRU)(?P<pass>Forward|Train)(?P<algo>Standard|Persistent)?_(?P<impl>cuseq|reference)/gpu:0/batch:(?P<b>\d+)/hidden:(?P<h>\d+)/steps:(?P<t>\d+)")


def load(paths, default_algo):
    best = defaultdict(lambda: math.inf)
    for path in paths:
        for b in json.load(open(path))["benchmarks"]:
            if b.get("run_type") == "aggregate" or b.get("error_occurred"):
                continue
            m = NAME.match(b["name"])
            if not m:
                continue
            impl = "oneDNN" if m["impl"] == "reference" else (m["algo"] or default_algo).lower()
            key = (m["cell"], m["pass"], int(m["t"]), int(m["h"]), int(m["b"]), impl)
            best[key] = min(best[key], b["real_time"] / 1e6)
    return best


base = load([sys.argv[1]], "standard")
run = load(sys.argv[2:], None)
keys = sorted({k[:5] for k in run}, key=lambda k: (k[0] != "LSTM", k[1], k[2], k[3], k[4]))
print("| cell | pass | T | H | B | standard ms | persistent ms | standard / persistent | oneDNN / ours before | after (estimated) |")
print("|---|---|---|---|---|---|---|---|---|---|")
groups = defaultdict(lambda: defaultdict(list))
for k in keys:
    s, p = run[k + ("standard",)], run[k + ("persistent",)]
    before = base[k + ("oneDNN",)] / base[k + ("standard",)]
    if math.inf in (s, p):
        continue
    after = before * s / p
    print(f"| {k[0]} | {k[1]} | {k[2]} | {k[3]} | {k[4]} | {s:.2f} | {p:.2f} | {s/p:.2f} | {before:.2f} | {after:.2f} |")
    g = groups[(k[0], k[1])]
    g["speedup"].append(s / p); g["before"].append(before); g["after"].append(after)
print()
gm = lambda v: math.exp(sum(map(math.log, v)) / len(v))
for (cell, pas), g in groups.items():
    print(f"- {cell} {pas}: persistent / standard {gm(g['speedup']):.2f} ({min(g['speedup']):.2f}-{max(g['speedup']):.2f}); "
          f"oneDNN / ours {gm(g['before']):.2f} before -> {gm(g['after']):.2f} after, estimated "
          f"({min(g['after']):.2f}-{max(g['after']):.2f}) over {len(g['after'])} shapes")
