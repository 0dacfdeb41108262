"""What a scene gets to draw with: the photo size, a random generator, difficulty, reference images."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from knowyourband.errors import CatalogError


@dataclass(frozen=True)
class Level:
    """Geometry of one difficulty level; the camera's part lives in `camera.CAMERA_LEVELS`."""

    tilt_deg: float  # largest out-of-plane tilt of a flat object
    rotation_deg: float  # largest in-plane rotation either way (180 = any)
    occlusion: float  # largest fraction of an object that occluders aim to hide
    occlusion_p: float  # chance that an object gets an occluder at all
    scale: tuple[float, float]  # main object's longer side, as a fraction of the photo's short side


LEVELS = {
    "easy": Level(tilt_deg=20, rotation_deg=8, occlusion=0.1, occlusion_p=0.2, scale=(0.45, 0.75)),
    "medium": Level(tilt_deg=35, rotation_deg=30, occlusion=0.25, occlusion_p=0.45, scale=(0.3, 0.6)),
    "hard": Level(tilt_deg=45, rotation_deg=180, occlusion=0.4, occlusion_p=0.65, scale=(0.18, 0.45)),
}


# Decoded references are kept per process: a poster reuses dozens of logos and a benchmark of 400
# photos draws each reference several times. Covers are big (up to 1400 px, 6 MB as uint8), so
# fewer of them are kept than of logo inks.
@functools.lru_cache(maxsize=24)
def _rgb(path: str) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


@functools.lru_cache(maxsize=96)
def _ink(path: str) -> np.ndarray:
    """A logo's ink as uint8 (h, w): alpha for white-on-transparent images, darkness otherwise."""
    with Image.open(path) as im:
        if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
            alpha = np.asarray(im.convert("RGBA"))[..., 3]
            if alpha.min() < 250:
                return alpha
        return 255 - np.asarray(im.convert("L"))


class References:
    """The catalogue's photographable references (distractors excluded) and their pixels."""

    def __init__(self, catalog_path: Path):
        self.root = Path(catalog_path).parent
        try:
            data = json.loads(Path(catalog_path).read_text())
        except (OSError, ValueError) as exc:
            raise CatalogError(f"cannot read catalogue {catalog_path}: {exc}; run `kyb synth catalog` first") from exc
        refs = [r for r in data.get("references", []) if not r.get("distractor")]
        self.logos = [r for r in refs if r["kind"] == "logo"]
        self.albums = [r for r in refs if r["kind"] == "album"]
        self.band_names = sorted({b["name"] for b in data.get("bands", []) if b.get("name")})
        if not self.logos or not self.albums:
            raise CatalogError(f"{catalog_path} needs at least one non-distractor logo and one album reference")

    def album(self, ref: dict[str, Any]) -> np.ndarray:
        """A cover's pixels: (h, w, 3) float32 in [0, 1]."""
        return _rgb(str(self.root / ref["image"])).astype(np.float32) / 255

    def logo_ink(self, ref: dict[str, Any]) -> np.ndarray:
        """A logo's ink coverage (h, w) float32 in [0, 1]: darkness for black-on-white references,
        alpha for white-on-transparent ones. Coloured art has no ink of its own (`logo_print`)."""
        return _ink(str(self.root / ref["image"])).astype(np.float32) / 255

    def logo_size(self, ref: dict[str, Any]) -> tuple[int, int]:
        """A logo reference image's (height, width) in pixels, read through the cache `logo_print`
        reads it through, so that the image is decoded once."""
        path = str(self.root / ref["image"])
        return (_rgb(path) if ref.get("polarity") == "color" else _ink(path)).shape[:2]

    def logo_print(self, ref: dict[str, Any], colour: tuple[float, float, float],
                   opacity: float = 1.0) -> tuple[np.ndarray | tuple[float, float, float], np.ndarray]:
        """What a scene pastes for a logo (`Canvas.paste`'s rgb and alpha): its ink in one `colour`,
        or coloured art as it is, backdrop included. Read as ink, coloured art's dark backdrop would
        print as a solid block with the lettering a faint change of shade inside it. `opacity`
        scales the coverage."""
        if ref.get("polarity") == "color":
            art = _rgb(str(self.root / ref["image"])).astype(np.float32) / 255
            return art, np.full(art.shape[:2], opacity, np.float32)
        return colour, self.logo_ink(ref) * np.float32(opacity)


@dataclass
class SceneContext:
    """Everything a scene's `render` needs; scenes draw only through `rng` so photos are reproducible."""

    rng: np.random.Generator
    width: int
    height: int
    difficulty: str
    refs: References

    @property
    def level(self) -> Level:
        return LEVELS[self.difficulty]

    @property
    def short(self) -> int:
        return min(self.width, self.height)

    def pick_albums(self, n: int) -> list[dict[str, Any]]:
        """`n` distinct album references (fewer if the catalogue is smaller)."""
        idx = self.rng.choice(len(self.refs.albums), size=min(n, len(self.refs.albums)), replace=False)
        return [self.refs.albums[i] for i in idx]

    def pick_logos(self, n: int) -> list[dict[str, Any]]:
        """`n` distinct logo references (fewer if the catalogue is smaller)."""
        idx = self.rng.choice(len(self.refs.logos), size=min(n, len(self.refs.logos)), replace=False)
        return [self.refs.logos[i] for i in idx]

    def rotation(self) -> float:
        """An in-plane rotation for this difficulty, in degrees."""
        r = self.level.rotation_deg
        return float(self.rng.uniform(-r, r))

    def tilt(self) -> tuple[float, float]:
        """(tilt, tilt axis) in degrees for a flat object seen at an angle."""
        return float(self.rng.uniform(0, self.level.tilt_deg)), float(self.rng.uniform(0, 180))

    def occlusion(self) -> float | None:
        """The share of an object to hide, or None for no occluder (level.occlusion_p of the time)."""
        if self.rng.random() >= self.level.occlusion_p:
            return None
        return float(self.rng.uniform(0.03, self.level.occlusion))

    def object_size(self, factor: float = 1.0) -> float:
        """A main object's longer side in pixels for this difficulty."""
        lo, hi = self.level.scale
        return float(self.rng.uniform(lo, hi) * self.short * factor)
