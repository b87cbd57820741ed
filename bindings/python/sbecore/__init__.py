"""sbecore: streaming batch eigenupdates (SBE) for analog crossbar training, over the SbeCore native library.

numpy arrays cross into the library without copying; they must be C-contiguous float32 of the documented
shape, anything else raises TypeError/ValueError. Library errors raise SbeError with the library's message.
The library is loaded on first use (SBECORE_LIBRARY, else beside this package; flavour by CPU).
"""
from __future__ import annotations

from . import datasets, devices, kernels, presets
try:
    from ._version import __version__  # written by setup.py from the repository's VERSION file
except ImportError:  # the package folder used in place, never built: read the repository's VERSION
    from pathlib import Path as _Path
    __version__ = (_Path(__file__).resolve().parents[3] / "VERSION").read_text(encoding="ascii").strip()
from ._errors import SbeError
from ._loader import cpu_flavour, flavour_for_flags
from ._native import ABI_MAJOR, ABI_MINOR, library_path
from .estimator import Estimator, batch_svd
from .kernels import batch_read, batch_read_t, gemv, gemv_t, ger
from .methods import method_id, method_label, method_names
from .layer import Layer
from .network import Network
from .tile import Tile

ISA_BITS = {"vector128": 0x01, "vector256": 0x02, "vector512": 0x04, "avx2": 0x08, "fma": 0x10, "avx512f": 0x20, "advsimd": 0x40}


def abi_version() -> tuple:
    """(major, minor) of the loaded library."""
    from ._native import lib
    v = lib().sbe_abi_version()
    return v >> 16, v & 0xFFFF


def allocated_bytes() -> int:
    """Managed bytes the library has allocated so far on this thread (diagnostic)."""
    from ._native import lib
    return lib().sbe_diag_allocated_bytes()


def isa() -> set:
    """Names of the vector paths live in the loaded library ('vector512', 'avx2', ...)."""
    from ._native import lib
    mask = lib().sbe_isa()
    return {name for name, bit in ISA_BITS.items() if mask & bit}


def library_version() -> str:
    """The loaded native library's version (sbe_version(); equals __version__ for the library a wheel bundles)."""
    from ._native import lib
    return lib().sbe_version().decode("ascii")


__all__ = ["__version__", "datasets", "library_version", "ABI_MAJOR", "ABI_MINOR", "Estimator", "devices", "presets", "Layer", "Network", "SbeError", "Tile", "abi_version", "allocated_bytes", "batch_read", "batch_svd", "batch_read_t", "cpu_flavour",
           "flavour_for_flags", "gemv", "gemv_t", "ger", "isa", "kernels", "library_path", "method_id", "method_label", "method_names"]
