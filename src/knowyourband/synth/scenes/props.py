"""Things scenes share: text, fingers, shadows, glare, jewel cases, logo inks and fake covers."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from knowyourband.synth import fonts
from knowyourband.synth import geometry as geo
from knowyourband.synth.scenes.backgrounds import fractal_noise, random_color, soft_blur
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import SceneContext

SKIN_TONES = np.array([[0.96, 0.8, 0.69], [0.87, 0.67, 0.53], [0.76, 0.55, 0.4], [0.55, 0.37, 0.26],
                       [0.36, 0.24, 0.17]], np.float32)
WORDS = ("NIGHT", "STEEL", "RITUAL", "ABYSS", "FROST", "IRON", "OPEN AIR", "TICKETS", "LIVE", "TOUR",
         "SALE", "NEW", "VOL. II", "EDITION", "RECORDS", "STAGE", "DOORS 18:00", "FRIDAY", "SATURDAY",
         "SUNDAY", "CAMPING", "FREE ENTRY", "REMASTERED", "DELUXE", "FESTIVAL", "PRESENTS")


def font(rng: np.random.Generator, kind: str, size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """A face of `kind` (`plain`, `decorative`, `blackletter`) at `size` px."""
    return fonts.load(fonts.discover().pick(rng, kind), max(int(size), 6))


def text_mask(text: str, face: ImageFont.ImageFont | ImageFont.FreeTypeFont) -> np.ndarray:
    """The coverage of `text` drawn in `face`, cropped to its ink: (h, w) float32 in [0, 1]."""
    left, top, right, bottom = face.getbbox(text)
    w, h = max(right - left, 1), max(bottom - top, 1)
    im = Image.new("L", (w + 4, h + 4), 0)
    ImageDraw.Draw(im).text((2 - left, 2 - top), text, font=face, fill=255)
    return np.asarray(im, np.float32) / 255


def paste_text(canvas: Canvas, text: str, face: Any, xy: tuple[float, float], color: tuple[float, float, float],
               anchor_center: bool = False) -> tuple[float, float]:
    """Draw `text` at `xy` (its top-left, or centre) in `color`; returns the text's (w, h) in pixels."""
    mask = text_mask(text, face)
    x, y = xy
    if anchor_center:
        x, y = x - mask.shape[1] / 2, y - mask.shape[0] / 2
    canvas.blit(color, mask, x, y)
    return mask.shape[1], mask.shape[0]


def shrink(image: np.ndarray, longest: float) -> tuple[np.ndarray, float]:
    """`image` (h, w, ...) scaled down with area averaging so its longer side is at most `longest`.

    Returns the image and the factor applied (1.0 when it was small enough already).
    """
    h, w = image.shape[:2]
    f = longest / max(h, w)
    if f >= 1:
        return image, 1.0
    size = (max(int(round(w * f)), 1), max(int(round(h * f)), 1))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), size[0] / w


def skin(rng: np.random.Generator) -> tuple[float, float, float]:
    """A skin tone (r, g, b)."""
    c = SKIN_TONES[int(rng.integers(len(SKIN_TONES)))] * rng.uniform(0.9, 1.05)
    return tuple(float(v) for v in np.clip(c, 0, 1))


def finger(canvas: Canvas, rng: np.random.Generator, base: np.ndarray, tip: np.ndarray, width: float,
           color: tuple[float, float, float]) -> None:
    """A finger from `base` to `tip` (pixels), `width` wide at the base, occluding what it covers.

    Tapered, rounded at the tip, shaded round, with a nail and (on short ones) knuckle creases;
    it casts a soft shadow on what lies under it.
    """
    pad = int(width) + 4
    x0, y0 = np.floor(np.minimum(base, tip) - pad).astype(int)
    x1, y1 = np.ceil(np.maximum(base, tip) + pad).astype(int)
    x0, y0 = max(x0, 0), max(y0, 0)
    x1, y1 = min(x1, canvas.width), min(y1, canvas.height)
    if x1 <= x0 or y1 <= y0:
        return
    length = max(float(np.linalg.norm(tip - base)), 1e-6)
    d = (tip - base) / length
    n = np.array([-d[1], d[0]])
    b, t = base - [x0, y0], tip - [x0, y0]
    outline = np.array([b + n * width / 2, t + n * width * 0.4, t - n * width * 0.4, b - n * width / 2])
    mask = np.zeros((y1 - y0, x1 - x0), np.float32)
    cv2.fillPoly(mask, [np.int32(outline * 16)], 1.0, cv2.LINE_AA, shift=4)
    cv2.circle(mask, tuple(np.int32(t * 16)), int(width * 0.4 * 16), 1.0, -1, cv2.LINE_AA, shift=4)
    # The shadow: the same shape, offset and softened, darkening the surface below.
    offset = geo.translation(width * 0.12, width * 0.18)
    shadow = cv2.warpAffine(mask, offset[:2], (mask.shape[1], mask.shape[0]))
    shadow = soft_blur(shadow, max(width * 0.15, 1.0))
    canvas.rgb[y0:y1, x0:x1] *= (1 - 0.35 * shadow)[..., None]
    # Round shading: darker towards the edges.
    dist = cv2.distanceTransform((mask > 0.5).astype(np.uint8), cv2.DIST_L2, 3)
    shade = np.clip(0.6 + 0.8 * dist / max(width / 2, 1), 0.6, 1.05)[..., None]
    rgb = np.float32(color) * shade
    if length < 5 * width:  # a finger, not a forearm: creases at the joints
        for k in (1.0, 2.1):
            c = t - d * width * k
            p, q = c + n * width * 0.3, c - n * width * 0.3
            cv2.line(rgb, tuple(np.int32(p * 16)), tuple(np.int32(q * 16)), tuple(float(v) * 0.75 for v in color),
                     max(int(width * 0.05), 1), cv2.LINE_AA, shift=4)
    nail_c = t - d * width * 0.35
    axes = (max(int(width * 0.25), 1), max(int(width * 0.22), 1))
    angle = float(np.degrees(np.arctan2(d[1], d[0])))
    cv2.ellipse(rgb, (int(nail_c[0]), int(nail_c[1])), axes, angle, 0, 360, tuple(min(float(v) * 1.15, 1.0) for v in color),
                -1, cv2.LINE_AA)
    canvas.occlude(mask, np.clip(rgb, 0, 1), origin=(x0, y0))


def hand_behind(canvas: Canvas, rng: np.random.Generator, quad: np.ndarray, color: tuple[float, float, float]) -> None:
    """A forearm and palm holding an object from below: drawn before the object, which then hides most of it.

    quad: (4, 2) where the object will be. The forearm leaves the photo through the nearest edge
    below the object's bottom side.
    """
    bottom = (quad[2] + quad[3]) / 2
    center = quad.mean(axis=0)
    down = bottom - center
    down /= max(np.linalg.norm(down), 1e-6)
    side = np.linalg.norm(quad[1] - quad[0])
    palm = bottom + down * side * 0.05 + (quad[3] - quad[2]) / max(np.linalg.norm(quad[3] - quad[2]), 1) * side * rng.uniform(-0.2, 0.2)
    elbow = palm + (down + rng.uniform(-0.4, 0.4, 2)) * side * 2.5
    finger(canvas, rng, elbow, palm, side * 0.42, color)
    for angle in np.linspace(-0.5, 0.5, 4) + rng.uniform(-0.1, 0.1):  # fingers spread behind the object
        c, s = np.cos(angle), np.sin(angle)
        up = -np.array([c * down[0] - s * down[1], s * down[0] + c * down[1]])
        finger(canvas, rng, palm, palm + up * side * rng.uniform(0.45, 0.6), side * 0.14, color)


def thumb_over(canvas: Canvas, rng: np.random.Generator, quad: np.ndarray, reach: float, color: tuple[float, float, float],
               edges: tuple[int, ...] = (0, 1, 2, 3)) -> None:
    """A thumb coming from outside one of `edges` of `quad` (4, 2) and reaching `reach` (0-1) of the way in.

    Edges are numbered from the top (0) clockwise: 1 right, 2 bottom, 3 left.
    """
    edge = int(rng.choice(edges))
    a, b = quad[edge], quad[(edge + 1) % 4]
    center = quad.mean(axis=0)
    point = a + (b - a) * rng.uniform(0.2, 0.8)
    inward = center - point
    width = 0.2 * np.linalg.norm(b - a) * rng.uniform(0.6, 1.0)
    tip = point + inward * reach
    base = point - inward * 0.6
    finger(canvas, rng, base, tip, width, color)


def _unit_to_edge(edge: int, along: float, depth: float) -> tuple[float, float]:
    """A point of the unit square given by a position `along` an edge and a `depth` in from it."""
    return [(along, depth), (1 - depth, along), (along, 1 - depth), (depth, along)][edge]


def cover_part(canvas: Canvas, rng: np.random.Generator, quad: np.ndarray, fraction: float,
               tone: tuple[float, float, float] | None = None, edges: tuple[int, ...] = (0, 1, 2, 3)) -> None:
    """Hide about `fraction` of the object at `quad` (4, 2): fingers from one edge, or something on a corner.

    Sizes are laid out in the object's own unit square and projected, so the hidden share holds in
    perspective too; the exact share is measured afterwards from the label map.
    """
    to_photo = geo.homography(geo.corners(1, 1), quad)
    edge = int(rng.choice(edges))
    edge_len = np.linalg.norm(quad[(edge + 1) % 4] - quad[edge])
    if tone is not None or rng.random() < 0.6:  # fingers: 1-4 side by side, each 16 % of the edge wide
        tone = tone or skin(rng)
        k = int(rng.integers(1, 5))
        depth = min(0.95, fraction / (k * 0.16))
        start = rng.uniform(0.0, max(1 - k * 0.17, 0.0))
        for i in range(k):
            along = start + 0.08 + 0.17 * i
            base, tip = geo.project(to_photo, [_unit_to_edge(edge, along, -0.4), _unit_to_edge(edge, along, depth)])
            finger(canvas, rng, base, tip, 0.16 * edge_len, tone)
        return
    # Something lying over a corner: a flyer, a ticket, another sleeve; it comes in from outside.
    a = float(np.clip(np.sqrt(fraction) * rng.uniform(0.8, 1.25), 0.05, 0.95))
    b = float(np.clip(fraction / a, 0.05, 0.95))
    corner = int(rng.integers(4))
    u0, v0 = (-0.3, -0.3)
    rect = np.array([[u0, v0], [a, v0], [a, b], [u0, b]])
    if corner in (1, 2):
        rect[:, 0] = 1 - rect[:, 0]
    if corner in (2, 3):
        rect[:, 1] = 1 - rect[:, 1]
    pts = geo.project(to_photo, rect)
    side = int(np.clip(np.linalg.norm(pts[1] - pts[0]), 16, 1024))
    thing = fake_cover(rng, side)
    canvas.paste(thing, None, geo.homography(geo.corners(side, side), pts))


def drop_shadow(canvas: Canvas, quad: np.ndarray, rng: np.random.Generator, strength: float = 0.5) -> None:
    """Darken the canvas under a soft, offset copy of `quad` (4, 2): an object lying on a surface."""
    size = np.linalg.norm(quad[2] - quad[0])
    offset = rng.uniform(-0.05, 0.05, 2) * size + [0.02 * size, 0.03 * size]
    blur = max(size * rng.uniform(0.01, 0.04), 1.0)
    pad = int(3 * blur + np.abs(offset).max()) + 2
    pts = quad + offset
    x0, y0 = np.maximum(np.floor(pts.min(axis=0)).astype(int) - pad, 0)
    x1, y1 = np.minimum(np.ceil(pts.max(axis=0)).astype(int) + pad, [canvas.width, canvas.height])
    if x1 <= x0 or y1 <= y0:
        return
    mask = np.zeros((y1 - y0, x1 - x0), np.float32)
    cv2.fillPoly(mask, [np.int32((pts - [x0, y0]) * 16)], 1.0, cv2.LINE_AA, shift=4)
    mask = soft_blur(mask, blur)
    canvas.rgb[y0:y1, x0:x1] *= (1 - strength * mask)[..., None]


def glare(canvas: Canvas, quad: np.ndarray, rng: np.random.Generator, strength: float) -> None:
    """A specular highlight on a glossy surface inside `quad` (4, 2): washes colours out, hides nothing."""
    x0, y0 = np.maximum(np.floor(quad.min(axis=0)).astype(int), 0)
    x1, y1 = np.minimum(np.ceil(quad.max(axis=0)).astype(int), [canvas.width, canvas.height])
    if x1 - x0 < 4 or y1 - y0 < 4:
        return
    w, h = x1 - x0, y1 - y0
    spot = np.zeros((h, w), np.float32)
    c = (int(rng.uniform(0.1, 0.9) * w), int(rng.uniform(0.1, 0.9) * h))
    axes = (max(int(w * rng.uniform(0.08, 0.3)), 1), max(int(h * rng.uniform(0.03, 0.12)), 1))
    cv2.ellipse(spot, c, axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
    spot = soft_blur(spot, max(min(w, h) * 0.04, 1.0))
    inside = np.zeros((h, w), np.float32)
    cv2.fillPoly(inside, [np.int32((quad - [x0, y0]) * 16)], 1.0, cv2.LINE_AA, shift=4)
    roi = canvas.rgb[y0:y1, x0:x1]
    a = (spot * inside * strength)[..., None]
    roi += (1 - roi) * a


def jewel_case(cover: np.ndarray, ref: dict[str, Any], rng: np.random.Generator, longest: float | None = None) -> Canvas:
    """A CD jewel case holding `cover` (h, w, 3) float32, as a canvas tracking the cover.

    With `longest` the case is drawn only that big (pixels): enough for where it will appear.
    """
    ch, cw = cover.shape[:2]
    small, f = shrink(cover, longest / 1.15) if longest else (cover, 1.0)
    sh, sw = small.shape[:2]
    hinge = int(sw * 0.09)
    border = int(sw * 0.025)
    case = Canvas(sw + hinge + 2 * border, sh + 2 * border, color=(0.82, 0.84, 0.86), alpha=0.95)
    case.rgb[:, :hinge] *= np.float32(0.55)  # the hinge: ridged, darker plastic
    case.rgb[:, hinge // 3 : hinge // 3 + max(hinge // 10, 1)] *= np.float32(0.6)
    case.paste(small, None, geo.translation(hinge + border, border), ref=ref, size=(cw, ch))
    # The plastic lid reflects a little of the room over everything.
    grad = np.linspace(0, 1, case.width, dtype=np.float32)[None, :] * np.float32(rng.uniform(0.02, 0.1))
    case.rgb += (1 - case.rgb) * grad[..., None]
    return case


def ink_color(rng: np.random.Generator, background: np.ndarray | tuple[float, float, float]) -> tuple[float, float, float]:
    """An ink that reads on `background`: white/black (its opposite polarity) or a saturated colour."""
    lum = float(np.mean(background))
    if rng.random() < 0.35:
        hue = int(rng.integers(180))
        hsv = np.uint8([[[hue, int(rng.integers(150, 256)), int(rng.integers(170, 256) if lum < 0.5 else rng.integers(60, 140))]]])
        return tuple(float(v) / 255 for v in cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)[0, 0])
    v = rng.uniform(0.85, 1.0) if lum < 0.5 else rng.uniform(0.0, 0.12)
    return (v, v, v)


def fake_cover(rng: np.random.Generator, size: int) -> np.ndarray:
    """A square cover-like picture that is in no catalogue: (size, size, 3) float32."""
    c1, c2 = random_color(rng, 0, 1), random_color(rng, 0, 1)
    t = np.linspace(0, 1, size, dtype=np.float32)
    img = (t[:, None, None] * c1 + (1 - t[:, None, None]) * c2) * np.ones((1, size, 1), np.float32)
    img *= (0.8 + 0.2 * fractal_noise(rng, size, size, size / 3, 3))[..., None]
    canvas = Canvas.from_rgb(np.clip(img, 0, 1))
    for _ in range(int(rng.integers(1, 6))):
        shape = np.zeros((size, size), np.float32)
        center = (int(rng.uniform(0, size)), int(rng.uniform(0, size)))
        r = int(size * rng.uniform(0.05, 0.35))
        if rng.random() < 0.5:
            cv2.circle(shape, center, r, 1.0, -1, cv2.LINE_AA)
        else:
            cv2.rectangle(shape, (center[0] - r, center[1] - r // 2), (center[0] + r, center[1] + r), 1.0, -1)
        canvas.occlude(shape * np.float32(rng.uniform(0.5, 1)), tuple(float(v) for v in random_color(rng)))
    face = font(rng, str(rng.choice(["decorative", "blackletter", "plain"])), size * rng.uniform(0.08, 0.16))
    words = " ".join(rng.choice(WORDS, size=int(rng.integers(1, 3))))
    mask = text_mask(words, face)
    scale = min(1.0, size * 0.9 / mask.shape[1])
    canvas.paste(tuple(float(v) for v in random_color(rng)), mask,
                 geo.translation(size * 0.05, size * rng.uniform(0.05, 0.8)) @ geo.scaling(scale))
    return canvas.rgb


def place(ctx: SceneContext, photo: Canvas, surface: Canvas, center: tuple[float, float], size: float,
          rotation: float | None = None, tilt: tuple[float, float] | None = None) -> np.ndarray:
    """Photograph flat `surface` into `photo`: longer side `size` px at `center`, at the level's angles.

    Returns the surface's corners in the photo (4, 2).
    """
    rot = ctx.rotation() if rotation is None else rotation
    tilt_deg, axis = ctx.tilt() if tilt is None else tilt
    quad = geo.perspective_quad(surface.width, surface.height, center, size, rot, tilt_deg, axis)
    photo.paste_canvas(surface, geo.homography(geo.corners(surface.width, surface.height), quad))
    return quad


def near_center(ctx: SceneContext, spread: float = 0.15) -> tuple[float, float]:
    """A point near the photo's centre, `spread` of its size either way."""
    return (ctx.width * (0.5 + ctx.rng.uniform(-spread, spread)), ctx.height * (0.5 + ctx.rng.uniform(-spread, spread)))
