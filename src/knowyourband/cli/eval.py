"""`kyb eval`: score a recognizer on a benchmark folder, or compare two metrics files."""

from __future__ import annotations

from pathlib import Path

import click

from knowyourband.cli.errors import friendly_errors
from knowyourband.cli.options import conf_file_option
from knowyourband.evaluate.evaluation import METHODS


@click.command("eval")
@click.argument("index_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.argument("bench_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Report folder: predictions.jsonl, metrics.json, report.md, report.html.",
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="kyb",
    show_default=True,
    help="Recognition method (the thesis's baselines: seed-vlad, colour-hist).",
)
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N photos (by id).")
@click.option(
    "--rerun",
    is_flag=True,
    help="Recognise every photo again, replacing cached predictions (needed after an engine change).",
)
@click.option(
    "--compare",
    nargs=2,
    type=click.Path(exists=True, path_type=Path),
    metavar="A B",
    help="Print two metrics.json (or report folders) side by side with differences.",
)
@click.option("--detector", is_flag=True, help="Also score the shipped learned detector alone on the same photos.")
@click.option("--all", "everything", is_flag=True, help="With --compare: include every scene and difficulty.")
@conf_file_option
@friendly_errors
def eval_cmd(
    index_dir: Path | None,
    bench_dir: Path | None,
    out_dir: Path | None,
    method: str,
    limit: int | None,
    rerun: bool,
    compare: tuple[Path, Path] | None,
    detector: bool,
    everything: bool,
    conf_file: Path | None,
) -> None:
    """Run the recognizer on every photo of BENCH_DIR/annotations.json and score it.

    \b
    kyb eval INDEX_DIR BENCH_DIR --out REPORT_DIR [--method kyb] [--limit N]
    kyb eval --compare A/metrics.json B/metrics.json

    Predictions are cached in REPORT_DIR: running again re-scores without recognising again.
    """
    from rich.console import Console

    console = Console()
    if compare:
        if index_dir or bench_dir:
            raise click.UsageError("--compare takes two metrics files and no INDEX_DIR/BENCH_DIR")
        from knowyourband.evaluate.compare import compare_table
        from knowyourband.evaluate.evaluation import load_metrics

        a, b = (load_metrics(p) for p in compare)
        console.print(compare_table(a, b, str(compare[0]), str(compare[1]), everything=everything))
        return
    if index_dir is None or bench_dir is None or out_dir is None:
        raise click.UsageError("give INDEX_DIR BENCH_DIR --out REPORT_DIR (or --compare A B)")
    from rich.progress import Progress

    from knowyourband.evaluate.evaluation import evaluate
    from knowyourband.recognize.recognizer import load_conf

    conf = load_conf(conf_file) if conf_file else None
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"recognising ({method})", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        metrics = evaluate(
            index_dir, bench_dir, out_dir, method=method, limit=limit, rerun=rerun, progress=progress,
            detector=detector, conf=conf,
        )
    _summary(console, metrics, out_dir)


def _summary(console, metrics: dict, out_dir: Path) -> None:
    from rich.table import Table

    from knowyourband.evaluate.tables import fmt

    det, ret, e2e, lat = metrics["detection"], metrics["retrieval"], metrics["end_to_end"], metrics["latency_ms"]
    table = Table(title=f"{metrics['config']['method']} on {metrics['counts']['photos']} photos")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in (
        ("album top-1", fmt(ret["album"]["top1"])),
        ("logo top-1", fmt(ret["logo"]["top1"])),
        ("end-to-end precision", fmt(e2e["precision"])),
        ("end-to-end recall", fmt(e2e["recall"])),
        ("photo accuracy", fmt(e2e["photo_accuracy"])),
        ("detection mAP@0.5", fmt(det["map50"])),
        ("latency p50 / p95 ms", f"{fmt(lat['p50'], 0)} / {fmt(lat['p95'], 0)}"),
    ):
        table.add_row(name, value)
    console.print(table)
    if metrics.get("errors"):
        console.print(f"[yellow]{len(metrics['errors'])} photo(s) failed; see report.md[/]")
    console.print(f"report: {out_dir / 'report.md'}, {out_dir / 'report.html'}")
