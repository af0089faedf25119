#!/usr/bin/env bash
# Installs what cuseq needs to build, test and benchmark on Debian 12, as root
# (or through sudo). Idempotent: apt is only called for packages that are missing.
# The CUDA toolkit is not a Debian package here; when /usr/local/cuda is absent
# the build is CPU-only (CUSEQ_CUDA=AUTO), which passes every test with GPU
# tests skipped.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache git pkg-config ca-certificates clang-format
  libopenblas-dev libgtest-dev googletest libbenchmark-dev libdnnl-dev ocl-icd-opencl-dev
  libopenmpi-dev openmpi-bin
  libcli11-dev clang libclang-rt-14-dev
  libhdf5-dev libzip-dev nlohmann-json3-dev
  libboost-context-dev
  fasttext wordnet-base
)
extra=("$@")

missing=()
for package in "${packages[@]}" "${extra[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
