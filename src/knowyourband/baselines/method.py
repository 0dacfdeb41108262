"""What the baselines share: reference arrays computed once and cached, regions in, objects out."""

from __future__ import annotations

import copy
import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import faiss
import numpy as np

from knowyourband.baselines import report, store
from knowyourband.baselines.references import Reference
from knowyourband.baselines.regions import DEFAULT_CONF as REGIONS_CONF
from knowyourband.baselines.regions import propose
from knowyourband.errors import KybError
from knowyourband.imageio import ImageSource, LoadedImage, load_image
from knowyourband.result import Result

if TYPE_CHECKING:
    from knowyourband.detect import Detector

log = logging.getLogger(__name__)

COMMON_CONF = {
    "regions": REGIONS_CONF,  # query regions without a detector: whole photo, sliding-window grid, outlines
    "detector_min_score": 0.3,  # with a detector: its boxes scoring at least this are the query regions
    "top": 10,  # candidates kept per region, as the thesis retrieved 10 images per crop
    **report.DEFAULT_CONF,
}


class RegionBaseline:
    """A retrieval baseline: describe reference images and photo regions alike, rank by similarity.

    Subclasses set `name`, `default_conf`, `reference_conf` and `metric` ("l2" or "ip") and implement
    `compute_arrays` and `reference_vectors` (reference side), `describe` (photo side) and
    `similarity` (FAISS's raw scores to [0, 1]).
    """

    name = ""
    default_conf: dict = {}
    reference_conf: tuple[str, ...] = ()  # the settings that shape the reference side (the cache key)
    metric = "l2"

    def __init__(self, references: list[Reference], cache_folder: Path | None = None,
                 conf: dict | None = None, detector: "Detector | None" = None) -> None:
        if not references:
            raise KybError(f"{self.name}: the index has no reference images to compare photos with")
        self.references = references
        self.conf = {**copy.deepcopy(COMMON_CONF), **copy.deepcopy(self.default_conf), **(conf or {})}
        self.detector = detector
        self.conf["proposals"] = "detector" if detector is not None else "grid"
        # Each proposal source has its own best threshold (docs/baselines.md); an explicit one wins.
        self.conf.setdefault("threshold", self.conf["thresholds"][self.conf["proposals"]])
        self._cache_folder = cache_folder
        self._cache_key = store.key({k: self.conf[k] for k in self.reference_conf}, [r.key for r in references])
        self._arrays: dict[str, np.ndarray] | None = None
        self._indexes: dict[str | None, faiss.Index] = {}  # by kind, None = every reference; set by prepare
        self._lock = threading.Lock()

    @property
    def config(self) -> dict:
        """The resolved configuration, saved beside every eval report."""
        return {"method": self.name, **copy.deepcopy(self.conf)}

    # -- reference side ----------------------------------------------------------------------

    def arrays(self) -> dict[str, np.ndarray]:
        """The reference-side arrays: from the cache when present, else computed and cached."""
        with self._lock:
            if self._arrays is None:
                self._arrays = self._load_or_compute()
            return self._arrays

    def _load_or_compute(self) -> dict[str, np.ndarray]:
        keys = np.array([r.key for r in self.references])
        if self._cache_folder is not None:
            cached = store.load(self._cache_folder, self._cache_key)
            if cached is not None and np.array_equal(cached.get("keys"), keys):
                log.info("%s: reference arrays from %s", self.name, self._cache_folder)
                return self.prepare(cached)
        start = time.perf_counter()
        log.info("%s: describing %d reference images (first use of this index)", self.name, len(keys))
        arrays = {"keys": keys, **self.compute_arrays()}
        log.info("%s: reference side ready in %.1f s", self.name, time.perf_counter() - start)
        if self._cache_folder is not None:
            try:
                store.save(self._cache_folder, self._cache_key, arrays)
            except OSError as exc:
                log.warning("%s: could not cache reference arrays in %s (%s)", self.name, self._cache_folder, exc)
        return self.prepare(arrays)

    def compute_arrays(self) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def reference_vectors(self, arrays: dict[str, np.ndarray]) -> np.ndarray:
        """The (M, D) float32 vectors searched, one row per reference, in `references` order."""
        raise NotImplementedError

    def prepare(self, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Exact FAISS indexes over the reference vectors: all references, and each kind alone.

        A zero row (a reference with nothing to describe) is left out: it would sit at the same
        distance from every query and turn up in every list.
        """
        vectors = np.ascontiguousarray(self.reference_vectors(arrays), dtype=np.float32)
        kinds = np.array([r.kind for r in self.references])
        nonzero = np.abs(vectors).sum(axis=1) > 0
        self._indexes = {}
        for kind in (None, "album", "logo"):
            rows = np.flatnonzero(nonzero & ((kinds == kind) if kind else True))
            flat = faiss.IndexFlatL2(vectors.shape[1]) if self.metric == "l2" else faiss.IndexFlatIP(vectors.shape[1])
            index = faiss.IndexIDMap(flat)
            index.add_with_ids(vectors[rows], rows.astype(np.int64))
            self._indexes[kind] = index
        if self._indexes[None].ntotal == 0:
            raise KybError(f"{self.name}: no reference image has anything to describe; check the index's images")
        return arrays

    # -- photo side --------------------------------------------------------------------------

    def describe(self, rgb: np.ndarray, boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of the regions worth searching: ((R', D) float32, (R',) indices into boxes)."""
        raise NotImplementedError

    def similarity(self, raw: np.ndarray) -> np.ndarray:
        """FAISS's distances or inner products (R, k) -> similarities in [0, 1]."""
        raise NotImplementedError

    def search(self, vectors: np.ndarray, kinds: list[str | None]) -> tuple[np.ndarray, np.ndarray]:
        """Top-k references of each vector among those of its region's kind (None: all).

        vectors: (R, D) float32 -> ((R, k) int rows of `references`, -1 = none; (R, k) similarities).
        """
        self.arrays()
        k = self.conf["top"]
        ids = np.full((len(vectors), k), -1, np.int64)
        scores = np.zeros((len(vectors), k), np.float32)
        for kind in set(kinds):
            index = self._indexes[kind]
            rows = np.array([i for i, kd in enumerate(kinds) if kd == kind])
            n = min(k, index.ntotal)
            if n == 0:
                continue
            raw, found = index.search(np.ascontiguousarray(vectors[rows]), n)
            ids[rows, :n] = found
            scores[rows, :n] = np.where(found >= 0, self.similarity(raw), 0.0)
        return ids, scores

    def recognize(self, image: ImageSource | LoadedImage | np.ndarray) -> Result:
        """Every region whose best match clears the threshold, as an object with its top-k candidates."""
        self.arrays()  # the first call may compute the reference side; not part of a photo's latency
        t0 = time.perf_counter()
        photo = _photo(image, self.conf["photo_max_side"])
        boxes, kinds = self.propose(photo.rgb)
        vectors, valid = self.describe(photo.rgb, boxes)
        t1 = time.perf_counter()
        ids, scores = self.search(vectors, [kinds[i] for i in valid])
        t2 = time.perf_counter()
        objects = report.objects(boxes[valid], ids, scores, self.references, self.conf, scale=photo.scale)
        end = time.perf_counter()
        log.debug("%s: %d of %d regions described, %d objects, %.0f ms",
                  self.name, len(valid), len(boxes), len(objects), 1000 * (end - t0))
        return Result(
            width=photo.width,
            height=photo.height,
            objects=objects,
            timing_ms={"describe": 1000 * (t1 - t0), "search": 1000 * (t2 - t1), "total": 1000 * (end - t0)},
        )

    def propose(self, rgb: np.ndarray) -> tuple[np.ndarray, list[str | None]]:
        """Query regions (R, 4) and the kind each is known to hold (None: search every reference).

        With a detector, its boxes and kinds, as the thesis searched its detector's crops in the
        tree of the crop's class; without one, `regions.propose` (whole photo, grid, outlines), kind unknown.
        """
        if self.detector is None:
            boxes = propose(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), self.conf["regions"])
            return boxes, [None] * len(boxes)
        found = self.detector.detect(rgb, min_score=self.conf["detector_min_score"])
        boxes = np.array([d.box for d in found], np.float32).reshape(-1, 4)
        return boxes, [d.kind for d in found]

def _photo(image: ImageSource | LoadedImage | np.ndarray, max_side: int) -> LoadedImage:
    """Any accepted photo input as an upright RGB image whose long side is at most max_side."""
    if isinstance(image, LoadedImage):
        photo = image
    elif isinstance(image, np.ndarray):
        if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
            raise KybError(f"a photo array must be (H, W, 3) uint8 RGB, got {image.shape} {image.dtype}")
        photo = LoadedImage(rgb=image, alpha=None, width=image.shape[1], height=image.shape[0])
    else:
        return load_image(image, max_side=max_side)
    h, w = photo.rgb.shape[:2]
    factor = max_side / max(h, w)
    if factor >= 1.0:
        return photo
    small = cv2.resize(photo.rgb, (max(1, round(w * factor)), max(1, round(h * factor))), interpolation=cv2.INTER_AREA)
    return LoadedImage(rgb=small, alpha=None, width=photo.width, height=photo.height, scale=photo.scale * factor)
