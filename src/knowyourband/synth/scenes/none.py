"""Photos that show nothing from the catalogue: textures, text, things that look like covers or logos but are not.

They measure precision on unknown things: every detection in them is a false positive.
"""

from __future__ import annotations

from knowyourband.synth import geometry as geo
from knowyourband.synth.scenes import props
from knowyourband.synth.scenes.backgrounds import background
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import SceneContext

SCREENSHOT = False


def render(ctx: SceneContext) -> Canvas:
    """A background with fake covers, lettering in metal-looking fonts, and sometimes a finger."""
    rng = ctx.rng
    photo = Canvas.from_rgb(background(rng, ctx.width, ctx.height))
    for _ in range(int(rng.integers(0, 4))):  # covers of records that are in no catalogue
        fake = props.fake_cover(rng, int(ctx.short * rng.uniform(0.3, 0.6)))
        surface = Canvas.from_rgb(fake)
        props.place(ctx, photo, surface, (rng.uniform(0.2, 0.8) * ctx.width, rng.uniform(0.2, 0.8) * ctx.height),
                    ctx.object_size(0.8))
    for _ in range(int(rng.integers(1, 5))):  # lettering: shop signs, flyers, logo-like words
        kind = str(rng.choice(["decorative", "blackletter", "plain"]))
        face = props.font(rng, kind, ctx.short * rng.uniform(0.04, 0.12))
        mask = props.text_mask(" ".join(rng.choice(props.WORDS, int(rng.integers(1, 3)))), face)
        h = geo.translation(rng.uniform(0, 0.7) * ctx.width, rng.uniform(0, 0.9) * ctx.height)
        h = h @ geo.rotation(ctx.rotation() * 0.3)
        photo.paste(props.ink_color(rng, photo.rgb.mean(axis=(0, 1))), mask, h)
    if rng.random() < 0.3:
        tone = props.skin(rng)
        quad = geo.perspective_quad(1, 1, props.near_center(ctx), ctx.short * 0.5)
        props.thumb_over(photo, rng, quad, rng.uniform(0.3, 0.8), tone)
    return photo
