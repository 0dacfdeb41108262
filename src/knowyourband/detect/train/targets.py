"""Training targets in numpy: Gaussian centre heatmaps and box regression maps (TTFNet-style)."""

from __future__ import annotations

import numpy as np

# Gaussian radius as a fraction of the box side (TTFNet's alpha/beta = 0.54, over 6 sigmas).
HEAT_ALPHA = 0.54
REG_BETA = 0.54


def _gaussian(size: int, step: int, centre: float, sigma: float) -> np.ndarray:
    """1-D Gaussian over the cell centres `(i + 0.5) * step`, i < size."""
    cells = (np.arange(size, dtype=np.float32) + 0.5) * step
    return np.exp(-((cells - centre) ** 2) / (2.0 * sigma**2))


def encode(
    boxes: np.ndarray, classes: np.ndarray, size: int, stride: int, num_classes: int
) -> dict[str, np.ndarray]:
    """Targets for one image of `size` × `size` input pixels.

    boxes: (N, 4) float, [x0, y0, x1, y1] in input pixels; classes: (N,) int in [0, num_classes).
    Returns `heat` (C, G, G) float32 in [0, 1] with exactly 1 at each object's centre cell,
    `box` (4, G, G) float32, the box each cell regresses, and `weight` (G, G) float32, the
    regression weight (0 where no object), with G = size // stride.
    """
    grid = size // stride
    heat = np.zeros((num_classes, grid, grid), np.float32)
    box_t = np.zeros((4, grid, grid), np.float32)
    weight = np.zeros((grid, grid), np.float32)
    if len(boxes) == 0:
        return {"heat": heat, "box": box_t, "weight": weight}
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    # Large boxes first so a small box nested in a large one owns its own cells.
    for i in np.argsort(-areas):
        x0, y0, x1, y1 = boxes[i]
        w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
        cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
        gx = _gaussian(grid, stride, cx, max(HEAT_ALPHA * w / 6.0, stride / 4.0))
        gy = _gaussian(grid, stride, cy, max(HEAT_ALPHA * h / 6.0, stride / 4.0))
        g = np.outer(gy, gx)
        col, row = min(int(cx // stride), grid - 1), min(int(cy // stride), grid - 1)
        g /= max(g[row, col], 1e-6)  # the centre cell is exactly 1: a positive for the focal loss
        g = np.minimum(g, 1.0)
        g[row, col] = 1.0
        c = int(classes[i])
        np.maximum(heat[c], g, out=heat[c])

        rx = _gaussian(grid, stride, cx, max(REG_BETA * w / 6.0, stride / 4.0))
        ry = _gaussian(grid, stride, cy, max(REG_BETA * h / 6.0, stride / 4.0))
        r = np.outer(ry, rx)
        r[r < 0.05] = 0.0
        r[row, col] = max(r[row, col], 1.0)
        # Each object's weights sum to log(area): large objects matter more, but not by their area.
        r *= np.log(max(w * h, 2.0)) / r.sum()
        mask = r > 0
        box_t[:, mask] = np.array([x0, y0, x1, y1], np.float32)[:, None]
        weight[mask] = r[mask]
    return {"heat": heat, "box": box_t, "weight": weight}
