"""Run the service with uvicorn: one process, or several workers that each open the index read-only."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from fastapi import FastAPI

from knowyourband.errors import IndexFormatError
from knowyourband.web.accesslog import JsonFormatter
from knowyourband.web.app import create_app
from knowyourband.web.settings import Settings

log = logging.getLogger(__name__)


def serve(index_dir: str | Path, host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          **settings: object) -> None:
    """Serve the API and the web client for `index_dir` until interrupted (blocks).

    Extra keyword arguments are `Settings` fields (`max_upload_bytes`, `request_timeout_s`, …);
    unset ones come from `KYB_*` environment variables, then defaults.
    """
    import uvicorn

    resolved = Settings.from_env(index_dir=Path(index_dir), workers=workers, **settings)
    if not (resolved.index_dir / "catalog.sqlite").is_file():
        raise IndexFormatError(
            f"{resolved.index_dir}: not an index directory (no catalog.sqlite); build one with `kyb index build`"
        )
    configure_logging()
    limit_native_threads(resolved.native_threads)
    common = {"host": host, "port": port, "access_log": False, "log_config": None,
              "timeout_graceful_shutdown": 10}
    if resolved.workers == 1:
        uvicorn.run(create_app(resolved), **common)
        return
    # Worker processes rebuild the app from the environment (uvicorn imports the factory by name).
    os.environ.update(resolved.to_env())
    uvicorn.run("knowyourband.web.server:app_from_env", factory=True, workers=resolved.workers, **common)


def app_from_env() -> FastAPI:
    """The app for a worker process, configured by `KYB_*` environment variables."""
    configure_logging()
    settings = Settings.from_env()
    limit_native_threads(settings.native_threads)
    return create_app(settings)


def limit_native_threads(n: int) -> None:
    """Cap OpenCV's and FAISS's (OpenMP) own threads in this process.

    The recognition pool runs one request per core; if every request also fanned out over all
    cores, 2 cores would juggle 4+ busy threads (and OpenMP teams spin while they wait).
    """
    import cv2
    import faiss

    cv2.setNumThreads(n)
    faiss.omp_set_num_threads(n)


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the access log and the server's own messages."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.handlers = [handler]
    logging.getLogger("faiss.loader").setLevel(logging.WARNING)  # which SIMD build loaded: not news
    root.setLevel(min(root.level, level) if root.level else level)
