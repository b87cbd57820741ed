"""sbecore.torch: AnalogLinear equals nn.Linear on the ideal device, every update rule trains an MLP in a plain torch
loop, step() applies the device's post-update step, and state_dict round-trips the tiles."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from sbecore import SbeError, Tile  # noqa: E402
from sbecore import devices as dv  # noqa: E402
from sbecore.torch import AnalogLinear, CrossbarOptimizer, convert_to_analog  # noqa: E402

METHODS = [("sgd", 1), ("minibatch", 1), ("svd", 1), ("sbe", 1), ("sbe", 4)]


@pytest.mark.parametrize("bias", [True, False])
def test_ideal_analog_linear_equals_nn_linear_outputs_and_gradients(bias):
    torch.manual_seed(0)
    digital = nn.Linear(7, 5, bias=bias)
    analog = AnalogLinear.from_digital(digital)
    for shape in [(4, 7), (2, 3, 7), (7,)]:
        x1 = torch.randn(*shape, requires_grad=True)
        x2 = x1.detach().clone().requires_grad_(True)
        y1, y2 = digital(x1), analog(x2)
        assert y2.shape == y1.shape
        torch.testing.assert_close(y2, y1, rtol=1e-5, atol=1e-6)
        g = torch.randn_like(y1)
        y1.backward(g)
        y2.backward(g)
        torch.testing.assert_close(x2.grad, x1.grad, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(analog.weight, digital.weight.detach())


@pytest.mark.parametrize("method, rank", [("sgd", 1), ("minibatch", 1), ("svd", 3)])
def test_on_the_ideal_device_the_exact_rules_take_the_digital_sgd_step(method, rank):
    """sgd (one rank-1 write per sample), minibatch (dense) and full-rank svd all write exactly lr * G."""
    torch.manual_seed(1)
    digital = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 3))
    analog = convert_to_analog(digital)
    x, y = torch.randn(6, 4), torch.tensor([0, 1, 2, 0, 1, 2])
    sgd, cross = torch.optim.SGD(digital.parameters(), lr=0.1), CrossbarOptimizer(analog, method=method, rank=rank, lr=0.1)
    for _ in range(3):
        for model, opt in ((digital, sgd), (analog, cross)):
            opt.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
    for d, a in ((digital[0], analog[0]), (digital[2], analog[2])):
        torch.testing.assert_close(a.weight, d.weight.detach(), rtol=1e-4, atol=1e-5)
        torch.testing.assert_close(a.bias, d.bias.detach(), rtol=1e-4, atol=1e-5)


def blobs(n=600, classes=4, dim=12, seed=0):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(classes, dim, generator=g) * 2.0
    labels = torch.randint(0, classes, (n,), generator=g)
    return centers[labels] + 0.7 * torch.randn(n, dim, generator=g), labels


def train(model, opt, x, y, epochs=8, batch=16):
    for _ in range(epochs):
        for i in range(0, len(x), batch):
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[i:i + batch]), y[i:i + batch]).backward()
            opt.step()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


@pytest.mark.parametrize("method, rank", METHODS)
@pytest.mark.parametrize("device", ["ideal", "GokmenVlasov"])
def test_an_mlp_trains_with_each_rule_in_a_plain_torch_loop(method, rank, device):
    torch.manual_seed(2)
    x, y = blobs()
    model = convert_to_analog(nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 4)), None if device == "ideal" else device, seed=3)
    opt = CrossbarOptimizer(model, method=method, rank=rank, lr=0.05)
    with torch.no_grad():
        before = (model(x).argmax(1) == y).float().mean().item()
    accuracy = train(model, opt, x, y)
    assert accuracy > 0.9 and accuracy > before + 0.3, (method, rank, device, before, accuracy)
    counters = opt.counters()
    assert all(c["rank_one_writes"] > 0 for c in counters)
    if device != "ideal":
        assert all(c["total_pulses"] > 0 for c in counters)


def test_counters_and_peripheral_memory_follow_the_rule():
    model = convert_to_analog(nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 4)))
    x, y = blobs(n=32)
    memory = {}
    for method, rank in METHODS:
        opt = CrossbarOptimizer(model, method=method, rank=rank, lr=0.01)
        before = [c["rank_one_writes"] for c in opt.counters()]
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
        after = opt.counters()
        writes = [a["rank_one_writes"] - b for a, b in zip(after, before)]
        expected = {"sgd": [32, 32], "minibatch": [13, 4], "svd": [1, 1], "sbe": [rank, rank]}[method]
        assert writes == expected, (method, rank, writes)
        memory[f"{method}-{rank}"] = sum(c["peripheral_memory_bytes"] for c in after)
        opt.detach()
    assert memory["sbe-1"] == 4 * ((16 + 13 + 1) + (4 + 17 + 1))
    assert memory["sbe-1"] < memory["sbe-4"] < memory["minibatch-1"] == 4 * (16 * 13 + 4 * 17)


def test_step_calls_the_tiles_post_update_step_once():
    """A lifetime-2 device decays halfway to its reset value (0) at each post-update step."""
    device = dv.ConstantStepDevice(lifetime=2.0, lifetime_dtod=0.0, w_max=1.0, w_min=-1.0, w_max_dtod=0.0, w_min_dtod=0.0)
    layer = AnalogLinear(3, 2, bias=False, rpu_config=device)
    layer.set_weights(torch.full((2, 3), 0.4))
    opt = CrossbarOptimizer(layer, method="sgd", lr=1e-9)
    layer(torch.zeros(1, 3)).sum().backward()  # x = 0: the write changes nothing
    opt.step()
    torch.testing.assert_close(layer.weight, torch.full((2, 3), 0.2))
    opt.step()  # no samples: no write, but still one post-update step
    torch.testing.assert_close(layer.weight, torch.full((2, 3), 0.1))


def test_digital_parameters_get_plain_sgd_with_the_same_lr():
    torch.manual_seed(4)
    model = nn.Sequential(AnalogLinear(5, 4), nn.ReLU(), nn.Linear(4, 2))
    opt = CrossbarOptimizer(model, method="sbe", lr=0.1)
    scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    nn.functional.cross_entropy(model(torch.randn(8, 5)), torch.randint(0, 2, (8,))).backward()
    before, grad = model[2].weight.detach().clone(), model[2].weight.grad.clone()
    opt.step()
    torch.testing.assert_close(model[2].weight.detach(), before - 0.1 * grad)
    scheduler.step()
    assert [g["lr"] for g in opt.param_groups] == [0.05, 0.05]


def test_state_dict_round_trips_weights_device_state_and_counters(tmp_path):
    torch.manual_seed(5)
    model = convert_to_analog(nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3)), "EcRam", seed=9)
    opt = CrossbarOptimizer(model, method="sbe", rank=2, lr=0.05)
    x, y = torch.randn(20, 6), torch.randint(0, 3, (20,))
    for _ in range(3):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    torch.save(model.state_dict(), tmp_path / "m.pt")
    fresh = convert_to_analog(nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3)), "EcRam", seed=1)
    assert not torch.equal(fresh[0].weight, model[0].weight)
    result = fresh.load_state_dict(torch.load(tmp_path / "m.pt"))
    assert not result.missing_keys and not result.unexpected_keys
    for a, b in ((model[0], fresh[0]), (model[2], fresh[2])):
        assert torch.equal(a.weight, b.weight) and torch.equal(a.bias, b.bias)
        assert a.counters() == b.counters() and a.counters()["total_pulses"] > 0
        np.testing.assert_array_equal(a.tile.pulses(), b.tile.pulses())
    wrong = convert_to_analog(nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 3)))
    with pytest.raises(RuntimeError, match="tile_state"):
        wrong.load_state_dict(torch.load(tmp_path / "m.pt"))


def test_noisy_reads_have_the_tiles_statistics():
    """The layer's forward is the tile's read: the same I/O noise as a Tile with that config."""
    config = dv.SingleRPUConfig(forward=dv.IOParameters(out_noise=0.1))
    layer = AnalogLinear(8, 4, bias=False, rpu_config=config, seed=1)
    x = torch.rand(1, 8).repeat(4000, 1)
    with torch.no_grad():
        y = layer(x).numpy()
    with Tile(4, 8, 2, device=config) as tile:
        tile.set_weights(layer.weight.numpy())
        z = tile.read(np.ascontiguousarray(x.numpy()))
    assert y.std(0).mean() > 0.05  # really noisy
    np.testing.assert_allclose(y.mean(0), z.mean(0), atol=0.01)
    np.testing.assert_allclose(y.std(0), z.std(0), rtol=0.1)


def test_bad_input_is_a_clear_error():
    layer = AnalogLinear(3, 2)
    with pytest.raises(ValueError, match="width 3"):
        layer(torch.zeros(2, 4))
    with pytest.raises(SbeError, match="finite"):
        layer(torch.tensor([[float("nan"), 0.0, 0.0]]))
    with pytest.raises(ValueError, match="no AnalogLinear"):
        CrossbarOptimizer(nn.Linear(2, 2))
    with pytest.raises(ValueError, match="method"):
        CrossbarOptimizer(layer, method="adam")
    with pytest.raises(ValueError, match="one per analog layer"):
        CrossbarOptimizer(layer, seed=[1, 2])
    CrossbarOptimizer(layer)
    with pytest.raises(ValueError, match="already driven"):
        CrossbarOptimizer(layer)
    with pytest.raises(SbeError, match="device.dw_min"):
        AnalogLinear(3, 2, rpu_config=dv.ConstantStepDevice(dw_min=0))


@pytest.mark.parametrize("method, batch", [("minibatch", 16), ("sgd", 1)])
def test_the_torch_path_and_the_librarys_network_reach_the_same_weights(method, batch):
    """Ideal device, same start, same batches in the same order: sbecore.Network.train_batch and a plain torch loop
    over convert_to_analog + CrossbarOptimizer end within float rounding of each other."""
    from sbecore import Network
    x, y = blobs(n=96, classes=3, dim=8, seed=7)
    xs, ys = x.numpy().astype(np.float32), y.numpy().astype(np.int32)
    with Network((8, 6, 3), method=method, seed=11) as net:
        model = nn.Sequential(AnalogLinear(8, 6), nn.ReLU(), AnalogLinear(6, 3))
        for i in (0, 1):
            w = torch.from_numpy(net.weights(i))
            model[2 * i].set_weights(w[:, :-1], w[:, -1])
        opt = CrossbarOptimizer(model, method=method, lr=0.1)
        for i in range(0, len(xs), batch):
            net.train_batch(np.ascontiguousarray(xs[i:i + batch]), np.ascontiguousarray(ys[i:i + batch]), 0.1)
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[i:i + batch]), y[i:i + batch]).backward()
            opt.step()
        for i in (0, 1):
            w = torch.from_numpy(net.weights(i))
            assert not torch.allclose(w[:, :-1], torch.zeros_like(w[:, :-1]))
            torch.testing.assert_close(model[2 * i].weight, w[:, :-1], rtol=1e-4, atol=2e-5)
            torch.testing.assert_close(model[2 * i].bias, w[:, -1], rtol=1e-4, atol=2e-5)


def test_sbecore_alone_never_imports_torch_and_sbecore_torch_explains_a_missing_torch():
    import subprocess
    import sys
    root = str(__import__("pathlib").Path(__file__).resolve().parents[1])
    code = ("import sys; sys.path.insert(0, %r); import sbecore, sbecore.devices, sbecore.presets; "
            "assert 'torch' not in sys.modules, 'sbecore imported torch'; "
            "sys.modules['torch'] = None\n"
            "try:\n    import sbecore.torch\nexcept ImportError as e:\n    assert 'needs PyTorch' in str(e), e\nelse:\n    raise SystemExit('imported')" % root)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("method, rank", METHODS)
def test_a_checkpoint_of_model_and_optimizer_continues_exactly(method, rank, tmp_path):
    """Saved between backward and step (pending pairs, gradient or estimator mid-batch) on a pulsed device: the
    restored run writes exactly what the original writes."""
    x, y = blobs(n=64, classes=3, dim=6, seed=8)

    def build(seed):
        model = convert_to_analog(nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3)), "EcRam", seed=3)
        return model, CrossbarOptimizer(model, method=method, rank=rank, lr=0.05, seed=seed)

    def batch(model, opt, i, step=True):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x[8 * i:8 * i + 8]), y[8 * i:8 * i + 8]).backward()
        if step:
            opt.step()

    model, opt = build(0)
    for i in range(3):
        batch(model, opt, i)
    batch(model, opt, 3, step=False)  # mid-step: the rule holds this batch
    torch.save({"model": model.state_dict(), "opt": opt.state_dict()}, tmp_path / "ckpt.pt")
    opt.step()
    for i in range(4, 7):
        batch(model, opt, i)

    restored, ropt = build(0)
    ckpt = torch.load(tmp_path / "ckpt.pt")
    restored.load_state_dict(ckpt["model"])
    ropt.load_state_dict(ckpt["opt"])
    ropt.step()
    for i in range(4, 7):
        batch(restored, ropt, i)
    for a, b in ((model[0], restored[0]), (model[2], restored[2])):
        assert torch.equal(a.weight, b.weight) and torch.equal(a.bias, b.bias)
        assert a.counters() == b.counters()


def test_an_optimizer_state_of_another_kind_is_refused_and_changes_nothing():
    model = convert_to_analog(nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3)))
    sbe = CrossbarOptimizer(model, method="sbe", rank=2, lr=0.05, seed=1)
    state = sbe.state_dict()
    sbe.detach()
    other_seed = CrossbarOptimizer(model, method="sbe", rank=2, lr=0.05, seed=7)
    before = [layer._rule.estimator.get_state() for layer in other_seed.layers]
    with pytest.raises(SbeError, match="another shape or options"):
        other_seed.load_state_dict(state)
    assert [layer._rule.estimator.get_state() for layer in other_seed.layers] == before
    other_seed.detach()
    with pytest.raises(ValueError, match="sbe rank 2"):
        CrossbarOptimizer(model, method="sbe", rank=1).load_state_dict(state)


@pytest.mark.parametrize("method", ["sgd", "svd", "minibatch", "sbe"])
def test_the_rule_keeps_its_own_pairs_when_the_caller_reuses_its_tensors(method):
    """Inputs and output gradients overwritten between backward and step() (zero-copy on the way in) leave the update
    as it was: the layer hands its rule copies of anything it shares with the caller."""
    def run(clobber):
        torch.manual_seed(9)
        layer = AnalogLinear(5, 3, bias=False)
        opt = CrossbarOptimizer(layer, method=method, rank=3, lr=0.1, seed=2)
        x, g = torch.randn(4, 5), torch.randn(4, 3)
        layer(x).backward(g)
        if clobber:
            x.fill_(7.0)
            g.fill_(-3.0)
        opt.step()
        return layer.weight
    torch.testing.assert_close(run(True), run(False), rtol=0, atol=0)


def test_set_threads_reaches_every_tile_and_keeps_the_weights():
    """Two steps of a pulsed, noisy-read model: the same outputs and weights on 1 and 3 threads (each tile's reads and
    writes split only where the work pays, so small tiles may stay on one thread: the results may not change anyway)."""
    from sbecore.torch import set_threads

    def run(threads):
        torch.manual_seed(3)
        model = convert_to_analog(nn.Sequential(nn.Linear(300, 200), nn.ReLU(), nn.Linear(200, 10)),
                                  dv.SingleRPUConfig(device=dv.ConstantStepDevice()), seed=5)
        assert set_threads(model, threads) == 2
        assert all(m.tile.threads == threads for m in model.modules() if hasattr(m, "tile"))
        opt = CrossbarOptimizer(model, method="sgd", lr=0.05)
        x, y = torch.randn(64, 300), torch.randint(0, 10, (64,))
        outs = []
        for _ in range(2):
            opt.zero_grad()
            out = model(x)
            nn.functional.cross_entropy(out, y).backward()
            opt.step()
            outs.append(out.detach().clone())
        return outs, [p.detach().clone() for p in model.parameters()]

    (o1, w1), (o3, w3) = run(1), run(3)
    for a, b in zip(o1 + w1, o3 + w3):
        assert torch.equal(a, b)
    from sbecore.torch import set_threads as again
    with pytest.raises(SbeError):
        again(nn.Sequential(AnalogLinear(3, 2)), 0)
