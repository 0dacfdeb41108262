"""Woven patches sewn on a denim or leather battle vest: thread texture, merrowed border, 1-5 patches."""

from __future__ import annotations

import cv2
import numpy as np

from knowyourband.synth import geometry as geo
from knowyourband.synth.scenes import props
from knowyourband.synth.scenes.backgrounds import fabric
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import SceneContext

SCREENSHOT = False
VESTS = ((0.12, 0.2, 0.35), (0.05, 0.05, 0.06), (0.22, 0.3, 0.45), (0.16, 0.12, 0.1))
THREAD_PERIOD = 4.0  # pixels per thread at the patch's own resolution


def _weave(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """Thread relief (H, W) float32 around 1: crossing warp and weft."""
    k = np.float32(2 * np.pi / (THREAD_PERIOD * rng.uniform(0.8, 1.3)))
    rows = np.cos(np.arange(height, dtype=np.float32) * k * np.float32(0.5))
    cols = np.sin(np.arange(width, dtype=np.float32) * k)
    return 0.85 + 0.15 * np.abs(np.outer(rows, cols))


def _patch(ctx: SceneContext, width: int) -> Canvas:
    """One patch: a logo in thread colour, or a cover woven coarsely, framed by a merrowed border."""
    rng = ctx.rng
    if rng.random() < 0.7:
        ref = ctx.pick_logos(1)[0]
        logo_h, logo_w = ctx.refs.logo_size(ref)
        s = width * 0.84 / logo_w
        height = int(logo_h * s + width * 0.16)
        base = (0.03, 0.03, 0.03) if rng.random() < 0.75 else tuple(float(v) for v in rng.uniform(0.5, 0.95, 3))
        patch = Canvas(width, height, color=base)
        patch.paste(*ctx.refs.logo_print(ref, props.ink_color(rng, np.float32(base))),
                    geo.translation(width * 0.08, width * 0.08) @ geo.scaling(s), ref=ref, size=(logo_w, logo_h))
    else:
        ref = ctx.pick_albums(1)[0]
        cover = ctx.refs.album(ref)
        # Weaving has few thread colours: posterise the cover.
        levels = np.float32(rng.integers(4, 8))
        woven = np.round(cover * levels) / levels
        s = width * 0.88 / cover.shape[1]
        height = int(cover.shape[0] * s + width * 0.12)
        patch = Canvas(width, height, color=(0.05, 0.05, 0.05))
        patch.paste(woven, None, geo.translation(width * 0.06, width * 0.06) @ geo.scaling(s), ref=ref,
                    size=(cover.shape[1], cover.shape[0]))
    patch.rgb *= _weave(width, patch.height, rng)[..., None]
    # The merrowed (overlocked) edge in a thread colour of its own.
    border = tuple(float(v) for v in rng.uniform(0.0, 1.0, 3))
    edge = np.zeros((patch.height, width), np.float32)
    t = max(int(width * 0.025), 2)
    cv2.rectangle(edge, (t // 2, t // 2), (width - 1 - t // 2, patch.height - 1 - t // 2), 1.0, t)
    patch.occlude(edge, border)
    return patch


def render(ctx: SceneContext) -> Canvas:
    """A close-up of a vest with one to five patches sewn on in a grid."""
    rng = ctx.rng
    vest = np.float32(VESTS[int(rng.integers(len(VESTS)))])
    photo = Canvas.from_rgb(fabric(rng, ctx.width, ctx.height, vest))
    n = int(rng.integers(1, 6))
    tilt = ctx.tilt()
    base_rotation = ctx.rotation()
    cols = int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    for i in range(n):
        r, c = divmod(i, cols)
        center = ((c + 0.5 + rng.uniform(-0.1, 0.1)) / cols * ctx.width, (r + 0.5 + rng.uniform(-0.1, 0.1)) / rows * ctx.height)
        cell = min(ctx.width / cols, ctx.height / rows)
        patch = _patch(ctx, int(ctx.short * rng.uniform(0.35, 0.55)))
        size = cell * rng.uniform(0.6, 0.85)
        props.place(ctx, photo, patch, center, size, rotation=base_rotation + rng.uniform(-8, 8), tilt=tilt)
    hide = ctx.occlusion()
    if hide:  # a hand pulling the vest straight, or a flap of the vest
        props.cover_part(photo, rng, photo.objects[int(rng.integers(len(photo.objects)))].quad(), hide)
    return photo
