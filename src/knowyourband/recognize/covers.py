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
left out of the index 110 and beyond (docs/engine.md). A look that is alike its cover beyond what
any wrong or unknown cover reached (`cover_sure_similarity` and `cover_sure_margin`) needs no vote,
unless the box meets the photo's edge: a cover cut there, read as a whole, looks like another.

Before that, the box is looked at from a step back (`step_back`): shrunk until its short side is
`step_back_side` px, motion blur shrinks with it and a few of the cover's coarse keypoints match
again; a similarity placing the top-voted cover on the box gives the outline the inscribed views
only guess at. Read through that outline, the thumbnail must be nearest the same cover.

A cover alone in a blurred photo has no found object beside it to measure the blur on (the sharper
look, recognize/blur.py), but its own candidate will do: the top-voted cover placed by a similarity
on a few points measures the blur, and the box is named when the crop, sharpened by it, places that
same cover past every gate a placement must pass (`sharpened`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import cv2
import numpy as np

from knowyourband.catalog import Catalog
from knowyourband.features import Features
from knowyourband.features.cover import DIM, SIDE, cover_thumbnail
from knowyourband.index import Index
from knowyourband.recognize import blur
from knowyourband.recognize.agreement import box_agreement, similarity, top_voted
from knowyourband.recognize.detections import Detection
from knowyourband.recognize.lookalike import nearest_by_band, outvoted
from knowyourband.recognize.proposals import Crop, crop_bounds, crop_feature_config, crop_features, crop_search_conf

if TYPE_CHECKING:
    from knowyourband.recognize.recognizer import Pass

TURNS = np.arange(10) / 10  # where an inscribed cover's top corner sits along the box's top side
SIZES = (1.0, 0.9, 1.1)  # the detector's box is up to ~5 % loose or tight on each side
WARP = 128  # px a view is rectified to; `cover_thumbnail` then shrinks it by area, without aliasing
SQUARE = np.float32([[0, 0], [WARP - 1, 0], [WARP - 1, WARP - 1], [0, WARP - 1]])
POOL = 4  # the coarse thumbnail's block: 24 x 24 -> 6 x 6 px
SHORTLIST = 64  # covers compared in full
FRAME = 0.01  # a box nearer the photo's edge than this share of its short side may hold a cut cover
OUTLINE_MARGIN = 0.12  # of the box's sides: a detector's box may cut a little off the cover's edges
OUTLINE_AREA = (0.35, 1.5)  # an outline's area, as a share of the box's
OUTLINE_CANNY = (10, 25, 50)  # low hysteresis thresholds (high = 2 x low): blurred edges are faint
OUTLINE_EPS = (0.02, 0.04, 0.06)  # of a hull's perimeter, tried in turn until it simplifies to 4 corners
OUTLINES = 6  # the largest distinct ones kept


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


def outlines(rgb: np.ndarray, box: np.ndarray) -> list[np.ndarray]:
    """The convex quadrilaterals (4, 2) float32 traced by the edges in and around `box` [x0, y0, x1,
    y1] of the working photo `rgb`: hulls of edge contours covering a sensible share of the box
    (OUTLINE_AREA), simplified to four corners; the largest OUTLINES distinct ones. `traced` turns
    each to its four corner orders."""
    h, w = rgb.shape[:2]
    bw, bh = box[2] - box[0], box[3] - box[1]
    x0, y0 = int(max(0, box[0] - OUTLINE_MARGIN * bw)), int(max(0, box[1] - OUTLINE_MARGIN * bh))
    x1, y1 = int(min(w, box[2] + OUTLINE_MARGIN * bw)), int(min(h, box[3] + OUTLINE_MARGIN * bh))
    gray = cv2.GaussianBlur(cv2.cvtColor(np.ascontiguousarray(rgb[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY), (0, 0), 1.0)
    smallest, largest = (share * bw * bh for share in OUTLINE_AREA)
    found = []
    for low in OUTLINE_CANNY:
        # Dilated so that a side broken by blur or a finger still closes the contour.
        edges = cv2.dilate(cv2.Canny(gray, low, 2 * low), np.ones((3, 3), np.uint8))
        for contour in cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)[0]:
            hull = cv2.convexHull(contour)
            area = cv2.contourArea(hull)
            if not smallest <= area <= largest:
                continue
            perimeter = cv2.arcLength(hull, True)
            for eps in OUTLINE_EPS:
                corners = cv2.approxPolyDP(hull, eps * perimeter, True)
                if len(corners) == 4:
                    found.append((area, corners.reshape(4, 2).astype(np.float32) + np.float32([x0, y0])))
                    break
    kept: list[np.ndarray] = []
    for _, quad in sorted(found, key=lambda f: -f[0]):
        if all(np.abs(quad[:, None] - other[None]).sum(axis=2).min(axis=1).max() > 3 for other in kept):
            kept.append(quad)
        if len(kept) == OUTLINES:
            break
    return kept


def traced(rgb: np.ndarray, box: np.ndarray) -> list[np.ndarray]:
    """Each of the `outlines` around `box` in its four corner orders, clockwise in the photo as the
    reference's corners are."""
    quads = []
    for quad in outlines(rgb, box):
        centre = quad.mean(axis=0)
        clockwise = quad[np.argsort(np.arctan2(quad[:, 1] - centre[1], quad[:, 0] - centre[0]))]
        quads.extend(np.roll(clockwise, k, axis=0) for k in range(4))
    return quads


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

    def nearest(self, views: np.ndarray) -> tuple[int, int, float, float]:
        """Over the views (V, DIM) of one box, each reference at its best view: (that view, the nearest
        reference's position, its cosine similarity, its margin over the nearest cover of another band)."""
        best = (coarse(views) @ self._coarse.T).max(axis=0)
        shortlist = np.argsort(-best)[:SHORTLIST]
        positions = self.positions[shortlist]
        sims = views @ np.asarray(self._thumbnails[positions], np.float32).T
        top, margin = nearest_by_band(sims.max(axis=0), positions, self._catalog, self._refs)
        return int(sims[:, top].argmax()), int(positions[top]), float(sims[:, top].max()), margin


def view(rgb: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The (DIM,) thumbnail of the cover the quad (4, 2) of the working photo `rgb` outlines, its
    corners in the reference's order (top left first, clockwise)."""
    square_on = cv2.getPerspectiveTransform(np.asarray(quad, np.float32), SQUARE)
    return cover_thumbnail(cv2.warpPerspective(rgb, square_on, (WARP, WARP)))


def step_back(gray: np.ndarray, rgb: np.ndarray, box: np.ndarray, search: Callable[[Features, dict], "Pass"],
              index: Index, thumbnails: CoverThumbnails, conf: dict) -> Detection | None:
    """The cover in the album `box` (4,) of the working photo (`gray` stretched, `rgb`), seen from a
    step back (module doc): the crop shrunk to a short side of `step_back_side` px, its top-voted cover
    placed by a similarity with at least `step_back_inliers` inliers on the box (`box_agreement`'s
    other conditions), and that outline's thumbnail nearest the same cover by `cover_margin`.

    The detection keeps its similarity inliers; its score is `cover_score`."""
    feats, origin, enlarge = crop_features(gray, box, conf["step_back_side"], crop_feature_config(conf), shrink=True)
    if len(feats) < conf["step_back_inliers"]:
        return None
    crop_conf = {**crop_search_conf(conf, "album"), "agreement_inliers": conf["step_back_inliers"]}
    agreed = box_agreement(search(feats, crop_conf), (box - np.tile(origin, 2)) * enlarge, "album", index, crop_conf,
                           crop_bounds(gray.shape, origin, enlarge))
    if agreed is None:
        return None
    quad = agreed.quad / enlarge + origin
    _, nearest, _, margin = thumbnails.nearest(view(rgb, quad)[None])
    if nearest != agreed.ref or margin < conf["cover_margin"]:
        return None
    agreed.quad, agreed.points = quad, (agreed.points / enlarge + origin).astype(np.float32)
    agreed.model, agreed.score = "step back", conf["cover_score"]
    return agreed


def sharpened(gray: np.ndarray, detail: np.ndarray, scale: float, crop: Crop,
              search: Callable[[Features, dict], "Pass"], index: Index, conf: dict) -> Detection | None:
    """The cover in an album box of the working photo `gray`, placed in the `detail` photo (`scale` of
    its pixels a working pixel) sharpened by the blur its own candidate shows (module doc). `crop` is
    the closer look's of that box, which named nothing: its top-voted cover placed by a similarity
    with at least `step_back_inliers` inliers measures the blur (`blur.measure`, spread at least
    `sharpen_min_blur`), and the same crop of the sharpened photo must place that same cover past
    the score and ratio gates. Returns that placement (working pixels, its own score), else None."""
    refs, p = index.locals.refs, crop.seen
    best = top_voted(p.votes, refs, "album")
    if best is None:
        return None
    placed = similarity(p, best, index, {**conf, "agreement_inliers": conf["step_back_inliers"]})
    if placed is None:
        return None
    outline = placed.outline(float(refs["width"][best]), float(refs["height"][best]))
    candidate = Detection(best, (outline / crop.enlarge + crop.origin) / scale, int(placed.inliers.sum()), 1.0,
                          np.zeros(0, np.int32), np.zeros((0, 2), np.float32), "similarity")
    found = blur.measure(gray, [candidate], index, 1)
    if found is None or found.spread < conf["sharpen_min_blur"]:
        return None
    sharp = blur.sharpen(detail, found, scale, crop.box[None], conf["sharpen_nsr"])
    # The closer look's crop of the box again, of the sharpened pixels.
    config = crop_feature_config(conf, fine_octave=crop.enlarge > 1.0)
    feats, origin, enlarge = crop_features(sharp, crop.box, conf["proposal_side"], config)
    crop_conf = crop_search_conf(conf, "album")
    for d in search(feats, crop_conf).passing(crop_conf):
        if d.ref == best:
            d.quad = (d.quad / enlarge + origin) / scale
            d.points = ((d.points / enlarge + origin) / scale).astype(np.float32)
            return d
    return None


def at_frame(box: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Whether `box` [x0, y0, x1, y1] comes within FRAME of the short side to an edge of a photo of
    `shape`: the cover in it may be cut, and a part read as a whole looks like any other cover."""
    gap = FRAME * min(shape[:2])
    return bool(min(box[0], box[1], shape[1] - box[2], shape[0] - box[3]) < gap)


def cover_look(rgb: np.ndarray, box: np.ndarray, votes: np.ndarray, thumbnails: CoverThumbnails,
               conf: dict) -> Detection | None:
    """The cover reference the album `box` (4,) of the working photo `rgb` looks like, outlined by its
    best inscribed quad, when its margin over every other band's covers is at least `cover_margin`
    and the photo's `votes` (one per reference position) rank it high enough, or its look alone is
    sure of it in a box clear of the photo's edge (module doc). Failing that, the outlines its edges
    trace (`traced`) name it only when sure: read through them as well, a cover the catalogue lacks
    came nearer to a stranger's than the votes' rule allows for (docs/engine.md).

    The detection has no geometric inliers (0); its score is `cover_score` (no wrong name on the
    benchmark yet, so box agreement's precision bound)."""
    clear = not at_frame(box, rgb.shape)

    def sure(similarity: float, margin: float) -> bool:
        return similarity >= conf["cover_sure_similarity"] and margin >= conf["cover_sure_margin"] and clear

    def named(quad: np.ndarray, ref: int) -> Detection:
        return Detection(ref, quad.astype(np.float64), 0, 0.0, np.zeros(0, np.int32), np.zeros((0, 2), np.float32),
                         "cover look", score=conf["cover_score"])

    quads = inscribed(box)
    best, ref, similarity, margin = thumbnails.nearest(np.stack([view(rgb, q) for q in quads]))
    if margin >= conf["cover_margin"] and (
            sure(similarity, margin) or not outvoted(votes, ref, conf["cover_rank"], conf["cover_rank_share"])):
        return named(quads[best], ref)
    quads = traced(rgb, box) if clear else []
    if quads:
        best, ref, similarity, margin = thumbnails.nearest(np.stack([view(rgb, q) for q in quads]))
        if sure(similarity, margin):
            return named(quads[best], ref)
    return None
