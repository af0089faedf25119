#!/usr/bin/env bash
# Runs every case of cuseq_hostile_cases in a process of its own and counts:
# clean errors (a cuseq::Error), crashes (a signal: segfault, abort from a
# sanitizer report, ...), other exceptions (e.g. a bare std::bad_alloc) and
# silent acceptances. Fails unless every case is a clean error.
#   run_hostile_cases.sh PATH/TO/cuseq_hostile_cases [LOG]
set -uo pipefail
program=$1
log=${2:-/dev/null}
: >"$log"
clean=0 crashed=0 other=0 accepted=0 total=0
while read -r name; do
  total=$((total + 1))
  output=$(timeout 120 "$program" "$name" 2>&1)
  status=$?
  printf '%s: exit %s: %s\n' "$name" "$status" "$(head -c 400 <<<"$output" | tr '\n' ' ')" >>"$log"
  case $status in
    0) clean=$((clean + 1)) ;;
    3) accepted=$((accepted + 1)); echo "SILENT: $name: $output" ;;
    4) other=$((other + 1)); echo "OTHER EXCEPTION: $name: $output" ;;
    *) crashed=$((crashed + 1)); echo "CRASH (exit $status): $name: $(tail -c 2000 <<<"$output")" ;;
  esac
done < <("$program" --list)
echo "hostile inputs: $total tried, $clean clean errors, $crashed crashes, $other other exceptions, $accepted silently accepted"
echo "$clean passed, $((total - clean)) failed"
[ "$clean" -eq "$total" ]
