"""The runner and `evaluate()` end to end with a stand-in recognizer on real files on disk.

The stand-in implements the recognizer protocol (`.recognize(path) -> Result`, `.config`) by
answering from the ground truth with known mistakes, so the expected metrics are known exactly;
the real engine is evaluated by the benchmark, not here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from knowyourband.evaluate.evaluation import evaluate
from knowyourband.evaluate.groundtruth import load_benchmark
from knowyourband.evaluate.runner import PREDICTIONS, StalePredictionsError
from knowyourband.result import BandRef, Candidate, RecognizedObject, ReleaseRef, Result

REQUIRED = {
    "detection": {"ap_album", "ap_logo", "map50", "recall", "precision"},
    "end_to_end": {"precision", "recall", "f1", "photo_accuracy"},
    "latency_ms": {"p50", "p95", "max"},
}


def write_bench(root: Path, n: int = 6) -> Path:
    """n photos: odd ones show an album, even ones a logo; the last one shows nothing."""
    root.mkdir(parents=True, exist_ok=True)
    images, annotations = [], []
    for i in range(1, n + 1):
        Image.new("RGB", (320, 240), (20 * i, 40, 60)).save(root / f"{i:06d}.jpg")
        scene = "none" if i == n else ("cd_hand" if i % 2 else "tshirt")
        images.append(
            {
                "id": i,
                "file_name": f"{i:06d}.jpg",
                "width": 320,
                "height": 240,
                "scene": scene,
                "difficulty": "easy" if i <= 3 else "hard",
                "exif_orientation": 1,
            }
        )
        if i == n:
            continue
        kind = "album" if i % 2 else "logo"
        annotations.append(
            {
                "id": i,
                "image_id": i,
                "kind": kind,
                "category_id": 1 if kind == "album" else 2,
                "reference_id": f"ref{i:05d}",
                "band_id": f"b{i:05d}",
                "release_id": f"r{i:05d}" if kind == "album" else None,
                "bbox": [10, 20, 100, 80],
                "quad": [[10, 20], [110, 20], [110, 100], [10, 100]],
                "area": 8000.0,
                "occluded": 0.0,
            }
        )
    (root / "annotations.json").write_text(
        json.dumps(
            {
                "info": {"generator": "test", "seed": 0, "count": n},
                "catalog": "../catalog/catalog.json",
                "categories": [{"id": 1, "name": "album"}, {"id": 2, "name": "logo"}],
                "images": images,
                "annotations": annotations,
            }
        )
    )
    return root


class GroundTruthEcho:
    """Answers from the ground truth: right except photo 3 (an album named as another release, the
    right one 2nd candidate); photo 4 raises."""

    def __init__(self, bench: Path, config: dict | None = None) -> None:
        self.bench = load_benchmark(bench)
        self.config = config or {"method": "echo", "threshold": 0.5}
        self.calls = 0

    def recognize(self, image: str) -> Result:
        self.calls += 1
        with Image.open(image) as im:
            width, height = im.size
        photo = next(p for p in self.bench.photos if p.file_name == Path(image).name)
        if photo.id == 4:
            raise ValueError("cannot decode")
        objects = []
        for gt in photo.objects:
            band = BandRef(1, f"b{photo.id:05d}", "Band")
            right_release = ReleaseRef(2, gt.identity, "Album") if gt.kind == "album" else None
            release = ReleaseRef(1, "r09999", "Other") if photo.id == 3 else right_release
            right = Candidate(2, "ref2", band, right_release, 0.4)
            objects.append(
                RecognizedObject(
                    gt.kind,
                    0.9,
                    40,
                    list(gt.box),
                    [],
                    1,
                    "ref1",
                    band,
                    release,
                    [Candidate(1, "ref1", band, release, 0.9), right],
                )
            )
        return Result(width, height, objects, [], {"total": 1.0})


@pytest.fixture
def setup(tmp_path: Path):
    bench = write_bench(tmp_path / "bench")
    index = tmp_path / "index"
    index.mkdir()
    (index / "manifest.json").write_text(json.dumps({"format": "kyb-index", "version": 1, "references": 12}))
    return index, bench, tmp_path / "report"


def test_evaluate_writes_metrics_and_reports(setup):
    index, bench, out = setup
    echo = GroundTruthEcho(bench)
    m = evaluate(index, bench, out, method="kyb", open_recognizer=lambda: echo)
    assert echo.calls == 6 + 1  # one untimed warm-up
    on_disk = json.loads((out / "metrics.json").read_text())
    for section, keys in REQUIRED.items():
        assert keys <= set(on_disk[section])
    assert {"top1", "top10"} <= set(on_disk["retrieval"]["album"]) and {"top1", "top10"} <= set(
        on_disk["retrieval"]["logo"]
    )
    assert set(on_disk["by_scene"]) == {"cd_hand", "tshirt", "none"} and set(on_disk["by_difficulty"]) == {
        "easy",
        "hard",
    }
    # 5 objects: photo 3 names the wrong release (right one 2nd), photo 4 failed.
    assert m["end_to_end"]["recall"] == pytest.approx(3 / 5)
    assert m["end_to_end"]["precision"] == pytest.approx(3 / 4)
    assert m["retrieval"]["logo"]["top1"] == pytest.approx(1 / 2)  # photos 2 and 4
    assert m["retrieval"]["album"]["top1"] == pytest.approx(2 / 3) and m["retrieval"]["album"]["top10"] == 1.0
    assert m["end_to_end"]["photo_accuracy"] == pytest.approx(4 / 6)
    assert m["errors"] == [{"file_name": "000004.jpg", "error": "ValueError: cannot decode"}]
    assert m["latency_ms"]["photos"] == 5 and m["latency_ms"]["p50"] > 0
    assert m["config"]["method"] == "kyb" and m["config"]["recognizer"] == echo.config
    assert m["config"]["index"]["manifest"]["references"] == 12 and m["config"]["machine"]["cores"] >= 1
    report = (out / "report.md").read_text()
    assert "Detection" in report and "By scene" in report and "000004.jpg" in report
    html = (out / "report.html").read_text()
    assert (
        html.count("<svg") == 4
        and "<script" not in html
        and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )
    assert len((out / PREDICTIONS).read_text().splitlines()) == 1 + 6


def test_rescoring_reuses_the_cache_and_resumes(setup):
    index, bench, out = setup
    echo = GroundTruthEcho(bench)
    first = evaluate(index, bench, out, open_recognizer=lambda: echo, limit=3)
    assert first["counts"]["photos"] == 3 and echo.calls == 4

    again = evaluate(index, bench, out, open_recognizer=lambda: echo, limit=3)
    assert again["end_to_end"] == first["end_to_end"] and echo.calls == 4  # opened for its config, not run
    evaluate(index, bench, out, open_recognizer=lambda: echo)  # only photos 4–6 (+ warm-up) run
    assert echo.calls == 4 + 4


def test_stale_cache_is_refused(setup):
    index, bench, out = setup
    evaluate(index, bench, out, open_recognizer=lambda: GroundTruthEcho(bench), limit=2)
    with pytest.raises(StalePredictionsError, match="method"):
        evaluate(index, bench, out, method="seed-vlad", open_recognizer=lambda: GroundTruthEcho(bench))
    (index / "manifest.json").write_text(json.dumps({"format": "kyb-index", "version": 1, "references": 13}))
    with pytest.raises(StalePredictionsError, match="index"):
        evaluate(index, bench, out, open_recognizer=lambda: GroundTruthEcho(bench))
    m = evaluate(index, bench, out, rerun=True, open_recognizer=lambda: GroundTruthEcho(bench))
    assert m["counts"]["photos"] == 6


def test_changed_recognizer_config_is_refused(setup):
    index, bench, out = setup
    evaluate(index, bench, out, open_recognizer=lambda: GroundTruthEcho(bench), limit=2)
    changed = lambda: GroundTruthEcho(bench, {"method": "echo", "threshold": 0.7})  # noqa: E731
    for limit in (2, None):  # nothing left to run, or some photos still to run: refused alike
        with pytest.raises(StalePredictionsError, match="configuration"):
            evaluate(index, bench, out, open_recognizer=changed, limit=limit)
    assert evaluate(index, bench, out, open_recognizer=changed, rerun=True)["config"]["recognizer"]["threshold"] == 0.7


def test_torn_last_line_is_run_again(setup):
    index, bench, out = setup
    evaluate(index, bench, out, open_recognizer=lambda: GroundTruthEcho(bench), limit=3)
    path = out / PREDICTIONS
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:20])
    echo = GroundTruthEcho(bench)
    m = evaluate(index, bench, out, open_recognizer=lambda: echo, limit=3)
    assert echo.calls == 2 and m["counts"]["photos"] == 3
