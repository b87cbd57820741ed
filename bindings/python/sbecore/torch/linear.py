"""AnalogLinear: an nn.Linear whose weights (and bias, as the tile's last column) live in an SbeCore tile."""
from __future__ import annotations

from typing import Any, Optional

import torch
from torch import nn

from .function import as_f32_rows
from .layer import AnalogLayer


class AnalogLinear(AnalogLayer):
    """aihwkit: AnalogLinear. y = x W^T + b read through a tile of out_features x (in_features + bias).

    rpu_config: a preset name ('ideal', 'EcRam', ...), a device dataclass or SingleRPUConfig of sbecore.devices;
    None is the ideal device with exact reads. Weights start as nn.Linear's (torch's RNG). Train it with
    CrossbarOptimizer: a plain torch optimizer sees no weight gradient (the weights are not Parameters)."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True, rpu_config: Any = None, seed: int = 0) -> None:
        super().__init__(out_features, in_features + (1 if bias else 0), bias, rpu_config, seed)
        self.in_features, self.out_features = in_features, out_features
        digital = nn.Linear(in_features, out_features, bias)
        self.set_weights(digital.weight.detach(), digital.bias.detach() if bias else None)

    @classmethod
    def from_digital(cls, linear: nn.Linear, rpu_config: Any = None, seed: int = 0) -> "AnalogLinear":
        """An AnalogLinear programmed with an nn.Linear's weights and bias."""
        layer = cls(linear.in_features, linear.out_features, linear.bias is not None, rpu_config, seed)
        layer.set_weights(linear.weight.detach(), None if linear.bias is None else linear.bias.detach())
        return layer

    def tile_inputs(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[-1] != self.in_features:
            raise ValueError(f"AnalogLinear expects inputs of width {self.in_features}, got shape {tuple(x.shape)}")
        rows = as_f32_rows(x, self.in_features)
        if not self.use_bias:
            return rows
        return torch.cat([rows, torch.ones((rows.shape[0], 1), dtype=torch.float32)], dim=1)  # the bias column's input

    def tile_outputs(self, y: torch.Tensor, x_shape: torch.Size) -> torch.Tensor:
        return y.reshape(*x_shape[:-1], self.out_features)

    def tile_deltas(self, grad: torch.Tensor) -> torch.Tensor:
        return as_f32_rows(grad, self.out_features)

    def input_grad(self, z: torch.Tensor, x_shape: torch.Size) -> torch.Tensor:
        return z[:, :self.in_features].reshape(x_shape)

    def get_weights(self):
        """(weight (out, in), bias (out,) or None) as torch tensors (copies of the tile's weights)."""
        return self._get_matrix()

    def set_weights(self, weight: torch.Tensor, bias: Optional[torch.Tensor] = None) -> None:
        """Programs the tile (not counted as training writes)."""
        self._set_matrix(weight, bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.use_bias}, rpu_config={self.rpu_config!r}"
