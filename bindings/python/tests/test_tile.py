import numpy as np
import pytest

import sbecore
from sbecore import SbeError, Tile

RNG = np.random.default_rng(7)


def rand(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


@pytest.fixture
def tile():
    with Tile(5, 8, seed=3) as t:
        t.set_weights(rand(5, 8))
        yield t


def test_reads_match_numpy(tile):
    w = tile.weights
    x, d = rand(4, 8), rand(4, 5)
    np.testing.assert_allclose(tile.read(x), x @ w.T, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(tile.read_t(d), d @ w, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(tile.read(x[0]), w @ x[0], rtol=1e-5, atol=1e-5)
    assert tile.read(x[0]).shape == (5,)


def test_read_writes_into_out_without_copy(tile):
    x = rand(3, 8)
    out = np.zeros((3, 5), dtype=np.float32)
    result = tile.read(x, out=out)
    assert result is out
    np.testing.assert_allclose(out, x @ tile.weights.T, rtol=1e-5, atol=1e-5)


def test_rank_one_and_rank_k_writes(tile):
    w0 = tile.weights
    d, x = rand(5), rand(8)
    tile.write(0.5, d, x)
    np.testing.assert_allclose(tile.weights, w0 - 0.5 * np.outer(d, x), rtol=1e-5, atol=1e-6)
    s, dk, xk = rand(3), rand(3, 5), rand(3, 8)
    w1 = tile.weights
    tile.write_rank_k(0.1, s, dk, xk)
    expected = w1 - 0.1 * sum(s[c] * np.outer(dk[c], xk[c]) for c in range(3))
    np.testing.assert_allclose(tile.weights, expected, rtol=1e-5, atol=1e-5)
    assert tile.counters["rank_one_writes"] == 4


@pytest.mark.parametrize("bad, error", [
    (np.ones(8), TypeError),                                  # float64: never silently converted
    (np.ones(8, dtype=">f4"), TypeError),                     # float32 in the wrong byte order
    ([1.0] * 8, TypeError),                                   # not an array
    (np.ones(16, np.float32)[::2], ValueError),               # not contiguous
    (np.ones(7, np.float32), ValueError),                     # wrong shape
    (np.ones((2, 9), np.float32), ValueError),
    (np.ones((2, 2, 8), np.float32), ValueError),
])
def test_bad_arrays_raise_before_the_call(tile, bad, error):
    with pytest.raises(error):
        tile.read(bad)


def test_fortran_order_is_refused(tile):
    with pytest.raises(ValueError, match="C-contiguous"):
        tile.set_weights(np.asfortranarray(rand(5, 8)))


def test_rejected_calls_change_nothing(tile):
    w0 = tile.weights
    d, x = rand(5), rand(8)
    x[3] = np.nan
    with pytest.raises(SbeError) as e:
        tile.write(0.5, d, x)
    assert e.value.status_name == "SBE_E_NON_FINITE" and "x[3]" in e.value.message
    with pytest.raises(SbeError, match="SBE_E_NON_FINITE"):
        tile.write(float("inf"), d, rand(8))
    bad = rand(5, 8)
    bad[4, 7] = np.inf
    with pytest.raises(SbeError):
        tile.set_weights(bad)
    np.testing.assert_array_equal(tile.weights, w0)
    assert tile.counters["rank_one_writes"] == 0


def test_save_and_load(tile, tmp_path):
    tile.write(0.25, rand(5), rand(8))
    path = tmp_path / "t.sbetile"
    tile.save(path)
    with Tile.load(path) as u:
        assert (u.rows, u.cols) == (5, 8)
        np.testing.assert_array_equal(u.weights, tile.weights)
        assert u.counters == tile.counters
    (tmp_path / "junk").write_bytes(b"junk")
    with pytest.raises(SbeError, match="SBE_E_IO"):
        Tile.load(tmp_path / "junk")


def test_close_and_context_manager():
    t = Tile(2, 3)
    t.close()
    t.close()                                                  # idempotent
    assert t.closed
    with pytest.raises(SbeError, match="SBE_E_BAD_HANDLE"):
        t.read(np.ones(3, np.float32))
    with Tile(2, 3) as u:
        assert not u.closed
    assert u.closed


def test_invalid_shape_is_a_library_error():
    with pytest.raises(SbeError, match="SBE_E_INVALID_ARGUMENT") as e:
        Tile(0, 3)
    assert "rows" in e.value.message


def test_device_preset_counts_pulses():
    with Tile(6, 10, seed=4, device="gokmen_vlasov", io="perfect") as t:
        t.write(0.05, rand(6), rand(10))
        c = t.counters
        assert c["rank_one_writes"] == 1 and c["total_pulses"] > 0
        pulses = t.pulses()
        assert pulses.shape == (6, 10) and pulses.sum() == c["total_pulses"] and pulses.max() == c["max_pulses_per_device"]
    with pytest.raises(SbeError, match="SBE_E_INVALID_ARGUMENT") as e:       # resolved by the library, not a Python table
        Tile(2, 2, device="memristor9000")
    assert "memristor9000" in e.value.message and "GokmenVlasov" in e.value.message


def test_inputs_and_outputs_are_not_copied():
    """numpy reports its buffers to tracemalloc: a read of a 2 MB batch into out= must allocate far less than that."""
    import tracemalloc
    with Tile(100, 785) as t:
        x = rand(640, 785)                                     # 2 MB
        y = np.empty((640, 100), np.float32)
        t.read(x, out=y)
        tracemalloc.start()
        try:
            for _ in range(5):
                t.read(x, out=y)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < x.nbytes // 100, f"peak {peak} bytes while reading a {x.nbytes}-byte batch"


@pytest.mark.parametrize("rows, error", [(2**32 + 3, ValueError), (-1, ValueError), (2.0, TypeError), (True, TypeError)])
def test_sizes_are_never_wrapped(rows, error):
    with pytest.raises(error):
        Tile(rows, 4)


@pytest.mark.parametrize("io", ["perfect", "preset"])
def test_column_reads_are_the_row_reads_of_the_same_vectors(io):
    """A convolution's layout: (n, cols, P) blocks whose columns are input vectors, read to (n, rows, P)."""
    x, d = rand(3, 26, 40), rand(3, 6, 40)
    w = rand(6, 26)
    with Tile(6, 26, seed=5, io=io) as by_columns, Tile(6, 26, seed=5, io=io) as by_rows:
        by_columns.set_weights(w)
        by_rows.set_weights(w)
        y, z = by_columns.read_columns(x), by_columns.read_t_columns(d)
        y_rows = by_rows.read(np.ascontiguousarray(x.transpose(0, 2, 1)).reshape(-1, 26)).reshape(3, 40, 6).transpose(0, 2, 1)
        z_rows = by_rows.read_t(np.ascontiguousarray(d.transpose(0, 2, 1)).reshape(-1, 6)).reshape(3, 40, 26).transpose(0, 2, 1)
    if io == "perfect":  # one product per sample: another summation order
        np.testing.assert_allclose(y, y_rows, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(z, z_rows, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(y, np.einsum("rc,ncp->nrp", w, x), rtol=1e-4, atol=1e-4)
    else:  # the same vectors through the same reader, the same read numbers: the same bits
        np.testing.assert_array_equal(y, y_rows)
        np.testing.assert_array_equal(z, z_rows)


def test_bad_column_reads_are_refused(tile):
    with pytest.raises(ValueError, match="3-D"):
        tile.read_columns(rand(2, 8))
    with pytest.raises(ValueError, match="3-D"):
        tile.read_columns(np.zeros((2, 8, 0), dtype=np.float32))
    with pytest.raises(ValueError, match="shape"):
        tile.read_columns(rand(2, 8, 4), out=np.zeros((2, 5, 3), dtype=np.float32))
    x = rand(2, 8, 4)
    x[1, 2, 3] = np.nan
    with pytest.raises(SbeError, match="SBE_E_NON_FINITE"):
        tile.read_columns(x)
    with pytest.raises(TypeError):
        tile.read_t_columns(rand(2, 5, 4).astype(np.float64))
