"""convert_to_analog: every nn.Linear and nn.Conv2d of a model replaced by its analog layer with the same weights
(aihwkit's name)."""
from __future__ import annotations

import copy
from typing import Any

from torch import nn

from .conv import AnalogConv2d, check_mappable
from .linear import AnalogLinear

ANALOG_OF = ((nn.Linear, AnalogLinear), (nn.Conv2d, AnalogConv2d))


def convert_to_analog(model: nn.Module, rpu_config: Any = None, *, seed: int = 0, inplace: bool = False) -> nn.Module:
    """A copy of model (or model itself with inplace=True) whose nn.Linear and nn.Conv2d layers are AnalogLinear and
    AnalogConv2d tiles with the same weights; analog layer i (in module order) gets device seed seed + i. A Conv2d an
    AnalogConv2d cannot map (grouped, reflect padding, asymmetric 'same') is refused (ValueError naming the layer)
    before anything is replaced. rpu_config: as AnalogLinear's."""
    for name, module in model.named_modules():
        if isinstance(module, nn.Conv2d):
            try:
                check_mappable(module)
            except ValueError as e:
                raise ValueError(f"layer {name!r}: {e}") from None
    if not inplace:
        model = copy.deepcopy(model)
    counter = [0]

    def replace(module: nn.Module) -> nn.Module:
        for digital, analog in ANALOG_OF:
            if isinstance(module, digital):
                counter[0] += 1
                return analog.from_digital(module, rpu_config, seed + counter[0] - 1)
        for name, child in module.named_children():
            setattr(module, name, replace(child))
        return module

    return replace(model)


def set_threads(model: nn.Module, threads: int) -> int:
    """Lets every analog layer's tile in model split its reads and pulsed writes over `threads` threads (1 to 64; the
    same outputs and weights for every value, see Tile.threads). Returns the number of tiles set."""
    from .layer import AnalogLayer
    tiles = [m.tile for m in model.modules() if isinstance(m, AnalogLayer)]
    for tile in tiles:
        tile.threads = threads
    return len(tiles)
