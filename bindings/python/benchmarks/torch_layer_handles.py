"""Torch step time of the 784-100-10 MLP: sbecore.torch (AnalogLinear + CrossbarOptimizer: tile handles, the rules in
Python) against a minimal autograd.Function over sbecore.Layer handles (forward, backward and the rule in the
library). Same device (ConstantStep, default update and I/O), same batches; 9 rounds, each timing 10 steps of both
paths in turn (thread CPU time: the library runs on the calling thread); medians, ranges, per-round ratios.

    SBECORE_LIBRARY=artifacts/native PYTHONPATH=bindings/python /usr/bin/python3 bindings/python/benchmarks/torch_layer_handles.py [batch]
"""
import os, statistics, sys, time
for n in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(n, "1")
import numpy as np, torch
from torch import nn
from sbecore import Layer, devices as dv
from sbecore.torch import CrossbarOptimizer, convert_to_analog

torch.set_num_threads(1)
LR, BATCH = 0.01, int(sys.argv[1]) if len(sys.argv) > 1 else 64
config = dv.SingleRPUConfig(device=dv.ConstantStepDevice(), update=dv.UpdateParameters(), forward=dv.IOParameters(), backward=dv.IOParameters())


class LayerFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, anchor, layer):
        ctx.layer = layer
        return torch.from_numpy(layer.forward(x.detach().numpy()))

    @staticmethod
    def backward(ctx, grad):
        return torch.from_numpy(ctx.layer.backward(grad.contiguous().numpy())), None, None


class HandleLinear(nn.Module):
    def __init__(self, i, o, method, seed):
        super().__init__()
        self.layer = Layer.dense(i, o, method=method, rank=1, seed=seed, device=config)
        self.anchor = nn.Parameter(torch.zeros(0))

    def forward(self, x):
        return LayerFn.apply(x, self.anchor, self.layer)


def handle_path(method):
    model = nn.Sequential(HandleLinear(784, 100, method, 1), nn.ReLU(), HandleLinear(100, 10, method, 2))
    layers = [m.layer for m in model.modules() if isinstance(m, HandleLinear)]
    class Opt:
        def zero_grad(self): pass
        def step(self):
            for l in layers: l.update(LR)
    return model, Opt()


def torch_path(method):
    torch.manual_seed(0)
    model = convert_to_analog(nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10)), config, seed=1)
    return model, CrossbarOptimizer(model, method=method, rank=1, lr=LR)


def step(model, opt, x, y):
    opt.zero_grad()
    nn.functional.cross_entropy(model(x), y).backward()
    opt.step()


g = torch.Generator().manual_seed(1)
data = [(torch.rand(BATCH, 784, generator=g), torch.randint(0, 10, (BATCH,), generator=g)) for _ in range(8)]
for method in ("sbe", "sgd", "minibatch"):
    paths = {"AnalogLinear": torch_path(method), "Layer handle": handle_path(method)}
    for m, o in paths.values():
        for x, y in data[:2]: step(m, o, x, y)
    times = {k: [] for k in paths}
    for r in range(9):
        for name, (m, o) in paths.items():
            t0 = time.thread_time()
            for i in range(10):
                x, y = data[(r * 10 + i) % 8]
                step(m, o, x, y)
            times[name].append((time.thread_time() - t0) / 10 * 1e3)
    ratios = [a / b for a, b in zip(times["Layer handle"], times["AnalogLinear"])]
    for name, t in times.items():
        print(f"{method:9s} {name:13s} median {statistics.median(t):7.3f} ms/step (range {min(t):.3f}-{max(t):.3f}) thread CPU")
    print(f"{method:9s} handle/AnalogLinear per-round ratio median {statistics.median(ratios):.3f} (range {min(ratios):.3f}-{max(ratios):.3f})")
