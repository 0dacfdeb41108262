"""The index manifest: format version, parameters, counts and provenance, read and checked."""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from knowyourband.errors import IndexFormatError

FORMAT = "kyb-index"
VERSION = 1
MANIFEST = "manifest.json"


def library_versions() -> dict[str, str]:
    """Versions of what shaped the index's bytes, so a figure can be traced to its tools."""
    import cv2
    import faiss
    import numpy

    from knowyourband import __version__

    return {"knowyourband": __version__, "opencv": cv2.__version__, "faiss": faiss.__version__,
            "numpy": numpy.__version__, "python": platform.python_version()}


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_manifest(index_dir: Path) -> dict[str, Any]:
    """Load and check `INDEX_DIR/manifest.json`; raise `IndexFormatError` saying what to do."""
    path = Path(index_dir) / MANIFEST
    if not Path(index_dir).is_dir():
        raise IndexFormatError(f"{index_dir}: no such index directory; build one with `kyb index build SOURCE --out {index_dir}`")
    if not path.is_file():
        raise IndexFormatError(f"{index_dir}: not an index (no {MANIFEST}); build one with `kyb index build`")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexFormatError(f"{path}: unreadable manifest ({exc}); the index is damaged, rebuild it") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexFormatError(f'{path}: not a Know Your Band index (expected "format": "{FORMAT}")')
    version = manifest.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise IndexFormatError(
            f"{path}: index format {version} is newer than this kyb ({VERSION}): upgrade knowyourband")
    if version < VERSION:
        raise IndexFormatError(f"{path}: index format {version} is too old for this kyb ({VERSION}): rebuild it")
    return manifest


def write_manifest(index_dir: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest atomically (temp file + rename): a reader sees the old or the new one."""
    path = Path(index_dir) / MANIFEST
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
