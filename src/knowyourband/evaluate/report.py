"""Write a metrics dict as `report.md` (thesis-style tables) and a self-contained `report.html`."""

from __future__ import annotations

from html import escape
from pathlib import Path

from knowyourband.evaluate import plots
from knowyourband.evaluate.tables import Table, build_tables, config_rows

CSS = """
body{font-family:sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 .3em}th,td{border:1px solid #bbb;padding:3px 8px;text-align:right}
th{background:#eee}table.text td,table.text th{text-align:left}td:first-child,th:first-child{text-align:left}
p.note{color:#555;font-size:.9em;max-width:60em}
.plots{display:flex;flex-wrap:wrap;gap:12px}.plots svg{border:1px solid #ddd}code{font-size:.9em}
"""


def _title(metrics: dict) -> str:
    config = metrics.get("config", {})
    return f"KYB evaluation — method {config.get('method', '?')} on {config.get('bench', {}).get('path', '?')}"


def _md_table(table: Table) -> str:
    lines = [
        f"### {table.title}",
        "",
        "| " + " | ".join(table.header) + " |",
        "|" + "|".join(["---"] + ["---:" if table.numeric else "---"] * (len(table.header) - 1)) + "|",
    ]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", table.note]
    return "\n".join(lines) + "\n"


def markdown(metrics: dict) -> str:
    parts = [f"# {_title(metrics)}", ""]
    parts += [_md_table(t) for t in build_tables(metrics)]
    parts.append(
        _md_table(Table("Configuration", ["key", "value"], config_rows(metrics.get("config", {})), numeric=False))
    )
    return "\n".join(parts)


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    cls = "" if table.numeric else ' class="text"'
    return (
        f"<h3>{escape(table.title)}</h3><table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"
    )


def _accuracy_bars(groups: dict[str, dict]) -> dict[str, dict[str, float | None]]:
    return {
        name: {
            "album top-1": m.get("retrieval", {}).get("album", {}).get("top1"),
            "logo top-1": m.get("retrieval", {}).get("logo", {}).get("top1"),
            "e2e recall": m.get("end_to_end", {}).get("recall"),
            "e2e precision": m.get("end_to_end", {}).get("precision"),
        }
        for name, m in groups.items()
    }


def _pr_series(metrics: dict) -> dict[str, list]:
    """Curves named with their AP; a kind with nothing annotated has no curve to draw."""
    detection = metrics.get("detection", {})
    series = {}
    for kind, points in metrics.get("curves", {}).get("pr", {}).items():
        ap = detection.get(f"ap_{kind}")
        series[f"{kind} (AP {ap:.3f})" if ap is not None else f"{kind} (none annotated)"] = (
            points if ap is not None else []
        )
    return series


def html(metrics: dict) -> str:
    curves = metrics.get("curves", {})
    hist = curves.get("latency_histogram", {"edges": [], "counts": []})
    figures = [
        plots.line_chart("Precision–recall (IoU ≥ 0.5)", _pr_series(metrics), "recall", "precision"),
        plots.histogram("Latency per photo", hist.get("edges", []), hist.get("counts", []), "ms"),
        plots.bar_chart("Accuracy by scene", _accuracy_bars(metrics.get("by_scene", {}))),
        plots.bar_chart("Accuracy by difficulty", _accuracy_bars(metrics.get("by_difficulty", {}))),
    ]
    tables = "".join(_html_table(t) for t in build_tables(metrics))
    config = _html_table(
        Table("Configuration", ["key", "value"], config_rows(metrics.get("config", {})), numeric=False)
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(_title(metrics))}</title>'
        f"<style>{CSS}</style></head><body><h1>{escape(_title(metrics))}</h1>"
        f'<div class="plots">{"".join(figures)}</div>{tables}{config}</body></html>\n'
    )


def write_reports(metrics: dict, out_dir: Path) -> tuple[Path, Path]:
    """Write `report.md` and `report.html` into out_dir; returns their paths."""
    md_path, html_path = out_dir / "report.md", out_dir / "report.html"
    md_path.write_text(markdown(metrics), encoding="utf-8")
    html_path.write_text(html(metrics), encoding="utf-8")
    return md_path, html_path
