#!/usr/bin/env python3
"""PyTorch and Keras LSTM/GRU on the CPU, timed on recurrent_bench.cpp's CPU grid.

Writes Google-Benchmark-compatible JSON with names BM_<Op>_<framework>/gpu:0/
batch:B/hidden:H/steps:T/real_time, so bench/ratios.py pairs them with cuseq.
Op: LSTMForward, LSTMTrain (forward + backward of sum(y * dy)), GRUForward,
GRUTrain; all steps' outputs (return_sequences), input size = hidden size,
batch-major input, float32. Keras' GRU is reset_after=True (its default, as
ours); PyTorch's GRU is the same cell.
Run through bench/run_python_refs.sh (it makes the virtualenv).
"""
import argparse
import json
import os
import platform
import time
from datetime import datetime

# (batch, hidden, steps): the small grid by default; --full-grid takes all of
# recurrent_bench.cpp's CPU grid (18 shapes, minutes with Keras).
SMALL_GRID = [(batch, hidden, 50) for hidden in (128, 256) for batch in (8, 32)]
FULL_GRID = [(batch, hidden, steps) for steps in (50, 100) for hidden in (128, 256, 512)
             for batch in (8, 32, 64)]


def time_call(call, min_time):
    call()  # warm-up: allocation, graph tracing, weight packing
    iterations, elapsed = 0, 0.0
    start = time.perf_counter()
    while elapsed < min_time or iterations < 3:
        call()
        iterations += 1
        elapsed = time.perf_counter() - start
    return elapsed / iterations, iterations


def torch_cases(threads, grid):
    import torch

    torch.set_num_threads(threads)
    version = f"PyTorch {torch.__version__}"
    for cell, module in (("LSTM", torch.nn.LSTM), ("GRU", torch.nn.GRU)):
        for batch, hidden, steps in grid:
            layer = module(hidden, hidden, batch_first=True)
            x = torch.rand(batch, steps, hidden) * 2 - 1
            dy = torch.rand(batch, steps, hidden) * 2 - 1

            def forward(layer=layer, x=x):
                with torch.no_grad():
                    layer(x)

            def train(layer=layer, x=x, dy=dy):
                x.requires_grad_(True)
                y, _ = layer(x)
                y.backward(dy)

            yield cell, "Forward", (batch, hidden, steps), forward, version
            yield cell, "Train", (batch, hidden, steps), train, version


def keras_cases(threads, grid):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    version = f"Keras (TensorFlow {tf.__version__})"
    for cell, layer_type in (("LSTM", tf.keras.layers.LSTM), ("GRU", tf.keras.layers.GRU)):
        for batch, hidden, steps in grid:
            layer = layer_type(hidden, return_sequences=True)
            x = tf.random.uniform((batch, steps, hidden), -1, 1)
            dy = tf.random.uniform((batch, steps, hidden), -1, 1)
            layer(x)  # build

            @tf.function
            def forward(x=x, layer=layer):
                return layer(x, training=True)

            @tf.function
            def train(x=x, dy=dy, layer=layer):
                with tf.GradientTape() as tape:
                    tape.watch(x)
                    y = layer(x, training=True)
                    loss = tf.reduce_sum(y * dy)
                return tape.gradient(loss, [x] + layer.trainable_weights)

            def run_forward(forward=forward):
                forward().numpy()

            def run_train(train=train):
                [g.numpy() for g in train()]

            yield cell, "Forward", (batch, hidden, steps), run_forward, version
            yield cell, "Train", (batch, hidden, steps), run_train, version


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--framework", choices=("torch", "keras"), required=True)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--min-time", type=float, default=0.5)
    parser.add_argument("--out", required=True)
    parser.add_argument("--full-grid", action="store_true",
                        help="every shape of recurrent_bench.cpp's CPU grid")
    args = parser.parse_args()
    grid = FULL_GRID if args.full_grid else SMALL_GRID
    cases = torch_cases if args.framework == "torch" else keras_cases
    benchmarks = []
    for cell, op, (batch, hidden, steps), call, version in cases(args.threads, grid):
        seconds, iterations = time_call(call, args.min_time)
        gates = 4 if cell == "LSTM" else 3
        flops = 2.0 * steps * batch * gates * hidden * 2 * hidden * (3 if op == "Train" else 1)
        name = (f"BM_{cell}{op}_{args.framework}/gpu:0/batch:{batch}/hidden:{hidden}"
                f"/steps:{steps}/real_time")
        print(f"{name}: {seconds * 1e3:.3f} ms", flush=True)
        benchmarks.append({
            "name": name, "run_name": name, "run_type": "iteration", "iterations": iterations,
            "real_time": seconds * 1e9, "cpu_time": seconds * 1e9, "time_unit": "ns",
            "FLOP/s": flops / seconds, "label": f"{version}, {args.threads} threads",
        })
    context = {"host_name": platform.node(), "num_cpus": os.cpu_count(),
               "date": datetime.now().isoformat(timespec="seconds"),
               "executable": f"bench/torch_keras_cpu.py --framework {args.framework}"}
    with open(args.out, "w") as handle:
        json.dump({"context": context, "benchmarks": benchmarks}, handle, indent=1)


if __name__ == "__main__":
    main()
