"""sbecore.torch.AnalogConv2d: equals nn.Conv2d on the ideal device (outputs and input gradients), hands each rule the
n x P (delta, patch) pairs of SbeCore's conv layer, and refuses what it cannot map, clearly."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

from sbecore import Estimator, SbeError, batch_svd  # noqa: E402
from sbecore.torch import AnalogConv2d, AnalogLinear, CrossbarOptimizer, convert_to_analog  # noqa: E402

# (in, out, kernel, stride, padding, dilation, bias, H, W)
GEOMETRIES = [
    (1, 3, 3, 1, 0, 1, True, 8, 8),
    (2, 4, (3, 2), 2, 1, 1, False, 9, 7),
    (3, 2, 5, 1, 2, 1, True, 10, 10),
    (2, 5, 1, 3, 0, 1, True, 7, 7),
    (1, 2, 3, 1, 1, 2, True, 9, 9),
    (2, 3, 4, 1, 0, 1, True, 4, 4),  # the kernel covers the whole input: P = 1
    (2, 3, 3, (2, 1), (0, 2), 1, True, 8, 6),
]


def pair(digital):
    return digital, AnalogConv2d.from_digital(digital)


@pytest.mark.parametrize("geometry", GEOMETRIES)
def test_ideal_analog_conv_equals_nn_conv2d_outputs_and_input_gradients(geometry):
    cin, cout, k, s, p, d, bias, h, w = geometry
    torch.manual_seed(0)
    digital, analog = pair(nn.Conv2d(cin, cout, k, s, p, d, bias=bias))
    for shape in [(4, cin, h, w), (cin, h, w)]:
        x1 = torch.randn(*shape, requires_grad=True)
        x2 = x1.detach().clone().requires_grad_(True)
        y1, y2 = digital(x1), analog(x2)
        assert y2.shape == y1.shape
        torch.testing.assert_close(y2, y1, rtol=1e-5, atol=1e-5)
        g = torch.randn_like(y1)
        y1.backward(g)
        y2.backward(g)
        torch.testing.assert_close(x2.grad, x1.grad, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(analog.weight, digital.weight.detach())
    if bias:
        torch.testing.assert_close(analog.bias, digital.bias.detach())


def tile_matrix(conv: nn.Conv2d, weights: bool = True):
    """The layer's tile view of a Conv2d: weights (or their gradient) as out x (in k k [+ bias])."""
    w = conv.weight if weights else conv.weight.grad
    m = w.detach().reshape(conv.out_channels, -1)
    if conv.bias is not None:
        m = torch.cat([m, (conv.bias if weights else conv.bias.grad).detach()[:, None]], 1)
    return m


def one_step(geometry, method, rank, lr=0.1, n=3, seed=0):
    """One CrossbarOptimizer step on the ideal device next to the digital gradient G of the same batch."""
    cin, cout, k, s, p, d, bias, h, w = geometry
    torch.manual_seed(seed)
    digital, analog = pair(nn.Conv2d(cin, cout, k, s, p, d, bias=bias))
    x = torch.randn(n, cin, h, w)
    g = torch.randn_like(digital(x))
    (digital(x) * g).sum().backward()
    opt = CrossbarOptimizer(analog, method=method, rank=rank, lr=lr, seed=seed)
    before = tile_matrix(digital)
    (analog(x) * g).sum().backward()
    # the pairs as SbeCore's conv layer forms them: per sample, per output position (position-major), bias input 1
    patches = F.unfold(x, digital.kernel_size, digital.dilation, digital.padding, digital.stride).transpose(1, 2)
    if bias:
        patches = torch.cat([patches, torch.ones(*patches.shape[:2], 1)], 2)
    deltas = g.reshape(n, cout, -1).transpose(1, 2)
    opt.step()
    after = torch.from_numpy(analog.tile.get_weights())
    return before, after, tile_matrix(digital, weights=False), deltas.reshape(-1, cout).contiguous(), patches.reshape(n * deltas.shape[1], -1).contiguous(), analog


@pytest.mark.parametrize("geometry", GEOMETRIES[:5])
@pytest.mark.parametrize("method", ["sgd", "minibatch", "svd-full"])
def test_the_exact_rules_write_the_digital_gradient(geometry, method):
    """sgd (a rank-1 write per sample and position), minibatch (dense G) and full-rank svd all write lr G."""
    rank = min(geometry[1], geometry[0] * np.prod(np.broadcast_to(geometry[2], 2)) + geometry[6])
    name = "svd" if method == "svd-full" else method
    before, after, grad, deltas, patches, analog = one_step(geometry, name, int(rank) if name == "svd" else 1)
    torch.testing.assert_close(after, before - 0.1 * grad, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(deltas.T @ patches, grad, rtol=1e-4, atol=1e-4)  # the pairs sum to G
    pairs, rows, cols = deltas.shape[0], analog.tile.rows, analog.tile.cols
    expected = {"sgd": pairs, "minibatch": min(pairs, rows, cols), "svd": int(rank)}[name]
    assert analog.counters()["rank_one_writes"] == expected


@pytest.mark.parametrize("geometry", [GEOMETRIES[0], GEOMETRIES[2]])
def test_svd_1_writes_the_top_triplet_of_g(geometry):
    before, after, grad, _, _, _ = one_step(geometry, "svd", 1)
    u, s, vh = torch.linalg.svd(grad.double())
    top = (s[0] * torch.outer(u[:, 0], vh[0])).float()
    torch.testing.assert_close(after, before - 0.1 * top, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("geometry", [GEOMETRIES[0], GEOMETRIES[1], GEOMETRIES[2]])
@pytest.mark.parametrize("rank", [1, 2])
def test_sbe_streams_exactly_the_n_x_p_pairs_into_its_estimator(geometry, rank):
    """sbe-k on the layer writes what an estimator fed the same n x P pairs (sample-major, position-major) estimates,
    scaled from the pairs' mean to their sum."""
    before, after, grad, deltas, patches, analog = one_step(geometry, "sbe", rank, seed=4)
    k = min(rank, analog.tile.rows, analog.tile.cols)
    with Estimator(analog.tile.rows, analog.tile.cols, k, seed=4) as est:
        est.observe_batch(deltas.numpy(), patches.numpy())
        s, d, x = est.estimate()
    update = torch.from_numpy((d.T * s) @ x) * deltas.shape[0]
    torch.testing.assert_close(after, before - 0.1 * update, rtol=1e-4, atol=1e-5)
    assert analog.counters()["rank_one_writes"] == k


def test_convert_to_analog_replaces_conv2d_and_linear_with_the_same_weights_and_seeds():
    torch.manual_seed(3)
    digital = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 4 * 4, 3))
    analog = convert_to_analog(digital, "EcRam", seed=5)
    assert isinstance(analog[0], AnalogConv2d) and isinstance(analog[3], AnalogLinear)
    assert isinstance(digital[0], nn.Conv2d)  # a copy by default
    assert (analog[0].seed, analog[3].seed) == (5, 6)
    ideal = convert_to_analog(digital)
    x = torch.randn(2, 1, 6, 6)
    torch.testing.assert_close(ideal(x), digital(x), rtol=1e-5, atol=1e-5)


def test_state_dict_round_trips_a_conv_tile(tmp_path):
    layer = AnalogConv2d(2, 3, 3, rpu_config="EcRam", seed=2)
    opt = CrossbarOptimizer(layer, method="sgd", lr=0.05)
    layer(torch.randn(2, 2, 5, 5)).sum().backward()
    opt.step()
    torch.save(layer.state_dict(), tmp_path / "c.pt")
    fresh = AnalogConv2d(2, 3, 3, rpu_config="EcRam", seed=9)
    fresh.load_state_dict(torch.load(tmp_path / "c.pt"))
    assert torch.equal(fresh.weight, layer.weight) and fresh.counters() == layer.counters()
    with pytest.raises(RuntimeError, match="tile_state"):
        AnalogConv2d(2, 3, 2).load_state_dict(torch.load(tmp_path / "c.pt"))


def test_other_dtypes_and_non_contiguous_inputs_give_the_contiguous_float32_result():
    torch.manual_seed(6)
    digital, analog = pair(nn.Conv2d(3, 4, 3, padding=1))
    x = torch.randn(2, 5, 6, 3).permute(0, 3, 1, 2)  # non-contiguous (channels last)
    assert not x.is_contiguous()
    torch.testing.assert_close(analog(x), digital(x), rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(analog(x.contiguous()), analog(x))
    x64 = x.double().requires_grad_(True)
    y = analog(x64)
    y.sum().backward()
    assert x64.grad.dtype == torch.float64 and x64.grad.shape == x64.shape
    sliced = torch.randn(2, 3, 12, 12)[:, :, ::2, ::2]  # strided view
    torch.testing.assert_close(analog(sliced), digital(sliced), rtol=1e-5, atol=1e-5)


def test_bad_input_and_unmappable_layers_are_refused_clearly():
    layer = AnalogConv2d(2, 3, 3)
    before = layer.tile.get_weights()
    with pytest.raises(ValueError, match="in_channels=2"):
        layer(torch.zeros(1, 3, 5, 5))
    with pytest.raises(ValueError, match="in_channels=2"):
        layer(torch.zeros(2, 25))
    with pytest.raises(ValueError, match="smaller than the kernel"):
        layer(torch.zeros(1, 2, 2, 5))
    with pytest.raises(TypeError, match="floating-point"):
        layer(torch.zeros(1, 2, 5, 5, dtype=torch.int64))
    with pytest.raises(TypeError, match="torch.Tensor"):
        layer(np.zeros((1, 2, 5, 5), np.float32))
    with pytest.raises(SbeError, match="finite"):
        layer(torch.full((1, 2, 5, 5), float("nan")))
    np.testing.assert_array_equal(layer.tile.get_weights(), before)
    with pytest.raises(ValueError, match="groups"):
        AnalogConv2d(2, 4, 3, groups=2)
    with pytest.raises(ValueError, match="padding_mode"):
        AnalogConv2d(2, 4, 3, padding_mode="reflect")
    with pytest.raises(ValueError, match="padding='same' needs stride 1 and an odd"):
        AnalogConv2d(2, 4, 4, padding="same")
    with pytest.raises(ValueError, match="padding='same' needs stride 1"):
        AnalogConv2d(2, 4, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding must be"):
        AnalogConv2d(2, 4, 3, padding="full")
    with pytest.raises(ValueError, match="kernel_size"):
        AnalogConv2d(2, 4, 0)
    with pytest.raises(ValueError, match="stride"):
        AnalogConv2d(2, 4, 3, stride=(1, 0))
    with pytest.raises(ValueError, match="out_channels"):
        AnalogConv2d(2, 0, 3)
    with pytest.raises(ValueError, match="weight must have shape"):
        layer.set_weights(torch.zeros(3, 2, 2, 2))
    model = nn.Sequential(nn.Conv2d(4, 4, 3), nn.Conv2d(4, 4, 3, groups=2))
    with pytest.raises(ValueError, match="layer '1'.*groups must be 1"):
        convert_to_analog(model)
    model = nn.Sequential(nn.Linear(4, 4), nn.Unflatten(1, (1, 2, 2)), nn.Conv2d(1, 2, 2, padding="same"))
    with pytest.raises(ValueError, match="layer '2'.*padding='same'"):
        convert_to_analog(model, inplace=True)
    assert isinstance(model[0], nn.Linear)  # refused before anything was replaced


@pytest.mark.parametrize("kernel, dilation", [(3, 1), ((5, 3), 1), (3, 2), (2, 2)])
def test_same_padding_equals_nn_conv2d_when_symmetric(kernel, dilation):
    torch.manual_seed(8)
    digital, analog = pair(nn.Conv2d(2, 3, kernel, padding="same", dilation=dilation))
    x = torch.randn(2, 2, 7, 6)
    assert analog(x).shape == x.shape[:1] + (3,) + x.shape[2:]
    torch.testing.assert_close(analog(x), digital(x), rtol=1e-5, atol=1e-5)
