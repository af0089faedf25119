#!/usr/bin/env bash
# The large char_lm corpora (docs/language_models.md), fetched from Debian and
# tokenized once into token files under $OUT (default out/corpora):
#   gcide.tok  GCIDE dictionary (dict-gcide), ~40 MB of text, char level
#   linux.tok  the Linux 6.1 kernel's C sources (linux-source-6.1), ~617 MB, char level
# Usage: python_free_examples/fetch_corpora.sh [gcide|linux|all]   (needs root for apt-get)
# Then e.g.:
#   build/python_free_examples/cuseq-train-lm --data out/corpora/gcide.tok --units 512 \
#     --epochs 5 --checkpoint out/corpora/gcide.ckpt --checkpoint-every 1000 --log-every 1000
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${CUSEQ_BIN:-$root/build/python_free_examples}"
out="${OUT:-$root/out/corpora}"
which="${1:-all}"
mkdir -p "$out"

install_package() {
  dpkg -s "$1" >/dev/null 2>&1 && return
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1"
}

if [[ "$which" == gcide || "$which" == all ]]; then
  install_package dict-gcide
  [[ -f "$out/gcide.txt" ]] || zcat /usr/share/dictd/gcide.dict.dz >"$out/gcide.txt"
  "$bin/cuseq-tokenize" --level char -o "$out/gcide.tok" "$out/gcide.txt"
fi

if [[ "$which" == linux || "$which" == all ]]; then
  install_package linux-source-6.1
  if [[ ! -d "$out/linux" ]]; then
    mkdir -p "$out/linux"
    # Only the C sources and headers: what the model is meant to learn.
    tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$out/linux" --wildcards '*.c' '*.h'
  fi
  find "$out/linux" -type f \( -name '*.c' -o -name '*.h' \) | sort >"$out/linux.files"
  "$bin/cuseq-tokenize" --level byte -o "$out/linux.tok" --files-from "$out/linux.files"
fi
ls -l "$out"/*.tok
