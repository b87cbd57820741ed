"""Issue 12, item 12 from Python: the status names match sbecore.h, and one handle used by two threads at once gives
SBE_E_BUSY (or runs), never corrupted weights or lost counter updates."""
import re
import threading
from pathlib import Path

import numpy as np

from sbecore import SbeError, Tile
from sbecore._errors import STATUS_NAMES

HEADER = Path(__file__).resolve().parents[3] / "native-abi" / "include" / "sbecore.h"


def test_status_names_match_the_header():
    enum = HEADER.read_text().split("typedef enum sbe_status", 1)[1].split("} sbe_status;", 1)[0]
    pairs = {int(v): n for n, v in re.findall(r"(SBE_\w+)\s*=\s*(-?\d+)", enum)}
    assert pairs == STATUS_NAMES
    assert STATUS_NAMES[-10] == "SBE_E_BUSY"


def test_one_tile_from_two_threads_is_busy_not_corrupted():
    d, x = np.full(48, 0.01, np.float32), np.full(32, 0.02, np.float32)
    with Tile(48, 32, seed=1, device="PCM") as t:
        counts = {"ok": 0, "busy": 0, "other": 0}
        lock = threading.Lock()
        start = threading.Barrier(2)

        def loop():
            start.wait()
            for _ in range(3000):
                try:
                    t.write(0.1, d, x)
                    key = "ok"
                except SbeError as e:
                    key = "busy" if e.status_name == "SBE_E_BUSY" else "other"
                with lock:
                    counts[key] += 1

        threads = [threading.Thread(target=loop) for _ in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert counts["other"] == 0
        assert t.counters["rank_one_writes"] == counts["ok"]
        assert np.isfinite(t.weights).all()
