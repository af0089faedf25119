#!/usr/bin/env bash
# Hostile command lines for cuseq-tokenize and cuseq-train-lm: each must stop
# with a message naming the flag or file (exit status 1 or 2), before any
# training, never with a crash or by quietly doing something else; and the
# corpus split that cuseq-train-lm caches must follow its corpus.
#   cli_test.sh BIN_DIR
set -uo pipefail
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

fail() {
  echo "FAIL: $*"
  failed=$((failed + 1))
}

# expect_refusal FRAGMENT COMMAND...: exit 1 or 2, FRAGMENT in the output, no training started.
expect_refusal() {
  local fragment=$1
  shift
  local output status
  output=$("$@" 2>&1)
  status=$?
  if [ "$status" -ne 1 ] && [ "$status" -ne 2 ]; then
    fail "exit $status (want 1 or 2): $*"$'\n'"$output"
  elif ! grep -qF -- "$fragment" <<<"$output"; then
    fail "output lacks \"$fragment\": $*"$'\n'"$output"
  elif grep -q "Total params" <<<"$output"; then
    fail "training started before the refusal: $*"
  else
    passed=$((passed + 1))
  fi
}

# A small character corpus and its token file.
for i in $(seq 1 200); do echo "the quick brown fox jumps over the lazy dog $i"; done >"$work/a.txt"
for i in $(seq 1 150); do echo "pack my box with five dozen liquor jugs $i"; done >"$work/b.txt"
"$bin/cuseq-tokenize" -o "$work/c.tok" "$work/a.txt" >/dev/null 2>&1 || fail "tokenizing a.txt"

train=("$bin/cuseq-train-lm" --data "$work/c.tok" --device cpu --layers 1 --units 8 --embedding 4
       --batch 4 --steps-per-window 8 --max-steps 2 --verbose 0)

expect_refusal "--batch" "${train[@]}" --batch 12abc
expect_refusal "--batch" "${train[@]}" --batch abc
expect_refusal "--batch" "${train[@]}" --batch 0
expect_refusal "batchsize" "${train[@]}" --batchsize 4
expect_refusal "--lr" "${train[@]}" --lr inf
expect_refusal "--lr" "${train[@]}" --lr nan
expect_refusal "--lr" "${train[@]}" --lr -1
expect_refusal "--max-steps" "${train[@]}" --max-steps -5
expect_refusal "--validation-split" "${train[@]}" --validation-split -1
expect_refusal "--validation-split" "${train[@]}" --validation-split 1
expect_refusal "--dropout" "${train[@]}" --dropout 1.5
expect_refusal "--units" "${train[@]}" --units 99999999999999999999
expect_refusal "$work/missing/x.ckpt" "${train[@]}" --checkpoint "$work/missing/x.ckpt"
expect_refusal "$work/missing/x.csv" "${train[@]}" --log-csv "$work/missing/x.csv"
expect_refusal "$work/missing/x.svg" "${train[@]}" --plot "$work/missing/x.svg"
expect_refusal "--lr" "${train[@]}" --lr inf --plot "$work/x.svg" --checkpoint "$work/x.ckpt"
expect_refusal "--resume" "${train[@]}" --resume
expect_refusal "--num-words" "$bin/cuseq-tokenize" -o "$work/w.tok" --level word --num-words -5 "$work/a.txt"
expect_refusal "--level" "$bin/cuseq-tokenize" -o "$work/w.tok" --level words "$work/a.txt"
expect_refusal "--bogus" "$bin/cuseq-tokenize" -o "$work/w.tok" --bogus "$work/a.txt"
cp "$work/a.txt" "$work/keep.txt"
expect_refusal "input" "$bin/cuseq-tokenize" -o "$work/a.txt" "$work/a.txt"
cmp -s "$work/a.txt" "$work/keep.txt" && passed=$((passed + 1)) || fail "cuseq-tokenize overwrote its input"

# The cached split follows the corpus: re-tokenizing another corpus to the same
# --data must not train on the old split, and a split missing its validation
# half (a kill between the two writes) is rebuilt.
if "${train[@]}" >"$work/run1.log" 2>&1; then passed=$((passed + 1)); else fail "first training run"; cat "$work/run1.log"; fi
cp "$work/c.train.tok" "$work/old.train.tok"
"$bin/cuseq-tokenize" -o "$work/c.tok" "$work/b.txt" >/dev/null 2>&1 || fail "tokenizing b.txt"
if "${train[@]}" >"$work/run2.log" 2>&1; then passed=$((passed + 1)); else fail "run on the new corpus"; cat "$work/run2.log"; fi
if cmp -s "$work/c.train.tok" "$work/old.train.tok"; then fail "trained on the stale split of the old corpus"; else passed=$((passed + 1)); fi
rm -f "$work/c.valid.tok"
if "${train[@]}" >"$work/run3.log" 2>&1 && [ -f "$work/c.valid.tok" ]; then passed=$((passed + 1)); else fail "a split without its validation half was not rebuilt"; cat "$work/run3.log"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
