"""`evaluate(index, bench, out)`: run (or re-use) predictions, score them, write metrics and reports."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from knowyourband.errors import KybError
from knowyourband.evaluate.groundtruth import BenchmarkError, load_benchmark
from knowyourband.evaluate.metrics import IOU_THRESHOLD
from knowyourband.evaluate.provenance import index_manifest, machine
from knowyourband.evaluate.report import write_reports
from knowyourband.evaluate.runner import RecognizerLike, cache_key, run
from knowyourband.evaluate.score import TOP_K, score

logger = logging.getLogger(__name__)

METHODS = ("kyb", "seed-vlad", "colour-hist")


def recognizer_opener(index_dir: Path, method: str, conf: dict | None = None) -> Callable[[], RecognizerLike]:
    """A function that opens the real recognizer (with `conf` overrides); imported only when a photo
    must be run."""

    def open_recognizer() -> RecognizerLike:
        try:
            from knowyourband.recognize import Recognizer
        except ImportError as exc:
            raise KybError(f"the recognizer cannot be imported ({exc}); reinstall kyb with `pip install -e .`") from exc
        return Recognizer.open(index_dir, method=method, conf=conf)

    return open_recognizer


def evaluate(
    index_dir: Path | str,
    bench_dir: Path | str,
    out_dir: Path | str,
    method: str = "kyb",
    limit: int | None = None,
    rerun: bool = False,
    open_recognizer: Callable[[], RecognizerLike] | None = None,
    progress: Callable[[int, int], None] | None = None,
    extra_config: dict | None = None,
    detector: bool = False,
    conf: dict | None = None,
) -> dict:
    """Score `method` on the photos of `bench_dir` with the index `index_dir`; write into `out_dir`.

    Writes `predictions.jsonl` (the cache), `metrics.json`, `report.md` and `report.html`.
    open_recognizer: a zero-argument function returning an object with `.recognize(path) -> Result`
    and `.config`; by default the real `Recognizer.open(index_dir, method=method)`.
    extra_config: more provenance to record under `config` (e.g. the benchmark preset).
    detector: also score the shipped learned detector alone on the same photos (`metrics["detector"]`).
    conf: settings overriding the recognizer's defaults (cached predictions must have been made with them).
    Returns the metrics dict.
    """
    index_dir, bench_dir, out_dir = Path(index_dir), Path(bench_dir), Path(out_dir)
    bench = load_benchmark(bench_dir, limit)
    if not bench.photos:
        raise BenchmarkError(f"{bench_dir / 'annotations.json'} lists no photos to evaluate")
    manifest, index_sha = index_manifest(index_dir)
    key = cache_key(method, index_sha, bench.sha256)
    predictions, header = run(
        open_recognizer or recognizer_opener(index_dir, method, conf), bench, out_dir, key, rerun=rerun,
        progress=progress,
    )
    config = {
        "method": method,
        "recognizer": header.get("recognizer"),
        "predictions_commit": header.get("commit"),
        "index": {"path": str(index_dir), "manifest_sha256": index_sha[:16], "manifest": manifest},
        "bench": {
            "path": str(bench_dir),
            "annotations_sha256": bench.sha256[:16],
            "photos": len(bench.photos),
            "limit": limit,
            **bench.info,
        },
        "protocol": {"iou": IOU_THRESHOLD, "ap": "all-point interpolated, ranked by score", "top_k": TOP_K},
        "cache_key": key["id"],
        "machine": machine(),
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **(extra_config or {}),
    }
    metrics = {"config": config, **score(bench.photos, predictions)}
    if detector:
        # Imported here: onnxruntime and the model load only when asked for.
        from knowyourband.detect.evaluation import evaluate_detector

        metrics["detector"] = evaluate_detector(None, bench_dir, limit=limit)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    write_reports(metrics, out_dir)
    logger.info("wrote %s", out_dir / "metrics.json")
    return metrics


def load_metrics(path: Path | str) -> dict:
    """Read a metrics.json (or the metrics.json inside a report folder)."""
    path = Path(path)
    if path.is_dir():
        path = path / "metrics.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KybError(f"{path} not found: run `kyb eval INDEX BENCH --out DIR` first") from exc
    except ValueError as exc:
        raise KybError(f"{path} is not valid JSON ({exc})") from exc
