"""KYB-Synth contact sheet: layout, upright photos, quads drawn in their kind's colour, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from knowyourband.errors import KybError
from knowyourband.synth import camera
from knowyourband.synth.preview import CAPTION, COLUMNS, KIND_COLORS, TILE, contact_sheet


def _bench(folder: Path, orientation: int) -> Path:
    """A one-photo benchmark written by hand: a grey 400x300 photo, one album quad, stored rotated."""
    folder.mkdir()
    photo = np.full((300, 400, 3), 90, np.uint8)
    camera.write_jpeg(folder / "000001.jpg", photo, 95, orientation)
    quad = [[100.0, 50.0], [300.0, 50.0], [300.0, 250.0], [100.0, 250.0]]
    data = {
        "info": {}, "catalog": "../catalog/catalog.json", "categories": [],
        "images": [{"id": 1, "file_name": "000001.jpg", "width": 400, "height": 300, "scene": "cd_table",
                    "difficulty": "easy", "exif_orientation": orientation}],
        "annotations": [{"id": 1, "image_id": 1, "kind": "album", "category_id": 1, "reference_id": "ref00002",
                         "band_id": "b00001", "release_id": "r00001", "bbox": [100, 50, 200, 200], "quad": quad,
                         "area": 40000.0, "occluded": 0.0}],
    }
    (folder / "annotations.json").write_text(json.dumps(data))
    return folder


@pytest.mark.parametrize("orientation", [1, 6])
def test_sheet_draws_quads_on_upright_photos(tmp_path: Path, orientation: int) -> None:
    sheet_path = contact_sheet(_bench(tmp_path / "bench", orientation), tmp_path / "sheet.png")
    sheet = np.asarray(Image.open(sheet_path).convert("RGB")).astype(int)
    assert sheet.shape == (TILE + CAPTION, COLUMNS * TILE, 3)
    # The photo is 400x300 upright, scaled to TILE wide; the quad's right edge is at x = 300.
    scale = TILE / 400
    y0 = (TILE - round(300 * scale)) // 2
    x = round(300 * scale)
    column = sheet[y0 + round(120 * scale) : y0 + round(180 * scale), x - 2 : x + 2]
    hits = (np.abs(column - KIND_COLORS["album"]).sum(axis=2) < 60).any(axis=1)
    assert hits.mean() > 0.9, "the quad's edge is not where the annotation puts it"


def test_missing_annotations_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KybError, match="kyb synth photos"):
        contact_sheet(tmp_path, tmp_path / "sheet.png")


def test_a_missing_photo_is_a_clear_error(tmp_path: Path) -> None:
    bench = _bench(tmp_path / "bench", 1)
    (bench / "000001.jpg").unlink()
    with pytest.raises(KybError, match="000001.jpg"):
        contact_sheet(bench, tmp_path / "sheet.png")
