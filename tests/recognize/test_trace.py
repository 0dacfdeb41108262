"""`kyb trace`: each annotated object of a benchmark followed through the first pass."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from engine_scenes import background, logo_gray, paste, rect_quad, save
from knowyourband.cli import main
from knowyourband.evaluate.trace import STAGES, summary, trace


def _bench(engine_catalog: Path, folder: Path) -> Path:
    """One photo: logo3 printed large (the engine finds it), logo7 printed 24 px wide (too small)."""
    folder.mkdir()
    photo = background(21)
    big = rect_quad(420, 300, 480, 165, angle_deg=5)
    tiny = rect_quad(780, 600, 24, 8)
    for i, quad in ((3, big), (7, tiny)):
        paste(photo, np.repeat(logo_gray(engine_catalog, i)[..., None], 3, axis=2), quad)
    save(photo, folder / "000001.jpg")

    def ann(n: int, i: int, quad: np.ndarray) -> dict:
        x0, y0 = quad.min(axis=0)
        x1, y1 = quad.max(axis=0)
        return {"id": n, "image_id": 1, "kind": "logo", "category_id": 2, "band_id": f"b{i}", "release_id": None,
                "reference_id": f"logo{i}", "bbox": [x0, y0, x1 - x0, y1 - y0], "quad": quad.tolist()}

    (folder / "annotations.json").write_text(json.dumps({
        "images": [{"id": 1, "file_name": "000001.jpg", "width": 900, "height": 675, "scene": "patch",
                    "difficulty": "easy"}],
        "annotations": [ann(1, 3, big), ann(2, 7, tiny)]}))
    return folder


def test_each_object_gets_the_stage_it_was_lost_at(engine_index: Path, engine_catalog: Path, tmp_path: Path) -> None:
    rows = trace(engine_index, _bench(engine_catalog, tmp_path / "bench"))
    by_identity = {r["identity"]: r for r in rows}
    assert by_identity["b3"]["stage"] == "found"
    assert by_identity["b3"]["true_matches"] >= 8 and by_identity["b3"]["vote_rank"] == 0
    assert by_identity["b7"]["stage"] in STAGES[1:]
    assert summary(rows)[("patch", "logo")]["found"] == 1


def test_trace_command_prints_the_table_and_writes_rows(engine_index: Path, engine_catalog: Path,
                                                       tmp_path: Path) -> None:
    bench = _bench(engine_catalog, tmp_path / "bench")
    out = tmp_path / "trace.jsonl"
    result = CliRunner().invoke(main, ["trace", str(engine_index), str(bench), "--scene", "patch", "--out", str(out)],
                                terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "2 objects" in result.output and "patch" in result.output
    assert len(out.read_text().splitlines()) == 2
    skipped = CliRunner().invoke(main, ["trace", str(engine_index), str(bench), "--scene", "poster"])
    assert skipped.exit_code == 0 and "0 objects" in skipped.output
