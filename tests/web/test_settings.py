"""Settings resolve env < CLI flags and refuse nonsense with a message that names the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowyourband.errors import KybError
from knowyourband.web import Settings


def test_environment_then_overrides():
    env = {"KYB_INDEX_DIR": "/srv/index", "KYB_MAX_UPLOAD_BYTES": "1048576", "KYB_REQUEST_TIMEOUT_S": "2.5"}
    settings = Settings.from_env(env, cache_size=3, threads=None)
    assert settings.index_dir == Path("/srv/index")
    assert (settings.max_upload_bytes, settings.request_timeout_s, settings.cache_size) == (1048576, 2.5, 3)
    assert settings.recognition_threads >= 1  # 0 means one per core
    assert Settings.from_env(settings.to_env()) == settings


def test_defaults():
    settings = Settings(index_dir=Path("x"))
    assert settings.max_upload_bytes == 25 * 1024 * 1024 and settings.workers == 1


@pytest.mark.parametrize("env, words", [
    ({}, "KYB_INDEX_DIR"),
    ({"KYB_INDEX_DIR": "i", "KYB_CACHE_SIZE": "lots"}, "KYB_CACHE_SIZE='lots'"),
    ({"KYB_INDEX_DIR": "i", "KYB_REQUEST_TIMEOUT_S": "0"}, "request_timeout_s"),
    ({"KYB_INDEX_DIR": "i", "KYB_MAX_UPLOAD_BYTES": "10"}, "too small"),
])
def test_bad_settings_say_what_to_fix(env, words):
    with pytest.raises(KybError, match=words):
        Settings.from_env(env)
