"""AnalogLayer: what every analog layer shares: its tile (weights, bias as the last column), the update-capture hook,
counters and state_dict. Subclasses say how their inputs become tile rows and tile outputs become theirs."""
from __future__ import annotations

import os
import tempfile
from typing import Any, Optional, Tuple

import torch
from torch import nn

from ..tile import Tile
from .function import AnalogFunction


class AnalogLayer(nn.Module):
    """A layer whose weights live in one SbeCore tile of rows x cols (cols includes the bias column when there is one).

    Subclasses implement the four mappings between their tensors and the tile's rows:
    tile_inputs(x) -> (N, cols) float32 contiguous (the bias column's input is 1), tile_outputs(y, x_shape),
    tile_deltas(grad) -> (N, rows) float32 contiguous, input_grad(z, x_shape) from the (N, cols) transposed read.
    The N (delta, input) rows of a batch are the update pairs handed to the optimizer's rule."""

    def __init__(self, rows: int, cols: int, use_bias: bool, rpu_config: Any, seed: int) -> None:
        super().__init__()
        self.use_bias, self.rpu_config, self.seed = use_bias, rpu_config, seed
        # Zero-size parameter that requires grad, so backward (and the update capture) runs for any input.
        self.analog_anchor = nn.Parameter(torch.zeros(0))
        self.tile = Tile(rows, cols, seed, device="ideal" if rpu_config is None else rpu_config)
        self._rule = None  # set by CrossbarOptimizer

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return AnalogFunction.apply(x, self.analog_anchor, self)

    def tile_inputs(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def tile_outputs(self, y: torch.Tensor, x_shape: torch.Size) -> torch.Tensor:
        raise NotImplementedError

    def tile_deltas(self, grad: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def input_grad(self, z: torch.Tensor, x_shape: torch.Size) -> torch.Tensor:
        raise NotImplementedError

    @property
    def weight_columns(self) -> int:
        """Tile columns that hold weights (the rest is the bias column)."""
        return self.tile.cols - (1 if self.use_bias else 0)

    def get_weights(self):
        """(weight, bias or None) as torch tensors, in the torch layer's shapes (copies of the tile's weights)."""
        raise NotImplementedError

    @property
    def weight(self) -> torch.Tensor:
        return self.get_weights()[0]

    @property
    def bias(self) -> Optional[torch.Tensor]:
        return self.get_weights()[1]

    def _get_matrix(self) -> Tuple[torch.Tensor, Any]:
        """(weights (rows, weight_columns), bias (rows,) or None) as copies of the tile's weights."""
        w = torch.from_numpy(self.tile.get_weights())
        return (w[:, :self.weight_columns].clone(), w[:, -1].clone()) if self.use_bias else (w, None)

    def _set_matrix(self, weight: torch.Tensor, bias: Any) -> None:
        """Programs the tile from (rows, weight_columns) weights and an optional bias (not counted as training writes)."""
        rows = self.tile.rows
        w = weight.detach().to(torch.float32).reshape(rows, self.weight_columns)
        if self.use_bias:
            b = torch.zeros(rows) if bias is None else bias.detach().to(torch.float32).reshape(rows)
            w = torch.cat([w, b[:, None]], dim=1)
        self.tile.set_weights(w.contiguous().numpy())

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
        if (tile.rows, tile.cols) != (self.tile.rows, self.tile.cols):
            error_msgs.append(f"{key}: the saved tile is {tile.rows} x {tile.cols}, this layer needs {self.tile.rows} x {self.tile.cols}")
            tile.close()
            return
        old, self.tile = self.tile, tile
        old.close()
