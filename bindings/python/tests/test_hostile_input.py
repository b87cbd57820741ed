"""Issue 12, item 8: what C would misread is refused in Python first (NUL in paths and names, strings for numbers),
and float32 arrays are accepted by dtype equality, not identity; strided or misaligned buffers are refused clearly."""
import ctypes
import os

import numpy as np
import pytest

import sbecore
from sbecore import Estimator, Network, Tile


def test_path_with_nul_is_refused_like_open(tmp_path):
    victim = tmp_path / "victim.sbt"
    victim.write_bytes(b"keep me")
    with pytest.raises(ValueError):
        open(str(victim) + "\0.bak", "wb")  # Python's own rule
    with Tile(2, 3) as t:
        with pytest.raises(ValueError, match="null"):
            t.save(str(victim) + "\0.bak")
        with pytest.raises(ValueError, match="null"):
            t.save(os.fsencode(str(victim)) + b"\0.bak")
    assert victim.read_bytes() == b"keep me"
    with pytest.raises(ValueError, match="null"):
        Tile.load(str(victim) + "\0")


def test_device_name_with_nul_is_refused():
    with pytest.raises(ValueError, match="null"):
        Tile(2, 3, device="ideal\0junk")
    with pytest.raises(ValueError, match="null"):
        Network([4, 3, 2], device="ideal\0junk")


@pytest.mark.parametrize("bad", ["0.1", b"0.1", True, None, [0.1]])
def test_numbers_must_be_numbers(bad):
    d, x = np.ones(2, np.float32), np.ones(3, np.float32)
    with Tile(2, 3) as t:
        w0 = t.weights
        with pytest.raises(TypeError, match="learning_rate"):
            t.write(bad, d, x)
        assert np.array_equal(t.weights, w0)
    with pytest.raises(TypeError, match="alpha"):
        sbecore.ger(bad, d, x, np.zeros((2, 3), np.float32))
    with pytest.raises(TypeError, match="oja_rate"):
        Estimator(2, 3, oja_rate=bad)


def test_numpy_scalars_are_numbers():
    with Tile(2, 3) as t:
        t.write(np.float32(0.1), np.ones(2, np.float32), np.ones(3, np.float32))
        t.write(np.float64(0.1), np.ones(2, np.float32), np.ones(3, np.float32))
        t.write(1, np.ones(2, np.float32), np.ones(3, np.float32))


def test_equal_float32_dtype_that_is_another_object_is_accepted():
    src = np.arange(6, dtype=np.float32)
    view = np.ctypeslib.as_array((ctypes.c_float * 6).from_address(src.ctypes.data))
    assert view.dtype == np.float32
    other = np.frombuffer(src.tobytes(), dtype=np.dtype("<f4")).copy()
    with Tile(2, 3) as t:
        t.set_weights(view.reshape(2, 3))
        assert np.array_equal(t.weights, src.reshape(2, 3))
        t.set_weights(other.reshape(2, 3))
        with pytest.raises(TypeError, match="float32"):
            t.set_weights(src.reshape(2, 3).astype(">f4"))  # equal values, other byte order: refused


def test_strided_and_misaligned_buffers_are_refused_clearly():
    with Tile(2, 3) as t:
        wide = np.zeros((2, 6), np.float32)
        with pytest.raises(ValueError, match="C-contiguous"):
            t.set_weights(wide[:, ::2])
        with pytest.raises(ValueError, match="C-contiguous"):
            t.set_weights(np.zeros((3, 2), np.float32).T)
        raw = np.zeros(7 * 4 + 1, np.uint8)
        misaligned = raw[1:].view(np.float32)[:6].reshape(2, 3)
        with pytest.raises(ValueError, match="aligned"):
            t.set_weights(misaligned)
