"""Find Metal Archives logo images that hold several logos (old and new, stacked) and split them.

The image is cut along wide empty rows of background (logos stacked, the usual MA layout). A cut is
kept only when every piece looks like a logo on its own: enough ink and a wide shape. A logo with an
emblem above its name also has an empty band, but the emblem is not wide, and pieces side by side
look like a word space: such images are flagged for a person to look at instead of being cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

INK_CONTRAST = 48  # grey levels from the background colour that count as ink
MIN_GAP_ROWS = 0.08  # an empty band between stacked logos, as a fraction of the inked height
MIN_GAP_COLS = 1.0  # between side-by-side logos, as a fraction of the inked height (a word space is ~0.3-0.5)
MIN_GAP_PX = 6
MIN_PART_INK = 0.10  # a piece with less of the total ink is a decoration (tagline, "TM"), not a logo
MIN_PART_ASPECT = 1.4  # width / height of a piece that is a logo by itself
PAD = 4  # pixels of margin kept around each piece


@dataclass
class LogoSplit:
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)  # (x0, y0, x1, y1) per logo; empty: keep whole
    flagged: bool = False  # several pieces, but not cleanly several logos: a person should look
    reason: str = ""


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """`(H, W) bool`: pixels that differ from the background (the median colour of the image border)."""
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    background = float(np.median(border))
    return np.abs(grey.astype(np.int16) - background) > INK_CONTRAST


def _runs(profile: np.ndarray, min_gap: int) -> list[tuple[int, int]]:
    """`[start, end)` runs of truthy entries of `profile`, bridging gaps shorter than `min_gap`."""
    runs: list[list[int]] = []
    for index in np.flatnonzero(profile):
        if runs and index - runs[-1][1] < min_gap:
            runs[-1][1] = index + 1
        else:
            runs.append([int(index), int(index) + 1])
    return [(a, b) for a, b in runs]


def _pieces(mask: np.ndarray, axis: int, gap_fraction: float) -> list[tuple[int, int, int, int]]:
    """Boxes of the ink between empty bands across `axis` (0: rows, 1: columns)."""
    rows = np.flatnonzero(mask.any(axis=1))
    inked_height = int(rows[-1] - rows[0] + 1)
    min_gap = max(MIN_GAP_PX, int(round(gap_fraction * inked_height)))
    profile = mask.any(axis=1 - axis) if axis == 0 else mask.any(axis=0)
    boxes = []
    for start, end in _runs(profile, min_gap):
        band = mask[start:end] if axis == 0 else mask[:, start:end]
        ys, xs = np.nonzero(band)
        if axis == 0:
            boxes.append((int(xs.min()), start + int(ys.min()), int(xs.max()) + 1, start + int(ys.max()) + 1))
        else:
            boxes.append((start + int(xs.min()), int(ys.min()), start + int(xs.max()) + 1, int(ys.max()) + 1))
    return boxes


def split_logos(grey: np.ndarray) -> LogoSplit:
    """Decide whether the `(H, W) uint8` logo image holds several logos, and where they are."""
    mask = ink_mask(grey)
    total = int(mask.sum())
    if total == 0:
        return LogoSplit(flagged=True, reason="no ink found: blank or unreadable logo image")
    for axis, gap in ((0, MIN_GAP_ROWS), (1, MIN_GAP_COLS)):
        boxes = _pieces(mask, axis, gap)
        if len(boxes) < 2:
            continue
        ink = [int(mask[y0:y1, x0:x1].sum()) / total for x0, y0, x1, y1 in boxes]
        major = [box for box, share in zip(boxes, ink, strict=True) if share >= MIN_PART_INK]
        if len(major) < 2:
            continue  # one logo plus small decorations
        if axis == 1:  # a wide word space looks the same as two logos side by side: a person decides
            return LogoSplit(flagged=True, reason=f"{len(major)} pieces side by side (several logos, or wide spaces?)")
        if all((x1 - x0) / max(1, y1 - y0) >= MIN_PART_ASPECT for x0, y0, x1, y1 in major):
            height, width = grey.shape
            padded = [(max(0, x0 - PAD), max(0, y0 - PAD), min(width, x1 + PAD), min(height, y1 + PAD))
                      for x0, y0, x1, y1 in major]
            return LogoSplit(boxes=padded, reason=f"{len(major)} logos stacked")
        return LogoSplit(flagged=True, reason=f"{len(major)} separate pieces, not all logo-shaped (emblem + name?)")
    return LogoSplit()
