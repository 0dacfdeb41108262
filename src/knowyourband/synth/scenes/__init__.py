"""Scenes: one module per situation in which fans photograph logos and covers.

Each scene module has `render(ctx: SceneContext) -> Canvas` and `SCREENSHOT: bool` (True when the
picture is a saved screen image rather than a camera photo).
"""

from __future__ import annotations

import importlib
from types import ModuleType

# The default mix for a benchmark, in percent: every scene present, about a tenth showing nothing
# from the catalogue so precision on unknown things is measured.
SCENE_WEIGHTS = {
    "cd_hand": 12, "cd_table": 10, "vinyl": 8, "poster": 12, "tshirt": 12,
    "patch": 9, "screen": 9, "collage": 9, "shelf": 9, "none": 10,
}
SCENES = tuple(SCENE_WEIGHTS)


def scene_module(name: str) -> ModuleType:
    """The module that renders scene `name`."""
    if name not in SCENE_WEIGHTS:
        raise ValueError(f"unknown scene {name!r}; choose from {', '.join(SCENES)}")
    return importlib.import_module(f"knowyourband.synth.scenes.{name}")
