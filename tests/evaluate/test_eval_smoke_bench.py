"""The smoke benchmark end to end with the real parts: synth catalogue and photos, index, engine, eval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowyourband.evaluate import bench


@pytest.mark.slow
def test_smoke_benchmark_runs_and_the_engine_beats_a_floor(tmp_path: Path):
    preset = bench.PRESETS["smoke"]
    results = bench.main(preset, ["kyb"], tmp_path)
    (m,) = results
    root = tmp_path / "smoke"
    assert (root / "eval-kyb" / "report.html").is_file() and (root / "index" / "manifest.json").is_file()
    assert m["counts"]["photos"] == preset.photos and not m["errors"]
    assert m["config"]["preset"]["name"] == "smoke"
    # Floors well under what the engine measured here (P 0.80, R 0.58 on 2026-11-27): they catch a
    # broken link between synth, index, engine and scorer, not a tuning regression.
    assert m["end_to_end"]["precision"] >= 0.5 and m["end_to_end"]["recall"] >= 0.25
    assert m["detection"]["map50"] >= 0.2
    assert m["latency_ms"]["p50"] > 0
    # A second run skips every finished step and re-scores from the cache.
    again = bench.main(preset, ["kyb"], tmp_path)[0]
    assert again["end_to_end"] == m["end_to_end"]
    assert (
        json.loads((root / "eval-kyb" / "metrics.json").read_text())["config"]["cache_key"] == m["config"]["cache_key"]
    )
