#!/usr/bin/env bash
# A 2-layer LSTM character model on Jane Austen's novels (data/jane_austen.txt):
# tokenizes the text once, trains for a few minutes on the CPU printing bits per
# character on held-out text (the last 1%) every --log-every updates, then
# samples. Extra flags go to cuseq-train-lm, e.g. --max-steps 20 for a smoke run.
#   python_free_examples/char_lm.sh                 # ~5 minutes on 2 CPU cores
#   CUSEQ_BIN=build/python_free_examples python_free_examples/char_lm.sh --device cuda
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${CUSEQ_BIN:-$root/build/python_free_examples}"
out="${CHAR_LM_OUT:-$root/out/char_lm}"
mkdir -p "$out"

if [[ ! -f "$out/austen.tok" ]]; then
  "$bin/cuseq-tokenize" --level char -o "$out/austen.tok" "$root/data/jane_austen.txt"
fi
# Add --resume to continue an interrupted run from its last checkpoint.
"$bin/cuseq-train-lm" --data "$out/austen.tok" --validation-split 0.01 \
  --layers 2 --units 128 --embedding 32 --batch 32 --steps-per-window 64 \
  --lr 0.003 --global-clipnorm 5 --max-steps 600 --log-every 100 --verbose 2 \
  --checkpoint "$out/austen.ckpt" --checkpoint-every 100 \
  --log-csv "$out/austen_log.csv" --plot "$out/austen_bpc.svg" \
  --sample 400 --temperature 0.7 --prime "It is a truth universally acknowledged" \
  "$@"
