#!/usr/bin/env bash
# PyTorch and Keras (TensorFlow) CPU references for bench/recurrent_bench.cpp:
# installs both from PyPI into bench/.venv (once), times their LSTM/GRU on the
# CPU grid with the same thread count, and writes Google-Benchmark JSON that
# bench/ratios.py pairs with cuseq's (impls `torch` and `keras`).
#   bench/run_python_refs.sh [OUT_DIR] [--full-grid]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/bench/.venv"
out=${1:-$root/bench/results/cpu-$(hostname -s)}
shift || true
threads=${THREADS:-$(nproc)}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
fi
if ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
  # The CPU wheel is a fifth of the size; PyPI's default wheel works too.
  "$venv/bin/pip" install --quiet torch --index-url https://download.pytorch.org/whl/cpu ||
    "$venv/bin/pip" install --quiet torch
fi
if ! "$venv/bin/python" -c "import tensorflow" 2>/dev/null; then
  "$venv/bin/pip" install --quiet tensorflow-cpu || "$venv/bin/pip" install --quiet tensorflow
fi
mkdir -p "$out"
for framework in torch keras; do
  "$venv/bin/python" "$root/bench/torch_keras_cpu.py" --framework "$framework" \
    --threads "$threads" --out "$out/python_$framework.json" "$@"
done
