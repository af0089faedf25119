#!/usr/bin/env bash
# The test command: installs dependencies, checks the formatting, builds cuseq with the CUDA backend
# when nvcc is present (every .cu file compiles), runs every test, then builds
# the library with AddressSanitizer + UndefinedBehaviorSanitizer and the CUDA
# code on the emulated GPU, and runs the tests again under them, the GPU tests
# on the emulated GPU; last, builds the libFuzzer targets (clang) and fuzzes
# the file readers (tests/fuzz/) for 30 s each.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash tools/install_deps.sh
bash tools/check_format.sh

export CCACHE_BASEDIR="$root"   # cache hits across clones in other folders
export CCACHE_NOHASHDIR=1
jobs=$(nproc)

echo "== build (CUSEQ_CUDA=AUTO) =="
cmake -S . -B build/ci -G Ninja -DCMAKE_BUILD_TYPE=Release -DCUSEQ_CUDA=AUTO -DCUSEQ_KERAS=ON >/dev/null
cmake --build build/ci -j "$jobs"
echo "== tests =="
(cd build/ci && ctest -j "$jobs" --output-on-failure --timeout 600)

# The sanitizer build is also the emulated-GPU build (docs/gpu_emulator.md):
# the CPU tests run as without a GPU, the GPU tests run every CUDA kernel and
# cuBLAS call on the emulated GPU, all under ASan + UBSan.
echo "== build with ASan + UBSan, the CUDA code on the emulated GPU (CUSEQ_CUDA=EMULATE) =="
cmake -S . -B build/ci-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCUSEQ_CUDA=EMULATE \
  -DCUSEQ_SANITIZE=ON -DCUSEQ_KERAS=ON -DCUSEQ_BUILD_BENCHMARKS=OFF -DCUSEQ_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/ci-asan -j "$jobs"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
echo "== tests under ASan + UBSan =="
# The installed-package test links an uninstrumented program: not meaningful here.
(cd build/ci-asan && ctest -j "$jobs" --output-on-failure --timeout 900 -LE gpu -E InstalledPackage)
echo "== GPU tests on the emulated GPU, under ASan + UBSan =="
(cd build/ci-asan && ctest -j "$jobs" --output-on-failure --timeout 900 -L gpu)
bash tools/gpu_test_summary.sh build/ci-asan --only-skip-for 'cuDNN|NCCL'

echo "== libFuzzer targets (clang, ASan + UBSan): replay tests/fuzz/corpus/, then 30 s each =="
CC=clang CXX=clang++ cmake -S . -B build/ci-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCUSEQ_CUDA=OFF -DCUSEQ_SANITIZE=ON -DCUSEQ_FUZZ=ON -DCUSEQ_BUILD_TESTS=OFF \
  -DCUSEQ_BUILD_BENCHMARKS=OFF -DCUSEQ_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/ci-fuzz -j "$jobs"
bash tools/run_fuzzers.sh build/ci-fuzz 30
