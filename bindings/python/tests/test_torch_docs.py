"""The example of docs/torch.md runs as written (from the repository root) and learns MNIST-10k."""
import os
import re
from pathlib import Path

import pytest

pytest.importorskip("torch")
REPO = Path(__file__).resolve().parents[3]


def test_torch_doc_example_trains_an_analog_mlp(capsys):
    text = (REPO / "docs" / "torch.md").read_text(encoding="utf-8")
    block = re.search(r"## Example.*?```python\n(.*?)```", text, re.S).group(1)
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        names = {"__name__": "__main__"}
        exec(compile(block, "docs/torch.md", "exec"), names)
    finally:
        os.chdir(cwd)
    assert names["accuracy"] > 0.8
    counters = names["opt"].counters()
    assert [c["rank_one_writes"] for c in counters] == [3 * 250, 3 * 250]  # sbe-1: one write per layer per batch
    assert all(c["total_pulses"] > 0 for c in counters)
    assert "test accuracy" in capsys.readouterr().out
