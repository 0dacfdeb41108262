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
                                  *common, "--out", str(tmp_path / "X")])  # one catalogue from both sites
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["index", "build", str(tmp_path / "X" / "catalog.json"), "--out", str(tmp_path / "I")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "I" / "manifest.json").is_file()
