"""A photo crowded with small lettering, as a festival poster is with small logos."""

from __future__ import annotations

import cv2
import numpy as np

FONTS = [cv2.FONT_HERSHEY_TRIPLEX, cv2.FONT_HERSHEY_COMPLEX, cv2.FONT_HERSHEY_SCRIPT_COMPLEX]


def crowd(seed: int, width: int = 1280, height: int = 960, rows: int = 5, cols: int = 6,
          scale: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """A dark photo (H, W, 3) uint8 with rows x cols short words of small lettering, and their boxes (N, 4)."""
    rng = np.random.default_rng(seed)
    img = cv2.GaussianBlur(rng.integers(20, 60, (height, width, 3), dtype=np.uint8), (0, 0), 3)
    boxes = []
    for r in range(rows):
        for c in range(cols):
            text = "".join(rng.choice(list("NECROTHRONVL"), size=int(rng.integers(5, 9))))
            font = int(rng.choice(FONTS))
            (tw, th), base = cv2.getTextSize(text, font, scale, 1)
            x, y = int(c * width / cols + 10), int(r * height / rows + 40)
            cv2.putText(img, text, (x, y), font, scale, tuple(int(v) for v in rng.integers(150, 255, 3)), 1,
                        cv2.LINE_AA)
            boxes.append([x, y - th, x + tw, y + base])
    return img, np.array(boxes, np.float64)
