#!/usr/bin/env python3
"""docs/results.md section 10, write remedies: sbe-k through WriteProbe in each write mode, learning rate picked on
seed 1 by the lowest final training loss from --lrs, then seeds 2 and 3. One JSON line per (device, mode).

usage: write_remedies.py --probe PATH [--devices ecram,reramsb] [--modes paper,clip,split,dense,paper@127]
                         [--ranks 1,1] [--batch 32] [--epochs 10] [--lrs 0.1778,0.3162,0.5623]
"""
import argparse, json, re, statistics, subprocess

def run(probe, device, ranks, batch, lr, epochs, seed, mode):
    mode, _, bl = mode.partition("@")
    cmd = [probe, device, *ranks, str(batch), str(lr), str(epochs), str(seed), mode] + ([bl] if bl else [])
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    m = re.search(r"test ([\d.]+) loss ([\d.naNinf]+) writes (\d+)", out)
    ks = re.findall(r"k p10 [\d.]+ median ([\d.]+) .*above BL ([\d.]+) %", out)
    if not m:
        return {"test": float("nan"), "loss": float("inf"), "writes": 0, "k": []}
    loss = float(m.group(2))
    return {"test": float(m.group(1)), "loss": loss if loss == loss else float("inf"), "writes": int(m.group(3)),
            "k": [(float(a), float(b)) for a, b in ks]}

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--probe", required=True)
    p.add_argument("--devices", default="ecram,reramsb,constantstep")
    p.add_argument("--modes", default="paper,clip,split,dense,paper@127")
    p.add_argument("--ranks", default="1,1")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--lrs", default="0.1778,0.3162,0.5623")
    a = p.parse_args()
    ranks = a.ranks.split(",")
    lrs = [float(v) for v in a.lrs.split(",")]
    for device in a.devices.split(","):
        for mode in a.modes.split(","):
            probes = {lr: run(a.probe, device, ranks, a.batch, lr, a.epochs, 1, mode) for lr in lrs}
            best = min(lrs, key=lambda lr: probes[lr]["loss"])
            runs = [probes[best]] + [run(a.probe, device, ranks, a.batch, best, a.epochs, s, mode) for s in (2, 3)]
            tests = [r["test"] for r in runs]
            print(json.dumps({"device": device, "mode": mode, "ranks": a.ranks, "lr": best, "test": tests,
                              "median": statistics.median(tests), "writes": runs[0]["writes"], "k_median_above_bl": runs[0]["k"]}), flush=True)

if __name__ == "__main__":
    main()
