"""Device presets by name: the binding passes the name to sbe_tile_config_preset (the library's one preset lookup)."""
import ctypes

import numpy as np
import pytest

from sbecore import Network, SbeError, Tile, _native
from sbecore.tile import tile_config

from sbecore import presets

CANONICAL = presets.names()  # sbe_device order, from the library's preset catalog


def test_catalog_names_are_the_sbe_device_values_and_have_preset_functions():
    assert CANONICAL[0] == "Ideal" and len(CANONICAL) == len(set(CANONICAL)) >= 9
    for value, name in enumerate(CANONICAL):
        assert tile_config(1, 1, device=name).device == value
        if name != "Ideal":
            assert callable(getattr(presets, f"{name}Preset")), name
    defined = {n[:-len("Preset")] for n in dir(presets) if n.endswith("Preset") and callable(getattr(presets, n))}
    assert defined <= set(CANONICAL), defined - set(CANONICAL)


@pytest.mark.parametrize("name, device", [
    ("ideal", 0), ("IDEAL", 0), ("Idealized", 1), ("gokmen_vlasov", 2), ("gokmen-vlasov", 2), ("GokmenVlasov", 2),
    ("capacitor", 3), ("EC-RAM", 4), ("ecram", 4), ("reram_sb", 5), ("ReRamSB", 5), ("reram-es", 6), ("PCM", 7), ("ecram_mo", 8),
])
def test_names_resolve_case_and_dash_insensitively(name, device):
    c = tile_config(3, 4, seed=9, device=name, pulse_type="none", desired_bl=5, io="perfect")
    assert c.device == device
    assert (c.rows, c.cols, c.seed) == (3, 4, 9)
    assert (c.pulse_type, c.desired_bl, c.io) == (1, 5, 1)      # overrides applied after the preset


def _programme(tile):
    rng = np.random.default_rng(3)
    tile.set_weights((0.2 * rng.standard_normal((tile.rows, tile.cols))).astype(np.float32))
    for _ in range(10):
        tile.write(0.05, rng.standard_normal(tile.rows).astype(np.float32), rng.standard_normal(tile.cols).astype(np.float32))
    return tile.weights, tile.pulses()


def test_spellings_give_identical_tiles_and_presets_differ():
    results = {}
    for name in CANONICAL:
        with Tile(4, 6, seed=2, device=name) as a, Tile(4, 6, seed=2, device=name.upper().replace("RAM", "-RAM")) as b:
            wa, pa = _programme(a)
            wb, pb = _programme(b)
            assert np.array_equal(wa, wb) and np.array_equal(pa, pb), name
            results[name] = wa
    names = list(results)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not np.array_equal(results[a], results[b]), f"{a} and {b} behave identically"


def test_network_device_by_name():
    with Network((4, 3), device="reram-es", seed=1) as net:
        assert net.layer_sizes == (4, 3)
    with pytest.raises(SbeError, match="SBE_E_INVALID_ARGUMENT"):
        Network((4, 3), device="nope")


@pytest.mark.parametrize("bad", ["memristor9000", "", "--", "reram sb", "constantstep", "pcm:none", "x" * 10000])
def test_unknown_names_list_the_accepted_ones(bad):
    with pytest.raises(SbeError) as e:
        Tile(2, 2, device=bad)
    assert e.value.status_name == "SBE_E_INVALID_ARGUMENT"
    for name in CANONICAL:
        assert name in e.value.message
    assert len(e.value.message) < 1000                         # a long name is not echoed whole


@pytest.mark.parametrize("bad", [None, 3, b"pcm"])
def test_a_name_must_be_str(bad):
    with pytest.raises(TypeError, match="device"):
        Tile(2, 2, device=bad)


def test_bad_calls_leave_the_struct_unchanged():
    lib = _native.lib()
    c = _native.TileConfig(ctypes.sizeof(_native.TileConfig), _native.TileConfig.VERSION, 5, 7, 11, 6, 3, 17, 1)
    before = bytes(c)
    assert lib.sbe_tile_config_preset(None, ctypes.byref(c)) == -1          # SBE_E_NULL_POINTER
    assert lib.sbe_tile_config_preset(b"unknown", ctypes.byref(c)) == -2    # SBE_E_INVALID_ARGUMENT
    c.version = 2
    assert lib.sbe_tile_config_preset(b"pcm", ctypes.byref(c)) == -5        # SBE_E_BAD_STRUCT
    c.version = _native.TileConfig.VERSION
    assert bytes(c) == before
    assert lib.sbe_tile_config_preset(b"pcm", None) == -1
    assert "config" in _native.last_error()
