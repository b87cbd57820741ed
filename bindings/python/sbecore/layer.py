"""Layer: one dense or conv2d tile layer with its update rule, driven call by call (forward, backward, update), as an
autograd function drives it. Batches are float32 rows; row-strided views pass without a copy (see _arrays.f32_rows)."""
from __future__ import annotations

import ctypes
from typing import Any, Dict, Optional, Tuple

import numpy as np

from . import _native
from ._arrays import f32, f32_rows, real, uint
from ._handle import NativeObject
from .network import _method
from .methods import methods
from .rule_options import native_options, read_options
from .tile import native_config, tile_config

KINDS = {"dense": 0, "conv2d": 1}


class Layer(NativeObject):
    """A tile of rows x cols (rows = outputs or output channels, cols = inputs (in_channels x k x k) + 1 bias column)
    and its rule, built as layer 0 of a Network with the same method, rank, rule options, device and seed (the same tile,
    He-normal weights and rule seed). Use Layer.dense or Layer.conv2d.

    forward(x) reads (n, inputs) rows through the tile and arms one backward; backward(dy) returns dx and hands the
    (delta, input) pairs to the rule (sbe streams them into its estimator and keeps nothing of the batch; the other rules
    keep them until the update); update(lr) writes W -= lr * sum of delta x^T over the pending pairs, as the rule writes
    it, then the tile's post-update step. Not thread-safe (a second thread gets SbeError SBE_E_BUSY)."""

    _destroy_name = "sbe_layer_destroy"

    def __init__(self, kind: str, inputs: int, outputs: int, *, height: int = 0, width: int = 0, kernel: int = 0,
                 stride: int = 0, padding: int = 0, method: str = "sbe", rank: int = 1, sub_batch: int = 1, seed: int = 0,
                 device: Any = "ideal", pulse_type: str = "default", desired_bl: int = 0, io: str = "default",
                 **rule_options: Any) -> None:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}, got {kind!r}")
        method_value = _method(method)
        if method_value < 0:
            raise ValueError(f"method must be one of {sorted(methods())}, got {method!r}")
        options = native_options(rule_options)
        config = _native.LayerConfig(
            ctypes.sizeof(_native.LayerConfig), _native.LayerConfig.VERSION, KINDS[kind], uint("inputs", inputs), uint("outputs", outputs),
            uint("height", height), uint("width", width), uint("kernel", kernel), uint("stride", stride), uint("padding", padding),
            method_value, uint("rank", rank), uint("sub_batch", sub_batch), 0, uint("seed", seed, 64),
            tile_config(0, 0, 0, device, pulse_type, desired_bl, io) if isinstance(device, str) else tile_config(0, 0, 0))
        opts = None if options is None else ctypes.byref(options)
        handle = ctypes.c_void_p()
        if isinstance(device, str):
            _native.check(_native.lib().sbe_layer_create(ctypes.byref(config), opts, None, ctypes.byref(handle)))
        else:  # a device dataclass or SingleRPUConfig (sbecore.devices)
            with native_config(device, pulse_type, desired_bl, io) as native:
                _native.check(_native.lib().sbe_layer_create(ctypes.byref(config), opts, native._h, ctypes.byref(handle)))
        super().__init__(handle)
        sizes = [_native.S() for _ in range(4)]
        _native.check(_native.lib().sbe_layer_shape(self._h, *(ctypes.byref(v) for v in sizes)))
        self.kind = kind
        self.inputs, self.outputs, self.rows, self.cols = (v.value for v in sizes)

    @classmethod
    def dense(cls, inputs: int, outputs: int, **kwargs: Any) -> "Layer":
        """A fully connected layer: (n, inputs) -> (n, outputs)."""
        return cls("dense", inputs, outputs, **kwargs)

    @classmethod
    def conv2d(cls, in_channels: int, out_channels: int, kernel: int, input_size: Tuple[int, int], *, stride: int = 1,
               padding: int = 0, **kwargs: Any) -> "Layer":
        """A 2-D convolution (square kernel) of (n, in_channels, H, W) samples, passed as (n, in_channels * H * W) rows
        (or 4-D arrays): outputs (n, out_channels * OH * OW), channel-major."""
        height, width = input_size
        return cls("conv2d", in_channels, out_channels, height=height, width=width, kernel=kernel, stride=stride,
                   padding=padding, **kwargs)

    def _rows(self, name: str, a: object, width: int, n: Optional[int] = None):
        if isinstance(a, np.ndarray) and a.ndim > 2:
            a = a.reshape(a.shape[0], -1)  # a view when it can be one
        return f32_rows(name, a, width, n=n)

    def _out(self, name: str, out: Optional[np.ndarray], n: int, width: int):
        if out is None:
            out = np.empty((n, width), dtype=np.float32)
        return f32_rows(name, out, width, writable=True, n=n)

    def forward(self, x: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
        """(n, outputs) = the tile's read of x (n, inputs); arms one backward of the same n."""
        x_rows, px, n, xld = self._rows("x", x, self.inputs)
        y, py, _, yld = self._out("out", out, n, self.outputs)
        _native.check(_native.lib().sbe_layer_forward(self._h, px, (n - 1) * xld + self.inputs, xld, n,
                                                      py, (n - 1) * yld + self.outputs, yld))
        return out if out is not None else y

    def backward(self, dy: np.ndarray, out: Optional[np.ndarray] = None, input_grad: bool = True) -> Optional[np.ndarray]:
        """dx (n, inputs) from dy (n, outputs), the loss gradient at the last forward's outputs; the pairs go to the rule.
        input_grad=False skips dx (a first layer) and returns None."""
        dy_rows, pd, n, dld = self._rows("dy", dy, self.outputs)
        if not input_grad:
            _native.check(_native.lib().sbe_layer_backward(self._h, pd, (n - 1) * dld + self.outputs, dld, n, None, 0, 0))
            return None
        dx, px, _, xld = self._out("out", out, n, self.inputs)
        _native.check(_native.lib().sbe_layer_backward(self._h, pd, (n - 1) * dld + self.outputs, dld, n,
                                                       px, (n - 1) * xld + self.inputs, xld))
        return out if out is not None else dx

    def update(self, learning_rate: float) -> None:
        """W -= learning_rate * sum over the pending pairs of delta x^T, as the rule writes it; then the post-update step."""
        _native.check(_native.lib().sbe_layer_update(self._h, real("learning_rate", learning_rate)))

    def get_weights(self) -> np.ndarray:
        """A copy of the tile's weights, (rows, cols); the last column is the bias."""
        w = np.empty((self.rows, self.cols), dtype=np.float32)
        _native.check(_native.lib().sbe_layer_get_weights(self._h, w.__array_interface__["data"][0], w.size))
        return w

    def set_weights(self, weights: np.ndarray) -> None:
        """Programs the tile (rows, cols) (not counted as training writes)."""
        p = f32("weights", weights, (self.rows, self.cols))
        _native.check(_native.lib().sbe_layer_set_weights(self._h, p, self.rows * self.cols))

    @property
    def counters(self) -> Dict[str, int]:
        """rank_one_writes, total_pulses, clipped_pulses, max_pulses_per_device (the tile's), pending_pairs and
        peripheral_memory_bytes (the rule's state plus the pairs it keeps until the update)."""
        c = _native.LayerCounters(ctypes.sizeof(_native.LayerCounters), _native.LayerCounters.VERSION)
        _native.check(_native.lib().sbe_layer_get_counters(self._h, ctypes.byref(c)))
        return {name: getattr(c, name) for name, _ in _native.LayerCounters._fields_[2:]}

    @property
    def rule_options(self) -> Dict[str, Any]:
        """The rule options the layer was built with (see Network)."""
        return read_options(_native.lib().sbe_layer_get_rule_options, self._h)

    def __repr__(self) -> str:
        return f"Layer({self.kind}, {self.inputs} -> {self.outputs}, tile {self.rows} x {self.cols}{', closed' if self.closed else ''})"
