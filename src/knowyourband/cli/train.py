"""`kyb train detector|embedder`: train the learned models on KYB-Synth photos (torch extra)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import click

from knowyourband.cli.errors import friendly_errors
from knowyourband.errors import KybError


@click.group()
def train() -> None:
    """Train the learned album/logo detector or the logo embedder."""


def _need_torch() -> None:
    if importlib.util.find_spec("torch") is None or importlib.util.find_spec("onnx") is None:
        raise KybError("training needs torch and onnx: pip install 'knowyourband[train]'")


@train.command("detector")
@click.option("--bench", "benches", required=True, multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A benchmark folder (photos + annotations.json) to train on; repeat to pool several.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The ONNX model to write (also OUT.json: config and per-epoch history; OUT.pt: weights).")
@click.option("--epochs", type=click.IntRange(min=1), default=30, show_default=True, help="Passes over the training photos.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same data, seed and threads: same model.")
@click.option("--size", type=click.IntRange(min=64), default=320, show_default=True,
              help="Square input side in pixels (a multiple of 32).")
@click.option("--batch", type=click.IntRange(min=1), default=16, show_default=True, help="Photos per step.")
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=2e-3, show_default=True,
              help="Peak AdamW learning rate.")
@click.option("--val-fraction", type=click.FloatRange(0, 0.5), default=0.1, show_default=True,
              help="Share of photos held out to pick the best epoch by validation mAP@0.5.")
@click.option("--no-augment", is_flag=True, help="Train on the letterboxed photos only (no zoom/shift/colour jitter).")
@click.option("--threads", type=click.IntRange(min=1), default=2, show_default=True, help="torch CPU threads.")
@click.option("--max-minutes", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Stop after the epoch that crosses this wall-clock budget.")
@click.option("--stop-after", type=click.IntRange(min=1), default=None,
              help="Run only the first N epochs of the --epochs schedule (reproduces a budget-cut run).")
@click.option("--init", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Start from these weights (a previous run's OUT.pt) instead of random ones: fine-tuning.")
@friendly_errors
def detector(benches: tuple[Path, ...], out: Path, epochs: int, seed: int, size: int, batch: int, lr: float,
             val_fraction: float, no_augment: bool, threads: int, max_minutes: float | None,
             stop_after: int | None, init: Path | None) -> None:
    """Train on KYB-Synth benchmark folders and write the best epoch as an ONNX model."""
    _need_torch()
    if size % 32:
        raise KybError(f"--size {size} is not a multiple of 32 (the network downsamples 5 times)")
    from knowyourband.detect.train.fit import TrainConfig, train_detector

    config = TrainConfig(size=size, epochs=epochs, batch=batch, lr=lr, augment=not no_augment,
                         val_fraction=val_fraction, seed=seed, threads=threads, max_minutes=max_minutes,
                         stop_after=stop_after, init=str(init) if init else None)
    history = train_detector(list(benches), out, config, on_epoch=lambda row: click.echo(json.dumps(row)))
    best = history["epochs"][history["best_epoch"] - 1]
    click.echo(f"wrote {out} (best epoch {history['best_epoch']} of {len(history['epochs'])}, "
               f"{history['train_minutes']} min)")
    click.echo(json.dumps({k: v for k, v in best.items() if k.startswith("val_")}))


@train.command("embedder")
@click.option("--bench", "benches", required=True, multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A benchmark folder whose annotations name its catalogue (`kyb synth photos`); repeat to pool.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The ONNX model to write (also OUT.json: config, loss curve, validation; OUT.pt: weights).")
@click.option("--steps", type=click.IntRange(min=1), default=1500, show_default=True, help="Training steps.")
@click.option("--batch", type=click.IntRange(min=2), default=128, show_default=True,
              help="Distinct references per step.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same data, seed and threads: same model.")
@click.option("--threads", type=click.IntRange(min=1), default=2, show_default=True, help="torch CPU threads.")
@click.option("--lookalikes", type=click.IntRange(min=0), default=0, show_default=True,
              help="With each drawn reference, this many of its nearest references of other bands (0: random batches).")
@click.option("--refresh", type=click.IntRange(min=1), default=250, show_default=True,
              help="Steps between finding each reference's nearest ones again with the current weights (--lookalikes).")
@click.option("--init", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Weights to fine-tune (OUT.pt of an earlier run).")
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=2e-3, show_default=True,
              help="Peak learning rate (one cycle).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Processes cutting the glyphs out of the photos.")
@click.option("--device", default="cpu", show_default=True,
              help="torch device to train on, e.g. cuda; the model written is the same CPU ONNX graph.")
@friendly_errors
def embedder(benches: tuple[Path, ...], out: Path, steps: int, batch: int, seed: int, threads: int, lookalikes: int,
             refresh: int, init: Path | None, lr: float, workers: int, device: str) -> None:
    """Train the logo embedder on the logos KYB-Synth photos show and write it as an ONNX model."""
    _need_torch()
    from knowyourband.embed.train.fit import EmbedTrainConfig, train_embedder

    config = EmbedTrainConfig(steps=steps, batch=batch, seed=seed, threads=threads, lookalikes=lookalikes,
                              refresh=refresh, init=str(init) if init else None, lr=lr, workers=workers, device=device)
    history = train_embedder(list(benches), out, config, on_log=lambda row: click.echo(json.dumps(row)))
    click.echo(f"wrote {out} ({history['references']} references, {history['views']} views, "
               f"{history['final']['minutes']} min)")
    click.echo(json.dumps(history["final"]))
