import numpy as np
import pytest

import sbecore

RNG = np.random.default_rng(11)


def rand(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("rows, cols", [(1, 1), (3, 17), (16, 16), (33, 65), (100, 785)])
def test_kernels_match_numpy(rows, cols):
    w, x, d = rand(rows, cols), rand(cols), rand(rows)
    tol = dict(rtol=1e-4, atol=1e-4 * np.sqrt(cols))
    np.testing.assert_allclose(sbecore.gemv(w, x), w @ x, **tol)
    np.testing.assert_allclose(sbecore.gemv_t(w, d), w.T @ d, **tol)
    xs, ds = rand(7, cols), rand(7, rows)
    np.testing.assert_allclose(sbecore.batch_read(w, xs), xs @ w.T, **tol)
    np.testing.assert_allclose(sbecore.batch_read_t(w, ds), ds @ w, **tol)
    expected = w + 0.5 * np.outer(d, x)
    sbecore.ger(0.5, d, x, w)                                  # in place: the caller's buffer
    np.testing.assert_allclose(w, expected, rtol=1e-5, atol=1e-5)


def test_kernel_argument_errors():
    w = rand(4, 6)
    with pytest.raises(TypeError):
        sbecore.gemv(w.astype(np.float64), rand(6))
    with pytest.raises(ValueError):
        sbecore.gemv(w[:, :3], rand(3))                       # a non-contiguous view is refused, not copied
    with pytest.raises(ValueError):
        sbecore.gemv(w, rand(5))
    with pytest.raises(ValueError, match="read-only"):
        ro = rand(4, 6)
        ro.flags.writeable = False
        sbecore.ger(1.0, rand(4), rand(6), ro)
    x = rand(6)
    x[0] = np.nan
    with pytest.raises(sbecore.SbeError, match="SBE_E_NON_FINITE"):
        sbecore.gemv(w, x)
