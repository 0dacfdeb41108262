"""The reference images a baseline describes, with the identities its results name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

from knowyourband.imageio import load_image
from knowyourband.result import BandRef, Candidate, ReleaseRef


@dataclass(frozen=True)
class Reference:
    """One reference as a baseline needs it: identity for the result, image for description."""

    id: int
    key: str
    kind: str  # "logo" | "album"
    band: BandRef
    release: ReleaseRef | None
    image: Path

    @property
    def identity(self) -> str:
        """What evaluation compares: the release for an album, the band for a logo."""
        return self.release.key if self.kind == "album" and self.release else self.band.key

    def candidate(self, score: float) -> Candidate:
        return Candidate(self.id, self.key, self.band, self.release, float(score))


def from_catalog(catalog, image_path) -> list[Reference]:
    """Every reference of a `knowyourband.catalog.Catalog`, in id order.

    image_path: a function from a catalogue reference row to the image file to describe.
    """
    bands: dict[int, BandRef] = {}
    releases: dict[int, ReleaseRef | None] = {}
    out = []
    for row in catalog.references():
        if row.band_id not in bands:
            bands[row.band_id] = catalog.band_ref(row.band_id)
        if row.release_id not in releases:
            releases[row.release_id] = catalog.release_ref(row.release_id)
        out.append(Reference(row.id, row.key, row.kind, bands[row.band_id], releases[row.release_id],
                             Path(image_path(row))))
    return out


def gray_images(references: list[Reference], max_side: int) -> Iterator[np.ndarray]:
    """Each reference image as (H, W) uint8 grey, long side at most max_side, in order.

    Transparent pixels (white-on-transparent logos: the alpha is the ink) are composited on
    black so the ink stays visible whatever its colour.
    """
    for ref in references:
        yield cv2.cvtColor(rgb_image(ref.image, max_side), cv2.COLOR_RGB2GRAY)


def rgb_image(path: Path, max_side: int) -> np.ndarray:
    """A reference image as (H, W, 3) uint8 RGB, alpha composited on black, long side <= max_side."""
    img = load_image(path, max_side=max_side)
    rgb = img.rgb
    if img.alpha is not None:
        rgb = (rgb.astype(np.uint16) * img.alpha[..., None] // 255).astype(np.uint8)
    return shrink(rgb, max_side)


def shrink(image: np.ndarray, max_side: int) -> np.ndarray:
    """Downscale (H, W[, C]) so its long side is at most max_side; never upscale."""
    h, w = image.shape[:2]
    scale = max_side / max(h, w)
    if scale >= 1.0:
        return image
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)
