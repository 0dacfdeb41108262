"""Run a recognizer over a benchmark's photos, timing each call and caching the predictions.

Predictions go to `REPORT_DIR/predictions.jsonl`: a header line naming what made them (method,
index manifest hash, benchmark hash, kyb version, the recognizer's own config, the git commit) and
one line per photo. A later run with the same key only runs the photos still missing (none: it just re-scores);
a run with another key is refused, since mixing two recognizers' answers would corrupt the figures.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from knowyourband import __version__
from knowyourband.errors import KybError
from knowyourband.evaluate.groundtruth import Benchmark, Photo
from knowyourband.evaluate.provenance import git_commit
from knowyourband.evaluate.score import Prediction
from knowyourband.result import Result

logger = logging.getLogger(__name__)

PREDICTIONS = "predictions.jsonl"
FORMAT = "kyb-predictions"


class StalePredictionsError(KybError):
    """Cached predictions were made by another method, index, benchmark or recognizer config."""


class RecognizerLike(Protocol):
    config: dict[str, Any]

    def recognize(self, image: Any) -> Result: ...


def _canonical(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def cache_key(method: str, index_sha256: str, bench_sha256: str) -> dict[str, str]:
    """What decides whether cached predictions still answer the question being asked."""
    key = {"method": method, "index": index_sha256, "bench": bench_sha256, "kyb": __version__}
    key["id"] = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
    return key


def read_cache(path: Path) -> tuple[dict | None, dict[int, Prediction]]:
    """The header and the per-photo predictions of a predictions.jsonl (a torn last line is dropped)."""
    if not path.is_file():
        return None, {}
    header, preds = None, {}
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            try:
                row = json.loads(line)
            except ValueError:
                logger.warning(
                    "%s line %d is incomplete (an interrupted run?); that photo will be run again", path, n + 1
                )
                continue
            if n == 0:
                if row.get("format") != FORMAT:
                    raise StalePredictionsError(
                        f"{path} is not a kyb predictions file; delete it or choose another --out"
                    )
                header = row
                continue
            result = Result.from_dict(row["result"]) if row.get("result") else None
            preds[int(row["image_id"])] = Prediction(result, row.get("latency_ms"), row.get("error"))
    return header, preds


def _differences(old: dict, new: dict) -> str:
    keys = sorted(k for k in set(old) | set(new) if k != "id" and old.get(k) != new.get(k))
    return ", ".join(f"{k}: {old.get(k)!r} → {new.get(k)!r}" for k in keys) or "unknown"


def _time_one(recognizer: RecognizerLike, path: Path) -> tuple[Result | None, float, str | None]:
    start = time.perf_counter()
    try:
        result = recognizer.recognize(str(path))
        return result, (time.perf_counter() - start) * 1000.0, None
    except Exception as exc:  # noqa: BLE001 — one bad photo must not stop the benchmark; it is reported
        logger.warning("recognising %s failed: %s", path, exc)
        return None, (time.perf_counter() - start) * 1000.0, f"{type(exc).__name__}: {exc}"


def run(
    open_recognizer: Callable[[], RecognizerLike],
    bench: Benchmark,
    out_dir: Path,
    key: dict[str, str],
    rerun: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[int, Prediction], dict]:
    """Predictions for every photo of `bench`, from the cache where it holds them.

    The recognizer is always opened, so that its `.config` can be checked against the one that made
    the cached predictions; a photo is recognised only when the cache lacks it, the first of those
    once beforehand as an untimed warm-up (lazy loads, caches). rerun: ignore (and replace) the cache.
    Returns (photo id → Prediction, the cache header).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / PREDICTIONS
    header, cached = (None, {}) if rerun else read_cache(path)
    if header is not None and header.get("key", {}).get("id") != key["id"]:
        raise StalePredictionsError(
            f"{path} holds predictions of another run ({_differences(header.get('key', {}), key)}); "
            "pass --rerun to replace them or choose another --out"
        )
    recognizer = open_recognizer()
    config = _canonical(getattr(recognizer, "config", {}))
    if header is not None and _canonical(header.get("recognizer")) != config:
        raise StalePredictionsError(
            f"{path} was made with another recognizer configuration; pass --rerun to replace it or choose another --out"
        )
    commit = git_commit()
    if header is None:
        header = {"format": FORMAT, "version": 1, "key": key, "recognizer": config, "commit": commit}
        path.write_text(json.dumps(header) + "\n", encoding="utf-8")
    elif header.get("commit") != commit:
        # Code changes that keep the config cannot be told apart from unrelated commits: say so, don't guess.
        logger.warning(
            "%s was made at commit %s, the code is now at %s: pass --rerun if the engine changed",
            path,
            header.get("commit"),
            commit,
        )
    todo: list[Photo] = [p for p in bench.photos if p.id not in cached]
    if not todo:
        logger.info("all %d photos are in %s; re-scoring only", len(bench.photos), path)
        return {p.id: cached[p.id] for p in bench.photos}, header
    _time_one(recognizer, bench.path(todo[0]))  # warm-up, not counted
    with path.open("a", encoding="utf-8") as fh:
        for n, photo in enumerate(todo):
            result, ms, error = _time_one(recognizer, bench.path(photo))
            row = {
                "image_id": photo.id,
                "file_name": photo.file_name,
                "latency_ms": round(ms, 3),
                "error": error,
                "result": result.to_dict() if result is not None else None,
            }
            fh.write(json.dumps(row) + "\n")
            fh.flush()  # an interrupted run keeps what it finished
            cached[photo.id] = Prediction(result, ms, error)
            if progress:
                progress(n + 1, len(todo))
    return {p.id: cached[p.id] for p in bench.photos}, header
