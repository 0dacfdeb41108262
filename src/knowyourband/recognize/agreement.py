"""Naming a detector box on evidence too thin for verification alone, when the box confirms it.

A poster logo 20-40 px tall often gives its closer look only 4-8 correct correspondences: its own
reference is first in the crop's vote ranking, but a homography wants at least 8 inliers. The
learned detector's box is independent evidence of where the logo is and how big it is. When a
similarity transform (4 degrees of freedom: two correspondences fix it) fitted on the top-voted
reference's correspondences puts that reference's outline where the detector drew its box, and that
reference won the vote clearly, the box is named. A chance alignment rarely lands on the box's
position, size and aspect at once (docs/engine.md, step 8).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np

from knowyourband.detect.boxes import iou_matrix
from knowyourband.index import Index
from knowyourband.index.locals import KINDS
from knowyourband.recognize.detections import Detection, quad_area, quad_box
from knowyourband.verify import geometry

if TYPE_CHECKING:
    from knowyourband.recognize.recognizer import Pass


def box_agreement(p: Pass, box: np.ndarray, kind: str, index: Index, conf: dict) -> Detection | None:
    """The top-voted reference of a closer look's pass `p`, placed by a similarity transform, when
    its outline agrees with the detector's `box` (4,) of class `kind`, both in the pass's pixels.

    Conditions (conf keys): the reference is of the box's kind and has at least `agreement_margin`
    times the vote weight of the next reference of that kind; the similarity has at least
    `agreement_inliers` inliers within `agreement_px`; the outline's bounding box overlaps `box` at
    IoU >= `agreement_iou`. The detection's score is `agreement_score`, the precision this evidence
    had on the benchmark.
    """
    refs = index.locals.refs
    votes = p.votes
    if len(votes) == 0:
        return None
    best = int(np.argmax(votes))
    if votes[best] <= 0 or KINDS[int(refs["kind"][best])] != kind:
        return None
    # Rivals are references of the box's kind: a cover's votes are shared with the logo printed on it.
    rivals = refs["kind"] == refs["kind"][best]
    rivals[best] = False
    runner_up = float(votes[rivals].max()) if rivals.any() else 0.0
    if votes[best] < conf["agreement_margin"] * runner_up:
        return None
    sel = np.nonzero(p.matches.ref == best)[0]
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
    n = int(inliers.sum())
    if n < conf["agreement_inliers"]:
        return None
    corners = geometry.outline(float(refs["width"][best]), float(refs["height"][best]))
    quad = corners @ matrix[:, :2].T + matrix[:, 2]
    if iou_matrix(quad_box(quad)[None, :], box[None, :])[0, 0] < conf["agreement_iou"]:
        return None
    points = photo[inliers]
    within = int(geometry.inside_convex(quad, p.features.keypoints[:, :2].astype(np.float64)).sum())
    return Detection(best, quad, n, n / len(sel), p.matches.query[sel][inliers], points, "similarity",
                     density=n / max(within, n, 1), coverage=geometry.hull_area(points) / max(quad_area(quad), 1.0),
                     score=conf["agreement_score"])
