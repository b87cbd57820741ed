"""benchmarks/torch_vs_aihwkit.py runs (SbeCore's rows only when aihwkit is not importable): one round, one step."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
PACKAGE = Path(__file__).resolve().parents[1]


def test_the_speed_script_runs_both_models():
    env = {**os.environ, "PYTHONPATH": str(PACKAGE)}
    result = subprocess.run([sys.executable, str(PACKAGE / "benchmarks" / "torch_vs_aihwkit.py"), "--rounds", "1", "--steps", "1",
                             "--batch", "8", "--no-aihwkit"], capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    for arch in ("mlp", "lenet5"):
        assert f"{arch}, batch 8" in result.stdout
    assert result.stdout.count("sbecore.torch sbe-1") == 2
    assert result.stdout.count("torch side only") == 2  # the floor row: the model with its tiles stubbed out
