"""AnalogConv2d: an nn.Conv2d on one SbeCore tile, mapped as aihwkit and SbeCore's own conv layer map it:
rows = out_channels, columns = in_channels x kh x kw (+ the bias column, fed 1). Each sample's P output positions are
P tile reads (im2col), so every update rule sees n x P (delta, patch) pairs per batch."""
from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import torch
from torch import nn
from torch.nn import functional as F

from .function import as_f32_rows, check_cpu_real
from .layer import AnalogLayer

Pair = Union[int, Tuple[int, int]]


def _pair(name: str, value: Any, minimum: int) -> Tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool):
        pair = (value, value)
    else:
        pair = tuple(value) if isinstance(value, (tuple, list)) else None
    if pair is None or len(pair) != 2 or any(isinstance(v, bool) or not isinstance(v, int) or v < minimum for v in pair):
        raise ValueError(f"{name} must be an int >= {minimum} or a pair of them, got {value!r}")
    return pair


def _explicit_padding(padding: Any, kernel: Tuple[int, int], stride: Tuple[int, int], dilation: Tuple[int, int]) -> Tuple[int, int]:
    """nn.Conv2d's padding as (ph, pw): 'valid' is 0; 'same' (stride 1) is dilation (k - 1) / 2 when that is whole (an
    even total would pad one side more, which one tile read per patch does not model; refused)."""
    if padding == "valid":
        return 0, 0
    if padding == "same":
        totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
        if stride != (1, 1) or any(t % 2 for t in totals):
            raise ValueError(f"padding='same' needs stride 1 and an odd dilated kernel (symmetric padding); got kernel_size={kernel}, "
                             f"stride={stride}, dilation={dilation}")
        return totals[0] // 2, totals[1] // 2
    if isinstance(padding, str):
        raise ValueError(f"padding must be an int, a pair, 'valid' or 'same', got {padding!r}")
    return _pair("padding", padding, 0)


def check_mappable(conv: nn.Conv2d) -> None:
    """Raises ValueError naming what an AnalogConv2d cannot take from this nn.Conv2d (before anything is built)."""
    if conv.groups != 1:
        raise ValueError(f"groups must be 1 (a grouped convolution needs a tile per group, not supported), got {conv.groups!r}")
    if conv.padding_mode != "zeros":
        raise ValueError(f"padding_mode must be 'zeros', got {conv.padding_mode!r}")
    _explicit_padding(conv.padding, tuple(conv.kernel_size), tuple(conv.stride), tuple(conv.dilation))


class AnalogConv2d(AnalogLayer):
    """aihwkit: AnalogConv2d. A 2-D convolution (stride, padding, dilation, bias) read through a tile of
    out_channels x (in_channels * kh * kw + bias): forward unfolds the input into its P patches per sample and reads
    all n x P in one batched tile read (the tile's I/O model on every patch); backward reads the n x P output
    gradients through the transposed tile and folds them back onto the input. padding: ints, 'valid', or 'same' when
    symmetric; groups > 1 (a tile per group) and padding modes other than zeros are refused. rpu_config and seed: as
    AnalogLinear's."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Pair, stride: Pair = 1, padding: Union[Pair, str] = 0,
                 dilation: Pair = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros", rpu_config: Any = None,
                 seed: int = 0) -> None:
        for name, value in (("in_channels", in_channels), ("out_channels", out_channels)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an int >= 1, got {value!r}")
        if groups != 1:
            raise ValueError(f"groups must be 1 (a grouped convolution needs a tile per group, not supported), got {groups!r}")
        if padding_mode != "zeros":
            raise ValueError(f"padding_mode must be 'zeros', got {padding_mode!r}")
        kernel, stride, dilation = _pair("kernel_size", kernel_size, 1), _pair("stride", stride, 1), _pair("dilation", dilation, 1)
        padding = _explicit_padding(padding, kernel, stride, dilation)
        super().__init__(out_channels, in_channels * kernel[0] * kernel[1] + (1 if bias else 0), bias, rpu_config, seed)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding, self.dilation = kernel, stride, padding, dilation
        digital = nn.Conv2d(in_channels, out_channels, kernel, stride, padding, dilation, bias=bias)
        self.set_weights(digital.weight.detach(), digital.bias.detach() if bias else None)

    @classmethod
    def from_digital(cls, conv: nn.Conv2d, rpu_config: Any = None, seed: int = 0) -> "AnalogConv2d":
        """An AnalogConv2d with an nn.Conv2d's geometry, weights and bias."""
        layer = cls(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding, conv.dilation,
                    conv.groups, conv.bias is not None, conv.padding_mode, rpu_config, seed)
        layer.set_weights(conv.weight.detach(), None if conv.bias is None else conv.bias.detach())
        return layer

    def output_size(self, height: int, width: int) -> Tuple[int, int]:
        """(out_h, out_w) for an input of height x width (torch's formula)."""
        size = []
        for extent, k, s, p, d in zip((height, width), self.kernel_size, self.stride, self.padding, self.dilation):
            size.append((extent + 2 * p - d * (k - 1) - 1) // s + 1)
        return size[0], size[1]

    def tile_inputs(self, x: torch.Tensor) -> torch.Tensor:
        check_cpu_real(x)
        if x.dim() not in (3, 4) or x.shape[-3] != self.in_channels:
            raise ValueError(f"AnalogConv2d expects (n, {self.in_channels}, H, W) or ({self.in_channels}, H, W) inputs "
                             f"(in_channels={self.in_channels}), got shape {tuple(x.shape)}")
        oh, ow = self.output_size(x.shape[-2], x.shape[-1])
        if oh < 1 or ow < 1:
            raise ValueError(f"AnalogConv2d: the input {x.shape[-2]}x{x.shape[-1]} is smaller than the kernel {self.kernel_size} "
                             f"(dilation {self.dilation}, padding {self.padding})")
        x4 = x.detach().reshape(-1, *x.shape[-3:]).to(torch.float32)
        (ph, pw), n = self.padding, x4.shape[0]
        if ph or pw:
            x4 = F.pad(x4, (pw, pw, ph, ph))
        inputs = torch.empty((n * oh * ow, self.tile.cols), dtype=torch.float32)
        # im2col as one strided copy: row (j, y, x) of the tile's inputs is the patch under output position (y, x)
        self._patch_view(inputs, n, oh, ow).copy_(self._windows(x4, oh, ow))
        if self.use_bias:
            inputs[:, -1] = 1.0  # the bias column's input
        return inputs

    def _patch_view(self, rows: torch.Tensor, n: int, oh: int, ow: int) -> torch.Tensor:
        """(n oh ow, cols) tile rows seen as (n, oh, ow, C, kh, kw) without the bias column (a view)."""
        return rows.view(n, oh, ow, -1)[..., :self.weight_columns].unflatten(-1, (self.in_channels, *self.kernel_size))

    def _windows(self, padded: torch.Tensor, oh: int, ow: int) -> torch.Tensor:
        """The (n, oh, ow, C, kh, kw) view of a padded (n, C, H, W) input: the patch under every output position."""
        (kh, kw), (sh, sw), (dh, dw) = self.kernel_size, self.stride, self.dilation
        v = padded.unfold(2, dh * (kh - 1) + 1, sh).unfold(3, dw * (kw - 1) + 1, sw)[:, :, :oh, :ow, ::dh, ::dw]
        return v.permute(0, 2, 3, 1, 4, 5)

    def tile_outputs(self, y: torch.Tensor, x_shape: torch.Size) -> torch.Tensor:
        oh, ow = self.output_size(x_shape[-2], x_shape[-1])
        out = y.view(-1, oh * ow, self.out_channels).transpose(1, 2).reshape(-1, self.out_channels, oh, ow)  # position-major to NCHW
        return out if len(x_shape) == 4 else out[0]

    def tile_deltas(self, grad: torch.Tensor) -> torch.Tensor:
        positions = grad.shape[-1] * grad.shape[-2]
        rows = grad.detach().to(torch.float32).reshape(-1, self.out_channels, positions).transpose(1, 2)
        return as_f32_rows(rows, self.out_channels)

    def input_grad(self, z: torch.Tensor, x_shape: torch.Size) -> torch.Tensor:
        """col2im: every patch row of the transposed read added back onto the input pixels it came from."""
        oh, ow = self.output_size(x_shape[-2], x_shape[-1])
        (kh, kw), (sh, sw), (dh, dw), (ph, pw) = self.kernel_size, self.stride, self.dilation, self.padding
        n, height, width = z.shape[0] // (oh * ow), x_shape[-2], x_shape[-1]
        patches = self._patch_view(z, n, oh, ow).permute(0, 3, 4, 5, 1, 2)  # (n, C, kh, kw, oh, ow)
        grad = torch.zeros((n, self.in_channels, height + 2 * ph, width + 2 * pw), dtype=torch.float32)
        # one strided add per kernel offset (kh kw of them) beats F.fold's per-element scatter on the CPU
        for ky in range(kh):
            for kx in range(kw):
                y0, x0 = ky * dh, kx * dw
                grad[:, :, y0:y0 + sh * (oh - 1) + 1:sh, x0:x0 + sw * (ow - 1) + 1:sw] += patches[:, :, ky, kx]
        return grad[:, :, ph:ph + height, pw:pw + width].reshape(x_shape)

    def get_weights(self):
        """(weight (out, in, kh, kw), bias (out,) or None) as torch tensors (copies of the tile's weights)."""
        w, b = self._get_matrix()
        return w.reshape(self.out_channels, self.in_channels, *self.kernel_size), b

    def set_weights(self, weight: torch.Tensor, bias: Optional[torch.Tensor] = None) -> None:
        """Programs the tile from (out, in, kh, kw) weights (not counted as training writes)."""
        if tuple(weight.shape) != (self.out_channels, self.in_channels, *self.kernel_size):
            raise ValueError(f"weight must have shape {(self.out_channels, self.in_channels, *self.kernel_size)}, got {tuple(weight.shape)}")
        self._set_matrix(weight, bias)

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding}, dilation={self.dilation}, bias={self.use_bias}, rpu_config={self.rpu_config!r}")
