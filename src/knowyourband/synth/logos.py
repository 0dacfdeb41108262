"""Band logos: lettering from a real font, bent and grown into a metal logo by procedural strokes."""

from __future__ import annotations

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
TEXT_SIZE = 150  # glyph size in pixels of the working canvas; the result is resized afterwards
MAX_ASPECT, MIN_ASPECT = 5.0, 1.5


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


def _lettering(text: str, font_path: str, rng: np.random.Generator, big_ends: bool) -> np.ndarray:
    """Draw `text` letter by letter with jittered spacing, baseline and size. Returns (H, W) uint8 ink."""
    sizes = [TEXT_SIZE] * len(text)
    if big_ends and len(text) > 2:
        sizes[0] = sizes[-1] = int(TEXT_SIZE * rng.uniform(1.2, 1.6))
    tracking = rng.uniform(-0.06, 0.25) * TEXT_SIZE
    advances = [fonts.load(font_path, s).getlength(ch) for ch, s in zip(text, sizes)]
    width = int(sum(advances) + tracking * len(text) + TEXT_SIZE * 2)
    height = int(TEXT_SIZE * 3.2)
    canvas = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(canvas)
    x, baseline = TEXT_SIZE * 0.8, height * 0.62
    for ch, size, adv in zip(text, sizes, advances):
        jitter = rng.normal(0, 0.03) * TEXT_SIZE
        draw.text((x, baseline + jitter), ch, fill=255, font=fonts.load(font_path, size), anchor="ls")
        x += adv + (tracking if ch != " " else 0)
    return np.asarray(canvas).copy()


def _layout(spec: LogoSpec, rng: np.random.Generator) -> np.ndarray:
    """The name in one or two lines, cased for the style. Returns (H, W) uint8 ink."""
    name = spec.name
    case = rng.random()
    if spec.style == "tangle" or case < 0.45:
        name = name.upper() if spec.style != "tangle" or case < 0.5 else name
    words = name.split()
    big_ends = spec.style in ("blackletter", "thorny", "symmetric", "tangle") and rng.random() < 0.6
    if len(name) > 13 and len(words) > 1:
        cut = int(np.argmin([abs(len(" ".join(words[:i])) - len(name) / 2) for i in range(1, len(words))])) + 1
        lines = [_lettering(" ".join(words[:cut]), spec.font, rng, big_ends),
                 _lettering(" ".join(words[cut:]), spec.font, rng, big_ends)]
        width = max(line.shape[1] for line in lines)
        padded = [np.pad(line, ((0, 0), ((width - line.shape[1]) // 2, width - line.shape[1] - (width - line.shape[1]) // 2)))
                  for line in lines]
        overlap = int(TEXT_SIZE * 1.6)
        stacked = np.zeros((padded[0].shape[0] * 2 - overlap, width), np.uint8)
        stacked[: padded[0].shape[0]] = padded[0]
        stacked[-padded[1].shape[0]:] = np.maximum(stacked[-padded[1].shape[0]:], padded[1])
        return stacked
    return _lettering(name, spec.font, rng, big_ends)


def _decorate(mask: np.ndarray, spec: LogoSpec, rng: np.random.Generator) -> np.ndarray:
    """Apply the style's strokes to the lettering mask (H, W) uint8; returns the new mask."""
    pad = int(TEXT_SIZE * 0.8)
    mask = np.pad(mask, pad)
    s = TEXT_SIZE
    ys, xs = np.nonzero(mask > 127)
    if len(xs) == 0:
        return mask
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    if spec.style != "plain" and rng.random() < 0.5:
        ornaments.bar(mask, int(y1 + s * rng.uniform(0.05, 0.25)), int(x0 - s * 0.4), int(x1 + s * 0.4),
                      int(s * rng.uniform(0.05, 0.12)))
    if spec.style == "blackletter":
        ornaments.thorns(mask, rng, int(rng.integers(4, 16)), s * 0.5, s * 0.08, vertical_bias=0.7)
    elif spec.style == "thorny":
        ornaments.thorns(mask, rng, int(rng.integers(25, 70)), s * rng.uniform(0.3, 0.8), s * 0.1)
    elif spec.style == "symmetric":
        ornaments.thorns(mask, rng, int(rng.integers(8, 24)), s * 0.6, s * 0.1, vertical_bias=0.5)
        mask = ornaments.mirror(mask) if rng.random() < 0.5 else np.maximum(mask, _mirrored_frame(mask, rng))
    elif spec.style == "drips":
        ornaments.drips(mask, rng, int(rng.integers(10, 30)), s * rng.uniform(0.4, 1.0), s * 0.08)
    elif spec.style == "outlined":
        if rng.random() < 0.5:
            mask = ornaments.extrude(mask, rng.uniform(-1.5, 1.5), rng.uniform(1.0, 2.0), int(s * 0.08), 7)
        else:
            mask = ornaments.outline(mask, int(rng.integers(3, 7)))
    elif spec.style == "tangle":
        ornaments.branches(mask, rng, int(rng.integers(20, 45)), int(rng.integers(12, 30)), s * 0.05)
        ornaments.thorns(mask, rng, int(rng.integers(10, 30)), s * 0.9, s * 0.06, vertical_bias=0.8)
        if rng.random() < 0.6:
            mask = ornaments.mirror(mask)
    return mask


def _mirrored_frame(mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Wing-like strokes on the left, mirrored to the right: the symmetric frame of a logo."""
    frame = np.zeros_like(mask)
    h, w = mask.shape
    ys, xs = np.nonzero(mask > 127)
    cx, cy = w / 2, (ys.min() + ys.max()) / 2
    for _ in range(int(rng.integers(3, 7))):
        start = np.array([xs.min() + rng.uniform(0, 0.3) * (cx - xs.min()), cy + rng.normal(0, 0.2) * h])
        end = start + np.array([-rng.uniform(0.1, 0.3) * w, rng.normal(0, 0.25) * h])
        cv2.line(frame, tuple(start.astype(int)), tuple(end.astype(int)), 255, int(rng.integers(4, 14)), cv2.LINE_AA)
    return ornaments.mirror(frame)


def _crop(mask: np.ndarray, margin: float) -> np.ndarray:
    ys, xs = np.nonzero(mask > 24)
    if len(xs) == 0:
        return mask
    m = int(margin * (ys.max() - ys.min() + 1))
    y0, y1 = max(0, ys.min() - m), min(mask.shape[0], ys.max() + m + 1)
    x0, x1 = max(0, xs.min() - m), min(mask.shape[1], xs.max() + m + 1)
    return mask[y0:y1, x0:x1]


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


def render_mask(spec: LogoSpec) -> np.ndarray:
    """The logo's ink as (H, W) uint8 in 0..255, `spec.width` wide, background 0."""
    rng = np.random.default_rng(list(spec.entropy))
    mask = _decorate(_layout(spec, rng), spec, rng)
    if spec.style != "plain" or rng.random() < 0.5:
        mask = ornaments.warp(mask, rng, arch=rng.uniform(-0.12, 0.12), wobble=rng.uniform(0.0, 0.025))
    mask = _fit_aspect(_crop(mask, margin=0.08))
    h, w = mask.shape
    height = max(1, round(h * spec.width / w))
    return cv2.resize(mask, (spec.width, height), interpolation=cv2.INTER_AREA)


def _metal_fill(mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Coloured art: a vertical metallic gradient inside the ink, bevel light, dark rim, on a dark or
    coloured backdrop. mask: (H, W) uint8. Returns (H, W, 3) uint8 RGB."""
    h, w = mask.shape
    top, bottom = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
    ramp = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    ramp = (ramp + 0.25 * np.sin(ramp * rng.uniform(6, 14))) % 1.0
    fill = top * (1 - ramp) + bottom * ramp
    soft = cv2.GaussianBlur(mask.astype(np.float32) / 255, (0, 0), max(1.0, h / 120))
    gy, gx = np.gradient(soft)
    light = np.clip(0.5 + 6 * (-gx - gy) * min(h, w) / 100, 0, 1)[..., None]
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
    return Image.fromarray(255 - mask, "L")


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
