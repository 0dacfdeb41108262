"""Check a benchmark's quads against its photos: rectify each cover and compare it with its reference."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageOps

from knowyourband.errors import KybError
from knowyourband.synth import geometry as geo

log = logging.getLogger(__name__)

SIDE = 96  # rectified patch size: enough detail to tell a 4 % shift, cheap to compare
SHIFT = 0.04  # how far (share of the quad's top edge) the control quads are moved
MAX_OCCLUDED = 0.05  # covers hidden more than this are skipped: a thumb would lower the score


def ncc(photo: np.ndarray, quad: np.ndarray, reference: np.ndarray, side: int = SIDE) -> float:
    """Normalised cross-correlation of the photo rectified through `quad` (4, 2) with `reference`.

    photo, reference: greyscale (H, W) uint8. Returns a value in [-1, 1].
    """
    h = geo.homography(quad, geo.corners(side, side))
    patch = cv2.warpPerspective(photo, geo.to_opencv(h), (side, side), flags=cv2.INTER_AREA).astype(np.float32)
    target = cv2.resize(reference, (side, side), interpolation=cv2.INTER_AREA).astype(np.float32)
    a, b = patch.ravel() - patch.mean(), target.ravel() - target.mean()
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))


def check_alignment(bench_dir: Path) -> dict[str, dict[str, Any]]:
    """Score every lightly occluded album quad of `bench_dir` against quads moved by `SHIFT`.

    Returns per scene (and "all"): covers checked, median NCC at the annotated quad, median of the
    best NCC among the four moved quads, and how many covers the annotated quad matches best.
    Logos are skipped: most of a logo image is empty paper, which any nearby quad matches too.
    """
    bench_dir = Path(bench_dir)
    try:
        data = json.loads((bench_dir / "annotations.json").read_text())
        catalog_path = (bench_dir / data["catalog"]).resolve()
        refs = {r["id"]: r for r in json.loads(catalog_path.read_text())["references"]}
    except (OSError, ValueError, KeyError) as exc:
        raise KybError(f"cannot read the benchmark {bench_dir} and its catalogue: {exc}") from exc
    images = {im["id"]: im for im in data["images"]}
    by_image: dict[int, list[dict]] = defaultdict(list)
    for ann in data["annotations"]:
        if ann["kind"] == "album" and ann["occluded"] <= MAX_OCCLUDED:
            by_image[ann["image_id"]].append(ann)
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for image_id, anns in sorted(by_image.items()):
        image = images[image_id]
        try:
            with Image.open(bench_dir / image["file_name"]) as im:
                photo = np.asarray(ImageOps.exif_transpose(im).convert("L"))
        except OSError as exc:
            raise KybError(f"cannot open {bench_dir / image['file_name']}: {exc}; regenerate the benchmark") from exc
        for ann in anns:
            path = catalog_path.parent / refs[ann["reference_id"]]["image"]
            try:
                with Image.open(path) as im:
                    reference = np.asarray(im.convert("L"))
            except OSError as exc:
                raise KybError(f"cannot open reference {path}: {exc}; is this the catalogue the photos show?") from exc
            quad = np.array(ann["quad"])
            d = SHIFT * np.linalg.norm(quad[1] - quad[0])
            moved = max(ncc(photo, quad + s, reference) for s in ([d, 0], [-d, 0], [0, d], [0, -d]))
            scores[image["scene"]].append((ncc(photo, quad, reference), moved))
    scores["all"] = [s for scene in list(scores) for s in scores[scene]]

    def summary(values: list[tuple[float, float]]) -> dict[str, Any]:
        at, moved = np.array(values).reshape(-1, 2).T
        return {"covers": len(values), "ncc": round(float(np.median(at)), 3) if values else None,
                "moved_ncc": round(float(np.median(moved)), 3) if values else None,
                "annotated_best": int((at > moved).sum())}

    return {scene: summary(values) for scene, values in sorted(scores.items())}
