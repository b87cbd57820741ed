"""ctypes declarations of sbecore.h, loaded lazily (importing sbecore does not load the library)."""
from __future__ import annotations

import ctypes
from ctypes import POINTER, c_char_p, c_float, c_int, c_int32, c_int64, c_size_t, c_uint32, c_uint64, c_void_p
from pathlib import Path
from typing import Optional

from ._errors import SbeError
from ._loader import find_library

ABI_MAJOR = 1  # the major version of sbecore.h this binding was written against
ABI_MINOR = 9  # the oldest minor it works with (1.3: sbe_config_* device configs as data; sbe_network_create_layers, sbe_network_layer_shape; 1.4: sbe_version; 1.5: sbe_method_*, sbe_device_names; 1.6: sbe_network_save/load/completed_epochs; 1.7: sbe_layer_*, sbe_rule_options_t, sbe_network_create_ex; 1.8: sbe_tile/network_set/get_threads; 1.9: sbe_tile_read_columns, sbe_tile_read_t_columns)

P = c_void_p   # float* and handles
S = c_size_t


class TileConfig(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("version", c_uint32), ("rows", c_uint32), ("cols", c_uint32), ("seed", c_uint64),
                ("device", c_uint32), ("pulse_type", c_uint32), ("desired_bl", c_uint32), ("io", c_uint32)]
    VERSION = 1


class TileCounters(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("version", c_uint32), ("rank_one_writes", c_int64), ("total_pulses", c_int64),
                ("clipped_pulses", c_int64), ("max_pulses_per_device", c_int64)]
    VERSION = 1


class NetworkConfig(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("version", c_uint32), ("layer_sizes", POINTER(c_uint32)), ("layer_count", c_uint32),
                ("activation", c_uint32), ("method", c_uint32), ("rank", c_uint32), ("sub_batch", c_uint32),
                ("reserved", c_uint32), ("seed", c_uint64), ("tile", TileConfig)]
    VERSION = 1


class EpochMetrics(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("version", c_uint32), ("samples", c_int64), ("batches", c_int64),
                ("rank_one_writes", c_int64), ("mean_training_loss", ctypes.c_double), ("seconds", ctypes.c_double)]
    VERSION = 1


class Evaluation(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("version", c_uint32), ("samples", c_int64), ("loss", ctypes.c_double),
                ("accuracy", ctypes.c_double)]
    VERSION = 1


class EstimatorConfig(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("version", c_uint32), ("rows", c_uint32), ("cols", c_uint32),
                ("rank", c_uint32), ("sub_batch", c_uint32), ("seed", c_uint64), ("initialization", c_uint32),
                ("magnitude", c_uint32), ("division_free", c_uint32), ("quantization_bits", c_uint32),
                ("oja_rate", c_float), ("stochastic_rounding", c_uint32)]
    VERSION = 1


class RuleOptions(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("version", c_uint32), ("initialization", c_uint32), ("magnitude", c_uint32),
                ("division_free", c_uint32), ("quantization_bits", c_uint32), ("oja_rate", c_float),
                ("stochastic_rounding", c_uint32), ("cold_start", c_uint32), ("published_schedule", c_uint32)]
    VERSION = 1


class LayerConfig(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("version", c_uint32), ("kind", c_uint32), ("inputs", c_uint32), ("outputs", c_uint32),
                ("height", c_uint32), ("width", c_uint32), ("kernel", c_uint32), ("stride", c_uint32), ("padding", c_uint32),
                ("method", c_uint32), ("rank", c_uint32), ("sub_batch", c_uint32), ("reserved", c_uint32), ("seed", c_uint64),
                ("tile", TileConfig)]
    VERSION = 1


class LayerCounters(ctypes.Structure):
    _fields_ = [("struct_size", c_uint32), ("version", c_uint32), ("rank_one_writes", c_int64), ("total_pulses", c_int64),
                ("clipped_pulses", c_int64), ("max_pulses_per_device", c_int64), ("pending_pairs", c_int64),
                ("peripheral_memory_bytes", c_int64)]
    VERSION = 1


_PROTOTYPES = {
    "sbe_abi_version": (c_int32, []),
    "sbe_isa": (c_uint32, []),
    "sbe_version": (c_char_p, []),
    "sbe_last_error": (c_size_t, [c_char_p, S]),
    "sbe_clear_error": (None, []),
    "sbe_live_handles": (c_int, [POINTER(S), POINTER(S), POINTER(S)]),
    "sbe_gemv": (c_int, [P, S, S, S, S, P, S, P, S]),
    "sbe_gemv_t": (c_int, [P, S, S, S, S, P, S, P, S]),
    "sbe_ger": (c_int, [c_float, P, S, P, S, P, S, S, S, S]),
    "sbe_batch_read": (c_int, [P, S, S, S, S, P, S, S, P, S]),
    "sbe_batch_read_t": (c_int, [P, S, S, S, S, P, S, S, P, S]),
    "sbe_tile_create": (c_int, [POINTER(TileConfig), POINTER(c_void_p)]),
    "sbe_tile_config_preset": (c_int, [c_char_p, POINTER(TileConfig)]),
    "sbe_tile_destroy": (c_int, [P]),
    "sbe_tile_shape": (c_int, [P, POINTER(S), POINTER(S)]),
    "sbe_tile_read": (c_int, [P, P, S, S, P, S]),
    "sbe_tile_read_t": (c_int, [P, P, S, S, P, S]),
    "sbe_tile_read_columns": (c_int, [P, P, S, S, S, P, S]),
    "sbe_tile_read_t_columns": (c_int, [P, P, S, S, S, P, S]),
    "sbe_tile_write": (c_int, [P, c_float, P, S, P, S]),
    "sbe_tile_post_update_step": (c_int, [P]),
    "sbe_tile_set_threads": (c_int, [P, c_uint32]),
    "sbe_tile_get_threads": (c_int, [P, P]),
    "sbe_network_set_threads": (c_int, [P, c_uint32]),
    "sbe_network_get_threads": (c_int, [P, P]),
    "sbe_tile_write_rank_k": (c_int, [P, c_float, P, S, P, S, P, S]),
    "sbe_tile_get_weights": (c_int, [P, P, S]),
    "sbe_tile_set_weights": (c_int, [P, P, S]),
    "sbe_tile_get_counters": (c_int, [P, POINTER(TileCounters)]),
    "sbe_tile_get_pulses": (c_int, [P, P, S]),
    "sbe_tile_save": (c_int, [P, c_char_p]),
    "sbe_tile_load": (c_int, [c_char_p, POINTER(c_void_p)]),
    "sbe_estimator_create": (c_int, [POINTER(EstimatorConfig), POINTER(c_void_p)]),
    "sbe_estimator_destroy": (c_int, [P]),
    "sbe_estimator_shape": (c_int, [P, POINTER(S), POINTER(S), POINTER(S)]),
    "sbe_estimator_observe": (c_int, [P, P, S, P, S]),
    "sbe_estimator_observe_batch": (c_int, [P, P, S, P, S, S]),
    "sbe_estimator_estimate": (c_int, [P, P, S, P, S, P, S]),
    "sbe_estimator_reset": (c_int, [P]),
    "sbe_estimator_replay_magnitudes": (c_int, [P, P, S, P, S, S, P, S]),
    "sbe_batch_svd": (c_int, [P, S, P, S, S, S, S, P, S, P, S, P, S]),
    "sbe_diag_allocated_bytes": (c_uint64, []),
    "sbe_network_create": (c_int, [POINTER(NetworkConfig), POINTER(c_void_p)]),
    "sbe_network_destroy": (c_int, [P]),
    "sbe_network_shape": (c_int, [P, POINTER(S), POINTER(S), POINTER(S)]),
    "sbe_network_train_epoch": (c_int, [P, P, S, P, S, S, c_float, c_uint64, POINTER(EpochMetrics)]),
    "sbe_network_train_batch": (c_int, [P, P, S, P, S, c_float, POINTER(ctypes.c_double)]),
    "sbe_network_evaluate": (c_int, [P, P, S, P, S, POINTER(Evaluation)]),
    "sbe_network_predict": (c_int, [P, P, S, S, P, S]),
    "sbe_network_get_weights": (c_int, [P, S, P, S]),
    "sbe_config_create": (c_int, [c_char_p, POINTER(c_void_p)]),
    "sbe_config_from_json": (c_int, [c_char_p, POINTER(c_void_p)]),
    "sbe_config_destroy": (c_int, [P]),
    "sbe_config_set": (c_int, [P, c_char_p, c_char_p]),
    "sbe_config_get": (c_int, [P, c_char_p, c_char_p, S, POINTER(S)]),
    "sbe_config_json": (c_int, [P, c_char_p, S, POINTER(S)]),
    "sbe_config_names": (c_int, [P, c_char_p, S, POINTER(S)]),
    "sbe_config_schema": (c_int, [c_char_p, S, POINTER(S)]),
    "sbe_tile_create_with_config": (c_int, [P, S, S, c_uint64, POINTER(c_void_p)]),
    "sbe_tile_get_config": (c_int, [P, POINTER(c_void_p)]),
    "sbe_network_create_with_config": (c_int, [POINTER(NetworkConfig), P, POINTER(c_void_p)]),
    "sbe_network_get_layer_config": (c_int, [P, S, POINTER(c_void_p)]),
    "sbe_tile_write_dense": (c_int, [P, c_float, P, S, c_uint64]),
    "sbe_estimator_get_state": (c_int, [P, c_char_p, S, POINTER(S)]),
    "sbe_estimator_set_state": (c_int, [P, c_char_p, S]),
    "sbe_network_create_layers": (c_int, [POINTER(NetworkConfig), c_char_p, POINTER(c_void_p)]),
    "sbe_network_layer_shape": (c_int, [P, S, POINTER(S), POINTER(S)]),
    "sbe_method_names": (c_int, [c_char_p, S, POINTER(S)]),
    "sbe_device_names": (c_int, [c_char_p, S, POINTER(S)]),
    "sbe_method_by_name": (c_int, [c_char_p, POINTER(c_uint32)]),
    "sbe_method_label": (c_int, [c_uint32, c_uint32, c_char_p, S, POINTER(S)]),
    "sbe_network_save": (c_int, [P, c_char_p]),
    "sbe_network_load": (c_int, [c_char_p, POINTER(c_void_p)]),
    "sbe_network_completed_epochs": (c_int, [P, POINTER(c_uint64)]),
    "sbe_network_create_ex": (c_int, [POINTER(NetworkConfig), P, P, c_char_p, POINTER(c_void_p)]),
    "sbe_network_get_rule_options": (c_int, [P, POINTER(RuleOptions)]),
    "sbe_layer_create": (c_int, [POINTER(LayerConfig), P, P, POINTER(c_void_p)]),
    "sbe_layer_destroy": (c_int, [P]),
    "sbe_layer_shape": (c_int, [P, POINTER(S), POINTER(S), POINTER(S), POINTER(S)]),
    "sbe_layer_forward": (c_int, [P, P, S, S, S, P, S, S]),
    "sbe_layer_backward": (c_int, [P, P, S, S, S, P, S, S]),
    "sbe_layer_update": (c_int, [P, c_float]),
    "sbe_layer_get_weights": (c_int, [P, P, S]),
    "sbe_layer_set_weights": (c_int, [P, P, S]),
    "sbe_layer_get_counters": (c_int, [P, POINTER(LayerCounters)]),
    "sbe_layer_get_rule_options": (c_int, [P, POINTER(RuleOptions)]),
    "sbe_live_layers": (c_int, [POINTER(S)]),
}

_lib: Optional[ctypes.CDLL] = None
_path: Optional[Path] = None


def lib() -> ctypes.CDLL:
    """The loaded library (loaded on first use; NativeAOT libraries are never unloaded)."""
    global _lib, _path
    if _lib is None:
        path = find_library()
        handle = ctypes.CDLL(str(path))
        for name, (restype, argtypes) in _PROTOTYPES.items():
            try:
                fn = getattr(handle, name)
            except AttributeError:
                raise ImportError(f"{path} does not export {name}: it is older than this binding (rebuild with native-abi/build.sh)") from None
            fn.restype = restype
            fn.argtypes = argtypes
        version = handle.sbe_abi_version()
        if version >> 16 != ABI_MAJOR or version & 0xFFFF < ABI_MINOR:
            raise ImportError(f"{path} has ABI version {version >> 16}.{version & 0xFFFF}; "
                              f"this sbecore binding needs {ABI_MAJOR}.x with x >= {ABI_MINOR}")
        _lib, _path = handle, path
    return _lib


def library_path() -> Path:
    """Where the loaded library lives."""
    lib()
    assert _path is not None
    return _path


def read_text(fn, *args) -> str:
    """Calls an sbe_* text getter twice: once for the length, once into a buffer of that size."""
    n = c_size_t()
    check(fn(*args, None, 0, ctypes.byref(n)))
    buf = ctypes.create_string_buffer(n.value + 1)
    check(fn(*args, buf, n.value + 1, ctypes.byref(n)))
    return buf.value.decode("utf-8")


def last_error() -> str:
    buf = ctypes.create_string_buffer(1024)
    lib().sbe_last_error(buf, len(buf))
    return buf.value.decode("utf-8", errors="replace")


def check(status: int) -> None:
    """Raises SbeError with the library's message for a non-zero status."""
    if status != 0:
        raise SbeError(status, last_error())
