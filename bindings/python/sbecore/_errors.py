"""SbeError and the status codes of sbecore.h."""
from __future__ import annotations

STATUS_NAMES = {
    0: "SBE_OK",
    -1: "SBE_E_NULL_POINTER",
    -2: "SBE_E_INVALID_ARGUMENT",
    -3: "SBE_E_NON_FINITE",
    -4: "SBE_E_BAD_HANDLE",
    -5: "SBE_E_BAD_STRUCT",
    -6: "SBE_E_OUT_OF_MEMORY",
    -7: "SBE_E_IO",
    -8: "SBE_E_NOT_SUPPORTED",
    -9: "SBE_E_INVALID_STATE",
    -10: "SBE_E_BUSY",
    -99: "SBE_E_INTERNAL",
}


class SbeError(RuntimeError):
    """A call into the native library failed; carries the status code and the library's message."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.status_name = STATUS_NAMES.get(status, f"status {status}")
        self.message = message
        super().__init__(f"{self.status_name}: {message}")
