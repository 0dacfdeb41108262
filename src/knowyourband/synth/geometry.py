"""Plane geometry for synthetic photos: homographies, perspective quads, clipping, displacement fields.

Coordinates are continuous pixel-edge coordinates (COCO's convention): pixel (i, j) covers
[i, i+1) x [j, j+1), so an image of width w spans x in [0, w]. OpenCV's warps put pixel centres on
integers; `to_opencv` converts a homography between the two conventions.
"""

from __future__ import annotations

import cv2
import numpy as np

# Focal length of the simulated camera, in units of the object's size: about a phone's wide lens
# held at arm's length. Smaller values exaggerate perspective.
DEFAULT_FOCAL = 2.2


def corners(width: float, height: float) -> np.ndarray:
    """The four corners of a `width` x `height` image: TL, TR, BR, BL as (4, 2) float64."""
    return np.array([[0.0, 0.0], [width, 0.0], [width, height], [0.0, height]])


def project(h: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Apply homography `h` (3, 3) to `points` (N, 2); returns (N, 2) float64."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    hom = pts @ h[:, :2].T + h[:, 2]
    return hom[:, :2] / hom[:, 2:3]


def homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The homography (3, 3) taking the 4 points `src` (4, 2) exactly onto `dst` (4, 2)."""
    return cv2.getPerspectiveTransform(np.float32(src), np.float32(dst)).astype(np.float64)


def translation(dx: float, dy: float) -> np.ndarray:
    """A (3, 3) translation."""
    return np.array([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])


def scaling(sx: float, sy: float | None = None) -> np.ndarray:
    """A (3, 3) scaling about the origin."""
    return np.diag([sx, sx if sy is None else sy, 1.0])


def rotation(degrees: float) -> np.ndarray:
    """A (3, 3) rotation about the origin, clockwise on screen (y points down)."""
    r = np.deg2rad(degrees)
    return np.array([[np.cos(r), -np.sin(r), 0.0], [np.sin(r), np.cos(r), 0.0], [0.0, 0.0, 1.0]])


def to_opencv(h: np.ndarray) -> np.ndarray:
    """Convert an edge-coordinate homography to the pixel-centre one `cv2.warpPerspective` expects."""
    return translation(-0.5, -0.5) @ h @ translation(0.5, 0.5)


def perspective_quad(
    width: float,
    height: float,
    center: tuple[float, float],
    size: float,
    rotation_deg: float = 0.0,
    tilt_deg: float = 0.0,
    tilt_axis_deg: float = 0.0,
    focal: float = DEFAULT_FOCAL,
) -> np.ndarray:
    """Where a flat `width` x `height` rectangle lands when photographed at an angle.

    The rectangle is scaled so its longer side spans `size` pixels, tilted by `tilt_deg` about an
    in-plane axis at `tilt_axis_deg`, rotated by `rotation_deg` in the image plane, and seen
    through a pinhole camera with focal length `focal * size`, centred on `center`.
    Returns the projected corners (4, 2) float64: TL, TR, BR, BL.
    """
    s = size / max(width, height)
    pts = (corners(width, height) - [width / 2, height / 2]) * s
    pts3 = np.column_stack([pts, np.zeros(4)])
    a = np.deg2rad(tilt_axis_deg)
    axis = np.array([np.cos(a), np.sin(a), 0.0])
    rot_tilt, _ = cv2.Rodrigues(axis * np.deg2rad(tilt_deg))
    r = np.deg2rad(rotation_deg)
    rot_z = np.array([[np.cos(r), -np.sin(r), 0.0], [np.sin(r), np.cos(r), 0.0], [0.0, 0.0, 1.0]])
    p = pts3 @ (rot_z @ rot_tilt).T
    f = focal * size
    # The object's centre stays at distance f so its apparent size is about `size`.
    proj = p[:, :2] * (f / (f + p[:, 2:3]))
    return proj + np.asarray(center, dtype=np.float64)


def clip_polygon(poly: np.ndarray, width: float, height: float) -> np.ndarray:
    """Clip polygon `poly` (N, 2) to the rectangle [0, width] x [0, height] (Sutherland-Hodgman).

    Returns the clipped polygon (M, 2), possibly empty (0, 2).
    """
    out = [tuple(p) for p in np.asarray(poly, dtype=np.float64)]
    # Each edge: (axis, limit, keep-if-greater)
    for axis, limit, keep_greater in ((0, 0.0, True), (0, width, False), (1, 0.0, True), (1, height, False)):
        if not out:
            break
        src, out = out, []

        def inside(p: tuple[float, float]) -> bool:
            return p[axis] >= limit if keep_greater else p[axis] <= limit

        for i, cur in enumerate(src):
            prev = src[i - 1]
            if inside(cur) != inside(prev):
                t = (limit - prev[axis]) / (cur[axis] - prev[axis])
                out.append((prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])))
            if inside(cur):
                out.append(cur)
    return np.array(out, dtype=np.float64).reshape(-1, 2)


def polygon_area(poly: np.ndarray) -> float:
    """Area of a simple polygon (N, 2) by the shoelace formula."""
    if len(poly) < 3:
        return 0.0
    x, y = poly[:, 0], poly[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def bbox(poly: np.ndarray) -> list[float]:
    """COCO box [x, y, w, h] of a polygon (N, 2); [0, 0, 0, 0] when empty."""
    if len(poly) == 0:
        return [0.0, 0.0, 0.0, 0.0]
    x0, y0 = poly.min(axis=0)
    x1, y1 = poly.max(axis=0)
    return [float(x0), float(y0), float(x1 - x0), float(y1 - y0)]


def fit_homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares homography (3, 3) from `src` (N, 2) to `dst` (N, 2), N >= 4, no outlier rejection."""
    h, _ = cv2.findHomography(np.float64(src), np.float64(dst), 0)
    if h is None:
        raise ValueError("degenerate point set: cannot fit a homography")
    return h / h[2, 2]


def sample_field(field: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Bilinearly sample a 2-channel field (H, W, 2) at edge-coordinate `points` (N, 2) -> (N, 2)."""
    h, w = field.shape[:2]
    x = np.clip(points[:, 0] - 0.5, 0, w - 1.001)
    y = np.clip(points[:, 1] - 0.5, 0, h - 1.001)
    x0, y0 = x.astype(int), y.astype(int)
    fx, fy = (x - x0)[:, None], (y - y0)[:, None]
    top = field[y0, x0] * (1 - fx) + field[y0, x0 + 1] * fx
    bottom = field[y0 + 1, x0] * (1 - fx) + field[y0 + 1, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


def forward_map(displacement: np.ndarray, points: np.ndarray, iterations: int = 8) -> np.ndarray:
    """Where source `points` (N, 2) land under a backward warp `dst(p) = src(p + displacement(p))`.

    `displacement` (H, W, 2) float32 is what `cv2.remap` reads (map = identity + displacement).
    Solves p + d(p) = s by fixed-point iteration, which converges for smooth fields whose
    gradient stays well below 1 (cloth folds do). Returns (N, 2) float64.
    """
    src = np.asarray(points, dtype=np.float64)
    p = src.copy()
    for _ in range(iterations):
        p = src - sample_field(displacement, p)
    return p
