"""The autograd Function of an analog layer: forward and backward are the tile's batched reads (its I/O model)."""
from __future__ import annotations

import torch


def as_f32_rows(t: torch.Tensor, width: int) -> torch.Tensor:
    """t as a contiguous float32 CPU (n, width) tensor: no copy when it already is one."""
    if t.device.type != "cpu":
        raise TypeError(f"sbecore.torch runs on the CPU; got a tensor on {t.device}")
    return t.detach().reshape(-1, width).to(torch.float32).contiguous()


class AnalogFunction(torch.autograd.Function):
    """y = read(x) through the tile; dL/dx = read_t(dL/dy); the (dL/dy, x) pairs go to the layer's update rule.

    `anchor` is the layer's zero-size parameter: it requires grad, so backward runs even when x does not."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, anchor: torch.Tensor, layer) -> torch.Tensor:  # noqa: ARG004
        inputs = layer._tile_inputs(x)
        out = torch.empty((inputs.shape[0], layer.out_features), dtype=torch.float32)
        layer.tile.read(inputs.numpy(), out=out.numpy())  # numpy views: zero-copy both ways
        ctx.layer, ctx.inputs, ctx.in_shape = layer, inputs, x.shape
        return out.reshape(*x.shape[:-1], layer.out_features)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        layer, inputs = ctx.layer, ctx.inputs
        deltas = as_f32_rows(grad, layer.out_features)
        grad_x = None
        if ctx.needs_input_grad[0]:
            full = torch.empty((deltas.shape[0], layer.tile.cols), dtype=torch.float32)
            layer.tile.read_t(deltas.numpy(), out=full.numpy())
            grad_x = full[:, :layer.in_features].reshape(ctx.in_shape)
        if layer._rule is not None:
            layer._rule.observe(deltas.numpy(), inputs.numpy())
        ctx.inputs = None
        return grad_x, None, None
