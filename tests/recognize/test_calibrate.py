"""`kyb calibrate`: the score's logistic fit, the threshold choice, and the settings file it writes
that `kyb recognize --conf` (and eval, serve) read back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from engine_scenes import background, logo_gray, paste, rect_quad, save
from knowyourband.cli import main
from knowyourband.errors import KybError
from knowyourband.evaluate.calibrate import THRESHOLDS, choose_threshold, fit_logistic
from knowyourband.recognize.recognizer import load_conf


def test_fit_logistic_recovers_known_weights() -> None:
    rng = np.random.default_rng(3)
    X = rng.random((20_000, 2))
    true = np.array([-2.0, 1.5, 4.0])
    y = (rng.random(len(X)) < 1.0 / (1.0 + np.exp(-(true[0] + X @ true[1:])))).astype(float)
    assert np.allclose(fit_logistic(X, y), true, atol=0.25)


def test_threshold_is_the_lowest_that_reaches_the_precision() -> None:
    rows = [{"threshold": 0.2, "precision": 0.95}, {"threshold": 0.3, "precision": 0.985},
            {"threshold": 0.4, "precision": 0.97}, {"threshold": 0.5, "precision": 0.99}]
    assert choose_threshold(rows, 0.98) == 0.3
    assert choose_threshold(rows, 0.999) is None


def _bench(engine_catalog: Path, folder: Path) -> Path:
    """Four photos, each with two logos printed large; the annotations name only the first, so the
    second one's placement counts as wrong: the fit sees right and wrong placements."""
    folder.mkdir()
    images, anns = [], []
    for n, (shown, unlisted) in enumerate(((3, 5), (7, 2), (4, 6), (1, 8)), start=1):
        photo = background(30 + n)
        quads = {shown: rect_quad(260, 240, 420, 150, angle_deg=4), unlisted: rect_quad(640, 480, 400, 140)}
        for i, quad in quads.items():
            paste(photo, np.repeat(logo_gray(engine_catalog, i)[..., None], 3, axis=2), quad)
        save(photo, folder / f"{n:06d}.jpg")
        images.append({"id": n, "file_name": f"{n:06d}.jpg", "width": 900, "height": 675, "scene": "patch",
                       "difficulty": "easy"})
        x0, y0 = quads[shown].min(axis=0)
        x1, y1 = quads[shown].max(axis=0)
        anns.append({"id": n, "image_id": n, "kind": "logo", "category_id": 2, "band_id": f"b{shown}",
                     "release_id": None, "reference_id": f"logo{shown}", "bbox": [x0, y0, x1 - x0, y1 - y0],
                     "quad": quads[shown].tolist()})
    (folder / "annotations.json").write_text(json.dumps({"images": images, "annotations": anns}))
    return folder


def test_calibrate_writes_settings_that_recognize_reads(engine_index: Path, engine_catalog: Path,
                                                        tmp_path: Path) -> None:
    bench = _bench(engine_catalog, tmp_path / "bench")
    out = tmp_path / "calibrated.json"
    result = CliRunner().invoke(main, ["calibrate", str(engine_index), str(bench), "--fit", "1-3", "--check", "4-4",
                                       "--precision", "0.5", "--out", str(out)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "fitted on 3 photos" in result.output and "check photos (1)" in result.output
    conf = load_conf(out)
    assert set(conf) == {"score_bias", "score_log_inliers", "score_ratio", "score_density", "score_coverage",
                         "min_score"}
    assert conf["score_log_inliers"] == conf["score_ratio"] == 0.0  # not among the fitted terms
    assert conf["min_score"] in THRESHOLDS

    silent = tmp_path / "silent.json"
    silent.write_text(json.dumps({"min_score": 1.0}))
    photo = str(bench / "000001.jpg")
    found = CliRunner().invoke(main, ["recognize", str(engine_index), photo, "--json"])
    quiet = CliRunner().invoke(main, ["recognize", str(engine_index), photo, "--json", "--conf", str(silent)])
    assert found.exit_code == quiet.exit_code == 0, found.output + quiet.output
    assert json.loads(found.output)["objects"] and not json.loads(quiet.output)["objects"]


def test_overlapping_fit_and_check_photos_are_refused(engine_index: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["calibrate", str(engine_index), str(tmp_path), "--fit", "1-10",
                                       "--check", "5-20"])
    assert result.exit_code != 0 and "overlap" in result.output


def test_settings_files_with_unknown_keys_are_refused(tmp_path: Path) -> None:
    typo = tmp_path / "typo.json"
    typo.write_text(json.dumps({"min_scor": 0.5}))
    with pytest.raises(KybError, match="min_scor"):
        load_conf(typo)
    (tmp_path / "list.json").write_text("[0.5]")
    with pytest.raises(KybError, match="JSON object"):
        load_conf(tmp_path / "list.json")


def test_eval_and_serve_refuse_a_bad_settings_file(engine_index: Path, engine_catalog: Path, tmp_path: Path) -> None:
    typo = tmp_path / "typo.json"
    typo.write_text(json.dumps({"min_scor": 0.5}))
    bench = _bench(engine_catalog, tmp_path / "bench")
    evaluated = CliRunner().invoke(main, ["eval", str(engine_index), str(bench), "--out", str(tmp_path / "ev"),
                                          "--conf", str(typo)])
    served = CliRunner().invoke(main, ["serve", str(engine_index), "--conf", str(typo)])
    for result in (evaluated, served):
        assert result.exit_code == 1 and "unknown setting(s) min_scor" in result.output, result.output
