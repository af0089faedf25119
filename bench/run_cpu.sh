#!/usr/bin/env bash
# Runs every CPU benchmark (cuseq vs oneDNN/OpenBLAS in the same binary) and
# writes the JSON and a ratio table to bench/results/cpu-<host>/.
# OpenBLAS picks its kernels from CPUID; where a virtual machine hides the CPU
# model it falls back to a generic SSE3 kernel (~8x slower). This script names
# the core type explicitly (SkylakeX with AVX-512, else Haswell with AVX2) so
# that the OpenBLAS numbers are fair; the tests never set it.
# REPETITIONS=5 repeats each benchmark in random order (ratios.py then uses the
# medians). oneDNN's loops run on OpenMP, whose default waiting spins: on cores
# that other processes keep busy a descheduled thread stalls each of its parallel
# loops for milliseconds (cuseq's own pool does not wait for it), so the load
# average is recorded beside the results; compare runs at a low load, or set
# OMP_WAIT_POLICY=PASSIVE (slower per loop, no stalls).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build/bench}
cd "$root"
bash tools/install_deps.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCUSEQ_BUILD_TESTS=OFF \
  -DCUSEQ_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j "$(nproc)"
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -q avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
  elif grep -q avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
fi
out="bench/results/cpu-$(hostname -s)"
mkdir -p "$out"
for binary in "$build"/bench/bench_*; do
  name=$(basename "$binary")
  echo "== $name (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-auto}," \
    "OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-default})"
  "$binary" --benchmark_filter='gpu:0' --benchmark_min_time="${MIN_TIME:-0.2}" \
    --benchmark_repetitions="${REPETITIONS:-1}" --benchmark_enable_random_interleaving=true \
    --benchmark_context=load_average="$(cut -d' ' -f1-3 /proc/loadavg)" \
    --benchmark_out="$out/$name.json" --benchmark_out_format=json
done
python3 bench/ratios.py "$out"/bench_*.json | tee "$out/ratios.md"
