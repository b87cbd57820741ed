"""The update methods, as the library's rule registry declares them (sbe_method_names / sbe_method_by_name)."""
from __future__ import annotations

import ctypes
from typing import Dict

from . import _native
from ._arrays import text, uint


def method_names() -> list:
    """The canonical method names in sbe_method order ("sgd", "minibatch", "svd", ...)."""
    return _native.read_text(_native.lib().sbe_method_names).split("\n")


def method_id(name: str) -> int:
    """The sbe_method value of a method name or alias ("svd", "truncated_svd", "mbgd"; case-insensitive)."""
    value = ctypes.c_uint32()
    _native.check(_native.lib().sbe_method_by_name(text("method", name), ctypes.byref(value)))
    return value.value


def method_label(name: str, rank: int = 1) -> str:
    """The label of a method at rank k ("sgd", "sbe-4"), as the CLI's sweeps and reports write it."""
    return _native.read_text(_native.lib().sbe_method_label, method_id(name), uint("rank", rank))


def methods() -> Dict[str, int]:
    """Canonical name -> sbe_method value, from the library."""
    return {name: method_id(name) for name in method_names()}
