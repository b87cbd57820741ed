"""aihwkit's presets (aihwkit.simulator.presets) as dataclasses, read from the library so they are its exact values.

XPresetDevice() is the device, XPreset() a SingleRPUConfig with PresetUpdateParameters and PresetIOParameters both ways.
"""
from __future__ import annotations

from . import _native
from ._config import NativeConfig
from .devices import IOParameters, SingleRPUConfig, UpdateParameters


def names() -> list:
    """The preset names in sbe_device order ("Ideal", "Idealized", ...), from the library's preset catalog."""
    return _native.read_text(_native.lib().sbe_device_names).split("\n")


def _preset(name: str) -> SingleRPUConfig:
    with NativeConfig.preset(name) as config:
        return SingleRPUConfig.from_json(config.json())


def PresetIOParameters() -> IOParameters:
    """aihwkit: PresetIOParameters (7-bit DAC, 9-bit ADC, out_bound 20, out_noise 0.1)."""
    return _preset("GokmenVlasov").forward


def PresetUpdateParameters() -> UpdateParameters:
    """aihwkit: PresetUpdateParameters (stochastic pulses, BL 31, update management)."""
    return _preset("GokmenVlasov").update


def IdealizedPreset() -> SingleRPUConfig: return _preset("Idealized")
def GokmenVlasovPreset() -> SingleRPUConfig: return _preset("GokmenVlasov")
def CapacitorPreset() -> SingleRPUConfig: return _preset("Capacitor")
def EcRamPreset() -> SingleRPUConfig: return _preset("EcRam")
def EcRamMOPreset() -> SingleRPUConfig: return _preset("EcRamMO")
def ReRamSBPreset() -> SingleRPUConfig: return _preset("ReRamSB")
def ReRamESPreset() -> SingleRPUConfig: return _preset("ReRamES")
def PCMPreset() -> SingleRPUConfig: return _preset("PCM")
def TikiTakaEcRamPreset() -> SingleRPUConfig: return _preset("TikiTakaEcRam")
def TikiTakaReRamSBPreset() -> SingleRPUConfig: return _preset("TikiTakaReRamSB")


def IdealizedPresetDevice(): return IdealizedPreset().device
def GokmenVlasovPresetDevice(): return GokmenVlasovPreset().device
def CapacitorPresetDevice(): return CapacitorPreset().device
def EcRamPresetDevice(): return EcRamPreset().device
def EcRamMOPresetDevice(): return EcRamMOPreset().device
def ReRamSBPresetDevice(): return ReRamSBPreset().device
def ReRamESPresetDevice(): return ReRamESPreset().device
def PCMPresetUnitCell(): return PCMPreset().device
def PCMPresetDevice(): return PCMPresetUnitCell().unit_cell_devices[0]
