"""The native config handle (sbe_config_t): a tile config set and read by aihwkit parameter paths or as JSON."""
from __future__ import annotations

import ctypes
import json
from typing import List

from . import _native
from ._arrays import text
from ._handle import NativeObject


_read_text = _native.read_text


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
