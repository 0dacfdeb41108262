"""`kyb index build|add|embed` through Click's runner."""

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


def test_embed_gives_an_index_built_without_looks_the_embeddings_and_thumbnails_a_build_makes(tmp_path: Path) -> None:
    import numpy as np

    from knowyourband.index import Index

    source = write_catalog(tmp_path / "cat", logos=3, covers=1)
    runner = CliRunner()
    assert runner.invoke(main, ["index", "build", str(source), "--out", str(tmp_path / "idx"),
                                "--workers", "1"]).exit_code == 0
    built = np.asarray(Index.open(tmp_path / "idx").logo_embeddings)
    manifest_path = tmp_path / "idx" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    built_covers = np.asarray(Index.open(tmp_path / "idx").cover_thumbnails)
    del manifest["embeddings"], manifest["covers"]  # as an index built before them
    manifest_path.write_text(json.dumps(manifest))
    (tmp_path / "idx" / "vectors" / "logo-embeddings.npy").unlink()
    (tmp_path / "idx" / "vectors" / "cover-thumbnails.npy").unlink()
    (tmp_path / "cat" / "images" / "logo2.png").unlink()  # a reference image gone since the build
    result = runner.invoke(main, ["index", "embed", str(tmp_path / "idx"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "embedded 2 logo references" in result.stdout and "logo2.png" in result.stderr
    again = np.asarray(Index.open(tmp_path / "idx").logo_embeddings)
    assert np.array_equal(again[:2], built[:2]) and not again[2].any() and np.array_equal(again[3], built[3])
    assert "made 1 cover thumbnails" in result.stdout
    assert np.array_equal(np.asarray(Index.open(tmp_path / "idx").cover_thumbnails), built_covers)
