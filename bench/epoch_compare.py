#!/usr/bin/env python3
"""cuseq against what a CPU user would pick instead, in one run.

Rows: one epoch of bench/epoch_bench.cpp's three small classifiers against
Keras 3 (bench/keras_epoch.py), and the char_lm training step
(bench/language_model_bench.cpp) against PyTorch (bench/char_lm_torch.py).
Each round runs every program once, alternating cuseq and the reference, as
separate processes pinned to the same cores with the same thread count;
prints medians over the rounds and the speed ratio (their time / ours: above
1 cuseq is faster), and keeps every run's JSON under --out.
    python3 bench/epoch_compare.py --build build/cpu --python bench/.venv/bin/python
With --before OTHER_BUILD (a build of an earlier commit) its programs run in
the same rounds too, for before/after ratios.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

MODELS = {0: "Embedding -> LSTM(32) -> Dense", 1: "Embedding -> Bidirectional(GRU(32)) -> Dense",
          2: "Embedding -> Conv1D(64,5) -> GlobalMaxPool -> Dense"}


def run_json(command, out, env):
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    with open(out) as handle:
        return json.load(handle)["benchmarks"][0]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build/cpu")
    parser.add_argument("--before", help="a build of an earlier commit, timed in the same rounds")
    parser.add_argument("--python", default=os.path.join(here, ".venv", "bin", "python"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--models", default="0,1,2")
    parser.add_argument("--char-lm", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--out", default="out/epoch_compare")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads),
               OPENBLAS_NUM_THREADS=str(args.threads), KERAS_BACKEND="jax")
    pin = ["taskset", "-c", "0-%d" % (args.threads - 1)]
    has_torch = args.char_lm and subprocess.run(
        [args.python, "-c", "import torch"], stderr=subprocess.DEVNULL).returncode == 0
    builds = [("cuseq", args.build)] + ([("before", args.before)] if args.before else [])
    times = {}  # (row, side) -> list of ms (or tokens/s for char_lm)
    checksums = set()
    for round_ in range(args.rounds):
        for model in [int(m) for m in args.models.split(",") if m]:
            for side, build in builds:
                out = "%s/%s_epoch_%d_%d.json" % (args.out, side, model, round_)
                bench = run_json(pin + ["%s/bench/bench_epoch" % build,
                                        "--benchmark_filter=^BM_Epoch_cuseq/model:%d/gpu:0/" % model,
                                        "--benchmark_out=" + out], out, env)
                times.setdefault((model, side), []).append(bench["real_time"])
                checksums.add(bench["ids_checksum"])
            out = "%s/keras_epoch_%d_%d.json" % (args.out, model, round_)
            bench = run_json(pin + [args.python, os.path.join(here, "keras_epoch.py"),
                                    "--model", str(model), "--out", out], out, env)
            times.setdefault((model, "keras"), []).append(bench["real_time"])
            checksums.add(bench["ids_checksum"])
        if args.char_lm:
            for side, build in builds:
                out = "%s/%s_char_lm_%d.json" % (args.out, side, round_)
                bench = run_json(pin + ["%s/bench/bench_language_model" % build,
                                        "--benchmark_filter=^BM_CharLmTrainStep_cuseq/gpu:0/",
                                        "--benchmark_min_time=3", "--benchmark_out=" + out],
                                 out, env)
                times.setdefault(("char_lm", side), []).append(bench["tokens_per_second"])
        if has_torch:
            out = "%s/torch_char_lm_%d.json" % (args.out, round_)
            bench = run_json(pin + [args.python, os.path.join(here, "char_lm_torch.py"),
                                    "--seconds", "3", "--out", out], out, env)
            times.setdefault(("char_lm", "torch"), []).append(bench["tokens_per_second"])
        print("round %d/%d done" % (round_ + 1, args.rounds), file=sys.stderr)
    if len(checksums) > 1:
        sys.exit("cuseq and Keras trained on different ids: checksums %s" % sorted(checksums))

    before = " | cuseq before | before / now" if args.before else ""
    print("| work (%d threads, %d rounds) | cuseq | reference | ratio (theirs / ours)%s |"
          % (args.threads, args.rounds, before))
    print("|---|---|---|---|%s" % ("---|---|" if args.before else ""))

    def before_cells(row, unit, speedup):
        if not args.before:
            return ""
        then = statistics.median(times[(row, "before")])
        return " | %.0f%s | %.2fx" % (then, unit, speedup(then))

    for model, name in MODELS.items():
        if (model, "cuseq") not in times:
            continue
        ours = statistics.median(times[(model, "cuseq")])
        theirs = statistics.median(times[(model, "keras")])
        print("| epoch, %s, 40 steps of 32 | %.0f ms | Keras 3 (JAX) %.0f ms | %.2fx%s |"
              % (name, ours, theirs, theirs / ours,
                 before_cells(model, " ms", lambda then: then / ours)))
    if ("char_lm", "cuseq") in times:
        ours = statistics.median(times[("char_lm", "cuseq")])
        cells = before_cells("char_lm", "", lambda then: ours / then)
        if has_torch:
            theirs = statistics.median(times[("char_lm", "torch")])
            print("| char_lm training step, 2 x LSTM(128), tokens/s | %.0f | PyTorch CPU %.0f |"
                  " %.2fx%s |" % (ours, theirs, ours / theirs, cells))
        else:
            print("| char_lm training step, 2 x LSTM(128), tokens/s | %.0f | (no torch in %s) |"
                  " %s |" % (ours, args.python, cells))


if __name__ == "__main__":
    main()
