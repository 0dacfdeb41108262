"""`kyb recognize` through Click's runner: JSON Lines, a bad photo among good ones, the table."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from engine_scenes import background, cover_rgb, paste, rect_quad, save
from knowyourband.cli import main


def test_json_lines_with_one_unreadable_photo(engine_index: Path, engine_catalog: Path, tmp_path: Path) -> None:
    photo = background(11)
    paste(photo, cover_rgb(engine_catalog, 2), rect_quad(450, 338, 360, 360, angle_deg=-20))
    good = save(photo, tmp_path / "good.jpg")
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 this is not a jpeg")
    empty = save(background(12), tmp_path / "empty.jpg")
    result = CliRunner().invoke(main, ["recognize", str(engine_index), str(good), str(bad), str(empty), "--json",
                                       "--top", "3"])
    assert result.exit_code == 1  # one photo failed, the others were answered
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == [str(good), str(bad), str(empty)]
    assert lines[0]["objects"][0]["reference_key"] == "cover2"
    assert lines[0]["objects"][0]["release"]["key"] == "r2"
    assert 1 <= len(lines[0]["objects"][0]["candidates"]) <= 3
    assert "error" in lines[1] and "objects" not in lines[1]
    assert lines[2]["objects"] == [] and lines[2]["timing_ms"]["total"] > 0


def test_table_output(engine_index: Path, engine_catalog: Path, tmp_path: Path) -> None:
    photo = background(13)
    rgb = np.asarray(cover_rgb(engine_catalog, 0))
    paste(photo, rgb, rect_quad(450, 338, 400, 400))
    result = CliRunner().invoke(main, ["recognize", str(engine_index), str(save(photo, tmp_path / "t.jpg"))])
    assert result.exit_code == 0, result.output
    assert "Band 0" in result.output and "Album 0" in result.output


def test_missing_index_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["recognize", str(tmp_path / "nope"), str(tmp_path / "x.jpg")])
    assert result.exit_code == 1 and "no such index directory" in result.output
    assert "Traceback" not in result.output
