"""The MNIST example (the paper's 784-100-10 set-up through the binding) learns: SBE rank 1, batch 32."""
import importlib.util
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "mnist_sbe.py"


def test_mnist_sbe_example_learns():
    spec = importlib.util.spec_from_file_location("mnist_sbe", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.run(epochs=3, batch=32, learning_rate=0.05, method="sbe", seed=0)
    assert result["train"]["rank_one_writes"] == 3 * 250 * 2          # one rank-1 write per layer per batch
    assert result["train"]["mean_training_loss"] < 0.7
    assert result["test"]["accuracy"] > 0.85                          # 2,000 held-out digits
