"""The standard benchmarks as named presets, and the one command that regenerates and scores them.

    python -m knowyourband.evaluate.bench [--preset standard] [--methods kyb,seed-vlad,colour-hist] [--out bench/]

Each preset goes to `OUT/<preset>/`: `catalog/` → `photos/` → `index/` → `eval-<method>/`. A step whose
output exists (made with the same settings) is skipped, so an interrupted run resumes and a second
run only re-scores; `eval-*` reuses cached predictions unless the index or method changed.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import click

from knowyourband.errors import KybError
from knowyourband.evaluate.evaluation import METHODS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Preset:
    name: str
    bands: int
    albums_per_band: int
    catalog_seed: int
    photos: int
    photos_seed: int
    distractors: int = 0  # references that never appear in photos, to grow the index
    megapixels: float | None = None  # None: the generator's own 1.2–4 MP mix
    readme: bool = True  # whether its results belong in the README's table


PRESETS = {
    p.name: p
    for p in (
        Preset("standard", bands=300, albums_per_band=3, catalog_seed=7, photos=400, photos_seed=11),
        Preset("large-10k", 300, 3, 7, 400, 11, distractors=10_000),
        Preset("large-100k", 300, 3, 7, 400, 11, distractors=100_000),
        # For CI and a first look: a minute or two on 2 cores, too small for any claim.
        Preset("smoke", 10, 2, 7, 20, 11, megapixels=0.8, readme=False),
    )
}
README_START, README_END = "<!-- results:start -->", "<!-- results:end -->"


class BenchStepError(KybError):
    """A benchmark folder holds the output of other settings."""


def _check_same(path: Path, found: dict, wanted: dict) -> None:
    differ = {k: (found.get(k), v) for k, v in wanted.items() if found.get(k) != v}
    if differ:
        raise BenchStepError(f"{path} was made with other settings ({differ}); delete its folder to regenerate it")


def catalog_step(preset: Preset, root: Path) -> Path:
    """root/catalog/catalog.json, generated unless already there with the same settings."""
    path = root / "catalog" / "catalog.json"
    wanted = {
        "seed": preset.catalog_seed,
        "bands": preset.bands,
        "albums_per_band": preset.albums_per_band,
        "distractors": preset.distractors,
    }
    if path.is_file():
        _check_same(path, json.loads(path.read_text(encoding="utf-8")).get("generator", {}), wanted)
        logger.info("catalogue: %s exists, skipped", path)
        return path
    from knowyourband.synth.catalog import generate_catalog

    return generate_catalog(path.parent, preset.bands, preset.albums_per_band, preset.catalog_seed, preset.distractors)


def photos_step(preset: Preset, catalog: Path, root: Path) -> Path:
    """root/photos/annotations.json and its photos, generated unless already there."""
    from knowyourband.synth.photos import RENDERING, generate_photos

    path = root / "photos" / "annotations.json"
    if path.is_file():
        _check_same(
            path,
            json.loads(path.read_text(encoding="utf-8")).get("info", {}),
            {"seed": preset.photos_seed, "count": preset.photos, "rendering": RENDERING},
        )
        logger.info("photos: %s exists, skipped", path)
        return path

    return generate_photos(
        path.parent, catalog, preset.photos, preset.photos_seed, megapixels=preset.megapixels, workers=2
    )


def index_step(catalog: Path, root: Path) -> tuple[Path, float | None]:
    """root/index built from the catalogue unless already there; returns it and its build seconds."""
    out = root / "index"
    if (out / "manifest.json").is_file():
        logger.info("index: %s exists, skipped", out)
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        _embed_again_if_stale(out, manifest)
        return out, manifest.get("build_seconds")
    from knowyourband.index import build

    start = time.perf_counter()
    build(catalog, out)
    return out, round(time.perf_counter() - start, 2)


def _embed_again_if_stale(index: Path, manifest: dict) -> None:
    """A kept index whose logo embeddings another embedder model made, or that has no cover thumbnails
    of this version, has them made again (seconds; the recognizer would otherwise run without its
    lookalike or cover-look step)."""
    from knowyourband.embed import Embedder, EmbedderError
    from knowyourband.features.cover import SIDE
    from knowyourband.index.covers import thumbnails_again
    from knowyourband.index.embeddings import embed_index

    try:
        shipped = Embedder.open().model_id
    except EmbedderError:
        shipped = None
    if shipped and (manifest.get("embeddings") or {}).get("model") != shipped:
        logger.info("index: %s has logo embeddings of another embedder model; embedding again", index)
        embed_index(index)
    if (manifest.get("covers") or {}).get("side") != SIDE:
        logger.info("index: %s has no cover thumbnails of this version; making them", index)
        thumbnails_again(index)


def eval_step(
    index: Path, bench: Path, out: Path, method: str, rerun: bool, limit: int | None, extra_config: dict
) -> dict:
    """Score one method; the kyb row also scores the shipped learned detector alone, when there is one."""
    from knowyourband.detect.detector import default_model_path
    from knowyourband.evaluate.evaluation import evaluate

    detector = method == "kyb" and default_model_path().is_file()
    return evaluate(
        index, bench, out, method=method, limit=limit, rerun=rerun, extra_config=extra_config, detector=detector
    )


def main(preset: Preset, methods: list[str], out: Path, rerun: bool = False, limit: int | None = None) -> list[dict]:
    """Regenerate what is missing of `preset` under `out/<name>/` and score every method on it."""
    root = out / preset.name
    catalog = catalog_step(preset, root)
    photos = photos_step(preset, catalog, root)
    index, build_seconds = index_step(catalog, root)
    results = []
    for method in methods:
        logger.info("%s: evaluating %s", preset.name, method)
        extra = {"preset": asdict(preset), "index_build_seconds": build_seconds}
        results.append(eval_step(index, photos.parent, root / f"eval-{method}", method, rerun, limit, extra))
    return results


def _cell(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def results_table(out: Path) -> str:
    """The README's results block: one row per preset and method found under `out`."""
    rows, builds, commits = [], {}, []
    machine = None
    for preset in PRESETS.values():
        if not preset.readme:
            continue
        for method in METHODS:
            path = out / preset.name / f"eval-{method}" / "metrics.json"
            if not path.is_file():
                continue
            m = json.loads(path.read_text(encoding="utf-8"))
            machine = machine or m["config"]["machine"]
            manifest = m["config"]["index"].get("manifest", {})
            refs = manifest.get("counts", {}).get("references")
            seconds = m["config"].get("index_build_seconds")
            if refs and seconds:
                # The first method's (kyb's) run: baselines' older runs may have timed an older build.
                rate = f"{preset.name} {refs} references in {seconds:.0f} s ({refs / seconds:.1f}/s)"
                builds.setdefault(preset.name, rate)
            commits.append(m["config"].get("predictions_commit") or "unknown")
            r, e, d, lat = m["retrieval"], m["end_to_end"], m["detection"], m["latency_ms"]
            rows.append(
                f"| {preset.name} | {method} | {refs if refs is not None else '—'} | {m['counts']['photos']} "
                f"| {_cell(r['album']['top1'])} | {_cell(r['logo']['top1'])} | {_cell(e['precision'])} "
                f"| {_cell(e['recall'])} | {_cell(e['photo_accuracy'])} | {_cell(d['map50'])} "
                f"| {_cell(lat['p50'], 0)} | {_cell(lat['p95'], 0)} |"
            )
    if not rows:
        return "No benchmark results yet: run `bash tasks.sh bench`."
    header = (
        "| preset | method | references | photos | album top-1 | logo top-1 | e2e precision | e2e recall "
        "| photo acc. | mAP@0.5 | p50 ms | p95 ms |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    where = (
        f"Measured by `bash tasks.sh bench` on {machine['cpu']} ({machine['cores']} cores), Python "
        f"{machine['python']}, kyb {machine['kyb']}; predictions made at commit "
        f"{', '.join(dict.fromkeys(commits))}. Latency is the whole recognize call per photo, one run on a "
        "shared machine (see docs/evaluation.md)."
    )
    if builds:
        where += " Index build: " + "; ".join(builds.values()) + "."
    return "\n".join([header, *rows, "", where])


def update_readme(readme: Path, block: str) -> None:
    """Replace the text between the results markers (appending the markers if absent)."""
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    if README_START in text and README_END in text:
        head, rest = text.split(README_START, 1)
        tail = rest.split(README_END, 1)[1]
    else:
        head, tail = text.rstrip("\n") + "\n\n## Benchmark results\n\n", "\n"
    readme.write_text(f"{head}{README_START}\n{block}\n{README_END}{tail}", encoding="utf-8")


@click.command()
@click.option("--preset", "preset_name", type=click.Choice(list(PRESETS)), default="standard", show_default=True)
@click.option("--methods", default=",".join(METHODS), show_default=True, help="Comma-separated methods to score.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("bench"), show_default=True)
@click.option("--rerun", is_flag=True, help="Recognise again even where cached predictions exist.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N photos (a quick look; not for the README).")
@click.option(
    "--readme",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("README.md"),
    show_default=True,
    help="README whose results table to rewrite (presets meant for it only).",
)
@click.option("-v", "--verbose", count=True)
def cli(preset_name: str, methods: str, out: Path, rerun: bool, limit: int | None, readme: Path, verbose: int) -> None:
    """Regenerate a KYB-Synth benchmark, score each method on it and update the README's table."""
    logging.basicConfig(
        level=logging.INFO if verbose == 0 else logging.DEBUG, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    chosen = [m.strip() for m in methods.split(",") if m.strip()]
    unknown = sorted(set(chosen) - set(METHODS))
    if unknown:
        raise click.UsageError(f"unknown method(s) {unknown}; choose from {', '.join(METHODS)}")
    preset = PRESETS[preset_name]
    try:
        results = main(preset, chosen, out, rerun=rerun, limit=limit)
    except KybError as exc:
        raise click.ClickException(str(exc)) from exc
    for m in results:
        click.echo(
            f"{preset.name} {m['config']['method']}: album top-1 {_cell(m['retrieval']['album']['top1'])}, "
            f"logo top-1 {_cell(m['retrieval']['logo']['top1'])}, e2e P/R {_cell(m['end_to_end']['precision'])}/"
            f"{_cell(m['end_to_end']['recall'])}, p50 {_cell(m['latency_ms']['p50'], 0)} ms "
            f"→ {out / preset.name / ('eval-' + m['config']['method'])}/report.html"
        )
    if preset.readme and limit is None:
        update_readme(readme, results_table(out))
        click.echo(f"updated the results table in {readme}")


if __name__ == "__main__":
    cli()
