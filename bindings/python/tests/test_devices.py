"""Device configs as data from Python: the dataclasses match the library's schema (names and defaults), every
parameter set reaches the tile and reads back unchanged, and bad values are refused naming the parameter."""
import dataclasses
import json
from enum import Enum

import numpy as np
import pytest

from sbecore import Network, SbeError, Tile
from sbecore import devices as dv
from sbecore import presets
from sbecore._config import NativeConfig, schema


def f32(value):
    return float(np.float32(value))


def normalized(obj):
    """A config's dict with every float rounded to float32 (the library stores float32)."""
    def walk(v):
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, float):
            return f32(v)
        return v
    return walk(dv.to_dict(obj))


@pytest.mark.parametrize("section", sorted(dv.SECTIONS))
def test_dataclass_fields_and_defaults_equal_the_library_schema(section):
    spec = schema()[section]
    cls = dv.SECTIONS[section]
    fields = {f.name: f for f in dataclasses.fields(cls)}
    assert sorted(fields) == sorted(p["name"] for p in spec), section
    instance = cls()
    for p in spec:
        ours = getattr(instance, p["name"])
        if p["kind"] == "device":
            ours = ours[0] if isinstance(ours, list) else ours
            assert type(ours).__name__ == p["default"], (section, p["name"])
        elif p["kind"] in ("io", "update"):
            assert normalized(ours) == json.loads(json.dumps(p["default"]), parse_float=f32), (section, p["name"])
        elif p["kind"] == "enum":
            assert isinstance(ours, Enum) and ours.value == p["default"] and {e.value for e in type(ours)} == set(p["values"])
        elif p["kind"] == "float":
            assert isinstance(ours, float) and f32(ours) == f32(p["default"]), (section, p["name"], ours, p["default"])
        elif p["kind"] == "bool":
            assert ours is p["default"], (section, p["name"])
        else:
            assert type(ours) is int and ours == p["default"], (section, p["name"])
    assert set(schema()) == set(dv.SECTIONS), "a schema section without a dataclass (or the reverse)"


def other_value(p, current):
    """A valid value different from current, from the schema's kind and range."""
    kind = p["kind"]
    if kind == "bool":
        return not current
    if kind == "enum":
        values = p["values"]
        return type(current)(values[(values.index(current.value) + 1) % len(values)])
    lo, hi = _bounds(p["range"])
    if kind == "int":
        return current - 1 if hi is not None and current >= hi else current + 1
    if lo is not None and hi is not None:
        return (current + (lo if current >= hi else hi)) / 2
    return current - 0.125 if hi is not None else current + 0.125


def _bounds(text):
    if text.startswith("["):
        lo, hi = text[1:-1].split(",")
        return float(lo), float(hi)
    if text.startswith("<="):
        return None, float(text[2:])
    if text.startswith(">"):
        return float(text.lstrip(">=").split()[0]), None
    return None, None


def change_every_field(obj, section):
    """obj with every scalar field (recursively) set to another valid value; returns the count changed."""
    spec = {p["name"]: p for p in schema()[section]}
    count = 0
    for f in dataclasses.fields(obj):
        value, p = getattr(obj, f.name), spec[f.name]
        if p["kind"] == "device":
            inner = value[0] if isinstance(value, list) else value
            count += change_every_field(inner, type(inner).__name__)
        elif p["kind"] in ("io", "update"):
            count += change_every_field(value, "IOParameters" if p["kind"] == "io" else "UpdateParameters")
        else:
            setattr(obj, f.name, other_value(p, value))
            count += 1
    return count


def sample_configs():
    names = ["IdealizedPreset", "GokmenVlasovPreset", "CapacitorPreset", "EcRamPreset", "EcRamMOPreset", "ReRamSBPreset",
             "ReRamESPreset", "PCMPreset", "TikiTakaEcRamPreset", "TikiTakaReRamSBPreset"]
    configs = [getattr(presets, n)() for n in names]
    for c in configs:
        if isinstance(c.device, dv.TransferCompound):
            c.device.transfer_columns = False  # flipped to True below: with_reset_prob > 0 needs column transfers
    configs += [dv.SingleRPUConfig(), dv.SingleRPUConfig(device=dv.SoftBoundsDevice()), dv.SingleRPUConfig(device=dv.PowStepDevice()),
                dv.SingleRPUConfig(device=dv.OneSidedUnitCell(unit_cell_devices=[dv.LinearStepDevice()]))]
    return configs


@pytest.mark.parametrize("index", range(len(sample_configs())))
def test_every_parameter_reaches_the_tile_and_reads_back_unchanged(index):
    config = sample_configs()[index]
    before = normalized(config)
    changed = change_every_field(config, "SingleRPUConfig")
    assert changed > 20 and normalized(config) != before
    with Tile(3, 4, 5, device=config) as tile:
        assert normalized(tile.config) == normalized(config)
    # Through the native handle: every path reads back what the dataclass holds.
    with NativeConfig.from_json(config.to_json()) as native:
        flat = {}
        for name in native.names():
            flat[name] = native.get(name)
        assert flat["device.type"] == type(config.device).__name__
        assert float(flat["update.um_grad_scale"]) == f32(config.update.um_grad_scale)
        assert flat["forward.is_perfect"] == str(config.forward.is_perfect).lower()
        assert len(flat) == changed + (2 if isinstance(config.device, (dv.OneSidedUnitCell, dv.TransferCompound)) else 1)


def test_a_device_alone_gets_the_default_update_and_exact_reads():
    with Tile(2, 2, device=dv.ConstantStepDevice(dw_min=0.002, w_max=0.8)) as tile:
        config = tile.config
    assert normalized(config) == normalized(dv.SingleRPUConfig(device=dv.ConstantStepDevice(dw_min=0.002, w_max=0.8)))
    assert config.device.dw_min == 0.002 and config.forward.is_perfect  # float32 values come back in their shortest form


def test_dw_min_set_in_python_decides_one_pulse():
    for dw in (0.01, 0.03):
        device = dv.ConstantStepDevice(dw_min=dw, dw_min_dtod=0, dw_min_std=0, up_down_dtod=0, w_max_dtod=0, w_min_dtod=0)
        config = dv.SingleRPUConfig(device=device, update=dv.UpdateParameters(pulse_type=dv.PulseType.DETERMINISTIC_IMPLICIT))
        with Tile(1, 1, 1, device=config) as tile:
            tile.set_weights(np.zeros((1, 1), np.float32))
            tile.write(-dw, np.ones(1, np.float32), np.ones(1, np.float32))
            assert tile.weights[0, 0] == pytest.approx(dw, abs=1e-7)


@pytest.mark.parametrize("config, named", [
    (dv.ConstantStepDevice(dw_min=-1.0), "device.dw_min"),
    (dv.ConstantStepDevice(dw_min="abc"), "device.dw_min"),
    (dv.ConstantStepDevice(dw_min=float("nan")), "device.dw_min"),
    (dv.ConstantStepDevice(w_min=0.9), "w_min"),
    (dv.SingleRPUConfig(update=dv.UpdateParameters(desired_bl=5000)), "update.desired_bl"),
    (dv.SingleRPUConfig(update=dv.UpdateParameters(pulse_type="Bogus")), "update.pulse_type"),
    (dv.SingleRPUConfig(forward=dv.IOParameters(out_noise=-0.1)), "forward.out_noise"),
    (dv.OneSidedUnitCell(refresh_upper_thres=2.0), "device.refresh_upper_thres"),
    (dv.OneSidedUnitCell(unit_cell_devices=[dv.IdealDevice()]), "device.unit_cell_devices.type"),
    (dv.OneSidedUnitCell(unit_cell_devices=[]), "device.unit_cell_devices"),
])
def test_bad_values_are_refused_naming_the_parameter(config, named):
    with pytest.raises(SbeError) as info:
        Tile(2, 2, device=config)
    assert named in str(info.value)


def test_unknown_names_are_refused():
    with pytest.raises(TypeError, match="dw_mn"):
        dv.ConstantStepDevice(dw_mn=0.1)
    with pytest.raises(SbeError, match="device.dw_mn"):
        NativeConfig.from_json('{"device": {"type": "ConstantStepDevice", "dw_mn": 0.1}}')
    with NativeConfig.preset("EcRam") as native:
        with pytest.raises(SbeError, match="update.desired_bll"):
            native.set("update.desired_bll", "3")
        json_before = native.json()
        with pytest.raises(SbeError, match="device.gamma_up"):
            native.set("gamma_up", "inf")
        assert native.json() == json_before
    with pytest.raises(TypeError, match="device must be"):
        Tile(2, 2, device=42)
    with pytest.raises(TypeError, match="pulse_type"):
        Tile(2, 2, device=dv.ConstantStepDevice(), pulse_type="none")


def test_network_layers_use_the_config():
    config = presets.EcRamPreset()
    config.device.dw_min = 0.0025
    config.forward.out_noise = 0.0
    with Network((6, 5, 3), device=config, seed=2) as net:
        for layer in range(2):
            assert normalized(net.layer_config(layer)) == normalized(config)
        with pytest.raises(SbeError):
            net.layer_config(2)


def test_presets_are_the_librarys_and_shaped_like_aihwkit():
    cell = presets.PCMPresetUnitCell()
    assert isinstance(cell, dv.OneSidedUnitCell) and cell.refresh_every == 1
    assert isinstance(presets.PCMPresetDevice(), dv.ExpStepDevice) and presets.PCMPresetDevice().w_min == 0
    assert presets.PresetIOParameters().out_bound == 20 and presets.PresetIOParameters().out_noise == 0.1
    assert presets.PresetUpdateParameters() == dv.UpdateParameters()
    assert isinstance(presets.ReRamSBPresetDevice(), dv.SoftBoundsReferenceDevice)
    with Tile(2, 3, 4, device="ReRamSB") as by_name, Tile(2, 3, 4, device=presets.ReRamSBPreset()) as by_data:
        assert normalized(by_name.config) == normalized(by_data.config)
        np.testing.assert_array_equal(by_name.weights, by_data.weights)


def test_numpy_scalars_and_infinity_cross_as_values():
    config = dv.SingleRPUConfig(device=dv.ConstantStepDevice(dw_min=np.float32(0.002), w_max=np.float64(0.8)),
                                forward=dv.IOParameters(out_bound=float("inf")))
    with Tile(2, 2, device=config) as tile:
        back = tile.config
    assert back.device.dw_min == 0.002 and back.device.w_max == 0.8 and back.forward.out_bound == float("inf")
    with pytest.raises(SbeError, match="device.w_max"):
        Tile(2, 2, device=dv.ConstantStepDevice(w_max=float("inf")))
    with pytest.raises(SbeError, match="device.dw_min"):
        Tile(2, 2, device=dv.ConstantStepDevice(dw_min=True))
