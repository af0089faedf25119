#!/usr/bin/env python3
"""oneDNN time / cuseq time per shape before and after, from runs of
bench_recurrent on each build (every run times oneDNN beside cuseq, with
random interleaving, so each ratio is a same-run ratio): medians over all
repetitions of a side's runs.

usage: ratios.py --before B1.json [B2.json ...] --after A1.json [A2.json ...] > ratios.md"""
import argparse, json, math, re, statistics
from collections import defaultdict

NAME = re.compile(r"^BM_(?P<cell>LSTM|GRU)(?P<pass>Forward|Train)_(?P<impl>cuseq|reference)"
                  r"/gpu:0/batch:(?P<b>\d+)/hidden:(?P<h>\d+)/steps:(?P<t>\d+)/real_time$")


def medians(paths):
    times = defaultdict(list)
    for path in paths:
        for b in json.load(open(path))["benchmarks"]:
            m = NAME.match(b["name"])
            if m and b.get("run_type") == "iteration" and not b.get("error_occurred"):
                key = (m["cell"], m["pass"], int(m["t"]), int(m["h"]), int(m["b"]), m["impl"])
                times[key].append(b["real_time"] / 1e6)
    return {k: statistics.median(v) for k, v in times.items()}


def geomean(values):
    return math.exp(sum(map(math.log, values)) / len(values))


parser = argparse.ArgumentParser()
parser.add_argument("--before", nargs="+", required=True)
parser.add_argument("--after", nargs="+", required=True)
args = parser.parse_args()
before, after = medians(args.before), medians(args.after)
shapes = sorted({k[:5] for k in after if k[5] == "cuseq"})


def ratio(times, shape):
    return times[shape + ("reference",)] / times[shape + ("cuseq",)]


print("oneDNN time / cuseq time (above 1: cuseq faster) per shape, after (before); "
      "medians over the repetitions of each side's runs, 2 threads.\n")
print("| cell | pass | T | H | B=8 | B=32 | B=64 |\n|---|---|---|---|---|---|---|")
for cell in ("LSTM", "GRU"):
    for pas in ("Forward", "Train"):
        for t in sorted({s[2] for s in shapes}):
            for h in (128, 256, 512):
                cells = ["%.2f (%.2f)" % (ratio(after, (cell, pas, t, h, b)),
                                          ratio(before, (cell, pas, t, h, b))) for b in (8, 32, 64)]
                print("| %s | %s | %d | %d | %s |" % (cell, pas, t, h, " | ".join(cells)))
print("\n| | oneDNN / cuseq after: geometric mean | range | before: geometric mean | range "
      "| cuseq time before / after (geometric mean) |\n|---|---|---|---|---|---|")
for cell in ("LSTM", "GRU"):
    for pas in ("Forward", "Train"):
        keys = [s for s in shapes if s[0] == cell and s[1] == pas]
        a = [ratio(after, k) for k in keys]
        b = [ratio(before, k) for k in keys]
        speedup = [before[k + ("cuseq",)] / after[k + ("cuseq",)] for k in keys]
        print("| %s%s | %.2f | %.2f-%.2f | %.2f | %.2f-%.2f | %.2fx |" % (
            cell, pas, geomean(a), min(a), max(a), geomean(b), min(b), max(b), geomean(speedup)))
