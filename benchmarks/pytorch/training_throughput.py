"""Training throughput in PyTorch on the CPU: the reference for SbeCore's TrainingThroughputBenchmarks (MLP) and
LeNetThroughputBenchmarks (LeNet-5).

The same networks as SbeCore's default 784-100-10 ReLU MLP and its `lenet5` (conv6k5p2-pool2-conv16k5-pool2-fc120-fc84-
fc10, ReLU, max pooling, bias in every layer), MNIST-10k's 8,000 training digits as floats in [0, 1], batch 64 in a
fixed shuffled order, softmax cross-entropy (mean over the batch), torch.optim.SGD (lr 0.01, no momentum), one thread.
One timed step is zero_grad + forward + backward + optimizer step; per-sample time = step time / 64.

--method sgd: plain mini-batch descent (PyTorch forms each weight gradient as one GEMM).
--method sbpca: the same step with every weight gradient replaced by xbtorch's SBPCA estimate (Huang et al., ACM JETC
2023) from the layer's captured inputs and output gradients, as xbtorch's patched optimizer does; the biases keep their
exact gradients, as there. xbtorch is not a Debian package: point --xbtorch at its `src` folder (a checkout of
github.com/ADAM-Lab-GW/xbtorch); only `xbtorch/decomposition/{base,sbpca}.py` are loaded (MLP only).

    /usr/bin/python3 benchmarks/pytorch/training_throughput.py [--arch mlp|lenet5] [--method sgd|sbpca]
        [--xbtorch DIR] [--rank 1] [--sub-batch 32] [--rounds 7] [--steps 40] [--threads 1] [--json]

Prints the median and range over rounds of the per-sample time (each round: --steps consecutive batches after
warm-up), so it can run alternately with the BenchmarkDotNet job on a shared machine. With --sbecore METHODS (e.g.
"minibatch,sbe"; needs the sbecore package and its native library, see docs/native.md) the same batches also train
SbeCore networks of the same architecture (ideal device, rank --rank) through the NativeAOT library, every round
timing each path in turn, and each path's ratio to PyTorch is the median of the per-round ratios (a same-run figure
on a shared machine).
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import sys
import time
import types
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


def mlp() -> nn.Module:
    torch.manual_seed(1)
    return nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10))


def lenet5() -> nn.Module:
    torch.manual_seed(1)
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def load_sbpca(src: Path):
    """xbtorch's SBPCA class, loaded from its two files without importing the rest of the package."""
    folder = src / "xbtorch" / "decomposition"
    package = types.ModuleType("xbtorch_decomposition")
    package.__path__ = [str(folder)]
    sys.modules["xbtorch_decomposition"] = package
    for name in ("base", "sbpca"):
        spec = importlib.util.spec_from_file_location(f"xbtorch_decomposition.{name}", folder / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["xbtorch_decomposition.sbpca"].SBPCA


class CapturedPairs:
    """The (input, output gradient) pairs of every Linear layer in the last backward pass, for a decomposition."""

    def __init__(self, model: nn.Module):
        self.layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
        self.inputs, self.deltas = {}, {}
        for layer in self.layers:
            layer.register_forward_hook(self._keep_input)
            layer.register_full_backward_hook(self._keep_delta)

    def _keep_input(self, layer, args, output):
        self.inputs[layer] = args[0].detach()

    def _keep_delta(self, layer, grad_input, grad_output):
        self.deltas[layer] = grad_output[0].detach()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", choices=["mlp", "lenet5"], default="lenet5")
    parser.add_argument("--method", choices=["sgd", "sbpca"], default="sgd")
    parser.add_argument("--xbtorch", type=Path, help="xbtorch's src folder (for --method sbpca)")
    parser.add_argument("--rank", type=int, default=1)
    parser.add_argument("--sub-batch", type=int, default=32, help="SBPCA's sub-batch (xbtorch's default: 32)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=40, help="batches per timed round")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sbecore", default="", help="comma-separated SbeCore methods timed in the same rounds")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of text")
    args = parser.parse_args()
    if args.method == "sbpca" and (args.xbtorch is None or args.arch != "mlp"):
        parser.error("--method sbpca needs --xbtorch DIR and --arch mlp")
    torch.set_num_threads(args.threads)

    images = read_idx(DATA / "images-idx3-ubyte.gz")[:8000].astype(np.float32) * (np.float32(1) / np.float32(255))
    labels = read_idx(DATA / "labels-idx1-ubyte.gz")[:8000].astype(np.int64)
    order = np.random.default_rng(1).permutation(len(labels))
    shape = (-1, 784) if args.arch == "mlp" else (-1, 1, 28, 28)
    x = torch.from_numpy(images[order].reshape(shape).copy())
    y = torch.from_numpy(labels[order].copy())
    batches = len(y) // BATCH

    model = mlp() if args.arch == "mlp" else lenet5()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    decompose = None
    if args.method == "sbpca":
        sbpca = load_sbpca(args.xbtorch)(rank=args.rank, sub_batch_size=args.sub_batch)
        pairs = CapturedPairs(model)

        def decompose() -> None:
            for index, layer in enumerate(pairs.layers):
                layer.weight.grad = sbpca.decompose(pairs.inputs[layer], pairs.deltas[layer], layer.weight.grad, index)
    def torch_step(b: int) -> None:
        xb, yb = x[b * BATCH:(b + 1) * BATCH], y[b * BATCH:(b + 1) * BATCH]
        opt.zero_grad(set_to_none=False)
        loss_fn(model(xb), yb).backward()
        if decompose is not None:
            decompose()
        opt.step()

    paths = {f"PyTorch {args.method}": torch_step}
    for method in filter(None, args.sbecore.split(",")):
        paths[f"SbeCore {method}"] = sbecore_step(args.arch, method, args.rank, x, y)

    steps = {name: 0 for name in paths}

    def run(name: str, count: int) -> None:
        for _ in range(count):
            paths[name](steps[name] % batches)
            steps[name] += 1

    for name in paths:
        run(name, 10)  # warm-up
    per_sample_us = {name: [] for name in paths}
    for _ in range(args.rounds):
        for name in paths:
            start = time.perf_counter()
            run(name, args.steps)
            per_sample_us[name].append((time.perf_counter() - start) / (args.steps * BATCH) * 1e6)
    reference = per_sample_us[f"PyTorch {args.method}"]
    results = []
    for name, times in per_sample_us.items():
        result = {"path": name, "torch": torch.__version__, "arch": args.arch, "threads": args.threads, "batch": BATCH,
                  "rounds": args.rounds, "steps": args.steps, "median_us": statistics.median(times),
                  "min_us": min(times), "max_us": max(times),
                  "torch_over_path": statistics.median(r / t for r, t in zip(reference, times))}
        if args.method == "sbpca" or name.startswith("SbeCore"):
            result.update(rank=args.rank, sub_batch=args.sub_batch)
        results.append(result)
    if args.json:
        for result in results:
            print(json.dumps(result))
        return
    print(f"PyTorch {torch.__version__}, {args.arch}, batch {BATCH}, {args.threads} thread(s), median of {args.rounds} rounds "
          f"of {args.steps} batches per path (range); speed-up = PyTorch {args.method}'s time / the path's, median of rounds")
    for r in results:
        print(f"  {r['path']:<22} {r['median_us']:8.2f} us per sample ({r['min_us']:.2f}-{r['max_us']:.2f})   "
              f"speed-up {r['torch_over_path']:.2f}x")


def sbecore_step(arch: str, method: str, rank: int, x: torch.Tensor, y: torch.Tensor):
    """One SbeCore batch step of the same network on the same batches (ideal device, lr 0.01)."""
    from sbecore import Network
    images = np.ascontiguousarray(x.reshape(len(x), -1).numpy())
    labels = y.numpy().astype(np.int32)
    network = Network((784, 100, 10), method=method, rank=rank, seed=1) if arch == "mlp" else \
        Network((784, 10), method=method, rank=rank, seed=1, architecture="lenet5")

    def step(b: int) -> None:
        network.train_batch(images[b * BATCH:(b + 1) * BATCH], labels[b * BATCH:(b + 1) * BATCH], 0.01)
    return step

if __name__ == "__main__":
    main()
