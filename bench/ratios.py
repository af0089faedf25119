#!/usr/bin/env python3
"""Turns Google Benchmark JSON files into ratio tables.

Benchmarks are named BM_<Op>_<impl>/<args>, impl being `cuseq`, `reference`
(oneDNN / cuBLAS / cuDNN / PyTorch, named in the label) or `roofline` (a copy of
the same bytes). For each op and argument set this prints reference time /
cuseq time (above 1: cuseq is faster) and cuseq's share of the roofline, from the median of
a benchmark's repetitions across all the files given.
Benchmarks of other frameworks timed outside the binary (bench/torch_keras_cpu.py,
bench/lstm_torch_gpu.py: impls `torch` and `keras`) get a second table, and a
third with each op's geometric mean and range of those ratios over its shapes.
"""
import json
import math
import re
import statistics
import sys
from collections import defaultdict

NAME = re.compile(r"^BM_(?P<op>.+)_(?P<impl>cuseq|reference|roofline|torch|keras)(?P<args>/.*)?$")


def load(paths):
    """rows[(op, args)][impl]: a benchmark entry whose real_time is the median
    of every repetition of it in all the files (a file with only aggregates
    counts its median aggregate as one)."""
    entries, repetitions, medians = {}, defaultdict(list), defaultdict(list)
    context = None
    for path in paths:
        with open(path) as handle:
            data = json.load(handle)
        context = context or data.get("context", {})
        for bench in data.get("benchmarks", []):
            median = bench.get("aggregate_name") == "median"
            if bench.get("error_occurred") or (bench.get("run_type") == "aggregate" and not median):
                continue
            match = NAME.match(bench.get("run_name", bench["name"]))
            if not match:
                continue
            key = (match["op"], (match["args"] or "").replace("/real_time", ""), match["impl"])
            entries.setdefault(key, bench)
            time_ns = bench["real_time"] * UNIT_NS[bench.get("time_unit", "ns")]
            (medians if median else repetitions)[key].append(time_ns)
    rows = defaultdict(dict)
    for (op, args, impl), entry in entries.items():
        times = repetitions[(op, args, impl)] or medians[(op, args, impl)]
        unit = entry.get("time_unit", "ns")
        rows[(op, args)][impl] = dict(entry, real_time=statistics.median(times) / UNIT_NS[unit])
    return rows, context or {}


def main(paths):
    rows, context = load(paths)
    print(f"host: {context.get('host_name', '?')}, {context.get('num_cpus', '?')} CPUs, "
          f"{context.get('date', '')}")
    print()
    print("| op | args | cuseq | reference | ref / cuseq | % of roofline |")
    print("|---|---|---|---|---|---|")
    for (op, args), impls in sorted(rows.items()):
        ours = impls.get("cuseq")
        if ours is None:
            continue
        time_unit = ours.get("time_unit", "ns")
        reference = impls.get("reference")
        roofline = impls.get("roofline")
        ratio = f"{reference['real_time'] / ours['real_time']:.2f}x" if reference else "-"
        label = f" ({reference.get('label', '')})" if reference and reference.get("label") else ""
        share = f"{100 * roofline['real_time'] / ours['real_time']:.0f}%" if roofline else "-"
        ref_time = f"{reference['real_time']:.4g} {time_unit}{label}" if reference else "-"
        print(f"| {op} | {args} | {ours['real_time']:.4g} {time_unit} | {ref_time} | {ratio} | {share} |")
    print_frameworks(rows)


FRAMEWORKS = ("torch", "keras")


def print_frameworks(rows):
    """Framework time / cuseq time for the ops that other frameworks were timed on."""
    paired = {key: impls for key, impls in rows.items()
              if "cuseq" in impls and any(f in impls for f in FRAMEWORKS)}
    if not paired:
        return
    print()
    print("| op | args | cuseq | " + " | ".join(f"{f} | {f} / cuseq" for f in FRAMEWORKS) + " |")
    print("|---|---|---|" + "---|---|" * len(FRAMEWORKS))
    for (op, args), impls in sorted(paired.items()):
        ours = impls["cuseq"]
        unit = ours.get("time_unit", "ns")
        cells = []
        for framework in FRAMEWORKS:
            theirs = impls.get(framework)
            if theirs is None:
                cells += ["-", "-"]
                continue
            # Times in the framework's own unit, converted to cuseq's.
            scale = UNIT_NS[theirs.get("time_unit", "ns")] / UNIT_NS[unit]
            time = theirs["real_time"] * scale
            cells += [f"{time:.4g} {unit}", f"{time / ours['real_time']:.2f}x"]
        print(f"| {op} | {args} | {ours['real_time']:.4g} {unit} | " + " | ".join(cells) + " |")
    print_framework_means(paired)


def framework_ratio(impls, framework):
    """The framework's time / cuseq's for one op and argument set, or None."""
    theirs, ours = impls.get(framework), impls["cuseq"]
    if theirs is None:
        return None
    return (theirs["real_time"] * UNIT_NS[theirs.get("time_unit", "ns")]) / (
        ours["real_time"] * UNIT_NS[ours.get("time_unit", "ns")])


def print_framework_means(paired):
    """Per op: the geometric mean and range of framework time / cuseq time."""
    print()
    print("| op | " + " | ".join(f"{f} / cuseq: geometric mean | range" for f in FRAMEWORKS) + " |")
    print("|---|" + "---|---|" * len(FRAMEWORKS))
    for op in sorted({op for op, _ in paired}):
        cells = []
        for framework in FRAMEWORKS:
            ratios = [r for (o, _), impls in paired.items() if o == op
                      for r in [framework_ratio(impls, framework)] if r is not None]
            if not ratios:
                cells += ["-", "-"]
                continue
            mean = math.exp(sum(map(math.log, ratios)) / len(ratios))
            cells += [f"{mean:.2f}x ({len(ratios)} shapes)", f"{min(ratios):.2f}-{max(ratios):.2f}x"]
        print(f"| {op} | " + " | ".join(cells) + " |")


UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


if __name__ == "__main__":
    main(sys.argv[1:])
