"""KYB-Synth logos and covers: every style draws real, distinct images in the promised shapes."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from knowyourband.synth import covers, fonts, logos


@pytest.fixture(scope="module")
def found() -> fonts.Fonts:
    return fonts.discover()


@pytest.mark.parametrize("style", logos.STYLES)
def test_every_logo_style_draws_ink_in_shape(found: fonts.Fonts, style: str) -> None:
    rng = np.random.default_rng(1)
    spec = logos.choose(rng, "Necrotic Throne", found, 500, (1, 2), style=style)
    mask = logos.render_mask(spec)
    h, w = mask.shape
    assert w == 500 and 1.45 <= w / h <= 5.05
    assert 0.02 < (mask > 127).mean() < 0.8


@pytest.mark.parametrize("polarity, mode", [("black-on-white", "L"), ("white-on-transparent", "RGBA"), ("color", "RGB")])
def test_polarities(found: fonts.Fonts, polarity: str, mode: str) -> None:
    spec = logos.LogoSpec("Grimfrost", "thorny", polarity, found.pick(np.random.default_rng(0), "decorative"), 400,
                          (3, 4))
    image = logos.render(spec)
    assert image.mode == mode
    if mode == "RGBA":
        alpha = np.asarray(image)[..., 3]
        assert alpha.max() == 255 and alpha.min() == 0


def test_same_font_and_style_still_give_different_logos(found: fonts.Fonts) -> None:
    font = found.blackletter[0]
    a = logos.render_mask(logos.LogoSpec("Frozen Crypt", "thorny", "black-on-white", font, 600, (1, 1)))
    b = logos.render_mask(logos.LogoSpec("Frozen Crypt", "thorny", "black-on-white", font, 600, (1, 2)))
    b = cv2.resize(np.ascontiguousarray(b), a.shape[::-1])
    ink_a, ink_b = a > 127, b > 127
    assert (ink_a & ink_b).sum() / (ink_a | ink_b).sum() < 0.6


def test_sheet_holds_versions_side_by_side(found: fonts.Fonts) -> None:
    rng = np.random.default_rng(5)
    specs = [logos.choose(rng, "Vox Mortis", found, 500, (5, v)) for v in range(3)]
    sheet = logos.render_sheet(specs)
    assert sheet.width > 2.5 * sheet.height


@pytest.mark.parametrize("style", covers.STYLES)
def test_every_cover_style_is_square_and_busy(found: fonts.Fonts, style: str) -> None:
    rng = np.random.default_rng(2)
    logo = logos.choose(rng, "Ashen Wraith", found, 500, (2, 0))
    spec = covers.choose(rng, "Under the Frozen Moon: Part II", logo, found, 420, (2, 1))
    image = covers.render(covers.CoverSpec(spec.title, style, 420, logo, spec.title_font, spec.detail_font, (2, 1)))
    pixels = np.asarray(image)
    assert image.size == (420, 420) and image.mode == "RGB"
    # Texture, not a flat field: enough local contrast for a feature detector to hold on to.
    edges = cv2.Canny(cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY), 40, 120)
    assert (edges > 0).mean() > 0.005


def test_missing_glyphs_are_substituted(found: fonts.Fonts) -> None:
    for path in found.decorative[:40]:
        text = fonts.drawable(path, "Rites – Part II (Live; 1991)")
        assert all(fonts.has_glyph(path, ch) for ch in text)
