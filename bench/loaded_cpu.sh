#!/usr/bin/env bash
# A small model trained on a machine whose cores are busy with other work:
# Embedding -> LSTM(32) -> Dense(1) (imdb_lstm --variant lstm, EPOCHS epochs
# on SAMPLES reviews, default 2 and 4000) run by each given build folder in
# turn, first with nothing else started, then beside one busy loop per core;
# REPETITIONS rounds, interleaved, medians of wall and CPU (user + system)
# seconds.
#   bench/loaded_cpu.sh build/reference build/release [ENV=VALUE ...]
# A folder name may carry environment settings for its runs after a colon:
#   bench/loaded_cpu.sh build/ref build/ref:OMP_WAIT_POLICY=PASSIVE build/release
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
repetitions=${REPETITIONS:-5}
work=$(mktemp -d)
busy_pids=()
stop_busy() {
  for pid in "${busy_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  busy_pids=()
}
trap 'stop_busy; rm -rf "$work"' EXIT

run_once() {  # build[:ENV=VALUE,...] load -> appends "wall cpu" to its log
  local build=${1%%:*} settings=() log=$work/$(echo "$1-$2" | tr '/:=,' '____')
  [[ $1 == *:* ]] && IFS=, read -r -a settings <<<"${1#*:}"
  env "${settings[@]}" /usr/bin/time -f "%e %U %S" -o "$work/time" \
    "$build/python_free_examples/imdb_lstm" --variant lstm --epochs "${EPOCHS:-2}" \
    --samples "${SAMPLES:-4000}" \
    --device cpu --out "$work/out" >/dev/null
  awk '{print $1, $2 + $3}' "$work/time" >>"$log"
}

for round in $(seq "$repetitions"); do
  for load in none busy; do
    if [ "$load" = busy ]; then
      for _ in $(seq "$(nproc)"); do
        bash -c 'while :; do :; done' &
        busy_pids+=($!)
      done
    fi
    for build in "$@"; do run_once "$build" "$load"; done
    stop_busy
  done
  echo "round $round/$repetitions done (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
done

echo "| build | load | wall s (median) | CPU s (median) |"
echo "|---|---|---|---|"
for build in "$@"; do
  for load in none busy; do
    log=$work/$(echo "$build-$load" | tr '/:=,' '____')
    wall=$(cut -d' ' -f1 "$log" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    cpu=$(cut -d' ' -f2 "$log" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "| $build | $load | $wall | $cpu |"
  done
done
