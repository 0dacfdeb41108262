"""A photo's blur, measured on the objects already found in it, and the photo sharpened by it.

A shaking hand or a missed focus blurs a whole photo alike. On a poster the small logos lose the
strokes their keypoints live on first, while the larger ones are still found. Those found tell how
the photo is blurred: each one's reference, drawn into the photo through its outline and blurred by
the right kernel, looks like the photo there. Of a family of kernels (defocus, a straight motion
streak at any angle), the one that makes them look most alike is taken as the photo's blur, and
the photo deconvolved by it (Wiener) gives the boxes still unnamed a second closer look
(docs/engine.md, step 8, "A sharper look").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import cv2
import numpy as np

from knowyourband.index import Index
from knowyourband.recognize.detections import Detection, quad_box
from knowyourband.recognize.proposals import MARGIN

# Detections whose outline comes from matched keypoints; the box-based namings only guess it.
GEOMETRIC = ("homography", "affine", "similarity")
SIGMAS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0)  # defocus, working pixels
LENGTHS = (3, 4, 6, 8, 11, 15, 20, 26)  # motion streaks, working pixels; refined around the best
ANGLES = tuple(range(0, 180, 30))  # degrees; refined around the best streak
PAD = 16  # working pixels of photo around an outline, so a streak's ends stay inside its patch
WINDOW = 128  # working pixels: the most of an outline's width or height a patch holds
MIN_SIDE = 24  # outlines shorter than this (working pixels) say too little about a kernel
MIN_PIXELS = 300  # and so does a patch with fewer pixels inside its outline
REFINE_GAP = 0.02  # a grid streak this much less alike than the best defocus is refined all the same
ALIGN = 4  # working pixels an outline is shifted by, at most, to lie on its print (`aligned`)


class Blur(NamedTuple):
    """A blur in working pixels: "defocus" (Gaussian, `size` = sigma) or "motion" (a streak `size`
    long at `angle` degrees)."""

    kind: str
    size: float
    angle: float = 0.0

    @property
    def spread(self) -> float:
        """Its standard deviation along its widest direction, pixels: sigma, or a streak's length / sqrt(12)."""
        return self.size if self.kind == "defocus" else self.size / 12 ** 0.5


def kernel(blur: Blur, scale: float = 1.0) -> np.ndarray:
    """The (k, k) float32 kernel of `blur`, in pixels of which one working pixel holds `scale`."""
    size = blur.size * scale
    if blur.kind == "defocus":
        radius = int(np.ceil(3 * size))
        g = cv2.getGaussianKernel(2 * radius + 1, size)
        return (g @ g.T).astype(np.float32)
    side = int(np.ceil(size)) | 1
    k = np.zeros((side, side), np.float32)
    c = side // 2
    d = np.array([np.cos(np.deg2rad(blur.angle)), np.sin(np.deg2rad(blur.angle))]) * (size - 1) / 2
    cv2.line(k, (int(round(c - d[0])), int(round(c - d[1]))), (int(round(c + d[0])), int(round(c + d[1]))),
             1.0, 1, cv2.LINE_AA)
    return k / k.sum()


class Patch(NamedTuple):
    """A found object's reference drawn into the photo, and the photo there."""

    drawn: np.ndarray  # (h, w) float32
    seen: np.ndarray  # (h, w) float32
    inside: np.ndarray  # (h, w) bool: within the outline


def patches(gray: np.ndarray, found: list[Detection], index: Index, limit: int) -> list[Patch]:
    """Up to `limit` patches of the working `gray` photo around geometric detections (most inliers
    first), each with its reference's thumbnail drawn through the detection's outline."""
    refs = index.locals.refs
    h, w = gray.shape
    out = []
    for d in sorted((d for d in found if d.model in GEOMETRIC), key=lambda d: -d.inliers):
        if len(out) >= limit:
            break
        x0, y0, x1, y1 = quad_box(d.quad)
        if min(x1 - x0, y1 - y0) < MIN_SIDE:
            continue
        thumb = cv2.imread(str(index.media / f"{int(refs['id'][d.ref])}.jpg"), cv2.IMREAD_GRAYSCALE)
        if thumb is None:
            continue
        # A large print's middle says as much about the kernel as all of it, at a fraction of the cost.
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        half_w, half_h = min(x1 - x0, WINDOW) / 2 + PAD, min(y1 - y0, WINDOW) / 2 + PAD
        x0, y0 = max(0, int(cx - half_w)), max(0, int(cy - half_h))
        x1, y1 = min(w, int(np.ceil(cx + half_w))), min(h, int(np.ceil(cy + half_h)))
        if x1 <= x0 or y1 <= y0:  # a candidate's outline may lie off the photo
            continue
        th, tw = thumb.shape
        corners = np.float32([[0, 0], [tw, 0], [tw, th], [0, th]])
        to_patch = cv2.getPerspectiveTransform(corners, np.float32(d.quad - [x0, y0]))
        size = (x1 - x0, y1 - y0)
        drawn = cv2.warpPerspective(thumb.astype(np.float32), to_patch, size, flags=cv2.INTER_LINEAR,
                                    borderMode=cv2.BORDER_REPLICATE)
        inside = cv2.warpPerspective(np.ones((th, tw), np.uint8), to_patch, size, flags=cv2.INTER_NEAREST)
        inside = cv2.erode(inside, np.ones((3, 3), np.uint8)) > 0
        if inside.sum() < MIN_PIXELS:
            continue
        seen = gray[y0:y1, x0:x1].astype(np.float32)
        out.append(Patch(aligned(drawn, seen, inside), seen, inside))
    return out


def aligned(drawn: np.ndarray, seen: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """`drawn` shifted by the whole pixels (up to ALIGN each way) that make it, blurred by a middling
    defocus, most alike `seen` inside the outline (absolute correlation, as `likeness`): an outline
    placed on a few keypoints is often a pixel or two off, and a sharp streak suffers from that more
    than a wide defocus does, which would then be taken for the photo's blur."""
    if ALIGN <= 0 or min(drawn.shape) <= 2 * ALIGN:
        return drawn
    soft = cv2.GaussianBlur(drawn, (0, 0), 2.0, borderType=cv2.BORDER_REPLICATE)
    inner = (slice(ALIGN, -ALIGN), slice(ALIGN, -ALIGN))
    alike = cv2.matchTemplate(seen, soft[inner], cv2.TM_CCOEFF_NORMED, mask=inside[inner].astype(np.float32))
    dy, dx = np.unravel_index(int(np.argmax(np.abs(np.nan_to_num(alike, nan=0.0)))), alike.shape)
    shift = np.float32([[1, 0, int(dx) - ALIGN], [0, 1, int(dy) - ALIGN]])
    return cv2.warpAffine(drawn, shift, drawn.shape[::-1], flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)


def likeness(patch: Patch, blur: Blur) -> float:
    """How alike the drawn reference blurred by `blur` and the photo are inside the outline: absolute
    correlation, so an inverted print counts and ink and paper may be any two colours."""
    if blur.kind == "defocus":
        drawn = cv2.GaussianBlur(patch.drawn, (0, 0), blur.size, borderType=cv2.BORDER_REPLICATE)
    else:
        drawn = cv2.filter2D(patch.drawn, -1, kernel(blur), borderType=cv2.BORDER_REPLICATE)
    drawn, seen = drawn[patch.inside], patch.seen[patch.inside]
    drawn, seen = drawn - drawn.mean(), seen - seen.mean()
    return abs(float(drawn @ seen)) / (float(np.linalg.norm(drawn) * np.linalg.norm(seen)) + 1e-6)


def measure(gray: np.ndarray, found: list[Detection], index: Index, limit: int) -> Blur | None:
    """The blur of the working `gray` photo that best explains the `found` detections (None without
    any to measure on)."""
    ps = patches(gray, found, index, limit)
    if not ps:
        return None

    def best(blurs: Iterable[Blur]) -> tuple[float, Blur]:
        """The blur that makes the patches look most alike, and how alike (the first of equals)."""
        return max(((float(np.mean([likeness(p, b) for p in ps])), b) for b in blurs), key=lambda t: t[0])

    defocus = best(Blur("defocus", s) for s in SIGMAS)
    streak = best(Blur("motion", n, a) for n in LENGTHS for a in ANGLES)
    # The streaks' grid is coarse: one between its lengths and angles can lose to a defocus until refined.
    if streak[0] >= defocus[0] - REFINE_GAP:
        lengths = np.unique(np.round(streak[1].size * np.array([0.8, 0.9, 1.0, 1.1, 1.2])))
        near = best(Blur("motion", float(n), a % 180) for n in lengths if n >= 3
                    for a in range(int(streak[1].angle) - 15, int(streak[1].angle) + 16, 5))
        streak = max(streak, near, key=lambda t: t[0])
    return max(defocus, streak, key=lambda t: t[0])[1]


def deconvolve(gray: np.ndarray, k: np.ndarray, nsr: float, region: np.ndarray) -> np.ndarray:
    """A copy of the (H, W) uint8 `gray` whose `region` [x0, y0, x1, y1] is deconvolved by the kernel
    `k` (Wiener filter with noise-to-signal ratio `nsr`)."""
    h, w = gray.shape
    x0, y0 = max(0, int(region[0])), max(0, int(region[1]))
    x1, y1 = min(w, int(np.ceil(region[2]))), min(h, int(np.ceil(region[3])))
    out = gray.copy()
    if x1 <= x0 or y1 <= y0:
        return out
    pad = 2 * max(k.shape)
    part = cv2.copyMakeBorder(gray[y0:y1, x0:x1].astype(np.float32), pad, pad, pad, pad, cv2.BORDER_REFLECT)
    rows, cols = cv2.getOptimalDFTSize(part.shape[0]), cv2.getOptimalDFTSize(part.shape[1])
    part = cv2.copyMakeBorder(part, 0, rows - part.shape[0], 0, cols - part.shape[1], cv2.BORDER_REFLECT)
    spread = np.zeros((rows, cols), np.float32)
    spread[:k.shape[0], :k.shape[1]] = k
    spread = np.roll(spread, (-(k.shape[0] // 2), -(k.shape[1] // 2)), axis=(0, 1))
    f, g = np.fft.rfft2(part), np.fft.rfft2(spread)
    sharp = np.fft.irfft2(f * np.conj(g) / (np.abs(g) ** 2 + nsr), s=(rows, cols))
    out[y0:y1, x0:x1] = np.clip(sharp[pad:pad + y1 - y0, pad:pad + x1 - x0], 0, 255).astype(np.uint8)
    return out


def sharpen(gray: np.ndarray, found: Blur, scale: float, boxes: np.ndarray, nsr: float) -> np.ndarray:
    """A copy of the (H, W) uint8 `gray`, of whose pixels a working pixel holds `scale`, deconvolved by
    `found` wherever a closer look's crops of the `boxes` (N, 4, in `gray`'s pixels) reach: each box,
    its crop margin, and the kernel's own width beyond them."""
    k = kernel(found, scale)
    boxes = np.asarray(boxes, np.float64)
    reach = (boxes[:, 2:] - boxes[:, :2]) * MARGIN + max(k.shape)
    region = np.concatenate([(boxes[:, :2] - reach).min(axis=0), (boxes[:, 2:] + reach).max(axis=0)])
    return deconvolve(gray, k, nsr, region)
