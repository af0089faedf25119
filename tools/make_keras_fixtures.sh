#!/usr/bin/env bash
# Makes the Keras 3 fixtures that cuseq's tests read (committed, so the tests
# never need Python), and checks in real Keras the .keras files cuseq writes.
#   bash tools/make_keras_fixtures.sh                  # tests/data/keras/ and the fine-food model
#   bash tools/make_keras_fixtures.sh --check BUILD    # cuseq's files (BUILD/tests/cuseq_keras_export) in Keras
# Keras 3.15.1 on the JAX CPU backend, keras-preprocessing (the Keras Tokenizer
# and its to_json) and h5py come from PyPI into a virtualenv
# (KERAS_VENV, default build/keras-venv).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
venv=${KERAS_VENV:-build/keras-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q 'keras==3.15.1' 'jax[cpu]==0.10.2' 'h5py==3.16.0' 'numpy==2.4.6' \
  'keras-preprocessing==1.1.2'
python=("$venv/bin/python" tools/keras_fixtures.py)

if [ "${1:-}" = "--check" ]; then
  build=${2:?usage: make_keras_fixtures.sh --check BUILD_DIR}
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  "$build/tests/cuseq_keras_export" "$out"
  "${python[@]}" check "$out" | tee tests/data/keras/cuseq_files_in_keras.txt
  exit 0
fi

"${python[@]}" fixtures tests/data/keras
"${python[@]}" fine_foods data/small_fine_foods.csv python_free_examples/keras_fine_foods
