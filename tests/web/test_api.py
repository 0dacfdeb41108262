"""The JSON API through the app factory, on a real tiny index: answers and every bad input."""

from __future__ import annotations

import io
import logging
import struct
import zlib

import numpy as np
import pytest
from PIL import Image
from starlette.testclient import TestClient

from knowyourband.text import normalize
from knowyourband.web import Settings, create_app

RECOGNIZE = "/api/v1/recognize"


def upload(client: TestClient, data: bytes, name: str = "photo.jpg", mime: str = "image/jpeg", **form):
    return client.post(RECOGNIZE, files={"image": (name, data, mime)}, data=form)


def png_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A 100-byte PNG whose header claims 3.6 gigapixels."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_recognizes_the_cover_and_outlines_it(app_client, tiny_index):
    response = upload(app_client, tiny_index.photo)
    assert response.status_code == 200
    body = response.json()
    assert body["image"] == {"width": 1000, "height": 750}
    best = body["objects"][0]
    assert best["band"]["name"] == tiny_index.band_name
    assert best["release"]["key"] == tiny_index.release_key
    x0, y0, x1, y1 = tiny_index.cover_box
    for (x, y), (ex, ey) in zip(best["quad"], [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]):
        assert abs(x - ex) < 15 and abs(y - ey) < 15
    # every reference the result names has a self-hosted thumbnail that the server serves
    assert str(best["reference_id"]) in body["media"]["references"]
    thumb = app_client.get(body["media"]["references"][str(best["reference_id"])])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"


def test_same_photo_twice_is_answered_from_the_cache(app_client, tiny_index):
    first = upload(app_client, tiny_index.photo + b"\0")  # distinct bytes from other tests
    second = upload(app_client, tiny_index.photo + b"\0")
    assert (first.json()["cached"], second.json()["cached"]) == (False, True)
    assert first.json()["objects"] == second.json()["objects"]


def test_top_trims_candidates(app_client, tiny_index):
    body = upload(app_client, tiny_index.photo, top="1").json()
    assert all(len(o["candidates"]) == 1 for o in body["objects"])
    # the cached full answer is not trimmed for the next client
    assert len(upload(app_client, tiny_index.photo).json()["objects"][0]["candidates"]) > 1


def test_nothing_known_is_an_empty_answer(app_client, blank_photo):
    body = upload(app_client, blank_photo).json()
    assert body["objects"] == []


@pytest.mark.parametrize(
    "data, name, mime, status, words",
    [
        (b"just some text, not a photo", "notes.txt", "text/plain", 415, "not an image"),
        (b"%PDF-1.7 a document", "doc.pdf", "application/pdf", 415, "not an image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x13" * 300, "broken.jpg", "image/jpeg", 422, "cannot be read"),
        (b"", "empty.jpg", "image/jpeg", 422, "empty"),
        (png_bomb(), "bomb.png", "image/png", 422, "too large"),
    ],
)
def test_bad_images_get_a_clear_4xx(app_client, data, name, mime, status, words):
    response = upload(app_client, data, name, mime)
    assert response.status_code == status
    assert words in response.json()["detail"]


def _encoded(img: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("make", [
    lambda: _encoded(Image.new("RGB", (1, 1)), "PNG"),
    lambda: _encoded(Image.new("RGB", (3, 3000), "white"), "PNG"),
    lambda: _encoded(Image.fromarray(np.full((64, 64), 40000, np.uint16)), "PNG"),
    lambda: _encoded(Image.new("CMYK", (64, 64), (0, 50, 100, 0)), "JPEG"),
    lambda: _encoded(Image.new("RGBA", (64, 64), (0, 0, 0, 0)), "PNG"),
    lambda: _encoded(Image.new("P", (64, 64)), "GIF"),
    lambda: _encoded(Image.new("RGB", (64, 64), "red"), "WEBP"),
], ids=["1x1", "3x3000", "16-bit", "cmyk", "transparent", "gif", "webp"])
def test_odd_but_valid_images_are_answered(app_client, make):
    response = upload(app_client, make(), "odd", "application/octet-stream")
    assert response.status_code == 200
    assert response.json()["objects"] == []


def test_truncated_real_photo_is_refused_not_crashed(app_client, tiny_index):
    response = upload(app_client, tiny_index.photo[: len(tiny_index.photo) // 3])
    assert response.status_code in (200, 422)  # Pillow may decode a cut JPEG as a grey-bottomed photo


def test_malformed_requests(app_client, tiny_index):
    assert app_client.post(RECOGNIZE, data={"top": "3"}).status_code == 422
    assert "'image'" in app_client.post(RECOGNIZE, data={"top": "3"}).json()["detail"]
    assert upload(app_client, tiny_index.photo, top="many").status_code == 422
    assert upload(app_client, tiny_index.photo, top="0").status_code == 422
    assert app_client.post(RECOGNIZE, content=b"raw", headers={"content-type": "image/jpeg"}).status_code == 422


@pytest.fixture(scope="module")
def small_limit_client(tiny_index):
    with TestClient(create_app(Settings(index_dir=tiny_index.path, max_upload_bytes=64 * 1024))) as client:
        yield client


def test_oversize_upload_is_413(small_limit_client, tiny_index):
    big = tiny_index.photo + b"\0" * (70 * 1024)
    response = upload(small_limit_client, big)
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_oversize_streamed_body_without_length_is_413(small_limit_client):
    sent = []

    def body():
        for _ in range(100):  # 1 MB in 10 kB chunks; the server stops reading after the limit
            sent.append(1)
            yield b"x" * 10_000

    response = small_limit_client.post(RECOGNIZE, content=body(),
                                       headers={"content-type": "multipart/form-data; boundary=zz"})
    assert response.status_code == 413
    assert response.headers["x-request-id"]


def test_timeout_answers_503(tiny_index):
    settings = Settings(index_dir=tiny_index.path, request_timeout_s=0.001)
    with TestClient(create_app(settings)) as client:
        response = upload(client, tiny_index.photo + b"\1")
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert "try again" in response.json()["detail"]


def test_band_and_release_details(app_client, tiny_index):
    hit = upload(app_client, tiny_index.photo).json()["objects"][0]
    band = app_client.get(f"/api/v1/bands/{hit['band']['id']}").json()
    assert band["name"] == tiny_index.band_name and band["key"] == tiny_index.band_key
    assert band["logos"] and all(logo["thumbnail"].startswith("/media/") for logo in band["logos"])
    assert any(r["key"] == tiny_index.release_key and r["cover"] for r in band["releases"])
    release = app_client.get(f"/api/v1/releases/{hit['release']['id']}").json()
    assert release["key"] == tiny_index.release_key and release["band"]["name"] == tiny_index.band_name
    assert release["covers"][0]["thumbnail"].startswith("/media/")


@pytest.mark.parametrize("path", ["/api/v1/bands/9999", "/api/v1/bands/abc", "/api/v1/releases/9999",
                                  "/api/v1/releases/-1", "/media/nothing.jpg", "/media/../catalog.sqlite"])
def test_unknown_ids_are_404(app_client, path):
    response = app_client.get(path)
    assert response.status_code == 404
    assert response.json()["detail"]


def test_search_folds_case_accents_and_punctuation(app_client, tiny_index):
    name = tiny_index.band_name
    # shout it, accent its vowels and add punctuation: it must still be found
    query = name.upper().replace("A", "Á").replace("E", "É").replace("O", "Ö") + "!"
    assert normalize(query) == normalize(name)
    body = app_client.get("/api/v1/search", params={"q": query}).json()
    assert [b["name"] for b in body["bands"]][:1] == [name]
    assert app_client.get("/api/v1/search", params={"q": ""}).status_code == 422
    assert app_client.get("/api/v1/search", params={"q": "zzqqxx-no-such"}).json()["bands"] == []


def test_request_id_is_echoed_and_logged_as_json(app_client, caplog):
    with caplog.at_level(logging.INFO, logger="knowyourband.web.access"):
        response = app_client.get("/healthz", headers={"X-Request-ID": "phone-42"})
    assert response.headers["x-request-id"] == "phone-42"
    entry = next(r for r in caplog.records if r.name == "knowyourband.web.access").access
    assert entry["request_id"] == "phone-42" and entry["status"] == 200 and entry["path"] == "/healthz"
    # an id a client could use to forge log lines is replaced by a fresh one
    assert app_client.get("/healthz", headers={"X-Request-ID": "a\tb"}).headers["x-request-id"] != "a\tb"


def test_health_openapi_and_client_are_served(app_client):
    health = app_client.get("/healthz").json()
    assert health["status"] == "ok" and health["bands"] == 4
    spec = app_client.get("/openapi.json").json()
    assert {"/api/v1/recognize", "/api/v1/bands/{band_id}", "/api/v1/search", "/healthz"} <= set(spec["paths"])
    assert app_client.get("/docs").status_code == 200
    page = app_client.get("/")
    assert page.status_code == 200 and 'capture="environment"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert app_client.get("/manifest.webmanifest").headers["content-type"].startswith("application/manifest+json")
    assert app_client.get("/sw.js").status_code == 200
