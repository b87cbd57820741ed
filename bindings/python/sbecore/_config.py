"""The native config handle (sbe_config_t): a tile config set and read by aihwkit parameter paths or as JSON."""
from __future__ import annotations

import ctypes
import json
from typing import Callable, List

from . import _native
from ._arrays import text
from ._handle import NativeObject


def _read_text(fn: Callable, *args) -> str:
    """Calls an sbe_* text getter twice: once for the length, once into a buffer of that size."""
    n = ctypes.c_size_t()
    _native.check(fn(*args, None, 0, ctypes.byref(n)))
    buf = ctypes.create_string_buffer(n.value + 1)
    _native.check(fn(*args, buf, n.value + 1, ctypes.byref(n)))
    return buf.value.decode("utf-8")


class NativeConfig(NativeObject):
    """A config handle. Build one with from_json/preset, or take one from a tile or network layer."""

    _destroy_name = "sbe_config_destroy"

    @classmethod
    def _adopt(cls, handle: ctypes.c_void_p) -> "NativeConfig":
        obj = cls.__new__(cls)
        NativeObject.__init__(obj, handle)
        return obj

    @classmethod
    def from_json(cls, document: str) -> "NativeConfig":
        handle = ctypes.c_void_p()
        _native.check(_native.lib().sbe_config_from_json(text("json", document), ctypes.byref(handle)))
        return cls._adopt(handle)

    @classmethod
    def preset(cls, name: str = "") -> "NativeConfig":
        """A preset by name ("" = ideal device, exact reads)."""
        handle = ctypes.c_void_p()
        _native.check(_native.lib().sbe_config_create(text("name", name), ctypes.byref(handle)))
        return cls._adopt(handle)

    def set(self, name: str, value: str) -> None:
        _native.check(_native.lib().sbe_config_set(self._h, text("name", name), text("value", value)))

    def get(self, name: str) -> str:
        return _read_text(_native.lib().sbe_config_get, self._h, text("name", name))

    def json(self) -> str:
        return _read_text(_native.lib().sbe_config_json, self._h)

    def names(self) -> List[str]:
        return _read_text(_native.lib().sbe_config_names, self._h).split("\n")


def schema() -> dict:
    """The library's parameter schema: {section: [{name, property, kind, default, range, (values)}]}."""
    return json.loads(_read_text(_native.lib().sbe_config_schema))
