"""Fixtures for the collector tests: the recorded responses served on 127.0.0.1, and a CLI runner."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from collect_replay import ReplayServer, find_sources  # noqa: E402

SOURCES = find_sources()


@pytest.fixture(scope="session")
def sources() -> Path:
    if SOURCES is None:
        pytest.skip("the recorded responses (../shared/fixtures/sources) are not next to this checkout")
    return SOURCES


@pytest.fixture()
def replay(sources: Path) -> Iterator[ReplayServer]:
    with ReplayServer(sources) as server:
        yield server
