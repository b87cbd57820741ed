"""Pulsed writes over several threads from Python: the same weights and counters for 1 and 2 threads, bad counts refused."""
import numpy as np
import pytest

from sbecore import Network, SbeError, Tile


def _write(tile: Tile) -> None:
    rng = np.random.default_rng(3)
    for t in range(6):
        d = rng.uniform(-1, 1, 300).astype(np.float32)
        x = rng.uniform(-1, 1, 400).astype(np.float32)
        tile.write(0.05 if t % 2 == 0 else -0.05, d, x)


def test_tile_threads_give_the_same_bits():
    results = []
    for threads in (1, 2):
        with Tile(300, 400, seed=5, device="GokmenVlasov") as tile:
            assert tile.threads == 1
            tile.threads = threads
            assert tile.threads == threads
            _write(tile)
            results.append((tile.weights.copy(), tile.pulses().copy()))
    assert np.array_equal(results[0][0], results[1][0])
    assert np.array_equal(results[0][1], results[1][1])
    assert results[0][1].sum() > 0


def test_network_threads_give_the_same_bits_and_bad_counts_are_refused():
    rng = np.random.default_rng(1)
    x = rng.random((64, 784), dtype=np.float32)
    y = rng.integers(0, 10, 64).astype(np.int32)
    weights = []
    for threads in (1, 2):
        with Network((784, 300, 10), method="sgd", seed=2, device="EcRam") as net:  # 300 x 785: a write splits
            net.threads = threads
            assert net.threads == threads
            net.train_batch(x, y, 0.05)
            weights.append(net.weights(0).copy())
            for bad in (0, 65):
                with pytest.raises(SbeError):
                    net.threads = bad
            assert net.threads == threads
    assert np.array_equal(weights[0], weights[1])
