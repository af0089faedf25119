#!/usr/bin/env python3
"""What mixed lengths cost PyTorch: packed sequences against the padded batch.

The peer of bench/recurrent_mask_bench.cpp: an nn.LSTM training step (forward
+ backward) on the same shapes and lengths (evenly spread over [steps/4,
steps]), once on the padded batch and once through pack_padded_sequence /
pad_packed_sequence, the way PyTorch skips padding. Prints packed / padded
(cuseq's masked / unmasked ratio is in bench_recurrent_mask's table) and
writes Google-Benchmark JSON.

tools/gpu_check.sh runs it on the GPU (cuDNN); on the CPU run it with the
bench virtualenv: bench/.venv/bin/python bench/mask_cost_torch_gpu.py --device cpu --out F
"""
import argparse
import json
import platform
import time
from datetime import datetime

SHAPES = {"cpu": (32, 128, 50), "cuda": (64, 512, 100)}  # batch, hidden, steps


def lengths_of(batch, steps):
    shortest = steps // 4
    return [shortest + (steps - shortest) * b // max(batch - 1, 1) for b in range(batch)]


def time_seconds(torch, device, call, min_time):
    call()  # warm-up: cuDNN plans, allocations
    iterations, elapsed = 0, 0.0
    while elapsed < min_time or iterations < 5:
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        call()
        if device.type == "cuda":
            torch.cuda.synchronize()
        elapsed += time.perf_counter() - start
        iterations += 1
    return elapsed / iterations, iterations


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--device", choices=("cuda", "cpu"), default="cuda")
    parser.add_argument("--min-time", type=float, default=0.5, help="seconds per case")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: PyTorch's default)")
    args = parser.parse_args()
    import torch
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = torch.device(args.device)
    batch, hidden, steps = SHAPES[args.device]
    lengths = torch.tensor(lengths_of(batch, steps))
    layer = torch.nn.LSTM(hidden, hidden, batch_first=True).to(device)
    x = (torch.rand(batch, steps, hidden, device=device) * 2 - 1).requires_grad_(True)
    dy = torch.rand(batch, steps, hidden, device=device) * 2 - 1

    def padded():
        y, _ = layer(x)
        y.backward(dy)

    def packed():
        packed_x = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        packed_y, _ = layer(packed_x)
        y, _ = pad_packed_sequence(packed_y, batch_first=True, total_length=steps)
        y.backward(dy)

    gpu = int(device.type == "cuda")
    label = f"PyTorch {torch.__version__}" + (
        f", cuDNN {torch.backends.cudnn.version()}" if gpu else "")
    benchmarks, times = [], {}
    for name, call in (("Padded", padded), ("Packed", packed)):
        seconds, iterations = time_seconds(torch, device, call, args.min_time)
        times[name] = seconds
        benchmarks.append({
            "name": f"BM_LSTMTrain{name}_torch/gpu:{gpu}/batch:{batch}/hidden:{hidden}"
                    f"/steps:{steps}/real_time",
            "run_type": "iteration", "iterations": iterations,
            "real_time": seconds * 1e6, "cpu_time": seconds * 1e6, "time_unit": "us",
            "label": label})
    print(f"| PyTorch LSTM train, {args.device}, batch {batch}, hidden {hidden}, steps {steps} "
          f"| padded {times['Padded'] * 1e3:.2f} ms | packed {times['Packed'] * 1e3:.2f} ms "
          f"| packed / padded {times['Packed'] / times['Padded']:.2f}x |")
    context = {"date": datetime.now().isoformat(), "host_name": platform.node(),
               "library": label}
    with open(args.out, "w") as handle:
        json.dump({"context": context, "benchmarks": benchmarks}, handle, indent=1)


if __name__ == "__main__":
    main()
