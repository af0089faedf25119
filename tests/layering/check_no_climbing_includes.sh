#!/usr/bin/env bash
# Fails when a file of the library includes a header by a path that climbs
# out of its folder ("../kernels/backend.h"): such a path gets round the
# include directories that enforce the layering (tests/layering/CMakeLists.txt).
set -euo pipefail
root=$1
if grep -rnE '^\s*#\s*include\s*["<][^">]*\.\./' "$root/core" "$root/kernels" "$root/layers"; then
  echo "these includes climb out of their folder: include by the path from the root instead" >&2
  exit 1
fi
echo "no include climbs out of its folder"
