"""sbecore.torch: SbeCore tiles inside PyTorch (needs torch; `import sbecore` alone never imports it).

    from sbecore.torch import AnalogConv2d, AnalogLinear, CrossbarOptimizer, convert_to_analog
    model = convert_to_analog(my_cnn, ConstantStepDevice(dw_min=0.001))
    opt = CrossbarOptimizer(model, method="sbe", rank=1, lr=0.05)
    for x, y in loader:
        opt.zero_grad(); loss_fn(model(x), y).backward(); opt.step()

See docs/torch.md (aihwkit -> SbeCore mapping).
"""
try:
    import torch  # noqa: F401
except ImportError as e:  # pragma: no cover - depends on the machine
    raise ImportError("sbecore.torch needs PyTorch (pip install torch, or apt-get install python3-torch)") from e

from .conv import AnalogConv2d
from .convert import convert_to_analog, set_threads
from .layer import AnalogLayer
from .linear import AnalogLinear
from .optimizer import CrossbarOptimizer

__all__ = ["AnalogConv2d", "AnalogLayer", "AnalogLinear", "CrossbarOptimizer", "convert_to_analog", "set_threads"]
