"""LeNet-5 training throughput in PyTorch on the CPU: the reference for SbeCore's LeNetThroughputBenchmarks.

The same network as SbeCore's `lenet5` (conv6k5p2-pool2-conv16k5-pool2-fc120-fc84-fc10, ReLU, max pooling, bias in
every layer), MNIST-10k's 8,000 training digits as 1 x 28 x 28 floats in [0, 1], batch 64 in a fixed shuffled order,
softmax cross-entropy (mean over the batch), torch.optim.SGD (lr 0.01, no momentum), one thread. One timed step is
zero_grad + forward + backward + optimizer step; per-sample time = step time / 64.

    /usr/bin/python3 benchmarks/pytorch/lenet_throughput.py [--rounds 7] [--steps 40] [--threads 1] [--json]

Prints the median and range over rounds of the per-sample time (each round: --steps consecutive batches after
warm-up), so it can run alternately with the BenchmarkDotNet job on a shared machine.
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

BATCH = 64
DATA = Path(__file__).resolve().parents[2] / "data" / "mnist-10k"


def read_idx(path: Path) -> np.ndarray:
    raw = gzip.decompress(path.read_bytes())
    dims = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def lenet5() -> nn.Module:
    torch.manual_seed(1)
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=40, help="batches per timed round")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of text")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    images = read_idx(DATA / "images-idx3-ubyte.gz")[:8000].astype(np.float32) / 255.0
    labels = read_idx(DATA / "labels-idx1-ubyte.gz")[:8000].astype(np.int64)
    order = np.random.default_rng(1).permutation(len(labels))
    x = torch.from_numpy(images[order].reshape(-1, 1, 28, 28).copy())
    y = torch.from_numpy(labels[order].copy())
    batches = len(y) // BATCH

    model = lenet5()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    step = 0

    def run(count: int) -> None:
        nonlocal step
        for _ in range(count):
            b = step % batches
            xb, yb = x[b * BATCH:(b + 1) * BATCH], y[b * BATCH:(b + 1) * BATCH]
            opt.zero_grad(set_to_none=False)
            loss_fn(model(xb), yb).backward()
            opt.step()
            step += 1

    run(10)  # warm-up
    per_sample_us = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        run(args.steps)
        per_sample_us.append((time.perf_counter() - start) / (args.steps * BATCH) * 1e6)
    result = {"torch": torch.__version__, "threads": args.threads, "batch": BATCH, "rounds": args.rounds, "steps": args.steps,
              "median_us": statistics.median(per_sample_us), "min_us": min(per_sample_us), "max_us": max(per_sample_us)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"PyTorch {result['torch']} LeNet-5, batch {BATCH}, SGD, {args.threads} thread(s): "
              f"{result['median_us']:.2f} us per sample (median of {args.rounds} rounds of {args.steps} batches; "
              f"range {result['min_us']:.2f}-{result['max_us']:.2f})")


if __name__ == "__main__":
    main()
