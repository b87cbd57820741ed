"""Tile: one crossbar array (weights row-major: row = output, column = input). Not thread-safe."""
from __future__ import annotations

import ctypes
import os
from typing import Any, Dict, Optional, Tuple, Union

import numpy as np

from . import _native
from ._arrays import batch_shape, f32, output, path_bytes, real, text, uint
from ._handle import NativeObject
from .devices import SingleRPUConfig, as_config

PathLike = Union[str, "os.PathLike[str]"]


PULSE_TYPES = {"default": 0, "none": 1, "stochastic_compressed": 2, "deterministic_implicit": 3}
IO_MODES = {"default": 0, "perfect": 1, "preset": 2}


def _choice(name: str, value: str, table: Dict[str, int]) -> int:
    if value not in table:
        raise ValueError(f"{name} must be one of {sorted(table)}, got {value!r}")
    return table[value]


def tile_config(rows: int, cols: int, seed: int = 0, device: str = "ideal", pulse_type: str = "default",
                desired_bl: int = 0, io: str = "default") -> "_native.TileConfig":
    """The native config struct (also used, with rows = cols = 0, inside a network config).

    device is a preset name resolved by the library (sbe_tile_config_preset: the same lookup as the .NET API and the
    sbe CLI; case, '-' and '_' are ignored), one of sbecore.presets.names() ("Ideal", "EcRam", "ReRamSB", ...).
    An unknown name raises SbeError (SBE_E_INVALID_ARGUMENT) whose message lists the accepted names."""
    if not isinstance(device, str):
        raise TypeError(f"device must be a preset name (str), got {type(device).__name__}")
    name = text("device", device)
    pulse, io_mode = _choice("pulse_type", pulse_type, PULSE_TYPES), _choice("io", io, IO_MODES)
    config = _native.TileConfig(ctypes.sizeof(_native.TileConfig), _native.TileConfig.VERSION, uint("rows", rows),
                                uint("cols", cols), uint("seed", seed, 64))
    _native.check(_native.lib().sbe_tile_config_preset(name, ctypes.byref(config)))
    config.pulse_type, config.desired_bl, config.io = pulse, uint("desired_bl", desired_bl), io_mode
    return config


def native_config(device: Any, pulse_type: str = "default", desired_bl: int = 0, io: str = "default"):
    """A native config handle for a device dataclass or SingleRPUConfig (close it after use)."""
    from ._config import NativeConfig
    if (pulse_type, desired_bl, io) != ("default", 0, "default"):
        raise TypeError("pulse_type, desired_bl and io go with a preset name; with a config object set update.pulse_type, "
                        "update.desired_bl, forward and backward in it")
    return NativeConfig.from_json(as_config(device).to_json())


class Tile(NativeObject):
    """A rows x cols crossbar tile behind an opaque native handle.

    device: an aihwkit preset name resolved by the library ('ideal' = exact updates and reads; 'GokmenVlasov',
    'gokmen-vlasov' and 'gokmen_vlasov' are the same; see tile_config); pulse_type, desired_bl and io override the
    preset's update and I/O settings. Or a device dataclass / SingleRPUConfig of sbecore.devices (aihwkit's names,
    every parameter; e.g. ConstantStepDevice(dw_min=0.002)): the library validates it, naming any bad parameter."""

    _destroy_name = "sbe_tile_destroy"

    def __init__(self, rows: int, cols: int, seed: int = 0, *, device: Any = "ideal", pulse_type: str = "default",
                 desired_bl: int = 0, io: str = "default") -> None:
        handle = ctypes.c_void_p()
        if isinstance(device, str):
            config = tile_config(rows, cols, seed, device, pulse_type, desired_bl, io)
            _native.check(_native.lib().sbe_tile_create(ctypes.byref(config), ctypes.byref(handle)))
        else:  # a device dataclass or SingleRPUConfig (sbecore.devices): every parameter by name
            native = native_config(device, pulse_type, desired_bl, io)
            with native:
                _native.check(_native.lib().sbe_tile_create_with_config(native._h, uint("rows", rows), uint("cols", cols),
                                                                        uint("seed", seed, 64), ctypes.byref(handle)))
        super().__init__(handle)
        self.rows, self.cols = rows, cols

    @property
    def config(self) -> "SingleRPUConfig":
        """The tile's whole config as dataclasses (sbecore.devices), read back from the library."""
        from ._config import NativeConfig
        handle = ctypes.c_void_p()
        _native.check(_native.lib().sbe_tile_get_config(self._h, ctypes.byref(handle)))
        with NativeConfig._adopt(handle) as native:
            return SingleRPUConfig.from_json(native.json())

    @classmethod
    def load(cls, path: PathLike) -> "Tile":
        """A tile from a file written by save()."""
        handle = ctypes.c_void_p()
        _native.check(_native.lib().sbe_tile_load(path_bytes("path", path), ctypes.byref(handle)))
        tile = cls.__new__(cls)
        NativeObject.__init__(tile, handle)
        rows, cols = ctypes.c_size_t(), ctypes.c_size_t()
        _native.check(_native.lib().sbe_tile_shape(tile._h, ctypes.byref(rows), ctypes.byref(cols)))
        tile.rows, tile.cols = rows.value, cols.value
        return tile

    def save(self, path: PathLike) -> None:
        """Writes the tile's state to a file."""
        _native.check(_native.lib().sbe_tile_save(self._h, path_bytes("path", path)))

    def read(self, x: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
        """Forward read: x (cols,) -> (rows,), or x (n, cols) -> (n, rows) = x W^T."""
        shape, n = batch_shape("x", x, self.cols)
        px = f32("x", x, shape)
        y, py = output("out", out, (self.rows,) if len(shape) == 1 else (n, self.rows))
        _native.check(_native.lib().sbe_tile_read(self._h, px, n * self.cols, n, py, n * self.rows))
        return y

    def read_t(self, d: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
        """Backward read: d (rows,) -> (cols,), or d (n, rows) -> (n, cols) = d W."""
        shape, n = batch_shape("d", d, self.rows)
        pd = f32("d", d, shape)
        z, pz = output("out", out, (self.cols,) if len(shape) == 1 else (n, self.cols))
        _native.check(_native.lib().sbe_tile_read_t(self._h, pd, n * self.rows, n, pz, n * self.cols))
        return z

    def read_columns(self, x: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
        """Forward read of per-sample column blocks: x (n, cols, P) -> (n, rows, P), column p of sample j read as one
        input vector (a convolution's unfolded input, F.unfold's layout, to its channel-major output)."""
        n, p = _blocks("x", x, self.cols)
        px = f32("x", x, (n, self.cols, p))
        y, py = output("out", out, (n, self.rows, p))
        _native.check(_native.lib().sbe_tile_read_columns(self._h, px, n * self.cols * p, n, p, py, n * self.rows * p))
        return y

    def read_t_columns(self, d: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
        """Backward read of per-sample column blocks: d (n, rows, P) -> (n, cols, P)."""
        n, p = _blocks("d", d, self.rows)
        pd = f32("d", d, (n, self.rows, p))
        z, pz = output("out", out, (n, self.cols, p))
        _native.check(_native.lib().sbe_tile_read_t_columns(self._h, pd, n * self.rows * p, n, p, pz, n * self.cols * p))
        return z

    def write(self, learning_rate: float, d: np.ndarray, x: np.ndarray) -> None:
        """One rank-1 write: W -= learning_rate * d x^T (d: (rows,), x: (cols,))."""
        pd = f32("d", d, (self.rows,))
        px = f32("x", x, (self.cols,))
        _native.check(_native.lib().sbe_tile_write(self._h, real("learning_rate", learning_rate), pd, self.rows, px, self.cols))

    @property
    def threads(self) -> int:
        """Threads the reads, gradients and pulsed writes may split over (1 to 64, default 1); the same results for every value."""
        value = ctypes.c_uint32()
        _native.check(_native.lib().sbe_tile_get_threads(self._h, ctypes.byref(value)))
        return value.value

    @threads.setter
    def threads(self, value: int) -> None:
        _native.check(_native.lib().sbe_tile_set_threads(self._h, uint("threads", value, 32)))

    def post_update_step(self) -> None:
        """Once per optimizer step, after its writes (aihwkit's post_update_step): a unit cell's refresh, diffusion, decay."""
        _native.check(_native.lib().sbe_tile_post_update_step(self._h))

    def write_rank_k(self, learning_rate: float, s: np.ndarray, d: np.ndarray, x: np.ndarray) -> None:
        """k rank-1 writes: W -= learning_rate * sum_c s[c] d[c] x[c]^T (s: (k,), d: (k, rows), x: (k, cols))."""
        if not isinstance(s, np.ndarray):
            raise TypeError(f"s must be a numpy.ndarray of float32, got {type(s).__name__}")
        if s.ndim != 1:
            raise ValueError(f"s must be 1-D (k,), got shape {s.shape}")
        k = s.shape[0]
        ps = f32("s", s, (k,))
        pd = f32("d", d, (k, self.rows))
        px = f32("x", x, (k, self.cols))
        _native.check(_native.lib().sbe_tile_write_rank_k(self._h, real("learning_rate", learning_rate), ps, k, pd, k * self.rows, px, k * self.cols))

    def write_dense(self, learning_rate: float, g: np.ndarray, rank_one_equivalent: int = 1) -> None:
        """W -= learning_rate * g (g: (rows, cols)) element-wise, as a mini-batch buffer applies it; counts
        rank_one_equivalent rank-1 writes."""
        pg = f32("g", g, (self.rows, self.cols))
        _native.check(_native.lib().sbe_tile_write_dense(self._h, real("learning_rate", learning_rate), pg, self.rows * self.cols,
                                                         uint("rank_one_equivalent", rank_one_equivalent, 64)))

    def get_weights(self, out: Optional[np.ndarray] = None) -> np.ndarray:
        """A copy of the weights (rows, cols)."""
        w, pw = output("out", out, (self.rows, self.cols))
        _native.check(_native.lib().sbe_tile_get_weights(self._h, pw, self.rows * self.cols))
        return w

    def set_weights(self, weights: np.ndarray) -> None:
        """Programs the weights (rows, cols); not counted as training writes."""
        pw = f32("weights", weights, (self.rows, self.cols))
        _native.check(_native.lib().sbe_tile_set_weights(self._h, pw, self.rows * self.cols))

    @property
    def weights(self) -> np.ndarray:
        """A copy of the weights (rows, cols)."""
        return self.get_weights()

    @property
    def counters(self) -> Dict[str, int]:
        """Endurance counters: rank_one_writes, total_pulses, clipped_pulses, max_pulses_per_device."""
        c = _native.TileCounters(ctypes.sizeof(_native.TileCounters), _native.TileCounters.VERSION)
        _native.check(_native.lib().sbe_tile_get_counters(self._h, ctypes.byref(c)))
        return {name: getattr(c, name) for name, _ in _native.TileCounters._fields_[2:]}

    def pulses(self) -> np.ndarray:
        """Pulses per device so far, (rows, cols) int64."""
        out = np.empty((self.rows, self.cols), dtype=np.int64)
        _native.check(_native.lib().sbe_tile_get_pulses(self._h, out.__array_interface__["data"][0], out.size))
        return out

    def __repr__(self) -> str:
        return f"Tile({self.rows}, {self.cols}{', closed' if self.closed else ''})"


def _blocks(name: str, a: object, width: int) -> Tuple[int, int]:
    """n and P of an (n, width, P) array of column blocks (the array itself is checked by f32)."""
    if not isinstance(a, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray of float32, got {type(a).__name__}")
    if a.ndim != 3 or a.shape[1] != width or a.shape[2] < 1:
        raise ValueError(f"{name} must be 3-D (n, {width}, positions) with positions >= 1, got shape {a.shape}")
    return a.shape[0], a.shape[2]
