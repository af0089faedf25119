#!/usr/bin/env bash
# The main job: installs dependencies, builds cuseq and trains the sentiment
# classifiers on the 5,000 real fine-food reviews in data/ (on the GPU when
# one is usable, else on the CPU, in a few minutes):
#   1. Embedding -> Flatten -> Dense(sigmoid)
#   2. the same head on frozen word vectors that fastText trains on Jane
#      Austen's novels (another corpus), loaded through the GloVe reader
#   3. a larger model without and with L2 + Dropout (overfitting, reduced)
# Curves (CSV + SVG) go to out/sentiment/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash tools/install_deps.sh
export CCACHE_BASEDIR="$root"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DCUSEQ_BUILD_TESTS=OFF \
  -DCUSEQ_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build/release -j "$(nproc)" --target sentiment
mkdir -p out
if [ ! -s out/austen.vec ]; then
  echo "Training 50-dimensional word vectors on data/jane_austen.txt with fastText..."
  fasttext skipgram -input data/jane_austen.txt -output out/austen -dim 50 -epoch 5 \
    -minCount 5 -thread "$(nproc)" -verbose 0
fi
build/release/python_free_examples/sentiment --variant all --vectors out/austen.vec "$@"
