#!/usr/bin/env bash
# SbeCore's kernels against OpenBLAS, one thread, for each x86-64 flavour of the native library.
# Needs libopenblas-dev and a C compiler; builds the flavours first when they are missing (native-abi/build.sh).
# OpenBLAS picks its kernels by CPU (0.3.21 runs its AVX2 "Haswell" kernels on Zen 4); each flavour is compared
# with the OpenBLAS kernels of its own ISA level: x86-64-v3 with Haswell (AVX2), x86-64-v4 with SkylakeX (AVX-512).
# Usage: benchmarks/openblas/run.sh [rounds] [flavour...]   (default: 5 rounds, x86-64-v3 and x86-64-v4)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-5}; shift || true
flavours=("$@"); [ ${#flavours[@]} -gt 0 ] || flavours=(x86-64-v3 x86-64-v4)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc=$(command -v gcc || command -v clang)
"$cc" -O2 -o "$out/kernels_vs_openblas" "$root/benchmarks/openblas/kernels_vs_openblas.c" -lopenblas -ldl
for flavour in "${flavours[@]}"; do
  lib="$root/artifacts/native/$flavour/SbeCore.Native.so"
  [ -f "$lib" ] || "$root/native-abi/build.sh" "$flavour"
  case $flavour in x86-64-v4) core=SkylakeX ;; *) core=Haswell ;; esac
  echo "## $flavour ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), OpenBLAS $(dpkg-query -W -f='${Version}' libopenblas0-pthread 2>/dev/null || echo '?'), 1 thread)"
  OPENBLAS_CORETYPE=$core OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 "$out/kernels_vs_openblas" "$lib" "$rounds"
  echo
done
