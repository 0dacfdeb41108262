"""A vinyl LP sleeve, the record half pulled out, held up or lying on a table or floor."""

from __future__ import annotations

import cv2
import numpy as np

from knowyourband.synth import geometry as geo
from knowyourband.synth.scenes import props
from knowyourband.synth.scenes.backgrounds import background
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import SceneContext

SCREENSHOT = False


def _record(size: int, rng: np.random.Generator) -> Canvas:
    """A black disc with grooves and a coloured centre label, on a transparent canvas."""
    disc = Canvas(size, size, color=(0.04, 0.04, 0.05), alpha=0.0)
    mask = np.zeros((size, size), np.float32)
    c = (size // 2, size // 2)
    cv2.circle(mask, c, size // 2 - 1, 1.0, -1, cv2.LINE_AA)
    disc.alpha = mask
    yy, xx = np.ogrid[0:size, 0:size]
    r = np.hypot(np.float32(xx - c[0]), np.float32(yy - c[1]))
    disc.rgb += (0.03 * (np.sin(r * 1.7) > 0.6)).astype(np.float32)[..., None]  # grooves catching light
    label = np.zeros((size, size), np.float32)
    cv2.circle(label, c, int(size * 0.17), 1.0, -1, cv2.LINE_AA)
    disc.occlude(label, tuple(float(v) for v in rng.uniform(0.2, 1.0, 3)))
    hole = np.zeros((size, size), np.float32)
    cv2.circle(hole, c, max(size // 70, 2), 1.0, -1, cv2.LINE_AA)
    disc.alpha *= 1 - hole
    return disc


def render(ctx: SceneContext) -> Canvas:
    """One LP: the sleeve is the tracked cover; the record behind it pokes out of one side."""
    rng = ctx.rng
    photo = Canvas.from_rgb(background(rng, ctx.width, ctx.height))
    ref = ctx.pick_albums(1)[0]
    pull = rng.uniform(0.0, 0.45)
    size = min(ctx.object_size(1.25), 0.9 * ctx.short) * (1 + pull)  # the sleeve stays inside the frame
    full = ctx.refs.album(ref)
    cover, _ = props.shrink(full, size * 1.3)
    side = cover.shape[1]
    # Sleeve + record on one surface so they share the perspective.
    surface = Canvas(int(side * (1 + pull)) + 2, side, alpha=0.0)
    surface.paste_canvas(_record(int(side * 0.97), rng), geo.translation(side * pull, side * 0.015))
    surface.paste(cover, None, geo.translation(0, 0), ref=ref,
                  size=(full.shape[1], full.shape[0]))
    held = rng.random() < 0.5
    center = props.near_center(ctx)
    tone = props.skin(rng)
    rotation, tilt = ctx.rotation(), ctx.tilt()
    if held:
        props.hand_behind(photo, rng, geo.perspective_quad(side, side, center, size / (1 + pull), rotation, *tilt), tone)
    props.place(ctx, photo, surface, center, size, rotation=rotation, tilt=tilt)
    if rng.random() < 0.5:
        props.glare(photo, photo.objects[-1].quad(), rng, rng.uniform(0.1, 0.5))
    sleeve = photo.objects[-1].quad()
    if held:
        props.thumb_over(photo, rng, sleeve, rng.uniform(0.05, 0.2), tone, edges=(1, 2, 3))
    hide = ctx.occlusion()
    if hide:
        props.cover_part(photo, rng, sleeve, hide, tone=tone if held else None, edges=(1, 2, 3) if held else (0, 1, 2, 3))
    return photo
