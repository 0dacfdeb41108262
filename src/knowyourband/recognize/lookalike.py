"""Naming a logo box by how it looks as a whole, when the crop's own keypoint votes agree.

A blurred poster logo 30 px tall keeps too few keypoints for any geometric test, but the shape of
its lettering survives: the logo embedder (`knowyourband.embed`, docs/embedder.md) maps the box's
glyph near its reference's. On its own, the nearest reference of a logo the catalogue does not
hold is simply some other logo, so the box is named only when two independent signals agree:
the embedding's nearest reference is clearly nearer than any other band's (`lookalike_margin`),
and the crop's keypoint votes rank that same reference among their first `lookalike_rank`. A
motion-blurred print often leaves its crop no correct keypoint match at all; its glyph is then
named on the embedding alone, but only when its nearest band leads every other band by far
(`lookalike_sure_margin`): no logo of a band the catalogue lacks came that far ahead of the rest,
among 1,000 references or among 100,000 (docs/engine.md). The box itself must be one the
detector is sure of: a line of a poster's filler text in a serif face looks like a plain-font logo
to both signals.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from knowyourband.catalog import Catalog
from knowyourband.embed import Embedder, photo_glyph
from knowyourband.recognize.detections import Detection, box_quad

if TYPE_CHECKING:
    from knowyourband.recognize.recognizer import Pass

NEIGHBOURS = 20  # references looked at for the nearest one of another band


def nearest_by_band(sims: np.ndarray, positions: np.ndarray, catalog: Catalog, refs: np.ndarray) -> tuple[int, float]:
    """For similarities `sims` (one per reference position in `positions`): the index of the highest,
    and its margin over the highest of another band among the first NEIGHBOURS (the index's
    references `refs`, their bands in `catalog`)."""
    def band(i: int) -> int:
        return catalog.reference(int(refs["id"][positions[i]])).band_id

    order = np.argsort(-sims)[:NEIGHBOURS]
    top = int(order[0])
    own = band(top)
    other = next((float(sims[o]) for o in order[1:] if band(int(o)) != own), -1.0)
    return top, float(sims[top]) - other


class LogoLookalikes:
    """The index's logo embeddings, ready for nearest-neighbour search (cosine)."""

    def __init__(self, embeddings: np.ndarray, is_logo: np.ndarray, catalog: Catalog, refs: np.ndarray) -> None:
        self.positions = np.nonzero(is_logo)[0]
        self.vectors = np.ascontiguousarray(embeddings[self.positions], dtype=np.float32)
        self._catalog = catalog
        self._refs = refs

    def vector(self, position: int) -> np.ndarray:
        """The embedding of the logo reference at index position `position`."""
        return self.vectors[int(np.searchsorted(self.positions, position))]

    def nearest(self, vector: np.ndarray) -> tuple[int, float, float]:
        """(reference position, cosine similarity, margin over the nearest logo of another band)."""
        sims = self.vectors @ vector
        top, margin = nearest_by_band(sims, self.positions, self._catalog, self._refs)
        return int(self.positions[top]), float(sims[top]), margin


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
    `box` (4,) in the pass's pixels, when its margin and the pass's votes confirm it, or its margin
    alone is `lookalike_sure_margin` (module doc), and the detector's `box_score` is at least
    `lookalike_box_score`.

    The detection has no geometric inliers (0); its score is `lookalike_score`, the precision this
    evidence had on the benchmark."""
    if box_score < conf["lookalike_box_score"]:
        return None
    ref, _, margin = lookalikes.nearest(vector)
    if margin < conf["lookalike_margin"]:
        return None
    if margin < conf["lookalike_sure_margin"] and outvoted(p.votes, ref, conf["lookalike_rank"],
                                                          conf["lookalike_rank_share"]):
        return None
    return Detection(ref, box_quad(box), 0, 0.0, np.zeros(0, np.int32), np.zeros((0, 2), np.float32), "lookalike",
                     score=conf["lookalike_score"])


def refit_views(box: np.ndarray, aspect: float) -> np.ndarray:
    """(V, 4) the parts and the enlargement of a box that a detector's box is often off by: a 55 % or
    70 % strip at each side (the box also held a line of text beside the logo), the box grown by 30 %
    (it cut the logo), and where the box is over 10 % wider or taller than the named reference's
    `aspect` (width / height), its part of that aspect at each end and in the middle (a thin logo's
    box is often twice as tall as the logo)."""
    x0, y0, x1, y1 = (float(v) for v in box)
    w, h, cx, cy = x1 - x0, y1 - y0, (x0 + x1) / 2, (y0 + y1) / 2
    views = []
    for f in (0.55, 0.7):
        views += [[x0, y0, x1, y0 + f * h], [x0, y1 - f * h, x1, y1],
                  [x0, y0, x0 + f * w, y1], [x1 - f * w, y0, x1, y1]]
    views.append([cx - 0.65 * w, cy - 0.65 * h, cx + 0.65 * w, cy + 0.65 * h])
    if w < 0.9 * h * aspect:
        cut = w / aspect
        views += [[x0, y0, x1, y0 + cut], [x0, cy - cut / 2, x1, cy + cut / 2], [x0, y1 - cut, x1, y1]]
    elif h < 0.9 * w / aspect:
        cut = h * aspect
        views += [[x0, y0, x0 + cut, y1], [cx - cut / 2, y0, cx + cut / 2, y1], [x1 - cut, y0, x1, y1]]
    return np.array(views)


def off_shape(boxes: np.ndarray, aspect: float) -> np.ndarray:
    """How far boxes (..., 4) are from the shape `aspect` (width / height): |ln(their aspect / it)|."""
    w = np.maximum(boxes[..., 2] - boxes[..., 0], 1e-3)
    h = np.maximum(boxes[..., 3] - boxes[..., 1], 1e-3)
    return np.abs(np.log(w / h / aspect))


def refit(gray: np.ndarray, box: np.ndarray, own: np.ndarray, embedder: Embedder, reference: np.ndarray,
          aspect: float, gain: float, shape_weight: float = 0.0) -> np.ndarray:
    """The outline of a named lookalike: of `refit_views(box, aspect)` (pixels of `gray`; `aspect` the
    named reference's width / height), the one whose glyph is nearest the named reference's
    embedding `reference`, if it is nearer than the box's own glyph (embedding `own`, which naming it
    already made) by at least `gain`; else the box. Six of the 101 lookalikes on the standard photos
    named the right band in a box too loose for IoU 0.5 with the logo, three of them twice its height.

    The named reference's shape is evidence too: each outline's cosine is lowered by `shape_weight`
    times its `off_shape`, the box's own included. A thin logo boxed at twice its height, its glyph
    no nearer when cut to its shape, is outlined by that cut; a box cut short by the detector is
    grown rather than narrowed to a strip further off the logo's shape."""
    box = np.asarray(box, dtype=np.float64)
    views = refit_views(box, aspect)
    glyphs = [photo_glyph(gray, v) for v in views]
    kept = [i for i, g in enumerate(glyphs) if g is not None]
    if not kept:
        return box
    sims = embedder.embed(np.stack([glyphs[i] for i in kept])) @ reference
    fit = sims - shape_weight * off_shape(views[kept], aspect)
    best = int(np.argmax(fit))
    own_fit = float(own @ reference) - shape_weight * float(off_shape(box, aspect))
    return views[kept[best]] if fit[best] >= own_fit + gain else box
