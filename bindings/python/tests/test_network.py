import numpy as np
import pytest

from sbecore import Network, SbeError

RNG = np.random.default_rng(3)


@pytest.fixture(scope="module")
def data():
    """A learnable problem: the class is the arg-max of a fixed linear map of the input."""
    x = RNG.random((600, 12), dtype=np.float32)
    y = np.argmax((x - 0.5) @ RNG.standard_normal((12, 3)), axis=1).astype(np.int32)
    return x, y


@pytest.mark.parametrize("method, lr", [("sbe", 0.1), ("sgd", 0.02), ("minibatch", 0.1), ("truncated_svd", 0.1), ("sbpca", 0.1), ("lrt", 0.1)])
def test_methods_learn(data, method, lr):
    x, y = data
    with Network((12, 16, 3), method=method, seed=5) as net:
        before = net.evaluate(x, y)
        for epoch in range(20):
            metrics = net.train_epoch(x, y, batch_size=16, learning_rate=lr, shuffle_seed=epoch)
        after = net.evaluate(x, y)
        assert after["loss"] < 0.5 * before["loss"]
        assert after["accuracy"] > 0.85
        assert metrics["samples"] == 600 and metrics["batches"] == 38
        if method in ("sbe", "truncated_svd", "sbpca", "lrt"):
            assert metrics["rank_one_writes"] == 20 * 38 * 2      # rank 1: one write per layer per batch


def test_same_seed_same_run(data):
    x, y = data
    runs = []
    for _ in range(2):
        with Network((12, 8, 3), seed=9) as net:
            net.train_epoch(x, y, 32, 0.1, shuffle_seed=4)
            runs.append((net.weights(0), net.weights(1)))
    for a, b in zip(*runs):
        np.testing.assert_array_equal(a, b)


def test_predict_and_weights(data):
    x, _ = data
    with Network((12, 8, 3), seed=1) as net:
        p = net.predict(x[:5])
        assert p.shape == (5, 3)
        np.testing.assert_allclose(p.sum(axis=1), 1, atol=1e-5)
        assert net.weights(0).shape == (8, 13) and net.weights(1).shape == (3, 9)


def test_bad_input_changes_nothing(data):
    x, y = data
    with Network((12, 8, 3), seed=2) as net:
        w = net.weights(0)
        bad = y.copy()
        bad[-1] = 3
        with pytest.raises(SbeError, match="SBE_E_INVALID_ARGUMENT") as e:
            net.train_epoch(x, bad, 16, 0.1)
        assert "labels[599]" in e.value.message
        xb = x.copy()
        xb[10, 3] = np.inf
        with pytest.raises(SbeError, match="SBE_E_NON_FINITE"):
            net.train_batch(xb, y, 0.1)
        with pytest.raises(TypeError, match="int32"):
            net.train_epoch(x, y.astype(np.int64), 16, 0.1)
        with pytest.raises(TypeError, match="float32"):
            net.evaluate(x.astype(np.float64), y)
        with pytest.raises(ValueError):
            net.train_batch(x[:, :11].copy(), y, 0.1)
        np.testing.assert_array_equal(net.weights(0), w)


def test_config_errors():
    with pytest.raises(ValueError, match="method"):
        Network((4, 2), method="adam")
    with pytest.raises(SbeError, match="SBE_E_INVALID_ARGUMENT"):
        Network((4,))
    with pytest.raises(SbeError, match="SBE_E_INVALID_ARGUMENT"):
        Network((4, 0, 2))


def test_integer_arguments_are_range_checked(data):
    x, y = data
    with pytest.raises(ValueError):
        Network((12, 2**32 + 1, 3))
    with Network((12, 4, 3)) as net:
        with pytest.raises(ValueError):
            net.train_epoch(x, y, batch_size=-1, learning_rate=0.1)
        with pytest.raises(ValueError):
            net.train_epoch(x, y, batch_size=16, learning_rate=0.1, shuffle_seed=-5)
