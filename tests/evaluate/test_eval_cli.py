"""`kyb eval` through Click's runner: re-scoring from the cache, --compare, and friendly errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from test_eval_runner import GroundTruthEcho, write_bench

from knowyourband.cli import main
from knowyourband.evaluate.evaluation import evaluate

WIDE = {"COLUMNS": "200"}  # rich wraps narrower output, which would split the names asserted on


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    bench = write_bench(tmp_path / "bench")
    index = tmp_path / "index"
    index.mkdir()
    (index / "manifest.json").write_text(json.dumps({"format": "kyb-index", "version": 1}))
    return index, bench


def test_eval_runs_the_real_engine_then_rescores(real_bench, tmp_path: Path):
    index, photos = real_bench
    out = tmp_path / "report"
    res = CliRunner(env=WIDE).invoke(main, ["eval", str(index), str(photos), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "album top-1" in res.output and "report.html" in res.output
    m = json.loads((out / "metrics.json").read_text())
    assert m["retrieval"]["album"]["top1"] >= 2 / 3 and m["end_to_end"]["precision"] >= 2 / 3
    assert m["by_scene"]["none"]["end_to_end"]["photo_accuracy"] == 1.0  # silent on the empty photo
    cached = (out / "predictions.jsonl").read_bytes()
    again = CliRunner(env=WIDE).invoke(main, ["eval", str(index), str(photos), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert (out / "predictions.jsonl").read_bytes() == cached  # re-scored, nothing recognised again
    assert json.loads((out / "metrics.json").read_text())["end_to_end"] == m["end_to_end"]


def test_eval_refuses_a_stale_cache_without_traceback(tmp_path: Path):
    index, bench = _setup(tmp_path)
    out = tmp_path / "report"
    evaluate(index, bench, out, open_recognizer=lambda: GroundTruthEcho(bench))
    res = CliRunner(env=WIDE).invoke(main, ["eval", str(index), str(bench), "--out", str(out), "--method", "seed-vlad"])
    assert res.exit_code == 1
    assert "--rerun" in res.output and "Traceback" not in res.output


def test_eval_usage_errors(tmp_path: Path):
    index, bench = _setup(tmp_path)
    res = CliRunner(env=WIDE).invoke(main, ["eval", str(index), str(bench)])
    assert res.exit_code == 2 and "--out" in res.output
    missing = CliRunner(env=WIDE).invoke(
        main, ["eval", str(tmp_path / "nope"), str(bench), "--out", str(tmp_path / "r")]
    )
    assert missing.exit_code == 1 and "kyb index build" in missing.output
    (bench / "annotations.json").unlink()
    res = CliRunner(env=WIDE).invoke(main, ["eval", str(index), str(bench), "--out", str(tmp_path / "r")])
    assert res.exit_code == 1 and "annotations.json" in res.output


def test_compare_prints_both_and_differences(tmp_path: Path):
    index, bench = _setup(tmp_path)
    a = evaluate(index, bench, tmp_path / "a", open_recognizer=lambda: GroundTruthEcho(bench))
    b = dict(a, end_to_end=dict(a["end_to_end"], recall=a["end_to_end"]["recall"] + 0.25))
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "metrics.json").write_text(json.dumps(b))
    res = CliRunner(env=WIDE).invoke(
        main, ["eval", "--compare", str(tmp_path / "a" / "metrics.json"), str(tmp_path / "b")]
    )
    assert res.exit_code == 0, res.output
    assert "end_to_end.recall" in res.output and "+0.250" in res.output
    assert "detection.map50" in res.output and "by_scene" not in res.output
    full = CliRunner(env=WIDE).invoke(main, ["eval", "--compare", str(tmp_path / "a"), str(tmp_path / "b"), "--all"])
    assert "by_scene.tshirt.end_to_end.recall" in full.output
