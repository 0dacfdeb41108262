"""From weighted correspondences to verified placements: Hough groups, RANSAC, multi-instance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from knowyourband.index import Index
from knowyourband.verify import geometry, hough
from knowyourband.verify.vote import Matches


@dataclass
class Detection:
    """One verified placement of reference position `ref` in the photo (working pixels).

    quad: (4, 2) float64; query: (n,) int32 query keypoints that are inliers.
    """

    ref: int
    quad: np.ndarray
    inliers: int
    ratio: float  # inliers / correspondences the RANSAC saw
    query: np.ndarray
    points: np.ndarray  # (n, 2) float32 photo positions of the inliers
    model: str
    density: float = 0.0  # inliers / photo keypoints inside the outline: low for a chance alignment
    coverage: float = 0.0  # inliers' convex hull area / outline area: low when a few points prop up a big outline
    score: float = 0.0
    boxed: bool = False  # the learned detector drew a box of this reference's kind on this outline


def detect(index: Index, photo_kp: np.ndarray, matches: Matches, shortlist: np.ndarray, conf: dict) -> list[Detection]:
    """Verify each shortlisted reference position against the photo, several placements each.

    photo_kp: (Q, 4) float32 query keypoints in working pixels; matches over those keypoints.
    """
    out: list[Detection] = []
    refs = index.locals.refs
    geo = {**geometry.DEFAULTS, "min_inliers": conf["min_inliers"],
           "min_coverage": conf.get("min_coverage", geometry.DEFAULTS["min_coverage"]),
           "affine_fallback": conf.get("affine_fallback", True)}
    order = np.argsort(matches.ref, kind="stable")
    sorted_refs = matches.ref[order]
    for r in shortlist:
        lo, hi = np.searchsorted(sorted_refs, [r, r + 1])
        sel = order[lo:hi]
        if len(sel) < conf["min_inliers"]:
            continue
        width, height = float(refs["width"][r]), float(refs["height"][r])
        q = matches.query[sel]
        w = matches.weight[sel]
        qkp = photo_kp[q]
        rkp = index.locals.keypoints(matches.row[sel])
        pose = hough.poses(qkp, rkp, width, height)
        alive = np.ones(len(sel), dtype=bool)
        for _ in range(conf["max_instances"]):
            idx = np.nonzero(alive)[0]
            groups = [idx[g] for g in hough.clusters(pose[idx], w[idx], width, height,
                                                      min_weight=conf["hough_min_weight"],
                                                      max_clusters=conf["max_clusters"])]
            if len(idx) <= conf["direct_max"]:
                groups.append(idx)
            found = None
            for g in groups:
                if len(g) < conf["min_inliers"]:
                    continue
                f = geometry.fit(rkp[g, :2], qkp[g, :2], width, height, conf["ransac_px"], geo)
                if f is not None:
                    found = (g, f)
                    break
            if found is None:
                break
            g, f = found
            # Correspondences anywhere that agree with the accepted placement belong to it too.
            err = np.linalg.norm(geometry.project(f.matrix, rkp[:, :2].astype(np.float64)) - qkp[:, :2], axis=1)
            members = alive & (err < conf["ransac_px"] * (2 if f.model == "affine" else 1))
            members[g[f.inliers]] = True
            n_in = int(members.sum())
            within = int(geometry.inside_convex(f.quad, photo_kp[:, :2]).sum())
            points = qkp[members, :2]
            out.append(Detection(int(r), f.quad, n_in, n_in / max(len(g), 1), q[members], points, f.model,
                                 density=n_in / max(within, n_in, 1),
                                 coverage=geometry.hull_area(points) / max(quad_area(f.quad), 1.0)))
            alive &= ~members
            if alive.sum() < conf["min_inliers"]:
                break
    return out


def quad_area(quad: np.ndarray) -> float:
    """Area of a (4, 2) quad: half the cross product of its diagonals (the shoelace formula for four
    corners). Plain floats: `resolve` asks for thousands on a crowded poster."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad.tolist()
    return 0.5 * abs((x2 - x0) * (y3 - y1) - (x3 - x1) * (y2 - y0))


def box_quad(box: np.ndarray) -> np.ndarray:
    """The (4, 2) outline of an axis-aligned x0, y0, x1, y1 box (the inverse of `quad_box`)."""
    x0, y0, x1, y1 = (float(v) for v in box)
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


def quad_box(quad: np.ndarray) -> np.ndarray:
    """The (4,) x0, y0, x1, y1 bounding box of a (4, 2) quad."""
    return np.concatenate([quad.min(axis=0), quad.max(axis=0)])


def _intersection(a: np.ndarray, b: np.ndarray) -> float:
    """Area shared by two convex quads (4, 2)."""
    import cv2

    inter, _ = cv2.intersectConvexConvex(a.astype(np.float32), b.astype(np.float32))
    return float(inter)


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection of two convex quads (4, 2) over the smaller one's area, in [0, 1]."""
    small = min(quad_area(a), quad_area(b))
    return _intersection(a, b) / small if small > 0 else 0.0


def covered(a: np.ndarray, b: np.ndarray) -> float:
    """Share of convex quad a's (4, 2) area that lies inside convex quad b (4, 2), in [0, 1]."""
    area = quad_area(a)
    return _intersection(a, b) / area if area > 0 else 0.0


def _inside(quad: np.ndarray, points: np.ndarray) -> float:
    """Share of (n, 2) points inside a verified (convex, clockwise) (4, 2) quad."""
    if len(points) == 0:
        return 0.0
    return float(geometry.inside_convex(quad, points.astype(np.float64)).mean())


def resolve(detections: list[Detection], max_overlap: float,
            min_inliers: int) -> tuple[list[Detection], dict[int, list[Detection]]]:
    """One identity per region: keep the best-scored detection, drop those whose outline or inliers
    lie mostly inside a kept one (a logo printed on a detected cover is part of that cover).

    When one of two overlapping detections lies inside the other (a band's logo printed on its album
    cover), the evidence decides, not the score (`_takes`). A detection is judged against every
    kept one it collides with, and it must win against all of them to replace them: a cover placed
    through the logo on a poster spreads its outline over the neighbouring logos too, and beating
    one of those must not let it past the logo its points lie on.
    Returns the kept detections and, per kept index, the rivals dropped in their favour.
    """
    kept: list[Detection] = []
    rivals: list[list[Detection]] = []
    for d in sorted(detections, key=lambda d: (-d.score, -d.inliers)):
        hits = [i for i, k in enumerate(kept)
                if overlap(k.quad, d.quad) > max_overlap or _inside(k.quad, d.points) >= 0.7]
        if not hits:
            kept.append(d)
            rivals.append([])
            continue
        beaten_by = next((i for i in hits if not _takes(d, kept[i], min_inliers)), None)
        if beaten_by is not None:
            rivals[beaten_by].append(d)
            continue
        first = hits[0]
        absorbed = [r for i in hits for r in [kept[i], *rivals[i]]]
        for i in reversed(hits[1:]):
            del kept[i], rivals[i]
        kept[first], rivals[first] = d, absorbed
    order = sorted(range(len(kept)), key=lambda i: (-kept[i].score, -kept[i].inliers))
    return [kept[i] for i in order], {n: rivals[i] for n, i in enumerate(order)}


def _takes(d: Detection, k: Detection, min_inliers: int) -> bool:
    """Whether `d` takes the region of the better-scored `k` it collides with. Two outlines of one
    reference are one object, and the one more inliers hold in place outlines it better: a
    lookalike or a print named on a detector box that cut the logo (no inliers, or few in a
    part of it) must not displace a similarity or homography fitted on the whole. Only when one lies
    inside the other (less than half its area) does the evidence overrule the score: the larger one
    wins when at least `min_inliers` of its own inliers lie outside the smaller one (the photo shows
    more of it than the print) or when the learned detector boxed it (`boxed`) and not the smaller
    one (a blurred cover may match only through the sharp logo printed on it). Otherwise its big
    outline hangs on the smaller one's points alone (a photo of a logo "matches" the cover it is
    printed on) and the smaller one wins."""
    if d.ref == k.ref:
        return d.inliers > k.inliers
    small, large = (d, k) if quad_area(d.quad) < quad_area(k.quad) else (k, d)
    if quad_area(small.quad) >= 0.5 * quad_area(large.quad):
        return False
    outside = int((~geometry.inside_convex(small.quad, large.points.astype(np.float64))).sum())
    larger_wins = outside >= min_inliers or (large.boxed and not small.boxed)
    return (large if larger_wins else small) is d
