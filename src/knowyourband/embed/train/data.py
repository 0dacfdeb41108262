"""Training glyphs from KYB-Synth benchmark folders: each photographed logo and its reference."""

from __future__ import annotations

import logging
import multiprocessing
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from knowyourband.catalog import load_source
from knowyourband.embed.glyph import photo_glyph, reference_glyph
from knowyourband.errors import KybError
from knowyourband.evaluate.groundtruth import load_benchmark
from knowyourband.features import reference_gray
from knowyourband.imageio import load_image

log = logging.getLogger(__name__)

JITTERS = 4  # views of each photographed logo: its true box, then boxes moved and resized as a detector's are
SHIFT, ZOOM = 0.08, 0.12  # standard deviations of the jitter: centre (share of the side), log size


@dataclass
class Glyphs:
    references: np.ndarray  # (R, H, W) uint8, one per logo reference
    bands: list[str]  # (R,) the band of each reference (several references may share one)
    photos: np.ndarray  # (P, H, W) uint8 views of photographed logos
    labels: np.ndarray  # (P,) int64 index into `references`


def _jittered(box: list[float], rng: np.random.Generator) -> list[float]:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2 + rng.normal(0, SHIFT) * w, (y0 + y1) / 2 + rng.normal(0, SHIFT) * h
    sw, sh = np.exp(rng.normal(0, ZOOM, 2))
    return [cx - w * sw / 2, cy - h * sh / 2, cx + w * sw / 2, cy + h * sh / 2]


def _reference(path: str) -> np.ndarray:
    image = load_image(path)
    return reference_glyph(reference_gray(image.rgb, image.alpha))


def _views(job: tuple[Path, list[list[float]]]) -> list[np.ndarray | None]:
    path, boxes = job
    gray = cv2.cvtColor(load_image(path).rgb, cv2.COLOR_RGB2GRAY)
    return [photo_glyph(gray, box) for box in boxes]


def _cut(ref_paths: list[str], jobs: list[tuple[Path, list[list[float]]]],
         workers: int) -> tuple[list[np.ndarray], list[list[np.ndarray | None]]]:
    """The reference glyphs and each photo's views, by `workers` processes."""
    if workers <= 1:
        return [_reference(p) for p in ref_paths], [_views(job) for job in jobs]
    # spawn, not fork: the parent may hold torch/OpenCV threads that a fork would copy half-alive.
    with multiprocessing.get_context("spawn").Pool(workers, initializer=cv2.setNumThreads, initargs=(1,)) as pool:
        return pool.map(_reference, ref_paths, chunksize=16), pool.map(_views, jobs, chunksize=16)


def load_glyphs(bench_dirs: list[Path | str], seed: int, workers: int = 1) -> Glyphs:
    """Every logo reference of the benchmarks' catalogues and JITTERS views of every logo their
    photos show (the catalogue is the one `annotations.json` names). The boxes are drawn here, in
    order, so `workers` processes cutting the pixels give the same glyphs as one."""
    rng = np.random.default_rng(seed)
    ref_paths, bands, jobs, labels = [], [], [], []
    for bench_dir in bench_dirs:
        bench = load_benchmark(bench_dir)
        catalog = bench.info.get("catalog")
        if not catalog:
            raise KybError(f"{bench_dir}: annotations.json names no catalogue; make it with `kyb synth photos`")
        source = load_source(Path(bench_dir) / catalog)
        # Band ids are unique within a catalogue only (every synthetic one starts at b00001).
        catalog_key = str((Path(bench_dir) / catalog).resolve())
        position = {}
        for ref in source.references:
            if ref["kind"] != "logo":
                continue
            position[ref["id"]] = len(ref_paths)
            ref_paths.append(ref["image"])
            bands.append(f"{catalog_key}#{ref['band_id']}")
        for photo in bench.photos:
            logos = [o for o in photo.objects if o.kind == "logo" and o.reference_id in position]
            if not logos:
                continue
            boxes, photo_labels = [], []
            for o in logos:
                for j in range(JITTERS):
                    boxes.append(o.box if j == 0 else _jittered(o.box, rng))
                    photo_labels.append(position[o.reference_id])
            jobs.append((bench.path(photo), boxes))
            labels.append(photo_labels)
    refs, views_of_photos = _cut(ref_paths, jobs, workers)
    photos, kept = [], []
    for views, photo_labels in zip(views_of_photos, labels):
        for glyph, label in zip(views, photo_labels):
            if glyph is not None:
                photos.append(glyph)
                kept.append(label)
    log.info("%d logo references, %d photographed views", len(refs), len(photos))
    if not photos:
        raise KybError(f"{', '.join(map(str, bench_dirs))}: no photographed logos to train on")
    return Glyphs(np.stack(refs), bands, np.stack(photos), np.asarray(kept, np.int64))
