"""A closer look at the regions the learned detector proposes and the first pass left unexplained.

A logo printed 30 px tall keeps too few keypoints at the scales its reference was described at, and
in a whole-photo search those few drown among similar strokes of other logos. Cropping the region,
stretching its own gray levels and enlarging it gives SIFT the fine scales the small print lives
at; the crop's descriptors then go through the same search and verification as the first pass.
On the standard benchmark's poster photos, crops around the missed logos' true boxes found 35 of
101 again (docs/engine.md), so the learned detector's boxes stand in for those true boxes.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Callable, NamedTuple

import cv2
import numpy as np

from knowyourband.detect import Detection as Proposal
from knowyourband.detect.boxes import iou_matrix
from knowyourband.embed import Embedder, photo_glyph
from knowyourband.features import FeatureConfig, Features, extract, stretch
from knowyourband.index import Index
from knowyourband.index.locals import KINDS
from knowyourband.recognize.agreement import box_agreement, printed_on_cover
from knowyourband.recognize.detections import Detection, box_quad, covered, quad_area, quad_box
from knowyourband.recognize.lookalike import LogoLookalikes, lookalike, refit

if TYPE_CHECKING:
    from knowyourband.recognize.recognizer import Pass

MARGIN = 0.25  # of the proposal's width and height on each side: detector boxes are loose
MAX_ENLARGE = 4.0  # beyond 4x an enlarged crop only adds interpolation blur
MAX_SIDE = 4096  # feature extraction shrinks only crops longer than this (enlarged crops stay as they are)


class Crop(NamedTuple):
    """A closer look's search of one box: what it saw, and where its pixels sit in the photo it was cut
    from (photo = crop / enlarge + origin)."""

    seen: Pass
    box: np.ndarray  # (4,) the box, in the pixels of the photo it was cut from
    origin: np.ndarray  # (2,)
    enlarge: float


def unexplained(proposals: list[Proposal], kept: list[Detection], kinds: np.ndarray, min_score: float,
                max_covered: float, min_iou: float, limit: int) -> list[Proposal]:
    """Proposals (boxes in working pixels) worth a closer look: confident, not mostly inside a
    detection already made, and not the box of one already made of its kind (reference kinds `kinds`):
    its outline's box at IoU >= `min_iou`, since a turned cover fills only half its axis-aligned box.
    Best first, at most `limit` (each costs a small SIFT and search)."""
    outlined = {kind: np.array([quad_box(d.quad) for d in kept if KINDS[int(kinds[d.ref])] == kind]).reshape(-1, 4)
                for kind in KINDS}
    out = []
    for p in sorted(proposals, key=lambda p: -p.score):
        if p.score < min_score or len(out) >= limit:
            continue
        box = np.asarray(p.box, dtype=np.float64)
        quad = np.array([[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]]])
        if any(covered(quad, d.quad) > max_covered for d in kept):
            continue
        found = outlined[p.kind]
        if len(found) and iou_matrix(box[None], found).max() >= min_iou:
            continue
        out.append(p)
    return out


def mark_boxed(detections: list[Detection], proposals: list[Proposal], index: Index, min_score: float,
               min_iou: float) -> None:
    """Set `boxed` on each detection (working pixels): whether its outline's bounding box overlaps a
    proposal (working pixels) of its reference's kind, scored at least `min_score`, at IoU >= `min_iou`."""
    confident = [p for p in proposals if p.score >= min_score]
    kinds = index.locals.refs["kind"]
    for d in detections:
        boxes = np.array([p.box for p in confident if p.kind == KINDS[int(kinds[d.ref])]], np.float64)
        d.boxed = len(boxes) > 0 and float(iou_matrix(quad_box(d.quad)[None], boxes).max()) >= min_iou


def without_covers_held_by_logos(detections: list[Detection], proposals: list[Proposal], index: Index,
                                  min_score: float) -> list[Detection]:
    """The detections (working pixels, `boxed` already marked) less the album placements that hang on
    a logo the detector boxed: no album box on their own outline, and at least 70 % of their inliers
    inside one logo proposal (scored at least `min_score`) that covers less than half their outline.
    A band's logo printed on a poster also matches the cover it is printed on; that cover's outline,
    hung on the logo alone, spreads over the poster and explains away every logo beside it."""
    boxes = np.array([p.box for p in proposals if p.kind == "logo" and p.score >= min_score], np.float64)
    if not len(boxes):
        return detections
    areas = np.prod(boxes[:, 2:] - boxes[:, :2], axis=1)
    kinds = index.locals.refs["kind"]

    def held(d: Detection) -> bool:
        if KINDS[int(kinds[d.ref])] != "album" or d.boxed or not len(d.points):
            return False
        points = d.points[:, None, :]
        inside = ((points >= boxes[:, :2]) & (points <= boxes[:, 2:])).all(axis=2).mean(axis=0)  # per box
        return bool(((areas < 0.5 * quad_area(d.quad)) & (inside >= 0.7)).any())

    return [d for d in detections if not held(d)]


def crop_features(gray: np.ndarray, box: np.ndarray, side: int, config: FeatureConfig,
                  shrink: bool = False) -> tuple[Features, np.ndarray, float]:
    """Features of a region of the working gray photo (H, W) uint8, enlarged until its short side is
    `side` px (with `shrink`, also made smaller until it is). Returns them in the resized crop's
    pixels, with the crop's origin (2,) in working pixels and the enlargement: working = crop /
    enlarge + origin."""
    h, w = gray.shape
    bw, bh = box[2] - box[0], box[3] - box[1]
    x0, y0 = int(max(0, box[0] - MARGIN * bw)), int(max(0, box[1] - MARGIN * bh))
    x1, y1 = int(min(w, np.ceil(box[2] + MARGIN * bw))), int(min(h, np.ceil(box[3] + MARGIN * bh)))
    crop = gray[y0:y1, x0:x1]
    enlarge = float(np.clip(side / max(min(bw, bh), 1.0), 0.0 if shrink else 1.0, MAX_ENLARGE))
    if crop.size and enlarge != 1.0:
        size = (max(1, round(crop.shape[1] * enlarge)), max(1, round(crop.shape[0] * enlarge)))
        crop = cv2.resize(crop, size, interpolation=cv2.INTER_CUBIC if enlarge > 1.0 else cv2.INTER_AREA)
    if crop.size == 0:
        feats = Features(np.zeros((0, 4), np.float32), np.zeros((0, 128), np.float32), 0, 0)
    else:
        feats = extract(stretch(crop), config)
    return feats, np.array([x0, y0], dtype=np.float64), enlarge


def clipped_share(gray: np.ndarray, box: np.ndarray, lo: float, hi: float) -> float:
    """The share of a (4,) box's pixels of a gray photo (H, W) darker than `lo` or brighter than `hi`
    (0 for a box outside the photo)."""
    h, w = gray.shape
    x0, y0 = int(np.clip(box[0], 0, w)), int(np.clip(box[1], 0, h))
    x1, y1 = int(np.clip(np.ceil(box[2]), 0, w)), int(np.clip(np.ceil(box[3]), 0, h))
    region = gray[y0:y1, x0:x1]
    return float(((region < lo) | (region > hi)).mean()) if region.size else 0.0


def crop_bounds(shape: tuple[int, ...], origin: np.ndarray, enlarge: float) -> np.ndarray:
    """The (4,) extent of a photo of `shape` (H, W) in the pixels of a crop of it (`crop_features`'s
    `origin` and `enlarge`)."""
    return (np.array([0.0, 0.0, shape[1], shape[0]]) - np.tile(origin, 2)) * enlarge


def crop_feature_config(conf: dict, fine_octave: bool = True) -> FeatureConfig:
    """How a crop's features are extracted (enlarged crops stay as large as they were made), with or
    without SIFT's doubled first octave."""
    return FeatureConfig(max_side=MAX_SIDE, max_keypoints=conf["proposal_keypoints"],
                         contrast_threshold=conf["contrast_threshold"], fine_octave=fine_octave)


def crop_search_conf(conf: dict, kind: str) -> dict:
    """The recognizer settings a crop of a box of class `kind` is searched and verified with: its own
    shortlist, homographies only (module doc of `look_closer`), and for a cover's box one polarity
    (inverted prints are matched against logo references only: it needs no second search)."""
    return {**conf, "shortlist": conf["proposal_shortlist"], "affine_fallback": False,
            "polarity": conf["polarity"] and kind == "logo"}


def look_closer(gray: np.ndarray, proposals: list[Proposal], conf: dict, search: Callable[..., Pass],
                index: Index, scale: float = 1.0, pool: Executor | None = None, embedder: Embedder | None = None,
                lookalikes: LogoLookalikes | None = None,
                unnamed: dict[tuple[float, ...], Crop] | None = None) -> list[Detection]:
    """Second-pass detections (working pixels) in each proposal's box (working pixels).

    `gray` may hold more pixels than the working photo: `scale` = its pixels per working pixel
    (crops of the photo decoded at a higher resolution keep detail the working photo lost).

    `search(features, conf, logo_first=False, eager=True)` runs the first pass's search and geometric
    verification (`Recognizer.search_and_verify`); a logo crop's inverted matches join only when
    its plain ones name no logo. It sees the enlarged crop as a photo of its own, so the RANSAC
    tolerance and the inlier density are measured in the crop's pixels, as they were fitted on
    photos. A closer look tests many more hypotheses in a region the first pass already searched,
    so it accepts homographies only: the affine fallback (twice the tolerance, for cloth) is where
    its chance alignments came from.
    When no placement passes the gates, the box may still be named by its agreement with the
    top-voted reference (`agreement.box_agreement`), and a logo box, given an `embedder` and the
    index's `lookalikes`, by how it looks (`lookalike.lookalike`).

    `unnamed`, when given, receives the crop of each album box nothing named, by its box, for a later
    look at the same pixels (`covers.sharpened`).

    `pool`: crops are independent, so they may run side by side (a crop's SIFT is too small to
    keep two cores busy on its own); results come back in proposal order either way.
    """
    # Small prints live at the doubled octave's scales; a box large enough to need no enlargement is
    # described without it, at a quarter of the cost.
    fine, coarse = crop_feature_config(conf), crop_feature_config(conf, fine_octave=False)
    crop_conf, cover_conf = crop_search_conf(conf, "logo"), crop_search_conf(conf, "album")
    # With fewer crops than cores a logo crop's inverted search starts beside its plain one; with more,
    # the crops keep the cores busy and it waits for the plain one's verdict (recognizer.search_and_verify).
    eager = pool is None or len(proposals) < (os.cpu_count() or 1)

    def one(proposal: Proposal) -> list[Detection]:
        box = np.asarray(proposal.box, dtype=np.float64) * scale
        enlarged = min(box[2] - box[0], box[3] - box[1]) < conf["proposal_side"]
        named = look(proposal, box, fine if enlarged else coarse)
        if not named and not enlarged and proposal.kind == "logo" and proposal.score >= conf["fine_look_box_score"]:
            # Thin or soft strokes keep their keypoints at the doubled octave's scales even in a box
            # 100-400 px tall (a blurred logo drawn in thin outlines).
            named = look(proposal, box, fine)
        return named

    def look(proposal: Proposal, box: np.ndarray, config: FeatureConfig) -> list[Detection]:
        feats, origin, enlarge = crop_features(gray, box, conf["proposal_side"], config)
        if len(feats) < conf["agreement_inliers"]:
            return []
        if proposal.kind == "logo":
            p = search(feats, crop_conf, logo_first=True, eager=eager)
        else:
            p = search(feats, cover_conf)
        named = p.passing(crop_conf)
        crop_box = (box - np.tile(origin, 2)) * enlarge
        if not named:
            agreed = box_agreement(p, crop_box, proposal.kind, index, conf, crop_bounds(gray.shape, origin, enlarge))
            if agreed is None and proposal.kind == "logo":
                agreed = printed_on_cover(p, crop_box, proposal.score, index, conf)
            if agreed is None and proposal.kind == "logo" and embedder is not None and lookalikes is not None:
                glyph = photo_glyph(gray, box)
                if glyph is not None:
                    vector = embedder.embed(glyph[None])[0]
                    agreed = lookalike(p, vector, crop_box, proposal.score, lookalikes, conf)
                    if agreed is not None:
                        named_ref = index.locals.refs[agreed.ref]
                        fitted = refit(gray, box, vector, embedder, lookalikes.vector(agreed.ref),
                                       float(named_ref["width"]) / max(float(named_ref["height"]), 1.0),
                                       conf["lookalike_refit_gain"], conf["lookalike_refit_shape"])
                        agreed.quad = box_quad((fitted - np.tile(origin, 2)) * enlarge)
            # Its score is fixed (the precision this evidence had); the one threshold still applies.
            named = [agreed] if agreed is not None and agreed.score >= conf["min_score"] else []
        for d in named:
            d.quad = (d.quad / enlarge + origin) / scale
            d.points = ((d.points / enlarge + origin) / scale).astype(np.float32)
        if not named and unnamed is not None and proposal.kind == "album":
            unnamed[tuple(proposal.box)] = Crop(p, box, origin, enlarge)
        return named

    per_crop = pool.map(one, proposals) if pool is not None else map(one, proposals)
    return [d for named in per_crop for d in named]
