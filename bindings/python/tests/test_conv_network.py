"""Networks built from layers (convolutions, pools, dense) through the bindings."""
import numpy as np
import pytest

from sbecore import Network, SbeError

S, CLASSES = 8, 4


@pytest.fixture(scope="module")
def images():
    """8 x 8 images whose class is the quadrant holding a bright 2 x 2 blob."""
    rng = np.random.default_rng(11)
    n = 400
    x = (0.2 * rng.random((n, S, S))).astype(np.float32)
    y = (np.arange(n) % CLASSES).astype(np.int32)
    for j, q in enumerate(y):
        y0, x0 = (q // 2) * (S // 2) + 1, (q % 2) * (S // 2) + 1
        x[j, y0:y0 + 2, x0:x0 + 2] = 1.0
    return x.reshape(n, S * S), y


@pytest.mark.parametrize("method, lr", [("sgd", 0.01), ("minibatch", 0.1), ("truncated_svd", 0.1), ("sbe", 0.1)])
def test_conv_net_learns_with_every_method(images, method, lr):
    x, y = images
    with Network((S * S, CLASSES), architecture="conv4k3p1-maxpool2-fc16", method=method, seed=3) as net:
        assert net.layer_count == 3
        assert net.layer_shape(0) == (4, 10)            # 4 output channels x (1 channel x 3 x 3 + bias)
        assert net.weights(1).shape == (16, 4 * 4 * 4 + 1)
        for epoch in range(5):
            metrics = net.train_epoch(x, y, batch_size=8, learning_rate=lr, shuffle_seed=epoch + 1)
        assert net.evaluate(x, y)["accuracy"] >= 0.9
        per_epoch = len(y) * (64 + 1 + 1) if method == "sgd" else 3 * len(y) // 8   # sgd: one write per conv position
        if method != "minibatch":
            assert metrics["rank_one_writes"] == 5 * per_epoch


def test_lenet5_shapes():
    with Network((784, 10), architecture="lenet5") as net:
        assert [net.layer_shape(i) for i in range(net.layer_count)] == [(6, 26), (16, 151), (120, 401), (84, 121), (10, 85)]
        p = net.predict(np.zeros((3, 784), dtype=np.float32))
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("arch", ["conv4k9", "conv4k3-pool9", "convolution", "", "3x8x8-conv4k3"])
def test_impossible_architectures_are_refused(arch):
    with pytest.raises(SbeError):
        Network((S * S, CLASSES), architecture=arch)


def test_architecture_must_be_text():
    with pytest.raises(TypeError):
        Network((S * S, CLASSES), architecture=5)  # type: ignore[arg-type]


@pytest.mark.parametrize("method, device", [("sbe", "ideal"), ("sgd", "ecram"), ("sbpca", "ideal")])
def test_a_saved_network_continues_bit_identically(images, tmp_path, method, device):
    x, y = images
    spec = dict(architecture="conv4k3p1-maxpool2-fc16", method=method, seed=3, device=device)
    with Network((S * S, CLASSES), **spec) as whole, Network((S * S, CLASSES), **spec) as part:
        for epoch in range(4):
            whole.train_epoch(x, y, batch_size=8, learning_rate=0.05, shuffle_seed=epoch + 1)
        for epoch in range(2):
            part.train_epoch(x, y, batch_size=8, learning_rate=0.05, shuffle_seed=epoch + 1)
        part.save(tmp_path / "net.sbenet")
        with Network.load(tmp_path / "net.sbenet") as resumed:
            assert resumed.completed_epochs == 2
            assert resumed.layer_count == 3 and resumed.inputs == S * S and resumed.classes == CLASSES
            for epoch in range(resumed.completed_epochs, 4):
                resumed.train_epoch(x, y, batch_size=8, learning_rate=0.05, shuffle_seed=epoch + 1)
            for layer in range(3):
                assert np.array_equal(whole.weights(layer), resumed.weights(layer))
            assert resumed.evaluate(x, y) == whole.evaluate(x, y)


def test_a_bad_checkpoint_is_refused(tmp_path):
    bad = tmp_path / "bad.sbenet"
    bad.write_bytes(b"SBENET\0\0 but nothing after it")
    with pytest.raises(SbeError, match="(?i)network checkpoint"):
        Network.load(bad)
    with pytest.raises(SbeError, match="directory"):
        Network.load(tmp_path)
    with pytest.raises(TypeError):
        Network.load(3)
