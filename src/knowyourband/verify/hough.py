"""Hough voting over similarity poses: which correspondences agree on one placement of a reference."""

from __future__ import annotations

import numpy as np

DEFAULTS = {
    "angle_bin": 30.0,  # degrees; a 45-degree perspective bends local orientations by less than this
    "scale_bin": 1.0,  # octaves (log2 of the size ratio)
    "location_bin": 0.5,  # fraction of the reference's projected long side
}


def poses(photo_kp: np.ndarray, ref_kp: np.ndarray, width: float, height: float) -> np.ndarray:
    """Each correspondence's vote for the reference's pose in the photo.

    photo_kp, ref_kp: (N, 4) float32 rows x, y, size, angle (degrees, OpenCV: clockwise on screen).
    Returns (N, 4) float64: rotation (degrees), log2 scale, and the photo position the reference's
    centre would take if this one correspondence were right.
    """
    rot = np.mod(photo_kp[:, 3].astype(np.float64) - ref_kp[:, 3], 360.0)
    log_scale = np.log2(np.maximum(photo_kp[:, 2], 1e-3) / np.maximum(ref_kp[:, 2], 1e-3)).astype(np.float64)
    theta = np.deg2rad(rot)
    scale = np.exp2(log_scale)
    vx = width / 2.0 - ref_kp[:, 0]
    vy = height / 2.0 - ref_kp[:, 1]
    cx = photo_kp[:, 0] + scale * (np.cos(theta) * vx - np.sin(theta) * vy)
    cy = photo_kp[:, 1] + scale * (np.sin(theta) * vx + np.cos(theta) * vy)
    return np.stack([rot, log_scale, cx, cy], axis=1)


def clusters(pose: np.ndarray, weights: np.ndarray, width: float, height: float,
             min_weight: float, conf: dict = DEFAULTS, max_clusters: int = 8) -> list[np.ndarray]:
    """Groups of correspondences (index arrays) that agree on a pose, heaviest first.

    pose: (N, 4) from `poses`; weights: (N,) vote weights. Each correspondence votes into the two
    nearest bins of every dimension (16 bins), as in Lowe (2004), so poses near a bin edge still meet.
    Only bins whose summed weight reaches `min_weight` come back; overlapping groups are allowed
    (the caller removes inliers once a placement is verified).
    """
    n = len(pose)
    if n == 0:
        return []
    long_side = max(width, height)
    # Both nearest bins of each dimension, as axes (scale, angle, x, y, correspondence), in that order.
    two = np.array([0.0, 1.0])
    sb = np.floor(pose[:, 1] / conf["scale_bin"] - 0.5) + two[:, None]
    ab = np.mod(np.floor(pose[:, 0] / conf["angle_bin"] - 0.5) + two[:, None], 360.0 / conf["angle_bin"])
    cell = conf["location_bin"] * long_side * np.exp2(sb * conf["scale_bin"])
    xb = np.floor(pose[:, 2] / cell - 0.5)[:, None, :] + two[None, :, None]
    yb = np.floor(pose[:, 3] / cell - 0.5)[:, None, :] + two[None, :, None]
    shape = (2, 2, 2, 2, n)
    keys = np.stack([np.broadcast_to(ab[None, :, None, None, :], shape),
                     np.broadcast_to(sb[:, None, None, None, :], shape),
                     np.broadcast_to(xb[:, None, :, None, :], shape),
                     np.broadcast_to(yb[:, None, None, :, :], shape)], axis=-1).reshape(16 * n, 4)
    members = np.tile(np.arange(n), 16)
    inverse = _bin_labels(keys.astype(np.int64))
    totals = np.bincount(inverse, weights=np.tile(weights, 16))
    order = np.argsort(-totals)
    out: list[np.ndarray] = []
    taken = np.zeros(n, dtype=bool)
    for b in order:
        if totals[b] < min_weight or len(out) >= max_clusters:
            break
        idx = np.unique(members[inverse == b])
        # A bin whose members mostly belong to a heavier bin already returned adds nothing new.
        if taken[idx].mean() > 0.5:
            continue
        taken[idx] = True
        out.append(idx)
    return out


def _bin_labels(keys: np.ndarray) -> np.ndarray:
    """Label each row of (M, 4) int64 bin keys by its rank among the distinct rows, in lexicographic
    order (as `np.unique(keys, axis=0, return_inverse=True)` does, several times faster): the rows
    are packed into one integer each, in mixed radix, whenever their ranges allow."""
    low = keys.min(axis=0)
    spans = keys.max(axis=0) - low + 1
    if float(np.prod(spans.astype(np.float64))) >= 2.0 ** 62:
        return np.unique(keys, axis=0, return_inverse=True)[1].ravel()
    shifted = keys - low
    packed = shifted[:, 0]
    for column in range(1, keys.shape[1]):
        packed = packed * spans[column] + shifted[:, column]
    return np.unique(packed, return_inverse=True)[1].ravel()
