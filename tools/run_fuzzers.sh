#!/usr/bin/env bash
# Replays every committed input of tests/fuzz/corpus/ (seeds and past findings),
# then fuzzes each libFuzzer target of a CUSEQ_FUZZ build for a fixed time, two
# at a time (CI has two cores), starting from the seeds in tests/fuzz/corpus/ (which it
# leaves unchanged: new inputs go to a scratch folder). Prints each target's
# executions; an input that crashes a target is kept under
# BUILD/fuzz-findings/ and fails the run (add it to tests/fuzz/corpus/TARGET/ and
# as a regression test once fixed).
#   tools/run_fuzzers.sh BUILD_DIR [SECONDS_PER_TARGET]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
seconds=${2:-30}
findings="$build/fuzz-findings"
# On tmpfs where there is one: the targets that write files fsync them.
scratch=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$findings"

fuzz_one() {
  local target=$1
  mkdir -p "$scratch/$target"
  # -seed fixes the mutation sequence; -timeout catches hangs; -rss_limit_mb
  # (and the malloc limit it implies) catches absurd allocations.
  if TMPDIR="$scratch" "$build/tests/fuzz/fuzz_$target" "$scratch/$target" "$root/tests/fuzz/corpus/$target" \
    -max_total_time="$seconds" -seed=1 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/${target}-" >"$scratch/$target.log" 2>&1; then
    local runs
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$target.log")
    echo "fuzz_$target: ${runs:-?} executions in ${seconds} s, no crash"
  else
    echo "fuzz_$target: FOUND A CRASH (input kept in $findings):"
    tail -n 40 "$scratch/$target.log"
    return 1
  fi
}

targets=(model_file checkpoint token_file text_loaders corpus_tokenizer)
# Every input ever committed (seeds and past crashes) must still pass.
for target in "${targets[@]}"; do
  if ! TMPDIR="$scratch" "$build/tests/fuzz/fuzz_$target" -runs=0 "$root/tests/fuzz/corpus/$target" \
    >"$scratch/$target.replay" 2>&1; then
    echo "fuzz_$target: an input of tests/fuzz/corpus/$target fails again:"
    tail -n 40 "$scratch/$target.replay"
    exit 1
  fi
  echo "fuzz_$target: $(find "$root/tests/fuzz/corpus/$target" -type f | wc -l) committed inputs replayed"
done
status=0
pids=()
for target in "${targets[@]}"; do
  fuzz_one "$target" >"$scratch/$target.result" 2>&1 &
  pids+=($!)
  if [ ${#pids[@]} -ge 2 ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
cat "$scratch"/*.result
exit $status
