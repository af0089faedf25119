#!/usr/bin/env python3
"""PyTorch's CPU Conv1d and MaxPool1d on conv_bench.cpp's CPU shapes.

Writes Google-Benchmark-compatible JSON named BM_Conv1dForward_torch/gpu:0/...
and BM_MaxPool1dForward_torch/gpu:0/... with conv_bench.cpp's argument names,
so bench/ratios.py pairs them with cuseq's. PyTorch gets its native layout
([batch, channels, steps]); cuseq runs Keras' channels-last layout.
Run with the virtualenv of bench/run_python_refs.sh:
  bench/.venv/bin/python bench/conv_torch_cpu.py --threads 2 --out conv_torch.json
"""
import argparse
import json
import os
import platform
from datetime import datetime

from torch_keras_cpu import time_call

# (batch, steps, channels, filters, kernel, same) as in conv_bench.cpp's conv_shapes.
CONV_SHAPES = [(32, 500, 128, 32, 7, 0), (32, 98, 32, 32, 7, 0), (16, 1000, 256, 256, 3, 1)]
# (batch, steps, channels, pool) as in conv_bench.cpp's pool_shapes.
POOL_SHAPES = [(32, 494, 32, 5), (32, 2000, 256, 2000)]


def cases(threads):
    import torch

    torch.set_num_threads(threads)
    version = f"PyTorch {torch.__version__}"
    with torch.no_grad():
        for batch, steps, channels, filters, kernel, same in CONV_SHAPES:
            conv = torch.nn.Conv1d(channels, filters, kernel, padding="same" if same else 0)
            x = torch.randn(batch, channels, steps)
            out_steps = steps if same else steps - kernel + 1
            flops = 2.0 * batch * out_steps * filters * channels * kernel
            args = (f"gpu:0/batch:{batch}/steps:{steps}/channels:{channels}/filters:{filters}"
                    f"/kernel:{kernel}/same:{same}")
            yield "Conv1dForward", args, (lambda conv=conv, x=x: conv(x)), flops, version
        for batch, steps, channels, pool in POOL_SHAPES:
            layer = torch.nn.MaxPool1d(pool)
            x = torch.randn(batch, channels, steps)
            args = f"gpu:0/batch:{batch}/steps:{steps}/channels:{channels}/pool:{pool}"
            yield "MaxPool1dForward", args, (lambda layer=layer, x=x: layer(x)), 0.0, version


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--min-time", type=float, default=0.5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    benchmarks = []
    for op, arguments, call, flops, version in cases(args.threads):
        seconds, iterations = time_call(call, args.min_time)
        name = f"BM_{op}_torch/{arguments}/real_time"
        print(f"{name}: {seconds * 1e3:.3f} ms", flush=True)
        entry = {"name": name, "run_name": name, "run_type": "iteration",
                 "iterations": iterations, "real_time": seconds * 1e9, "cpu_time": seconds * 1e9,
                 "time_unit": "ns", "label": f"{version}, {args.threads} threads"}
        if flops:
            entry["FLOP/s"] = flops / seconds
        benchmarks.append(entry)
    context = {"host_name": platform.node(), "num_cpus": os.cpu_count(),
               "date": datetime.now().isoformat(timespec="seconds"),
               "executable": "bench/conv_torch_cpu.py"}
    with open(args.out, "w") as handle:
        json.dump({"context": context, "benchmarks": benchmarks}, handle, indent=1)


if __name__ == "__main__":
    main()
