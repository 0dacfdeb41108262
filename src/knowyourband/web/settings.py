"""Typed server settings, read once at the edge from `KYB_*` environment variables or CLI flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

from knowyourband.errors import KybError

ENV_PREFIX = "KYB_"


def _default_threads() -> int:
    # Recognition is CPU-bound native code (OpenCV, FAISS) that releases the GIL,
    # so one thread per core keeps every core busy without oversubscribing.
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    """Everything the web service can be told. Env names are the field names upper-cased with `KYB_`."""

    index_dir: Path
    max_upload_bytes: int = 25 * 1024 * 1024  # a 48 MP JPEG is ~15 MB; anything bigger is not a phone photo
    threads: int = 0  # recognition threads per process; 0 = one per core
    workers: int = 1  # server processes (each loads the index read-only)
    native_threads: int = 1  # OpenCV/FAISS threads per recognition; the pool already fills the cores
    request_timeout_s: float = 30.0  # queueing + recognition; a phone user gives up long before
    max_waiting: int = 64  # photos running or queued per process before new ones get 503
    cache_size: int = 256  # recognised photos kept, keyed by content sha256
    max_top: int = 20  # the most candidates per object a client may ask for
    conf_file: str = ""  # JSON settings overriding the engine's defaults (`kyb calibrate --out`); "" = none

    def __post_init__(self) -> None:
        if self.max_upload_bytes < 1024:
            raise KybError(f"max_upload_bytes={self.max_upload_bytes} is too small to hold any photo; use ≥ 1024")
        if self.request_timeout_s <= 0:
            raise KybError(f"request_timeout_s must be positive, got {self.request_timeout_s}")
        if self.threads < 0 or self.workers < 1 or self.native_threads < 1 or self.max_waiting < 1 or self.cache_size < 0 or self.max_top < 1:
            raise KybError("threads ≥ 0, workers ≥ 1, native_threads ≥ 1, max_waiting ≥ 1, cache_size ≥ 0 and max_top ≥ 1 are required")

    @property
    def recognition_threads(self) -> int:
        return self.threads or _default_threads()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        """Settings from `KYB_INDEX_DIR`, `KYB_MAX_UPLOAD_BYTES`, …; keyword overrides (CLI flags) win."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _parse(f.name, raw, f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "index_dir" not in values:
            raise KybError(f"no index directory: pass INDEX_DIR or set {ENV_PREFIX}INDEX_DIR")
        values["index_dir"] = Path(values["index_dir"])
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        """The environment that makes `from_env` rebuild these settings (for worker processes)."""
        return {ENV_PREFIX + f.name.upper(): str(getattr(self, f.name)) for f in fields(self)}


def _parse(name: str, raw: str, type_name: Any) -> Any:
    kind = str(type_name)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError as exc:
        raise KybError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {kind}") from exc
    return raw
