"""A band T-shirt: the logo printed white on black (or black on white, or in colour), cloth folds, part hidden.

The folds bend the print non-rigidly, so no homography maps the reference onto it exactly: the
annotated quad is the least-squares best-fitting projection of a 9 x 9 grid of reference points
(see `Canvas.deform`); its corners stay within a few pixels of the print's true corners.
"""

from __future__ import annotations

import cv2
import numpy as np

from knowyourband.synth import geometry as geo
from knowyourband.synth.scenes import props
from knowyourband.synth.scenes.backgrounds import background, fabric, smooth_noise
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import SceneContext

SCREENSHOT = False
FOLD_AMPLITUDE = {"easy": 0.006, "medium": 0.012, "hard": 0.02}  # of the shirt's width
SHIRT_COLORS = ((0.03, 0.03, 0.035), (0.93, 0.93, 0.9), (0.45, 0.05, 0.06), (0.1, 0.14, 0.3), (0.25, 0.27, 0.22))


def _silhouette(width: int, height: int) -> np.ndarray:
    """A T-shirt's outline (height, width) float32: body, sleeves, neckline."""
    mask = np.zeros((height, width), np.uint8)
    w, h = width, height
    body = np.array([[0.2 * w, 0.12 * h], [0.8 * w, 0.12 * h], [0.8 * w, h], [0.2 * w, h]], np.int32)
    left = np.array([[0.2 * w, 0.12 * h], [0.0, 0.32 * h], [0.1 * w, 0.45 * h], [0.2 * w, 0.36 * h]], np.int32)
    right = np.array([[0.8 * w, 0.12 * h], [w, 0.32 * h], [0.9 * w, 0.45 * h], [0.8 * w, 0.36 * h]], np.int32)
    cv2.fillPoly(mask, [body, left, right], 255, cv2.LINE_AA)
    cv2.ellipse(mask, (w // 2, int(0.12 * h)), (int(0.11 * w), int(0.06 * h)), 0, 0, 360, 0, -1, cv2.LINE_AA)
    return mask.astype(np.float32) / 255


def _folds(rng: np.random.Generator, width: int, height: int, amplitude: float) -> tuple[np.ndarray, np.ndarray]:
    """A smooth displacement field (H, W, 2) and the shading its folds cast (H, W).

    Both are smooth, so they are computed on a grid 4x coarser and enlarged.
    """
    f = 4
    gw, gh = width // f + 2, height // f + 2
    yy, xx = np.ogrid[0:gh, 0:gw]
    xx, yy = np.float32(xx * f), np.float32(yy * f)
    disp = np.zeros((gh, gw, 2), np.float32)
    shade = np.zeros((gh, gw), np.float32)
    for _ in range(int(rng.integers(2, 5))):
        angle = rng.uniform(0, np.pi)
        direction = np.float32([np.cos(angle), np.sin(angle)])
        period = width * rng.uniform(0.25, 0.6)
        phase = (xx * direction[0] + yy * direction[1]) * np.float32(2 * np.pi / period) + np.float32(rng.uniform(0, 6.3))
        a = amplitude * rng.uniform(0.5, 1.0)
        # Cloth bunches along the wave's direction; the slope facing away from the light darkens.
        disp += (np.sin(phase) * np.float32(a))[..., None] * direction
        shade += np.cos(phase) * np.float32(a * 2 * np.pi / period)
    disp += np.stack([smooth_noise(rng, gw, gh, gw / 4) for _ in range(2)], axis=-1) * np.float32(amplitude * 0.3)
    size = (gw * f, gh * f)
    disp = cv2.resize(disp, size, interpolation=cv2.INTER_LINEAR)[:height, :width]
    shade = cv2.resize(shade, size, interpolation=cv2.INTER_LINEAR)[:height, :width]
    return np.ascontiguousarray(disp), 1 + 1.5 * shade


def render(ctx: SceneContext) -> Canvas:
    """A shirt worn in a crowd or laid flat: print, folds, then sometimes a hand or a bag in front."""
    rng = ctx.rng
    photo = Canvas.from_rgb(background(rng, ctx.width, ctx.height, ("crowd", "wall", "fabric", "wood")))
    width = int(ctx.short * rng.uniform(0.9, 1.2))
    height = int(width * 1.15)
    color = np.float32(SHIRT_COLORS[int(rng.integers(len(SHIRT_COLORS)))])
    shirt = Canvas.from_rgb(fabric(rng, width, height, color))
    shirt.alpha = _silhouette(width, height)
    body_w = 0.6 * width
    if rng.random() < 0.3:  # a cover printed on the back or front, often with the logo above it
        ref = ctx.pick_albums(1)[0]
        cover = ctx.refs.album(ref)
        s = body_w * rng.uniform(0.6, 0.8) / cover.shape[1]
        top = 0.35 * height
        shirt.paste(cover, None, geo.translation((width - cover.shape[1] * s) / 2, top) @ geo.scaling(s), ref=ref)
    else:
        ref = ctx.pick_logos(1)[0]
        logo_h, logo_w = ctx.refs.logo_size(ref)
        s = min(body_w * rng.uniform(0.6, 0.9) / logo_w, 0.4 * height / logo_h)
        top = 0.22 * height + rng.uniform(0, 0.1) * height
        shirt.paste(*ctx.refs.logo_print(ref, props.ink_color(rng, color), float(rng.uniform(0.85, 1.0))),
                    geo.translation((width - logo_w * s) / 2, top) @ geo.scaling(s), ref=ref,
                    size=(logo_w, logo_h))
    disp, shade = _folds(rng, width, height, FOLD_AMPLITUDE[ctx.difficulty] * width)
    shirt.deform(disp)
    shirt.rgb *= np.clip(shade, 0.6, 1.3)[..., None]
    size = max(width, height) * rng.uniform(0.7, 1.1)
    tilt = (float(rng.uniform(0, ctx.level.tilt_deg * 0.6)), float(rng.uniform(0, 180)))
    props.place(ctx, photo, shirt, props.near_center(ctx, 0.08), size, tilt=tilt)
    hide = ctx.occlusion()
    if hide:  # a hand, a bag or someone's shoulder in front of the print
        props.cover_part(photo, rng, photo.objects[-1].quad(), hide)
    return photo
