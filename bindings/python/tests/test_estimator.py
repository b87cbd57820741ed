import numpy as np
import pytest

from sbecore import Estimator, SbeError

RNG = np.random.default_rng(5)


def rand(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def ilogb(v):
    """The exponent e with 2^e <= v < 2^(e + 1)."""
    return int(np.frexp(v)[1]) - 1


def sbe_reference(batches):
    """docs/method.md section 2, rank 1, state seeded from the first sample (x scaled by 2^ilogb max|delta|, delta by
    2^ilogb max|x|: the estimator's scale-invariant seeding); returns (s, d, x) per batch."""
    X = D = None
    s = 0.0
    out = []
    for deltas, xs in batches:
        for j, (delta, x) in enumerate(zip(deltas.astype(np.float64), xs.astype(np.float64)), start=1):
            if X is None:  # each scaled by the other's power of two, so the start scales with the data
                X = x * 2.0 ** ilogb(np.abs(delta).max())
                D = delta * 2.0 ** ilogb(np.abs(x).max())
            w_old, w_new = j / (j + 1), 1 / (j + 1)
            p = delta @ D / np.linalg.norm(D)
            X = w_old * X + w_new * p * x
            q = x @ X / np.linalg.norm(X)
            D = w_old * D + w_new * q * delta
            r = delta @ D / np.linalg.norm(D)
            s = w_old * s + w_new * q * r
        out.append((s, D / np.linalg.norm(D), X / np.linalg.norm(X)))
    return out


def low_rank_batches(count, n, rows, cols):
    u, v = rand(rows), rand(cols)
    return [((np.outer(RNG.standard_normal(n), u) + 0.1 * rand(n, rows)).astype(np.float32),
             (np.outer(RNG.standard_normal(n), v) + 0.1 * rand(n, cols)).astype(np.float32)) for _ in range(count)]


def test_rank_one_matches_reference():
    batches = low_rank_batches(5, 32, 6, 9)
    with Estimator(6, 9, initialization="first_sample", seed=1) as e:
        for (deltas, xs), (s_ref, d_ref, x_ref) in zip(batches, sbe_reference(batches)):
            e.observe_batch(deltas, xs)
            s, d, x = e.estimate()
            assert s.shape == (1,) and d.shape == (1, 6) and x.shape == (1, 9)
            assert abs(s[0] - s_ref) <= 1e-4 * abs(s_ref)
            np.testing.assert_allclose(d[0], d_ref, atol=1e-4)
            np.testing.assert_allclose(x[0], x_ref, atol=1e-4)


def test_observe_batch_equals_observe_loop():
    deltas, xs = rand(10, 4), rand(10, 7)
    with Estimator(4, 7, seed=9) as a, Estimator(4, 7, seed=9) as b:
        a.observe_batch(deltas, xs)
        for j in range(10):
            b.observe(deltas[j], xs[j])
        for u, v in zip(a.estimate(), b.estimate()):
            np.testing.assert_array_equal(u, v)


def test_rank_k_vectors_are_orthonormal():
    with Estimator(12, 20, rank=3, sub_batch=4, seed=2) as e:
        for _ in range(4):
            e.observe_batch(rand(16, 12), rand(16, 20))
        s, d, x = e.estimate()
        np.testing.assert_allclose(d @ d.T, np.eye(3), atol=1e-4)
        np.testing.assert_allclose(x @ x.T, np.eye(3), atol=1e-4)


def test_rejected_batch_leaves_state_unchanged():
    deltas, xs = rand(8, 4), rand(8, 5)
    with Estimator(4, 5, seed=3) as e, Estimator(4, 5, seed=3) as twin:
        e.observe_batch(deltas, xs)
        twin.observe_batch(deltas, xs)
        bad = rand(8, 5)
        bad[7, 4] = np.nan                                    # the last sample: nothing before it may be applied
        with pytest.raises(SbeError, match="SBE_E_NON_FINITE"):
            e.observe_batch(rand(8, 4), bad)
        with pytest.raises(ValueError):
            e.observe_batch(rand(8, 4), rand(7, 5))
        for u, v in zip(e.estimate(), twin.estimate()):
            np.testing.assert_array_equal(u, v)


def test_reset_returns_to_the_seeded_start():
    deltas, xs = rand(6, 3), rand(6, 4)
    with Estimator(3, 4, seed=4) as e:
        e.observe_batch(deltas, xs)
        first = e.estimate()
        e.observe_batch(rand(6, 3), rand(6, 4))
        e.estimate()
        e.reset()
        e.observe_batch(deltas, xs)
        for u, v in zip(first, e.estimate()):
            np.testing.assert_array_equal(u, v)


def test_config_errors():
    with pytest.raises(ValueError, match="initialization"):
        Estimator(3, 4, initialization="zeros")
    with pytest.raises(SbeError, match="SBE_E_INVALID_ARGUMENT") as e:
        Estimator(3, 4, rank=4)
    assert "rank" in e.value.message
    with pytest.raises(SbeError, match="SBE_E_INVALID_ARGUMENT"):
        Estimator(3, 4, quantization_bits=40)


def test_batch_svd_and_rayleigh_replay():
    u, v = rand(6), rand(9)
    deltas = (np.outer(RNG.standard_normal(64), u) + 0.05 * rand(64, 6)).astype(np.float32)
    xs = (np.outer(RNG.standard_normal(64), v) + 0.05 * rand(64, 9)).astype(np.float32)
    from sbecore import batch_svd
    s, d, x = batch_svd(deltas, xs, k=2)
    m = deltas.T.astype(np.float64) @ xs / 64
    np.testing.assert_allclose(s, np.linalg.svd(m, compute_uv=False)[:2], rtol=1e-3)
    with Estimator(6, 9, magnitude="rayleigh", seed=1) as e:
        for _ in range(3):
            e.observe_batch(deltas, xs)
            _, de, xe = e.estimate()
        replay = e.replay_magnitudes(deltas, xs)
        np.testing.assert_allclose(replay[0], de[0] @ m @ xe[0], rtol=1e-4)
        assert abs(abs(replay[0]) - s[0]) <= 1e-2 * s[0]          # converged to the top singular value


def test_steady_state_calls_allocate_nothing():
    import sbecore
    with Estimator(8, 12, seed=2) as e, sbecore.Tile(8, 12) as t:
        deltas, xs = rand(16, 8), rand(16, 12)
        y = np.empty((16, 8), np.float32)
        for round_ in range(2):
            before = sbecore.allocated_bytes()
            for _ in range(50):
                e.observe_batch(deltas, xs)
                s, d, x = e.estimate()
                t.read(xs, out=y)
                t.write(0.01, d[0], x[0])
            if round_ == 1:
                assert sbecore.allocated_bytes() - before == 0


def test_estimator_state_round_trips_and_bad_states_change_nothing():
    from sbecore import Estimator, SbeError
    rng = np.random.default_rng(3)
    d, x = rng.standard_normal((40, 6)).astype(np.float32), rng.standard_normal((40, 9)).astype(np.float32)
    with Estimator(6, 9, rank=2, sub_batch=3, seed=4) as a, Estimator(6, 9, rank=2, sub_batch=3, seed=4) as b:
        a.observe_batch(d[:17], x[:17])
        b.observe_batch(d[17:20], x[17:20])  # another history, replaced by the load
        b.set_state(a.get_state())
        assert b.get_state() == a.get_state()
        a.observe_batch(d[20:], x[20:])
        b.observe_batch(d[20:], x[20:])
        for ea, eb in zip(a.estimate(), b.estimate()):
            np.testing.assert_array_equal(ea, eb)
        before = b.get_state()
        with Estimator(6, 9, rank=1, seed=4) as other:
            for bad in (other.get_state(), before[:-1], before + b"\0", b"junk"):
                with pytest.raises(SbeError):
                    b.set_state(bad)
                assert b.get_state() == before
        with pytest.raises(TypeError):
            b.set_state("text")
