"""How scenes print a logo: ink in one colour for black-on-white and transparent references, coloured
art as it is."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from knowyourband.synth import geometry as geo
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import References


def _lettering(height: int = 60, width: int = 200) -> np.ndarray:
    mask = np.zeros((height, width), np.uint8)
    cv2.putText(mask, "KYB", (10, 50), cv2.FONT_HERSHEY_SIMPLEX, 1.8, 255, 6)
    return mask


@pytest.fixture()
def references(tmp_path: Path) -> References:
    mask = _lettering()
    art = np.zeros(mask.shape + (3,), np.uint8)
    art[:] = (30, 20, 40)  # a dark backdrop, as `synth.logos` draws coloured art
    art[mask > 0] = (90, 200, 230)
    Image.fromarray(art, "RGB").save(tmp_path / "art.png")
    Image.fromarray(255 - mask, "L").save(tmp_path / "black.png")
    Image.fromarray(np.full((8, 8, 3), 128, np.uint8)).save(tmp_path / "cover.jpg")
    refs = [{"id": "art", "kind": "logo", "image": "art.png", "polarity": "color"},
            {"id": "black", "kind": "logo", "image": "black.png", "polarity": "black-on-white"},
            {"id": "cover", "kind": "album", "image": "cover.jpg"}]
    (tmp_path / "catalog.json").write_text(json.dumps({"references": refs, "bands": []}))
    return References(tmp_path / "catalog.json")


def test_ink_references_print_in_the_scene_colour(references: References) -> None:
    ref = references.logos[1]
    colour, alpha = references.logo_print(ref, (1.0, 0.0, 0.0), opacity=0.5)
    assert colour == (1.0, 0.0, 0.0)
    assert alpha.max() == pytest.approx(0.5) and alpha.min() == 0.0  # the lettering only, half covered


def test_coloured_art_prints_as_it_is(references: References) -> None:
    ref = references.logos[0]
    rgb, alpha = references.logo_print(ref, (1.0, 1.0, 1.0), opacity=0.9)
    assert rgb.shape == (60, 200, 3) and np.allclose(alpha, 0.9)
    poster = Canvas(400, 120, color=(0.9, 0.9, 0.9))
    poster.paste(rgb, alpha, geo.translation(100, 30), ref=ref, size=references.logo_size(ref)[::-1])
    printed = cv2.cvtColor(poster.rgb[30:90, 100:300], cv2.COLOR_RGB2GRAY)
    art = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    # Printed as ink, the dark backdrop would have come out as a block of ink around pale lettering:
    # the art's light and dark swapped. As art, light letters stay light on the dark backdrop.
    assert np.corrcoef(printed.ravel(), art.ravel())[0, 1] > 0.95
    assert printed[_lettering() > 0].mean() > printed[_lettering() == 0].mean() + 0.3
