"""The detector network: a small plain-torch CNN with one stride-8 output for two heads."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

KINDS = ("album", "logo")  # channel order of the heatmap; shared with inference


@dataclass
class NetConfig:
    widths: tuple[int, ...] = (16, 32, 48, 96, 128)  # channels at strides 2, 4, 8, 16, 32
    neck: int = 64  # channels of the merged stride-8 map the heads read
    stride: int = 8  # output stride; a 384 px input gives a 48×48 map
    num_classes: int = len(KINDS)


def _conv(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)
    )


class _Residual(nn.Module):
    """Two 3×3 convolutions with an identity shortcut (ResNet basic block)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.a = _conv(channels, channels)
        self.b = nn.Sequential(nn.Conv2d(channels, channels, 3, 1, 1, bias=False), nn.BatchNorm2d(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(x + self.b(self.a(x)))


class DetectorNet(nn.Module):
    """Input (N, 3, S, S) float RGB in [0, 1], S a multiple of 32.

    Returns `heat` (N, C, S/8, S/8), per-class centre logits, and `ltrb` (N, 4, S/8, S/8),
    the distances in input pixels from each cell centre to the box's left, top, right and
    bottom edges (TTFNet-style: every cell near a centre regresses the whole box).
    """

    def __init__(self, config: NetConfig | None = None) -> None:
        super().__init__()
        c = config or NetConfig()
        self.config = c
        w = c.widths
        self.register_buffer("mean", torch.tensor([0.45, 0.42, 0.40]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.27, 0.26, 0.27]).view(1, 3, 1, 1))
        self.stem = nn.Sequential(_conv(3, w[0], 2), _conv(w[0], w[1], 2), _Residual(w[1]))
        self.s8 = nn.Sequential(_conv(w[1], w[2], 2), _Residual(w[2]))
        self.s16 = nn.Sequential(_conv(w[2], w[3], 2), _Residual(w[3]))
        self.s32 = nn.Sequential(_conv(w[3], w[4], 2), _Residual(w[4]), _Residual(w[4]))
        # A small FPN top-down path: large objects (a CD filling the photo) need the stride-32
        # context, small poster logos the stride-8 detail.
        self.lat8 = nn.Conv2d(w[2], c.neck, 1)
        self.lat16 = nn.Conv2d(w[3], c.neck, 1)
        self.lat32 = nn.Conv2d(w[4], c.neck, 1)
        self.merge = nn.Sequential(_conv(c.neck, c.neck), _conv(c.neck, c.neck))
        self.heat = nn.Sequential(_conv(c.neck, c.neck), nn.Conv2d(c.neck, c.num_classes, 1))
        self.box = nn.Sequential(_conv(c.neck, c.neck), nn.Conv2d(c.neck, 4, 1))
        # Start the heatmap near p = 0.01 so the focal loss is not swamped by background at step 0.
        nn.init.constant_(self.heat[-1].bias, -4.6)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = (x - self.mean) / self.std
        f8 = self.s8(self.stem(x))
        f16 = self.s16(f8)
        f32 = self.s32(f16)
        p16 = self.lat16(f16) + F.interpolate(self.lat32(f32), scale_factor=2.0, mode="nearest")
        p8 = self.lat8(f8) + F.interpolate(p16, scale_factor=2.0, mode="nearest")
        p8 = self.merge(p8)
        # Distances are predicted in units of the stride through exp(), so they are positive and
        # span small logos and photo-filling covers with the same output range.
        ltrb = torch.exp(self.box(p8).clamp(max=6.0)) * self.config.stride
        return self.heat(p8), ltrb


class ExportWrapper(nn.Module):
    """The graph shipped as ONNX: sigmoid applied, so inference needs no torch maths."""

    def __init__(self, net: DetectorNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        heat, ltrb = self.net(x)
        return torch.sigmoid(heat), ltrb
