"""Procedural backgrounds: wood, fabric, painted walls, concrete, crowds, tables. Nothing downloaded.

Each texture is built from low-resolution noise resized up (cheap at 4 MP) and returns
(H, W, 3) float32 in [0, 1].
"""

from __future__ import annotations

from typing import Callable

import cv2
import numpy as np


def smooth_noise(rng: np.random.Generator, width: int, height: int, cell: float, channels: int = 1) -> np.ndarray:
    """Value noise with features about `cell` pixels wide: (H, W) or (H, W, C) float32, ~N(0, 1)."""
    gw, gh = max(2, int(width / cell) + 2), max(2, int(height / cell) + 2)
    shape = (gh, gw) if channels == 1 else (gh, gw, channels)
    small = rng.standard_normal(shape, dtype=np.float32)
    return cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)


def soft_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur by `sigma` px; wide blurs run on a shrunken copy (same look, far cheaper)."""
    if sigma <= 4:
        return cv2.GaussianBlur(image, (0, 0), max(sigma, 0.1))
    h, w = image.shape[:2]
    f = sigma / 2
    small = cv2.resize(image, (max(int(w / f), 1), max(int(h / f), 1)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), 2.0)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def fractal_noise(rng: np.random.Generator, width: int, height: int, cell: float, octaves: int = 4) -> np.ndarray:
    """Sum of `octaves` value-noise layers, each half the size and weight: (H, W) float32."""
    out = np.zeros((height, width), np.float32)
    for i in range(octaves):
        out += smooth_noise(rng, width, height, max(cell / 2**i, 1.5)) * np.float32(0.5**i)
    return out


def random_color(rng: np.random.Generator, lo: float = 0.0, hi: float = 1.0) -> np.ndarray:
    """A colour (3,) float32 with each channel in [lo, hi]."""
    return rng.uniform(lo, hi, 3).astype(np.float32)


def wood(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """Planks of wood grain, a table top or a floor, running across or along the photo."""
    if rng.random() < 0.5:
        return np.ascontiguousarray(_planks(rng, height, width).transpose(1, 0, 2))
    return _planks(rng, width, height)


def _planks(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    base = np.array(rng.choice([[0.55, 0.36, 0.2], [0.35, 0.22, 0.12], [0.7, 0.55, 0.38], [0.25, 0.17, 0.12]]), np.float32)
    s = min(width, height)
    yy = np.arange(height, dtype=np.float32)[:, None]
    warp = fractal_noise(rng, width, height, s / 2, 2) * (s / 150)
    rings = np.sin((yy + warp) * np.float32(2 * np.pi / rng.uniform(s / 50, s / 20)))
    rings = rings * rings * rings  # sharper dark rings than a plain sine
    # Fibres: noise stretched along the plank, fine across it.
    fibres = cv2.resize(rng.standard_normal((max(height // 2, 2), max(width // 60, 2)), dtype=np.float32), (width, height),
                        interpolation=cv2.INTER_LINEAR)
    grain = 0.78 + 0.08 * rings + 0.05 * fibres + 0.06 * fractal_noise(rng, width, height, s / 4, 2)
    plank = max(int(s / rng.uniform(3, 7)), 8)
    seams = (np.arange(height) % plank) < max(2, s // 400)
    grain[seams] *= 0.55
    return grain[..., None] * base


def fabric(rng: np.random.Generator, width: int, height: int, color: np.ndarray | None = None) -> np.ndarray:
    """Woven cloth: a fine weave pattern under soft folds' shading."""
    color = random_color(rng, 0.05, 0.8) if color is None else color
    k = np.float32(2 * np.pi / rng.uniform(3.0, 6.0))
    weave = 0.92 + 0.08 * np.outer(np.sin(np.arange(height, dtype=np.float32) * k), np.sin(np.arange(width, dtype=np.float32) * k))
    folds = 1 + 0.18 * smooth_noise(rng, width, height, min(width, height) / 4)
    return (weave * folds)[..., None] * color


def wall(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """Painted plaster or brick."""
    s = min(width, height)
    color = random_color(rng, 0.3, 0.9)
    img = (0.9 + 0.05 * fractal_noise(rng, width, height, s / 6) + 0.03 * smooth_noise(rng, width, height, 2))[..., None] * color
    if rng.random() < 0.4:  # brick courses
        brick_h = max(int(s / rng.uniform(12, 25)), 6)
        mortar = np.zeros((height, width), np.float32)
        mortar[(np.arange(height) % brick_h) < max(2, brick_h // 8)] = 1
        rows = np.arange(height) // brick_h
        xs = (np.arange(width)[None, :] + (rows[:, None] % 2) * brick_h) % (brick_h * 2)
        mortar[xs < max(2, brick_h // 8)] = 1
        img = img * (1 - mortar[..., None]) + mortar[..., None] * np.float32(0.75)
    return img


def concrete(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """Grey concrete or asphalt, speckled."""
    g = rng.uniform(0.25, 0.65)
    n = 0.08 * fractal_noise(rng, width, height, min(width, height) / 5) + 0.05 * smooth_noise(rng, width, height, 1.5)
    return np.repeat((g + n)[..., None], 3, axis=2) * np.float32([1.0, 0.98, 0.95])


def crowd(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """A dim venue: dark haze, coloured stage lights and blurred head-and-shoulder blobs."""
    img = np.zeros((height, width, 3), np.float32)
    s = min(width, height)
    for _ in range(int(rng.integers(2, 5))):  # stage lights
        c = random_color(rng, 0.2, 1.0)
        cx, cy = rng.uniform(0, width), rng.uniform(0, height * 0.5)
        blob = np.zeros((height, width), np.float32)
        cv2.circle(blob, (int(cx), int(cy)), int(s * rng.uniform(0.1, 0.4)), 1.0, -1)
        img += soft_blur(blob, s * 0.12)[..., None] * c * 0.6
    people = np.zeros((height, width), np.float32)
    for _ in range(int(rng.integers(8, 25))):
        x, y = int(rng.uniform(0, width)), int(rng.uniform(height * 0.35, height * 1.1))
        r = int(s * rng.uniform(0.04, 0.1))
        cv2.circle(people, (x, y), r, 1.0, -1)
        cv2.ellipse(people, (x, y + int(r * 2.6)), (int(r * 2.2), int(r * 1.8)), 0, 0, 360, 1.0, -1)
    people = soft_blur(people, s * 0.006)
    img = img * (1 - 0.85 * people[..., None]) + 0.03
    return img + 0.03 * smooth_noise(rng, width, height, s / 10)[..., None]


def table(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """A plain laminate or tablecloth table."""
    if rng.random() < 0.5:
        return fabric(rng, width, height)
    color = random_color(rng, 0.2, 0.95)
    return (0.95 + 0.04 * fractal_noise(rng, width, height, min(width, height) / 4, 2))[..., None] * color


BACKGROUNDS: dict[str, Callable[[np.random.Generator, int, int], np.ndarray]] = {
    "wood": wood, "fabric": fabric, "wall": wall, "concrete": concrete, "crowd": crowd, "table": table,
}


def background(rng: np.random.Generator, width: int, height: int, kinds: tuple[str, ...] | None = None) -> np.ndarray:
    """One random background among `kinds` (all when None): (H, W, 3) float32 in [0, 1].

    Drawn at half size and enlarged: a background sits behind the subject, a little out of focus,
    and this halves the cost of the biggest layer of every photo.
    """
    names = kinds or tuple(BACKGROUNDS)
    name = names[int(rng.integers(len(names)))]
    img = np.ascontiguousarray(BACKGROUNDS[name](rng, (width + 1) // 2, (height + 1) // 2), dtype=np.float32)
    img = cv2.resize(img, (width, height), interpolation=cv2.INTER_LINEAR)
    return np.clip(img, 0, 1, out=img)
