"""The paper's experiment through the Python binding: a 784-100-10 ReLU network on the repository's MNIST-10k
(8,000 train / 2,000 test), trained by SBE rank 1 (or another method) with one rank-1 write per layer and batch.

    python -m venv venv && venv/bin/pip install artifacts/wheels/sbecore-*.whl     # the wheel: bindings/python/README.md
    venv/bin/python bindings/python/examples/mnist_sbe.py --epochs 5 --batch 32

The data (MNIST-10k, 8,000 train / 2,000 test digits) ships inside the package: sbecore.datasets.
"""
from __future__ import annotations

import argparse

import sbecore
from sbecore.datasets import load_mnist10k


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
    p.add_argument("--method", default="sbe", help="an update method name or alias (sbecore.method_names())")
    p.add_argument("--device", default="ideal")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    run(a.epochs, a.batch, a.lr, a.method, a.seed, a.device)
