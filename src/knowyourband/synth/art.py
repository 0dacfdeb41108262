"""Procedural cover art: every painter takes a random stream and a size and returns (S, S, 3) float32 RGB.

Each painter mixes large seed-driven structure (ridges, shapes, strokes, panels, trees) with texture,
so that thousands of covers stay tellable apart by local features, not just by colour.
"""

from __future__ import annotations

import cv2
import numpy as np


def fbm(rng: np.random.Generator, shape: tuple[int, int], octaves: int = 6, base: int = 3,
        persistence: float = 0.55) -> np.ndarray:
    """Fractal value noise in 0..1. Returns (H, W) float32.

    The octaves are summed on a grid of at most 256 px a side and upsampled once: one large resize
    is far cheaper than one per octave, and finer octaves would only add invisible detail.
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


def palette(rng: np.random.Generator, n: int) -> np.ndarray:
    """n related colours around a random hue, from dark to light. Returns (n, 3) float32 RGB."""
    hsv = np.zeros((1, n, 3), np.uint8)
    hsv[0, :, 0] = (rng.uniform(0, 180) + rng.normal(0, 18, n)) % 180
    hsv[0, :, 1] = rng.uniform(40, 230, n)
    hsv[0, :, 2] = np.sort(rng.uniform(15, 240, n))
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)[0].astype(np.float32)


def ramp(values: np.ndarray, colours: np.ndarray) -> np.ndarray:
    """Map values (H, W) in 0..1 through a colour ramp (n, 3) via a 256-entry table. Returns (H, W, 3) float32."""
    stops = np.linspace(0, 1, len(colours))
    table = np.stack([np.interp(np.linspace(0, 1, 256), stops, colours[:, c]) for c in range(3)], 1)
    index = cv2.convertScaleAbs(values, alpha=255.0)
    return cv2.LUT(cv2.merge([index, index, index]), table.astype(np.uint8)[None]).astype(np.float32)


def tree(canvas: np.ndarray, rng: np.random.Generator, root: tuple[float, float], height: float, width: float,
         colour: tuple[float, ...] = (255,)) -> None:
    """A bare, forking tree growing up from `root`, drawn straight onto `canvas` (a layer or the image)."""
    stack = [(np.array(root, float), np.array([0.0, -1.0]), width, height)]
    budget = 250  # segments: forking would otherwise grow exponentially on big covers
    while stack and budget > 0:
        p, d, w, length = stack.pop(0)
        if length < max(4.0, height * 0.04) or w < 0.6:
            continue
        budget -= 1
        d = d + rng.normal(0, 0.25, 2)
        d /= np.linalg.norm(d)
        q = p + d * length * rng.uniform(0.25, 0.4)
        cv2.line(canvas, tuple(np.round(p).astype(int)), tuple(np.round(q).astype(int)), colour, max(1, int(w)),
                 cv2.LINE_AA)
        for _ in range(int(rng.integers(1, 4))):
            turn = rng.normal(0, 0.6)
            nd = np.array([d[0] * np.cos(turn) - d[1] * np.sin(turn), d[0] * np.sin(turn) + d[1] * np.cos(turn)])
            stack.append((q, nd, w * rng.uniform(0.55, 0.8), length * rng.uniform(0.55, 0.8)))


def _blend(img: np.ndarray, layer: np.ndarray, colour: np.ndarray, texture: np.ndarray | None = None,
           origin: tuple[int, int] = (0, 0)) -> np.ndarray:
    """Paint `colour` (3,) over img (S, S, 3) float32 where layer (h, w) uint8 has ink, in place.

    texture: optional (S, S) float32 multiplier of the colour; origin: where layer's top-left sits in img.
    Only the ink's bounding box is touched: most strokes and shapes cover a small part of the cover.
    """
    x, y, w, h = cv2.boundingRect(layer)
    if w == 0 or h == 0:
        return img
    ox, oy = origin
    box = (slice(oy + y, oy + y + h), slice(ox + x, ox + x + w))
    a = layer[y:y + h, x:x + w].astype(np.float32)[..., None]
    a *= 1 / 255
    region = img[box]
    diff = (colour if texture is None else colour * texture[box][..., None]) - region
    diff *= a
    region += diff
    return img


def _stroke(img: np.ndarray, p0: np.ndarray, p1: np.ndarray, width: int, alpha: int, colour: np.ndarray,
            texture: np.ndarray | None) -> None:
    """One straight brush stroke, drawn on a canvas just big enough for it, in place."""
    s = img.shape[0]
    lo = np.clip(np.minimum(p0, p1) - width, 0, s - 1).astype(int)
    hi = np.clip(np.maximum(p0, p1) + width, 1, s).astype(int)
    if (hi <= lo).any():
        return
    layer = np.zeros((hi[1] - lo[1], hi[0] - lo[0]), np.uint8)
    cv2.line(layer, tuple((p0 - lo).astype(int)), tuple((p1 - lo).astype(int)), alpha, width, cv2.LINE_AA)
    _blend(img, layer, colour, texture, (int(lo[0]), int(lo[1])))


def photo(rng: np.random.Generator, s: int) -> np.ndarray:
    """Clouded sky (with moon or stars), textured mountain ridges, and often dead trees in front."""
    sky = ramp(np.clip(fbm(rng, (s, s), base=2) * 0.7 + np.linspace(0, 0.3, s, dtype=np.float32)[:, None], 0, 1),
               palette(rng, 4))
    if rng.random() < 0.5:
        for x, y in rng.uniform(0, s, (int(rng.integers(40, 200)), 2)):
            cv2.circle(sky, (int(x), int(y)), int(rng.integers(1, 3)), (240, 240, 230), -1, cv2.LINE_AA)
    if rng.random() < 0.5:
        r = int(s * rng.uniform(0.05, 0.15))
        cx = int(np.clip(rng.uniform(0.15, 0.85) * s, r + 1, s - r - 2))
        cy = int(np.clip(rng.uniform(0.1, 0.35) * s, r + 1, s - r - 2))
        moon = np.zeros((2 * r + 3, 2 * r + 3), np.uint8)
        cv2.circle(moon, (r + 1, r + 1), r, 255, -1, cv2.LINE_AA)
        # Craters: the moon's opacity varies, so the sky shows through its darker seas.
        moon = (moon * (0.65 + 0.35 * fbm(rng, moon.shape, octaves=5, base=4))).astype(np.uint8)
        sky = _blend(sky, moon, np.float32([235, 230, 210]), origin=(cx - r - 1, cy - r - 1))
    horizon = rng.uniform(0.35, 0.7)
    layers = int(rng.integers(2, 6))
    rows = np.arange(s, dtype=np.float32)[:, None]
    front = np.full((s, s), -1, np.int8)  # which ridge covers each pixel (-1: sky)
    for k in range(layers):
        ridge = fbm(rng, (1, s), octaves=7, base=int(rng.integers(2, 6)))[0]
        top = (horizon + 0.35 * k / layers - rng.uniform(0.05, 0.3) * ridge) * s
        front[rows > top[None, :]] = k
    shades = palette(rng, layers)[::-1] * np.linspace(1.0, 0.55, layers, dtype=np.float32)[:, None]
    rock = (0.3 + 1.0 * fbm(rng, (s, s), octaves=6, base=int(rng.integers(5, 12))))[..., None]
    img = np.where((front >= 0)[..., None], shades[np.maximum(front, 0)] * rock, sky)
    if rng.random() < 0.6:
        colour = tuple(float(c) for c in rng.uniform(0, 30, 3))
        for x in rng.uniform(0, s, int(rng.integers(1, 5))):
            tree(img, rng, (x, s * 1.02), s * rng.uniform(0.3, 0.8), s * rng.uniform(0.01, 0.03), colour)
    return img


def painted(rng: np.random.Generator, s: int) -> np.ndarray:
    """Soft colour fields under broad, bristly brush strokes and splatter."""
    img = ramp(fbm(rng, (s, s), base=2, octaves=4), palette(rng, 3))
    colours = palette(rng, 6)
    bristle = 0.75 + 0.5 * fbm(rng, (s, s), octaves=4, base=24)
    for _ in range(int(rng.integers(12, 40))):
        p0 = rng.uniform(0, s, 2)
        p1 = np.clip(p0 + rng.normal(0, s * 0.2, 2), 0, s - 1)
        _stroke(img, p0, p1, max(2, int(rng.uniform(0.01, 0.07) * s)), int(rng.integers(120, 255)),
                colours[int(rng.integers(len(colours)))], bristle)
    splatter = np.zeros((s, s), np.uint8)
    centre = rng.uniform(0.2, 0.8, 2) * s
    for p in centre + rng.normal(0, s * 0.12, (int(rng.integers(20, 120)), 2)):
        cv2.circle(splatter, tuple(p.astype(int)), int(rng.integers(1, max(2, s // 80))), 255, -1, cv2.LINE_AA)
    return _blend(cv2.GaussianBlur(img, (0, 0), s / 800), splatter, colours[int(rng.integers(len(colours)))])


def _shape(canvas: np.ndarray, rng: np.random.Generator, c: np.ndarray, s: int,
           colour: tuple[float, ...] = (255,)) -> None:
    """One ring, polygon, fan of rays or slab around centre `c`, drawn onto a layer or the image."""
    kind = int(rng.integers(4))
    thick = int(rng.integers(2, max(3, s // 40)))
    if kind == 0:
        cv2.circle(canvas, tuple(c.astype(int)), int(rng.uniform(0.05, 0.45) * s), colour, thick, cv2.LINE_AA)
    elif kind == 1:
        n = int(rng.integers(3, 9))
        ang = rng.uniform(0, 2 * np.pi) + np.arange(n) * 2 * np.pi / n
        r = rng.uniform(0.08, 0.45) * s
        pts = np.stack([c[0] + r * np.cos(ang), c[1] + r * np.sin(ang)], 1).astype(np.int32)
        if rng.random() < 0.4:
            cv2.fillPoly(canvas, [pts], colour, cv2.LINE_AA)
        else:
            cv2.polylines(canvas, [pts], True, colour, thick, cv2.LINE_AA)
            for p in pts:  # small rings on the vertices: the "sacred geometry" look
                cv2.circle(canvas, tuple(p), int(r * rng.uniform(0.05, 0.2)), colour, max(1, thick // 2), cv2.LINE_AA)
    elif kind == 2:
        for a in np.linspace(0, 2 * np.pi, int(rng.integers(6, 40)), endpoint=False) + rng.uniform(0, 1):
            end = c + np.array([np.cos(a), np.sin(a)]) * s * rng.uniform(0.2, 1.0)
            cv2.line(canvas, tuple(c.astype(int)), tuple(end.astype(int)), colour, int(rng.integers(1, 6)), cv2.LINE_AA)
    else:
        box = cv2.boxPoints(((float(c[0]), float(c[1])), tuple(rng.uniform(0.05, 0.5, 2) * s), float(rng.uniform(0, 90))))
        cv2.fillPoly(canvas, [box.astype(np.int32)], colour, cv2.LINE_AA)


def geometric(rng: np.random.Generator, s: int) -> np.ndarray:
    """Rings, polygons, rays and slabs in hard edges, some filled with noise or stripes, on a textured ground."""
    colours = palette(rng, 6)
    img = ramp(fbm(rng, (s, s), octaves=5, base=3) * 0.5, colours[:3])
    centres = rng.uniform(0.2, 0.8, (int(rng.integers(1, 4)), 2)) * s
    stripes = 0.5 + (np.sin(np.arange(s, dtype=np.float32)[None, :] / rng.uniform(3, 12)
                            + np.arange(s, dtype=np.float32)[:, None] * rng.uniform(-0.3, 0.3)) > 0)
    noise = 0.4 + fbm(rng, (s, s), octaves=5, base=12)
    for _ in range(int(rng.integers(6, 16))):
        centre = centres[int(rng.integers(len(centres)))] + rng.normal(0, s * 0.05, 2)
        colour = colours[int(rng.integers(1, 6))]
        fill = rng.random()
        if fill >= 0.5:  # a flat colour is drawn straight onto the image
            _shape(img, rng, centre, s, tuple(float(c) for c in colour))
            continue
        layer = np.zeros((s, s), np.uint8)
        _shape(layer, rng, centre, s)
        _blend(img, layer, colour, stripes if fill < 0.25 else noise)
    return img


def minimal(rng: np.random.Generator, s: int, glyphs: list[np.ndarray]) -> np.ndarray:
    """Near-black ground with grain, fog, and one pale sigil ringed by glyphs (H, W) uint8 masks."""
    img = np.zeros((s, s, 3), np.float32) + rng.uniform(0, 25, 3)
    img *= (0.5 + 1.2 * fbm(rng, (s, s), octaves=6, base=4))[..., None] * grain(rng, (s, s), 0.06)
    sigil = np.zeros((s, s), np.uint8)
    c = np.array([s / 2, s * rng.uniform(0.4, 0.55)])
    r = s * rng.uniform(0.12, 0.3)
    n = int(rng.integers(5, 12))
    ang = rng.uniform(0, 2 * np.pi) + np.arange(n) * 2 * np.pi / n
    pts = np.stack([c[0] + r * np.cos(ang), c[1] + r * np.sin(ang)], 1)
    step = int(rng.integers(2, max(3, n // 2 + 1)))
    line = max(3, s // 110)
    for i in range(n):
        cv2.line(sigil, tuple(pts[i].astype(int)), tuple(pts[(i + step) % n].astype(int)), 255, line, cv2.LINE_AA)
        if rng.random() < 0.5:
            cv2.circle(sigil, tuple(pts[i].astype(int)), int(r * rng.uniform(0.04, 0.12)), 255, line, cv2.LINE_AA)
    cv2.circle(sigil, tuple(c.astype(int)), int(r * 1.08), 255, line, cv2.LINE_AA)
    cv2.circle(sigil, tuple(c.astype(int)), int(r * 1.35), 255, line, cv2.LINE_AA)
    for k, glyph in enumerate(glyphs):  # a ring of letters between the two circles
        a = 2 * np.pi * k / max(1, len(glyphs))
        g = cv2.resize(glyph, None, fx=r * 0.24 / max(glyph.shape), fy=r * 0.24 / max(glyph.shape))
        gh, gw = g.shape
        x = int(c[0] + r * 1.22 * np.cos(a) - gw / 2)
        y = int(c[1] + r * 1.22 * np.sin(a) - gh / 2)
        if 0 <= x and 0 <= y and x + gw <= s and y + gh <= s:
            sigil[y:y + gh, x:x + gw] = np.maximum(sigil[y:y + gh, x:x + gw], g)
    return _blend(img, sigil, rng.uniform(120, 240, 3).astype(np.float32))


def collage(rng: np.random.Generator, s: int) -> np.ndarray:
    """Many overlapping framed panels of different textures: noise, stripes, rings, tiny landscapes."""
    img = ramp(fbm(rng, (s, s), base=4), palette(rng, 3))
    for _ in range(int(rng.integers(6, 16))):
        w, h = (rng.uniform(0.15, 0.5, 2) * s).astype(int)
        x, y = int(rng.uniform(-0.1, 0.9) * s), int(rng.uniform(-0.1, 0.9) * s)
        x0, y0, x1, y1 = max(0, x), max(0, y), min(s, x + w), min(s, y + h)
        if x1 - x0 < 8 or y1 - y0 < 8:
            continue
        ph, pw = y1 - y0, x1 - x0
        kind = int(rng.integers(4))
        if kind == 0:
            panel = ramp(fbm(rng, (ph, pw), octaves=5, base=int(rng.integers(2, 8))), palette(rng, 3))
        elif kind == 1:
            period = rng.uniform(6, 40)
            band = np.sin((np.arange(pw)[None, :] + np.arange(ph)[:, None] * rng.uniform(-1, 1)) / period) > 0
            panel = ramp(band.astype(np.float32), palette(rng, 2))
        elif kind == 2:
            yy, xx = np.mgrid[0:ph, 0:pw]
            rings = np.sin(np.hypot(yy - ph * rng.random(), xx - pw * rng.random()) / rng.uniform(4, 20)) * 0.5 + 0.5
            panel = ramp(rings.astype(np.float32), palette(rng, 3))
        else:
            side = max(ph, pw)
            panel = photo(rng, side)[:ph, :pw] if side <= 700 else ramp(fbm(rng, (ph, pw)), palette(rng, 4))
        img[y0:y1, x0:x1] = panel
        cv2.rectangle(img, (x0, y0), (x1 - 1, y1 - 1), (235, 235, 235), max(1, s // 200))
    return img
