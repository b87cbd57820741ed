"""sbecore.Layer: a tile layer driven call by call (sbe_layer_*), row-strided batches, rule options."""
import numpy as np
import pytest

from sbecore import Layer, Network, SbeError
from sbecore._arrays import f32_rows

RNG = np.random.default_rng(7)
IN, OUT, N = 8, 3, 5


def batch(n=N, width=IN):
    return RNG.standard_normal((n, width)).astype(np.float32)


def test_a_layer_is_the_first_layer_of_a_network_with_its_seed():
    with Layer.dense(IN, OUT, seed=5) as layer, Network((IN, OUT), seed=5) as net:
        np.testing.assert_array_equal(layer.get_weights(), net.weights(0))
        assert (layer.inputs, layer.outputs, layer.rows, layer.cols) == (IN, OUT, OUT, IN + 1)


def test_forward_and_backward_are_the_tiles_reads():
    with Layer.dense(IN, OUT, seed=1) as layer:
        w = layer.get_weights()
        x, dy = batch(), batch(width=OUT)
        np.testing.assert_allclose(layer.forward(x), x @ w[:, :IN].T + w[:, IN], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(layer.backward(dy), dy @ w[:, :IN], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("method", ["sgd", "minibatch"])
def test_update_is_the_step_of_the_summed_gradient(method):
    with Layer.dense(IN, OUT, method=method, seed=2) as layer:
        w = layer.get_weights()
        x, dy = batch(), batch(width=OUT)
        layer.forward(x)
        layer.backward(dy, input_grad=False)
        assert layer.counters["pending_pairs"] == N
        layer.update(0.01)
        xb = np.hstack([x, np.ones((N, 1), np.float32)])
        np.testing.assert_allclose(layer.get_weights(), w - 0.01 * dy.T @ xb, rtol=1e-5, atol=1e-6)
        assert layer.counters["pending_pairs"] == 0 and layer.counters["rank_one_writes"] >= 1


def test_sbe_streams_the_pairs_and_the_other_rules_keep_them():
    with Layer.dense(IN, OUT, method="sbe", rank=2, seed=3) as sbe, Layer.dense(IN, OUT, method="svd", rank=2, seed=3) as svd:
        before = sbe.counters["peripheral_memory_bytes"]
        for layer in (sbe, svd):
            layer.forward(batch())
            layer.backward(batch(width=OUT))
        assert sbe.counters["peripheral_memory_bytes"] == before              # k (a + b) + k floats, nothing of the batch
        assert svd.counters["peripheral_memory_bytes"] >= N * (IN + 1 + OUT) * 4
        sbe.update(0.1)
        svd.update(0.1)
        assert sbe.counters["rank_one_writes"] == 2 and svd.counters["rank_one_writes"] == 2


def test_row_strided_views_pass_without_a_copy_and_give_the_packed_results():
    x, dy = batch(), batch(width=OUT)
    wide, dwide = np.zeros((2 * N, IN + 4), np.float32), np.zeros((2 * N, OUT + 2), np.float32)
    wide[::2, :IN], dwide[::2, :OUT] = x, dy
    view, dview = wide[::2, :IN], dwide[::2, :OUT]
    rows, address, n, ld = f32_rows("x", view, IN)
    assert rows is view and address == view.__array_interface__["data"][0] and (n, ld) == (N, 2 * (IN + 4))
    out = np.full((N, OUT + 5), -7, np.float32)
    grad = np.full((N, IN + 1), -7, np.float32)
    with Layer.dense(IN, OUT, method="minibatch", seed=4) as packed, Layer.dense(IN, OUT, method="minibatch", seed=4) as strided:
        y, dx = packed.forward(x), packed.backward(dy)
        packed.update(0.1)
        assert strided.forward(view, out=out[:, :OUT]) is not None
        strided.backward(dview, out=grad[:, :IN])
        strided.update(0.1)
        np.testing.assert_array_equal(out[:, :OUT], y)
        np.testing.assert_array_equal(grad[:, :IN], dx)
        assert (out[:, OUT:] == -7).all() and (grad[:, IN:] == -7).all()   # the gaps are untouched
        np.testing.assert_array_equal(strided.get_weights(), packed.get_weights())


def test_other_layouts_are_copied_as_inputs_and_refused_as_outputs():
    x = batch()
    every_other = np.zeros((N, 2 * IN), np.float32)
    every_other[:, ::2] = x
    fortran = np.asfortranarray(x)
    for layout in (every_other[:, ::2], fortran, x[::-1][::-1]):
        rows, address, _, ld = f32_rows("x", layout, IN)
        assert rows.flags.c_contiguous and ld == IN
    assert f32_rows("x", every_other[:, ::2], IN)[1] != every_other.__array_interface__["data"][0]  # a copy
    with Layer.dense(IN, OUT, seed=6) as layer:
        expected = layer.forward(x)
        np.testing.assert_array_equal(layer.forward(every_other[:, ::2]), expected)
        np.testing.assert_array_equal(layer.forward(fortran), expected)
        with pytest.raises(ValueError, match="strides"):
            layer.forward(x, out=np.zeros((OUT, N), np.float32).T)
        with pytest.raises(TypeError):
            layer.forward(x.astype(np.float64))
        with pytest.raises(ValueError, match="shape"):
            layer.forward(batch(width=IN + 1))


def test_bad_calls_raise_and_change_nothing():
    with Layer.dense(IN, OUT, method="minibatch", seed=8) as layer:
        w = layer.get_weights()
        with pytest.raises(SbeError) as e:
            layer.backward(batch(width=OUT))
        assert e.value.status_name == "SBE_E_INVALID_STATE"
        x = batch()
        x[2, 3] = np.nan
        with pytest.raises(SbeError) as e:
            layer.forward(x)
        assert e.value.status_name == "SBE_E_NON_FINITE"
        layer.forward(batch())
        with pytest.raises(SbeError) as e:
            layer.backward(batch(n=N - 1, width=OUT))
        assert e.value.status_name == "SBE_E_INVALID_ARGUMENT"
        dy = batch(width=OUT)
        dy[0, 0] = np.inf
        with pytest.raises(SbeError) as e:
            layer.backward(dy)
        assert e.value.status_name == "SBE_E_NON_FINITE"
        with pytest.raises(SbeError):
            layer.update(float("nan"))
        assert layer.counters["pending_pairs"] == 0
        np.testing.assert_array_equal(layer.get_weights(), w)
        layer.close()
        with pytest.raises(SbeError) as e:
            layer.forward(batch())
        assert e.value.status_name == "SBE_E_BAD_HANDLE"


def test_a_conv_layer_reads_every_position_and_hands_them_all_to_the_rule():
    with Layer.conv2d(2, 4, 3, (6, 6), padding=1, method="minibatch", seed=9) as conv:
        assert (conv.inputs, conv.outputs, conv.rows, conv.cols) == (72, 144, 4, 19)
        x = RNG.standard_normal((3, 2, 6, 6)).astype(np.float32)
        y = conv.forward(x)
        assert y.shape == (3, 144)
        dx = conv.backward(np.ones_like(y))
        assert dx.shape == (3, 72)
        assert conv.counters["pending_pairs"] == 3 * 36


OPTIONS = {"magnitude": "start_rayleigh", "initialization": "first_sample", "division_free": False, "quantization_bits": 8,
           "oja_rate": 0.05, "stochastic_rounding": True, "warm_start": False, "published_schedule": False}
DEFAULTS = {"magnitude": "running_mean", "initialization": "gaussian", "division_free": False, "quantization_bits": 0,
            "oja_rate": 0.01, "stochastic_rounding": False, "warm_start": True, "published_schedule": False}


def test_network_rule_options_round_trip_through_the_library_and_a_checkpoint(tmp_path):
    with Network((IN, 4, OUT), method="sbe", rank=1, seed=1, **OPTIONS) as net:
        assert net.rule_options == OPTIONS
        with Network((IN, 4, OUT), method="sbe", seed=1, **net.rule_options) as again:
            assert again.rule_options == OPTIONS
        net.save(tmp_path / "net.ckpt")
        with Network.load(tmp_path / "net.ckpt") as loaded:
            assert loaded.rule_options == OPTIONS
    with Network((IN, OUT), seed=1) as plain:
        assert plain.rule_options == DEFAULTS
    with Network((IN, OUT), method="sbpca", rank=1, sub_batch=2, published_schedule=True) as sbpca:
        assert sbpca.rule_options == {**DEFAULTS, "published_schedule": True}
    with Layer.dense(IN, OUT, method="sbe", **OPTIONS) as layer:
        assert layer.rule_options == OPTIONS


def test_rule_options_change_the_training_and_defaults_do_not():
    x = RNG.random((64, IN), dtype=np.float32)
    y = RNG.integers(0, OUT, 64).astype(np.int32)
    runs = {}
    for name, kwargs in (("none", {}), ("defaults", DEFAULTS), ("cold", {"warm_start": False})):
        with Network((IN, 6, OUT), method="sbe", seed=3, **kwargs) as net:
            net.train_epoch(x, y, 8, 0.1, shuffle_seed=1)
            runs[name] = net.weights(0)
    np.testing.assert_array_equal(runs["none"], runs["defaults"])
    assert not np.array_equal(runs["none"], runs["cold"])


def test_bad_rule_options_are_refused():
    with pytest.raises(SbeError, match="only the sbe method"):
        Network((IN, OUT), method="sgd", magnitude="rayleigh")
    with pytest.raises(SbeError, match="only the sbpca method"):
        Network((IN, OUT), method="sbe", published_schedule=True)
    with pytest.raises(ValueError, match="magnitude"):
        Network((IN, OUT), magnitude="loudest")
    with pytest.raises(TypeError, match="warm_start"):
        Network((IN, OUT), warm_start=1)
    with pytest.raises(SbeError, match="stochastic"):
        Network((IN, OUT), stochastic_rounding=True)
    with pytest.raises(TypeError, match="unknown rule options"):
        Layer.dense(IN, OUT, magnitud="rayleigh")


def test_one_create_call_takes_a_device_config_with_an_architecture():
    from sbecore.devices import ConstantStepDevice
    with Network((36, 3), architecture="conv2k3-fc4", device=ConstantStepDevice(dw_min=0.002), method="sgd", seed=1) as net:
        assert net.layer_shape(0) == (2, 10)
        assert net.layer_config(0).device.dw_min == pytest.approx(0.002)
    with Layer.dense(IN, OUT, device=ConstantStepDevice(dw_min=0.003), method="sgd", seed=1) as layer:
        layer.forward(batch())
        layer.backward(batch(width=OUT))
        layer.update(0.05)
        assert layer.counters["total_pulses"] > 0
