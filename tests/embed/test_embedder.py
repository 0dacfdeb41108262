"""The shipped logo embedder: loading, refusal of wrong files, and what it is for."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from knowyourband.embed import Embedder, EmbedderError, photo_glyph, reference_glyph
from knowyourband.embed.glyph import HEIGHT, WIDTH
from knowyourband.synth.catalog import generate_catalog


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder.open()


def test_the_shipped_model_gives_unit_vectors(embedder: Embedder) -> None:
    glyphs = np.random.default_rng(0).integers(0, 255, (3, HEIGHT, WIDTH), dtype=np.uint8)
    vectors = embedder.embed(glyphs)
    assert vectors.shape == (3, embedder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert len(embedder.model_id) == 16


def test_missing_and_foreign_model_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match="no logo embedder"):
        Embedder.open(tmp_path / "none.onnx")
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"not a model")
    with pytest.raises(EmbedderError, match="not a readable ONNX"):
        Embedder.open(junk)
    from knowyourband.detect.detector import default_model_path as detector_path

    with pytest.raises(EmbedderError, match="logo-embedder-v1"):
        Embedder.open(detector_path())


def _printed(gray: np.ndarray, height: int, rng: np.random.Generator) -> tuple[np.ndarray, list[float]]:
    """The logo printed light on dark paper, `height` px tall, blurred and noisy, in a 400 x 300 photo."""
    h, w = gray.shape
    width = round(w * height / h)
    small = cv2.resize(255 - gray, (width, height), interpolation=cv2.INTER_AREA).astype(np.float32)
    photo = np.full((300, 400), 40.0, np.float32)
    x, y = 200 - width // 2, 150 - height // 2
    photo[y:y + height, x:x + width] = 40 + small * 0.7
    photo = cv2.GaussianBlur(photo, (0, 0), 1.2) + rng.normal(0, 4, photo.shape)
    return np.clip(photo, 0, 255).astype(np.uint8), [x, y, x + width, y + height]


def test_a_small_blurred_inverted_print_is_nearest_its_own_logo(embedder: Embedder, tmp_path: Path) -> None:
    from knowyourband.features import reference_gray
    from knowyourband.imageio import load_image

    path = generate_catalog(tmp_path / "cat", bands=12, albums_per_band=0, seed=41)
    logos = [r for r in json.loads(path.read_text())["references"] if r["kind"] == "logo"]
    grays = []
    for ref in logos:
        image = load_image(path.parent / ref["image"])
        grays.append(reference_gray(image.rgb, image.alpha))
    references = embedder.embed(np.stack([reference_glyph(g) for g in grays]))
    rng = np.random.default_rng(5)
    right = 0
    for i, gray in enumerate(grays):
        photo, box = _printed(gray, 36, rng)
        vector = embedder.embed(photo_glyph(photo, box)[None])[0]
        right += int(np.argmax(references @ vector)) == i
    assert right >= 0.8 * len(grays)
