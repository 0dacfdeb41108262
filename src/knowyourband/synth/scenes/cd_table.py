"""CD jewel cases lying on a table, seen from above at an angle, shadows and glare, some overlapping."""

from __future__ import annotations

from knowyourband.synth import geometry as geo
from knowyourband.synth.scenes import props
from knowyourband.synth.scenes.backgrounds import background
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import SceneContext

SCREENSHOT = False


def render(ctx: SceneContext) -> Canvas:
    """One to three cases on wood, cloth or laminate; the table's tilt is shared by all of them."""
    rng = ctx.rng
    photo = Canvas.from_rgb(background(rng, ctx.width, ctx.height, ("wood", "table", "fabric")))
    refs = ctx.pick_albums(int(rng.integers(1, 4)))
    tilt = ctx.tilt()
    base_rotation = ctx.rotation()
    factor = 1.0 if len(refs) == 1 else 0.7
    for i, ref in enumerate(refs):
        size = ctx.object_size(factor)
        case = props.jewel_case(ctx.refs.album(ref), ref, rng, longest=size * 1.3)
        if len(refs) == 1:
            center = props.near_center(ctx)
        else:  # spread along a line so they overlap a little at most
            t = (i + 0.5) / len(refs)
            center = (ctx.width * (0.15 + 0.7 * t) + rng.uniform(-0.05, 0.05) * ctx.width,
                      ctx.height * rng.uniform(0.35, 0.65))
        quad = geo.perspective_quad(case.width, case.height, center, size,
                                    base_rotation + rng.uniform(-15, 15), *tilt)
        props.drop_shadow(photo, quad, rng, rng.uniform(0.3, 0.6))
        photo.paste_canvas(case, geo.homography(geo.corners(case.width, case.height), quad))
        if rng.random() < 0.5:
            props.glare(photo, photo.objects[-1].quad(), rng, rng.uniform(0.2, 0.6))
    hide = ctx.occlusion()
    if hide:  # a hand reaching for one, or a flyer lying over it
        props.cover_part(photo, rng, photo.objects[int(rng.integers(len(photo.objects)))].quad(), hide)
    return photo
