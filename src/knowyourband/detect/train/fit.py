"""The training loop: seeded, logs loss and validation mAP per epoch, keeps the best epoch."""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from knowyourband.detect.boxes import decode
from knowyourband.detect.detector import DEFAULT_MIN_SCORE, EVAL_MIN_SCORE
from knowyourband.detect.evaluation import score_detections
from knowyourband.detect.train import dataset
from knowyourband.detect.train.export import export_onnx
from knowyourband.detect.train.loss import detection_loss
from knowyourband.detect.train.model import KINDS, DetectorNet, NetConfig
from knowyourband.detect.train.targets import encode
from knowyourband.errors import KybError

log = logging.getLogger(__name__)


@dataclass
class TrainConfig:
    size: int = 320  # square input side: training cost grows with its square (docs/detector.md)
    epochs: int = 30
    batch: int = 16
    lr: float = 2e-3  # AdamW peak learning rate, after a linear warm-up
    weight_decay: float = 1e-4
    warmup_steps: int = 100
    augment: bool = True  # zoom/shift/colour jitter (dataset.augmented); False: inference view only
    val_fraction: float = 0.1
    seed: int = 0
    threads: int = 2  # torch CPU threads
    max_minutes: float | None = None  # stop after the epoch that crosses this wall-clock budget
    stop_after: int | None = None  # run only the first N epochs of the `epochs`-long schedule
    init: str | None = None  # start from these weights (a previous run's OUT.pt) instead of random ones
    net: NetConfig = field(default_factory=NetConfig)


def _batch(items: list[tuple[np.ndarray, np.ndarray, np.ndarray]], size: int, stride: int) -> tuple[torch.Tensor, dict]:
    images = torch.from_numpy(np.stack([im for im, _, _ in items])).permute(0, 3, 1, 2).float() / 255.0
    targets = [encode(b, c, size, stride, len(KINDS)) for _, b, c in items]
    stacked = {k: torch.from_numpy(np.stack([t[k] for t in targets])) for k in targets[0]}
    return images, stacked


def validate(net: DetectorNet, samples: list[dataset.Sample], size: int) -> dict:
    """Detection metrics of `net` on letterboxed samples, decoded exactly as at inference."""
    net.eval()
    predictions, truths = [], []
    with torch.no_grad():
        for start in range(0, len(samples), 16):
            views = [dataset.plain(s, size) for s in samples[start : start + 16]]
            x = torch.from_numpy(np.stack([v[0] for v in views])).permute(0, 3, 1, 2).float() / 255.0
            heat, ltrb = net(x)
            heat, ltrb = torch.sigmoid(heat).numpy(), ltrb.numpy()
            for i, (_, boxes, classes) in enumerate(views):
                predictions.append(decode(heat[i], ltrb[i], net.config.stride, min_score=EVAL_MIN_SCORE))
                truths.append((boxes, classes))
    net.train()
    return score_detections(predictions, truths, DEFAULT_MIN_SCORE)


def _load_init(net: DetectorNet, path: Path) -> None:
    try:
        state = torch.load(path, weights_only=True)
    except (OSError, RuntimeError, EOFError) as exc:
        raise KybError(f"{path}: cannot read starting weights ({exc})") from exc
    try:
        net.load_state_dict(state)
    except RuntimeError as exc:
        raise KybError(f"{path}: weights of another network shape than the one configured here") from exc


def train_detector(
    benches: list[Path | str],
    out: Path | str,
    config: TrainConfig | None = None,
    on_epoch: Callable[[dict], None] | None = None,
) -> dict:
    """Train on benchmark folders (pooled) and write the best epoch's model to `out` (ONNX).

    Also writes `out` with suffix `.json` (the config and per-epoch history) and `.pt` (the best
    weights). `on_epoch` receives each epoch's row (losses, validation metrics, seconds) as it ends.
    Returns the history dict.
    """
    cfg = config or TrainConfig()
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    rng = np.random.default_rng(cfg.seed)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    samples = [s for bench in benches for s in dataset.load_samples(bench, cfg.size)]
    train_set, val_set = dataset.split(samples, cfg.val_fraction, cfg.seed)
    if not train_set:
        raise KybError(f"{', '.join(map(str, benches))}: too few photos to train on ({len(samples)})")
    net = DetectorNet(cfg.net)
    if cfg.init is not None:
        _load_init(net, Path(cfg.init))
    stride = cfg.net.stride
    opt = torch.optim.AdamW(net.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    steps_per_epoch = math.ceil(len(train_set) / cfg.batch)
    total = steps_per_epoch * cfg.epochs
    # Linear warm-up, then cosine decay to 5 % of the peak over the planned epochs.
    schedule = torch.optim.lr_scheduler.LambdaLR(
        opt,
        lambda s: min(1.0, (s + 1) / cfg.warmup_steps) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(s / total, 1.0)))),
    )
    history: dict = {"config": asdict(cfg), "benches": [str(b) for b in benches], "train_photos": len(train_set),
                     "val_photos": len(val_set), "epochs": [], "best_epoch": None}
    best = -1.0
    started = time.perf_counter()
    for epoch in range(1, cfg.epochs + 1):
        t0 = time.perf_counter()
        sums = {"loss": 0.0, "heat": 0.0, "box": 0.0}
        order = rng.permutation(len(train_set))
        for step in range(steps_per_epoch):
            picked = [train_set[i] for i in order[step * cfg.batch : (step + 1) * cfg.batch]]
            views = [dataset.augmented(s, cfg.size, rng) if cfg.augment else dataset.plain(s, cfg.size) for s in picked]
            images, targets = _batch(views, cfg.size, stride)
            heat, ltrb = net(images)
            losses = detection_loss(heat, ltrb, targets, stride)
            opt.zero_grad(set_to_none=True)
            losses["loss"].backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 10.0)
            opt.step()
            schedule.step()
            for k in sums:
                sums[k] += losses[k].item() / steps_per_epoch
        metrics = validate(net, val_set, cfg.size) if val_set else {"map50": None}
        row = {"epoch": epoch, **{k: round(v, 4) for k, v in sums.items()},
               **{f"val_{k}": (round(v, 4) if v is not None else None) for k, v in metrics.items()},
               "seconds": round(time.perf_counter() - t0, 1)}
        history["epochs"].append(row)
        log.info("epoch %d/%d %s", epoch, cfg.epochs, row)
        if on_epoch is not None:
            on_epoch(row)
        score = metrics["map50"] if metrics["map50"] is not None else -sums["loss"]
        if score > best:
            best = score
            history["best_epoch"] = epoch
            torch.save(net.state_dict(), out.with_suffix(".pt"))
        if cfg.stop_after is not None and epoch >= cfg.stop_after:
            break
        minutes = (time.perf_counter() - started) / 60
        if cfg.max_minutes is not None and minutes >= cfg.max_minutes and epoch < cfg.epochs:
            log.warning("stopping after epoch %d: %.1f min reached the %.1f min budget", epoch, minutes, cfg.max_minutes)
            break
    history["train_minutes"] = round((time.perf_counter() - started) / 60, 2)
    net.load_state_dict(torch.load(out.with_suffix(".pt"), weights_only=True))
    export_onnx(net, out, cfg.size, {"seed": str(cfg.seed), "best_epoch": str(history["best_epoch"])})
    out.with_suffix(".json").write_text(json.dumps(history, indent=1))
    return history
