"""One small generated catalogue and its index for the whole session."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine_scenes import COVERS, LOGOS, drawing


@pytest.fixture(scope="session")
def engine_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return drawing.write_catalog(tmp_path_factory.mktemp("engine") / "catalog", LOGOS, COVERS, seed=1,
                                 white_png=True)


@pytest.fixture(scope="session")
def engine_index(engine_catalog: Path) -> Path:
    from knowyourband.index import build

    out = engine_catalog.parent / "index"
    build(engine_catalog, out, workers=1)
    return out


@pytest.fixture(scope="session")
def recognizer(engine_index: Path):
    from knowyourband.recognize import Recognizer

    return Recognizer.open(engine_index)
