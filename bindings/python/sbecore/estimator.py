"""Estimator: the streaming top-k singular triplets of a batch-mean gradient (SBE). Not thread-safe."""
from __future__ import annotations

import ctypes
from typing import Optional, Tuple

import numpy as np

from . import _native
from ._arrays import f32, output, real, uint
from ._handle import NativeObject

INITIALIZATION = {"gaussian": 0, "first_sample": 1}
MAGNITUDE = {"running_mean": 0, "right_norm": 1, "rayleigh": 2, "start_rayleigh": 3}  # start_rayleigh: rule options only


def _rows(name: str, a: object, width: int) -> int:
    """n of an (n, width) array (the array itself is checked by f32)."""
    if not isinstance(a, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray of float32, got {type(a).__name__}")
    if a.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n, {width}), got shape {a.shape}")
    return a.shape[0]


def batch_svd(deltas: np.ndarray, xs: np.ndarray, k: int = 1) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact top-k triplets of M = (1/n) sum_j deltas[j] xs[j]^T: s (k,) descending, d (k, rows), x (k, cols) unit rows."""
    if not isinstance(deltas, np.ndarray) or not isinstance(xs, np.ndarray):
        raise TypeError("deltas and xs must be numpy.ndarray of float32")
    if deltas.ndim != 2 or xs.ndim != 2:
        raise ValueError(f"deltas and xs must be 2-D (n, rows) and (n, cols), got shapes {deltas.shape} and {xs.shape}")
    n, rows = deltas.shape
    cols = xs.shape[1]
    pd = f32("deltas", deltas, (n, rows))
    px = f32("xs", xs, (n, cols))
    s, ps = output("s", None, (k,))
    d, pdd = output("d", None, (k, rows))
    x, pxx = output("x", None, (k, cols))
    k = uint("k", k)
    _native.check(_native.lib().sbe_batch_svd(pd, n * rows, px, n * cols, n, rows, cols, ps, k, pdd, k * rows, pxx, k * cols))
    return s, d, x


class Estimator(NativeObject):
    """Feeds (delta, x) pairs; estimate() closes the batch and returns (s, d, x) with M ~ sum_c s_c d_c x_c^T."""

    _destroy_name = "sbe_estimator_destroy"

    def __init__(self, rows: int, cols: int, rank: int = 1, *, sub_batch: int = 1, seed: int = 0,
                 initialization: str = "gaussian", magnitude: str = "running_mean", division_free: bool = False,
                 quantization_bits: int = 0, stochastic_rounding: bool = False, oja_rate: float = 0.0) -> None:
        """stochastic_rounding (needs quantization_bits 2..24): round the quantised state stochastically instead of to
        nearest. The draws come from the estimator's generator seeded with seed (the stream of the Gaussian start):
        the same seed and samples give bit-identical estimates, and reset() replays the same draws."""
        if initialization not in INITIALIZATION:
            raise ValueError(f"initialization must be one of {sorted(INITIALIZATION)}, got {initialization!r}")
        if magnitude not in MAGNITUDE:
            raise ValueError(f"magnitude must be one of {sorted(MAGNITUDE)}, got {magnitude!r}")
        config = _native.EstimatorConfig(
            ctypes.sizeof(_native.EstimatorConfig), _native.EstimatorConfig.VERSION, uint("rows", rows), uint("cols", cols),
            uint("rank", rank), uint("sub_batch", sub_batch), uint("seed", seed, 64), INITIALIZATION[initialization],
            MAGNITUDE[magnitude], int(bool(division_free)), uint("quantization_bits", quantization_bits), real("oja_rate", oja_rate),
            uint("stochastic_rounding", int(stochastic_rounding) if isinstance(stochastic_rounding, (bool, np.bool_)) else stochastic_rounding))
        handle = ctypes.c_void_p()
        _native.check(_native.lib().sbe_estimator_create(ctypes.byref(config), ctypes.byref(handle)))
        super().__init__(handle)
        self.rows, self.cols, self.rank = rows, cols, rank

    def observe(self, delta: np.ndarray, x: np.ndarray) -> None:
        """One sample: delta (rows,), x (cols,)."""
        pd = f32("delta", delta, (self.rows,))
        px = f32("x", x, (self.cols,))
        _native.check(_native.lib().sbe_estimator_observe(self._h, pd, self.rows, px, self.cols))

    def observe_batch(self, deltas: np.ndarray, xs: np.ndarray) -> None:
        """n samples: deltas (n, rows), xs (n, cols). Rejected as a whole (state unchanged) if any value is NaN/Inf."""
        n = _rows("deltas", deltas, self.rows)
        pd = f32("deltas", deltas, (n, self.rows))
        px = f32("xs", xs, (n, self.cols))
        _native.check(_native.lib().sbe_estimator_observe_batch(self._h, pd, n * self.rows, px, n * self.cols, n))

    def estimate(self, out: Optional[Tuple[np.ndarray, np.ndarray, np.ndarray]] = None
                 ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Closes the batch: s (rank,), d (rank, rows) unit rows, x (rank, cols) unit rows. The state is kept as warm start."""
        k = self.rank
        s, ps = output("out[0]", out[0] if out else None, (k,))
        d, pd = output("out[1]", out[1] if out else None, (k, self.rows))
        x, px = output("out[2]", out[2] if out else None, (k, self.cols))
        _native.check(_native.lib().sbe_estimator_estimate(self._h, ps, k, pd, k * self.rows, px, k * self.cols))
        return s, d, x

    def replay_magnitudes(self, deltas: np.ndarray, xs: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
        """Second pass for magnitude='rayleigh': s_c = d_c^T M x_c over the same batch (after estimate()); state unchanged."""
        n = _rows("deltas", deltas, self.rows)
        pd = f32("deltas", deltas, (n, self.rows))
        px = f32("xs", xs, (n, self.cols))
        s, ps = output("out", out, (self.rank,))
        _native.check(_native.lib().sbe_estimator_replay_magnitudes(self._h, pd, n * self.rows, px, n * self.cols, n, ps, self.rank))
        return s

    def get_state(self) -> bytes:
        """The evolving state as bytes (to checkpoint a run); set_state on an estimator with the same shape, options and
        seed continues bit-identically."""
        n = ctypes.c_size_t()
        _native.check(_native.lib().sbe_estimator_get_state(self._h, None, 0, ctypes.byref(n)))
        buf = ctypes.create_string_buffer(n.value)
        _native.check(_native.lib().sbe_estimator_get_state(self._h, buf, n.value, ctypes.byref(n)))
        return buf.raw[:n.value]

    def set_state(self, state: bytes) -> None:
        """Restores get_state's bytes; a state of another shape, options or seed raises SbeError and changes nothing."""
        if not isinstance(state, (bytes, bytearray)):
            raise TypeError(f"state must be bytes, got {type(state).__name__}")
        _native.check(_native.lib().sbe_estimator_set_state(self._h, bytes(state), len(state)))

    def reset(self) -> None:
        """Back to the initial state drawn from the seed."""
        _native.check(_native.lib().sbe_estimator_reset(self._h))

    def __repr__(self) -> str:
        return f"Estimator({self.rows}, {self.cols}, rank={self.rank}{', closed' if self.closed else ''})"
