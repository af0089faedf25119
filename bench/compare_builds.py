#!/usr/bin/env python3
"""Compares cuseq's own benchmarks between two builds of the project.

    bench/compare_builds.py REFERENCE_BUILD CANDIDATE_BUILD [--repetitions 5]
        [--bench recurrent --bench pointwise ...] [--filter REGEX] [--env NAME=VALUE]

Runs the `_cuseq` CPU benchmarks of each bench binary in both build folders,
alternating between them (reference, candidate, reference, ...) so that a
change in the machine's load hits both alike, and prints, for each benchmark,
the median time of each build over the repetitions and the speed ratio
reference time / candidate time (above 1: the candidate is faster), then the
geometric mean of the ratios. Used to check that a build option costs no
speed (e.g. the portable default against a CUSEQ_NATIVE=ON build).
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict

DEFAULT_BENCHES = ["recurrent", "pointwise", "optimizer", "loss", "conv", "embedding", "dropout",
                   "gemm", "language_model"]


def run(binary, pattern, min_time, metric, env):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([binary, f"--benchmark_filter={pattern}", f"--benchmark_min_time={min_time}",
                        f"--benchmark_out={out.name}", "--benchmark_out_format=json"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        data = json.load(open(out.name))
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    return {b["name"]: b[metric] * unit[b["time_unit"]]
            for b in data["benchmarks"] if not b.get("error_occurred")}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reference")
    parser.add_argument("candidate")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--bench", action="append", help="bench_<name> binaries to run")
    parser.add_argument("--filter", default="_cuseq/gpu:0", help="--benchmark_filter regex")
    parser.add_argument("--min-time", default="0.1")
    parser.add_argument("--metric", default="real_time", choices=["real_time", "cpu_time"],
                        help="cpu_time: the process's CPU time, robust to other processes' load "
                        "where the benchmark runs on one thread")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for both builds")
    args = parser.parse_args()
    env = dict(os.environ)
    env.update(item.split("=", 1) for item in args.env)

    times = defaultdict(lambda: defaultdict(list))  # (bench, name) -> build -> seconds
    for repetition in range(args.repetitions):
        for bench in args.bench or DEFAULT_BENCHES:
            for label, build in (("reference", args.reference), ("candidate", args.candidate)):
                binary = os.path.join(build, "bench", f"bench_{bench}")
                for name, seconds in run(binary, args.filter, args.min_time, args.metric,
                                         env).items():
                    times[(bench, name)][label].append(seconds)
        print(f"repetition {repetition + 1}/{args.repetitions} done", file=sys.stderr)

    print(f"reference: {args.reference}; candidate: {args.candidate}; "
          f"{args.repetitions} interleaved repetitions, medians of {args.metric}; "
          f"env {args.env or 'as is'}")
    print()
    print("| benchmark | reference | candidate | reference / candidate |")
    print("|---|---|---|---|")
    ratios = []
    for (bench, name), by_build in sorted(times.items()):
        if len(by_build) < 2:
            continue
        reference = statistics.median(by_build["reference"])
        candidate = statistics.median(by_build["candidate"])
        ratios.append(reference / candidate)
        short = name.replace("/real_time", "").replace("/gpu:0", "")
        print(f"| {short} | {reference * 1e6:.1f} us | {candidate * 1e6:.1f} us | "
              f"{reference / candidate:.2f} |")
    if ratios:
        geometric = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print()
        print(f"{len(ratios)} benchmarks: geometric mean {geometric:.3f}, "
              f"min {min(ratios):.2f}, max {max(ratios):.2f}")


if __name__ == "__main__":
    main()
