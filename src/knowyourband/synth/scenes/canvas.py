"""A drawing surface that remembers where each catalogue reference went and what covers it.

Scenes build photos by pasting images through homographies onto canvases, and canvases onto
other canvases (a poster onto a wall, a shirt onto a person). Each pasted reference keeps its
homography from reference pixels to canvas pixels, so its ground-truth quad is exact; a label map
records which object owns each pixel, so later occluders (a thumb, another sleeve) give the
occluded fraction without guesswork.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from knowyourband.synth import geometry as geo

# Pasting a big source into a small footprint aliases; sources are first shrunk with area
# averaging to this factor above their projected size.
PRESCALE_MARGIN = 1.3
LABEL_GRID = 9  # points per side used to refit a homography after a non-rigid deformation


@dataclass
class Placed:
    """One catalogue reference in a canvas: `h` (3, 3) maps reference pixels to canvas pixels."""

    ref: dict[str, Any]
    size: tuple[int, int]  # the reference image's (width, height)
    h: np.ndarray
    label: int

    def quad(self) -> np.ndarray:
        """The reference's corners in canvas pixels (4, 2): TL, TR, BR, BL."""
        return geo.project(self.h, geo.corners(*self.size))


class Canvas:
    """RGB float32 image (H, W, 3) in [0, 1], coverage alpha (H, W), object label map (H, W) uint16."""

    def __init__(self, width: int, height: int, color: tuple[float, float, float] = (0, 0, 0), alpha: float = 1.0):
        self.rgb = np.empty((height, width, 3), np.float32)
        self.rgb[:] = color
        self.alpha = np.full((height, width), alpha, np.float32)
        self.labels = np.zeros((height, width), np.uint16)
        self.objects: list[Placed] = []
        self._next_label = 1

    @classmethod
    def from_rgb(cls, rgb: np.ndarray) -> "Canvas":
        """A fully opaque canvas holding `rgb` (H, W, 3) float32 (not copied)."""
        canvas = cls.__new__(cls)
        canvas.rgb = np.ascontiguousarray(rgb, dtype=np.float32)
        canvas.alpha = np.ones(rgb.shape[:2], np.float32)
        canvas.labels = np.zeros(rgb.shape[:2], np.uint16)
        canvas.objects = []
        canvas._next_label = 1
        return canvas

    @property
    def width(self) -> int:
        return self.rgb.shape[1]

    @property
    def height(self) -> int:
        return self.rgb.shape[0]

    def paste(
        self,
        rgb: np.ndarray | tuple[float, float, float],
        alpha: np.ndarray | None,
        h: np.ndarray,
        ref: dict[str, Any] | None = None,
        size: tuple[int, int] | None = None,
    ) -> None:
        """Composite a source through homography `h` (source pixels -> canvas pixels).

        rgb: (h, w, 3) float32 in [0, 1], or one colour painted through `alpha`.
        alpha: (h, w) float32 coverage, None for opaque.
        With `ref`, the pasted quad becomes a tracked object; without, the paste occludes what it covers.
        `size` (w, h) is the reference image's own size when the source is a resized copy of it.
        """
        if alpha is None and isinstance(rgb, tuple):
            raise ValueError("a flat colour needs an alpha mask")
        src_h, src_w = (alpha if alpha is not None else rgb).shape[:2]
        quad = geo.project(h, geo.corners(src_w, src_h))
        if ref is not None:  # recorded before any shrinking below changes `h`
            label = self._next_label
            self._next_label += 1
            ref_w, ref_h = size or (src_w, src_h)
            self.objects.append(Placed(ref, (ref_w, ref_h), h @ geo.scaling(src_w / ref_w, src_h / ref_h), label))
        # Shrink large sources before warping: area averaging instead of aliasing.
        side = max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3])) / src_w
        side = max(side, max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1])) / src_h)
        factor = side * PRESCALE_MARGIN
        if factor < 0.9 and min(src_w, src_h) * factor >= 4:
            new_size = (max(1, round(src_w * factor)), max(1, round(src_h * factor)))
            if not isinstance(rgb, tuple):
                rgb = cv2.resize(rgb, new_size, interpolation=cv2.INTER_AREA)
            if alpha is not None:
                alpha = cv2.resize(alpha, new_size, interpolation=cv2.INTER_AREA)
            h = h @ geo.scaling(src_w / new_size[0], src_h / new_size[1])
            src_w, src_h = new_size
        x0, y0 = np.floor(quad.min(axis=0)).astype(int)
        x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
        x0, y0 = max(x0, 0), max(y0, 0)
        x1, y1 = min(x1, self.width), min(y1, self.height)
        if x1 <= x0 or y1 <= y0:
            return
        h_roi = geo.to_opencv(geo.translation(-x0, -y0) @ h)
        dsize = (x1 - x0, y1 - y0)
        if alpha is None:
            alpha = np.ones((src_h, src_w), np.float32)
        a = cv2.warpPerspective(alpha, h_roi, dsize, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
        roi = self.rgb[y0:y1, x0:x1]
        if isinstance(rgb, tuple):
            roi *= 1 - a[..., None]
            roi += a[..., None] * np.float32(rgb)
        else:
            premult = rgb * alpha[..., None]
            warped = cv2.warpPerspective(premult, h_roi, dsize, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
            roi *= 1 - a[..., None]
            roi += warped
        cover = self.alpha[y0:y1, x0:x1]
        cover += a * (1 - cover)
        labels = self.labels[y0:y1, x0:x1]
        if ref is not None:
            region = np.zeros(labels.shape, np.uint8)
            # fillPoly puts pixel centres on integers: shift the edge-coordinate quad by half a pixel.
            pts = np.round((quad - [x0 + 0.5, y0 + 0.5]) * 16).astype(np.int32)
            cv2.fillPoly(region, [pts], 1, lineType=cv2.LINE_8, shift=4)
            labels[region > 0] = label
        else:
            labels[a > 0.5] = 0

    def blit(self, rgb: tuple[float, float, float], mask: np.ndarray, x: float, y: float) -> None:
        """Paint colour `rgb` through `mask` (h, w) with its top-left at pixel (x, y): no resampling, occludes."""
        x0, y0 = int(round(x)), int(round(y))
        h, w = mask.shape
        cx0, cy0 = max(x0, 0), max(y0, 0)
        cx1, cy1 = min(x0 + w, self.width), min(y0 + h, self.height)
        if cx1 <= cx0 or cy1 <= cy0:
            return
        self.occlude(mask[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0], rgb, origin=(cx0, cy0))

    def fill(self, rgb: tuple[float, float, float], x0: float, y0: float, x1: float, y1: float) -> None:
        """Paint an axis-aligned opaque rectangle [x0, x1) x [y0, y1) (rounded to pixels), occluding."""
        xa, ya = max(int(round(x0)), 0), max(int(round(y0)), 0)
        xb, yb = min(int(round(x1)), self.width), min(int(round(y1)), self.height)
        if xb > xa and yb > ya:
            self.rgb[ya:yb, xa:xb] = rgb
            self.alpha[ya:yb, xa:xb] = 1
            self.labels[ya:yb, xa:xb] = 0

    def occlude(self, mask: np.ndarray, rgb: np.ndarray | tuple[float, float, float], origin: tuple[int, int] = (0, 0)) -> None:
        """Paint `rgb` ((h, w, 3) or one colour) through coverage `mask` (h, w) with its top-left at `origin`."""
        x0, y0 = origin
        h, w = mask.shape
        sl = (slice(y0, y0 + h), slice(x0, x0 + w))
        m = mask[..., None]
        roi = self.rgb[sl]
        roi *= 1 - m
        roi += m * (np.float32(rgb) if isinstance(rgb, tuple) else rgb)
        self.alpha[sl] += mask * (1 - self.alpha[sl])
        self.labels[sl][mask > 0.5] = 0

    def paste_canvas(self, other: "Canvas", h: np.ndarray) -> None:
        """Composite canvas `other` through `h` (other's pixels -> ours), carrying its objects along."""
        offset = self._next_label - 1
        before = len(self.objects)
        quad = geo.project(h, geo.corners(other.width, other.height))
        x0, y0 = np.maximum(np.floor(quad.min(axis=0)).astype(int), 0)
        x1, y1 = np.minimum(np.ceil(quad.max(axis=0)).astype(int), [self.width, self.height])
        if x1 > x0 and y1 > y0:
            h_cv = geo.to_opencv(geo.translation(-x0, -y0) @ h)
            size = (int(x1 - x0), int(y1 - y0))
            a = cv2.warpPerspective(other.alpha, h_cv, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
            premult = other.rgb * other.alpha[..., None]
            warped = cv2.warpPerspective(premult, h_cv, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
            roi = self.rgb[y0:y1, x0:x1]
            roi *= 1 - a[..., None]
            roi += warped
            cover = self.alpha[y0:y1, x0:x1]
            cover += a * (1 - cover)
            lab = cv2.warpPerspective(other.labels, h_cv, size, flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT)
            covered = a > 0.5
            labels = self.labels[y0:y1, x0:x1]
            labels[covered] = np.where(lab[covered] > 0, lab[covered] + offset, 0)
        for obj in other.objects:
            self.objects.append(Placed(obj.ref, obj.size, h @ obj.h, obj.label + offset))
        if len(self.objects) > before:
            self._next_label = max(o.label for o in self.objects) + 1

    def deform(self, displacement: np.ndarray) -> None:
        """Warp the canvas non-rigidly: pixel p takes the value found at p + displacement(p).

        displacement: (H, W, 2) float32. Each object's homography is refitted by least squares
        to where a grid of its points moved, so its quad becomes the best-fitting projection.
        """
        map_x = displacement[..., 0] + np.arange(self.width, dtype=np.float32)[None, :]
        map_y = displacement[..., 1] + np.arange(self.height, dtype=np.float32)[:, None]
        self.rgb = cv2.remap(self.rgb, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        self.alpha = cv2.remap(self.alpha, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
        self.labels = cv2.remap(self.labels, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT)
        t = np.linspace(0.0, 1.0, LABEL_GRID)
        unit = np.stack(np.meshgrid(t, t), axis=-1).reshape(-1, 2)
        for obj in self.objects:
            src = unit * obj.size
            moved = geo.forward_map(displacement, geo.project(obj.h, src))
            obj.h = geo.fit_homography(src, moved)

    def quad_pixels(self, quad: np.ndarray) -> int:
        """How many canvas pixels a quad (4, 2) covers, rasterised as labels are (centre inside)."""
        x0, y0 = np.maximum(np.floor(quad.min(axis=0)).astype(int), 0)
        x1, y1 = np.minimum(np.ceil(quad.max(axis=0)).astype(int), [self.width, self.height])
        if x1 <= x0 or y1 <= y0:
            return 0
        region = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.fillPoly(region, [np.round((quad - [x0 + 0.5, y0 + 0.5]) * 16).astype(np.int32)], 1, cv2.LINE_8, shift=4)
        return int(region.sum(dtype=np.int64))

    def visible_pixels(self) -> dict[int, int]:
        """Pixels each object label still owns: {label: count}."""
        counts = np.bincount(self.labels.ravel())
        return {obj.label: int(counts[obj.label]) if obj.label < len(counts) else 0 for obj in self.objects}
