"""Album cover art: procedural landscapes, paint, geometry, dark minimalism and collage, with the band's
logo and the title on some."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from knowyourband.synth import art, fonts, logos

STYLES = ("photo", "painted", "geometric", "minimal", "collage")
STYLE_WEIGHTS = (0.3, 0.2, 0.2, 0.15, 0.15)


@dataclass(frozen=True)
class CoverSpec:
    """Everything that decides one cover image; rendering it twice gives the same pixels."""

    title: str
    style: str
    size: int
    logo: logos.LogoSpec | None  # the band's logo drawn on the cover, if any
    title_font: str | None  # the title is lettered on the cover when set
    detail_font: str  # letters used inside the art (rune rings)
    entropy: tuple[int, ...]


def choose(rng: np.random.Generator, title: str, logo: logos.LogoSpec, found: fonts.Fonts, size: int,
           entropy: tuple[int, ...]) -> CoverSpec:
    """Draw a style and decide whether the band logo and the title appear on the cover."""
    style = STYLES[int(rng.choice(len(STYLES), p=STYLE_WEIGHTS))]
    show_logo = rng.random() < 0.65
    title_font = found.pick(rng, ("plain", "decorative", "blackletter")[int(rng.integers(3))]) if rng.random() < 0.55 else None
    return CoverSpec(title, style, size, logo if show_logo else None, title_font, found.pick(rng, "decorative"),
                     entropy)


def _glyphs(text: str, font_path: str, size: int) -> list[np.ndarray]:
    """Each letter of `text` as a tight (H, W) uint8 mask, for rings of runes on minimal covers."""
    font = fonts.load(font_path, size)
    out = []
    for ch in text:
        if ch.isspace() or not fonts.has_glyph(font_path, ch):
            continue
        left, top, right, bottom = font.getbbox(ch)
        if right <= left or bottom <= top:
            continue
        canvas = Image.new("L", (right - left, bottom - top), 0)
        ImageDraw.Draw(canvas).text((-left, -top), ch, font=font, fill=255)
        out.append(np.asarray(canvas))
    return out


def _paint(spec: CoverSpec, rng: np.random.Generator) -> np.ndarray:
    if spec.style == "minimal":
        return art.minimal(rng, spec.size, _glyphs(spec.title, spec.detail_font, 64))
    return PAINTERS[spec.style](rng, spec.size)


PAINTERS = {"photo": art.photo, "painted": art.painted, "geometric": art.geometric, "collage": art.collage}


def _place_logo(img: np.ndarray, spec: CoverSpec, rng: np.random.Generator) -> bool:
    """Letter the band logo across the top (or bottom) in a light or dark ink, in place; True if at the top."""
    s = spec.size
    mask = logos.render_mask(spec.logo)
    width = int(s * rng.uniform(0.55, 0.9))
    height = min(s // 3, max(1, round(mask.shape[0] * width / mask.shape[1])))  # tall logos shrink to leave art
    width = max(1, round(mask.shape[1] * height / mask.shape[0]))
    mask = cv2.resize(mask, (width, height), interpolation=cv2.INTER_AREA)
    h, w = mask.shape
    x = int((s - w) / 2 + rng.normal(0, 0.03) * s)
    top = rng.random() < 0.75
    y = int(s * 0.04) if top else s - h - int(s * 0.04)
    x = min(max(0, x), s - w)
    region = img[y:y + h, x:x + w]
    light = region.mean() < 110
    ink = np.array([235, 235, 235] if light else [15, 10, 10], np.float32) * rng.uniform(0.85, 1.0)
    a = mask.astype(np.float32)[..., None] / 255
    img[y:y + h, x:x + w] = region * (1 - a) + ink * a
    return top


def _place_title(img: np.ndarray, spec: CoverSpec, rng: np.random.Generator, bottom: bool) -> np.ndarray:
    """Print the album title near the bottom (or the top). Returns the new (S, S, 3) image."""
    s = spec.size
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(pil)
    size = max(12, int(s * rng.uniform(0.035, 0.07)))
    title = fonts.drawable(spec.title_font, spec.title)
    font = fonts.load(spec.title_font, size)
    while font.getlength(title) > s * 0.9 and size > 10:
        size = int(size * 0.85)
        font = fonts.load(spec.title_font, size)
    y = s * rng.uniform(0.84, 0.93) if bottom else s * rng.uniform(0.07, 0.12) + size
    light = img[max(0, int(y) - size):int(y), :].mean() < 110
    draw.text((s / 2, y), title, font=font, anchor="ms", fill=(230, 225, 215) if light else (20, 15, 15))
    return np.asarray(pil).astype(np.float32)


def render(spec: CoverSpec) -> Image.Image:
    """The square RGB cover image for `spec`, `spec.size` pixels a side."""
    rng = np.random.default_rng(list(spec.entropy))
    img = _paint(spec, rng)
    logo_on_top = _place_logo(img, spec, rng) if spec.logo is not None else True
    if spec.title_font is not None:
        img = _place_title(img, spec, rng, bottom=logo_on_top)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
