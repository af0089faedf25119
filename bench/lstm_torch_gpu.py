#!/usr/bin/env python3
"""PyTorch nn.LSTM / nn.GRU on CUDA (cuDNN) over recurrent_bench.cpp's GPU grid.

tools/gpu_check.sh runs every bench/*_torch_gpu.py on a GPU machine that has
PyTorch; the JSON (Google Benchmark names BM_<Op>_torch/gpu:1/batch:B/hidden:H/
steps:T/real_time) pairs with cuseq's in bench/ratios.py. Op: LSTMForward,
LSTMTrain (forward + backward), GRUForward, GRUTrain; input = hidden,
batch-major, float32, TF32 off (plain FP32, as our GEMMs and CudnnRnn's FMA math).
"""
import argparse
import json
import os
import platform
from datetime import datetime

GRID = [(batch, hidden, steps) for steps in (50, 100) for hidden in (256, 512, 1024)
        for batch in (1, 8, 32, 64, 128)]


def time_ms(torch, call, min_time_ms):
    call()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    iterations, elapsed = 0, 0.0
    while elapsed < min_time_ms or iterations < 5:
        start.record()
        call()
        end.record()
        torch.cuda.synchronize()
        elapsed += start.elapsed_time(end)
        iterations += 1
    return elapsed / iterations, iterations


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--min-time-ms", type=float, default=200.0)
    args = parser.parse_args()
    import torch

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = torch.device("cuda")
    label = f"PyTorch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}"
    benchmarks = []
    for cell, module in (("LSTM", torch.nn.LSTM), ("GRU", torch.nn.GRU)):
        for batch, hidden, steps in GRID:
            layer = module(hidden, hidden, batch_first=True).to(device)
            x = (torch.rand(batch, steps, hidden, device=device) * 2 - 1).requires_grad_(True)
            dy = torch.rand(batch, steps, hidden, device=device) * 2 - 1

            def forward(layer=layer, x=x):
                layer(x)

            def train(layer=layer, x=x, dy=dy):
                y, _ = layer(x)
                y.backward(dy)

            for op, call, passes in (("Forward", forward, 1), ("Train", train, 3)):
                ms, iterations = time_ms(torch, call, args.min_time_ms)
                gates = 4 if cell == "LSTM" else 3
                flops = 2.0 * steps * batch * gates * hidden * 2 * hidden * passes
                name = f"BM_{cell}{op}_torch/gpu:1/batch:{batch}/hidden:{hidden}/steps:{steps}/real_time"
                print(f"{name}: {ms:.3f} ms", flush=True)
                benchmarks.append({
                    "name": name, "run_name": name, "run_type": "iteration",
                    "iterations": iterations, "real_time": ms * 1e6, "cpu_time": ms * 1e6,
                    "time_unit": "ns", "FLOP/s": flops / (ms * 1e-3), "label": label,
                })
    context = {"host_name": platform.node(), "num_cpus": os.cpu_count(),
               "date": datetime.now().isoformat(timespec="seconds"),
               "executable": "bench/lstm_torch_gpu.py",
               "device": torch.cuda.get_device_name(0)}
    with open(args.out, "w") as handle:
        json.dump({"context": context, "benchmarks": benchmarks}, handle, indent=1)


if __name__ == "__main__":
    main()
