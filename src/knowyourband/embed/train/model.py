"""The logo embedding network: a small plain-torch CNN from a glyph to a unit vector."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from knowyourband.embed.glyph import HEIGHT, WIDTH

DIM = 128
WIDTHS = (16, 32, 64, 64, 128, 128)  # output channels of six 3x3 convolutions
STRIDES = (2, 2, 1, 2, 1, 2)  # 48 x 160 -> 3 x 10


def _conv(cin: int, cout: int, stride: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class EmbedNet(nn.Module):
    """Input (N, 1, HEIGHT, WIDTH) float gray levels 0-255; output (N, DIM) unit vectors.

    Each glyph is normalised by its own mean and contrast first (a print's ink and paper can be any
    two colours). The last feature map is flattened, not pooled: where a stroke is in the word is
    what tells two logos in the same typeface apart.
    """

    def __init__(self) -> None:
        super().__init__()
        layers, cin = [], 1
        for cout, stride in zip(WIDTHS, STRIDES):
            layers.append(_conv(cin, cout, stride))
            cin = cout
        self.features = nn.Sequential(*layers)
        cells = (HEIGHT // 16) * (WIDTH // 16)
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(cin * cells, DIM))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=(2, 3), keepdim=True)
        # The +4 keeps a flat, blank glyph from being blown up into noise.
        spread = x.std(dim=(2, 3), keepdim=True) + 4.0
        return F.normalize(self.head(self.features((x - mean) / spread)), dim=1)
