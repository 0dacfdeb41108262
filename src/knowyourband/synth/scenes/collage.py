"""A social-media collage ("my top 9"): covers side by side in a grid, saved as a screenshot.

Some tiles hold covers from no catalogue or a band's logo on a plain tile; the picture is flat
and upright, so its only camera effect is JPEG compression.
"""

from __future__ import annotations

import numpy as np

from knowyourband.synth import geometry as geo
from knowyourband.synth.scenes import props
from knowyourband.synth.scenes.canvas import Canvas
from knowyourband.synth.scenes.context import SceneContext

SCREENSHOT = True
GRIDS = {"easy": ((2, 2), (1, 3), (2, 3)), "medium": ((3, 3), (2, 3), (3, 4)), "hard": ((3, 3), (4, 4), (4, 5))}
STRANGER_P = 0.15  # share of tiles showing a cover that is in no catalogue
LOGO_TILE_P = 0.1


def render(ctx: SceneContext) -> Canvas:
    """A white or black page with a header line and a grid of square tiles separated by thin gaps."""
    rng = ctx.rng
    dark = rng.random() < 0.5
    page_color = (0.07, 0.07, 0.08) if dark else (0.98, 0.98, 0.98)
    photo = Canvas(ctx.width, ctx.height, color=page_color)
    text_color = (0.9, 0.9, 0.9) if dark else (0.1, 0.1, 0.1)
    header = ctx.height * 0.08
    props.paste_text(photo, f"@{rng.choice(['grimfan', 'riffdaily', 'vinylvault', 'doomdad'])}  "
                     f"{rng.choice(['top 9 of the year', 'new arrivals', 'spinning this week', 'haul'])}",
                     props.font(rng, "plain", header * 0.45), (ctx.width * 0.03, header * 0.25), text_color)
    rows, cols = GRIDS[ctx.difficulty][int(rng.integers(len(GRIDS[ctx.difficulty])))]
    if (ctx.height > ctx.width) != (rows > cols):  # the grid follows the page's orientation
        rows, cols = cols, rows
    gap = ctx.short * rng.uniform(0.005, 0.02)
    tile = min((ctx.width - gap * (cols + 1)) / cols, (ctx.height - header - gap * (rows + 1)) / rows)
    x_off = (ctx.width - cols * tile - (cols - 1) * gap) / 2
    header = max(header, (ctx.height - rows * tile - (rows + 1) * gap) / 2)
    refs = iter(ctx.pick_albums(rows * cols))
    logos = iter(ctx.pick_logos(rows * cols))
    for r in range(rows):
        for c in range(cols):
            x, y = x_off + c * (tile + gap), header + gap + r * (tile + gap)
            roll = rng.random()
            if roll < STRANGER_P:
                stranger = props.fake_cover(rng, int(tile))
                photo.paste(stranger, None, geo.translation(x, y) @ geo.scaling(tile / stranger.shape[1]))
                continue
            if roll < STRANGER_P + LOGO_TILE_P:
                ref = next(logos, None)
                if ref is not None:
                    logo_h, logo_w = ctx.refs.logo_size(ref)
                    back = (0.0, 0.0, 0.0) if rng.random() < 0.6 else (1.0, 1.0, 1.0)
                    photo.paste(back, np.ones((8, 8), np.float32), geo.translation(x, y) @ geo.scaling(tile / 8))
                    s = tile * 0.9 / max(logo_h, logo_w)
                    h = geo.translation(x + (tile - logo_w * s) / 2, y + (tile - logo_h * s) / 2) @ geo.scaling(s)
                    photo.paste(*ctx.refs.logo_print(ref, props.ink_color(rng, back)), h, ref=ref,
                                size=(logo_w, logo_h))
                    continue
            ref = next(refs, None)
            if ref is None:
                continue
            cover = ctx.refs.album(ref)
            # Collage apps crop covers to square tiles; covers are square, so this is a plain scale.
            photo.paste(cover, None, geo.translation(x, y) @ geo.scaling(tile / cover.shape[1], tile / cover.shape[0]), ref=ref)
    return photo
