"""What made a number: the machine, the software versions and the git commit, saved beside metrics."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from knowyourband import __version__
from knowyourband.errors import IndexFormatError

LIBRARIES = ("numpy", "opencv-contrib-python-headless", "faiss-cpu", "onnxruntime", "pillow")
MANIFEST_VALUE_LIMIT = 400  # characters; long lists in a manifest are not a summary


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def git_commit() -> str | None:
    """The commit of the source tree kyb runs from, `+dirty` when it has uncommitted changes."""
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, timeout=10
        )
        if commit.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no", "--", str(here.parent)],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return commit.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def machine() -> dict[str, Any]:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "kyb": __version__,
        "git_commit": git_commit(),
        "libraries": versions,
    }


def index_manifest(index_dir: Path | str) -> tuple[dict[str, Any], str]:
    """The index's manifest, summarised (short values only), and the SHA-256 of its bytes."""
    path = Path(index_dir) / "manifest.json"
    try:
        raw = path.read_bytes()
        manifest = json.loads(raw)
    except FileNotFoundError as exc:
        raise IndexFormatError(f"{path} not found: build an index first with `kyb index build`") from exc
    except (OSError, ValueError) as exc:
        raise IndexFormatError(f"{path} cannot be read ({exc}); rebuild the index with `kyb index build`") from exc
    summary = (
        {k: v for k, v in manifest.items() if len(json.dumps(v, default=str)) <= MANIFEST_VALUE_LIMIT}
        if isinstance(manifest, dict)
        else {}
    )
    return summary, hashlib.sha256(raw).hexdigest()
