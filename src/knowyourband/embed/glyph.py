"""The fixed-size picture of a logo the embedder reads: gray, letterboxed, aspect kept.

A reference and a photographed print must become the same picture, so both go through `fit`:
scaled to fit HEIGHT x WIDTH, centred, the rest filled with the image's own background. The
aspect ratio survives (a long one-line logo and a stacked two-line one stay distinguishable).
"""

from __future__ import annotations

import cv2
import numpy as np

HEIGHT, WIDTH = 48, 160  # a poster logo is 20-60 px tall in a 1280 px photo; most logos are 2-5x wider than tall
MARGIN = 0.1  # of a photo box's width and height on each side: detector boxes are a little loose or tight


def fit(gray: np.ndarray, fill: int | None = None) -> np.ndarray:
    """(H, W) uint8 -> (HEIGHT, WIDTH) uint8, scaled to fit and centred. `fill` pads the rest;
    by default the median of the image's border, its background."""
    h, w = gray.shape
    scale = min(WIDTH / w, HEIGHT / h)
    size = (max(1, min(WIDTH, round(w * scale))), max(1, min(HEIGHT, round(h * scale))))
    resized = cv2.resize(gray, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    if fill is None:
        fill = int(np.median(np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])))
    out = np.full((HEIGHT, WIDTH), fill, np.uint8)
    y0, x0 = (HEIGHT - size[1]) // 2, (WIDTH - size[0]) // 2
    out[y0:y0 + size[1], x0:x0 + size[0]] = resized
    return out


def reference_glyph(gray: np.ndarray) -> np.ndarray:
    """A logo reference (ink dark on white, `features.reference_gray`) as the embedder reads it."""
    return fit(gray, 255)


def photo_glyph(gray: np.ndarray, box: np.ndarray | list[float]) -> np.ndarray | None:
    """The region `box` [x0, y0, x1, y1] of a gray photo (H, W) uint8 with a MARGIN around it, as the
    embedder reads it; None when less than 2x2 px of it lies in the photo."""
    h, w = gray.shape
    x0, y0, x1, y1 = (float(v) for v in box)
    mx, my = MARGIN * (x1 - x0), MARGIN * (y1 - y0)
    x0, y0 = int(max(0.0, x0 - mx)), int(max(0.0, y0 - my))
    x1, y1 = int(min(w, np.ceil(x1 + mx))), int(min(h, np.ceil(y1 + my)))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    return fit(gray[y0:y1, x0:x1])
