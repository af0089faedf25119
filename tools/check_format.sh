#!/usr/bin/env bash
# Fails when a tracked C++/CUDA file differs from what clang-format (Debian 12's
# clang-format 14, with the repository's .clang-format) makes of it; prints the
# files. Fix with: git ls-files '*.cpp' '*.h' '*.cu' '*.cuh' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
if ! git ls-files -z '*.cpp' '*.h' '*.cu' '*.cuh' |
  xargs -0 clang-format --dry-run --Werror 2>/tmp/cuseq-format.$$; then
  grep -o '^[^:]*:[0-9]*:[0-9]*: error' /tmp/cuseq-format.$$ | cut -d: -f1 | sort -u |
    sed 's/^/not clang-formatted: /'
  rm -f /tmp/cuseq-format.$$
  exit 1
fi
rm -f /tmp/cuseq-format.$$
echo "clang-format: every C++/CUDA file is formatted"
