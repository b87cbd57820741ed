"""Update-rule options (sbe_rule_options_t): the estimator's options for sbe, the published schedule for sbpca."""
from __future__ import annotations

import ctypes
from typing import Any, Dict, Optional

import numpy as np

from . import _native
from ._arrays import real, uint
from .estimator import INITIALIZATION, MAGNITUDE

#: The keyword arguments Network and Layer take, with the library's defaults (None passed for every one = NULL options).
DEFAULTS: Dict[str, Any] = {"magnitude": "running_mean", "initialization": "gaussian", "division_free": False,
                            "quantization_bits": 0, "oja_rate": 0.01, "stochastic_rounding": False, "warm_start": True,
                            "published_schedule": False}


def _flag(name: str, value: object) -> int:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return int(bool(value))


def _choice(name: str, value: object, choices: Dict[str, int]) -> int:
    if not isinstance(value, str) or value.replace("-", "_") not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return choices[value.replace("-", "_")]


def native_options(given: Dict[str, Any]) -> Optional[_native.RuleOptions]:
    """The struct for the options given (None values take the defaults); None when none was given (the library's NULL)."""
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unknown rule options {sorted(unknown)}; known: {sorted(DEFAULTS)}")
    if all(v is None for v in given.values()):
        return None
    o = {**DEFAULTS, **{k: v for k, v in given.items() if v is not None}}
    return _native.RuleOptions(
        ctypes.sizeof(_native.RuleOptions), _native.RuleOptions.VERSION, _choice("initialization", o["initialization"], INITIALIZATION),
        _choice("magnitude", o["magnitude"], MAGNITUDE), _flag("division_free", o["division_free"]),
        uint("quantization_bits", o["quantization_bits"]), real("oja_rate", o["oja_rate"]),
        _flag("stochastic_rounding", o["stochastic_rounding"]), 1 - _flag("warm_start", o["warm_start"]),
        _flag("published_schedule", o["published_schedule"]))


def read_options(getter, handle) -> Dict[str, Any]:
    """The options a network or layer was built with, as the keyword arguments that build it."""
    o = _native.RuleOptions(ctypes.sizeof(_native.RuleOptions), _native.RuleOptions.VERSION)
    _native.check(getter(handle, ctypes.byref(o)))
    name = {v: k for k, v in MAGNITUDE.items()}, {v: k for k, v in INITIALIZATION.items()}
    return {"magnitude": name[0][o.magnitude], "initialization": name[1][o.initialization], "division_free": bool(o.division_free),
            "quantization_bits": o.quantization_bits, "oja_rate": float(str(np.float32(o.oja_rate))), "stochastic_rounding": bool(o.stochastic_rounding),
            "warm_start": not o.cold_start, "published_schedule": bool(o.published_schedule)}
