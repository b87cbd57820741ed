"""The paper's experiment through the Python binding: a 784-100-10 ReLU network on the repository's MNIST-10k
(8,000 train / 2,000 test), trained by SBE rank 1 (or another method) with one rank-1 write per layer and batch.

    SBECORE_LIBRARY=artifacts/native /usr/bin/python3 bindings/python/examples/mnist_sbe.py --epochs 5 --batch 32
"""
from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path
from typing import Tuple

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import sbecore  # noqa: E402

DATA = Path(__file__).resolve().parents[3] / "data" / "mnist-10k"


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (optionally .gz) as a uint8 array of its declared shape."""
    raw = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
    dims = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_mnist10k(folder: Path = DATA) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(train images, train labels, test images, test labels): float32 in [0, 1] (n, 784) and int32."""
    images = read_idx(folder / "images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / np.float32(255)
    labels = read_idx(folder / "labels-idx1-ubyte.gz").astype(np.int32)
    return images[:8000], labels[:8000], images[8000:], labels[8000:]


def run(epochs: int = 5, batch: int = 32, learning_rate: float = 0.05, method: str = "sbe", seed: int = 0,
        device: str = "ideal") -> dict:
    x, y, xt, yt = load_mnist10k()
    with sbecore.Network((784, 100, 10), method=method, seed=seed, device=device) as net:
        for epoch in range(epochs):
            m = net.train_epoch(x, y, batch, learning_rate, shuffle_seed=seed * 1000 + epoch)
            test = net.evaluate(xt, yt)
            print(f"epoch {epoch + 1}: train loss {m['mean_training_loss']:.4f}, test accuracy {test['accuracy']:.4f}, "
                  f"rank-1 writes {m['rank_one_writes']}, {m['seconds']:.2f} s")
        return {"train": m, "test": test}


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--method", default="sbe", choices=["sgd", "minibatch", "truncated_svd", "sbe"])
    p.add_argument("--device", default="ideal")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    run(a.epochs, a.batch, a.lr, a.method, a.seed, a.device)
