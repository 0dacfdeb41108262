"""`kyb index build|add` through Click's runner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from engine_drawing import write_catalog
from knowyourband.cli import main


def test_build_then_add(tmp_path: Path) -> None:
    source = write_catalog(tmp_path / "cat", logos=2, covers=1)
    (tmp_path / "cat" / "images" / "cover0.jpg").write_bytes(b"broken")
    runner = CliRunner()
    result = runner.invoke(main, ["index", "build", str(source), "--out", str(tmp_path / "idx"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "indexed 2 references" in result.stdout
    assert "cover0" in result.stderr and "skipped 1" in result.stderr
    more = write_catalog(tmp_path / "more", logos=1, covers=0, seed=3, prefix="m")
    result = runner.invoke(main, ["index", "add", str(tmp_path / "idx"), str(more), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "added 1 references" in result.stdout
    assert json.loads((tmp_path / "idx" / "manifest.json").read_text())["counts"]["references"] == 3


def test_build_errors_are_clean(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "catalog.json").write_text(json.dumps({"format": "kyb-catalog", "version": 1, "bands": [],
                                                     "releases": [], "references": []}))
    result = CliRunner().invoke(main, ["index", "build", str(folder), "--out", str(tmp_path / "idx")])
    assert result.exit_code == 1 and "no reference images" in result.output and "Traceback" not in result.output
