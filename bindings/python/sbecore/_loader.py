"""Finds the native library: SBECORE_LIBRARY, else beside the package; picks the ISA flavour from the CPU.

A flavour built for a higher x86-64 level aborts the process on a CPU without it, so the choice is made
from /proc/cpuinfo before anything is loaded.
"""
from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Iterable, Optional

LIBRARY_NAME = "SbeCore.Native.so"
FLAVOURS = ("x86-64-v4", "x86-64-v3", "x86-64-v2")

# x86-64 micro-architecture levels, by the flag names of /proc/cpuinfo (abm = lzcnt).
_V3 = {"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"}
_V4 = _V3 | {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}


def cpu_flags(cpuinfo: str = "/proc/cpuinfo") -> set:
    """The flags of the first CPU in /proc/cpuinfo (empty if unreadable)."""
    try:
        with open(cpuinfo, encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def flavour_for_flags(flags: Iterable[str]) -> str:
    """The widest flavour a CPU with these flags runs: x86-64-v4 (AVX-512), x86-64-v3 (AVX2) or x86-64-v2."""
    flags = set(flags)
    if _V4 <= flags:
        return "x86-64-v4"
    if _V3 <= flags:
        return "x86-64-v3"
    return "x86-64-v2"


def cpu_flavour() -> str:
    """The flavour for this machine: x86-64-v2/v3/v4 by the CPU's flags, or linux-arm64 (NEON) on aarch64."""
    machine = platform.machine().lower()
    if machine in ("aarch64", "arm64"):
        return "linux-arm64"
    if machine not in ("x86_64", "amd64"):
        raise OSError(f"sbecore ships x86-64 and aarch64 libraries only; this machine is {platform.machine()}")
    return flavour_for_flags(cpu_flags())


def _in_directory(directory: Path, flavour: str) -> Optional[Path]:
    for candidate in (directory / flavour / LIBRARY_NAME, directory / "native" / flavour / LIBRARY_NAME, directory / LIBRARY_NAME):
        if candidate.is_file():
            return candidate
    return None


def find_library() -> Path:
    """SBECORE_LIBRARY (the .so, a flavour folder, or the folder holding the flavour folders), else beside the package."""
    flavour = cpu_flavour()
    override = os.environ.get("SBECORE_LIBRARY")
    if override:
        path = Path(override)
        if path.is_file():
            return path
        if path.is_dir():
            found = _in_directory(path, flavour)
            if found:
                return found
        raise OSError(f"SBECORE_LIBRARY={override!r}: no {LIBRARY_NAME} for flavour {flavour} there")
    found = _in_directory(Path(__file__).resolve().parent, flavour)
    if found:
        return found
    raise OSError(f"{LIBRARY_NAME} ({flavour}) not found beside the sbecore package (a wheel built on this architecture bundles it); set SBECORE_LIBRARY to use another build")
