"""The `sbe` CLI against the same training through the NativeAOT library (#13: the CLI within 5 % on a 20-epoch run).

    SBECORE_LIBRARY=artifacts/native PYTHONPATH=bindings/python \
        /usr/bin/python3 benchmarks/cli/cli_vs_library.py --cli "dotnet src/SbeCore.Cli/bin/Release/net10.0/sbe.dll" [--runs 4]

Both run `sbe train -m sbe -b 16 --lr 0.2 --epochs 20` on the embedded MNIST-10k (784-100-10, ideal device, seed 1):
the library through sbecore.Network with the CLI's Trainer loop (an evaluation of the training and test sets before
training and after every epoch, epoch e shuffled with TrainingSchedule.EpochShuffleSeed(e)); the CLI as a fresh
process, its `wallSeconds` from results.json (the same span: training and evaluations, after start-up and data
loading) and the process's whole wall-clock time. Runs alternate, so load from elsewhere hits both alike; the final
test accuracy must agree (the same work, bit for bit on the same SIMD path).
"""
from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import sbecore
from sbecore import datasets

MASK = (1 << 64) - 1


def epoch_shuffle_seed(seed: int, epoch: int) -> int:
    """TrainingSchedule.EpochShuffleSeed."""
    z = seed ^ ((0xD1B54A32D192ED03 * (epoch + 1)) & MASK)
    z = ((z ^ (z >> 32)) * 0xD6E8FEB86659FD93) & MASK
    return z ^ (z >> 32)


def library_run(data, epochs: int, batch: int, lr: float, seed: int):
    train_x, train_y, test_x, test_y = data
    start = time.perf_counter()
    net = sbecore.Network((784, 100, 10), method="sbe", rank=1, seed=seed)
    net.evaluate(train_x, train_y)
    net.evaluate(test_x, test_y)
    for epoch in range(epochs):
        net.train_epoch(train_x, train_y, batch, lr, shuffle_seed=epoch_shuffle_seed(seed, epoch))
        net.evaluate(train_x, train_y)
        test = net.evaluate(test_x, test_y)
    seconds = time.perf_counter() - start
    net.close()
    return seconds, test["accuracy"]


def cli_run(cli: str, epochs: int, batch: int, lr: float, seed: int):
    with tempfile.TemporaryDirectory() as out:
        command = shlex.split(cli) + ["train", "-m", "sbe", "-b", str(batch), "--lr", str(lr), "--epochs", str(epochs),
                                     "--seed", str(seed), "--out", out]
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        process = time.perf_counter() - start
        result = json.loads((Path(out) / "results.json").read_text())
    run = result["runs"][0] if "runs" in result else result
    return run["wallSeconds"], process, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cli", required=True, help="the command that runs sbe, e.g. 'dotnet .../sbe.dll' or a published sbe")
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args()
    data = datasets.load_mnist10k()
    lib, cli, proc = [], [], []
    for _ in range(args.runs):
        seconds, accuracy = library_run(data, args.epochs, 16, 0.2, 1)
        lib.append(seconds)
        wall, process, run = cli_run(args.cli, args.epochs, 16, 0.2, 1)
        cli.append(wall)
        proc.append(process)
    print(f"library: {statistics.median(lib):.3f} s [{min(lib):.3f}, {max(lib):.3f}], final test accuracy {accuracy:.4f}")
    print(f"CLI wallSeconds: {statistics.median(cli):.3f} s [{min(cli):.3f}, {max(cli):.3f}]; whole process {statistics.median(proc):.3f} s")
    print(f"CLI / library: {statistics.median(c / l for c, l in zip(cli, lib)):.3f} (per-run pairs {', '.join(f'{c / l:.3f}' for c, l in zip(cli, lib))})")
    print(f"CLI final test accuracy {run['final']['testAccuracy']:.4f}")


if __name__ == "__main__":
    main()
