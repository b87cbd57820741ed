#!/usr/bin/env bash
# Publishes the NativeAOT library in three ISA flavours so a loader can pick the widest one the CPU runs:
#   artifacts/native/x86-64-v2/SbeCore.Native.so   SSE4.2/POPCNT: Vector128 only (any x86-64 CPU since ~2009)
#   artifacts/native/x86-64-v3/SbeCore.Native.so   + AVX2/FMA/BMI: Vector256
#   artifacts/native/x86-64-v4/SbeCore.Native.so   + AVX-512 F/BW/CD/DQ/VL: Vector512
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

dotnet restore "$project" -r linux-x64
for flavour in "${flavours[@]}"; do
  case $flavour in x86-64-v2|x86-64-v3|x86-64-v4) ;; *) echo "build.sh: unknown flavour $flavour" >&2; exit 2 ;; esac
  start=$SECONDS
  # A separate intermediate folder per flavour: the ILC object of one ISA is never reused for another.
  dotnet publish "$project" -c Release -r linux-x64 --no-restore \
    -p:IlcInstructionSet="$flavour" \
    -p:IntermediateOutputPath="$root/artifacts/obj/native/$flavour/" \
    -o "artifacts/native/$flavour"
  test -f "artifacts/native/$flavour/SbeCore.Native.so"
  echo "build.sh: $flavour built in $((SECONDS - start)) s"
done
