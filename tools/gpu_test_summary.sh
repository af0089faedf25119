#!/usr/bin/env bash
# Prints how many GPU tests ran and which skipped, with the reason, from the
# log of the last `ctest -L gpu` in build folder $1 (ctest's LastTest.log).
# With --only-skip-for REGEX, fails when a GPU test skipped for a reason that
# does not match REGEX (CI: on the emulated GPU only cuDNN and NCCL may skip).
set -euo pipefail
build=$1
allowed=""
if [ "${2:-}" = "--only-skip-for" ]; then allowed=$3; fi
log="$build/Testing/Temporary/LastTest.log"
awk -v allowed="$allowed" '
  /^[0-9]+\/[0-9]+ Testing: / { name = $3; total++; skipped_now = 0; next }
  /: Skipped$/ { expect_reason = 1; next }
  expect_reason { reason[name] = $0; expect_reason = 0; next }
  /^\[  SKIPPED \] / && name != "" && !skipped_now { skips[++count] = name; skipped_now = 1 }
  END {
    bad = 0
    printf "GPU tests: %d ran, %d skipped (of %d)\n", total - count, count, total
    for (i = 1; i <= count; i++) {
      printf "  skipped %s: %s\n", skips[i], reason[skips[i]]
      if (allowed != "" && reason[skips[i]] !~ allowed) bad++
    }
    if (bad > 0) { printf "%d GPU test(s) skipped for another reason than /%s/\n", bad, allowed; exit 1 }
  }' "$log"
