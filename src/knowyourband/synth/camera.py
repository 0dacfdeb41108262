"""Camera effects on a rendered scene: white balance, low light, vignetting, blur, noise, JPEG, EXIF.

All effects are photometric or blur a whole frame, so the geometry of the ground truth never moves;
an EXIF orientation only changes how the pixels are stored, not the upright image annotations
describe.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

EXIF_ORIENTATION_TAG = 0x0112
# The orientations a phone writes (upright, upside down, turned left, turned right) and the
# rotation that turns the upright image into the stored pixels — the inverse of what
# `PIL.ImageOps.exif_transpose` applies to make them upright again.
STORE_TRANSPOSE = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}
JPEG_SUBSAMPLING = 2  # 4:2:0, what phones write
GRAIN_TILE = 768  # noise tile side; its repeats are invisible under the picture
GRAIN_SEED = 20261127


@dataclass(frozen=True)
class CameraLevel:
    """Effect strengths for one difficulty level (each effect's value is drawn up to its maximum)."""

    defocus_sigma: float  # Gaussian defocus, pixels at 1 MP (scaled with the photo's size)
    motion_p: float  # chance of motion blur instead of defocus
    motion_px: float  # longest motion streak, pixels at 1 MP
    noise_sigma: float  # sensor noise at mid grey, in 8-bit levels
    low_light_p: float  # chance of an underexposed, noisier photo
    white_balance: float  # largest per-channel gain deviation (0.1 = +-10 %)
    vignette: float  # darkening at the corners (0.3 = 30 %)
    uneven_light: float  # largest brightness difference across the frame from a lamp or window to one side
    jpeg_quality: tuple[int, int]  # inclusive range
    exif_p: float  # chance the file is stored rotated with an EXIF orientation tag


CAMERA_LEVELS = {
    "easy": CameraLevel(0.8, 0.0, 0.0, 2.0, 0.0, 0.05, 0.15, 0.1, (88, 95), 0.15),
    "medium": CameraLevel(1.6, 0.15, 8.0, 4.0, 0.2, 0.12, 0.3, 0.25, (75, 90), 0.25),
    "hard": CameraLevel(2.6, 0.3, 16.0, 7.0, 0.4, 0.2, 0.45, 0.4, (55, 80), 0.3),
}


def _motion_kernel(length: float, angle_deg: float) -> np.ndarray:
    size = int(np.ceil(length)) | 1
    kernel = np.zeros((size, size), np.float32)
    c = size // 2
    d = np.array([np.cos(np.deg2rad(angle_deg)), np.sin(np.deg2rad(angle_deg))]) * (length - 1) / 2
    cv2.line(kernel, (int(round(c - d[0])), int(round(c - d[1]))), (int(round(c + d[0])), int(round(c + d[1]))), 1.0, 1, cv2.LINE_AA)
    return kernel / kernel.sum()


def _motion_blur(img: np.ndarray, length: float, angle_deg: float) -> np.ndarray:
    """Blur (H, W, 3) along a line; long streaks are drawn at half size, where they cost 8x less."""
    if length <= 8:
        return cv2.filter2D(img, -1, _motion_kernel(length, angle_deg), borderType=cv2.BORDER_REFLECT)
    h, w = img.shape[:2]
    small = cv2.resize(img, ((w + 1) // 2, (h + 1) // 2), interpolation=cv2.INTER_AREA)
    small = cv2.filter2D(small, -1, _motion_kernel(length / 2, angle_deg), borderType=cv2.BORDER_REFLECT)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


@functools.lru_cache(maxsize=1)
def _grain_tile() -> np.ndarray:
    # Demosaicing correlates neighbouring pixels' noise: drawn at half size, then enlarged.
    small = np.random.default_rng(GRAIN_SEED).standard_normal((GRAIN_TILE // 2, GRAIN_TILE // 2, 3), dtype=np.float32)
    return cv2.resize(small, (GRAIN_TILE, GRAIN_TILE), interpolation=cv2.INTER_LINEAR)


def _grain(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """Sensor noise (h, w, 3) ~N(0, 1): a fixed tile, shifted and repeated, so it costs a copy, not a draw."""
    tile = np.roll(_grain_tile(), (int(rng.integers(GRAIN_TILE)), int(rng.integers(GRAIN_TILE))), axis=(0, 1))
    reps = (h // GRAIN_TILE + 1, w // GRAIN_TILE + 1)
    return cv2.repeat(tile, *reps)[:h, :w]


def shoot(rgb: np.ndarray, rng: np.random.Generator, level: CameraLevel, screenshot: bool = False) -> np.ndarray:
    """Turn a rendered scene into what a phone records.

    rgb: (H, W, 3) float32 in [0, 1]. With `screenshot` only the photo's own lightness stays
    (a saved screenshot has no lens). Returns (H, W, 3) uint8.
    """
    if screenshot:
        return np.clip(rgb * 255 + 0.5, 0, 255).astype(np.uint8)
    h, w = rgb.shape[:2]
    scale = np.sqrt(h * w / 1e6)  # effects are specified at 1 MP
    gains = 1 + rng.uniform(-level.white_balance, level.white_balance, 3)
    gains /= gains.mean()
    exposure, noise = 1.0, rng.uniform(0.3, 1.0) * level.noise_sigma
    if rng.random() < level.low_light_p:
        exposure = rng.uniform(0.35, 0.65)
        noise *= 2.0
    # White balance, exposure, vignetting and uneven light are one per-pixel gain: a single pass.
    v = rng.uniform(0.3, 1.0) * level.vignette
    yy, xx = np.ogrid[-1 : 1 : 64j, -1 : 1 : 64j]
    falloff = 1 - v * np.clip((xx**2 + yy**2) / 2, 0, 1)
    angle = rng.uniform(0, 2 * np.pi)
    falloff = falloff * (1 + rng.uniform(0, level.uneven_light) / 2 * (np.cos(angle) * xx + np.sin(angle) * yy) / np.sqrt(2))
    falloff = falloff.astype(np.float32)
    gain = cv2.resize(falloff, (w, h), interpolation=cv2.INTER_LINEAR)[..., None] * (gains * exposure).astype(np.float32)
    img = cv2.multiply(rgb, gain)
    if rng.random() < level.motion_p:
        length = rng.uniform(3, max(level.motion_px, 3.5)) * scale
        img = _motion_blur(img, length, rng.uniform(0, 180))
    else:
        sigma = rng.uniform(0.0, level.defocus_sigma) * scale
        if sigma > 0.3:
            img = cv2.GaussianBlur(img, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)
    if noise > 0:
        grain = _grain(rng, w, h)
        # Shot noise grows with brightness; the floor keeps shadows from going clean.
        amp = cv2.max(img, 0.0) * np.float32(0.7) + np.float32(0.3)
        img += cv2.multiply(grain, amp, scale=noise * 1.6 / 255)
    return cv2.convertScaleAbs(cv2.max(img, 0.0), alpha=255.0)


def pick_orientation(rng: np.random.Generator, level: CameraLevel) -> int:
    """An EXIF orientation: 1 (upright, no tag) or, with chance `exif_p`, one of 3, 6, 8."""
    if rng.random() >= level.exif_p:
        return 1
    return int(rng.choice([3, 6, 8]))


def encode_jpeg(rgb: np.ndarray, quality: int, orientation: int = 1) -> bytes:
    """Encode the upright image `rgb` (H, W, 3) uint8 as JPEG bytes.

    With `orientation` in 3, 6, 8 the stored pixels are rotated and the EXIF tag says how to turn
    them upright again, as a phone held sideways does. Fixed encoder settings keep it reproducible.
    """
    image = Image.fromarray(rgb, "RGB")
    exif = Image.Exif()
    if orientation != 1:
        image = image.transpose(STORE_TRANSPOSE[orientation])
        exif[EXIF_ORIENTATION_TAG] = orientation
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=int(quality), subsampling=JPEG_SUBSAMPLING, optimize=False,
               progressive=False, exif=exif.tobytes() if orientation != 1 else b"")
    return buf.getvalue()


def write_jpeg(path: Path, rgb: np.ndarray, quality: int, orientation: int = 1) -> None:
    """`encode_jpeg` to a file."""
    Path(path).write_bytes(encode_jpeg(rgb, quality, orientation))
