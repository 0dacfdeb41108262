"""The recognition pipeline as one object: photo in, every known logo and cover out."""

from __future__ import annotations

import json
import logging
import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from knowyourband.detect import Detection as Proposal
from knowyourband.detect.tiles import with_tiles
from knowyourband.embed import Embedder
from knowyourband.errors import KybError
from knowyourband.features import (FeatureConfig, Features, extract, invert_polarity, spread_levels, stretch,
                                   stretch_range)
from knowyourband.imageio import ImageSource, LoadedImage, load_image
from knowyourband.index import Index, vectors
from knowyourband.index.locals import KINDS
from knowyourband.recognize import blur
from knowyourband.recognize.covers import CoverThumbnails, cover_look, sharpened, step_back
from knowyourband.recognize.detections import Detection, detect, quad_box, resolve
from knowyourband.recognize.lookalike import LogoLookalikes
from knowyourband.recognize.proposals import (Crop, clipped_share, look_closer, mark_boxed, unexplained,
                                               without_covers_held_by_logos)
from knowyourband.recognize.unknown import open_detector, unknown_regions
from knowyourband.result import Candidate, RecognizedObject, Result
from knowyourband.verify.geometry import inside_convex
from knowyourband.verify.vote import Matches, density_ratio_matches, merge, tally

log = logging.getLogger(__name__)

default_conf: dict[str, Any] = {
    "max_side": 1280,  # photo long side for features: small logos need pixels, SIFT time grows with them
    "max_keypoints": 4500,  # query keypoint cap, spread over the photo (search time grows with it)
    "contrast_threshold": 0.02,  # lower than SIFT's 0.04: thin, blurred logo strokes are low contrast
    # SIFT describes at most this many times `max_keypoints` of a photo's keypoints, the strongest (0:
    # all). A textured photo yields 40,000-100,000 and describing them all took up to 0.9 s; 3 changed
    # no object on the standard benchmark. Not for crops: there it cost two objects and saved little.
    "describe_factor": 3,
    # SIFT's first octave on the photo doubled (OpenCV's default). Off, SIFT starts at the working
    # size: a quarter of the pixels to build the pyramid on and about half the keypoints to search,
    # and the 2-3 px details it loses are what a poster's closer look (its own crops, doubled) finds.
    # Standard benchmark: p50 697 -> 308 ms, the same objects named within 2, 16 -> 9 wrong.
    "fine_octave": False,
    "stretch": True,  # spread the photo's gray levels first (low-light photos keep their keypoints)
    "k": 6,  # neighbours per query descriptor; the last one is the density reference
    # Inverted lists visited per query descriptor. 16 instead of 8 (twenty-second session): +4 standard
    # objects and +12 on a second set of 400 photos, fewer wrong on both; about a third more time a
    # photo at 10k references (docs/engine.md).
    "nprobe": 16,
    "quantizer_ef": 16,  # HNSW candidates when finding those lists (at least nprobe)
    "max_ratio": 0.9,  # neighbour distance / k-th neighbour distance must be below this
    "polarity": True,  # also match inverted descriptors against logos (white-on-black prints)
    "shortlist": 60,  # reference positions verified, by summed vote weight
    "hough_min_weight": 2.0,  # a pose bin lighter than this is noise
    "max_clusters": 4,  # pose groups tried per reference and instance
    # A reference with this few correspondences left is also verified on all of them: a small print's
    # true matches carry small weights and their pose votes scatter over neighbouring bins, so no
    # single Hough bin holds enough of them (docs/engine.md); RANSAC sorts out a few dozen directly.
    "direct_max": 40,
    "max_instances": 6,  # the same reference found up to this many times in one photo
    "min_inliers": 8,
    # A placement must explain this share of the correspondences it was fitted on. Right answers
    # almost never fall below 0.7; text-like logos matched on other lettering often do (fitted on
    # standard-benchmark photos 121-400, docs/engine.md).
    "min_ratio": 0.6,
    "ransac_px": 6.0,  # reprojection tolerance in working pixels
    "max_overlap": 0.5,  # share of the smaller outline inside a better detection: same region
    "candidates": 10,
    # Score: logistic in inlier density (inliers per photo keypoint inside the outline) and coverage
    # (inliers' hull area / outline area), fitted on the verified detections of standard-benchmark
    # photos 121-400 (docs/engine.md). Log inliers and RANSAC inlier ratio got no weight in that fit;
    # their terms stay for refits.
    "score_bias": -1.56,
    "score_log_inliers": 0.0,
    "score_ratio": 0.0,
    "score_density": 2.49,
    "score_coverage": 6.65,
    # Below this the engine says nothing. The fit saw every verified placement; the ones resolution
    # keeps are right more often than it predicts, so 0.4 (chosen on photos 121-400) is safe.
    "min_score": 0.4,
    # The learned detector (docs/detector.md) proposes regions for a closer look (second pass) and
    # names regions no reference explains: `Result.unknown`.
    "detector": True,
    "proposal_min_score": 0.3,  # detector boxes at least this confident get a closer look
    # On a photo that gets no tiles, a box the detector is less sure of gets a closer look too, but it
    # may name only the reference the whole photo's keypoints voted for most: a T-shirt print bent by
    # the cloth or half hidden scores 0.2-0.3 (the two T-shirt prints it names on the standard photos),
    # and so does a line of serif text, which the closer look alone named as a logo (left-out index).
    "weak_proposal_score": 0.2,
    "proposal_max": 24,  # at most this many per photo, best first (each costs ~10-30 ms)
    # A photo with at least this many logo boxes (a poster) is searched again on 2 x 2 tiles, where
    # its small logos are twice as large to the detector (detect/tiles.py); 0 turns tiles off.
    "tile_min_logos": 6,
    # A proposal's crop is enlarged until its short side is this many px. Only enlarged crops keep SIFT's
    # doubled first octave. Larger boxes without it: closer look median 308 -> 152 ms at 1.3k references
    # and 360 -> 183 ms at 10k; one more object named at 1.3k, four fewer at 10k (docs/engine.md).
    "proposal_side": 100,
    # A logo box the detector scored at least this that needed no enlargement and named nothing is
    # looked at again with the doubled octave (above 1: never).
    "fine_look_box_score": 0.5,
    "proposal_max_side": 2560,  # crops come from the photo decoded at up to this long side
    "proposal_keypoints": 1500,
    "proposal_shortlist": 20,  # references verified per proposal
    # A proposal nothing passes in is named when its top-voted reference (of the box's class, with
    # 2x the runner-up's votes) placed by a similarity with >= 4 inliers within 4 crop px outlines the
    # box at IoU >= 0.6 (recognize/agreement.py). Chosen on standard photos 121-400: 34 right, 0
    # wrong; held-out photos 1-120: 17 right, 0 wrong; with a fifth of the bands left out of the
    # index, none of their objects named. The score is that precision, (34 + 1) / (34 + 2). It wanted
    # 5 inliers until the eighteenth session: every crop it refused, replayed, had 28 right and no
    # wrong name at 4 on the standard photos and 22 and none on the left-out index; the whole engine
    # named 5 more standard objects, 2 more on the left-out index and no left-out band (3 inliers
    # named one, docs/engine.md).
    "agreement_margin": 2.0,
    "agreement_inliers": 4,
    "agreement_px": 4.0,
    "agreement_iou": 0.6,
    "agreement_score": 0.97,
    # A logo proposal still unnamed is named as its band's logo when its crop's matches go to that band's
    # cover, where the cover carries the logo: the cover leads every other band's reference by
    # `agreement_margin`, a similarity keeps `agreement_inliers` within `agreement_px`, and those lie
    # within `cover_print_part` of the cover's area and spread over `cover_print_span` of the box's
    # width or height, in a box the detector scored `cover_print_box_score` (recognize/agreement.py). Every logo
    # crop left unnamed on the standard photos, replayed: 5 right, 1 the right band in a box cutting
    # the logo, none wrong; on the left-out index 2 right and no left-out band (docs/engine.md). The
    # score is that precision, (5 + 1) / (5 + 2).
    "cover_print_part": 0.1,
    "cover_print_span": 0.3,
    "cover_print_box_score": 0.5,
    "cover_print_score": 0.86,
    # A logo proposal still unnamed is named by its glyph embedding's nearest reference when that one
    # is this much nearer (cosine) than any other band's and the crop's votes rank it in the first
    # `lookalike_rank` (recognize/lookalike.py). Chosen on standard photos 121-400: 47 right, 0 wrong;
    # photos 1-120: 20 right, 2 with the right band in a box too loose to count; with a fifth of the
    # bands left out of the index, none of their logos named (docs/engine.md). The score is that
    # precision, (47 + 1) / (47 + 2). The margin was 0.07 for embedder v2 (at 0.05 v2 named one logo
    # of a left-out band, margin 0.062). Embedder v4 spreads bands further apart: at 0.07 it named a
    # left-out band's poster logo at margin 0.072; at 0.08 the boxes reaching this step lose no
    # right name among the standard references and 2 of 68 (46) among large-10k's (large-100k's).
    "lookalike": True,
    "lookalike_margin": 0.08,
    "lookalike_rank": 5,
    # ... and in the first `lookalike_rank_share` of all references (at least the first): 5 of the
    # 1,275 the rule was chosen on; from 1,001 references on, that is the first 5 again.
    "lookalike_rank_share": 0.004,
    # ... or with no vote when the margin is at least this: a blurred print's crop may match nothing.
    # With embedder v4 the highest margin of a logo of a band left out of the index was 0.247 on the
    # standard photos (0.183 and 0.141 among large-10k's and large-100k's distractor logos as well);
    # at 0.25 that left no room, and it also named a wrong band's poster logo, which 0.30 does not.
    # Margins shrink as the catalogue grows, so the rule rarely fires in a large one (docs/engine.md).
    "lookalike_sure_margin": 0.30,
    "lookalike_score": 0.98,
    # ... and only in a box the detector is sure of: on poster tiles it also boxes lines of filler
    # text, whose serif letters look like a plain-font logo (standard posters: 6 of 8 wrong
    # lookalikes below 0.45, 1 of 66 right ones below 0.5).
    "lookalike_box_score": 0.5,
    # A named lookalike's outline is the strip or enlargement of its box whose glyph is this much
    # nearer (cosine) the named reference than the box's own (`lookalike.refit`). Chosen among 0,
    # 0.02 and 0.05 on the standard photos' 101 lookalikes: 3 / 4 / 5 right bands brought to IoU
    # >= 0.5 with the logo at 0.05 / 0.02 / 0 and 0 / 1 / 1 taken below it.
    "lookalike_refit_gain": 0.05,
    # ... counting the named reference's shape as this much cosine a unit of |ln(aspect ratio)| an
    # outline is off it (`lookalike.off_shape`). 0.1 on the standard photos: 2 lookalikes brought to
    # IoU >= 0.5 with their logo, 1 taken below it (a turned logo, whose box is squarer than its
    # reference); on a second set of 400 photos (seed 2207) 1 brought and none taken. 0.3 took one more
    # below it.
    "lookalike_refit_shape": 0.1,
    # An album box still unnamed is named by its blurred colour thumbnail's nearest cover when that one
    # is this much nearer (cosine, at its best turn) than any other band's cover and the whole photo's
    # votes rank it in the first `cover_rank` (recognize/covers.py). On the standard photos the
    # right covers ranked 0-15, the nearest covers of 136 left-out ones 110 and beyond. Standard
    # benchmark: 9 named, all right, 5 of them objects nothing else names; with a fifth of the bands
    # left out, none of their covers named (docs/engine.md). The score is agreement's: the same
    # precision bound for a step with no wrong name yet.
    "cover_look": True,
    "cover_margin": 0.05,
    "cover_rank": 20,
    # ... and in the first `cover_rank_share` of all references (at least the first): 20 of the
    # 1,275 the rule was chosen on; from 1,250 references on, that is the first 20 again.
    "cover_rank_share": 0.016,
    # ... or with no vote when the thumbnail is at least `cover_sure_similarity` alike its nearest cover
    # and `cover_sure_margin` nearer it than any other band's, in a box clear of the photo's edge (a
    # cut cover read as a whole is like any other). Confident album boxes with a margin of 0.05 on
    # three photo sets and the left-out index: no wrong or unknown cover reached 0.85 (at most 0.83,
    # 0.79 clear of the edge); the margin alone does not separate them (a poster cell at 0.18).
    # Named: 1 standard cover, 2 and 0 on two other sets of 400, 1 at large-100k; nothing wrong.
    "cover_sure_margin": 0.10,
    "cover_sure_similarity": 0.9,
    "cover_score": 0.97,
    "cover_box_score": 0.5,  # only boxes the detector is sure of (its `detector_min_score`)
    # Before its look, such a box is shrunk to this short side and named when box agreement places a
    # cover on it with this many similarity inliers and the thumbnail read through that outline is
    # nearest the same cover by `cover_margin` (recognize/covers.py, `step_back`).
    "step_back_side": 120,
    "step_back_inliers": 3,
    # Logo boxes the detector is sure of (`sharpen_box_score`) still unnamed after the closer look
    # get another, in the detail photo deconvolved (Wiener, noise-to-signal `sharpen_nsr`) by the blur
    # that up to `sharpen_objects` of the objects found so far show (recognize/blur.py), when its
    # spread is at least `sharpen_min_blur` working px: on the standard posters nothing was gained
    # below 1.0. Deconvolution turns noise into structure and the embedder never saw a sharpened
    # glyph, so the namings that rest on the fewest points want more there: `sharpen_inliers`
    # similarity inliers (box agreement, the cover print; one left-out band's cover print had 4) and
    # a lookalike margin of `sharpen_lookalike_margin` (two left-out bands' logos came to 0.084 and
    # 0.089 on the left-out index, docs/engine.md). A cover box still unnamed after its look measures
    # the blur on its own candidate instead (covers.sharpened).
    "sharpen": True,
    "sharpen_objects": 4,
    "sharpen_min_blur": 1.0,
    "sharpen_nsr": 0.02,
    "sharpen_box_score": 0.5,
    "sharpen_lookalike_margin": 0.10,
    "sharpen_inliers": 5,
    # Its crops scan half the first look's inverted lists: on a blurred poster this look costs a third
    # of the whole call, and the 16 lists gained their objects in the closer look (docs/engine.md).
    "sharpen_nprobe": 8,
    # A box named only by a placement scored under this still gets the sharper look (its placement on a
    # handful of points may be outlined badly; resolution keeps the better of the two).
    "sharpen_weak_score": 0.5,
    # Logo boxes the detector is sure of (`stretched_look_box_score`) still unnamed after the sharper
    # look get one more, in the detail photo stretched as a whole, where that stretch clips at least
    # `stretched_look_clip` of the box's pixels (0: never). Elsewhere it would only repeat the closer
    # look, each crop being stretched on its own range. The closer look's crops are cut from the
    # unstretched photo because clipping can turn a dark panel's lettering black; where the lettering
    # is brighter than the clipped levels, clipping flattens the panel's texture instead and leaves the
    # letters alone (standard photos: 2 poster logos more, none lost; docs/engine.md).
    "stretched_look_box_score": 0.5,
    "stretched_look_clip": 0.05,
    "detector_min_score": 0.5,  # the shipped model is unreliable below this (its model card)
    "detector_max_covered": 0.5,  # a detection mostly inside an identified object is that object
}


def load_conf(path: str | Path) -> dict[str, Any]:
    """Configuration overrides from a JSON file (as `kyb calibrate --out` writes): an object whose
    keys are `default_conf`'s. A misspelt key would silently change nothing, so it is refused."""
    try:
        conf = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KybError(f"{path}: cannot read the configuration ({exc})") from exc
    if not isinstance(conf, dict):
        raise KybError(f"{path}: a configuration is a JSON object of settings, e.g. {{\"min_score\": 0.4}}")
    unknown = sorted(set(conf) - set(default_conf))
    if unknown:
        raise KybError(f"{path}: unknown setting(s) {', '.join(unknown)}; the settings are the keys of "
                       "knowyourband.recognize.recognizer.default_conf")
    return conf


# The evidence a placement's score weighs, and the configuration key of each term's weight.
SCORE_TERMS = {"log_inliers": "score_log_inliers", "ratio": "score_ratio", "density": "score_density",
               "coverage": "score_coverage"}


def score_terms(d: Detection) -> dict[str, float]:
    return {"log_inliers": math.log(max(d.inliers, 1)), "ratio": d.ratio, "density": d.density,
            "coverage": d.coverage}


def placement_score(d: Detection, conf: dict[str, Any]) -> float:
    """Calibrated probability that a verified placement names the right thing in the right place:
    logistic in `score_terms` with `conf`'s weights (docs/engine.md, step 7; `kyb calibrate`)."""
    terms = score_terms(d)
    z = conf["score_bias"] + sum(conf[key] * terms[term] for term, key in SCORE_TERMS.items())
    return 1.0 / (1.0 + math.exp(-z))


@dataclass
class Pass:
    """What one search-and-verify pass saw, kept for the candidates list and for tracing misses."""

    features: Features
    matches: Matches
    votes: np.ndarray  # (R,) summed vote weight per reference position
    shortlist: np.ndarray  # reference positions verified, best-voted first
    verified: list[Detection]  # every plausible placement, scored

    def passing(self, conf: dict[str, Any]) -> list[Detection]:
        """The placements the engine is willing to name: score and inlier-ratio gates."""
        return [d for d in self.verified if d.score >= conf["min_score"] and d.ratio >= conf["min_ratio"]]


class Recognizer:
    """Thread-safe: holds read-only state (the loaded index, the configuration, the detector session)
    and thread pools for the inverted-polarity search, the closer look's crops and the detector, which
    callers' threads share."""

    def __init__(self, index: Index, conf: dict[str, Any] | None = None) -> None:
        self.index = index
        self.config = {**default_conf, **(conf or {})}
        self._starts = index.locals.starts
        self._is_logo = index.locals.refs["kind"] == 0
        self._detector = open_detector(self.config["detector"])
        self._embedder, self._lookalikes = self._open_lookalikes()
        self._covers = self._open_covers()
        self._searches = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="kyb-search")
        # Separate pools, each waiting only on the next: detection waits on `_crops` for its tiles, and a
        # crop's own search on `_searches`. Jobs in one pool waiting on that pool can stall it.
        self._crops = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="kyb-crop")
        self._detecting = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="kyb-detect")

    @classmethod
    def open(cls, index_dir: str | Path, method: str = "kyb", conf: dict[str, Any] | None = None):
        """Load an index once and return a recognizer for `method` ("kyb" or a baseline's name)."""
        index = Index.open(index_dir)
        if method == "kyb":
            return cls(index, conf)
        from knowyourband import baselines

        return baselines.open_method(method, index, conf)

    def _open_lookalikes(self) -> tuple[Embedder | None, LogoLookalikes | None]:
        """The logo embedder and the index's logo embeddings, when both exist and belong together."""
        index = self.index
        if not (self.config["lookalike"] and self.config["detector"]) or index.logo_embeddings is None:
            return None, None
        embedder = Embedder.open()
        if embedder.model_id != index.manifest["embeddings"]["model"]:
            log.warning("%s: logo embeddings of another embedder model; naming logos by their look is off "
                        "until `kyb index embed %s`", index.path, index.path)
            return None, None
        return embedder, LogoLookalikes(index.logo_embeddings, self._is_logo, index.catalog, index.locals.refs)

    def _open_covers(self) -> CoverThumbnails | None:
        """The index's cover thumbnails, when it has them."""
        index = self.index
        if not (self.config["cover_look"] and self.config["detector"]) or index.cover_thumbnails is None:
            return None
        return CoverThumbnails(index.cover_thumbnails, ~self._is_logo, index.catalog, index.locals.refs)

    def score(self, d: Detection) -> float:
        return placement_score(d, self.config)

    def recognize(self, image: ImageSource | LoadedImage) -> Result:
        """Recognise every known logo and cover in a photo (path, bytes, file or LoadedImage)."""
        c = self.config
        t0 = time.perf_counter()
        timing: dict[str, float] = {}
        loaded = image if isinstance(image, LoadedImage) else load_image(image, max_side=c["max_side"],
                                                                         detail_side=c["proposal_max_side"])
        gray = self.working_gray(loaded.rgb)
        timing["load"] = _ms(t0)
        # The detector needs only the photo: it runs beside SIFT and the first pass, whose threads leave
        # a core partly idle (whole call 24 ms faster median at 10k references, photo by photo).
        detecting = self._detecting.submit(self._proposals, loaded.rgb) if self._detector is not None else None
        t = time.perf_counter()
        feats = self.photo_features(gray)
        timing["features"] = _ms(t)
        t = time.perf_counter()
        first = self.search_and_verify(feats)
        passing = first.passing(c)
        timing["search_verify"] = _ms(t)
        proposals = []
        if detecting is not None:
            proposals, timing["detector"] = detecting.result()
            passing = self._boxed(passing, proposals)
        kept, rivals = resolve(passing, c["max_overlap"], c["min_inliers"])
        if proposals:
            pending = unexplained(proposals, kept, self.index.locals.refs["kind"], c["weak_proposal_score"],
                                  c["max_overlap"], c["agreement_iou"], c["proposal_max"])
            if pending:
                t = time.perf_counter()
                detail, scale = self._detail_gray(image, loaded)
                unnamed: dict = {}
                closer = self._closer_look(detail, scale, pending, unnamed, first.votes)
                if closer:
                    closer = self._boxed(closer, proposals)
                    kept, rivals = resolve(passing + closer, c["max_overlap"], c["min_inliers"])
                sharper = self._sharper_look(gray, detail, scale, proposals, kept)
                if sharper:
                    closer = closer + self._boxed(sharper, proposals)
                    kept, rivals = resolve(passing + closer, c["max_overlap"], c["min_inliers"])
                stretched = self._stretched_look(detail, scale, proposals, kept)
                if stretched:
                    closer = closer + self._boxed(stretched, proposals)
                    kept, rivals = resolve(passing + closer, c["max_overlap"], c["min_inliers"])
                looks = self._cover_looks(loaded.rgb, gray, detail, scale, unnamed, proposals, kept, first.votes)
                if looks:
                    mark_boxed(looks, proposals, self.index, c["proposal_min_score"], c["agreement_iou"])
                    kept, rivals = resolve(passing + closer + looks, c["max_overlap"], c["min_inliers"])
                timing["proposals"] = _ms(t)
        objects = [self._object(d, rivals[i], feats.keypoints, first.matches, first.votes, loaded.scale, loaded.width,
                                loaded.height)
                   for i, d in enumerate(kept)]
        unknown = unknown_regions([p for p in proposals if p.score >= c["detector_min_score"]], loaded.scale,
                                  objects, c["detector_max_covered"])
        timing["total"] = _ms(t0)
        return Result(width=loaded.width, height=loaded.height, objects=objects, unknown=unknown, timing_ms=timing)

    def _closer_look(self, detail: np.ndarray, scale: float, pending: list[Proposal],
                     unnamed: dict[tuple[float, ...], Crop], votes: np.ndarray) -> list[Detection]:
        """`look_closer` at the `pending` boxes (working pixels) in the `detail` photo (`scale` of its
        pixels a working pixel); in the boxes scored under `proposal_min_score` (`weak_proposal_score`)
        only the top-voted reference of the whole photo's `votes` may be named. `unnamed` receives
        the crops of the confident album boxes nothing named (`look_closer`)."""
        c = self.config
        strong = [p for p in pending if p.score >= c["proposal_min_score"]]
        weak = [p for p in pending if p.score < c["proposal_min_score"]]
        named = look_closer(detail, strong, c, self.search_and_verify, self.index, scale, self._crops,
                            self._embedder, self._lookalikes, unnamed) if strong else []
        if weak and len(votes) and votes.max() > 0:
            top = int(np.argmax(votes))
            named += [d for d in look_closer(detail, weak, c, self.search_and_verify, self.index, scale, self._crops,
                                             self._embedder, self._lookalikes) if d.ref == top]
        return named

    def _proposals(self, rgb: np.ndarray) -> tuple[list[Proposal], float]:
        """The learned detector's boxes on the working photo (with tiles on a crowded one, down to
        `weak_proposal_score` on any other) and the milliseconds they took."""
        c = self.config
        t = time.perf_counter()
        lowest = min(c["detector_min_score"], c["proposal_min_score"])
        proposals = self._detector.detect(rgb, min_score=min(lowest, c["weak_proposal_score"]))
        if 0 < c["tile_min_logos"] <= sum(p.kind == "logo" and p.score >= c["proposal_min_score"] for p in proposals):
            proposals = with_tiles(self._detector, rgb, [p for p in proposals if p.score >= lowest], lowest,
                                   self._crops)
        return proposals, _ms(t)

    def _boxed(self, detections: list[Detection], proposals: list[Proposal]) -> list[Detection]:
        """The `detections` (working pixels) with `boxed` marked by the detector's `proposals`, less the
        covers that hang on a logo it boxed (`proposals.without_covers_held_by_logos`)."""
        c = self.config
        mark_boxed(detections, proposals, self.index, c["proposal_min_score"], c["agreement_iou"])
        return without_covers_held_by_logos(detections, proposals, self.index, c["proposal_min_score"])

    def _sharper_look(self, gray: np.ndarray, detail: np.ndarray, scale: float, proposals: list[Proposal],
                      kept: list[Detection]) -> list[Detection]:
        """Detections (working pixels) in the logo boxes still unnamed after the closer look, looked at
        again in the `detail` photo (`scale` of its pixels a working pixel) deconvolved by the blur the
        objects found so far show in the working `gray` photo (recognize/blur.py)."""
        c = self.config
        if not c["sharpen"]:
            return []
        # A placement scored under `sharpen_weak_score` does not keep its box from this look: a blurred
        # logo's crop sometimes places it on a handful of points, and the outline is off.
        sure = [d for d in kept if d.score >= c["sharpen_weak_score"]]
        pending = [p for p in unexplained(proposals, sure, self.index.locals.refs["kind"], c["proposal_min_score"],
                                          c["max_overlap"], c["agreement_iou"], c["proposal_max"])
                   if p.kind == "logo" and p.score >= c["sharpen_box_score"]]
        if not pending:
            return []
        found = blur.measure(gray, kept, self.index, c["sharpen_objects"])
        if found is None or found.spread < c["sharpen_min_blur"]:
            return []
        sharp = blur.sharpen(detail, found, scale, np.array([p.box for p in pending], np.float64) * scale,
                             c["sharpen_nsr"])
        sharper = {**c, "lookalike_margin": c["sharpen_lookalike_margin"], "agreement_inliers": c["sharpen_inliers"],
                   "nprobe": c["sharpen_nprobe"]}
        return look_closer(sharp, pending, sharper, self.search_and_verify, self.index, scale, self._crops,
                           self._embedder, self._lookalikes)

    def _stretched_look(self, detail: np.ndarray, scale: float, proposals: list[Proposal],
                        kept: list[Detection]) -> list[Detection]:
        """Detections (working pixels) in the confident logo boxes still unnamed, looked at again in the
        `detail` photo (`scale` of its pixels a working pixel) stretched as a whole, in those boxes that
        stretch clips enough of (`stretched_look_clip`)."""
        c = self.config
        if c["stretched_look_clip"] <= 0:
            return []
        lo, hi = stretch_range(detail)
        boxes = unexplained(proposals, kept, self.index.locals.refs["kind"], c["stretched_look_box_score"],
                            c["max_overlap"], c["agreement_iou"], c["proposal_max"])
        pending = [p for p in boxes if p.kind == "logo"
                   and clipped_share(detail, np.asarray(p.box) * scale, lo, hi) >= c["stretched_look_clip"]]
        if not pending:
            return []
        return look_closer(spread_levels(detail, lo, hi), pending, c, self.search_and_verify, self.index, scale,
                           self._crops, self._embedder, self._lookalikes)

    def _cover_looks(self, rgb: np.ndarray, gray: np.ndarray, detail: np.ndarray, scale: float,
                     unnamed: dict[tuple[float, ...], Crop], proposals: list[Proposal], kept: list[Detection],
                     votes: np.ndarray) -> list[Detection]:
        """The album boxes (working pixels) still unnamed that a step back, their look or, in a blurred
        photo, their own candidate's sharpening names (recognize/covers.py; `detail` and `scale` as
        `_sharper_look`'s, `unnamed` the closer look's crops of the album boxes it named nothing in)."""
        c = self.config
        if self._covers is None:
            return []
        boxes = unexplained([p for p in proposals if p.kind == "album"], kept, self.index.locals.refs["kind"],
                            c["cover_box_score"], c["max_overlap"], c["agreement_iou"], c["proposal_max"])
        named = []
        for p in boxes:
            box = np.asarray(p.box, np.float64)
            d = step_back(gray, rgb, box, self.search_and_verify, self.index, self._covers, c)
            d = d or cover_look(rgb, box, votes, self._covers, c)
            crop = unnamed.get(tuple(p.box))
            if d is None and c["sharpen"] and crop is not None:
                d = sharpened(gray, detail, scale, crop, self.search_and_verify, self.index, c)
            if d is not None:
                named.append(d)
        return named

    def working_gray(self, rgb: np.ndarray) -> np.ndarray:
        """The gray photo features are extracted from: (H, W) uint8 of an (H, W, 3) RGB photo, stretched."""
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        return stretch(gray) if self.config["stretch"] else gray

    def _detail_gray(self, image: ImageSource | LoadedImage, loaded: LoadedImage) -> tuple[np.ndarray, float]:
        """The gray photo at up to `proposal_max_side` for the closer look, and its pixels per working
        pixel: the pixels the first decode kept (`LoadedImage.detail`), or the source decoded again.
        Falls back to the working photo when the source cannot be read again.

        Its gray levels are not stretched: each crop is stretched on its own range. Stretched as a
        whole, a bright photo's regions darker than its 1st percentile turn black, and the lettering
        on a logo's dark panel with them (a poster logo's crop kept 25 keypoints instead of 438)."""
        rgb = loaded.rgb if loaded.scale >= 1.0 else loaded.detail
        if rgb is None:
            rgb = self._decoded_again(image)
        if rgb is None:
            rgb = loaded.rgb
        return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), rgb.shape[1] / loaded.rgb.shape[1]

    def _decoded_again(self, image: ImageSource | LoadedImage) -> np.ndarray | None:
        """The source decoded again at up to `proposal_max_side`; None when it cannot be read again."""
        if isinstance(image, LoadedImage):
            return None
        if hasattr(image, "seek"):
            if not (hasattr(image, "seekable") and image.seekable()):
                return None
            image.seek(0)
        return load_image(image, max_side=self.config["proposal_max_side"]).rgb

    def photo_features(self, gray: np.ndarray) -> Features:
        c = self.config
        return extract(gray, FeatureConfig(c["max_side"], c["max_keypoints"], c["contrast_threshold"],
                                           describe_max=c["describe_factor"] * c["max_keypoints"],
                                           fine_octave=c["fine_octave"]))

    def search_and_verify(self, feats: Features, conf: dict[str, Any] | None = None, logo_first: bool = False,
                          eager: bool = True) -> Pass:
        """One pass over a photo's (or a crop's) features: search, votes, shortlist, verification.

        With `logo_first`, the plain descriptors' matches are verified alone first, and the inverted
        ones join only when that names no logo: a crop shows one print, and where the plain search
        names a logo the inverted one named the same (344 of 849 standard logo crops, docs/engine.md).
        `eager` starts the inverted search beside the plain one all the same, for when a core would
        otherwise idle; the answer is the same either way."""
        c = conf or self.config
        inverted = c["polarity"] and bool(self._is_logo.any())
        pending = self._searches.submit(self._inverted_matches, feats.descriptors, c) if inverted and eager else None
        matches = self._plain_matches(feats.descriptors, c)
        if inverted and logo_first:
            alone = self._verify(feats, matches, c)
            if any(self._is_logo[d.ref] for d in alone.passing(c)):
                if pending is not None:
                    pending.cancel()
                return alone
        if inverted:
            flipped = pending.result() if pending is not None else self._inverted_matches(feats.descriptors, c)
            matches = merge(matches, flipped)
        return self._verify(feats, matches, c)

    def _verify(self, feats: Features, matches: Matches, c: dict[str, Any]) -> Pass:
        votes = tally(matches, len(self._starts))
        shortlist = np.argsort(-votes)[: c["shortlist"]]
        shortlist = shortlist[votes[shortlist] > 0]
        verified = detect(self.index, feats.keypoints, matches, shortlist, c)
        for d in verified:
            d.score = self.score(d)
        return Pass(feats, matches, votes, shortlist, verified)

    def _plain_matches(self, descriptors: np.ndarray, c: dict[str, Any]) -> Matches:
        D, I = vectors.search(self.index.vectors, descriptors, c["k"], c["nprobe"], c["quantizer_ef"])
        return density_ratio_matches(D, I, self._starts, c["max_ratio"])

    def _inverted_matches(self, descriptors: np.ndarray, c: dict[str, Any]) -> Matches:
        """Matches of the descriptors with their polarity inverted (a white-on-black print of a
        black-on-white reference), kept on logo references only. FAISS releases the GIL, so this may
        run beside the plain search (151 -> 79 ms a photo at 1.3k references on 2 cores)."""
        D, I = vectors.search(self.index.vectors, invert_polarity(descriptors), c["k"], c["nprobe"],
                              c["quantizer_ef"])
        flipped = density_ratio_matches(D, I, self._starts, c["max_ratio"])
        return flipped.take(self._is_logo[flipped.ref])

    def _object(self, d: Detection, rivals: list[Detection], photo_kp: np.ndarray, matches, votes: np.ndarray,
                scale: float, width: int, height: int) -> RecognizedObject:
        quad = d.quad / scale
        # The quad may run off the photo (a sleeve cut by the frame); the box is what the photo shows.
        box = np.clip(quad_box(quad), 0, [width, height, width, height]).tolist()
        refs = self.index.locals.refs
        # Runner-ups: verified rivals first, then references with votes from inside this outline.
        in_region = inside_convex(d.quad, photo_kp[matches.query, :2].astype(np.float64))
        local = np.bincount(matches.ref[in_region], weights=matches.weight[in_region], minlength=len(votes))
        ranked: list[tuple[int, float]] = [(d.ref, d.score)] + [(r.ref, r.score) for r in rivals]
        own = max(local[d.ref], 1e-6)
        for r in np.argsort(-local)[: self.config["candidates"] * 2]:
            if local[r] > 0:
                # An unverified runner-up's score is its vote share, capped below the verified ones.
                ranked.append((int(r), float(min(0.49, 0.5 * local[r] / own)) * d.score))
        seen: set[int] = set()
        candidates = []
        for pos, s in ranked:
            if pos in seen:
                continue
            seen.add(pos)
            candidates.append(self._candidate(int(refs["id"][pos]), s))
            if len(candidates) >= self.config["candidates"]:
                break
        own_identity = candidates[0]  # `ranked` starts with this detection's own reference
        return RecognizedObject(
            kind=KINDS[int(refs["kind"][d.ref])], score=round(d.score, 4), inliers=d.inliers,
            box=[round(v, 1) for v in box], quad=[[round(float(x), 1), round(float(y), 1)] for x, y in quad],
            reference_id=own_identity.reference_id, reference_key=own_identity.reference_key,
            band=own_identity.band, release=own_identity.release, candidates=candidates)

    def _candidate(self, reference_id: int, score: float) -> Candidate:
        cat = self.index.catalog
        ref = cat.reference(reference_id)
        return Candidate(reference_id=ref.id, reference_key=ref.key, band=cat.band_ref(ref.band_id),
                         release=cat.release_ref(ref.release_id), score=round(score, 4))


def _ms(t: float) -> float:
    return round((time.perf_counter() - t) * 1000.0, 1)
