#!/usr/bin/env bash
# Fails when a C++/CUDA source differs from what clang-format (Debian 12's
# clang-format 14, with the repository's .clang-format) makes of it; prints the
# files. Fix with: git ls-files '*.cpp' '*.h' '*.cu' '*.cuh' | xargs clang-format -i
# The tracked files in a clone; every such file outside build folders in a tree
# without .git (an exported archive, as tools like fresh-debian use).
set -euo pipefail
cd "$(dirname "$0")/.."
list_sources() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z '*.cpp' '*.h' '*.cu' '*.cuh'
  else
    find . \( -path ./build -o -path './build-*' -o -path ./.deps -o -path ./out \) -prune -o \
      -type f \( -name '*.cpp' -o -name '*.h' -o -name '*.cu' -o -name '*.cuh' \) -print0
  fi
}
report=$(mktemp)
trap 'rm -f "$report"' EXIT
if ! list_sources | xargs -0 clang-format --dry-run --Werror 2>"$report"; then
  grep -o '^[^:]*:[0-9]*:[0-9]*: error' "$report" | cut -d: -f1 | sort -u |
    sed 's/^/not clang-formatted: /'
  exit 1
fi
echo "clang-format: every C++/CUDA file is formatted"
