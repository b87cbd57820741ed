"""Timing (not a test): a 100 x 785 tile read of a batch of 64 from Python, to compare with bench_calls (C).
Usage: SBECORE_LIBRARY=artifacts/native /usr/bin/python3 bindings/python/bench_batch_read.py
Thread CPU time by default (as bench_calls); SBE_BENCH_WALL=1 for wall-clock time."""
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sbecore  # noqa: E402

ROWS, COLS, BATCH, CALLS, REPEATS = 100, 785, 64, 200, 21


clock = time.perf_counter if os.environ.get("SBE_BENCH_WALL") else time.thread_time
print(f"clock: {'wall' if clock is time.perf_counter else 'thread CPU time'}")


def per_call_us(fn) -> float:
    for _ in range(50):
        fn()
    samples = []
    for _ in range(REPEATS):
        t = clock()
        for _ in range(CALLS):
            fn()
        samples.append((clock() - t) / CALLS * 1e6)
    return statistics.median(samples)


rng = np.random.default_rng(3)
w = (0.05 * rng.standard_normal((ROWS, COLS))).astype(np.float32)
x = rng.random((BATCH, COLS), dtype=np.float32)
y = np.empty((BATCH, ROWS), dtype=np.float32)
with sbecore.Tile(ROWS, COLS, seed=1) as tile:
    tile.set_weights(w)
    print(f"Tile.read 100x785, batch 64 (out=): {per_call_us(lambda: tile.read(x, out=y)):.2f} us/call")
    print(f"Tile.read 100x785, batch 64 (new output): {per_call_us(lambda: tile.read(x)):.2f} us/call")
one, out1 = np.ones((1, 1), np.float32), np.empty((1, 1), np.float32)
with sbecore.Tile(1, 1) as tiny:
    print(f"Tile.read 1x1, batch 1 (fixed cost, out=): {per_call_us(lambda: tiny.read(one, out=out1)) * 1000:.0f} ns/call")
print(f"sbecore.batch_read 100x785, batch 64 (out=): {per_call_us(lambda: sbecore.batch_read(w, x, out=y)):.2f} us/call")
t0 = clock()
for _ in range(100000):
    sbecore.abi_version()
print(f"sbecore.abi_version(): {(clock() - t0) / 100000 * 1e9:.0f} ns/call")
print(f"library {sbecore.library_path()}, isa {sorted(sbecore.isa())}")
