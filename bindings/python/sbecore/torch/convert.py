"""convert_to_analog: every nn.Linear of a model replaced by an AnalogLinear with its weights (aihwkit's name)."""
from __future__ import annotations

import copy
from typing import Any

from torch import nn

from .linear import AnalogLinear


def convert_to_analog(model: nn.Module, rpu_config: Any = None, *, seed: int = 0, inplace: bool = False) -> nn.Module:
    """A copy of model (or model itself with inplace=True) whose nn.Linear layers are AnalogLinear tiles with the same
    weights; layer i (in module order) gets device seed seed + i. rpu_config: as AnalogLinear's."""
    if not inplace:
        model = copy.deepcopy(model)
    counter = [0]

    def replace(module: nn.Module) -> nn.Module:
        if isinstance(module, nn.Linear):
            counter[0] += 1
            return AnalogLinear.from_digital(module, rpu_config, seed + counter[0] - 1)
        for name, child in module.named_children():
            setattr(module, name, replace(child))
        return module

    return replace(model)
