"""`kyb calibrate`: fit the engine's score and threshold on a benchmark's photos, check them on others."""

from __future__ import annotations

import json
from pathlib import Path

import click

from knowyourband.cli.errors import friendly_errors


def photo_range(ctx: click.Context, param: click.Parameter, value: str) -> set[int]:
    """'121-400' -> {121, ..., 400}; '' -> no photos."""
    if not value:
        return set()
    try:
        first, last = (int(v) for v in value.split("-", 1))
    except ValueError:
        raise click.BadParameter(f"{value!r}: give photo ids as FIRST-LAST, e.g. 121-400") from None
    if first < 1 or last < first:
        raise click.BadParameter(f"{value!r}: FIRST must be at least 1 and LAST not below FIRST")
    return set(range(first, last + 1))


@click.command("calibrate")
@click.argument("index_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("bench_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--fit", "fit_ids", default="121-400", show_default=True, callback=photo_range,
              help="Photo ids the score is fitted and the threshold chosen on.")
@click.option("--check", "check_ids", default="1-120", show_default=True, callback=photo_range,
              help="Held-out photo ids the result is checked on ('' for none).")
@click.option("--terms", default="density,coverage", show_default=True,
              help="Score terms to fit: log_inliers, ratio, density, coverage.")
@click.option("--precision", type=click.FloatRange(0.5, 1.0), default=0.98, show_default=True,
              help="Precision the threshold must reach on the fit photos.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the configuration overrides (JSON) for `kyb eval/recognize/serve --conf`.")
@friendly_errors
def calibrate(index_dir: Path, bench_dir: Path, fit_ids: set[int], check_ids: set[int], terms: str,
              precision: float, out: Path | None) -> None:
    """Fit the score (probability that a placement is right) and choose the threshold below which
    the engine says nothing, on BENCH_DIR's photos with the index INDEX_DIR (docs/engine.md)."""
    from rich.console import Console
    from rich.table import Table

    from knowyourband.evaluate.calibrate import calibrate as run

    if fit_ids & check_ids:
        raise click.UsageError("--fit and --check photos overlap: the check must be on photos the fit never saw")
    try:
        report = run(index_dir, bench_dir, fit_ids, check_ids, [t.strip() for t in terms.split(",") if t.strip()],
                     precision)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    console = Console()
    fit = report["fit"]
    console.print(f"fitted on {fit['photos']} photos: {fit['placements']} verified placements, {fit['right']} right")
    console.print(json.dumps(report["conf"]))
    for name in ("fit", "check"):
        rows = report[name]["rows"]
        if not rows:
            continue
        table = Table(title=f"{name} photos ({report[name]['photos']}), first pass after gates and resolution")
        for col in ("threshold", "right", "wrong", "precision", "recall"):
            table.add_column(col, justify="right")
        for r in rows:
            table.add_row(*(str(r[c]) for c in ("threshold", "right", "wrong", "precision", "recall")))
        console.print(table)
    if "min_score" not in report["conf"]:
        console.print(f"no threshold reaches precision {precision} on the fit photos: min_score left as it is")
    if out is not None:
        out.write_text(json.dumps(report["conf"], indent=2) + "\n", encoding="utf-8")
        console.print(f"wrote {out}")
