"""Builds the sbecore wheel: the ctypes package plus the NativeAOT library flavours and the MNIST-10k data, tagged
for the platform the libraries run on (py3-none-manylinux_2_NN_<arch>: no Python extension, any CPython 3).

    native-abi/build.sh && python3 -m pip wheel --no-build-isolation --no-deps -w artifacts/wheels bindings/python

Offline: setuptools and wheel as Debian ships them (python3-setuptools, python3-wheel), no build isolation.
Before building, the libraries (artifacts/native/<flavour>/SbeCore.Native.so), the data (data/mnist-10k) and the
version (the repository's VERSION file) are staged into the package folder (all ignored by git).
SBECORE_WHEEL_ARCH=aarch64 stages the linux-arm64 build (artifacts/native/linux-arm64) instead of the host's.
"""
import os
import platform
import re
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.dist import Distribution

try:
    from wheel.bdist_wheel import bdist_wheel
except ImportError:  # pragma: no cover - without python3-wheel only sdists/in-place installs are possible
    bdist_wheel = None

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PACKAGE = HERE / "sbecore"
LIBRARY = "SbeCore.Native.so"
ARCH_FLAVOURS = {"x86_64": ["x86-64-v2", "x86-64-v3", "x86-64-v4"], "aarch64": ["linux-arm64"]}


def _arch() -> str:
    arch = os.environ.get("SBECORE_WHEEL_ARCH") or platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(arch, arch)


def _version() -> str:
    """The repository's VERSION (the one version of NuGet, the CLI, the C library and this package)."""
    source = REPO / "VERSION"
    if source.is_file():
        version = source.read_text(encoding="ascii").strip()
        (PACKAGE / "_version.py").write_text(f'__version__ = "{version}"\n', encoding="ascii")
        return version
    staged = PACKAGE / "_version.py"  # an sdist or a copy of the package folder: staged before
    return re.search(r'"(.+)"', staged.read_text(encoding="ascii")).group(1)


def _stage_native(arch: str) -> list:
    """Copies the flavours of this arch into sbecore/native/<flavour>/ (removing any other arch's); returns them."""
    flavours = ARCH_FLAVOURS.get(arch)
    if flavours is None:
        raise SystemExit(f"sbecore: no native build for {arch} (x86_64 or aarch64)")
    built = REPO / "artifacts" / "native"
    native = PACKAGE / "native"
    if all((built / f / LIBRARY).is_file() for f in flavours):
        shutil.rmtree(native, ignore_errors=True)
        for f in flavours:
            (native / f).mkdir(parents=True)
            shutil.copy2(built / f / LIBRARY, native / f / LIBRARY)
    missing = [f for f in flavours if not (native / f / LIBRARY).is_file()]
    if missing:
        hint = "native-abi/build.sh" if arch == "x86_64" else "native-abi/build.sh linux-arm64"
        raise SystemExit(f"sbecore: {LIBRARY} missing for {', '.join(missing)}: run {hint} first")
    return flavours


def _stage_data() -> None:
    source, target = REPO / "data" / "mnist-10k", PACKAGE / "data" / "mnist-10k"
    if source.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        for f in source.glob("*-ubyte.gz"):
            shutil.copy2(f, target / f.name)


def _glibc_level(paths) -> str:
    """The newest GLIBC_2.N symbol version the libraries need: the manylinux_2_N tag they honour."""
    level = 17
    for p in paths:
        for m in re.finditer(rb"GLIBC_2\.(\d+)", p.read_bytes()):
            level = max(level, int(m.group(1)))
    return f"2_{level}"


class BinaryDistribution(Distribution):
    def has_ext_modules(self):  # the wheel carries native code: never a pure "any" wheel
        return True


cmdclass = {}
if bdist_wheel is not None:
    class PlatformWheel(bdist_wheel):
        """py3-none-manylinux_2_N_<arch>: ctypes, so any CPython 3, but only this OS and architecture."""

        def finalize_options(self):
            super().finalize_options()
            self.root_is_pure = False

        def get_tag(self):
            arch = _arch()
            libs = [PACKAGE / "native" / f / LIBRARY for f in ARCH_FLAVOURS[arch]]
            return "py3", "none", f"manylinux_{_glibc_level(libs)}_{arch}"

    cmdclass["bdist_wheel"] = PlatformWheel

# setuptools copies the package into build/ and never removes what a previous build left there (another arch's
# libraries would ride along): start from a clean build folder.
shutil.rmtree(HERE / "build", ignore_errors=True)
_stage_native(_arch())
_stage_data()
setup(version=_version(), distclass=BinaryDistribution, cmdclass=cmdclass)
