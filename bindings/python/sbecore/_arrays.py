"""Zero-copy array checks: C-contiguous float32 numpy arrays pass their buffer; anything else is refused."""
from __future__ import annotations

import os
from typing import Optional, Tuple

import numpy as np


_F32 = np.dtype(np.float32)  # native byte order; compared by equality: an equal dtype need not be this object


def f32(name: str, a: object, shape: Tuple[int, ...], writable: bool = False) -> int:
    """Checks a, returns its data address. TypeError for a non-array or another dtype, ValueError for layout or shape."""
    if not isinstance(a, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray of float32, got {type(a).__name__}")
    if a.dtype != _F32:
        raise TypeError(f"{name} must have dtype float32 in native byte order, got {a.dtype.str} "
                        f"(convert explicitly: {name}.astype(numpy.float32))")
    if not a.flags.c_contiguous:
        raise ValueError(f"{name} must be C-contiguous, got strides {a.strides} (use numpy.ascontiguousarray({name}))")
    if not a.flags.aligned:
        raise ValueError(f"{name} is not aligned to 4 bytes (use {name}.copy())")
    if a.shape != shape:
        raise ValueError(f"{name} has shape {a.shape}, expected {shape}")
    if writable and not a.flags.writeable:
        raise ValueError(f"{name} is read-only")
    return a.__array_interface__["data"][0]


def uint(name: str, value: object, bits: int = 32) -> int:
    """An int in [0, 2^bits): ctypes would silently wrap anything else (2^32 + 3 rows would become 3)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if not 0 <= int(value) < (1 << bits):
        raise ValueError(f"{name} is {value}; it must be in [0, 2^{bits})")
    return int(value)


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


def real(name: str, value: object) -> float:
    """A real number (int or float, Python or numpy): float() would also take the string "0.1" and True."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    return float(value)


def text(name: str, value: object) -> bytes:
    """A str for the library as UTF-8; NUL would end it early in C, so it is refused (as Python's own APIs do)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if "\0" in value:
        raise ValueError(f"{name} contains an embedded null character")
    return value.encode("utf-8")


def path_bytes(name: str, value: object) -> bytes:
    """A file system path for the library; a NUL would truncate it in C (Python's open raises ValueError too)."""
    encoded = os.fsencode(value)  # TypeError for anything that is not str, bytes or os.PathLike
    if b"\0" in encoded:
        raise ValueError(f"{name} contains an embedded null byte")
    return encoded


def f32_rows(name: str, a: object, width: int, writable: bool = False, n: Optional[int] = None) -> Tuple[np.ndarray, int, int, int]:
    """A batch of float32 rows of `width` for the calls that take a row stride: (array, address, n, ld) with ld the
    elements between row starts. A 2-D array whose elements are 4 bytes apart and whose rows start a whole number of
    elements apart (>= width) passes as it is, e.g. a[:, :width] or a[::2]; a (width,) array is one row. Any other layout
    is copied when it is an input and refused when it is an output (the library writes into it). TypeError for a
    non-array or another dtype; ValueError for a wrong shape."""
    if not isinstance(a, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray of float32, got {type(a).__name__}")
    if a.dtype != _F32:
        raise TypeError(f"{name} must have dtype float32 in native byte order, got {a.dtype.str} "
                        f"(convert explicitly: {name}.astype(numpy.float32))")
    rows = a.reshape(1, -1) if a.ndim == 1 else a
    if rows.ndim != 2 or rows.shape[1] != width or (n is not None and rows.shape[0] != n):
        expected = f"({n if n is not None else 'n'}, {width})"
        raise ValueError(f"{name} has shape {a.shape}, expected {expected} or ({width},)")
    if writable and not a.flags.writeable:
        raise ValueError(f"{name} is read-only")
    count = rows.shape[0]
    row_stride, element_stride = rows.strides
    strided = (element_stride == 4 or width == 1) and a.flags.aligned and (
        count == 1 or (row_stride > 0 and row_stride % 4 == 0 and row_stride // 4 >= width))
    if not strided:
        if writable:
            raise ValueError(f"{name} has strides {a.strides}: an output needs elements 4 bytes apart and rows a whole, "
                             f"positive number of elements (>= {width}) apart (pass numpy.empty(({count}, {width}), numpy.float32))")
        rows = np.ascontiguousarray(rows)
        row_stride = rows.strides[0]
    ld = width if count == 1 else row_stride // 4
    return rows, rows.__array_interface__["data"][0], count, ld
