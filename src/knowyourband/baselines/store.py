"""Where a baseline keeps its reference-side arrays, and how it saves and finds them again.

Arrays live in `INDEX_DIR/baselines/<method>/<key>.npz`. The key hashes the settings that shape
the reference side and the references' ids, so a changed setting or a grown index (`kyb index add`)
is never answered from stale arrays; each method keeps its three most recently used sets. An index directory
that cannot be written (served read-only, copied from a CD) falls back to
`$XDG_CACHE_HOME/knowyourband/baselines/<manifest hash>/<method>/` (`~/.cache` by default).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
KEEP = 3  # array sets kept per method and index


def key(conf: dict[str, Any], reference_keys: list[str]) -> str:
    """A short hash naming one set of arrays: the settings that shaped them and the references they cover."""
    h = hashlib.sha256(json.dumps(conf, sort_keys=True, default=str).encode())
    h.update("\n".join(reference_keys).encode())
    return h.hexdigest()[:20]


def cache_dir(index_dir: Path, method: str) -> Path:
    """The folder for `method`'s arrays: inside the index when writable, else the user cache."""
    inside = Path(index_dir) / "baselines" / method
    if _writable(inside):
        return inside
    key = hashlib.sha256(_manifest_bytes(index_dir)).hexdigest()[:20]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    fallback = base / "knowyourband" / "baselines" / key / method
    log.info("index %s is read-only: caching %s arrays under %s", index_dir, method, fallback)
    return fallback


def load(folder: Path, key: str) -> dict[str, np.ndarray] | None:
    """The arrays saved under `key`, or None when there are none (or they cannot be read)."""
    path = folder / f"{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable baseline cache %s (%s): recomputing", path, exc)
        return None
    try:
        os.utime(path)  # marks it recently used, so save() keeps it
    except OSError:
        pass  # another user's file: used all the same
    return arrays


def save(folder: Path, key: str, arrays: dict[str, np.ndarray]) -> Path:
    """Write the arrays atomically (temp file + rename); keep only the KEEP most recently used sets."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.npz"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    # Every worker of a read-only server may run as another user: the arrays are not secret.
    os.chmod(path, 0o644)
    # Keep the few most recently used sets (configurations being compared), drop older ones.
    kept = sorted(folder.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP:]:
        old.unlink(missing_ok=True)
    return path


def _manifest_bytes(index_dir: Path) -> bytes:
    path = Path(index_dir) / MANIFEST
    return path.read_bytes() if path.is_file() else b""


def _writable(folder: Path) -> bool:
    """Whether folder exists or can be created, and accepts a new file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False
