"""A CD jewel case held up in a hand: perspective, glare on the lid, a thumb over the cover."""

from __future__ import annotations

import numpy as np

from knowyourband.synth.scenes import props
from knowyourband.synth.scenes.backgrounds import background
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import SceneContext

SCREENSHOT = False


def render(ctx: SceneContext) -> Canvas:
    """A hand holding one jewel case in front of a room, a venue or a shop wall."""
    rng = ctx.rng
    photo = Canvas.from_rgb(background(rng, ctx.width, ctx.height, ("crowd", "wall", "concrete", "wood", "fabric")))
    ref = ctx.pick_albums(1)[0]
    size = ctx.object_size()
    case = props.jewel_case(ctx.refs.album(ref), ref, rng, longest=size * 1.3)
    center = props.near_center(ctx)
    tone = props.skin(rng)
    # The palm and fingers behind the case: drawn first, so the case hides most of them.
    palm_at = np.array(center) + [rng.uniform(-0.2, 0.2) * size, 0.45 * size]
    for angle in rng.uniform(-0.6, 0.6, 3):
        tip = palm_at + np.array([np.sin(angle), -np.cos(angle)]) * size * 0.8
        props.finger(photo, rng, palm_at, tip, size * 0.18, tone)
    quad = props.place(ctx, photo, case, center, size)
    cover = photo.objects[-1].quad()
    if rng.random() < 0.7:
        props.glare(photo, cover, rng, rng.uniform(0.2, 0.7))
    # Fingers over the front: the thumb always, more on harder levels.
    fingers = 1 + int(rng.integers(0, 1 + round(ctx.level.occlusion * 6)))
    for _ in range(fingers):
        reach = rng.uniform(0.1, 0.3 + ctx.level.occlusion)
        props.thumb_over(photo, rng, quad, reach, tone)
    return photo
