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
    # The holding thumb rests on the case's edge; harder levels add fingers over the cover.
    props.thumb_over(photo, rng, quad, rng.uniform(0.05, 0.25), tone, edges=(1, 2, 3))
    hide = ctx.occlusion()
    if hide:
        props.cover_part(photo, rng, cover, hide, tone=tone, edges=(1, 2, 3))
    return photo
