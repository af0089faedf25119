#!/usr/bin/env bash
# Installs the built project into a temporary prefix and uses it from there as
# a newcomer would, with no LD_LIBRARY_PATH:
#  - libcuseq.so needs neither MPI, NCCL nor an OpenMP runtime (those belong
#    to libcuseq_distributed.so, or nowhere);
#  - the installed tools start (their RUNPATH finds libcuseq): cuseq-tokenize
#    --help, then a tiny tokenize + cuseq-train-lm run;
#  - an outside CMake project that sets no C++ standard finds the package
#    (with its distributed component), builds and runs; built again as C++14
#    (a compiler whose default is older), it still builds, because
#    cuseq::cuseq requires C++17 itself.
set -euo pipefail
build_dir=$1
cmake=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset LD_LIBRARY_PATH
prefix=$work/prefix
"$cmake" --install "$build_dir" --prefix "$prefix" >/dev/null

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

library=$(find "$prefix" -name 'libcuseq.so.*.*' | head -n 1)
[ -n "$library" ] || fail "no libcuseq.so.* under $prefix"
needed=$(readelf -d "$library" | awk '/NEEDED/ {print $NF}')
echo "libcuseq needs: $(echo $needed)"
if grep -Ei 'mpi|nccl|gomp|libomp' <<<"$needed"; then
  fail "libcuseq.so must not need MPI, NCCL or an OpenMP runtime"
fi

for tool in cuseq-tokenize cuseq-train-lm; do
  [ -x "$prefix/bin/$tool" ] || fail "$tool is not installed in $prefix/bin"
  readelf -d "$prefix/bin/$tool" | grep -q 'RUNPATH.*\$ORIGIN' || fail "$tool has no \$ORIGIN RUNPATH"
done
"$prefix/bin/cuseq-tokenize" --help | grep -q -- "--level" || fail "cuseq-tokenize --help"

# A corpus of a few kilobytes, a model of a few hundred weights, three updates.
for i in $(seq 200); do echo "the quick brown fox $i jumps over the lazy dog"; done >"$work/corpus.txt"
"$prefix/bin/cuseq-tokenize" --level char -o "$work/corpus.tok" "$work/corpus.txt" >/dev/null
output=$("$prefix/bin/cuseq-train-lm" --data "$work/corpus.tok" --device cpu --layers 1 --units 8 \
  --embedding 4 --batch 2 --steps-per-window 8 --max-steps 3 --log-every 1 --sample 20)
echo "$output" | tail -n 3
grep -q "sample" <<<"$output" || fail "cuseq-train-lm did not train and sample"

for standard in default 14; do
  flags=()
  [ "$standard" = default ] || flags=(-DCMAKE_CXX_STANDARD="$standard")
  "$cmake" -S "$here/outside_project" -B "$work/build-$standard" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release "${flags[@]}" >/dev/null
  "$cmake" --build "$work/build-$standard" >/dev/null || fail "outside project (C++ $standard)"
done
output=$("$work/build-default/outside_user" "$work")
echo "$output"
# The program prints the sum it computed through the installed library.
grep -q "sum = 21" <<<"$output" || fail "outside_user"
grep -q "tokenizer JSON round trip: 2 words" <<<"$output" || fail "outside_user: tokenizer JSON"
readelf -d "$work/build-default/outside_user" | grep -q 'libcuseq_distributed' &&
  fail "a program linking cuseq::cuseq alone must not load libcuseq_distributed"
output=$("$work/build-default/outside_distributed_user")
echo "$output"
grep -q "single communicator, 1 process.*mean = 4" <<<"$output" || fail "outside_distributed_user"
