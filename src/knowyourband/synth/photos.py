"""`generate_photos`: realistic photos of a catalogue's logos and covers, with COCO-style ground truth."""

from __future__ import annotations

import functools
import json
import logging
import multiprocessing
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from knowyourband.errors import KybError
from knowyourband.synth import camera
from knowyourband.synth import geometry as geo
from knowyourband.synth.scenes import SCENE_WEIGHTS, SCENES, scene_module
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import LEVELS, References, SceneContext

log = logging.getLogger(__name__)

DIFFICULTIES = tuple(LEVELS)
# Upright photo sizes a phone or camera writes, 1.2-4 MP; each photo is landscape or portrait.
SIZES = ((1280, 960), (1600, 1200), (2000, 1500), (2304, 1728), (1920, 1080), (2560, 1440), (1800, 1200))
PORTRAIT_P = 0.4
CATEGORIES = [{"id": 1, "name": "album"}, {"id": 2, "name": "logo"}]
CATEGORY_ID = {"album": 1, "logo": 2}
MIN_VISIBLE_PX = 16  # an object that shows fewer pixels than this is not in the photo
# Raised whenever the same arguments draw other pixels, so that photos made before are not taken for
# these (2: coloured logo art printed as it is, not as ink).
RENDERING = 2


class SynthError(KybError):
    """Photo generation was asked for something it cannot do."""


def plan(count: int, seed: int, scenes: list[str] | None = None, difficulty: str | None = None) -> list[tuple[str, str]]:
    """The (scene, difficulty) of each photo: counts follow the mix exactly, the order is shuffled.

    Scenes share `count` by their default weights (largest remainders), so every scene named
    appears once `count` reaches their number; difficulties split in thirds unless one is fixed.
    """
    names = list(scenes) if scenes else list(SCENES)
    unknown = [s for s in names if s not in SCENE_WEIGHTS]
    if unknown:
        raise SynthError(f"unknown scene(s) {', '.join(unknown)}; choose from {', '.join(SCENES)}")
    if difficulty is not None and difficulty not in LEVELS:
        raise SynthError(f"unknown difficulty {difficulty!r}; choose from {', '.join(DIFFICULTIES)}")
    rng = np.random.default_rng([seed, 0x5CE7E])

    def split(keys: list[str], weights: list[float]) -> list[str]:
        share = np.array(weights, float) / sum(weights) * count
        n = np.floor(share).astype(int)
        for i in np.argsort(-(share - n), kind="stable")[: count - n.sum()]:
            n[i] += 1
        out = [k for k, c in zip(keys, n) for _ in range(c)]
        return [out[i] for i in rng.permutation(len(out))]

    scene_list = split(names, [SCENE_WEIGHTS[s] for s in names])
    levels = [difficulty] * count if difficulty else split(list(DIFFICULTIES), [1, 1, 1])
    return list(zip(scene_list, levels))


def photo_size(rng: np.random.Generator, megapixels: float | None = None) -> tuple[int, int]:
    """An upright (width, height); `megapixels` rescales the chosen aspect ratio (small photos for tests)."""
    w, h = SIZES[int(rng.integers(len(SIZES)))]
    if megapixels:
        s = np.sqrt(megapixels * 1e6 / (w * h))
        w, h = int(round(w * s)), int(round(h * s))
    return (h, w) if rng.random() < PORTRAIT_P else (w, h)


@functools.lru_cache(maxsize=2)
def _references(catalog_path: str) -> References:
    return References(Path(catalog_path))


def _annotate(canvas: Canvas) -> list[dict[str, Any]]:
    """The COCO annotations of a rendered canvas's objects, in the upright photo's pixels.

    `occluded` compares the pixels an object still owns in the label map with the pixels its quad
    covers inside the photo, both counted on the same pixel grid so tiny logos are not biased.
    """
    visible = canvas.visible_pixels()
    out = []
    for obj in canvas.objects:
        quad = obj.quad()
        clipped = geo.clip_polygon(quad, canvas.width, canvas.height)
        area = geo.polygon_area(clipped)
        shown = visible.get(obj.label, 0)
        if area < MIN_VISIBLE_PX or shown < MIN_VISIBLE_PX:
            continue
        covered = max(canvas.quad_pixels(quad), shown)
        ref = obj.ref
        out.append({
            "kind": ref["kind"], "category_id": CATEGORY_ID[ref["kind"]],
            "reference_id": ref["id"], "band_id": ref.get("band_id"), "release_id": ref.get("release_id"),
            "bbox": [round(v, 2) for v in geo.bbox(clipped)],
            "quad": [[round(float(x), 2), round(float(y), 2)] for x, y in quad],
            "area": round(area, 1),
            "occluded": round(1 - shown / covered, 3),
        })
    return out


def render_photo(args: tuple[str, str, int, int, str, str, float | None]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Draw, shoot and write one photo; returns its `images` entry (without id) and its annotations.

    args: (out_dir, catalog_path, seed, index, scene, difficulty, megapixels). The photo's random
    stream depends only on (seed, index), so workers may run photos in any order.
    """
    out_dir, catalog_path, seed, index, scene, difficulty, megapixels = args
    rng = np.random.default_rng([seed, index])
    width, height = photo_size(rng, megapixels)
    module = scene_module(scene)
    ctx = SceneContext(rng=rng, width=width, height=height, difficulty=difficulty, refs=_references(catalog_path))
    canvas = module.render(ctx)
    annotations = _annotate(canvas)
    level = camera.CAMERA_LEVELS[difficulty]
    pixels = camera.shoot(canvas.rgb, rng, level, screenshot=module.SCREENSHOT)
    quality = int(rng.integers(level.jpeg_quality[0], level.jpeg_quality[1] + 1))
    orientation = 1 if module.SCREENSHOT else camera.pick_orientation(rng, level)
    name = f"{index + 1:06d}.jpg"
    camera.write_jpeg(Path(out_dir) / name, pixels, quality, orientation)
    image = {"file_name": name, "width": width, "height": height, "scene": scene, "difficulty": difficulty,
             "exif_orientation": orientation}
    return image, annotations


def generate_photos(out_dir: Path, catalog_path: Path, count: int, seed: int, scenes: list[str] | None = None,
                    difficulty: str | None = None, megapixels: float | None = None, workers: int = 1) -> Path:
    """Write `count` JPEG photos of `catalog_path`'s references and `out_dir/annotations.json`.

    Only non-distractor references appear. `scenes` restricts the scene mix, `difficulty` fixes
    the level, `megapixels` overrides the 1.2-4 MP sizes. Same arguments give the same bytes,
    whatever `workers`. Returns the annotations.json path.
    """
    if count < 0:
        raise SynthError("count must not be negative")
    out_dir = Path(out_dir)
    catalog_path = Path(catalog_path).resolve()
    _references(str(catalog_path))  # fail early, before any worker starts, if the catalogue is bad
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = [(str(out_dir), str(catalog_path), seed, i, scene, level, megapixels)
            for i, (scene, level) in enumerate(plan(count, seed, scenes, difficulty))]
    stale = sorted({p.name for p in out_dir.glob("*.jpg")} - {f"{i + 1:06d}.jpg" for i in range(count)})
    if stale:
        log.warning("%s already holds %d other photos (%s ...) that the new annotations.json will not list",
                    out_dir, len(stale), stale[0])
    start = time.perf_counter()
    if workers > 1 and count > 1:
        # spawn: a forked child would inherit OpenCV's thread pool half-alive.
        with multiprocessing.get_context("spawn").Pool(min(workers, os.cpu_count() or 1)) as pool:
            results = list(pool.imap(render_photo, jobs, chunksize=2))
    else:
        results = [render_photo(job) for job in jobs]
    images, annotations = [], []
    for image_id, (image, objects) in enumerate(results, 1):
        images.append({"id": image_id, **image})
        for obj in objects:
            annotations.append({"id": len(annotations) + 1, "image_id": image_id, **obj})
    data = {
        "info": {"generator": "kyb synth photos", "rendering": RENDERING, "seed": seed, "count": count,
                 "scenes": list(scenes) if scenes else list(SCENES), "difficulty": difficulty or "mixed",
                 "megapixels": megapixels},
        "catalog": os.path.relpath(catalog_path, out_dir.resolve()),
        "categories": CATEGORIES,
        "images": images,
        "annotations": annotations,
    }
    path = out_dir / "annotations.json"
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    log.info("%d photos, %d objects in %.1f s", len(images), len(annotations), time.perf_counter() - start)
    return path
