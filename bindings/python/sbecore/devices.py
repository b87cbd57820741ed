"""Device configs as data, with aihwkit's class and field names (aihwkit.simulator.configs).

Each class mirrors one section of the library's parameter schema (SbeCore.Devices.ConfigSchema; `sbe device --schema`);
tests/test_devices.py checks every field name and default against it, so the two cannot drift. The library validates:
an unknown name, wrong type or out-of-range value raises SbeError naming the parameter (e.g. device.dw_min).

    from sbecore.devices import ConstantStepDevice, SingleRPUConfig, PCMPresetUnitCell
    tile = Tile(10, 20, device=ConstantStepDevice(dw_min=0.002, w_max=0.8))
    net = Network((784, 100, 10), device=SingleRPUConfig(device=PCMPresetUnitCell()))

Differences from aihwkit: SingleRPUConfig's defaults are SbeCore's (an ideal device and exact reads, as
`new TileConfig()`), a unit cell's unit_cell_devices holds one device used for both of its devices, and only the
fields listed here exist (docs/crossbar.md, "Configuration reference", says what each does).
"""
from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Dict, List, Union


class PulseType(str, Enum):
    """aihwkit: PulseType (values are the library's names)."""
    NONE = "None"
    STOCHASTIC_COMPRESSED = "StochasticCompressed"
    DETERMINISTIC_IMPLICIT = "DeterministicImplicit"
    IMPLICIT_STOCHASTIC_ROUND = "ImplicitStochasticRound"


class NoiseManagementType(str, Enum):
    """aihwkit: NoiseManagementType."""
    NONE = "None"
    ABS_MAX = "AbsMax"


class BoundManagementType(str, Enum):
    """aihwkit: BoundManagementType."""
    NONE = "None"
    ITERATIVE = "Iterative"


@dataclass
class UpdateParameters:
    """aihwkit: UpdateParameters. How a rank-1 write becomes device pulses."""
    pulse_type: PulseType = PulseType.STOCHASTIC_COMPRESSED
    desired_bl: int = 31
    fixed_bl: bool = True
    update_bl_management: bool = True
    update_management: bool = True
    um_grad_scale: float = 1.0


@dataclass
class IOParameters:
    """aihwkit: IOParameters. One read direction's DAC, ADC, noise and management (backward_bound_management: SbeCore only)."""
    is_perfect: bool = False
    inp_res: float = 1.0 / 126.0
    inp_bound: float = 1.0
    inp_noise: float = 0.0
    out_res: float = 1.0 / 510.0
    out_bound: float = 12.0
    out_noise: float = 0.06
    w_noise: float = 0.0
    noise_management: NoiseManagementType = NoiseManagementType.ABS_MAX
    nm_thres: float = 0.0
    bound_management: BoundManagementType = BoundManagementType.ITERATIVE
    max_bm_factor: float = 1000.0
    max_bm_res: float = 0.25
    bm_test_negative_bound: bool = True
    backward_bound_management: bool = False


@dataclass
class IdealDevice:
    """aihwkit: IdealDevice. Exact float updates, no bounds."""


@dataclass
class PulsedDevice:
    """aihwkit: PulsedDevice. The parameters every pulsed model shares (not a model itself)."""
    dw_min: float = 0.001
    dw_min_dtod: float = 0.3
    dw_min_dtod_log_normal: bool = False
    dw_min_std: float = 0.3
    w_max: float = 0.6
    w_max_dtod: float = 0.3
    w_min: float = -0.6
    w_min_dtod: float = 0.3
    up_down: float = 0.0
    up_down_dtod: float = 0.01
    reset: float = 0.0
    reset_dtod: float = 0.0
    reset_std: float = 0.01
    lifetime: float = 0.0
    lifetime_dtod: float = 0.0
    diffusion: float = 0.0
    diffusion_dtod: float = 0.0


@dataclass
class ConstantStepDevice(PulsedDevice):
    """aihwkit: ConstantStepDevice (no write noise, as in aihwkit)."""


@dataclass
class LinearStepDevice(PulsedDevice):
    """aihwkit: LinearStepDevice."""
    gamma_up: float = 0.0
    gamma_down: float = 0.0
    gamma_up_dtod: float = 0.05
    gamma_down_dtod: float = 0.05
    allow_increasing: bool = False
    mean_bound_reference: bool = True
    mult_noise: bool = True
    write_noise_std: float = 0.0
    zero_shift: bool = False


@dataclass
class SoftBoundsDevice(PulsedDevice):
    """aihwkit: SoftBoundsDevice."""
    mult_noise: bool = True
    write_noise_std: float = 0.0
    zero_shift: bool = False


@dataclass
class ExpStepDevice(PulsedDevice):
    """aihwkit: ExpStepDevice."""
    A_up: float = 0.00081
    A_down: float = 0.36833
    gamma_up: float = 12.44625
    gamma_down: float = 12.78785
    a: float = 0.244
    b: float = 0.2425
    dw_min_std_add: float = 0.0
    dw_min_std_slope: float = 0.0
    write_noise_std: float = 0.0


@dataclass
class PowStepDevice(PulsedDevice):
    """aihwkit: PowStepDevice."""
    pow_gamma: float = 1.0
    pow_gamma_dtod: float = 0.1
    pow_up_down: float = 0.0
    pow_up_down_dtod: float = 0.0
    write_noise_std: float = 0.0


@dataclass
class SoftBoundsReferenceDevice(PulsedDevice):
    """aihwkit: SoftBoundsReferenceDevice."""
    slope_up_dtod: float = 0.0
    slope_down_dtod: float = 0.0
    reference_mean: float = 0.0
    reference_std: float = 0.0
    subtract_symmetry_point: bool = False
    mult_noise: bool = False
    write_noise_std: float = 0.0


@dataclass
class OneSidedUnitCell:
    """aihwkit: OneSidedUnitCell. unit_cell_devices holds one pulsed device, used for both devices of the pair."""
    unit_cell_devices: List[PulsedDevice] = field(default_factory=lambda: [ConstantStepDevice()])
    refresh_every: int = 0
    units_in_mbatch: bool = True
    refresh_upper_thres: float = 0.75
    refresh_lower_thres: float = 0.25
    refresh_forward: IOParameters = field(default_factory=IOParameters)
    refresh_update: UpdateParameters = field(default_factory=UpdateParameters)


@dataclass
class TransferCompound:
    """aihwkit: TransferCompound (Tiki-Taka) with two devices: unit_cell_devices = [fast, slow] (one entry: both).
    gamma_vec, transfer_every_vec, transfer_lr_vec, random_selection and no_self_transfer are not implemented."""
    unit_cell_devices: List[PulsedDevice] = field(default_factory=lambda: [ConstantStepDevice(), ConstantStepDevice()])
    gamma: float = 0.0
    transfer_every: float = 1.0
    units_in_mbatch: bool = True
    n_reads_per_transfer: int = 1
    transfer_columns: bool = True
    with_reset_prob: float = 0.0
    fast_lr: float = 1.0
    transfer_lr: float = 1.0
    scale_transfer_lr: bool = True
    scale_fast_lr: bool = True
    transfer_forward: IOParameters = field(default_factory=IOParameters)
    transfer_update: UpdateParameters = field(default_factory=UpdateParameters)


Device = Union[IdealDevice, ConstantStepDevice, LinearStepDevice, SoftBoundsDevice, ExpStepDevice, PowStepDevice,
               SoftBoundsReferenceDevice, OneSidedUnitCell, TransferCompound]


@dataclass
class SingleRPUConfig:
    """aihwkit: SingleRPUConfig. A tile's device, update and forward/backward I/O (SbeCore's defaults: ideal, exact)."""
    device: Any = field(default_factory=IdealDevice)
    update: UpdateParameters = field(default_factory=UpdateParameters)
    forward: IOParameters = field(default_factory=lambda: IOParameters(is_perfect=True))
    backward: IOParameters = field(default_factory=lambda: IOParameters(is_perfect=True))

    def to_json(self) -> str:
        """The library's JSON form (docs/crossbar.md, "Configs as data")."""
        return json.dumps(to_dict(self))

    @classmethod
    def from_json(cls, document: str) -> "SingleRPUConfig":
        return from_dict(json.loads(document))


DEVICE_CLASSES = {c.__name__: c for c in (IdealDevice, ConstantStepDevice, LinearStepDevice, SoftBoundsDevice, ExpStepDevice,
                                           PowStepDevice, SoftBoundsReferenceDevice, OneSidedUnitCell, TransferCompound)}
# Schema section name -> class, for the drift test and from_dict.
SECTIONS = {**DEVICE_CLASSES, "UpdateParameters": UpdateParameters, "IOParameters": IOParameters, "SingleRPUConfig": SingleRPUConfig}


def as_config(device: Any) -> SingleRPUConfig:
    """A SingleRPUConfig as is; a device dataclass inside SingleRPUConfig's defaults."""
    if isinstance(device, SingleRPUConfig):
        return device
    if type(device) in DEVICE_CLASSES.values():
        return SingleRPUConfig(device=device)
    raise TypeError(f"device must be a preset name, a device dataclass ({', '.join(DEVICE_CLASSES)}) or a SingleRPUConfig, "
                    f"got {type(device).__name__}")


def _scalar(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"  # JSON has no infinity
    if isinstance(value, float) and math.isnan(value):
        return "nan"  # refused by the library, naming the parameter
    if hasattr(value, "item") and not isinstance(value, (list, dict)):
        return _scalar(value.item())  # numpy scalars
    return value


def to_dict(obj: Any) -> Dict[str, Any]:
    """A dataclass as the library's JSON object (devices carry "type")."""
    out: Dict[str, Any] = {}
    if type(obj) in DEVICE_CLASSES.values():
        out["type"] = type(obj).__name__
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.name == "unit_cell_devices":
            out[f.name] = [to_dict(d) for d in value]
        elif dataclasses.is_dataclass(value):
            out[f.name] = to_dict(value)
        else:
            out[f.name] = _scalar(value)
    return out


def from_dict(data: Dict[str, Any], section: str = "SingleRPUConfig") -> Any:
    """The dataclass of a JSON object written by the library (the inverse of to_dict)."""
    cls = DEVICE_CLASSES[data["type"]] if "type" in data else SECTIONS[section]
    kwargs = {}
    hints = {f.name: f for f in dataclasses.fields(cls)}
    for name, value in data.items():
        if name == "type":
            continue
        if name == "unit_cell_devices":
            kwargs[name] = [from_dict(d) for d in value]
        elif name == "device":
            kwargs[name] = from_dict(value)
        elif name in ("update", "refresh_update", "transfer_update"):
            kwargs[name] = from_dict(value, "UpdateParameters")
        elif name in ("forward", "backward", "refresh_forward", "transfer_forward"):
            kwargs[name] = from_dict(value, "IOParameters")
        else:
            kwargs[name] = _from_scalar(hints[name].default, value)
    return cls(**kwargs)


def _from_scalar(default: Any, value: Any) -> Any:
    if isinstance(default, Enum):
        return type(default)(value)
    if isinstance(value, str) and value in ("inf", "-inf"):
        return float(value)
    if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value
