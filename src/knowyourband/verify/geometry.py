"""Fit a homography (affine fallback) to correspondences, reject degenerate ones, project the outline."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

DEFAULTS = {
    "min_inliers": 8,  # fewer agreeing points than this is never evidence of an object
    "max_scale_ratio": 12.0,  # longest / shortest projected side, relative to the reference's own aspect
    "min_coverage": 0.04,  # inliers' hull area / reference area: 8 points piled in one corner prove little
    "min_corner_sine": 0.5,  # every projected corner angle between 30 and 150 degrees
    "affine_fallback": True,  # try a full affine model when no plausible homography is found
    "ransac_iters": 2000,
    "confidence": 0.999,
}


@dataclass
class Fit:
    """A verified placement of a reference in the photo.

    matrix: (3, 3) float64 homography, reference pixels -> photo pixels
    inliers: (N,) bool over the correspondences given to `fit`
    quad: (4, 2) float64 reference corners (TL, TR, BR, BL) in the photo
    """

    matrix: np.ndarray
    inliers: np.ndarray
    quad: np.ndarray
    model: str  # "homography" | "affine"

    @property
    def count(self) -> int:
        return int(self.inliers.sum())


def outline(width: float, height: float) -> np.ndarray:
    """The (4, 2) corners of a width x height image: top-left, top-right, bottom-right, bottom-left."""
    return np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)


def project(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Apply a (3, 3) homography to (N, 2) points -> (N, 2)."""
    p = np.hstack([points, np.ones((len(points), 1))]) @ matrix.T
    return p[:, :2] / p[:, 2:3]


def inside_convex(quad: np.ndarray, points: np.ndarray) -> np.ndarray:
    """(N,) bool: which of (N, 2) points lie inside a convex, clockwise (4, 2) quad."""
    edges = quad[[1, 2, 3, 0]] - quad  # (4, 2), each corner to the next
    rel = points[:, None, :] - quad[None, :, :]  # (N, 4, 2)
    cross = edges[None, :, 0] * rel[:, :, 1] - edges[None, :, 1] * rel[:, :, 0]
    return np.all(cross >= 0, axis=1)


def hull_area(points: np.ndarray) -> float:
    """Area of the convex hull of (N, 2) points; 0 for fewer than 3."""
    if len(points) < 3:
        return 0.0
    return float(cv2.contourArea(cv2.convexHull(points.astype(np.float32))))


def plausible(quad: np.ndarray, width: float, height: float, matrix: np.ndarray, conf: dict = DEFAULTS) -> bool:
    """Is a projected reference outline a view a camera could take?

    Rejects non-convex or mirrored quads (a mirror-free view keeps the corners' winding), quads whose
    sides stretch far more than a 45-degree perspective would, and homographies whose horizon cuts
    the reference (the denominator changes sign over the outline).
    """
    corners = outline(width, height)
    w = np.hstack([corners, np.ones((4, 1))]) @ matrix[2]
    if np.any(w <= 1e-6):
        return False
    if not cv2.isContourConvex(quad.astype(np.float32)):
        return False
    edges = np.roll(quad, -1, axis=0) - quad
    cross = edges[:, 0] * np.roll(edges[:, 1], -1) - edges[:, 1] * np.roll(edges[:, 0], -1)
    if np.any(cross <= 0):  # image y points down: a clockwise outline has positive crosses
        return False
    sides = np.linalg.norm(edges, axis=1)
    # A right-angled corner seen from 45 degrees still spans well over 30 degrees; a sliver does not.
    sines = cross / np.maximum(sides * np.roll(sides, -1), 1e-9)
    if np.any(sines < conf["min_corner_sine"]):
        return False
    ref_sides = np.array([width, height, width, height], dtype=np.float64)
    stretch = sides / ref_sides
    if stretch.min() <= 0 or stretch.max() / stretch.min() > conf["max_scale_ratio"]:
        return False
    # Opposite sides shrink together under perspective; one 4x shorter than its twin is past 45 degrees.
    return bool(max(sides[0] / sides[2], sides[2] / sides[0], sides[1] / sides[3], sides[3] / sides[1]) < 4.0)


def fit(ref_pts: np.ndarray, photo_pts: np.ndarray, width: float, height: float,
        threshold: float, conf: dict = DEFAULTS) -> Fit | None:
    """Place a width x height reference in the photo from correspondences, or None.

    ref_pts, photo_pts: (N, 2) float32 matched positions. `threshold` is the reprojection error in
    photo pixels. A homography is tried first (rigid print, any perspective); when it is implausible
    or too weak, a full affine model with a doubled tolerance takes over (cloth folds bend a print
    locally, and an affine model fits what a homography's perspective would over-fit).
    """
    if len(ref_pts) < conf["min_inliers"]:
        return None
    ref_area = width * height
    best: Fit | None = None
    H, mask = cv2.findHomography(ref_pts, photo_pts, cv2.USAC_MAGSAC, threshold,
                                 maxIters=conf["ransac_iters"], confidence=conf["confidence"])
    if H is not None and mask is not None:
        inl = mask.ravel().astype(bool)
        quad = project(H, outline(width, height))
        if (inl.sum() >= conf["min_inliers"] and plausible(quad, width, height, H, conf)
                and hull_area(ref_pts[inl]) >= conf["min_coverage"] * ref_area):
            best = Fit(H, inl, quad, "homography")
    if best is None and conf["affine_fallback"]:
        A, mask = cv2.estimateAffine2D(ref_pts, photo_pts, method=cv2.RANSAC,
                                       ransacReprojThreshold=2 * threshold, maxIters=conf["ransac_iters"],
                                       confidence=conf["confidence"])
        if A is not None and mask is not None:
            inl = mask.ravel().astype(bool)
            H = np.vstack([A, [0, 0, 1]])
            quad = project(H, outline(width, height))
            if (inl.sum() >= conf["min_inliers"] and plausible(quad, width, height, H, conf)
                    and hull_area(ref_pts[inl]) >= conf["min_coverage"] * ref_area):
                best = Fit(H, inl, quad, "affine")
    return best
