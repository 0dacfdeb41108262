"""Benchmark presets: skipping finished steps, refusing mismatched ones, the README's results block."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from test_eval_runner import GroundTruthEcho, write_bench

from knowyourband.evaluate import bench
from knowyourband.evaluate.evaluation import evaluate
from knowyourband.synth.photos import RENDERING


def test_presets_match_the_published_definitions():
    std = bench.PRESETS["standard"]
    assert (std.bands, std.albums_per_band, std.catalog_seed, std.photos, std.photos_seed) == (300, 3, 7, 400, 11)
    assert bench.PRESETS["large-10k"].distractors == 10_000 and bench.PRESETS["large-100k"].distractors == 100_000
    smoke = bench.PRESETS["smoke"]
    assert (smoke.bands, smoke.albums_per_band, smoke.photos, smoke.readme) == (10, 2, 20, False)


def test_finished_steps_are_skipped_and_mismatches_refused(tmp_path: Path):
    preset = bench.PRESETS["smoke"]
    catalog = tmp_path / "smoke" / "catalog" / "catalog.json"
    catalog.parent.mkdir(parents=True)
    generator = {"seed": 7, "bands": 10, "albums_per_band": 2, "distractors": 0}
    catalog.write_text(json.dumps({"generator": generator}))
    # Present with the same settings: returned as is, nothing generated (the synth API is never called).
    assert bench.catalog_step(preset, tmp_path / "smoke") == catalog
    catalog.write_text(json.dumps({"generator": dict(generator, seed=8)}))
    with pytest.raises(bench.BenchStepError, match="delete its folder"):
        bench.catalog_step(preset, tmp_path / "smoke")
    photos = write_bench(tmp_path / "smoke" / "photos", 3)
    ann = json.loads((photos / "annotations.json").read_text())
    ann["info"] = {"seed": 11, "count": 20, "rendering": RENDERING}
    (photos / "annotations.json").write_text(json.dumps(ann))
    assert bench.photos_step(preset, catalog, tmp_path / "smoke") == photos / "annotations.json"
    # Photos drawn by an older rendering (the same seed, other pixels) are not taken for today's.
    ann["info"] = {"seed": 11, "count": 20}
    (photos / "annotations.json").write_text(json.dumps(ann))
    with pytest.raises(bench.BenchStepError, match="rendering"):
        bench.photos_step(preset, catalog, tmp_path / "smoke")


def _fake_run(root: Path, preset: str, method: str, album_top1: float) -> None:
    photos = write_bench(root / "photos")
    index = root / "index"
    index.mkdir(exist_ok=True)
    (index / "manifest.json").write_text(json.dumps({"counts": {"references": 1234}}))
    evaluate(
        index, photos, root / preset / f"eval-{method}", method=method, open_recognizer=lambda: GroundTruthEcho(photos)
    )
    path = root / preset / f"eval-{method}" / "metrics.json"
    m = json.loads(path.read_text())
    m["retrieval"]["album"]["top1"] = album_top1
    path.write_text(json.dumps(m))
    shutil.rmtree(photos)


def test_results_table_and_readme_markers(tmp_path: Path):
    assert "No benchmark results yet" in bench.results_table(tmp_path)
    _fake_run(tmp_path, "standard", "kyb", 0.987)
    _fake_run(tmp_path, "standard", "seed-vlad", 0.123)
    _fake_run(tmp_path, "smoke", "kyb", 0.5)  # smoke results never reach the README
    block = bench.results_table(tmp_path)
    lines = [line for line in block.splitlines() if line.startswith("| standard")]
    assert len(lines) == 2 and "0.987" in lines[0] and "| seed-vlad |" in lines[1] and "| 1234 |" in lines[0]
    assert "smoke" not in block and "cores" in block

    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\nIntro.\n")
    bench.update_readme(readme, "first")
    bench.update_readme(readme, block)
    text = readme.read_text()
    assert text.startswith("# Title\n\nIntro.\n") and text.count(bench.README_START) == 1
    assert "first" not in text and "0.987" in text and text.rstrip().endswith(bench.README_END)


def test_a_kept_index_with_another_embedders_vectors_or_no_cover_thumbnails_gets_them_again(tmp_path: Path):
    from knowyourband.embed import Embedder
    from knowyourband.index import build

    path = Path(__file__).parents[1] / "index" / "engine_drawing.py"
    spec = importlib.util.spec_from_file_location("engine_drawing", path)
    drawing = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(drawing)
    catalog = drawing.write_catalog(tmp_path / "catalog", 3, 1, seed=2)
    build(catalog, tmp_path / "index", workers=1)
    manifest_path = tmp_path / "index" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    shipped = manifest["embeddings"]["model"]
    assert shipped == Embedder.open().model_id
    covers = manifest.pop("covers")
    manifest["embeddings"]["model"] = "another-model"
    manifest_path.write_text(json.dumps(manifest))
    assert bench.index_step(catalog, tmp_path)[0] == tmp_path / "index"
    again = json.loads(manifest_path.read_text())
    assert again["embeddings"]["model"] == shipped and again["covers"] == covers
