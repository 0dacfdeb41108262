"""The recognition result: the contract between engine, CLI, API, web client and evaluation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Box = list[float]  # [x0, y0, x1, y1] in pixels of the upright photo
Quad = list[list[float]]  # four [x, y] corners, clockwise from the reference's top-left


@dataclass
class BandRef:
    id: int  # index-internal id (stable within one index)
    key: str  # the source catalogue's id, e.g. "b00012" (what evaluation compares)
    name: str
    country: str | None = None


@dataclass
class ReleaseRef:
    id: int
    key: str
    title: str
    year: int | None = None


@dataclass
class Candidate:
    reference_id: int
    reference_key: str
    band: BandRef
    release: ReleaseRef | None
    score: float  # calibrated confidence in [0, 1]


@dataclass
class RecognizedObject:
    kind: str  # "logo" | "album"
    score: float  # calibrated confidence in [0, 1]
    inliers: int
    box: Box
    quad: Quad
    reference_id: int
    reference_key: str
    band: BandRef
    release: ReleaseRef | None
    candidates: list[Candidate] = field(default_factory=list)  # best first, the object's own identity first


@dataclass
class UnknownRegion:
    kind: str  # "logo" | "album"
    box: Box
    score: float


@dataclass
class Result:
    width: int
    height: int
    objects: list[RecognizedObject] = field(default_factory=list)  # best first
    unknown: list[UnknownRegion] = field(default_factory=list)
    timing_ms: dict[str, float] = field(default_factory=dict)  # always has "total"

    def to_dict(self) -> dict[str, Any]:
        return {
            "image": {"width": self.width, "height": self.height},
            "objects": [asdict(o) for o in self.objects],
            "unknown": [asdict(u) for u in self.unknown],
            "timing_ms": dict(self.timing_ms),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Result":
        def band(d: dict[str, Any]) -> BandRef:
            return BandRef(**d)

        def release(d: dict[str, Any] | None) -> ReleaseRef | None:
            return ReleaseRef(**d) if d else None

        objects = [
            RecognizedObject(
                **{k: v for k, v in o.items() if k not in ("band", "release", "candidates")},
                band=band(o["band"]),
                release=release(o.get("release")),
                candidates=[
                    Candidate(
                        **{k: v for k, v in c.items() if k not in ("band", "release")},
                        band=band(c["band"]),
                        release=release(c.get("release")),
                    )
                    for c in o.get("candidates", [])
                ],
            )
            for o in data.get("objects", [])
        ]
        return cls(
            width=data["image"]["width"],
            height=data["image"]["height"],
            objects=objects,
            unknown=[UnknownRegion(**u) for u in data.get("unknown", [])],
            timing_ms=dict(data.get("timing_ms", {})),
        )
