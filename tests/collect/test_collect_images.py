"""Multi-logo splitting and perceptual-hash duplicates, on images drawn here."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from knowyourband.collect.dedupe import dhash, distance, find_duplicates, phash
from knowyourband.collect.images import grey_array
from knowyourband.collect.logos import split_logos


def _logo(lines: list[str], emblem: bool = False, inverted: bool = False, alpha: bool = False) -> np.ndarray:
    ink, paper = ("white", "black") if inverted else ("black", "white")
    image = Image.new("RGBA" if alpha else "RGB", (520, 130 * len(lines) + (110 if emblem else 0) + 20),
                      (0, 0, 0, 0) if alpha else paper)
    draw = ImageDraw.Draw(image)
    y = 20
    if emblem:
        draw.regular_polygon((260, 60, 45), 5, fill=ink)
        y += 110
    for text in lines:
        draw.text((30, y), text, fill=ink, font=ImageFont.load_default(size=64))
        y += 130
    return grey_array(image)


def test_one_logo_with_word_spaces_is_not_split() -> None:
    verdict = split_logos(_logo(["BLACK  SABBATH"]))
    assert verdict.boxes == [] and not verdict.flagged


def test_two_stacked_logos_are_split() -> None:
    grey = _logo(["DEATH", "MANTAS"])
    verdict = split_logos(grey)
    assert len(verdict.boxes) == 2 and not verdict.flagged
    (_, top_y0, _, top_y1), (_, low_y0, _, _) = verdict.boxes
    assert top_y1 <= low_y0 and top_y0 < grey.shape[0] / 2


def test_inverted_and_transparent_logos_are_split_too() -> None:
    assert len(split_logos(_logo(["DEATH", "MANTAS"], inverted=True)).boxes) == 2
    assert len(split_logos(_logo(["DEATH", "MANTAS"], alpha=True)).boxes) == 2


def test_emblem_above_name_is_flagged_not_cut() -> None:
    verdict = split_logos(_logo(["DEATH"], emblem=True))
    assert verdict.boxes == [] and verdict.flagged and "emblem" in verdict.reason


def test_blank_image_is_flagged() -> None:
    assert split_logos(np.full((50, 200), 255, np.uint8)).flagged


def _cover(seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (400, 400), tuple(int(v) for v in rng.integers(0, 256, 3)))
    draw = ImageDraw.Draw(image)
    for _ in range(10):
        x, y = (int(v) for v in rng.integers(0, 300, 2))
        draw.ellipse((x, y, x + 100, y + 80), fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    return image


def _recompressed(image: Image.Image, size: int, quality: int) -> np.ndarray:
    buffer = io.BytesIO()
    image.resize((size, size)).save(buffer, "JPEG", quality=quality)
    return grey_array(Image.open(io.BytesIO(buffer.getvalue())))


def test_phash_finds_resized_recompressed_copies_not_other_covers() -> None:
    covers = [_cover(seed) for seed in range(8)]
    originals = [phash(grey_array(c)) for c in covers]
    copies = [phash(_recompressed(c, 150, 40)) for c in covers]
    assert max(distance(a, b) for a, b in zip(originals, copies, strict=True)) <= 6
    others = [distance(originals[i], originals[j]) for i in range(8) for j in range(i + 1, 8)]
    assert min(others) > 10
    assert distance(dhash(grey_array(covers[0])), dhash(_recompressed(covers[0], 150, 40))) <= 8


def test_duplicates_dropped_only_within_one_identity() -> None:
    far = 0xFFFF_0000_FFFF_0000
    hashes = {"a": (0x0F0F, 0x33), "b": (0x0F0E, 0x31), "c": (0x0F0F, 0x33), "d": (far, 0x33), "e": (0x0F0F, far)}
    groups = {"a": "release-1", "b": "release-1", "c": "release-2", "d": "release-1", "e": "release-1"}
    assert find_duplicates(hashes, groups) == {"b": "a"}  # "d" and "e" are close on one hash only


def test_side_by_side_pieces_are_flagged_not_cut() -> None:
    verdict = split_logos(_logo(["DEATH                 MANTAS"]))
    assert verdict.boxes == [] and verdict.flagged and "side by side" in verdict.reason
