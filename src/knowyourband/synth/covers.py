"""Album cover art: procedural landscapes, paint, geometry, dark minimalism and collage, with the band's
logo and the title on some."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from knowyourband.synth import fonts, logos

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
    entropy: tuple[int, ...]


def choose(rng: np.random.Generator, title: str, logo: logos.LogoSpec, found: fonts.Fonts, size: int,
           entropy: tuple[int, ...]) -> CoverSpec:
    """Draw a style and decide whether the band logo and the title appear on the cover."""
    style = STYLES[int(rng.choice(len(STYLES), p=STYLE_WEIGHTS))]
    show_logo = rng.random() < 0.65
    title_font = found.pick(rng, ("plain", "decorative", "blackletter")[int(rng.integers(3))]) if rng.random() < 0.55 else None
    return CoverSpec(title, style, size, logo if show_logo else None, title_font, entropy)


def fbm(rng: np.random.Generator, shape: tuple[int, int], octaves: int = 6, base: int = 3,
        persistence: float = 0.55) -> np.ndarray:
    """Fractal value noise in 0..1. Returns (H, W) float32.

    The octaves are summed on a grid of at most 256 px a side and upsampled once: the finest octave
    is never finer than that grid, and one large resize is far cheaper than one per octave.
    """
    h, w = shape
    gh, gw = min(h, 256), min(w, 256)
    out = np.zeros((gh, gw), np.float32)
    amp = 1.0
    for o in range(octaves):
        cells = base * 2 ** o
        grid = rng.random((min(cells, gh) + 1, min(cells, gw) + 1), dtype=np.float32)
        out += amp * cv2.resize(grid, (gw, gh), interpolation=cv2.INTER_CUBIC)
        amp *= persistence
    lo, hi = float(out.min()), float(out.max())
    out = (out - lo) / (hi - lo + 1e-6)
    return out if (gh, gw) == (h, w) else cv2.resize(out, (w, h), interpolation=cv2.INTER_CUBIC)


def grain(rng: np.random.Generator, shape: tuple[int, int], strength: float) -> np.ndarray:
    """Film-grain multiplier around 1. Returns (H, W, 1) float32."""
    return (1 + strength * rng.standard_normal(shape, dtype=np.float32))[..., None]


def _palette(rng: np.random.Generator, n: int) -> np.ndarray:
    """n related colours around a random hue, darkened like metal artwork. Returns (n, 3) float32 RGB."""
    hue = rng.uniform(0, 180)
    hsv = np.zeros((1, n, 3), np.uint8)
    hsv[0, :, 0] = (hue + rng.normal(0, 18, n)) % 180
    hsv[0, :, 1] = rng.uniform(40, 230, n)
    hsv[0, :, 2] = np.sort(rng.uniform(15, 240, n))
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)[0].astype(np.float32)


def _ramp(values: np.ndarray, colours: np.ndarray) -> np.ndarray:
    """Map values (H, W) in 0..1 through a colour ramp (n, 3), via a 256-entry table. Returns (H, W, 3) float32."""
    stops = np.linspace(0, 1, len(colours))
    table = np.stack([np.interp(np.linspace(0, 1, 256), stops, colours[:, c]) for c in range(3)], 1)
    index = cv2.convertScaleAbs(values, alpha=255.0)
    return cv2.LUT(cv2.merge([index, index, index]), table.astype(np.uint8)[None]).astype(np.float32)


def _photo(rng: np.random.Generator, s: int) -> np.ndarray:
    """Sky of fractal clouds over layers of mountain ridges fading into haze."""
    sky = _ramp(np.clip(fbm(rng, (s, s), base=2) * 0.6 + np.linspace(0, 0.4, s, dtype=np.float32)[:, None], 0, 1),
                _palette(rng, 4))
    horizon = rng.uniform(0.35, 0.7)
    layers = int(rng.integers(2, 6))
    rows = np.arange(s, dtype=np.float32)[:, None]
    front = np.full((s, s), -1, np.int8)  # which ridge layer covers each pixel (-1: sky)
    for k in range(layers):
        ridge = fbm(rng, (1, s), octaves=7, base=int(rng.integers(2, 6)))[0]
        top = (horizon + 0.35 * k / layers - rng.uniform(0.05, 0.3) * ridge) * s
        front[rows > top[None, :]] = k
    # Nearer ridges are darker and more saturated; a shared rock texture gives them surface.
    shades = _palette(rng, layers)[::-1] * np.linspace(1.0, 0.5, layers, dtype=np.float32)[:, None]
    rock = (0.45 + 0.75 * fbm(rng, (s, s), octaves=6, base=6))[..., None]
    return np.where((front >= 0)[..., None], shades[np.maximum(front, 0)] * rock, sky)


def _painted(rng: np.random.Generator, s: int) -> np.ndarray:
    """Soft colour fields with broad brush strokes over a canvas-like texture."""
    img = _ramp(fbm(rng, (s, s), base=2, octaves=4), _palette(rng, 3))
    strokes = np.zeros_like(img)
    alpha = np.zeros((s, s), np.float32)
    colours = _palette(rng, 6)
    for _ in range(int(rng.integers(15, 50))):
        p0 = rng.uniform(0, s, 2)
        p1 = p0 + rng.normal(0, s * 0.2, 2)
        width = int(rng.uniform(0.01, 0.06) * s)
        col = colours[int(rng.integers(len(colours)))]
        cv2.line(strokes, tuple(p0.astype(int)), tuple(p1.astype(int)), col.tolist(), width, cv2.LINE_AA)
        cv2.line(alpha, tuple(p0.astype(int)), tuple(p1.astype(int)), float(rng.uniform(0.3, 0.9)), width, cv2.LINE_AA)
    alpha = cv2.GaussianBlur(alpha, (0, 0), s / 300)[..., None]
    strokes = cv2.GaussianBlur(strokes, (0, 0), s / 300)
    img = img * (1 - alpha) + strokes * alpha
    return img


def _geometric(rng: np.random.Generator, s: int) -> np.ndarray:
    """Concentric rings, polygons and rays in hard edges."""
    colours = _palette(rng, 6)
    img = np.zeros((s, s, 3), np.float32) + colours[0]
    c = rng.uniform(0.3, 0.7, 2) * s
    for _ in range(int(rng.integers(4, 12))):
        col = colours[int(rng.integers(1, 6))].tolist()
        kind = int(rng.integers(3))
        if kind == 0:
            cv2.circle(img, tuple(c.astype(int)), int(rng.uniform(0.05, 0.5) * s), col, int(rng.integers(2, 30)), cv2.LINE_AA)
        elif kind == 1:
            n = int(rng.integers(3, 9))
            ang = rng.uniform(0, 2 * np.pi) + np.arange(n) * 2 * np.pi / n
            r = rng.uniform(0.1, 0.5) * s
            pts = np.stack([c[0] + r * np.cos(ang), c[1] + r * np.sin(ang)], 1).astype(np.int32)
            if rng.random() < 0.5:
                cv2.fillPoly(img, [pts], col, cv2.LINE_AA)
            else:
                cv2.polylines(img, [pts], True, col, int(rng.integers(2, 20)), cv2.LINE_AA)
        else:
            for a in np.linspace(0, 2 * np.pi, int(rng.integers(6, 40)), endpoint=False) + rng.uniform(0, 1):
                end = c + np.array([np.cos(a), np.sin(a)]) * s
                cv2.line(img, tuple(c.astype(int)), tuple(end.astype(int)), col, int(rng.integers(1, 6)), cv2.LINE_AA)
    return img


def _minimal(rng: np.random.Generator, s: int) -> np.ndarray:
    """Near-black ground with grain and one pale sigil."""
    img = np.zeros((s, s, 3), np.float32) + rng.uniform(0, 25, 3)
    img *= (0.6 + 0.8 * fbm(rng, (s, s), octaves=6, base=4))[..., None] * grain(rng, (s, s), 0.15)
    sigil = np.zeros((s, s), np.uint8)
    c = np.array([s / 2, s * rng.uniform(0.4, 0.55)])
    r = s * rng.uniform(0.12, 0.3)
    n = int(rng.integers(5, 12))
    ang = rng.uniform(0, 2 * np.pi) + np.arange(n) * 2 * np.pi / n
    pts = np.stack([c[0] + r * np.cos(ang), c[1] + r * np.sin(ang)], 1)
    step = int(rng.integers(2, max(3, n // 2 + 1)))
    for i in range(n):
        a, b = pts[i], pts[(i * step + step) % n]
        cv2.line(sigil, tuple(a.astype(int)), tuple(b.astype(int)), 255, max(2, s // 250), cv2.LINE_AA)
    cv2.circle(sigil, tuple(c.astype(int)), int(r * 1.08), 255, max(2, s // 300), cv2.LINE_AA)
    colour = rng.uniform(120, 240, 3)
    a = sigil.astype(np.float32)[..., None] / 255
    return img * (1 - a) + colour * a


def _collage(rng: np.random.Generator, s: int) -> np.ndarray:
    """Many overlapping panels of different textures: noise, stripes, rings, gradients."""
    img = _ramp(fbm(rng, (s, s), base=4), _palette(rng, 3))
    for _ in range(int(rng.integers(6, 16))):
        w, h = (rng.uniform(0.15, 0.5, 2) * s).astype(int)
        x, y = int(rng.uniform(-0.1, 0.9) * s), int(rng.uniform(-0.1, 0.9) * s)
        x0, y0, x1, y1 = max(0, x), max(0, y), min(s, x + w), min(s, y + h)
        if x1 <= x0 or y1 <= y0:
            continue
        kind = int(rng.integers(3))
        ph, pw = y1 - y0, x1 - x0
        if kind == 0:
            panel = _ramp(fbm(rng, (ph, pw), octaves=5, base=int(rng.integers(2, 8))), _palette(rng, 3))
        elif kind == 1:
            period = rng.uniform(6, 40)
            stripes = (np.sin((np.arange(pw)[None, :] + np.arange(ph)[:, None] * rng.uniform(-1, 1)) / period) > 0)
            panel = _ramp(stripes.astype(np.float32), _palette(rng, 2))
        else:
            yy, xx = np.mgrid[0:ph, 0:pw]
            rings = np.sin(np.hypot(yy - ph / 2, xx - pw / 2) / rng.uniform(4, 20)) * 0.5 + 0.5
            panel = _ramp(rings.astype(np.float32), _palette(rng, 3))
        img[y0:y1, x0:x1] = panel
        cv2.rectangle(img, (x0, y0), (x1 - 1, y1 - 1), (235, 235, 235), max(1, s // 200))
    return img


PAINTERS = {"photo": _photo, "painted": _painted, "geometric": _geometric, "minimal": _minimal, "collage": _collage}


def _place_logo(img: np.ndarray, spec: CoverSpec, rng: np.random.Generator) -> None:
    """Letter the band logo across the top (or bottom) in a light or dark ink, in place."""
    s = spec.size
    logo = logos.LogoSpec(spec.logo.name, spec.logo.style, spec.logo.polarity, spec.logo.font,
                          int(s * rng.uniform(0.55, 0.9)), spec.logo.entropy)
    mask = logos.render_mask(logo)
    if mask.shape[0] > s // 3:  # a tall logo is shrunk to keep the art visible
        mask = cv2.resize(mask, (max(1, mask.shape[1] * (s // 3) // mask.shape[0]), s // 3), interpolation=cv2.INTER_AREA)
    h, w = mask.shape
    x = int((s - w) / 2 + rng.normal(0, 0.03) * s)
    y = int(s * 0.04) if rng.random() < 0.75 else s - h - int(s * 0.04)
    x = min(max(0, x), s - w)
    region = img[y:y + h, x:x + w]
    light = region.mean() < 110
    ink = np.array([235, 235, 235] if light else [15, 10, 10], np.float32) * rng.uniform(0.85, 1.0)
    a = mask.astype(np.float32)[..., None] / 255
    img[y:y + h, x:x + w] = region * (1 - a) + ink * a


def _place_title(img: np.ndarray, spec: CoverSpec, rng: np.random.Generator) -> np.ndarray:
    """Print the album title near the bottom. Returns the new (S, S, 3) image."""
    s = spec.size
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(pil)
    size = max(12, int(s * rng.uniform(0.035, 0.07)))
    font = fonts.load(spec.title_font, size)
    while font.getlength(spec.title) > s * 0.9 and size > 10:
        size = int(size * 0.85)
        font = fonts.load(spec.title_font, size)
    y = s * rng.uniform(0.84, 0.93)
    light = img[int(y) - size:int(y), :].mean() < 110
    draw.text((s / 2, y), spec.title, font=font, anchor="ms", fill=(230, 225, 215) if light else (20, 15, 15))
    return np.asarray(pil).astype(np.float32)


def render(spec: CoverSpec) -> Image.Image:
    """The square RGB cover image for `spec`, `spec.size` pixels a side."""
    rng = np.random.default_rng(list(spec.entropy))
    img = PAINTERS[spec.style](rng, spec.size)
    if spec.logo is not None:
        _place_logo(img, spec, rng)
    if spec.title_font is not None:
        img = _place_title(img, spec, rng)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
