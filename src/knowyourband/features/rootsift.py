"""RootSIFT extraction with a spatially spread keypoint cap, and the polarity trick for inverted prints."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import cv2
import numpy as np

# SIFT's descriptor is a 4x4 grid of cells with 8 orientation bins each.
_GRID = 4
_BINS = 8


@dataclass(frozen=True)
class FeatureConfig:
    max_side: int = 1024  # long side the image is resized to before detection (never upscaled)
    max_keypoints: int = 2000  # cap, filled by response but spread over a grid of cells
    contrast_threshold: float = 0.03  # SIFT's default 0.04 drops thin low-contrast logo strokes
    spread_cells: int = 6  # the cap is shared by spread_cells x spread_cells cells of the image
    max_area: int = 0  # if set, also shrink to at most this many pixels (keeps long thin logos legible)
    # If set, SIFT describes only this many keypoints, the strongest, and the cap is spread among them.
    # A photo of gravel or fabric yields 40,000-100,000 keypoints; describing them all took up to 0.9 s.
    describe_max: int = 0
    # OpenCV's SIFT doubles the image for its first octave, which is most of its cost. False halves
    # the image first, so that octave is the image's own resolution: nothing finer than it is found.
    fine_octave: bool = True
    # With fewer keypoints than this, the image is described again with its gray levels spread
    # (`stretch`; 0: never). SIFT's contrast threshold is absolute, so coloured art whose lettering
    # differs from its backdrop in hue more than in luminance may give few keypoints or none.
    stretch_below: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Features:
    """Keypoints and descriptors of one image, in that image's pixel coordinates.

    keypoints: (N, 4) float32 rows of x, y, size, angle (degrees, OpenCV convention)
    descriptors: (N, 128) float32 RootSIFT, unit L2 norm
    """

    keypoints: np.ndarray
    descriptors: np.ndarray
    width: int
    height: int

    def __len__(self) -> int:
        return len(self.keypoints)


def rootsift(descriptors: np.ndarray) -> np.ndarray:
    """SIFT (N, 128) -> RootSIFT (N, 128) float32: L1-normalise, square root (Arandjelovic & Zisserman 2012)."""
    d = descriptors.astype(np.float32)
    d /= np.maximum(d.sum(axis=1, keepdims=True), 1e-7)
    return np.sqrt(d)


def invert_polarity(descriptors: np.ndarray) -> np.ndarray:
    """Descriptors (N, 128) as they would be computed on the intensity-inverted image.

    Inverting intensity negates every gradient, so SIFT's dominant orientation turns by 180 degrees;
    in the turned frame each gradient keeps its relative orientation but the 4x4 cell grid is read
    back to front. The detector finds the same DoG extrema (maxima become minima), so a white-on-black
    print is matched by flipping the cell order of its descriptors — no second index needed.
    """
    d = descriptors.reshape(-1, _GRID, _GRID, _BINS)
    return np.ascontiguousarray(d[:, ::-1, ::-1, :].reshape(-1, _GRID * _GRID * _BINS))


def reference_gray(rgb: np.ndarray, alpha: np.ndarray | None) -> np.ndarray:
    """A reference image (H, W, 3) uint8 [+ alpha (H, W) uint8] -> (H, W) uint8 gray, ink dark on white.

    A transparent logo PNG is usually white or coloured ink on nothing: the alpha is the ink, so it
    becomes black on white. Opaque images are plain luminance.
    """
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if alpha is None or int(alpha.min()) > 250:
        return gray
    a = alpha.astype(np.float32) / 255.0
    ink = a > 0.5
    # Dark ink on transparency composites cleanly over white and keeps its inner detail; light ink
    # would vanish on white, so its silhouette (the alpha) is the only reliable picture of it.
    if ink.any() and float(gray[ink].mean()) < 110:
        return (gray.astype(np.float32) * a + 255.0 * (1 - a)).astype(np.uint8)
    return (255 - alpha).astype(np.uint8)


def stretch_range(gray: np.ndarray, low: float = 1.0, high: float = 99.0) -> tuple[float, float]:
    """The gray levels `stretch` spreads over 0..255: a gray image's (H, W) uint8 percentiles `low`
    and `high`, taken on every 4th pixel each way."""
    lo, hi = np.percentile(gray[::4, ::4], [low, high])
    return float(lo), float(hi)


def stretch(gray: np.ndarray, low: float = 1.0, high: float = 99.0) -> np.ndarray:
    """Spread a gray image's (H, W) uint8 percentiles `low`..`high` over 0..255.

    SIFT's contrast threshold is absolute, so a photo taken in low light loses most of its keypoints;
    stretching first makes the threshold relative to the photo's own range.
    """
    return spread_levels(gray, *stretch_range(gray, low, high))


def spread_levels(gray: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Map a gray image's (H, W) uint8 levels `lo`..`hi` onto 0..255, clipping those outside (`stretch`
    with the levels already measured by `stretch_range`)."""
    if hi - lo < 8:  # a flat image: stretching would only amplify noise
        return gray
    lut = np.clip((np.arange(256, dtype=np.float32) - lo) * (255.0 / (hi - lo)), 0, 255).astype(np.uint8)
    return cv2.LUT(gray, lut)


def _spread(keypoints: list, limit: int, width: int, height: int, cells: int, unit: float = 1.0) -> np.ndarray:
    """Indices of at most `limit` keypoints, shared fairly among image cells and scales.

    Groups are (cell, octave of the keypoint size); groups take turns giving their strongest
    remaining keypoint. Coarse keypoints are rare and weak but they are the only ones a reference
    shares with its tiny copy on a poster, so a plain top-N by response would drop exactly them.
    `unit` is the size of one of the keypoints' pixels in the pixels whose octaves are counted.
    """
    n = len(keypoints)
    if n <= limit:
        return np.arange(n)
    pts = np.array([k.pt for k in keypoints], dtype=np.float32)
    size = np.array([k.size for k in keypoints], dtype=np.float32) * unit
    response = np.array([k.response for k in keypoints], dtype=np.float32)
    cx = np.minimum((pts[:, 0] * cells / max(width, 1)).astype(int), cells - 1)
    cy = np.minimum((pts[:, 1] * cells / max(height, 1)).astype(int), cells - 1)
    octave = np.clip(np.floor(np.log2(np.maximum(size, 1.0) / 2.0)), 0, 5).astype(int)
    group = (octave * cells + cy) * cells + cx
    order = np.lexsort((-response, group))  # by group, strongest first within a group
    sorted_groups = group[order]
    first = np.searchsorted(sorted_groups, sorted_groups, side="left")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - first  # rank within its group
    pick = np.lexsort((-response, rank))[:limit]
    return np.sort(pick)


def extract(gray: np.ndarray, config: FeatureConfig = FeatureConfig()) -> Features:
    """Detect and describe a gray image (H, W) uint8 -> Features in the input's pixel coordinates.

    The image is shrunk so its long side is at most `config.max_side`; keypoint positions and sizes
    are scaled back, so callers never see the working resolution. An image giving fewer than
    `config.stretch_below` keypoints is described again with its gray levels spread.
    """
    if gray.ndim != 2 or gray.dtype != np.uint8:
        raise ValueError(f"extract expects a 2-D uint8 gray image, got {gray.dtype} {gray.shape}")
    feats = _extract(gray, config)
    if len(feats) < config.stretch_below:
        spread = _extract(stretch(gray), config)
        if len(spread) > len(feats):
            return spread
    return feats


def _extract(gray: np.ndarray, config: FeatureConfig) -> Features:
    height, width = gray.shape
    scale = min(1.0, config.max_side / max(height, width))
    if config.max_area:
        scale = min(scale, (config.max_area / (height * width)) ** 0.5)
    work = gray
    if scale < 1.0:
        work = cv2.resize(gray, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    unit = 1.0
    if not config.fine_octave:
        work = cv2.resize(work, (max(1, work.shape[1] // 2), max(1, work.shape[0] // 2)),
                          interpolation=cv2.INTER_AREA)
        unit = 2.0
    sift = cv2.SIFT_create(nfeatures=config.describe_max, contrastThreshold=config.contrast_threshold)
    # Describing every keypoint and keeping the capped set afterwards builds the scale-space pyramid
    # once; detect() then compute() on the kept ones builds it twice and was 20-25 % slower in all.
    keypoints, descriptors = sift.detectAndCompute(work, None)
    if not keypoints:
        return Features(np.zeros((0, 4), np.float32), np.zeros((0, 128), np.float32), width, height)
    keep = _spread(keypoints, config.max_keypoints, work.shape[1], work.shape[0], config.spread_cells, unit)
    keypoints, descriptors = [keypoints[i] for i in keep], descriptors[keep]
    kp = np.array([(k.pt[0], k.pt[1], k.size, k.angle) for k in keypoints], dtype=np.float32)
    kp[:, :3] *= unit / scale
    return Features(kp, rootsift(descriptors), width, height)
