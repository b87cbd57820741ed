"""Timing (not a test): a 100 x 785 tile read of a batch of 64 from Python, to compare with bench_calls (C).
Usage: SBECORE_LIBRARY=artifacts/native /usr/bin/python3 bindings/python/bench_batch_read.py"""
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sbecore  # noqa: E402

ROWS, COLS, BATCH, CALLS, REPEATS = 100, 785, 64, 200, 21


def per_call_us(fn) -> float:
    for _ in range(50):
        fn()
    samples = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        for _ in range(CALLS):
            fn()
        samples.append((time.perf_counter() - t) / CALLS * 1e6)
    return statistics.median(samples)


rng = np.random.default_rng(3)
w = (0.05 * rng.standard_normal((ROWS, COLS))).astype(np.float32)
x = rng.random((BATCH, COLS), dtype=np.float32)
y = np.empty((BATCH, ROWS), dtype=np.float32)
with sbecore.Tile(ROWS, COLS, seed=1) as tile:
    tile.set_weights(w)
    print(f"Tile.read 100x785, batch 64 (out=): {per_call_us(lambda: tile.read(x, out=y)):.2f} us/call")
    print(f"Tile.read 100x785, batch 64 (new output): {per_call_us(lambda: tile.read(x)):.2f} us/call")
print(f"sbecore.batch_read 100x785, batch 64 (out=): {per_call_us(lambda: sbecore.batch_read(w, x, out=y)):.2f} us/call")
t0 = time.perf_counter()
for _ in range(100000):
    sbecore.abi_version()
print(f"sbecore.abi_version(): {(time.perf_counter() - t0) / 100000 * 1e9:.0f} ns/call")
print(f"library {sbecore.library_path()}, isa {sorted(sbecore.isa())}")
