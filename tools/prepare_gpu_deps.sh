#!/usr/bin/env bash
# Packs what the lent GPU machine lacks (it has nvcc, CMake, ninja, cuDNN and
# PyTorch, but no GoogleTest, Google Benchmark or OpenBLAS, and no network)
# into .deps/gpu_deps.tar.xz, which the device tool carries beside the tree
# (carry: [".deps/gpu_deps.tar.xz"]) and tools/gpu_check.sh unpacks there.
#   GoogleTest: Debian's source package tree (/usr/src/googletest).
#   Google Benchmark: a source checkout given as $1 (e.g. a fetched mirror).
#   OpenBLAS: Debian's shared library with its Fortran runtime, and cblas.h.
#   nlohmann-json: Debian's headers (Keras files are off there: no HDF5, libzip).
set -euo pipefail
benchmark_git=${1:?usage: prepare_gpu_deps.sh <google/benchmark git dir or checkout>}
root=$(cd "$(dirname "$0")/.." && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

cp -r /usr/src/googletest "$stage/googletest"
mkdir -p "$stage/benchmark"
if [ -d "$benchmark_git/.git" ] || git -C "$benchmark_git" rev-parse --is-bare-repository >/dev/null 2>&1; then
  git -C "$benchmark_git" archive HEAD | tar -x -C "$stage/benchmark"
else
  cp -r "$benchmark_git/." "$stage/benchmark"
fi
mkdir -p "$stage/openblas/include" "$stage/openblas/lib"
openblas_include=/usr/include/x86_64-linux-gnu/openblas-pthread
cp "$openblas_include"/*.h "$stage/openblas/include/"
cp -L /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0 "$stage/openblas/lib/"
ln -s libopenblas.so.0 "$stage/openblas/lib/libopenblas.so"
cp -L /usr/lib/x86_64-linux-gnu/libgfortran.so.5 /usr/lib/x86_64-linux-gnu/libquadmath.so.0 \
  "$stage/openblas/lib/"

# nlohmann-json (header-only): its headers and CMake package, relocatable.
mkdir -p "$stage/nlohmann/include" "$stage/nlohmann/share/cmake"
cp -r /usr/include/nlohmann "$stage/nlohmann/include/"
cp -r /usr/share/cmake/nlohmann_json "$stage/nlohmann/share/cmake/"

mkdir -p "$root/.deps"
tar -C "$stage" -cJf "$root/.deps/gpu_deps.tar.xz" googletest benchmark openblas nlohmann
ls -la "$root/.deps/gpu_deps.tar.xz"
