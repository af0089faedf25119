#!/usr/bin/env python3
"""The char_lm training step of bench/language_model_bench.cpp in PyTorch.

Same model and data shape: Embedding(96, 32) -> 2 x LSTM(128) -> Linear(96),
batch 32 x 64 steps, cross-entropy from logits, global-norm clipping 5, Adam;
hidden states carried between windows (detached). Writes Google Benchmark JSON
named BM_CharLmTrainStep_reference/gpu:<0|1>, so bench/ratios.py sets it
against BM_CharLmTrainStep_cuseq/gpu:<0|1>. CPU: PyPI's torch in a virtualenv;
GPU (cuDNN LSTM): run as bench/char_lm_torch_gpu.py by tools/gpu_check.sh.
    python3 bench/char_lm_torch.py --device cpu --out torch_cpu.json
"""
import argparse
import json
import time

import torch

VOCAB, EMBEDDING, UNITS, LAYERS, BATCH, STEPS = 96, 32, 128, 2, 32, 64


class CharLm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(VOCAB, EMBEDDING)
        self.lstm = torch.nn.LSTM(EMBEDDING, UNITS, LAYERS, batch_first=True)
        self.logits = torch.nn.Linear(UNITS, VOCAB)

    def forward(self, ids, state):
        output, state = self.lstm(self.embedding(ids), state)
        return self.logits(output), state


def time_steps(device, seconds):
    torch.manual_seed(0)
    model = CharLm().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    ids = torch.randint(0, VOCAB, (BATCH, STEPS + 1), device=device)
    state = None

    def step():
        nonlocal state
        logits, new_state = model(ids[:, :-1], state)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, VOCAB), ids[:, 1:].reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        state = tuple(s.detach() for s in new_state)

    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    step()
    sync()
    iterations, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        iterations += 1
    sync()
    return iterations, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--out", default="char_lm_torch.json")
    args = parser.parse_args()
    device = torch.device(args.device)
    iterations, elapsed = time_steps(device, args.seconds)
    per_step_ms = 1000.0 * elapsed / iterations
    result = {
        "context": {"library": "torch " + torch.__version__, "threads": torch.get_num_threads()},
        "benchmarks": [{
            "name": "BM_CharLmTrainStep_reference/gpu:%d" % (device.type == "cuda"),
            "run_type": "iteration",
            "iterations": iterations,
            "real_time": per_step_ms,
            "cpu_time": per_step_ms,
            "time_unit": "ms",
            "tokens_per_second": BATCH * STEPS * iterations / elapsed,
        }],
    }
    with open(args.out, "w") as out:
        json.dump(result, out, indent=2)
    print(json.dumps(result["benchmarks"][0]))


if __name__ == "__main__":
    main()
