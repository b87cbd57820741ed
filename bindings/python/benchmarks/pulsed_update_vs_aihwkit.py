"""The pulsed update alone, SbeCore against aihwkit (CPU), side by side in one process: a batch of n rank-1 writes
into a rows x cols tile of aihwkit's GokmenVlasovPresetDevice (ConstantStep, dw_min 0.0016, aihwkit's device-to-device
and cycle-to-cycle spreads), stochastic pulses, BL 31, update and BL management; x and d uniform in [-1, 1] (every
device pulsed) or, with --data training, as SGD on MNIST writes them (sparse x, small d: few devices pulsed).

    PYTHONPATH=bindings/python:$AIHWKIT_BUILD/src/src SBECORE_LIBRARY=artifacts/native \
        /usr/bin/python3 bindings/python/benchmarks/pulsed_update_vs_aihwkit.py [--rows 512 --cols 512 --batch 100]

Timing: this thread's CPU time (time.thread_time), so other processes on a shared machine do not count; `rounds`
rounds, each timing one batch of each simulator in turn (the sign of d alternates so the weights wander instead of
piling up at a bound); reported are medians, ranges and the median of the per-round ratios. Also printed: the mean
|dW| per write of each, which should agree (same lr, same pairs, same device law).
aihwkit is optional: without it only SbeCore's row is printed.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

import sbecore  # noqa: E402
from sbecore import devices as dv  # noqa: E402
from sbecore.presets import GokmenVlasovPresetDevice  # noqa: E402


def sbecore_tile(rows, cols, seed):
    config = dv.SingleRPUConfig(device=GokmenVlasovPresetDevice(), update=dv.UpdateParameters(desired_bl=31))
    return sbecore.Tile(rows, cols, seed, device=config)


def aihwkit_tile(rows, cols, lr):
    import torch
    from aihwkit.simulator.configs import SingleRPUConfig
    from aihwkit.simulator.presets.devices import GokmenVlasovPresetDevice as AihwkitGokmenVlasov
    from aihwkit.simulator.tiles import AnalogTile
    torch.set_num_threads(1)
    config = SingleRPUConfig(device=AihwkitGokmenVlasov())
    config.update.desired_bl = 31
    config.update.update_bl_management = True
    config.update.update_management = True
    config.forward.is_perfect = True
    tile = AnalogTile(rows, cols, config)
    tile.set_learning_rate(lr)
    return tile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=512)
    parser.add_argument("--cols", type=int, default=512)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--data", choices=("dense", "training"), default="dense",
                        help="dense: x, d uniform in [-1, 1] (every device pulsed); training: as SGD on MNIST writes "
                             "(x: 80%% zeros, else uniform in [0, 1]; d uniform in [-0.05, 0.05])")
    args = parser.parse_args()
    rng = np.random.default_rng(2)
    if args.data == "dense":
        x = rng.uniform(-1, 1, (args.batch, args.cols)).astype(np.float32)
        d = rng.uniform(-1, 1, (args.batch, args.rows)).astype(np.float32)
    else:
        x = np.where(rng.random((args.batch, args.cols)) < 0.8, 0, rng.random((args.batch, args.cols))).astype(np.float32)
        d = rng.uniform(-0.05, 0.05, (args.batch, args.rows)).astype(np.float32)
    ones = np.ones(args.batch, np.float32)

    ours = sbecore_tile(args.rows, args.cols, seed=1)
    ours.write_rank_k(args.lr, ones, d, x)  # warm-up (and the JIT of the first call)
    try:
        import torch
        theirs = aihwkit_tile(args.rows, args.cols, args.lr)
        xt, dt = torch.from_numpy(x), torch.from_numpy(d)
        theirs.update(xt, dt)
    except ImportError:
        theirs = None

    times = {"SbeCore": [], "aihwkit": []}
    change = {"SbeCore": [], "aihwkit": []}
    for r in range(args.rounds):
        sign = 1.0 if r % 2 == 0 else -1.0
        before = ours.get_weights().copy()
        t = time.thread_time()
        ours.write_rank_k(args.lr, ones, sign * d, x)
        times["SbeCore"].append(time.thread_time() - t)
        change["SbeCore"].append(float(np.abs(ours.get_weights() - before).mean()))
        if theirs is not None:
            before = theirs.get_weights()[0].numpy().copy()
            t = time.thread_time()
            theirs.update(xt, sign * dt)
            times["aihwkit"].append(time.thread_time() - t)
            change["aihwkit"].append(float(np.abs(theirs.get_weights()[0].numpy() - before).mean()))

    print(f"pulsed update, {args.data} data, {args.rows}x{args.cols}, batch {args.batch}, lr {args.lr}, GokmenVlasov, BL 31, both managements, "
          f"1 thread, {args.rounds} rounds (thread CPU time)")
    print("| simulator | ms per batch (median) | range | mean abs dW per batch |")
    print("|---|---:|---:|---:|")
    for name, ts in times.items():
        if ts:
            ms = [1e3 * t for t in ts]
            print(f"| {name} | {statistics.median(ms):.1f} | {min(ms):.1f}-{max(ms):.1f} | {statistics.median(change[name]):.3g} |")
    if times["aihwkit"]:
        ratios = [a / s for a, s in zip(times["aihwkit"], times["SbeCore"])]
        print(f"\nSbeCore is {statistics.median(ratios):.1f}x faster (per-round ratios {min(ratios):.1f}-{max(ratios):.1f})")


if __name__ == "__main__":
    main()
