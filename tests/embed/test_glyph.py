"""The fixed-size glyph a reference and a photographed print both become."""

from __future__ import annotations

import numpy as np

from knowyourband.embed.glyph import HEIGHT, WIDTH, fit, photo_glyph, reference_glyph


def test_a_wide_logo_fills_the_width_and_keeps_its_aspect() -> None:
    logo = np.full((100, 1000), 255, np.uint8)
    logo[40:60, 100:900] = 0
    glyph = reference_glyph(logo)
    assert glyph.shape == (HEIGHT, WIDTH) and glyph.dtype == np.uint8
    ink_rows = np.nonzero((glyph < 128).any(axis=1))[0]
    # 1000 x 100 scaled into 160 wide: 16 px tall, centred; the bar is 20 % of that height.
    assert abs(ink_rows.mean() - HEIGHT / 2) < 1.5 and len(ink_rows) <= 4
    assert (glyph[:10] == 255).all()


def test_padding_takes_the_background_of_a_photo_crop() -> None:
    photo = np.full((300, 400), 30, np.uint8)
    photo[140:160, 100:300] = 220  # a light print on dark paper
    glyph = photo_glyph(photo, [100, 140, 300, 160])
    assert glyph is not None and glyph.shape == (HEIGHT, WIDTH)
    assert glyph[0, 0] == 30 and glyph[HEIGHT // 2, WIDTH // 2] == 220


def test_a_box_outside_the_photo_has_no_glyph() -> None:
    photo = np.zeros((100, 100), np.uint8)
    assert photo_glyph(photo, [150, 150, 180, 170]) is None
    assert photo_glyph(photo, [-40, 10, -10, 40]) is None  # left of the photo, margin included


def test_fit_enlarges_a_tiny_crop() -> None:
    tiny = np.zeros((6, 20), np.uint8)
    tiny[:, 10:] = 200
    glyph = fit(tiny, 0)
    # Scaled 8x: the step between the two halves blurs over one source pixel (8 px) at most.
    assert (glyph[:, WIDTH // 2 + 8:] == 200).all() and (glyph[:, : WIDTH // 2 - 8] == 0).all()
