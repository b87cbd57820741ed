"""The autograd Function of an analog layer: forward and backward are the tile's batched reads (its I/O model)."""
from __future__ import annotations

import torch


def check_cpu_real(t: torch.Tensor) -> None:
    """sbecore.torch reads real CPU tensors (any floating dtype; computed in float32)."""
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"an analog layer takes a torch.Tensor, got {type(t).__name__}")
    if t.device.type != "cpu":
        raise TypeError(f"sbecore.torch runs on the CPU; got a tensor on {t.device}")
    if not t.is_floating_point():
        raise TypeError(f"an analog layer takes a floating-point tensor, got dtype {t.dtype}")


def as_f32_rows(t: torch.Tensor, width: int) -> torch.Tensor:
    """t as a contiguous float32 CPU (n, width) tensor: no copy when it already is one."""
    check_cpu_real(t)
    return t.detach().reshape(-1, width).to(torch.float32).contiguous()


def _same_memory(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Whether a layer's row view a still is b's memory: the layers build their rows from b with reshape, detach, to and
    contiguous only, which either keep b's first element or copy everything (a cheap test; storage() is not)."""
    return a.data_ptr() == b.data_ptr()


class AnalogFunction(torch.autograd.Function):
    """y = read(x) through the tile; dL/dx = read_t(dL/dy); the (dL/dy, x) rows go to the layer's update rule.

    The layer (an AnalogLayer) maps its tensors to tile rows and back. `anchor` is the layer's zero-size parameter: it
    requires grad, so backward runs even when x does not."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, anchor: torch.Tensor, layer) -> torch.Tensor:  # noqa: ARG004
        inputs = layer.tile_inputs(x)
        if _same_memory(inputs, x):  # kept for backward and the update rule: never a view of the caller's tensor
            inputs = inputs.clone()
        out = torch.empty((inputs.shape[0], layer.tile.rows), dtype=torch.float32)
        layer.tile.read(inputs.numpy(), out=out.numpy())  # numpy views: zero-copy both ways
        ctx.layer, ctx.inputs, ctx.in_shape = layer, inputs, x.shape
        return layer.tile_outputs(out, x.shape)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        layer, inputs = ctx.layer, ctx.inputs
        deltas = layer.tile_deltas(grad)
        grad_x = None
        if ctx.needs_input_grad[0]:
            full = torch.empty((deltas.shape[0], layer.tile.cols), dtype=torch.float32)
            layer.tile.read_t(deltas.numpy(), out=full.numpy())
            grad_x = layer.input_grad(full, ctx.in_shape)
        if layer._rule is not None:
            if layer._rule.keeps_pairs and _same_memory(deltas, grad):  # the rule may keep the pairs until step(): give it its own copy
                deltas = deltas.clone()
            layer._rule.observe(deltas.numpy(), inputs.numpy())
        ctx.inputs = None
        return grad_x, None, None
