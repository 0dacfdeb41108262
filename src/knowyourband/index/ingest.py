"""Read one reference image: features, thumbnail, hashes. Runs in worker processes during a build."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from knowyourband.embed.glyph import reference_glyph
from knowyourband.errors import KybError
from knowyourband.features import FeatureConfig, extract, reference_gray
from knowyourband.index import covers

THUMBNAIL_SIDE = 256
THUMBNAIL_QUALITY = 80


@dataclass
class Ingested:
    """One processed reference. keypoints (N, 4) float32, descriptors (N, 128) float16.

    Half floats: a build holds every descriptor until the vector index is trained (37M of them, 9.4 GB
    as float16, for 100k references). RootSIFT components lie in [0, 1], where float16 keeps three
    significant digits; the index stores 8-bit codes of them anyway. The build moves them out of the
    item as it arrives (`descriptors` is None after that).
    """

    reference_id: int
    keypoints: np.ndarray | None = None
    descriptors: np.ndarray | None = None
    width: int = 0
    height: int = 0
    sha256: str = ""
    phash: str = ""
    glyph: np.ndarray | None = None  # (HEIGHT, WIDTH) uint8 for a logo: what the logo embedder reads
    cover: np.ndarray | None = None  # (features.cover.DIM,) float16 for a cover: its picture as a whole
    error: str | None = None


def dhash(gray: np.ndarray) -> str:
    """64-bit difference hash of a gray image, hex: near-identical images get near-identical hashes."""
    small = cv2.resize(gray, (9, 8), interpolation=cv2.INTER_AREA).astype(np.int16)
    bits = (small[:, 1:] > small[:, :-1]).ravel()
    return f"{int(''.join('1' if b else '0' for b in bits), 2):016x}"


def thumbnail(rgb: np.ndarray, alpha: np.ndarray | None) -> bytes:
    """A JPEG of at most THUMBNAIL_SIDE px; transparency is flattened onto mid grey so white ink shows.

    OpenCV's area filter, on colour premultiplied by alpha (so transparent pixels' colour never
    bleeds into the ink's edges): 12 instead of 19 ms a reference than Pillow's Lanczos.
    """
    h, w = rgb.shape[:2]
    scale = min(1.0, THUMBNAIL_SIDE / max(h, w))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    if alpha is not None:
        opacity = alpha.astype(np.float32) / 255.0
        ink = rgb.astype(np.float32) * opacity[..., None]
        if scale < 1.0:
            ink = cv2.resize(ink, size, interpolation=cv2.INTER_AREA)
            opacity = cv2.resize(opacity, size, interpolation=cv2.INTER_AREA)
        rgb = np.clip(ink + 128.0 * (1.0 - opacity[..., None]), 0, 255).astype(np.uint8)
    elif scale < 1.0:
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()


def reference_pixels(data: bytes, max_side: int):
    """A reference image's bytes decoded as the index reads them -> (LoadedImage, (H, W) uint8 gray, ink
    dark on white). Decoding at most twice the feature resolution skips most of a huge file's pixels."""
    from knowyourband.imageio import load_image

    loaded = load_image(data, max_side=2 * max_side)
    return loaded, reference_gray(loaded.rgb, loaded.alpha)


def ingest(reference_id: int, image: str, thumb_path: str, config: FeatureConfig, kind: str) -> Ingested:
    """Process the reference image at `image` (a `kind` "logo" or "album"); write its thumbnail to `thumb_path`.

    Never raises for a bad image: the error comes back in `Ingested.error` so the build goes on.
    """
    try:
        data = Path(image).read_bytes()
        loaded, gray = reference_pixels(data, config.max_side)
    except (OSError, KybError) as exc:
        return Ingested(reference_id, error=str(exc))
    feats = extract(gray, config)
    if len(feats) == 0:
        return Ingested(reference_id, error="no features found: the image is blank or too small")
    kp = feats.keypoints.copy()
    # Keypoints are kept in the original image's pixels: that is the frame the outline is drawn in.
    kp[:, :3] /= loaded.scale
    thumb = thumbnail(loaded.rgb, loaded.alpha)
    Path(thumb_path).write_bytes(thumb)
    return Ingested(reference_id, kp, feats.descriptors.astype(np.float16), loaded.width, loaded.height,
                    hashlib.sha256(data).hexdigest(), dhash(gray),
                    glyph=reference_glyph(gray) if kind == "logo" else None,
                    cover=covers.of_media(thumb) if kind == "album" else None)
