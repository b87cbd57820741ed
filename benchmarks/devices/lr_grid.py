#!/usr/bin/env python3
"""Tune one `sbe train` configuration's learning rate and run it on several seeds (docs/results.md section 10).

Protocol: every learning rate of --lrs is trained on the first seed for the full budget; the one with the lowest final
training loss (a diverged run ranks last) is then trained on the other seeds. Each run is an `sbe train` output folder
under OUT/NAME/, skipped when its results.json exists, so a killed grid resumes. Prints one JSON line:
name, chosen lr, test accuracy per seed and median, rank-1 writes, mean pulses per device.

usage: lr_grid.py --sbe PATH --out OUT --name NAME [--lrs 0.1,0.178] [--seeds 1,2,3] -- <sbe train arguments>
"""
import argparse, json, math, os, statistics, subprocess, sys

def devices(layers):
    return sum(layers[i + 1] * (layers[i] + 1) for i in range(len(layers) - 1))

def run(sbe, folder, seed, lr, train_args):
    res = os.path.join(folder, "results.json")
    if not os.path.exists(res):
        cmd = [sbe, "train", *train_args, "--lr", str(lr), "--seed", str(seed), "-o", folder]
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not os.path.exists(res):
        return {"loss": math.inf, "test": float("nan"), "writes": 0, "pulses": 0, "pulsesTotal": 0}
    r = json.load(open(res))["runs"][0]
    f = r.get("final") or {}
    loss = f.get("trainLoss", math.inf)
    if loss is None or not math.isfinite(loss):
        loss = math.inf
    # pulses per device only for the MLP (its "layers" are the sizes); a conv net reports its total
    per = None if r.get("architecture") else f.get("pulses", 0) / devices(r["layers"])
    return {"loss": loss, "test": f.get("testAccuracy", float("nan")), "writes": f.get("rankOneWrites", 0),
            "pulses": per, "pulsesTotal": f.get("pulses", 0)}

def main():
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    p = argparse.ArgumentParser()
    p.add_argument("--sbe", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--lrs", default="0.0562,0.1,0.1778,0.3162,0.5623,1.0")
    p.add_argument("--seeds", default="1,2,3")
    a = p.parse_args(argv[:split])
    train_args = argv[split + 1:]
    lrs = [float(v) for v in a.lrs.split(",")]
    seeds = [int(v) for v in a.seeds.split(",")]
    base = os.path.join(a.out, a.name)
    probes = {lr: run(a.sbe, os.path.join(base, f"lr{lr}-s{seeds[0]}"), seeds[0], lr, train_args) for lr in lrs}
    best = min(lrs, key=lambda lr: probes[lr]["loss"])
    runs = [probes[best]] + [run(a.sbe, os.path.join(base, f"lr{best}-s{s}"), s, best, train_args) for s in seeds[1:]]
    tests = [r["test"] for r in runs]
    print(json.dumps({"name": a.name, "lr": best, "edge": best in (lrs[0], lrs[-1]), "test": tests,
                      "median": statistics.median(tests), "min": min(tests), "max": max(tests),
                      "loss": statistics.median(r["loss"] for r in runs), "writes": runs[0]["writes"],
                      "pulses": None if runs[0]["pulses"] is None else statistics.median(r["pulses"] for r in runs),
                      "pulsesTotal": statistics.median(r["pulsesTotal"] for r in runs)}), flush=True)

if __name__ == "__main__":
    main()
