"""The report's tables, built once from a metrics dict and rendered as Markdown or HTML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The thesis's own figures (§8.3, §9.2.1 table 7, §10) on its own 155/300/144 real photos, for scale only.
THESIS = {
    "detection": {"ap_album": 0.893, "ap_logo": 0.727, "map50": 0.810, "recall": 0.938, "precision": 0.808},
    "retrieval": {"album": {"top10": 0.888}, "logo": {"top10": 0.492}},
    "end_to_end": {"thesis_accuracy": 0.65},
}


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""
    numeric: bool = True  # right-align every column after the first


def fmt(value: Any, digits: int = 3) -> str:
    """A cell: numbers rounded, None (not applicable) as an em dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _get(d: dict, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


DETECTION_COLS = ("ap_album", "ap_logo", "map50", "recall", "precision")
GROUP_COLS = (
    ("photos", "counts.photos", 0),
    ("albums", "counts.objects.album", 0),
    ("logos", "counts.objects.logo", 0),
    ("album top-1", "retrieval.album.top1", 3),
    ("logo top-1", "retrieval.logo.top1", 3),
    ("e2e precision", "end_to_end.precision", 3),
    ("e2e recall", "end_to_end.recall", 3),
    ("photo acc.", "end_to_end.photo_accuracy", 3),
    ("mAP@0.5", "detection.map50", 3),
    ("p50 ms", "latency_ms.p50", 0),
)


def _group_table(title: str, groups: dict[str, dict], first: str) -> Table:
    rows = [[name] + [fmt(_get(m, path), digits) for _, path, digits in GROUP_COLS] for name, m in groups.items()]
    return Table(title, [first] + [c for c, _, _ in GROUP_COLS], rows)


def build_tables(metrics: dict) -> list[Table]:
    """Every table of the report, in order."""
    det, ident = metrics.get("detection", {}), metrics.get("detection_identified", {})
    learned = metrics.get("detector")
    e2e, lat, ret = metrics.get("end_to_end", {}), metrics.get("latency_ms", {}), metrics.get("retrieval", {})
    thesis_note = "The thesis row is its own figure on its own real photos, shown for scale, not a like-for-like run."
    tables = [
        Table(
            "Detection (IoU ≥ 0.5, class-aware)",
            ["boxes", "AP album", "AP logo", "mAP@0.5", "recall", "precision"],
            [
                ["objects + unknown regions"] + [fmt(det.get(k)) for k in DETECTION_COLS],
                ["identified objects only"] + [fmt(ident.get(k)) for k in DETECTION_COLS],
                *([["learned detector alone"] + [fmt(learned.get(k)) for k in DETECTION_COLS]] if learned else []),
                ["thesis §8.3 (Faster R-CNN)"] + [fmt(THESIS["detection"][k]) for k in DETECTION_COLS],
            ],
            "AP is all-point interpolated over the ranking by score; each annotated object is matched at most "
            "once, duplicates are false positives. " + thesis_note,
        ),
        Table(
            "Retrieval (per annotated object)",
            ["kind", "top-1", "top-10", "objects"],
            [
                [
                    kind,
                    fmt(_get(ret, f"{kind}.top1")),
                    fmt(_get(ret, f"{kind}.top10")),
                    fmt(_get(ret, f"{kind}.objects")),
                ]
                for kind in ("album", "logo")
            ]
            + [
                [f"thesis §9.2.1 {kind} (SIFT+VLAD)", "—", fmt(THESIS["retrieval"][kind]["top10"]), "—"]
                for kind in ("album", "logo")
            ],
            "The identified object overlapping the annotation most (IoU ≥ 0.5) is judged: top-1 when it names the "
            "right release (album) or band (logo), top-10 when that identity is among its first 10 candidates.",
        ),
        Table(
            "End to end",
            ["", "precision", "recall", "F1", "photo accuracy", "thesis-way accuracy"],
            [
                ["this run"]
                + [fmt(e2e.get(k)) for k in ("precision", "recall", "f1", "photo_accuracy", "thesis_accuracy")],
                ["thesis §10", "—", "—", "—", "—", fmt(THESIS["end_to_end"]["thesis_accuracy"])],
            ],
            "An object counts when its right identity is reported at IoU ≥ 0.5. Photo accuracy: every annotated "
            "object found and nothing wrong reported. Thesis-way: photos whose every object has its identity among "
            "the top-10 of an overlapping box, wrong reports ignored.",
        ),
        Table(
            "Latency per photo (whole recognize call, ms)",
            ["p50", "p95", "max", "mean", "photos timed"],
            [
                [fmt(lat.get(k), 1) for k in ("p50", "p95", "max", "mean")] + [fmt(lat.get("photos"))],
            ],
            "One untimed warm-up call first; photos that failed are not timed.",
        ),
        _group_table("By scene", metrics.get("by_scene", {}), "scene"),
        _group_table("By difficulty", metrics.get("by_difficulty", {}), "difficulty"),
    ]
    errors = metrics.get("errors", [])
    if errors:
        tables.append(
            Table(
                f"Photos that failed ({len(errors)})",
                ["photo", "error"],
                [[e["file_name"], e["error"]] for e in errors],
                "A failed photo counts as one where nothing was reported.",
                numeric=False,
            )
        )
    return tables


def config_rows(config: dict) -> list[list[str]]:
    """The config as (key, value) rows, nested keys dotted."""
    rows: list[list[str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict) and value:
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        else:
            rows.append([prefix, "—" if value is None else str(value)])

    walk("", config)
    return rows
