"""Two metrics.json side by side with differences, as a rich table."""

from __future__ import annotations

from typing import Any

from rich.table import Table

SKIP = ("config", "curves", "errors")  # not figures to compare
SECTIONS = ("detection", "detection_identified", "retrieval", "end_to_end", "latency_ms", "counts")
LOWER_IS_BETTER = ("latency_ms",)


def flatten(metrics: dict, prefix: str = "") -> dict[str, Any]:
    """Numeric leaves as dotted keys (`by_scene.poster.end_to_end.recall`), sections in report order."""
    out: dict[str, Any] = {}
    keys = list(metrics)
    if not prefix:
        keys = [k for k in SECTIONS if k in metrics] + [k for k in metrics if k not in SECTIONS]
    for key in keys:
        if not prefix and key in SKIP:
            continue
        value = metrics[key]
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            out[name] = value
    return out


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _label(metrics: dict, fallback: str) -> str:
    config = metrics.get("config", {})
    return f"{fallback}: {config.get('method', '?')}" if config else fallback


def compare_table(a: dict, b: dict, name_a: str = "A", name_b: str = "B", everything: bool = False) -> Table:
    """Rows for every figure either file has (by_scene/by_difficulty only with `everything`)."""
    fa, fb = flatten(a), flatten(b)
    table = Table(title="kyb eval --compare", show_lines=False)
    table.add_column("metric", no_wrap=True)
    table.add_column(_label(a, name_a), justify="right")
    table.add_column(_label(b, name_b), justify="right")
    table.add_column("B − A", justify="right")
    for key in list(dict.fromkeys([*fa, *fb])):
        if not everything and key.startswith(("by_scene.", "by_difficulty.")):
            continue
        va, vb = fa.get(key), fb.get(key)
        diff = ""
        if isinstance(va, (int, float)) and isinstance(vb, (int, float)):
            delta = vb - va
            better = delta < 0 if key.startswith(LOWER_IS_BETTER) else delta > 0
            style = "" if key.startswith("counts.") or delta == 0 else ("green" if better else "red")
            text = f"{delta:+.3f}" if isinstance(delta, float) else f"{delta:+d}"
            diff = f"[{style}]{text}[/]" if style else text
        table.add_row(key, _cell(va), _cell(vb), diff)
    return table
