"""A festival poster on a wall: 10-40 band logos in tiers, lineup text and dates, some logos tiny."""

from __future__ import annotations

import cv2
import numpy as np

from knowyourband.synth import geometry as geo
from knowyourband.synth.scenes import props
from knowyourband.synth.scenes.backgrounds import background, fractal_noise, random_color
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import SceneContext

SCREENSHOT = False
LOGOS = {"easy": (10, 16), "medium": (14, 26), "hard": (20, 40)}
# Tiers of the bill: (share of the logos, logo box width and height as fractions of the poster's width).
TIERS = ((0.12, 0.62, 0.16), (0.3, 0.3, 0.09), (0.58, 0.17, 0.055))
ASPECT = 1.414  # A-series paper
CITIES = ("Wacken", "Dessel", "Clisson", "Tilburg", "Oslo", "Gothenburg", "Leipzig", "Kortrijk", "Budapest")
MONTHS = ("JUNE", "JULY", "AUGUST")


def _fit(h: int, w: int, box_w: float, box_h: float) -> float:
    """Scale that fits an h x w logo inside a box."""
    return min(box_w / w, box_h / h)


def _poster(ctx: SceneContext, width: int) -> Canvas:
    rng = ctx.rng
    height = int(width * ASPECT)
    dark = rng.random() < 0.7
    paper = random_color(rng, 0.0, 0.2) if dark else random_color(rng, 0.75, 1.0)
    shade = 1 + 0.15 * fractal_noise(rng, width, height, width / 3, 3)
    poster = Canvas.from_rgb(shade[..., None] * paper)
    text_color = tuple(float(v) for v in ((0.95, 0.95, 0.9) if dark else (0.08, 0.06, 0.06)))
    lo, hi = LOGOS[ctx.difficulty]
    refs = ctx.pick_logos(int(rng.integers(lo, hi + 1)))
    festival = f"{rng.choice(['STEEL', 'DARK', 'FROZEN', 'IRON', 'BLACK', 'NORTHERN'])} " \
               f"{rng.choice(['OPEN AIR', 'FEST', 'ASSAULT', 'MASSACRE', 'RITES'])} {int(rng.integers(2019, 2031))}"
    y = width * 0.04
    _, th = props.paste_text(poster, festival, props.font(rng, "decorative", width * 0.07), (width / 2, y + width * 0.04),
                             props.ink_color(rng, paper), anchor_center=True)
    y += th + width * 0.04
    day = int(rng.integers(1, 26))
    dates = f"{day}-{day + 2} {rng.choice(MONTHS)} \u2022 {rng.choice(CITIES).upper()}"
    _, th = props.paste_text(poster, dates, props.font(rng, "plain", width * 0.035), (width / 2, y + width * 0.02),
                             text_color, anchor_center=True)
    y += th + width * 0.03
    counts = np.floor(np.array([t[0] for t in TIERS]) * len(refs)).astype(int)
    counts[0] = max(counts[0], 1)
    counts[-1] = len(refs) - counts[:-1].sum()
    queue = list(refs)
    for (_, box_w, box_h), n in zip(TIERS, counts):
        per_row = max(1, int(0.92 / (box_w + 0.03)))
        for row_start in range(0, n, per_row):
            row = [queue.pop(0) for _ in range(min(per_row, n - row_start))]
            gap = (width - len(row) * box_w * width) / (len(row) + 1)
            for i, ref in enumerate(row):
                logo_h, logo_w = ctx.refs.logo_size(ref)
                s = _fit(logo_h, logo_w, box_w * width * rng.uniform(0.8, 1.0), box_h * width * rng.uniform(0.8, 1.0))
                cx = gap + (gap + box_w * width) * i + box_w * width / 2
                cy = y + box_h * width / 2
                h = geo.translation(cx - logo_w * s / 2, cy - logo_h * s / 2) @ geo.scaling(s)
                poster.paste(*ctx.refs.logo_print(ref, props.ink_color(rng, paper)), h, ref=ref,
                             size=(logo_w, logo_h))
            y += box_h * width * 1.15
        if y < height * 0.92:  # the small print between tiers
            words = " \u2022 ".join(rng.choice(props.WORDS, size=3))
            _, th = props.paste_text(poster, words, props.font(rng, "plain", width * 0.022), (width / 2, y + width * 0.015),
                                     text_color, anchor_center=True)
            y += th + width * 0.02
    return poster


def render(ctx: SceneContext) -> Canvas:
    """The poster fills most of the frame on a wall, a little turned and tilted; sometimes a head is in front."""
    rng = ctx.rng
    photo = Canvas.from_rgb(background(rng, ctx.width, ctx.height, ("wall", "concrete", "wood")))
    # Big enough that the smallest logos keep their detail until the photo shrinks them.
    poster = _poster(ctx, int(ctx.short * rng.uniform(0.9, 1.2)))
    size = ctx.height * rng.uniform(0.75, 1.0) if ctx.height >= ctx.width else ctx.short * rng.uniform(0.8, 1.05)
    if ctx.difficulty == "hard":
        size *= rng.uniform(0.6, 1.0)
    rotation = float(rng.uniform(-1, 1) * min(ctx.level.rotation_deg, 12))
    quad = props.place(ctx, photo, poster, props.near_center(ctx, 0.05), size, rotation=rotation)
    props.glare(photo, quad, rng, rng.uniform(0.0, 0.35))
    if ctx.occlusion():  # someone's head and shoulders in front
        head = np.zeros((ctx.height, ctx.width), np.float32)
        x = int(rng.uniform(0.2, 0.8) * ctx.width)
        r = int(ctx.short * rng.uniform(0.08, 0.08 + ctx.level.occlusion * 0.4))
        cv2.circle(head, (x, ctx.height - r // 2), r, 1.0, -1, cv2.LINE_AA)
        cv2.ellipse(head, (x, ctx.height + r), (int(r * 2.4), int(r * 1.4)), 0, 0, 360, 1.0, -1, cv2.LINE_AA)
        photo.occlude(head, (0.05, 0.04, 0.04))
    return photo
