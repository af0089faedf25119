#!/usr/bin/env bash
# Installs the built library into a temporary prefix, then configures, builds
# and runs an outside project that does find_package(cuseq) and links cuseq::cuseq.
set -euo pipefail
build_dir=$1
cmake=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cmake" --install "$build_dir" --prefix "$work/prefix" >/dev/null
"$cmake" -S "$here/outside_project" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
"$cmake" --build "$work/build" >/dev/null
output=$("$work/build/outside_user" "$work")
echo "$output"
# The program prints the sum it computed through the installed library.
grep -q "sum = 21" <<<"$output"
grep -q "tokenizer JSON round trip: 2 words" <<<"$output"
