"""Naming a logo box by how it looks as a whole, when the crop's own keypoint votes agree.

A blurred poster logo 30 px tall keeps too few keypoints for any geometric test, but the shape of
its lettering survives: the logo embedder (`knowyourband.embed`, docs/embedder.md) maps the box's
glyph near its reference's. On its own, the nearest reference of a logo the catalogue does not
hold is simply some other logo, so the box is named only when two independent signals agree:
the embedding's nearest reference is clearly nearer than any other band's (`lookalike_margin`),
and the crop's keypoint votes rank that same reference among their first `lookalike_rank`. The box
itself must be one the detector is sure of: a line of a poster's filler text in a serif face looks
like a plain-font logo to both signals.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from knowyourband.catalog import Catalog
from knowyourband.recognize.detections import Detection

if TYPE_CHECKING:
    from knowyourband.recognize.recognizer import Pass

NEIGHBOURS = 20  # references looked at for the nearest one of another band


class LogoLookalikes:
    """The index's logo embeddings, ready for nearest-neighbour search (cosine)."""

    def __init__(self, embeddings: np.ndarray, is_logo: np.ndarray, catalog: Catalog, refs: np.ndarray) -> None:
        self.positions = np.nonzero(is_logo)[0]
        self.vectors = np.ascontiguousarray(embeddings[self.positions], dtype=np.float32)
        self._catalog = catalog
        self._refs = refs

    def _band(self, position: int) -> int:
        return self._catalog.reference(int(self._refs["id"][position])).band_id

    def nearest(self, vector: np.ndarray) -> tuple[int, float, float]:
        """(reference position, cosine similarity, margin over the nearest logo of another band)."""
        sims = self.vectors @ vector
        top = np.argsort(-sims)[:NEIGHBOURS] if len(sims) > NEIGHBOURS else np.argsort(-sims)
        best = int(self.positions[top[0]])
        band = self._band(best)
        other = next((float(sims[t]) for t in top[1:] if self._band(int(self.positions[t])) != band), -1.0)
        return best, float(sims[top[0]]), float(sims[top[0]]) - other


def outvoted(votes: np.ndarray, ref: int, rank: int, share: float) -> bool:
    """Whether reference position `ref` has no votes, or at least `rank` references have more: fewer in
    a small catalogue (`share` of its references, at least 1), where the first 5 of 15 by votes
    would be a third of it and prove nothing."""
    if votes[ref] <= 0:
        return True
    limit = max(1, min(rank, math.ceil(share * len(votes))))
    return int((votes > votes[ref]).sum()) >= limit


def lookalike(p: Pass, vector: np.ndarray, box: np.ndarray, box_score: float, lookalikes: LogoLookalikes,
              conf: dict) -> Detection | None:
    """The logo reference the glyph embedding `vector` (dim,) is nearest to, outlined by the detector's
    `box` (4,) in the pass's pixels, when its margin and the pass's votes confirm it (module doc) and
    the detector's `box_score` is at least `lookalike_box_score`.

    The detection has no geometric inliers (0); its score is `lookalike_score`, the precision this
    evidence had on the benchmark."""
    if box_score < conf["lookalike_box_score"]:
        return None
    ref, _, margin = lookalikes.nearest(vector)
    if margin < conf["lookalike_margin"]:
        return None
    if outvoted(p.votes, ref, conf["lookalike_rank"], conf["lookalike_rank_share"]):
        return None
    x0, y0, x1, y1 = (float(v) for v in box)
    quad = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    return Detection(ref, quad, 0, 0.0, np.zeros(0, np.int32), np.zeros((0, 2), np.float32), "lookalike",
                     score=conf["lookalike_score"])
