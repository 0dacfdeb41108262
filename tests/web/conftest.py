"""A real tiny index (4 synthetic bands), photos made from its own references, and a live server."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from PIL import Image

from knowyourband.web import Settings, create_app


@dataclass(frozen=True)
class TinyIndex:
    path: Path
    catalog: dict  # the catalog.json it was built from
    photo: bytes  # a JPEG showing one album cover of `band_name`
    band_name: str
    band_key: str
    release_key: str
    cover_box: tuple[int, int, int, int]  # where the cover sits in the photo (x0, y0, x1, y1)


@pytest.fixture(scope="session")
def tiny_index(tmp_path_factory: pytest.TempPathFactory) -> TinyIndex:
    from knowyourband.index import build
    from knowyourband.synth.catalog import generate_catalog

    root = tmp_path_factory.mktemp("web-index")
    catalog_json = generate_catalog(root / "catalog", bands=4, albums_per_band=1, seed=3, workers=1)
    build(catalog_json, root / "index", workers=1)
    catalog = json.loads(catalog_json.read_text(encoding="utf-8"))
    ref = next(r for r in catalog["references"] if r["kind"] == "album")
    band = next(b for b in catalog["bands"] if b["id"] == ref["band_id"])
    cover = Image.open(catalog_json.parent / ref["image"]).convert("RGB").resize((400, 400))
    photo = Image.new("RGB", (1000, 750), (96, 84, 72))
    photo.paste(cover, (300, 200))
    return TinyIndex(root / "index", catalog, _jpeg(photo), band["name"], band["id"], ref["release_id"],
                     (300, 200, 700, 600))


def _jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture(scope="session")
def blank_photo() -> bytes:
    """A photo of nothing in the catalogue."""
    return _jpeg(Image.new("RGB", (640, 480), (200, 200, 190)))


@pytest.fixture(scope="session")
def app_client(tiny_index: TinyIndex):
    from starlette.testclient import TestClient

    with TestClient(create_app(Settings(index_dir=tiny_index.path))) as client:
        yield client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tiny_index: TinyIndex, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kyb serve` in a subprocess on 127.0.0.1; yields its base URL. Its log goes to a file."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "knowyourband", "serve", str(tiny_index.path), "--port", str(port),
             "--max-upload-mb", "2"],
            stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"kyb serve did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)
