"""Fixtures for the index tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine_drawing import write_catalog


@pytest.fixture
def small_catalog(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "catalog", logos=3, covers=2)
