"""A second detector look at crowded photos, tile by tile.

The network sees the whole photo letterboxed to its input side (416 px), so a poster logo 30 px
tall in a 1280 px photo is 10 px to it, below what it learned to find reliably. Run on 2 × 2
overlapping tiles, the same logo is twice as large. On the standard benchmark's poster photos the
whole-photo pass boxed 665 of 779 logos (IoU ≥ 0.5) and the tiles added boxes for 94 of the 114
others; on the T-shirt, patch and collage photos they found nothing the whole photo had not, and
cut large objects in pieces. So tiles run only where the whole photo already shows a crowd of logos.
"""

from __future__ import annotations

from concurrent.futures import Executor

import numpy as np

from knowyourband.detect.boxes import iou_matrix
from knowyourband.detect.detector import Detection, Detector

GRID = 2  # tiles a side: logos twice as large to the network, 4 more runs (~25 ms each on one core)
OVERLAP = 0.2  # of a tile's side shared with its neighbour: a logo on a seam is whole in one tile
EDGE = 2.0  # px: a box this close to a tile's inner edge is a piece of something the seam cuts
MERGE_IOU = 0.5  # a tile's box and the whole photo's box of one kind this alike are one object


def tile_windows(width: int, height: int, grid: int = GRID,
                 overlap: float = OVERLAP) -> list[tuple[int, int, int, int]]:
    """`grid` × `grid` windows [x0, y0, x1, y1] covering a photo, neighbours sharing `overlap` of a side."""
    tw = width / (grid - (grid - 1) * overlap)
    th = height / (grid - (grid - 1) * overlap)
    windows = []
    for i in range(grid):
        for j in range(grid):
            x0, y0 = round(j * tw * (1 - overlap)), round(i * th * (1 - overlap))
            windows.append((x0, y0, min(width, round(x0 + tw)), min(height, round(y0 + th))))
    return windows


def cut_by_seam(box: np.ndarray, window: tuple[int, int, int, int], width: int, height: int) -> bool:
    """Whether `box` (photo pixels), found in `window`, touches one of the window's edges inside the photo."""
    x0, y0, x1, y1 = window
    return bool((x0 > 0 and box[0] <= x0 + EDGE) or (y0 > 0 and box[1] <= y0 + EDGE)
                or (x1 < width and box[2] >= x1 - EDGE) or (y1 < height and box[3] >= y1 - EDGE))


def with_tiles(detector: Detector, rgb: np.ndarray, whole: list[Detection], min_score: float,
               pool: Executor | None = None) -> list[Detection]:
    """`whole` (the detector's boxes on the whole photo `rgb`) and the boxes it finds on tiles of it
    where the whole photo had none, best first. A tile's box is left out when a box of its kind
    already overlaps it by IoU > `MERGE_IOU` (the whole photo's first: it saw the object's
    surroundings), or when it touches a seam (the tile holds only a piece of that object).
    `pool` runs the tiles side by side (onnxruntime releases the GIL); the result is the same."""
    h, w = rgb.shape[:2]
    windows = tile_windows(w, h)

    def run(window: tuple[int, int, int, int]) -> list[Detection]:
        x0, y0, x1, y1 = window
        return detector.detect(rgb[y0:y1, x0:x1], min_score=min_score)

    found = list(whole)
    for window, boxes in zip(windows, pool.map(run, windows) if pool is not None else map(run, windows)):
        x0, y0 = window[:2]
        for d in boxes:
            box = np.asarray(d.box) + (x0, y0, x0, y0)
            same = np.array([f.box for f in found if f.kind == d.kind], np.float64).reshape(-1, 4)
            if cut_by_seam(box, window, w, h) or (len(same) and iou_matrix(box[None], same).max() > MERGE_IOU):
                continue
            found.append(Detection(d.kind, [round(float(v), 1) for v in box], d.score))
    return sorted(found, key=lambda d: -d.score)
