"""Band logos: lettering from a real font, bent and grown into a metal logo by procedural strokes."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from knowyourband.synth import fonts, ornaments

STYLES = ("blackletter", "thorny", "symmetric", "drips", "outlined", "tangle", "plain")
# How often each style is drawn (plain lettering is rarer on real metal logos, but it is the hard case).
STYLE_WEIGHTS = (0.18, 0.18, 0.14, 0.12, 0.14, 0.14, 0.10)
POLARITIES = ("black-on-white", "white-on-transparent", "color")
POLARITY_WEIGHTS = (0.7, 0.15, 0.15)
FONT_KIND = {"blackletter": "blackletter", "plain": "plain"}
TEXT_SIZE = (48, 150)  # glyph size range (pixels) on the working canvas, scaled to the output width
MAX_ASPECT, MIN_ASPECT = 5.0, 1.5
TEXT_ONLY = ("plain",)
JPEG_SHARE = 0.35  # black-on-white logos that carry JPEG compression artefacts (stored as PNG)


@dataclass(frozen=True)
class LogoSpec:
    """Everything that decides one logo image; rendering it twice gives the same pixels."""

    name: str
    style: str
    polarity: str
    font: str
    width: int
    entropy: tuple[int, ...]  # seeds the logo's own random stream


def choose(rng: np.random.Generator, name: str, found: fonts.Fonts, width: int,
           entropy: tuple[int, ...], style: str | None = None) -> LogoSpec:
    """Draw a style, polarity and font for a logo of `name` (a fixed `style` if given)."""
    style = style or STYLES[int(rng.choice(len(STYLES), p=STYLE_WEIGHTS))]
    polarity = POLARITIES[int(rng.choice(len(POLARITIES), p=POLARITY_WEIGHTS))]
    kind = FONT_KIND.get(style, "decorative")
    if style in ("thorny", "tangle", "symmetric") and rng.random() < 0.4:
        kind = "blackletter"
    return LogoSpec(name, style, polarity, found.pick(rng, kind), width, entropy)


def _lettering(text: str, font_path: str, size: int, rng: np.random.Generator, big_ends: bool) -> np.ndarray:
    """Draw `text` letter by letter with jittered spacing, baseline and size; tight-cropped (H, W) uint8 ink."""
    sizes = [size] * len(text)
    drop = 0.0
    if big_ends and len(text) > 2:
        sizes[0] = sizes[-1] = int(size * rng.uniform(1.2, 1.6))
        drop = rng.uniform(0, 0.3) * size  # big initials often hang below the line
    tracking = rng.uniform(-0.06, 0.25) * size
    advances = [fonts.load(font_path, s).getlength(ch) for ch, s in zip(text, sizes)]
    canvas = Image.new("L", (int(sum(advances) + tracking * len(text) + size * 2), int(size * 3.2)), 0)
    draw = ImageDraw.Draw(canvas)
    x, baseline = size * 0.8, size * 2.0
    for i, (ch, s, adv) in enumerate(zip(text, sizes, advances)):
        shift = drop if s != size and i in (0, len(text) - 1) else 0.0
        draw.text((x, baseline + shift + rng.normal(0, 0.03) * size), ch, fill=255, font=fonts.load(font_path, s),
                  anchor="ls")
        x += adv + (tracking if ch != " " else 0)
    ink = np.asarray(canvas)
    x0, y0, x1, y1 = ornaments.ink_box(ink, 0)
    return ink[y0:y1, x0:x1].copy() if x1 > x0 else ink.copy()


def _text_size(spec: LogoSpec) -> int:
    """Working glyph size: about 1.4× the pixels the output needs, so nothing is drawn bigger than useful."""
    chars = max(4, min(len(spec.name), 14))
    return int(np.clip(1.4 * spec.width / (0.6 * chars), *TEXT_SIZE))


def _layout(spec: LogoSpec, size: int, rng: np.random.Generator) -> np.ndarray:
    """The name in one or two lines, cased for the style; tight-cropped (H, W) uint8 ink."""
    name = spec.name.upper() if rng.random() < 0.45 else spec.name
    words = name.split()
    big_ends = spec.style not in TEXT_ONLY and rng.random() < 0.6
    if len(name) > 13 and len(words) > 1:
        cut = int(np.argmin([abs(len(" ".join(words[:i])) - len(name) / 2) for i in range(1, len(words))])) + 1
        lines = [_lettering(" ".join(words[:cut]), spec.font, size, rng, big_ends),
                 _lettering(" ".join(words[cut:]), spec.font, size, rng, big_ends)]
        width = max(line.shape[1] for line in lines)
        gap = int(size * rng.uniform(0.05, 0.25))
        out = np.zeros((lines[0].shape[0] + gap + lines[1].shape[0], width), np.uint8)
        for line, top in ((lines[0], 0), (lines[1], lines[0].shape[0] + gap)):
            left = (width - line.shape[1]) // 2
            out[top:top + line.shape[0], left:left + line.shape[1]] = line
        return out
    return _lettering(name, spec.font, size, rng, big_ends)


def _slant(mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Shear or wedge the lettering (thrash logos lean and fly); returns a new mask of the same size."""
    h, w = mask.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    shear = rng.uniform(-0.35, 0.35) * h if rng.random() < 0.5 else 0.0
    wedge = rng.uniform(-0.3, 0.3) * h if rng.random() < 0.4 else 0.0
    dst = np.float32([[shear, max(0.0, wedge)], [w + shear, max(0.0, -wedge)],
                      [w, h - max(0.0, -wedge)], [0, h - max(0.0, wedge)]])
    return cv2.warpPerspective(mask, cv2.getPerspectiveTransform(src, dst), (w, h))


def _decorate(text: np.ndarray, spec: LogoSpec, size: int, rng: np.random.Generator) -> np.ndarray:
    """Grow the style's strokes around the lettering; returns the new, padded (H, W) uint8 mask."""
    pad = int(size * 1.0)
    mask = np.pad(text, pad)
    if spec.style in ("thorny", "outlined", "drips", "blackletter") and rng.random() < 0.5:
        mask = _slant(mask, rng)
    x0, y0, x1, y1 = ornaments.ink_box(mask)
    layer = np.zeros_like(mask)  # strokes that may be mirrored without mirroring the letters
    s = size
    if spec.style not in TEXT_ONLY and rng.random() < 0.45:
        ornaments.bar(mask, int(y1 + s * rng.uniform(0.0, 0.25)), int(x0 - s * 0.4), int(x1 + s * 0.4),
                      int(s * rng.uniform(0.05, 0.14)))
    if spec.style not in TEXT_ONLY and rng.random() < 0.25:
        centre = ((x0 + x1) / 2 + rng.normal(0, 0.15) * (x1 - x0), y0 - s * rng.uniform(0.1, 0.4))
        ornaments.emblem(layer, rng, centre, s * rng.uniform(0.3, 0.55))
    if spec.style == "blackletter":
        ornaments.thorns(mask, rng, int(rng.integers(4, 16)), s * 0.5, s * 0.08, vertical_bias=0.7)
    elif spec.style == "thorny":
        ornaments.thorns(mask, rng, int(rng.integers(25, 70)), s * rng.uniform(0.3, 0.8), s * 0.1,
                         curl=rng.uniform(0, 0.4))
    elif spec.style == "symmetric":
        ornaments.wings(layer, rng, (x0, y0, x1, y1), s * rng.uniform(0.8, 1.6))
        ornaments.thorns(layer, rng, int(rng.integers(4, 14)), s * 0.6, s * 0.1, vertical_bias=0.6)
        layer = ornaments.mirror(np.maximum(layer, mask) if rng.random() < 0.3 else layer)
    elif spec.style == "drips":
        ornaments.drips(mask, rng, int(rng.integers(10, 30)), s * rng.uniform(0.4, 1.0), s * 0.08)
    elif spec.style == "outlined":
        if rng.random() < 0.5:
            mask = ornaments.extrude(mask, rng.uniform(-1.5, 1.5), rng.uniform(1.0, 2.0), int(s * 0.08),
                                     max(3, int(s * 0.05)))
        else:
            mask = ornaments.outline(mask, max(2, int(s * rng.uniform(0.02, 0.05))))
    elif spec.style == "tangle":
        ornaments.branches(mask, layer, rng, int(rng.integers(15, 40)), int(rng.integers(10, 28)), s * 0.05)
        ornaments.thorns(layer, rng, int(rng.integers(10, 30)), s * 0.9, s * 0.06, vertical_bias=0.8)
        if rng.random() < 0.6:
            layer = ornaments.mirror(np.maximum(layer, mask) if rng.random() < 0.5 else layer)
    return np.maximum(mask, layer)


def _crop(mask: np.ndarray, margin: float) -> np.ndarray:
    """Cut to the ink plus `margin`× its height on every side."""
    x0, y0, x1, y1 = ornaments.ink_box(mask, 24)
    if x1 <= x0:
        return mask
    m = int(margin * (y1 - y0))
    return np.pad(mask[y0:y1, x0:x1], m)


def _fit_aspect(mask: np.ndarray) -> np.ndarray:
    """Pad with empty space so width/height stays within MIN_ASPECT..MAX_ASPECT."""
    h, w = mask.shape
    if w / h > MAX_ASPECT:
        extra = int(w / MAX_ASPECT) - h
        return np.pad(mask, ((extra // 2, extra - extra // 2), (0, 0)))
    if w / h < MIN_ASPECT:
        extra = int(h * MIN_ASPECT) - w
        return np.pad(mask, ((0, 0), (extra // 2, extra - extra // 2)))
    return mask


@functools.lru_cache(maxsize=16)
def render_mask(spec: LogoSpec) -> np.ndarray:
    """The logo's ink as (H, W) uint8 in 0..255, `spec.width` wide, background 0; read-only.

    Cached: a band's covers letter the same logo that its logo reference draws.
    """
    rng = np.random.default_rng(list(spec.entropy))
    size = _text_size(spec)
    mask = _crop(_decorate(_layout(spec, size, rng), spec, size, rng), margin=0.15)
    h, w = mask.shape
    mask = cv2.resize(mask, (spec.width, max(1, round(h * spec.width / w))), interpolation=cv2.INTER_AREA)
    if spec.style not in TEXT_ONLY or rng.random() < 0.5:
        mask = ornaments.warp(mask, rng, arch=rng.uniform(-0.12, 0.12), wobble=rng.uniform(0.0, 0.02))
    mask = _fit_aspect(_crop(mask, margin=0.06))
    h, w = mask.shape
    mask = cv2.resize(mask, (spec.width, max(1, round(h * spec.width / w))), interpolation=cv2.INTER_AREA)
    mask.flags.writeable = False
    return mask


def _metal_fill(mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Coloured art: a vertical metallic gradient inside the ink, bevel light, dark rim, on a dark or
    coloured backdrop. mask: (H, W) uint8. Returns (H, W, 3) uint8 RGB."""
    h, w = mask.shape
    top, bottom = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
    ramp = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    ramp = (ramp + 0.25 * np.sin(ramp * rng.uniform(6, 14))) % 1.0
    fill = top * (1 - ramp) + bottom * ramp
    soft = cv2.GaussianBlur(mask.astype(np.float32) / 255, (0, 0), max(1.0, h / 120))
    slope = cv2.Sobel(soft, cv2.CV_32F, 1, 0) + cv2.Sobel(soft, cv2.CV_32F, 0, 1)
    light = np.clip(0.5 - 0.75 * slope * min(h, w) / 100, 0, 1)[..., None]
    fill = np.clip(fill * (0.6 + 0.8 * light), 0, 255)
    back = np.zeros((h, w, 3), np.float32) + rng.uniform(0, 60, 3)
    if rng.random() < 0.4:
        back = back + np.linspace(0, 1, w, dtype=np.float32)[None, :, None] * rng.uniform(0, 120, 3)
    rim = cv2.dilate(mask, np.ones((5, 5), np.uint8)).astype(np.float32)[..., None] / 255
    ink = mask.astype(np.float32)[..., None] / 255
    out = back * (1 - rim) + rng.uniform(0, 40) * (rim - ink) + fill * ink
    return np.clip(out, 0, 255).astype(np.uint8)


def to_image(mask: np.ndarray, polarity: str, rng: np.random.Generator) -> Image.Image:
    """The reference image as real logos come: black on white, white ink whose alpha is the ink, or
    coloured art. mask: (H, W) uint8."""
    if polarity == "white-on-transparent":
        white = np.full_like(mask, 255)
        return Image.fromarray(np.dstack([white, white, white, mask]), "RGBA")
    if polarity == "color":
        return Image.fromarray(_metal_fill(mask, rng), "RGB")
    image = Image.fromarray(255 - mask, "L")
    if rng.random() < JPEG_SHARE:
        # Many black-on-white logos online are JPEGs: keep their ringing around the strokes.
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=int(rng.integers(70, 93)))
        buffer.seek(0)
        image = Image.open(buffer)
        image.load()
    return image


def render(spec: LogoSpec) -> Image.Image:
    """The finished logo image for `spec` (mode L, RGB or RGBA depending on polarity)."""
    rng = np.random.default_rng([*spec.entropy, 1])
    return to_image(render_mask(spec), spec.polarity, rng)


def render_sheet(specs: list[LogoSpec], gap: int = 40) -> Image.Image:
    """Several versions of a logo side by side in one image, as Metal Archives sometimes stores them.

    All specs share the first spec's polarity; versions are scaled to a common height.
    """
    masks = [render_mask(s) for s in specs]
    height = min(m.shape[0] for m in masks)
    scaled = [cv2.resize(m, (max(1, round(m.shape[1] * height / m.shape[0])), height), interpolation=cv2.INTER_AREA)
              for m in masks]
    row = [scaled[0]]
    for m in scaled[1:]:
        row += [np.zeros((height, gap), np.uint8), m]
    sheet = np.pad(np.concatenate(row, axis=1), gap // 2)
    rng = np.random.default_rng([*specs[0].entropy, 1])
    return to_image(sheet, specs[0].polarity, rng)
