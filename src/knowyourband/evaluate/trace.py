"""Why was an object missed? Each ground-truth object followed through the engine's first pass.

`kyb eval` says how many objects were missed; this says where each one was lost, which is what
decides what to work on (docs/engine.md). For every annotated object of a benchmark photo:

- `found`: a reported placement of the right identity at IoU >= 0.5;
- `few-correspondences`: fewer than `min_inliers` tentative matches to its reference agree with its
  true outline (blur, tiny print, or its descriptors lost among other references');
- `not-shortlisted`: enough true matches, but the reference's votes were not in the shortlist;
- `not-verified`: shortlisted, but no plausible placement of the right identity came out;
- `below-threshold`: placed right, but under the score or inlier-ratio gate;
- `resolved-away`: placed right and above the gates, then dropped for an overlapping detection.

Only the first pass is traced; the second pass on detector boxes may still find a first-pass miss,
so `found` here can be lower than `kyb eval`'s count.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import cv2
import numpy as np

from knowyourband.baselines.references import Reference, from_catalog
from knowyourband.evaluate.groundtruth import GtObject, load_benchmark
from knowyourband.evaluate.metrics import iou
from knowyourband.imageio import load_image
from knowyourband.recognize.detections import Detection, quad_box, resolve
from knowyourband.recognize.recognizer import Pass, Recognizer
from knowyourband.verify import geometry

STAGES = ("found", "few-correspondences", "not-shortlisted", "not-verified", "below-threshold", "resolved-away")
TRUE_MATCH_PX = 8.0  # a tentative match within this of the true outline's prediction counts as right


def by_position(rec: Recognizer) -> list[Reference]:
    """The catalogue's references in index-position order, the order a Detection's `ref` counts in."""
    by_id = {r.id: r for r in from_catalog(rec.index.catalog, lambda row: row.image)}
    return [by_id[int(i)] for i in rec.index.locals.refs["id"]]


def first_pass(rec: Recognizer, path: Path) -> tuple[float, Pass]:
    """A photo's first pass (search and verification, before gates) and its working scale."""
    loaded = load_image(path, max_side=rec.config["max_side"])
    return loaded.scale, rec.search_and_verify(rec.photo_features(rec.working_gray(loaded.rgb)))


def names(d: Detection, reference: Reference, gt: GtObject, scale: float) -> bool:
    """Whether a placement (working pixels) names an annotated object: its identity at IoU >= 0.5."""
    return (reference.kind == gt.kind and reference.identity == gt.identity
            and iou((quad_box(d.quad) / scale).tolist(), gt.box) >= 0.5)


def trace(index_dir: str | Path, bench_dir: str | Path, scenes: set[str] | None = None,
          limit: int | None = None, conf: dict | None = None) -> list[dict]:
    """One row per annotated object: photo, scene, kind, stage and the counts behind it."""
    rec = Recognizer.open(index_dir, conf={**(conf or {}), "detector": False})
    references = by_position(rec)
    position = {r.key: p for p, r in enumerate(references)}
    bench = load_benchmark(bench_dir, limit=limit)
    rows = []
    for photo in bench.photos:
        if scenes and photo.scene not in scenes:
            continue
        scale, first = first_pass(rec, bench.path(photo))
        passing = first.passing(rec.config)
        kept, _ = resolve(passing, rec.config["max_overlap"], rec.config["min_inliers"])
        for gt in photo.objects:
            stage, counts = _stage(rec, references, position.get(gt.reference_id or ""), first, passing, kept, gt,
                                   scale)
            rows.append({"photo": photo.file_name, "scene": photo.scene, "difficulty": photo.difficulty,
                         "kind": gt.kind, "identity": gt.identity, "stage": stage, **counts})
    return rows


def _stage(rec: Recognizer, references: list[Reference], ref: int | None, first: Pass, passing: list[Detection],
           kept: list[Detection], gt: GtObject, scale: float) -> tuple[str, dict]:
    conf = rec.config

    def right(d: Detection) -> bool:
        return names(d, references[d.ref], gt, scale)

    rank = int(np.count_nonzero(first.votes > first.votes[ref])) if ref is not None else None
    true_matches = _true_matches(rec, first, ref, gt, scale) if ref is not None else None
    counts = {"true_matches": true_matches, "vote_rank": rank}
    placed = [d for d in first.verified if right(d)]
    if any(right(d) for d in kept):
        return "found", counts
    if any(d in passing for d in placed):
        return "resolved-away", counts
    if placed:
        counts["best_score"] = round(max(d.score for d in placed), 3)
        return "below-threshold", counts
    if ref is not None and bool((first.shortlist == ref).any()):
        return "not-verified", counts
    if true_matches is not None and true_matches >= conf["min_inliers"]:
        return "not-shortlisted", counts
    return "few-correspondences", counts


def _true_matches(rec: Recognizer, first: Pass, ref: int, gt: GtObject, scale: float) -> int | None:
    """Tentative matches to the object's own reference that land where its true outline says."""
    if gt.quad is None:
        return None
    refs = rec.index.locals.refs
    corners = geometry.outline(float(refs["width"][ref]), float(refs["height"][ref])).astype(np.float32)
    truth = cv2.getPerspectiveTransform(corners, (np.asarray(gt.quad) * scale).astype(np.float32))
    mine = first.matches.ref == ref
    ref_xy = rec.index.locals.keypoints(first.matches.row[mine])[:, :2].astype(np.float64)
    photo_xy = first.features.keypoints[first.matches.query[mine], :2]
    return int((np.linalg.norm(geometry.project(truth.astype(np.float64), ref_xy) - photo_xy, axis=1)
                < TRUE_MATCH_PX).sum())


def summary(rows: list[dict]) -> dict[tuple[str, str], Counter]:
    """Stage counts per (scene, kind)."""
    out: dict[tuple[str, str], Counter] = {}
    for r in rows:
        out.setdefault((r["scene"], r["kind"]), Counter())[r["stage"]] += 1
    return dict(sorted(out.items()))
