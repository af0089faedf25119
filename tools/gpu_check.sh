#!/usr/bin/env bash
# The one script to run on a lent GPU machine (see README "GPU check"):
#   run(command="bash tools/gpu_check.sh", carry=[".deps/gpu_deps.tar.xz"])
# after `bash tools/prepare_gpu_deps.sh <google-benchmark source>` here. It builds
# for sm_90, runs the GPU tests, runs them again under compute-sanitizer
# (memcheck), runs the GPU benchmarks (and PyTorch's cuDNN path where a bench
# script wants it), and packs every log into $OUT/gpu_check.tar.gz (the device
# tool brings back at most 8 files), beside gpu_check.log and ratios.md.
# GPU_CHECK_TESTS_ONLY=1 skips the benchmarks: a short re-run after a fix.
# Budget: well under 10 minutes.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
OUT=${OUT:-$root/out}
logs=$root/build-gpu/logs
rm -rf "$logs"
mkdir -p "$OUT" "$logs"
pack() {
  tar -C "$logs" -czf "$OUT/gpu_check.tar.gz" .
  cp "$logs/gpu_check.log" "$OUT/"
  [ -f "$logs/ratios.md" ] && cp "$logs/ratios.md" "$OUT/"
}
trap pack EXIT
trap 'exit 143' TERM INT  # timeout's SIGTERM still packs what is there
log() { echo "[$(date +%T)] $*" | tee -a "$logs/gpu_check.log"; }
budget=${GPU_CHECK_BUDGET_S:-540}
started=$(date +%s)
run_logged() {  # name timeout command...
  local name=$1 limit=$2
  shift 2
  local left=$((budget - ($(date +%s) - started) - 10))
  if [ "$left" -lt 20 ]; then
    log "skip $name: budget spent"
    return 124
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  log "start $name (limit ${limit}s)"
  timeout "$limit" "$@" >"$logs/$name.log" 2>&1
  local status=$?
  log "end $name: exit $status"
  return $status
}

if [ -f .deps/gpu_deps.tar.xz ]; then
  tar -C .deps -xJf .deps/gpu_deps.tar.xz
  export LD_LIBRARY_PATH="$root/.deps/openblas/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
{
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
  nvcc --version | tail -1
  python3 -c 'import torch; print("torch", torch.__version__, "cudnn", torch.backends.cudnn.version())' 2>&1
} >"$logs/device.txt" 2>&1
log "device: $(head -2 "$logs/device.txt" | tail -1)"

jobs=$(nproc)
benchmarks=ON
[ "${GPU_CHECK_TESTS_ONLY:-0}" = 1 ] && benchmarks=OFF
run_logged configure 300 cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCUSEQ_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DCUSEQ_BUILD_EXAMPLES=OFF \
  -DCUSEQ_BUILD_BENCHMARKS=$benchmarks || exit 1
# The GPU tests' binary alone first (it pulls in the library): the tests and
# memcheck are what this run is for, so they neither wait for the benchmarks'
# and CPU tests' compiles nor are lost when one of those fails to build.
run_logged build 900 cmake --build build-gpu -j "$jobs" --target cuseq_gpu_tests ||
  { tail -50 "$logs/build.log"; exit 1; }

run_logged gpu_tests 300 bash -c "cd build-gpu && ctest -L gpu -j 4 --timeout 120 --output-on-failure"
# Everything else (benchmarks, CPU tests) builds while memcheck, one process,
# runs; -k 0 keeps building the other targets past a broken one, and a
# benchmark that did not build is skipped below.
run_logged build_rest 900 cmake --build build-gpu -j "$((jobs > 4 ? jobs - 2 : jobs))" -- -k 0 &
build_rest=$!
# Without NCCL's test: NCCL probes its kernels with cudaFuncGetAttributes and
# handles the "no kernel image" it gets, which memcheck reports as API errors.
run_logged compute_sanitizer 240 compute-sanitizer --tool memcheck --error-exitcode 1 \
  --print-limit 50 build-gpu/tests/cuseq_gpu_tests --gtest_filter='-CommunicatorGpu.Nccl*'
wait "$build_rest"

if [ "${GPU_CHECK_TESTS_ONLY:-0}" = 1 ]; then
  run_logged cpu_tests 120 bash -c "cd build-gpu && ctest -L cpu -j $jobs --timeout 120 --output-on-failure"
  log "done (tests only)"
  tail -n 3 "$logs/gpu_tests.log" "$logs/compute_sanitizer.log" "$logs/cpu_tests.log" | tee -a "$logs/gpu_check.log"
  exit 0
fi

# The warm-up keeps one-time costs (CUDA context, cuBLAS/cuDNN handles, lazy
# kernel loading) out of each binary's first benchmark: the first H200 run
# timed its first shape 50-400x slower without it.
run_bench() {  # log-name binary filter: one JSON per call, so a timeout loses only that part
  [ -x "$2" ] || return 0
  run_logged "$1" 180 "$2" --benchmark_filter="$3" --benchmark_min_time=0.05s \
    --benchmark_min_warmup_time=0.02 \
    --benchmark_out="$logs/$1.json" --benchmark_out_format=json
}
# The recurrent grid first, in four parts: it is what cuseq claims to be fast at.
for part in LSTMForward LSTMTrain GRUForward GRUTrain; do
  run_bench "bench_recurrent_$part" build-gpu/bench/bench_recurrent "^BM_$part.*/gpu:1/"
done
for name in bench_stacked_recurrent bench_recurrent_mask bench_gemm bench_gemm_precision \
  bench_conv bench_language_model bench_pointwise bench_embedding bench_dropout bench_loss \
  bench_optimizer; do
  run_bench "$name" "build-gpu/bench/$name" 'gpu:1'
done
for script in bench/*_torch_gpu.py; do
  [ -f "$script" ] || continue
  run_logged "$(basename "$script" .py)" 300 python3 "$script" --out "$logs/$(basename "$script" .py).json"
done
run_logged cpu_tests 120 bash -c "cd build-gpu && ctest -L cpu -j $jobs --timeout 120 --output-on-failure"
find "$logs" -name '*.json' -empty -delete  # a benchmark with nothing for the GPU
python3 bench/ratios.py "$logs"/*.json >"$logs/ratios.md" 2>&1
log "done; summary in ratios.md"
tail -n 3 "$logs/gpu_tests.log" "$logs/compute_sanitizer.log" | tee -a "$logs/gpu_check.log"
