"""A CD shelf: rows of spines with band names, a few cases turned to show their covers."""

from __future__ import annotations

import numpy as np

from knowyourband.synth import geometry as geo
from knowyourband.synth.scenes import props
from knowyourband.synth.scenes.backgrounds import background, random_color
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import SceneContext

SCREENSHOT = False
SPINE = 0.075  # spine thickness as a fraction of a cover's side (10 mm of 142)


def _spines(ctx: SceneContext, shelf: Canvas, x0: float, x1: float, y: float, height: float) -> None:
    """Fill [x0, x1] of one shelf row with spines whose text runs along them."""
    rng = ctx.rng
    x = x0
    thick = height * SPINE
    while x + thick <= x1:
        color = tuple(float(v) for v in random_color(rng, 0.02, 0.9))
        shelf.fill(color, x, y, x + thick, y + height)
        name = str(rng.choice(ctx.refs.band_names)) if ctx.refs.band_names else "VARIOUS"
        face = props.font(rng, "plain", thick * 0.5)
        # A quarter turn so the text reads up the spine, as on European CDs.
        mask = np.rot90(props.text_mask(name.upper(), face))
        mask = mask[-int(height * 0.9):]
        shelf.blit(props.ink_color(rng, color), mask, x + (thick - mask.shape[1]) / 2, y + height * 0.95 - mask.shape[0])
        x += thick * rng.uniform(1.0, 1.05)


def render(ctx: SceneContext) -> Canvas:
    """Two to four shelf rows; each row may hold a case or two facing out among the spines."""
    rng = ctx.rng
    rows = int(rng.integers(2, 5))
    width = int(ctx.width * rng.uniform(0.9, 1.2))
    row_h = ctx.height * rng.uniform(0.9, 1.1) / rows
    shelf = Canvas.from_rgb(background(rng, width, int(row_h * rows), ("wood",)) * np.float32(0.6))
    case_h = row_h * 0.88
    for r in range(rows):
        y = r * row_h + row_h * 0.04
        x = row_h * 0.05
        n_facing = int(rng.integers(0, 3)) if r else int(rng.integers(1, 3))
        slots = sorted(rng.uniform(0.05, 0.8, n_facing) * width)
        for slot in slots:
            if slot > x:
                _spines(ctx, shelf, x, slot, y, case_h)
                x = slot
            ref = ctx.pick_albums(1)[0]
            case = props.jewel_case(ctx.refs.album(ref), ref, rng, longest=case_h * 1.3)
            s = case_h / case.height
            shelf.paste_canvas(case, geo.translation(x, y) @ geo.scaling(s))
            x += case.width * s + row_h * 0.02
        _spines(ctx, shelf, x, width - row_h * 0.05, y, case_h)
        shelf.fill((0.3, 0.2, 0.12), 0, (r + 1) * row_h - row_h * 0.04, width, (r + 1) * row_h)
    photo = Canvas(ctx.width, ctx.height, color=(0.1, 0.08, 0.06))
    size = max(shelf.width, shelf.height) * rng.uniform(0.95, 1.1)
    tilt = (float(rng.uniform(0, ctx.level.tilt_deg * 0.5)), float(rng.uniform(0, 180)))
    rotation = float(rng.uniform(-1, 1) * min(ctx.level.rotation_deg, 10))
    props.place(ctx, photo, shelf, props.near_center(ctx, 0.05), size, rotation=rotation, tilt=tilt)
    hide = ctx.occlusion()
    if hide and photo.objects:  # a hand taking one out, or a leaflet tucked in front
        props.cover_part(photo, rng, photo.objects[int(rng.integers(len(photo.objects)))].quad(), hide)
    return photo
