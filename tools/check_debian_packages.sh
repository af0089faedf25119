#!/usr/bin/env bash
# Builds cuseq's Debian packages (cpack -G DEB: libcuseq0 and libcuseq-dev),
# then checks them as a user of the packages would: removes the libraries the
# runtime package must bring back through its dependencies (OpenBLAS, Open
# MPI), installs both .deb files with apt, and builds and runs the outside
# project (tests/install/outside_project) and the tools against /usr.
# It installs and removes system packages: run it as root in a throwaway
# system, e.g. a fresh Debian 12 chroot:
#   ../shared/tools/fresh-debian 'bash tools/check_debian_packages.sh'
# The .deb files stay in build/deb/ (DEB_BUILD_DIR).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ "$(id -u)" = 0 ] || { echo "check_debian_packages.sh: run as root, in a throwaway system" >&2; exit 2; }
# cpack's DEB generator reads the libraries' types with `file` and their
# dependencies with dpkg-shlibdeps (dpkg-dev, part of build-essential).
bash tools/install_deps.sh file dpkg-dev
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
build=${DEB_BUILD_DIR:-build/deb}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DCUSEQ_BUILD_TESTS=OFF -DCUSEQ_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)"
rm -f "$build"/*.deb
(cd "$build" && cpack -G DEB >/dev/null)
runtime=$(ls "$build"/libcuseq0_*.deb)
development=$(ls "$build"/libcuseq-dev_*.deb)
for deb in "$runtime" "$development"; do
  echo "== $(basename "$deb")"
  dpkg-deb --field "$deb" Package Version Depends
  dpkg-deb --contents "$deb" | awk '{print "   ", $NF}'
done
depends=$(dpkg-deb --field "$runtime" Depends)
grep -q libopenblas <<<"$depends" || { echo "FAILED: libcuseq0 must depend on OpenBLAS" >&2; exit 1; }
dpkg-deb --field "$development" Depends | grep -q "libcuseq0 (= " ||
  { echo "FAILED: libcuseq-dev must depend on libcuseq0 of its version" >&2; exit 1; }

echo "== removing what the runtime package must bring back"
export DEBIAN_FRONTEND=noninteractive
apt-get purge -y -qq 'libopenblas*' 'libopenmpi*' openmpi-bin >/dev/null
echo "== installing the packages"
apt-get install -y -qq --no-install-recommends "./$runtime" "./$development" >/dev/null
unset LD_LIBRARY_PATH
library=$(find /usr/lib -name libcuseq.so.0 | head -n 1)
[ -n "$library" ] || { echo "FAILED: libcuseq.so.0 is not under /usr/lib" >&2; exit 1; }
if ldd "$library" /usr/bin/cuseq-train-lm | grep "not found"; then
  echo "FAILED: a library the packages need is missing" >&2
  exit 1
fi
cuseq-tokenize --help | head -n 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake -S tests/install/outside_project -B "$work/consumer" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/outside_user"
"$work/consumer/outside_distributed_user"
echo "check_debian_packages: the packages install, and a project builds and runs against them"
