"""The examples of docs/torch.md run as written (from the repository root) and learn MNIST-10k."""
import os
import re
from pathlib import Path

import pytest

pytest.importorskip("torch")
REPO = Path(__file__).resolve().parents[3]


def run_example(heading: str) -> dict:
    """Executes the python block under the docs/torch.md heading that starts with `heading`; returns its names."""
    text = (REPO / "docs" / "torch.md").read_text(encoding="utf-8")
    block = re.search(r"^" + re.escape(heading) + r".*?```python\n(.*?)```", text, re.S | re.M).group(1)
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        names = {"__name__": "__main__"}
        exec(compile(block, "docs/torch.md", "exec"), names)
    finally:
        os.chdir(cwd)
    return names


def test_torch_doc_example_trains_an_analog_mlp(capsys):
    names = run_example("## Example (runs as a test")
    assert names["accuracy"] > 0.8
    counters = names["opt"].counters()
    assert [c["rank_one_writes"] for c in counters] == [3 * 250, 3 * 250]  # sbe-1: one write per layer per batch
    assert all(c["total_pulses"] > 0 for c in counters)
    assert "test accuracy" in capsys.readouterr().out


def test_torch_doc_example_trains_an_analog_lenet5(capsys):
    from sbecore.torch import AnalogConv2d, AnalogLinear
    names = run_example("## Example: LeNet-5")
    model = names["model"]
    assert [type(m) for m in model if isinstance(m, (AnalogConv2d, AnalogLinear))] == [AnalogConv2d] * 2 + [AnalogLinear] * 3
    assert names["accuracy"] > 0.6  # chance is 0.1
    counters = names["opt"].counters()
    assert [c["rank_one_writes"] for c in counters[:2]] == [500 * 6, 500 * 16]  # minibatch: min(8 P, rows, cols) per step
    assert all(c["total_pulses"] > 0 for c in counters)
    assert "LeNet-5 test accuracy" in capsys.readouterr().out
