"""A CD jewel case held up in a hand: perspective, glare on the lid, a thumb over the cover."""

from __future__ import annotations

from knowyourband.synth import geometry as geo
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
    rotation, tilt = ctx.rotation(), ctx.tilt()
    quad = geo.perspective_quad(case.width, case.height, center, size, rotation, *tilt)
    props.hand_behind(photo, rng, quad, tone)
    props.place(ctx, photo, case, center, size, rotation=rotation, tilt=tilt)
    cover = photo.objects[-1].quad()
    if rng.random() < 0.7:
        props.glare(photo, cover, rng, rng.uniform(0.2, 0.7))
    # Fingers over the front: the thumb always, more on harder levels.
    fingers = 1 + int(rng.integers(0, 1 + round(ctx.level.occlusion * 6)))
    for _ in range(fingers):
        reach = rng.uniform(0.1, 0.3 + ctx.level.occlusion)
        props.thumb_over(photo, rng, quad, reach, tone, edges=(1, 2, 3))
    return photo
