"""AnalogLinear: an nn.Linear whose weights (and bias, as the tile's last column) live in an SbeCore tile."""
from __future__ import annotations

import os
import tempfile
from typing import Any, Optional

import numpy as np
import torch
from torch import nn

from ..tile import Tile
from .function import AnalogFunction, as_f32_rows


class AnalogLinear(nn.Module):
    """aihwkit: AnalogLinear. y = x W^T + b read through a tile of out_features x (in_features + bias).

    rpu_config: a preset name ('ideal', 'EcRam', ...), a device dataclass or SingleRPUConfig of sbecore.devices;
    None is the ideal device with exact reads. Weights start as nn.Linear's (torch's RNG). Train it with
    CrossbarOptimizer: a plain torch optimizer sees no weight gradient (the weights are not Parameters)."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True, rpu_config: Any = None, seed: int = 0) -> None:
        super().__init__()
        self.in_features, self.out_features, self.use_bias = in_features, out_features, bias
        self.rpu_config, self.seed = rpu_config, seed
        # Zero-size parameter that requires grad, so backward (and the update capture) runs for any input.
        self.analog_anchor = nn.Parameter(torch.zeros(0))
        self.tile = self._new_tile()
        self._rule = None  # set by CrossbarOptimizer
        digital = nn.Linear(in_features, out_features, bias)
        self.set_weights(digital.weight.detach(), digital.bias.detach() if bias else None)

    def _new_tile(self) -> Tile:
        cols = self.in_features + (1 if self.use_bias else 0)
        device = "ideal" if self.rpu_config is None else self.rpu_config
        return Tile(self.out_features, cols, self.seed, device=device)

    @classmethod
    def from_digital(cls, linear: nn.Linear, rpu_config: Any = None, seed: int = 0) -> "AnalogLinear":
        """An AnalogLinear programmed with an nn.Linear's weights and bias."""
        layer = cls(linear.in_features, linear.out_features, linear.bias is not None, rpu_config, seed)
        layer.set_weights(linear.weight.detach(), None if linear.bias is None else linear.bias.detach())
        return layer

    def _tile_inputs(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[-1] != self.in_features:
            raise ValueError(f"AnalogLinear expects inputs of width {self.in_features}, got shape {tuple(x.shape)}")
        rows = as_f32_rows(x, self.in_features)
        if not self.use_bias:
            return rows
        return torch.cat([rows, torch.ones((rows.shape[0], 1), dtype=torch.float32)], dim=1)  # the bias column's input

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return AnalogFunction.apply(x, self.analog_anchor, self)

    def get_weights(self):
        """(weight (out, in), bias (out,) or None) as torch tensors (copies of the tile's weights)."""
        w = torch.from_numpy(self.tile.get_weights())
        return (w[:, :self.in_features].clone(), w[:, -1].clone()) if self.use_bias else (w, None)

    def set_weights(self, weight: torch.Tensor, bias: Optional[torch.Tensor] = None) -> None:
        """Programs the tile (not counted as training writes)."""
        w = weight.detach().to(torch.float32).reshape(self.out_features, self.in_features)
        if self.use_bias:
            b = torch.zeros(self.out_features) if bias is None else bias.detach().to(torch.float32).reshape(self.out_features)
            w = torch.cat([w, b[:, None]], dim=1)
        self.tile.set_weights(np.ascontiguousarray(w.numpy()))

    @property
    def weight(self) -> torch.Tensor:
        return self.get_weights()[0]

    @property
    def bias(self) -> Optional[torch.Tensor]:
        return self.get_weights()[1]

    def counters(self) -> dict:
        """The tile's endurance counters (rank_one_writes, total_pulses, clipped_pulses, max_pulses_per_device)."""
        return self.tile.counters

    # state_dict: the whole tile (weights, device state, counters) as its saved file, a uint8 tensor.
    def _save_to_state_dict(self, destination, prefix, keep_vars):
        super()._save_to_state_dict(destination, prefix, keep_vars)
        fd, path = tempfile.mkstemp(suffix=".sbetile")
        os.close(fd)
        try:
            self.tile.save(path)
            with open(path, "rb") as f:
                destination[prefix + "tile_state"] = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8)
        finally:
            os.unlink(path)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs):
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs)
        key = prefix + "tile_state"
        if key in unexpected_keys:
            unexpected_keys.remove(key)
        if key not in state_dict:
            missing_keys.append(key)
            return
        fd, path = tempfile.mkstemp(suffix=".sbetile")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(state_dict[key].numpy().tobytes())
            tile = Tile.load(path)
        finally:
            os.unlink(path)
        expected = (self.out_features, self.in_features + (1 if self.use_bias else 0))
        if (tile.rows, tile.cols) != expected:
            tile.close()
            error_msgs.append(f"{key}: the saved tile is {tile.rows} x {tile.cols}, this layer needs {expected[0]} x {expected[1]}")
            return
        old, self.tile = self.tile, tile
        old.close()

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.use_bias}, rpu_config={self.rpu_config!r}"
