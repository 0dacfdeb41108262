"""Region proposals for the baselines: the whole photo, a multi-scale sliding-window grid, and outlines.

The thesis cropped regions of interest from its Faster R-CNN. Without a detector, two cheap,
untrained, method-neutral sources stand in: a grid of windows at a few scales and two shapes
(square for covers, wide for logos), which reaches most covers, and the bounding boxes of edge
contours ("outlines"), which fit covers' borders and logos' ink far more tightly than a grid can.
"""

from __future__ import annotations

import cv2
import numpy as np

DEFAULT_CONF = {
    "scales": [0.8, 0.55, 0.35, 0.22],  # window height as a fraction of the photo's short side
    "aspects": [1.0, 2.5],  # window width / height: album covers are square, logos are wide
    "stride": 0.5,  # step between windows as a fraction of the window's size
    "outline_dilations": [2, 4],  # 3x3 dilations joining edges into blobs: 2 keeps covers, 4 joins a logo's letters
    "outline_min_area": 0.002,  # smallest outline box, as a fraction of the photo's area
    "outline_max": 150,  # at most this many outline boxes (the largest) per dilation
}


def propose(gray: np.ndarray, conf: dict | None = None) -> np.ndarray:
    """Candidate boxes for a photo, the whole photo first, then the grid, then outlines.

    gray: (H, W) uint8. Returns (R, 4) float32 boxes [x0, y0, x1, y1] in pixels, inside the
    photo, no duplicates.
    """
    conf = {**DEFAULT_CONF, **(conf or {})}
    boxes = np.concatenate([grid(gray.shape[1], gray.shape[0], conf), outlines(gray, conf)])
    _, first = np.unique(boxes, axis=0, return_index=True)
    return boxes[np.sort(first)]


def grid(width: int, height: int, conf: dict | None = None) -> np.ndarray:
    """The whole photo and a sliding-window grid over it: (R, 4) float32 boxes."""
    conf = {**DEFAULT_CONF, **(conf or {})}
    short = min(width, height)
    boxes = [(0.0, 0.0, float(width), float(height))]
    for scale in conf["scales"]:
        for aspect in conf["aspects"]:
            h = scale * short
            w = min(h * aspect, float(width))
            if aspect > 1.0 and w < h * aspect:
                continue  # a wide window wider than the photo is just the square one again
            boxes.extend(_grid(width, height, w, h, conf["stride"]))
    return np.round(np.asarray(boxes, dtype=np.float32), 1)


def outlines(gray: np.ndarray, conf: dict | None = None) -> np.ndarray:
    """Bounding boxes of edge contours, for each dilation the largest first: (R, 4) float32.

    Canny edges, dilated so a cover's border closes and a logo's letters merge into one blob; every
    contour (nested ones too: a logo on a poster lies inside the poster's outline) gives its box.
    """
    conf = {**DEFAULT_CONF, **(conf or {})}
    h, w = gray.shape
    edges = cv2.Canny(gray, 60, 180)
    out = []
    for dilations in conf["outline_dilations"]:
        blobs = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=dilations)
        contours, _ = cv2.findContours(blobs, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        rects = np.array([cv2.boundingRect(c) for c in contours], np.float32).reshape(-1, 4)
        area = rects[:, 2] * rects[:, 3]
        keep = (area >= conf["outline_min_area"] * w * h) & (area < w * h)
        rects = rects[keep][np.argsort(-area[keep], kind="stable")][: conf["outline_max"]]
        out.append(np.concatenate([rects[:, :2], rects[:, :2] + rects[:, 2:]], axis=1))
    return np.concatenate(out) if out else np.zeros((0, 4), np.float32)


def _grid(width: int, height: int, w: float, h: float, stride: float) -> list[tuple[float, ...]]:
    """Windows of size w x h stepping by stride*size, the last row/column flush with the edge."""
    xs = _starts(width, w, stride * w)
    ys = _starts(height, h, stride * h)
    return [(x, y, x + w, y + h) for y in ys for x in xs]


def _starts(length: float, size: float, step: float) -> list[float]:
    if size >= length:
        return [0.0]
    count = int(np.ceil((length - size) / step)) + 1
    return list(np.linspace(0.0, length - size, count))


def inside(points: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Which points lie in which box.

    points: (N, 2) float32 (x, y); boxes: (R, 4) -> (R, N) bool.
    """
    x = points[None, :, 0]
    y = points[None, :, 1]
    return (
        (x >= boxes[:, 0:1]) & (x < boxes[:, 2:3]) & (y >= boxes[:, 1:2]) & (y < boxes[:, 3:4])
    )


def iou(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Intersection over union of one box (4,) with each of boxes (R, 4) -> (R,) float."""
    ix0 = np.maximum(box[0], boxes[:, 0])
    iy0 = np.maximum(box[1], boxes[:, 1])
    ix1 = np.minimum(box[2], boxes[:, 2])
    iy1 = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(ix1 - ix0, 0, None) * np.clip(iy1 - iy0, 0, None)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    return inter / np.maximum(area + areas - inter, 1e-9)


def suppress(boxes: np.ndarray, scores: np.ndarray, max_iou: float, limit: int) -> list[int]:
    """Greedy non-maximum suppression: indices of the best boxes, none overlapping another kept one
    by more than max_iou, at most limit of them, best first.

    boxes: (R, 4); scores: (R,).
    """
    order = np.argsort(-scores, kind="stable")
    kept: list[int] = []
    for i in order:
        if len(kept) >= limit:
            break
        if kept and iou(boxes[i], boxes[kept]).max() > max_iou:
            continue
        kept.append(int(i))
    return kept
