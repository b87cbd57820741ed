"""Network: an MLP of crossbar tiles (softmax cross-entropy) trained by SGD, mini-batch, truncated SVD or SBE."""
from __future__ import annotations

import ctypes
from typing import Any, Dict, Optional, Sequence, Tuple

import numpy as np

from . import _native
from ._arrays import f32, output, path_bytes, real, text, uint
from ._errors import SbeError
from .methods import method_id, methods
from ._handle import NativeObject
from .rule_options import native_options, read_options
from .tile import PathLike, native_config, tile_config

ACTIVATIONS = {"relu": 0, "sigmoid": 1}


def __getattr__(name: str) -> Any:
    # METHODS (canonical name -> sbe_method value) comes from the library's rule registry, read on first use so that
    # importing sbecore does not load the library.
    if name == "METHODS":
        return methods()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _method(method: object) -> int:
    """The sbe_method value of a method name or alias (ValueError for anything else, listing the names)."""
    try:
        return method_id(method) if isinstance(method, str) else -1
    except SbeError:
        return -1


def _labels(labels: object, n: int) -> int:
    if not isinstance(labels, np.ndarray):
        raise TypeError(f"labels must be a numpy.ndarray of int32, got {type(labels).__name__}")
    if labels.dtype != np.int32:
        raise TypeError(f"labels must have dtype int32, got {labels.dtype} (convert explicitly: labels.astype(numpy.int32))")
    if not labels.flags.c_contiguous:
        raise ValueError("labels must be C-contiguous")
    if labels.shape != (n,):
        raise ValueError(f"labels has shape {labels.shape}, expected ({n},)")
    return labels.__array_interface__["data"][0]


class Network(NativeObject):
    """layer_sizes: input first, classes last, e.g. (784, 100, 10). Tiles carry an extra bias column. Not thread-safe.

    architecture: layers instead of the MLP, e.g. "lenet5" or "conv6k5p2-pool2-conv16k5-pool2-fc120-fc84" (docs/cnn.md);
    then layer_sizes gives only (features, classes), and images are channel-major rows (1 x s x s for s*s features).

    Rule options (None: the library's default): magnitude ('running_mean', 'right_norm', 'rayleigh', 'start_rayleigh'),
    initialization ('gaussian', 'first_sample'), division_free, oja_rate, quantization_bits, stochastic_rounding and
    warm_start (False: the estimator restarts every batch) for method 'sbe'; published_schedule for 'sbpca'. An option
    the method does not read, set to a non-default value, raises SbeError (SBE_E_INVALID_ARGUMENT), as the CLI refuses it.
    """

    _destroy_name = "sbe_network_destroy"

    def __init__(self, layer_sizes: Sequence[int] = (784, 100, 10), *, method: str = "sbe", rank: int = 1,
                 sub_batch: int = 1, activation: str = "relu", seed: int = 0, device: Any = "ideal",
                 pulse_type: str = "default", desired_bl: int = 0, io: str = "default",
                 architecture: Optional[str] = None, magnitude: Optional[str] = None, initialization: Optional[str] = None,
                 division_free: Optional[bool] = None, quantization_bits: Optional[int] = None, oja_rate: Optional[float] = None,
                 stochastic_rounding: Optional[bool] = None, warm_start: Optional[bool] = None,
                 published_schedule: Optional[bool] = None) -> None:
        method_value = _method(method)
        if method_value < 0:
            raise ValueError(f"method must be one of {sorted(methods())} (or an alias such as truncated_svd), got {method!r}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        options = native_options({"magnitude": magnitude, "initialization": initialization, "division_free": division_free,
                                  "quantization_bits": quantization_bits, "oja_rate": oja_rate,
                                  "stochastic_rounding": stochastic_rounding, "warm_start": warm_start,
                                  "published_schedule": published_schedule})
        sizes = (ctypes.c_uint32 * len(layer_sizes))(*(uint(f"layer_sizes[{i}]", v) for i, v in enumerate(layer_sizes)))
        config = _native.NetworkConfig(
            ctypes.sizeof(_native.NetworkConfig), _native.NetworkConfig.VERSION, sizes, len(layer_sizes),
            ACTIVATIONS[activation], method_value, uint("rank", rank), uint("sub_batch", sub_batch), 0, uint("seed", seed, 64),
            tile_config(0, 0, 0, device, pulse_type, desired_bl, io) if isinstance(device, str) else tile_config(0, 0, 0))
        handle = ctypes.c_void_p()
        if architecture is not None and not isinstance(architecture, str):
            raise TypeError(f"architecture must be a str, got {type(architecture).__name__}")
        arch = None if architecture is None else text("architecture", architecture)
        opts = None if options is None else ctypes.byref(options)
        if isinstance(device, str):
            _native.check(_native.lib().sbe_network_create_ex(ctypes.byref(config), opts, None, arch, ctypes.byref(handle)))
        else:  # a device dataclass or SingleRPUConfig (sbecore.devices) for every layer
            with native_config(device, pulse_type, desired_bl, io) as native:
                _native.check(_native.lib().sbe_network_create_ex(ctypes.byref(config), opts, native._h, arch, ctypes.byref(handle)))
        super().__init__(handle)
        self.architecture = architecture
        self.layer_sizes = tuple(layer_sizes)
        self.inputs, self.classes = layer_sizes[0], layer_sizes[-1]

    def _images(self, images: object) -> tuple:
        if not isinstance(images, np.ndarray):
            raise TypeError(f"images must be a numpy.ndarray of float32, got {type(images).__name__}")
        if images.ndim != 2:
            raise ValueError(f"images must be 2-D (n, {self.inputs}), got shape {images.shape}")
        n = images.shape[0]
        return n, f32("images", images, (n, self.inputs))

    def train_epoch(self, images: np.ndarray, labels: np.ndarray, batch_size: int, learning_rate: float,
                    shuffle_seed: int = 0) -> Dict[str, float]:
        """One shuffled epoch; returns samples, batches, rank_one_writes (cumulative), mean_training_loss, seconds."""
        n, pi = self._images(images)
        pl = _labels(labels, n)
        m = _native.EpochMetrics(ctypes.sizeof(_native.EpochMetrics), _native.EpochMetrics.VERSION)
        _native.check(_native.lib().sbe_network_train_epoch(self._h, pi, n * self.inputs, pl, n, uint("batch_size", batch_size, 63),
                                                            real("learning_rate", learning_rate), uint("shuffle_seed", shuffle_seed, 64),
                                                            ctypes.byref(m)))
        return {name: getattr(m, name) for name, _ in _native.EpochMetrics._fields_[2:]}

    def train_batch(self, images: np.ndarray, labels: np.ndarray, learning_rate: float) -> float:
        """One weight update on all samples in order; returns the mean loss before it."""
        n, pi = self._images(images)
        pl = _labels(labels, n)
        loss = ctypes.c_double()
        _native.check(_native.lib().sbe_network_train_batch(self._h, pi, n * self.inputs, pl, n, real("learning_rate", learning_rate),
                                                            ctypes.byref(loss)))
        return loss.value

    def evaluate(self, images: np.ndarray, labels: np.ndarray) -> Dict[str, float]:
        """Mean cross-entropy ('loss') and 'accuracy'; the weights are not changed."""
        n, pi = self._images(images)
        pl = _labels(labels, n)
        e = _native.Evaluation(ctypes.sizeof(_native.Evaluation), _native.Evaluation.VERSION)
        _native.check(_native.lib().sbe_network_evaluate(self._h, pi, n * self.inputs, pl, n, ctypes.byref(e)))
        return {"samples": e.samples, "loss": e.loss, "accuracy": e.accuracy}

    def predict(self, images: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
        """Class probabilities (n, classes)."""
        n, pi = self._images(images)
        p, pp = output("out", out, (n, self.classes))
        _native.check(_native.lib().sbe_network_predict(self._h, pi, n * self.inputs, n, pp, n * self.classes))
        return p

    def weights(self, layer: int) -> np.ndarray:
        """A copy of one layer's weights (outputs, inputs + 1); the last column is the bias."""
        if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)):
            raise TypeError(f"layer must be an int, got {type(layer).__name__}")
        shape = self.layer_shape(layer)
        w, pw = output("out", None, shape)
        _native.check(_native.lib().sbe_network_get_weights(self._h, layer, pw, w.size))
        return w

    def layer_config(self, layer: int) -> "SingleRPUConfig":
        """The tile config of one layer as dataclasses (sbecore.devices), read back from the library."""
        from ._config import NativeConfig
        from .devices import SingleRPUConfig
        handle = ctypes.c_void_p()
        _native.check(_native.lib().sbe_network_get_layer_config(self._h, uint("layer", layer), ctypes.byref(handle)))
        with NativeConfig._adopt(handle) as native:
            return SingleRPUConfig.from_json(native.json())

    @property
    def layer_count(self) -> int:
        """Weight layers (tiles)."""
        inputs, classes, layers = _native.S(), _native.S(), _native.S()
        _native.check(_native.lib().sbe_network_shape(self._h, ctypes.byref(inputs), ctypes.byref(classes), ctypes.byref(layers)))
        return layers.value

    def layer_shape(self, layer: int) -> Tuple[int, int]:
        """(rows, cols) of one layer's tile: outputs or output channels, inputs (in_channels x k x k for a conv) + 1 bias."""
        if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)):
            raise TypeError(f"layer must be an int, got {type(layer).__name__}")
        count = self.layer_count
        if not 0 <= layer < count:
            raise ValueError(f"layer must be in 0..{count - 1}, got {layer}")
        rows, cols = _native.S(), _native.S()
        _native.check(_native.lib().sbe_network_layer_shape(self._h, layer, ctypes.byref(rows), ctypes.byref(cols)))
        return rows.value, cols.value

    def save(self, path: PathLike) -> None:
        """Writes the whole network (every tile with its device state and random streams, every rule's state, the
        completed epochs) to a file, atomically; Network.load continues it bit-identically."""
        _native.check(_native.lib().sbe_network_save(self._h, path_bytes("path", path)))

    @classmethod
    def load(cls, path: PathLike) -> "Network":
        """A network from a file written by save() (its architecture, rule, device and state come from the file)."""
        handle = ctypes.c_void_p()
        _native.check(_native.lib().sbe_network_load(path_bytes("path", path), ctypes.byref(handle)))
        net = cls.__new__(cls)
        NativeObject.__init__(net, handle)
        inputs, classes, layers = _native.S(), _native.S(), _native.S()
        _native.check(_native.lib().sbe_network_shape(net._h, ctypes.byref(inputs), ctypes.byref(classes), ctypes.byref(layers)))
        net.architecture = None
        net.layer_sizes = (inputs.value, classes.value)
        net.inputs, net.classes = inputs.value, classes.value
        return net

    @property
    def rule_options(self) -> Dict[str, Any]:
        """The update rule's options the network was built with (the keyword arguments magnitude, initialization,
        division_free, quantization_bits, oja_rate, stochastic_rounding, warm_start, published_schedule; the library's
        defaults where none were given). A checkpoint keeps them: Network.load(path).rule_options is the same."""
        return read_options(_native.lib().sbe_network_get_rule_options, self._h)

    @property
    def threads(self) -> int:
        """Threads every tile's reads, gradients and pulsed writes may split over (1 to 64, default 1); the same results for every value."""
        value = ctypes.c_uint32()
        _native.check(_native.lib().sbe_network_get_threads(self._h, ctypes.byref(value)))
        return value.value

    @threads.setter
    def threads(self, value: int) -> None:
        _native.check(_native.lib().sbe_network_set_threads(self._h, uint("threads", value, 32)))

    @property
    def completed_epochs(self) -> int:
        """Epochs trained by train_epoch (kept by checkpoints): continue the shuffle seeds from here after load()."""
        epochs = ctypes.c_uint64()
        _native.check(_native.lib().sbe_network_completed_epochs(self._h, ctypes.byref(epochs)))
        return epochs.value

    def __repr__(self) -> str:
        return f"Network({self.architecture or self.layer_sizes}{', closed' if self.closed else ''})"
