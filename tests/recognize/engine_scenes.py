"""Photos for the engine tests: references warped onto noisy surfaces with known outlines."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

# The drawing helpers live beside the index tests; load them by path (tests/ is not a package).
_spec = importlib.util.spec_from_file_location("engine_drawing", Path(__file__).parents[1] / "index" / "engine_drawing.py")
drawing = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(drawing)

LOGOS = 12
COVERS = 3


def background(seed: int, width: int = 900, height: int = 675, level: float = 1.0) -> np.ndarray:
    """A blotchy, noisy (H, W, 3) uint8 surface that matches nothing in the catalogue."""
    rng = np.random.default_rng(seed)
    base = cv2.resize(rng.integers(40, 200, (height // 60 + 2, width // 60 + 2, 3), dtype=np.uint8),
                      (width, height), interpolation=cv2.INTER_CUBIC)
    return np.clip(base * level + rng.normal(0, 6, base.shape), 0, 255).astype(np.uint8)


def paste(photo: np.ndarray, rgb: np.ndarray, quad: np.ndarray, ink: np.ndarray | None = None) -> None:
    """Warp `rgb` (h, w, 3) onto `photo` so its corners land on `quad` (4, 2); `ink` (h, w) in 0..1 is
    the opacity (None: opaque)."""
    h, w = rgb.shape[:2]
    H = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), np.float32(quad))
    size = (photo.shape[1], photo.shape[0])
    warped = cv2.warpPerspective(rgb, H, size, flags=cv2.INTER_AREA)
    alpha = np.ones((h, w), np.float32) if ink is None else ink.astype(np.float32)
    a = cv2.warpPerspective(alpha, H, size, flags=cv2.INTER_LINEAR)[..., None]
    photo[:] = (photo * (1 - a) + warped * a).astype(np.uint8)


def rect_quad(cx: float, cy: float, w: float, h: float, angle_deg: float = 0.0) -> np.ndarray:
    """Corners TL, TR, BR, BL of a w x h rectangle centred at (cx, cy), turned by angle (clockwise on screen)."""
    t = np.deg2rad(angle_deg)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]]) @ rot.T
    return corners + [cx, cy]


def logo_gray(catalog: Path, i: int) -> np.ndarray:
    return drawing.draw_logo(1000 + i)


def cover_rgb(catalog: Path, i: int) -> np.ndarray:
    return np.asarray(Image.open(catalog.parent / "images" / f"cover{i}.jpg").convert("RGB"))


def save(photo: np.ndarray, path: Path) -> Path:
    Image.fromarray(photo).save(path, quality=90)
    return path
