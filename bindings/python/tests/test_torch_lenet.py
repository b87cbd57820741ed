"""LeNet-5 through sbecore.torch: a plain torch loop on MNIST-10k trains with every rule, and on the ideal device the
torch path ends where SbeCore's own layered network (architecture "lenet5") ends for the same start and data order."""
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from sbecore import Network, datasets  # noqa: E402
from sbecore.torch import AnalogConv2d, AnalogLinear, CrossbarOptimizer, convert_to_analog  # noqa: E402

REPO = Path(__file__).resolve().parents[3]


def lenet5() -> nn.Sequential:
    """SbeCore's "lenet5": conv6k5p2-pool2-conv16k5-pool2-fc120-fc84-fc10, ReLU after every layer but the last."""
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


@pytest.fixture(scope="module")
def mnist():
    """MNIST-10k as float32 images (n, 784) and int32 labels: the wheel's bundled copy, else the repository's."""
    folder = datasets.MNIST10K if datasets.MNIST10K.is_dir() else REPO / "data" / "mnist-10k"
    x, y = datasets.load_images_labels(folder / "images-idx3-ubyte.gz", folder / "labels-idx1-ubyte.gz")
    return x, y


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


# One epoch over 4,000 digits (a CI-sized subset), tested on 1,000 others. Chance is 10 %; a layer with a wrong pair
# order, a transposed fold or a missing position stays near it. Rates and batches: two or three trials each.
@pytest.mark.parametrize("method, rank, lr, batch, floor", [
    ("sgd", 1, 0.1, 8, 0.75), ("minibatch", 1, 0.1, 8, 0.7), ("svd", 1, 0.1, 4, 0.4), ("sbe", 1, 0.1, 4, 0.4)])
def test_lenet5_trains_with_each_rule_in_a_plain_torch_loop(mnist, method, rank, lr, batch, floor):
    images, labels = mnist
    x, y = torch.from_numpy(images[:4000]).reshape(-1, 1, 28, 28), torch.from_numpy(labels[:4000]).long()
    xt, yt = torch.from_numpy(images[8000:9000]).reshape(-1, 1, 28, 28), torch.from_numpy(labels[8000:9000]).long()
    torch.manual_seed(0)
    model = convert_to_analog(lenet5(), seed=1)
    assert [type(m) for m in model if isinstance(m, (AnalogConv2d, AnalogLinear))] == [AnalogConv2d] * 2 + [AnalogLinear] * 3
    opt = CrossbarOptimizer(model, method=method, rank=rank, lr=lr)
    before = accuracy(model, xt, yt)
    for i in range(0, len(x), batch):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x[i:i + batch]), y[i:i + batch]).backward()
        opt.step()
    after = accuracy(model, xt, yt)
    assert after > floor and after > before + 0.25, (method, before, after)
    writes = [c["rank_one_writes"] for c in opt.counters()]
    steps = len(x) // batch
    if method == "sgd":  # a rank-1 write per sample and output position: 784 and 100 on the conv tiles
        assert writes == [len(x) * 784, len(x) * 100, len(x), len(x), len(x)]
    elif method in ("svd", "sbe"):
        assert writes == [steps * rank] * 5


def library_rule_seed(seed: int, layer: int) -> int:
    """The library's Network.RuleSeed: SplitMix64's finaliser over (seed, stream 2 layer + 2)."""
    mask = (1 << 64) - 1
    z = (seed + 0x9E3779B97F4A7C15 * (2 * layer + 3)) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return z ^ (z >> 31)


# sbe over 3 batches only: its warm-started estimate of the 6 x 26 conv-1 gradient (near-equal singular values) turns a
# float-rounding difference into a 10x larger one per batch after the first few, as any power iteration would.
@pytest.mark.parametrize("method, batch, samples", [("minibatch", 8, 160), ("truncated_svd", 8, 160), ("sgd", 1, 48), ("sbe", 8, 24)])
def test_the_torch_path_and_the_librarys_lenet5_reach_the_same_weights(mnist, method, batch, samples):
    """Ideal device, the library's initial weights (and rule seeds), the same batches in the same order:
    Network(architecture="lenet5").train_batch and a plain torch loop over AnalogConv2d / AnalogLinear +
    CrossbarOptimizer end within float rounding."""
    images, labels = mnist
    xs, ys = images[:samples], labels[:samples]
    with Network((784, 10), architecture="lenet5", method=method, seed=5) as net:
        model = lenet5()
        analog = [m for m in model if isinstance(m, (nn.Conv2d, nn.Linear))]
        model = convert_to_analog(model)
        layers = [m for m in model if isinstance(m, (AnalogConv2d, AnalogLinear))]
        assert len(layers) == len(analog) == net.layer_count
        for i, layer in enumerate(layers):
            w = torch.from_numpy(net.weights(i))
            layer.set_weights(w[:, :-1].reshape(layer.weight.shape), w[:, -1])
        start = [layer.tile.get_weights() for layer in layers]
        seeds = [library_rule_seed(5, i) for i in range(len(layers))]
        opt = CrossbarOptimizer(model, method="svd" if method == "truncated_svd" else method, rank=1, lr=0.05, seed=seeds)
        for i in range(0, samples, batch):
            xb, yb = np.ascontiguousarray(xs[i:i + batch]), np.ascontiguousarray(ys[i:i + batch])
            net.train_batch(xb, yb, 0.05)
            opt.zero_grad()
            nn.functional.cross_entropy(model(torch.from_numpy(xb).reshape(-1, 1, 28, 28)), torch.from_numpy(yb).long()).backward()
            opt.step()
        for i, layer in enumerate(layers):
            w = net.weights(i)
            moved = np.abs(w - start[i]).max()
            assert moved > 1e-3, (i, moved)  # both really trained
            np.testing.assert_allclose(layer.tile.get_weights(), w, rtol=1e-4, atol=1e-5, err_msg=f"layer {i}")
