"""Zero-copy array checks: C-contiguous float32 numpy arrays pass their buffer; anything else is refused."""
from __future__ import annotations

from typing import Optional, Tuple

import numpy as np


def f32(name: str, a: object, shape: Tuple[int, ...], writable: bool = False) -> int:
    """Checks a, returns its data address. TypeError for a non-array or another dtype, ValueError for layout or shape."""
    if not isinstance(a, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray of float32, got {type(a).__name__}")
    if a.dtype != np.float32:
        raise TypeError(f"{name} must have dtype float32, got {a.dtype} (convert explicitly: {name}.astype(numpy.float32))")
    if not a.flags.c_contiguous:
        raise ValueError(f"{name} must be C-contiguous (use numpy.ascontiguousarray({name}))")
    if a.shape != shape:
        raise ValueError(f"{name} has shape {a.shape}, expected {shape}")
    if writable and not a.flags.writeable:
        raise ValueError(f"{name} is read-only")
    return a.__array_interface__["data"][0]


def batch_shape(name: str, a: object, width: int) -> Tuple[Tuple[int, ...], int]:
    """For a (width,) or (n, width) input: its shape and n (the array itself is checked by f32)."""
    if not isinstance(a, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray of float32, got {type(a).__name__}")
    if a.ndim == 1:
        return (width,), 1
    if a.ndim == 2:
        return (a.shape[0], width), a.shape[0]
    raise ValueError(f"{name} must be 1-D ({width},) or 2-D (n, {width}), got shape {a.shape}")


def output(name: str, out: Optional[np.ndarray], shape: Tuple[int, ...]) -> Tuple[np.ndarray, int]:
    """The caller's out array (checked) or a new one."""
    if out is None:
        out = np.empty(shape, dtype=np.float32)
        return out, out.__array_interface__["data"][0]
    return out, f32(name, out, shape, writable=True)
