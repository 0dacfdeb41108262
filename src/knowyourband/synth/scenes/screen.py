"""A phone photo of a screen showing a cover or a logo: subpixel grid, moiré and glare.

The screen's content is drawn at its own pixel pitch and multiplied by an RGB stripe mask; when
the camera samples that grid at a slightly different pitch and angle, moiré appears by itself.
"""

from __future__ import annotations

import numpy as np

from knowyourband.synth import geometry as geo
from knowyourband.synth.scenes import props
from knowyourband.synth.scenes.backgrounds import background
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import SceneContext

SCREENSHOT = False
SUBPIXEL = 3  # canvas pixels per screen pixel: one R, G and B stripe


def _stripes(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """The subpixel mask (H, W, 3): each column lights one colour, rows have a thin dark gap."""
    mask = np.full((height, width, 3), 0.5, np.float32)
    cols = np.arange(width) % SUBPIXEL
    for c in range(3):
        mask[:, cols == c, c] = 1.0
    mask[np.arange(height) % SUBPIXEL == SUBPIXEL - 1] *= np.float32(rng.uniform(0.5, 0.8))
    # Keep the white point: the mean over one cell is about 1 in each channel.
    return mask / mask.reshape(-1, 3)[: width * SUBPIXEL].mean(axis=0)


def _content(ctx: SceneContext, width: int, height: int) -> Canvas:
    """A music app: a dark page with the cover (or the band's logo) and a title bar."""
    rng = ctx.rng
    page = Canvas(width, height, color=tuple(float(v) for v in rng.uniform(0.02, 0.12, 3)))
    if rng.random() < 0.6:
        ref = ctx.pick_albums(1)[0]
        cover = ctx.refs.album(ref)
        s = min(width * 0.86 / cover.shape[1], height * 0.6 / cover.shape[0])
        page.paste(cover, None, geo.translation((width - cover.shape[1] * s) / 2, height * 0.12) @ geo.scaling(s), ref=ref)
    else:
        ref = ctx.pick_logos(1)[0]
        logo_h, logo_w = ctx.refs.logo_size(ref)
        s = min(width * 0.86 / logo_w, height * 0.4 / logo_h)
        color = (0.95, 0.95, 0.95) if rng.random() < 0.7 else props.ink_color(rng, (0.05, 0.05, 0.05))
        page.paste(*ctx.refs.logo_print(ref, color), geo.translation((width - logo_w * s) / 2, height * 0.15)
                   @ geo.scaling(s), ref=ref, size=(logo_w, logo_h))
    face = props.font(rng, "plain", width * 0.05)
    for i, words in enumerate((" ".join(rng.choice(props.WORDS, 2)), "\u25b6  1:07 / 4:31")):
        props.paste_text(page, words, face, (width * 0.07, height * (0.78 + 0.08 * i)), (0.85, 0.85, 0.85))
    return page


def render(ctx: SceneContext) -> Canvas:
    """A phone or monitor, lit from within, in a dim room, photographed at an angle."""
    rng = ctx.rng
    photo = Canvas.from_rgb(background(rng, ctx.width, ctx.height, ("wall", "wood", "table", "concrete")) * np.float32(0.35))
    size = ctx.object_size(1.3)
    # The screen has about one screen pixel per 0.8-1.6 photo pixels: the range where moiré shows.
    pitch = rng.uniform(0.8, 1.6)
    phone = rng.random() < 0.6
    aspect = 2.0 if phone else 0.62
    long_side = int(size / pitch)
    w_px, h_px = (int(long_side / aspect), long_side) if phone else (long_side, int(long_side * aspect))
    content = _content(ctx, w_px, h_px)
    # Expand every screen pixel into its subpixel stripes.
    screen = Canvas(w_px * SUBPIXEL, h_px * SUBPIXEL)
    screen.paste_canvas(content, geo.scaling(SUBPIXEL))
    screen.rgb *= _stripes(screen.width, screen.height, rng) * np.float32(rng.uniform(0.9, 1.2))
    bezel = int(screen.width * 0.04)
    device = Canvas(screen.width + 2 * bezel, screen.height + 2 * bezel, color=(0.02, 0.02, 0.025))
    device.paste_canvas(screen, geo.translation(bezel, bezel))
    quad = props.place(ctx, photo, device, props.near_center(ctx), size * (1 + 0.08))
    props.glare(photo, quad, rng, rng.uniform(0.05, 0.4))
    tone = props.skin(rng)
    if phone and rng.random() < 0.8:  # the hand holding the phone grips its sides
        for _ in range(int(rng.integers(1, 3))):
            props.thumb_over(photo, rng, quad, rng.uniform(0.03, 0.12), tone, edges=(1, 3))
    hide = ctx.occlusion()
    if hide:
        props.cover_part(photo, rng, photo.objects[-1].quad(), hide, tone=tone)
    return photo
