"""Naming a cover box by its picture as a whole, when blur has left it no keypoints to match.

Blurred covers keep their colours and layout (`features.cover`), provided they are seen square on:
the detector's box is axis-aligned and the cover inside it is turned, so the box is read as each
parallelogram inscribed in it (a square cover turned by any angle, in steps of 5-9 degrees), in
each of its four corner orders, also in the box shrunk and grown a little (it may be loose or
tight), and each reference is compared with the view that suits it best.

A cover the catalogue lacks is nearest some other cover too, so the box is named only when two
independent signals agree: its nearest reference is clearly nearer than any other band's
(`cover_margin`), and the whole photo's keypoint votes rank that same reference among their first
`cover_rank`. Blur leaves a cover a few keypoints, and they still vote for it: on the standard
benchmark the right covers named this way ranked 0-15 by votes, the nearest references of covers
left out of the index 110 and beyond (docs/engine.md).
"""

from __future__ import annotations

import cv2
import numpy as np

from knowyourband.catalog import Catalog
from knowyourband.features.cover import DIM, SIDE, cover_thumbnail
from knowyourband.recognize.detections import Detection
from knowyourband.recognize.lookalike import nearest_by_band, outvoted

TURNS = np.arange(10) / 10  # where an inscribed cover's top corner sits along the box's top side
SIZES = (1.0, 0.9, 1.1)  # the detector's box is up to ~5 % loose or tight on each side
WARP = 128  # px a view is rectified to; `cover_thumbnail` then shrinks it by area, without aliasing
SQUARE = np.float32([[0, 0], [WARP - 1, 0], [WARP - 1, WARP - 1], [0, WARP - 1]])
POOL = 4  # the coarse thumbnail's block: 24 x 24 -> 6 x 6 px
SHORTLIST = 64  # covers compared in full


def inscribed(box: np.ndarray) -> list[np.ndarray]:
    """The quads (4, 2) float32 a turned cover outlined by `box` [x0, y0, x1, y1] may have: one corner
    on each side of the box, at TURNS of the way along, each in the four corner orders; in the box
    as it is and scaled by each of SIZES about its centre."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    out = []
    for size in SIZES:
        w, h = size * (box[2] - box[0]), size * (box[3] - box[1])
        x0, y0, x1, y1 = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
        for t in TURNS:
            quad = np.float32([[x0 + t * w, y0], [x1, y0 + t * h], [x1 - t * w, y1], [x0, y1 - t * h]])
            out.extend(np.roll(quad, k, axis=0) for k in range(4))
    return out


def coarse(thumbnails: np.ndarray) -> np.ndarray:
    """(N, DIM) thumbnails -> (N, DIM / POOL**2) unit vectors: each POOL x POOL block averaged."""
    n, side = len(thumbnails), SIDE // POOL
    pooled = thumbnails.reshape(n, side, POOL, side, POOL, 3).mean(axis=(2, 4)).reshape(n, -1)
    return pooled / (np.linalg.norm(pooled, axis=1, keepdims=True) + 1e-6)


class CoverThumbnails:
    """The index's cover thumbnails, ready for nearest-neighbour search (cosine).

    Comparing 120 views with every cover costs 0.18 s a box at 67k covers, so the covers nearest at
    6 x 6 px (`coarse`, kept in memory) are shortlisted first and only they are compared in full
    (read from the memory-mapped thumbnails): 20 ms."""

    def __init__(self, thumbnails: np.ndarray, is_album: np.ndarray, catalog: Catalog, refs: np.ndarray) -> None:
        self.positions = np.nonzero(is_album)[0]
        self._thumbnails = thumbnails
        self._coarse = np.concatenate(
            [coarse(np.asarray(thumbnails[self.positions[i:i + 4096]], np.float32))
             for i in range(0, len(self.positions), 4096)] or [np.zeros((0, DIM // POOL ** 2), np.float32)])
        self._catalog = catalog
        self._refs = refs

    def nearest(self, views: np.ndarray) -> tuple[int, int, float]:
        """Over the views (V, DIM) of one box, each reference at its best view: (that view, the nearest
        reference's position, its margin in cosine similarity over the nearest cover of another band)."""
        best = (coarse(views) @ self._coarse.T).max(axis=0)
        shortlist = np.argsort(-best)[:SHORTLIST]
        positions = self.positions[shortlist]
        sims = views @ np.asarray(self._thumbnails[positions], np.float32).T
        top, margin = nearest_by_band(sims.max(axis=0), positions, self._catalog, self._refs)
        return int(sims[:, top].argmax()), int(positions[top]), margin


def cover_look(rgb: np.ndarray, box: np.ndarray, votes: np.ndarray, thumbnails: CoverThumbnails,
               conf: dict) -> Detection | None:
    """The cover reference the album `box` (4,) of the working photo `rgb` looks like, outlined by its
    best inscribed quad, when its margin over every other band's covers is at least `cover_margin`
    and the photo's `votes` (one per reference position) rank it high enough (module doc).

    The detection has no geometric inliers (0); its score is `cover_score` (no wrong name on the
    benchmark yet, so box agreement's precision bound)."""
    quads = inscribed(box)
    views = np.stack([cover_thumbnail(cv2.warpPerspective(rgb, cv2.getPerspectiveTransform(q, SQUARE), (WARP, WARP)))
                      for q in quads])
    view, ref, margin = thumbnails.nearest(views)
    if margin < conf["cover_margin"] or outvoted(votes, ref, conf["cover_rank"], conf["cover_rank_share"]):
        return None
    return Detection(ref, quads[view].astype(np.float64), 0, 0.0, np.zeros(0, np.int32), np.zeros((0, 2), np.float32),
                     "cover look", score=conf["cover_score"])
