#!/usr/bin/env python3
"""Framework time / cuseq time per recurrent op on the CPU grid, from
bench_recurrent runs (cuseq-*.json, medians of all repetitions) and
bench/torch_keras_cpu.py --full-grid (python_torch.json, python_keras.json):
geometric means and ranges per op.

usage: framework_ratios.py CUSEQ_JSON... --torch python_torch.json --keras python_keras.json"""
import argparse, json, math, re, statistics
from collections import defaultdict

NAME = re.compile(r"^BM_(?P<op>(LSTM|GRU)(Forward|Train))_(?P<impl>cuseq|torch|keras)"
                  r"/gpu:0/batch:(?P<b>\d+)/hidden:(?P<h>\d+)/steps:(?P<t>\d+)/real_time$")


def times(paths):
    found = defaultdict(list)
    for path in paths:
        for bench in json.load(open(path))["benchmarks"]:
            m = NAME.match(bench["name"])
            if m and bench.get("run_type", "iteration") == "iteration":
                found[(m["op"], int(m["b"]), int(m["h"]), int(m["t"]))].append(bench["real_time"])
    return {key: statistics.median(values) for key, values in found.items()}


parser = argparse.ArgumentParser()
parser.add_argument("cuseq", nargs="+")
parser.add_argument("--torch", required=True)
parser.add_argument("--keras", required=True)
args = parser.parse_args()
ours = times(args.cuseq)
print("| op | PyTorch time / ours: geometric mean | range | Keras time / ours: geometric mean | range |")
print("|---|---|---|---|---|")
for op in ("LSTMForward", "LSTMTrain", "GRUForward", "GRUTrain"):
    cells = []
    for path in (args.torch, args.keras):
        theirs = times([path])
        ratios = [theirs[k] / ours[k] for k in theirs if k[0] == op and k in ours]
        mean = math.exp(sum(map(math.log, ratios)) / len(ratios))
        cells += ["%.2fx (%d shapes)" % (mean, len(ratios)), "%.2f-%.2fx" % (min(ratios), max(ratios))]
    print("| %s | %s |" % (op, " | ".join(cells)))
