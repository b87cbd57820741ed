"""One training step (forward + backward + optimizer step) of a 784-100-10 ReLU MLP, batch 32, pulsed ConstantStep
tiles with aihwkit's default I/O, through sbecore.torch and through aihwkit (CPU), side by side.

    PYTHONPATH=bindings/python:$AIHWKIT_BUILD/src/src SBECORE_LIBRARY=artifacts/native \
        /usr/bin/python3 bindings/python/benchmarks/torch_vs_aihwkit.py [--steps 200] [--threads 1]

aihwkit is optional: without it only SbeCore's rows are printed. Both use the same device and I/O parameters
(ConstantStepDevice defaults, IOParameters defaults, UpdateParameters defaults) and the same data.
"""
from __future__ import annotations

import argparse
import time

import torch
from torch import nn


def mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10))


def time_steps(model, opt, steps, x, y):
    loss_fn = nn.CrossEntropyLoss()
    for i in range(5):  # warm-up
        opt.zero_grad(); loss_fn(model(x[i]), y[i]).backward(); opt.step()
    start = time.perf_counter()
    for i in range(steps):
        opt.zero_grad()
        loss_fn(model(x[i % len(x)]), y[i % len(y)]).backward()
        opt.step()
    return (time.perf_counter() - start) / steps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    g = torch.Generator().manual_seed(1)
    x = [torch.rand(32, 784, generator=g) for _ in range(50)]
    y = [torch.randint(0, 10, (32,), generator=g) for _ in range(50)]
    rows = []

    from sbecore import devices as dv
    from sbecore.torch import CrossbarOptimizer, convert_to_analog
    config = dv.SingleRPUConfig(device=dv.ConstantStepDevice(), forward=dv.IOParameters(), backward=dv.IOParameters())
    for method, rank in (("sgd", 1), ("sbe", 1), ("sbe", 4), ("minibatch", 1)):
        model = convert_to_analog(mlp(), config)
        opt = CrossbarOptimizer(model, method=method, rank=rank, lr=0.01)
        rows.append((f"sbecore.torch {method}{'-' + str(rank) if method == 'sbe' else ''}", time_steps(model, opt, args.steps, x, y)))

    try:
        from aihwkit.nn.conversion import convert_to_analog as aihwkit_convert
        from aihwkit.optim import AnalogSGD
        from aihwkit.simulator.configs import ConstantStepDevice, IOParameters, SingleRPUConfig, UpdateParameters
    except ImportError:
        print("aihwkit not importable: SbeCore only")
    else:
        rpu = SingleRPUConfig(device=ConstantStepDevice(), forward=IOParameters(), backward=IOParameters(), update=UpdateParameters())
        model = aihwkit_convert(mlp(), rpu)
        opt = AnalogSGD(model.parameters(), lr=0.01)
        opt.regroup_param_groups(model)
        rows.append(("aihwkit AnalogSGD (per-sample pulsed updates)", time_steps(model, opt, args.steps, x, y)))

    base = rows[-1][1] if rows[-1][0].startswith("aihwkit") else None
    print(f"{'path':<48} {'ms/step':>8} {'vs aihwkit':>10}")
    for name, seconds in rows:
        ratio = f"{base / seconds:.1f}x" if base else "-"
        print(f"{name:<48} {seconds * 1e3:8.3f} {ratio:>10}")


if __name__ == "__main__":
    main()
