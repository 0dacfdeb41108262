"""A cover as a whole: a small blurred colour thumbnail, for covers blur has left no keypoints.

A CD photographed in motion, on a screen or printed on cloth keeps its colours and layout long
after SIFT has lost its corners; at 24 x 24 px, blurred, a photographed cover seen square on and
its reference image look alike (`recognize.covers` reads the photo's side).
"""

from __future__ import annotations

import cv2
import numpy as np

SIDE = 24  # thumbnail side: the blur of a moving hand still leaves this much layout
DIM = SIDE * SIDE * 3
SHRINK = 64  # px the blur is applied at
BLUR = 2.0  # Gaussian sigma at SHRINK px: a reference is blurred as much as a photographed cover


def cover_thumbnail(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 -> (DIM,) float32 unit vector, each channel's mean removed (a cast of light
    shifts the channels, not the layout)."""
    small = cv2.resize(rgb, (SHRINK, SHRINK), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), BLUR)
    t = cv2.resize(small, (SIDE, SIDE), interpolation=cv2.INTER_AREA).astype(np.float32)
    t -= t.mean(axis=(0, 1))
    return (t / (np.linalg.norm(t) + 1e-6)).ravel()
