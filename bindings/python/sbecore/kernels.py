"""Kernels over caller arrays (stateless, thread-safe): W is (rows, cols) float32, C-contiguous."""
from __future__ import annotations

from typing import Optional

import numpy as np

from . import _native
from ._arrays import f32, output, real


def _require_2d(name: str, a: object, meaning: str) -> tuple:
    if not isinstance(a, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray of float32, got {type(a).__name__}")
    if a.ndim != 2:
        raise ValueError(f"{name} must be 2-D {meaning}, got shape {a.shape}")
    return a.shape


def _matrix(w: object) -> tuple:
    rows, cols = _require_2d("w", w, "(rows, cols)")
    return rows, cols, f32("w", w, (rows, cols))


def gemv(w: np.ndarray, x: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """y = W x."""
    rows, cols, pw = _matrix(w)
    px = f32("x", x, (cols,))
    y, py = output("out", out, (rows,))
    _native.check(_native.lib().sbe_gemv(pw, rows * cols, rows, cols, cols, px, cols, py, rows))
    return y


def gemv_t(w: np.ndarray, d: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """z = W^T d."""
    rows, cols, pw = _matrix(w)
    pd = f32("d", d, (rows,))
    z, pz = output("out", out, (cols,))
    _native.check(_native.lib().sbe_gemv_t(pw, rows * cols, rows, cols, cols, pd, rows, pz, cols))
    return z


def ger(alpha: float, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> None:
    """W += alpha u v^T, in place."""
    rows, cols, pw = _matrix(w)
    if not w.flags.writeable:
        raise ValueError("w is read-only")
    pu = f32("u", u, (rows,))
    pv = f32("v", v, (cols,))
    _native.check(_native.lib().sbe_ger(real("alpha", alpha), pu, rows, pv, cols, pw, rows * cols, rows, cols, cols))


def batch_read(w: np.ndarray, x: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Y (n, rows) = X (n, cols) W^T."""
    rows, cols, pw = _matrix(w)
    n = _require_2d("x", x, "(n, cols)")[0]
    px = f32("x", x, (n, cols))
    y, py = output("out", out, (n, rows))
    _native.check(_native.lib().sbe_batch_read(pw, rows * cols, rows, cols, cols, px, n * cols, n, py, n * rows))
    return y


def batch_read_t(w: np.ndarray, d: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Z (n, cols) = D (n, rows) W."""
    rows, cols, pw = _matrix(w)
    n = _require_2d("d", d, "(n, rows)")[0]
    pd = f32("d", d, (n, rows))
    z, pz = output("out", out, (n, cols))
    _native.check(_native.lib().sbe_batch_read_t(pw, rows * cols, rows, cols, cols, pd, n * rows, n, pz, n * cols))
    return z
