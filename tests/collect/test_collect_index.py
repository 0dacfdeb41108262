"""The collected catalogues are what `kyb index build` takes ("Done when" of issue 5)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner
from collect_replay import ReplayServer

from knowyourband.cli import main


@pytest.mark.skipif(importlib.util.find_spec("knowyourband.cli.index") is None, reason="`kyb index` is not there yet")
def test_metal_archives_and_discogs_catalogues_index(replay: ReplayServer, tmp_path: Path) -> None:
    runner = CliRunner()
    common = ["--base-url", replay.url, "--delay", "0"]
    result = runner.invoke(main, ["collect", "metal-archives", "--band-id", "141", "--band-id", "122302",
                                  *common, "--out", str(tmp_path / "X")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["collect", "discogs", "--release", "71989", "--token", "T",
                                  *common, "--out", str(tmp_path / "Y")])
    assert result.exit_code == 0, result.output
    for name in ("X", "Y"):
        result = runner.invoke(main, ["index", "build", str(tmp_path / name / "catalog.json"),
                                      "--out", str(tmp_path / f"{name}-index")])
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"{name}-index" / "manifest.json").is_file()
