"""A training step (forward + backward + optimizer step) of the 784-100-10 ReLU MLP and of LeNet-5 with pulsed
ConstantStep tiles, through sbecore.torch and through aihwkit (CPU), side by side in one process, plus a check that
the two simulators' pulsed updates have the same statistics (the same start weights, lr and (delta, input) pairs of one
sgd step written into a tile of each).

    PYTHONPATH=bindings/python:$AIHWKIT_BUILD/src/src SBECORE_LIBRARY=artifacts/native \
        /usr/bin/python3 bindings/python/benchmarks/torch_vs_aihwkit.py [--batch 64] [--rounds 7] [--steps 10]

Both simulators get the same model, weights, data and device: ConstantStepDevice, UpdateParameters and IOParameters
at their defaults (stochastic pulses, BL 31, update and BL management, noisy 7-bit DAC / 9-bit ADC reads), one tile
per layer with the bias as its last column (aihwkit: mapping without tile splitting, digital_bias=False), 1 thread.
Timing: `rounds` rounds, each timing `steps` steps of every path in turn, so load from other processes hits all paths
alike; reported are the median ms per step over rounds, its range, and the median of the per-round ratios to aihwkit.
aihwkit is optional: without it only SbeCore's rows are printed.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # before numpy, torch and aihwkit load their thread pools

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

LR = 0.01


def mlp() -> nn.Module:
    return nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10))


def lenet5() -> nn.Module:
    """SbeCore's "lenet5" architecture (docs/cnn.md)."""
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def digital(arch: str) -> nn.Module:
    torch.manual_seed(0)
    return mlp() if arch == "mlp" else lenet5()


def batches(arch: str, batch: int, count: int = 8):
    g = torch.Generator().manual_seed(1)
    shape = (batch, 784) if arch == "mlp" else (batch, 1, 28, 28)
    return [(torch.rand(*shape, generator=g), torch.randint(0, 10, (batch,), generator=g)) for _ in range(count)]


def sbecore_path(arch: str, method: str, rank: int):
    from sbecore import devices as dv
    from sbecore.torch import CrossbarOptimizer, convert_to_analog
    config = dv.SingleRPUConfig(device=dv.ConstantStepDevice(), update=dv.UpdateParameters(),
                                forward=dv.IOParameters(), backward=dv.IOParameters())
    model = convert_to_analog(digital(arch), config, seed=1)
    return model, CrossbarOptimizer(model, method=method, rank=rank, lr=LR)


class _NoTile:
    """Stands in for a layer's tile and rule: reads leave the output as allocated, updates do nothing. A model with these
    times what sbecore.torch costs on the torch side alone (autograd, the layers' tensor mapping, unfold/fold, pooling,
    the loss, Python), the floor under any SbeCore step inside torch."""

    keeps_pairs = False

    def __init__(self, tile) -> None:
        self.rows, self.cols = tile.rows, tile.cols

    def read(self, x, out=None):
        return out

    read_t = read_columns = read_t_columns = read

    def observe(self, deltas, xs) -> None:
        pass

    def apply(self, tile, lr) -> None:
        pass

    def post_update_step(self) -> None:
        pass


def torch_side_path(arch: str):
    model, opt = sbecore_path(arch, "sgd", 1)
    for layer in opt.layers:
        layer.tile = layer._rule = _NoTile(layer.tile)
    return model, opt


def aihwkit_path(arch: str):
    from aihwkit.nn.conversion import convert_to_analog
    from aihwkit.optim import AnalogSGD
    from aihwkit.simulator.configs import ConstantStepDevice, IOParameters, SingleRPUConfig, UpdateParameters
    from aihwkit.simulator.parameters import MappingParameter
    rpu = SingleRPUConfig(device=ConstantStepDevice(), update=UpdateParameters(), forward=IOParameters(), backward=IOParameters(),
                          mapping=MappingParameter(digital_bias=False, max_input_size=0, max_output_size=0))
    model = convert_to_analog(digital(arch), rpu)
    opt = AnalogSGD(model.parameters(), lr=LR)
    opt.regroup_param_groups(model)
    return model, opt


def step(model, opt, x, y) -> None:
    opt.zero_grad()
    nn.functional.cross_entropy(model(x), y).backward()
    opt.step()


def time_paths(paths, data, rounds: int, steps: int):
    """{name: [seconds per step, one per round]}: every round times `steps` steps of each path in turn."""
    for model, opt in paths.values():  # warm-up
        for x, y in data[:2]:
            step(model, opt, x, y)
    times = {name: [] for name in paths}
    for r in range(rounds):
        for name, (model, opt) in paths.items():
            start = time.perf_counter()
            for i in range(steps):
                x, y = data[(r * steps + i) % len(data)]
                step(model, opt, x, y)
            times[name].append((time.perf_counter() - start) / steps)
    return times


def dw_statistics(dw: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    """mean |dW|, std dW, fraction of devices changed, correlation of dW with the exact step."""
    return np.array([np.abs(dw).mean(), dw.std(), (dw != 0).mean(), np.corrcoef(dw.ravel(), ideal.ravel())[0, 1]])


def tile_update_statistics(arch: str, batch: int, repeats: int) -> list:
    """Per layer: one sgd step's (delta, input) pairs, captured from sbecore.torch (n pairs per dense layer, n x P per
    conv layer), written as that many pulsed rank-1 updates into a fresh tile of each simulator with the same start
    weights and lr. Returns [(pairs, shape, sbecore statistics, aihwkit statistics)], each statistics array
    `repeats` x 4 (one row per tile seed). A handful of seeds is not enough on a small tile: at 10 x 101 five seeds
    once showed a 1.23x difference in mean |dW| that 300 seeds put at 0.99 +- 0.01."""
    from aihwkit.simulator.configs import ConstantStepDevice, IOParameters, SingleRPUConfig, UpdateParameters
    from aihwkit.simulator.tiles.analog import AnalogTile
    from sbecore import Tile
    model, opt = sbecore_path(arch, "sgd", 1)
    x, y = batches(arch, batch, 1)[0]
    opt.zero_grad()
    nn.functional.cross_entropy(model(x), y).backward()
    result = []
    for layer in opt.layers:
        deltas, inputs = layer._rule._batch()  # the pairs sgd would write at step()
        start = layer.tile.get_weights()
        ideal = -LR * (deltas.T.astype(np.float64) @ inputs)
        ours, theirs = np.zeros((repeats, 4)), np.zeros((repeats, 4))
        for seed in range(repeats):
            with Tile(*start.shape, seed=seed + 1, device=layer.tile.config) as tile:
                tile.set_weights(start)
                tile.write(LR, np.zeros(len(start), np.float32), inputs[0])  # as for aihwkit below
                base = tile.get_weights().astype(np.float64)
                tile.write_rank_k(LR, np.ones(len(deltas), np.float32), deltas, inputs)
                ours[seed] = dw_statistics(tile.get_weights().astype(np.float64) - base, ideal)
            rpu = SingleRPUConfig(device=ConstantStepDevice(), update=UpdateParameters(), forward=IOParameters(), backward=IOParameters())
            rpu.device.construction_seed = seed + 1
            aih = AnalogTile(start.shape[0], start.shape[1], rpu, bias=False)
            aih.set_weights(torch.from_numpy(start))
            aih.set_learning_rate(LR)
            # aihwkit clips programmed weights to its sampled device bounds at the first update, not at set_weights:
            # a zero update first, so dW holds only the pulses
            aih.update(torch.from_numpy(inputs[:1]), torch.zeros(1, len(start)))
            base = aih.get_weights()[0].double().numpy()
            aih.update(torch.from_numpy(inputs), torch.from_numpy(deltas))
            theirs[seed] = dw_statistics(aih.get_weights()[0].double().numpy() - base, ideal)
        result.append((len(deltas), start.shape, ours, theirs))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=10, help="steps per path per round")
    parser.add_argument("--arch", choices=["mlp", "lenet5", "both"], default="both")
    parser.add_argument("--no-aihwkit", action="store_true", help="SbeCore's rows only")
    parser.add_argument("--stat-seeds", type=int, default=100, help="tile seeds for the pulsed-update statistics (0: skip them)")
    args = parser.parse_args()
    if args.stat_seeds < 0 or args.stat_seeds == 1:
        parser.error("--stat-seeds must be 0 (skip) or at least 2 (a standard error needs two seeds)")
    torch.set_num_threads(1)
    have_aihwkit = False
    if not args.no_aihwkit:
        try:
            import aihwkit  # noqa: F401
            have_aihwkit = True
        except ImportError:
            print("aihwkit not importable: SbeCore only")
    print(f"load average before: {os.getloadavg()[0]:.1f}; batch {args.batch}, {args.rounds} rounds x {args.steps} steps, 1 thread")
    for arch in (["mlp", "lenet5"] if args.arch == "both" else [args.arch]):
        data = batches(arch, args.batch)
        paths = {}
        for method, rank in (("sgd", 1), ("sbe", 1), ("sbe", 4), ("minibatch", 1)):
            paths[f"sbecore.torch {method}{'-' + str(rank) if method == 'sbe' else ''}"] = sbecore_path(arch, method, rank)
        paths["torch side only"] = torch_side_path(arch)
        if have_aihwkit:
            paths["aihwkit AnalogSGD"] = aihwkit_path(arch)
        times = time_paths(paths, data, args.rounds, args.steps)
        base = times.get("aihwkit AnalogSGD")
        print(f"\n{arch}, batch {args.batch}: ms per training step (median over rounds, [min, max]); ratio = aihwkit / path, "
              f"median of per-round ratios [min, max]")
        for name, t in times.items():
            line = f"  {name:<24} {statistics.median(t) * 1e3:8.2f} [{min(t) * 1e3:.2f}, {max(t) * 1e3:.2f}]"
            if base:
                ratios = [b / s for b, s in zip(base, t)]
                line += f"   {statistics.median(ratios):5.1f}x [{min(ratios):.1f}, {max(ratios):.1f}]"
            print(line)
        if have_aihwkit and args.stat_seeds:
            print(f"  pulsed sgd update, same start weights, lr {LR} and (delta, input) pairs in both simulators "
                  f"({args.stat_seeds} tile seeds; sbecore / aihwkit, the ratio's standard error from the seeds' spread): "
                  "mean |dW|, std dW, fraction of devices changed, corr(dW, exact step)")
            for layer, (pairs, shape, a, b) in enumerate(tile_update_statistics(arch, args.batch, args.stat_seeds)):
                cells = []
                for k in range(4):
                    ma, mb = a[:, k].mean(), b[:, k].mean()
                    se = (ma / mb) * np.sqrt((a[:, k].std(ddof=1) / ma) ** 2 + (b[:, k].std(ddof=1) / mb) ** 2) / np.sqrt(len(a))
                    cells.append(f"{ma:.3e} / {mb:.3e} = {ma / mb:.3f} +- {se:.3f}")
                print(f"    layer {layer} ({shape[0]} x {shape[1]}, {pairs} pairs): " + "; ".join(cells))
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
