"""The Python usage block of docs/native.md runs as written (with small synthetic data for its free names)."""
import re
from pathlib import Path

import numpy as np

DOC = Path(__file__).resolve().parents[3] / "docs" / "native.md"


def test_python_usage_block_runs():
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"## Python usage\s+```python\n(.*?)```", text, re.S).group(1)
    rng = np.random.default_rng(0)
    names = {
        "images": rng.random((64, 784), dtype=np.float32), "labels": rng.integers(0, 10, 64).astype(np.int32),
        "test_images": rng.random((32, 784), dtype=np.float32), "test_labels": rng.integers(0, 10, 32).astype(np.int32),
    }
    exec(compile(block, str(DOC), "exec"), names)
    assert names["metrics"]["samples"] == 64
    assert names["s"].shape == (1,) and names["d"].shape == (1, 100) and names["v"].shape == (1, 785)
