"""Naming a detector box on evidence too thin for verification alone, when the box confirms it.

A poster logo 20-40 px tall often gives its closer look only 4-8 correct correspondences: its own
reference is first in the crop's vote ranking, but a homography wants at least 8 inliers. The
learned detector's box is independent evidence of where the logo is and how big it is. When a
similarity transform (4 degrees of freedom: two correspondences fix it) fitted on the top-voted
reference's correspondences puts that reference's outline where the detector drew its box, and that
reference won the vote clearly, the box is named. A chance alignment rarely lands on the box's
position, size and aspect at once (docs/engine.md, step 8).

A band's logo is also printed on its covers, and a poster's print of it sometimes matches one of
those covers better than the logo's own reference (a cover carries the logo at a print's size and
colours). When a logo box's crop is matched, consistently and all across the box, to one small part
of a single cover, the box is that band's logo (`printed_on_cover`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, NamedTuple

import cv2
import numpy as np

from knowyourband.detect.boxes import iou_matrix
from knowyourband.index import Index
from knowyourband.index.locals import KINDS
from knowyourband.recognize.detections import Detection, box_quad, quad_area, quad_box
from knowyourband.verify import geometry

if TYPE_CHECKING:
    from knowyourband.recognize.recognizer import Pass


RIVALS = 20  # references looked at, by votes, for the first one of another band (or release)


class Similarity(NamedTuple):
    """A reference placed on its correspondences in a pass by a similarity transform."""

    matrix: np.ndarray  # (2, 3) reference pixels -> pass pixels
    matches: np.ndarray  # (m,) indices into the pass's matches: the reference's correspondences
    inliers: np.ndarray  # (m,) bool
    photo: np.ndarray  # (m, 2) float32 their positions in the pass
    ref: np.ndarray  # (m, 2) float32 their positions in the reference

    def outline(self, width: float, height: float) -> np.ndarray:
        """The (4, 2) corners of the width x height reference, placed in the pass's pixels."""
        return geometry.outline(width, height) @ self.matrix[:, :2].T + self.matrix[:, 2]


def similarity(p: Pass, position: int, index: Index, conf: dict) -> Similarity | None:
    """Reference position `position` placed by a similarity (RANSAC within `agreement_px`) on its
    correspondences in pass `p`, when at least `agreement_inliers` of them agree; else None."""
    sel = np.nonzero(p.matches.ref == position)[0]
    if len(sel) < conf["agreement_inliers"]:
        return None
    photo = np.ascontiguousarray(p.features.keypoints[p.matches.query[sel], :2], dtype=np.float32)
    ref = np.ascontiguousarray(index.locals.keypoints(p.matches.row[sel])[:, :2], dtype=np.float32)
    matrix, inliers = cv2.estimateAffinePartial2D(ref, photo, method=cv2.RANSAC,
                                                  ransacReprojThreshold=conf["agreement_px"],
                                                  maxIters=geometry.DEFAULTS["ransac_iters"],
                                                  confidence=geometry.DEFAULTS["confidence"])
    if matrix is None:
        return None
    inliers = inliers.ravel().astype(bool)
    if int(inliers.sum()) < conf["agreement_inliers"]:
        return None
    return Similarity(matrix, sel, inliers, photo, ref)


def top_voted(votes: np.ndarray, refs: np.ndarray, kind: str) -> int | None:
    """The position of the reference with the most `votes`, when it has any and is of `kind` (the
    index's references `refs`); else None."""
    if not len(votes):
        return None
    best = int(np.argmax(votes))
    return best if votes[best] > 0 and KINDS[int(refs["kind"][best])] == kind else None


def rival_votes(votes: np.ndarray, best: int, candidates: np.ndarray, identity: Callable[[int], int]) -> float:
    """The most votes of a reference among the positions `candidates` that names something other than
    `best` does (`identity`, called only for the first RIVALS by votes, which read the catalogue): when
    none of those does, the last of them bounds the rest; 0 when no other candidate has a vote."""
    voted = candidates[(votes[candidates] > 0) & (candidates != best)]
    if not len(voted):
        return 0.0
    ranked = voted[np.argsort(-votes[voted])[:RIVALS]]
    own = identity(best)
    bound = float(votes[ranked[-1]]) if len(voted) > RIVALS else 0.0
    return next((float(votes[r]) for r in ranked if identity(int(r)) != own), bound)


def runner_up(votes: np.ndarray, best: int, index: Index) -> float:
    """The most votes of a reference of `best`'s kind that names something else: another band for a
    logo, another release for a cover. A cover's votes are shared with the logo printed on it, so
    other kinds are no rivals; nor are the band's other logo versions (47 of the standard
    benchmark's 300 bands have two or three), which its print matches as well as the one it copies."""
    refs, catalog = index.locals.refs, index.catalog

    def identity(position: int) -> int:
        ref = catalog.reference(int(refs["id"][position]))
        return ref.band_id if KINDS[int(refs["kind"][position])] == "logo" else ref.release_id

    return rival_votes(votes, best, np.nonzero(refs["kind"] == refs["kind"][best])[0], identity)


def box_agreement(p: Pass, box: np.ndarray, kind: str, index: Index, conf: dict,
                  bounds: np.ndarray | None = None) -> Detection | None:
    """The top-voted reference of a closer look's pass `p`, placed by a similarity transform, when
    its outline agrees with the detector's `box` (4,) of class `kind`, both in the pass's pixels.
    `bounds` (4,), the photo's extent in those pixels: the detector boxes only what the photo shows
    (a sleeve cut by the frame), so the outline is clipped to it first.

    Conditions (conf keys): the reference is of the box's kind and has at least `agreement_margin`
    times the vote weight of the next reference of that kind that names something else (`runner_up`);
    the similarity has at least `agreement_inliers` inliers within `agreement_px`; the outline's
    bounding box overlaps `box` at IoU >= `agreement_iou`. The detection's score is
    `agreement_score`, the precision this evidence had on the benchmark.
    """
    refs = index.locals.refs
    votes = p.votes
    best = top_voted(votes, refs, kind)
    if best is None or votes[best] < conf["agreement_margin"] * runner_up(votes, best, index):
        return None
    placed = similarity(p, best, index, conf)
    if placed is None:
        return None
    quad = placed.outline(float(refs["width"][best]), float(refs["height"][best]))
    shown = quad_box(quad)
    if bounds is not None:
        shown = np.concatenate([np.maximum(shown[:2], bounds[:2]), np.minimum(shown[2:], bounds[2:])])
    if iou_matrix(shown[None, :], box[None, :])[0, 0] < conf["agreement_iou"]:
        return None
    points, n = placed.photo[placed.inliers], int(placed.inliers.sum())
    within = int(geometry.inside_convex(quad, p.features.keypoints[:, :2].astype(np.float64)).sum())
    return Detection(best, quad, n, n / len(placed.matches), p.matches.query[placed.matches][placed.inliers], points,
                     "similarity", density=n / max(within, n, 1),
                     coverage=geometry.hull_area(points) / max(quad_area(quad), 1.0), score=conf["agreement_score"])


def printed_on_cover(p: Pass, box: np.ndarray, box_score: float, index: Index, conf: dict) -> Detection | None:
    """The logo of the band whose cover a logo box's crop (pass `p`) matches where that cover carries
    the logo, outlined by the detector's `box` (4,), both in the pass's pixels.

    Conditions (conf keys): the detector scored the box at least `cover_print_box_score`; the
    top-voted reference is a cover with at least `agreement_margin` times the vote weight of any
    reference of another band; a similarity transform keeps at least `agreement_inliers` of its
    correspondences within `agreement_px` (`similarity`); on the cover they lie within
    `cover_print_part` of its area (the logo, not the picture), and in the crop they spread over at
    least `cover_print_span` of the box's width or height (a whole print, not one repeated stroke);
    the band has a logo reference, and the one of them with the most votes (else the first) is
    named. The detection's score is `cover_print_score`, the precision this evidence had on the
    benchmark.
    """
    refs, catalog = index.locals.refs, index.catalog
    votes = p.votes
    if box_score < conf["cover_print_box_score"]:
        return None
    best = top_voted(votes, refs, "album")
    if best is None:
        return None
    placed = similarity(p, best, index, conf)
    if placed is None:
        return None
    area = max(float(refs["width"][best]) * float(refs["height"][best]), 1.0)
    part = geometry.hull_area(placed.ref[placed.inliers]) / area
    points, n = placed.photo[placed.inliers], int(placed.inliers.sum())
    size = np.maximum(np.asarray(box[2:], dtype=np.float64) - box[:2], 1.0)
    span = float(((points.max(axis=0) - points.min(axis=0)) / size).max())
    if part > conf["cover_print_part"] or span < conf["cover_print_span"]:
        return None

    # The catalogue is read only for a print the geometry already found.
    def band(position: int) -> int:
        return catalog.reference(int(refs["id"][position])).band_id

    if votes[best] < conf["agreement_margin"] * rival_votes(votes, best, np.arange(len(votes)), band):
        return None
    own = band(best)
    logos = np.nonzero(np.isin(refs["id"], [r.id for r in catalog.band_references(own) if r.kind == "logo"]))[0]
    if len(logos) == 0:
        return None
    logo = int(logos[np.argmax(votes[logos])])
    return Detection(logo, box_quad(box), n, n / len(placed.matches), p.matches.query[placed.matches][placed.inliers],
                     points, "cover-print", score=conf["cover_print_score"])
