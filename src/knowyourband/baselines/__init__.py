"""The thesis's methods as selectable baselines (`--method seed-vlad`, `--method colour-hist`)."""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

from knowyourband.errors import KybError

if TYPE_CHECKING:
    from knowyourband.baselines.method import RegionBaseline
    from knowyourband.index import Index

log = logging.getLogger(__name__)

# name -> (module, class); imported only when chosen.
METHODS = {
    "seed-vlad": ("knowyourband.baselines.seed_vlad", "SeedVlad"),
    "colour-hist": ("knowyourband.baselines.colour_hist", "ColourHist"),
}


def open_method(name: str, index: "Index", conf: dict | None = None) -> "RegionBaseline":
    """A recognizer-like object for baseline `name` over a loaded index.

    It has `.recognize(image) -> Result` and `.config` (the resolved settings). Its reference side
    is computed from the index's thumbnails on first use and cached (see `store`). The query regions
    are the shipped detector's boxes when a detector model is installed, else the untrained
    proposals of `regions.propose` (whole photo, sliding-window grid, edge outlines); set
    conf["proposals"] to "grid" (those untrained proposals) or "detector" to choose.
    """
    if name not in METHODS:
        raise KybError(f"unknown method {name!r}; choose one of: kyb, {', '.join(METHODS)}")
    from knowyourband.baselines import references, store

    module, attr = METHODS[name]
    cls = getattr(importlib.import_module(module), attr)
    conf = dict(conf or {})
    detector = _detector(conf.pop("proposals", "auto"))
    refs = references.from_catalog(index.catalog, lambda row: index.path / (row.thumbnail or f"media/{row.id}.jpg"))
    return cls(refs, store.cache_dir(index.path, name), conf, detector)


def _detector(proposals: str):
    """The detector whose boxes are the query regions, or None for the untrained proposals."""
    if proposals not in ("auto", "grid", "detector"):
        raise KybError(f'proposals must be "auto", "grid" or "detector", not {proposals!r}')
    if proposals == "grid":
        return None
    from knowyourband.detect import Detector
    from knowyourband.detect.detector import default_model_path

    if proposals == "auto" and not default_model_path().is_file():
        log.info("no detector model installed: the baseline searches the grid and outline regions")
        return None
    return Detector.open()
