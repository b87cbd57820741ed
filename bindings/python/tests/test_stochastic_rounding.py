"""Estimator(stochastic_rounding=True): the quantised estimator's stochastic rounding (ABI 1.1)."""
import numpy as np
import pytest

from sbecore import Estimator, SbeError

ROWS, COLS = 8, 12


def batches(count=3, n=16):
    rng = np.random.default_rng(11)
    u, v = rng.standard_normal(ROWS), rng.standard_normal(COLS)
    return [((np.outer(1 + 0.5 * rng.standard_normal(n), u) + 0.3 * rng.standard_normal((n, ROWS))).astype(np.float32),
             (np.outer(np.ones(n), v) + 0.3 * rng.standard_normal((n, COLS))).astype(np.float32)) for _ in range(count)]


def run(est, data):
    out = []
    for deltas, xs in data:
        est.observe_batch(deltas, xs)
        out.append(np.concatenate(est.estimate(), axis=None))
    return np.stack(out)


def estimates(**kwargs):
    with Estimator(ROWS, COLS, **kwargs) as est:
        return run(est, batches())


def test_same_seed_same_bits_and_reset_replays():
    a = estimates(seed=7, quantization_bits=6, stochastic_rounding=True)
    assert np.array_equal(a, estimates(seed=7, quantization_bits=6, stochastic_rounding=True))
    with Estimator(ROWS, COLS, seed=7, quantization_bits=6, stochastic_rounding=True) as est:
        first = run(est, batches())
        est.reset()
        assert np.array_equal(first, run(est, batches()))
    assert np.array_equal(a, first)
    assert np.all(np.isfinite(a))


def test_differs_from_round_to_nearest():
    assert not np.array_equal(estimates(seed=7, quantization_bits=6, stochastic_rounding=True),
                              estimates(seed=7, quantization_bits=6, stochastic_rounding=False))


def test_seed_enters_through_the_draws():
    """With a seed-free start (first sample) round-to-nearest ignores the seed; stochastic rounding does not."""
    nearest = [estimates(seed=s, quantization_bits=6, initialization="first_sample") for s in (1, 2)]
    assert np.array_equal(*nearest)
    stochastic = [estimates(seed=s, quantization_bits=6, initialization="first_sample", stochastic_rounding=True) for s in (1, 2)]
    assert not np.array_equal(*stochastic)


@pytest.mark.parametrize("kwargs, error, text", [
    (dict(quantization_bits=0, stochastic_rounding=True), SbeError, "quantization_bits"),   # nothing to round
    (dict(quantization_bits=8, stochastic_rounding=2), SbeError, "stochastic_rounding"),    # checked by the library
    (dict(quantization_bits=8, stochastic_rounding=-1), ValueError, "stochastic_rounding"),
    (dict(quantization_bits=8, stochastic_rounding="yes"), TypeError, "stochastic_rounding"),
    (dict(quantization_bits=8, stochastic_rounding=1.0), TypeError, "stochastic_rounding"),
])
def test_bad_values_are_rejected(kwargs, error, text):
    with pytest.raises(error, match=text) as e:
        Estimator(ROWS, COLS, **kwargs)
    if error is SbeError:
        assert e.value.status_name == "SBE_E_INVALID_ARGUMENT"


def test_int_and_numpy_flags_are_accepted():
    reference = estimates(seed=3, quantization_bits=5, stochastic_rounding=True)
    for flag in (1, np.int32(1), np.bool_(True)):
        assert np.array_equal(estimates(seed=3, quantization_bits=5, stochastic_rounding=flag), reference)


def test_stochastic_rounding_unstalls_the_magnitude():
    """The point of the option: with a 6-bit state, round-to-nearest freezes the running mean of s once its 1/(j+1)
    steps fall below one level, so s drifts from the exact top singular value; stochastic rounding keeps it unbiased.
    Fixed seeds (deterministic); measured |s / s_exact - 1|: nearest 0.17-0.51, stochastic 0.05-0.09."""
    from sbecore import batch_svd
    rows, cols, n = 20, 30, 256
    errors = {False: [], True: []}
    for seed in range(4):
        rng = np.random.default_rng(seed)
        u, v = rng.standard_normal(rows), rng.standard_normal(cols)
        u, v = u / np.linalg.norm(u), v / np.linalg.norm(v)
        a = rng.standard_normal(n)
        deltas = (np.outer(a, u) + 0.5 * rng.standard_normal((n, rows)) / np.sqrt(rows)).astype(np.float32)
        xs = (np.outer(a, v) + 0.5 * rng.standard_normal((n, cols)) / np.sqrt(cols)).astype(np.float32)
        exact = batch_svd(deltas, xs, 1)[0][0]
        for stochastic in (False, True):
            with Estimator(rows, cols, seed=seed, quantization_bits=6, stochastic_rounding=stochastic) as est:
                for _ in range(3):
                    est.observe_batch(deltas, xs)
                    s, _, _ = est.estimate()
            errors[stochastic].append(abs(s[0] / exact - 1))
    assert max(errors[True]) < 0.12, errors
    assert min(errors[False]) > 0.12, errors
    assert all(t < f for t, f in zip(errors[True], errors[False])), errors
