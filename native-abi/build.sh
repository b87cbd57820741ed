#!/usr/bin/env bash
# Publishes the NativeAOT library in three ISA flavours so a loader can pick the widest one the CPU runs:
#   artifacts/native/x86-64-v2/SbeCore.Native.so   SSE4.2/POPCNT: Vector128 only (any x86-64 CPU since ~2009)
#   artifacts/native/x86-64-v3/SbeCore.Native.so   + AVX2/FMA/BMI: Vector256
#   artifacts/native/x86-64-v4/SbeCore.Native.so   + AVX-512 F/BW/CD/DQ/VL: Vector512
#   artifacts/native/linux-arm64/SbeCore.Native.so  (only when asked: `build.sh linux-arm64`) aarch64, NEON (AdvSimd):
#                                                   Vector128; cross-compiled with clang --target=aarch64-linux-gnu and
#                                                   Debian's cross toolchain (gcc-aarch64-linux-gnu, libc6-arm64-cross)
# Each folder also gets libsbecore.so.MAJOR and libsbecore.so, links to the library (its SONAME is libsbecore.so.MAJOR,
# MAJOR from the repository's VERSION file), so C programs link it as -lsbecore.
# A flavour refuses to start on a CPU below its level, so the choice must be made before loading
# (sbecore.h: sbe_recommended_flavour(); Python: sbecore reads /proc/cpuinfo).
# Usage: native-abi/build.sh [flavour...]   (from anywhere; default: all three)
# Needs: the .NET SDK (the ILCompiler package is restored from NuGet) and clang or gcc as the linker.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v clang >/dev/null && ! command -v gcc >/dev/null; then
  echo "build.sh: NativeAOT needs clang or gcc as the linker (apt-get install clang zlib1g-dev)" >&2
  exit 1
fi

flavours=("$@")
[ ${#flavours[@]} -gt 0 ] || flavours=(x86-64-v2 x86-64-v3 x86-64-v4)
project=native-abi/SbeCore.Native/SbeCore.Native.csproj
major=$(cut -d. -f1 VERSION)

restored=""
for flavour in "${flavours[@]}"; do
  case $flavour in
    x86-64-v2|x86-64-v3|x86-64-v4) rid=linux-x64; extra=(-p:IlcInstructionSet="$flavour") ;;
    linux-arm64)
      rid=linux-arm64
      command -v clang >/dev/null && command -v aarch64-linux-gnu-objcopy >/dev/null || {
        echo "build.sh: linux-arm64 needs clang and the aarch64 cross toolchain (apt-get install clang gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-arm64-cross)" >&2; exit 1; }
      # clang gets --target=aarch64-linux-gnu from the ILCompiler targets and finds Debian's cross gcc's crt files and libs.
      extra=(-p:CppCompilerAndLinker=clang -p:ObjCopyName=aarch64-linux-gnu-objcopy) ;;
    *) echo "build.sh: unknown flavour $flavour (x86-64-v2, x86-64-v3, x86-64-v4, linux-arm64)" >&2; exit 2 ;;
  esac
  case " $restored " in *" $rid "*) ;; *) dotnet restore "$project" -r "$rid"; restored="$restored $rid" ;; esac
  start=$SECONDS
  # A separate intermediate folder and native output folder per flavour: the ILC object and the linked library of one
  # ISA are never reused for another (with a shared bin/.../native/ an up-to-date rebuild published the last flavour
  # linked into every folder).
  dotnet publish "$project" -c Release -r "$rid" --no-restore "${extra[@]}" \
    -p:IntermediateOutputPath="$root/artifacts/obj/native/$flavour/" \
    -p:NativeOutputPath="$root/artifacts/obj/native/$flavour/bin/" \
    -o "artifacts/native/$flavour"
  test -f "artifacts/native/$flavour/SbeCore.Native.so"
  ln -sfn SbeCore.Native.so "artifacts/native/$flavour/libsbecore.so.$major"
  ln -sfn "libsbecore.so.$major" "artifacts/native/$flavour/libsbecore.so"
  echo "build.sh: $flavour built in $((SECONDS - start)) s"
done
