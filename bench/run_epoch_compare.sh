#!/usr/bin/env bash
# The epoch and char_lm comparisons of bench/epoch_compare.py: installs Keras 3
# with JAX on the CPU (and PyTorch, for char_lm) from PyPI into bench/.venv
# (once, beside bench/run_python_refs.sh's packages), then runs the rounds.
#   bench/run_epoch_compare.sh build/cpu [epoch_compare.py options...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/bench/.venv"
build=${1:-build/cpu}
shift || true
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
fi
if ! "$venv/bin/python" -c "import keras, jax" 2>/dev/null; then
  "$venv/bin/pip" install --quiet "jax[cpu]" keras
fi
if ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
  # The CPU wheel is a fifth of the size; PyPI's default wheel works too.
  "$venv/bin/pip" install --quiet torch --index-url https://download.pytorch.org/whl/cpu ||
    "$venv/bin/pip" install --quiet torch
fi
cd "$root"
exec "$venv/bin/python" bench/epoch_compare.py --build "$build" --python "$venv/bin/python" "$@"
