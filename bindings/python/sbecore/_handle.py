"""Owner of one native handle: close() / context manager / finalizer."""
from __future__ import annotations

import ctypes
from typing import Callable, Optional


class NativeObject:
    """Base of Tile, Estimator and Network: holds the handle and destroys it exactly once."""

    _destroy_name = ""

    def __init__(self, handle: ctypes.c_void_p) -> None:
        self._handle: Optional[int] = handle.value

    @property
    def _h(self) -> Optional[int]:
        return self._handle

    @property
    def closed(self) -> bool:
        return self._handle is None

    def close(self) -> None:
        """Frees the native object; further calls raise SbeError (SBE_E_BAD_HANDLE). Idempotent."""
        handle, self._handle = self._handle, None
        if handle is not None:
            from . import _native
            destroy: Callable[[int], int] = getattr(_native.lib(), self._destroy_name)
            _native.check(destroy(handle))

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass
