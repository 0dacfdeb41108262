"""Training the logo embedder: contrastive, seeded, validated on bands it never trains on."""

from __future__ import annotations

import io
import json
import logging
import pickle
import time
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from torch.nn import functional as F

from knowyourband.embed.embedder import FORMAT
from knowyourband.embed.glyph import HEIGHT, WIDTH
from knowyourband.embed.train.data import Glyphs, load_glyphs
from knowyourband.embed.train.model import DIM, EmbedNet
from knowyourband.errors import KybError
from knowyourband.onnxmodel import OPSET, save_model

log = logging.getLogger(__name__)


@dataclass
class EmbedTrainConfig:
    steps: int = 1500
    batch: int = 128  # distinct references per step: each photographed view is told apart from 127 others
    lr: float = 2e-3  # one-cycle peak
    weight_decay: float = 1e-4
    temperature: float = 0.05
    val_fraction: float = 0.1  # of the bands, held out whole: the model must embed logos it never saw
    seed: int = 0
    threads: int = 2
    lookalikes: int = 0  # drawn with each reference: this many of its nearest references of other bands
    refresh: int = 250  # steps between finding each reference's nearest ones again with the current weights
    init: str | None = None  # weights (OUT.pt of an earlier run) to fine-tune instead of starting afresh
    workers: int = 1  # processes cutting the glyphs out of the photos (the glyphs are the same for any number)
    device: str = "cpu"  # a torch device: "cuda" trains the same network on a GPU; the export is always CPU ONNX


class _OnDevice:
    """The glyphs as uint8 tensors on the training device, uploaded once: a step then only
    indexes them, instead of copying numpy arrays across at every batch."""

    def __init__(self, glyphs: Glyphs, device: torch.device) -> None:
        self.device = device
        self.references = torch.from_numpy(glyphs.references).to(device)
        self.photos = torch.from_numpy(glyphs.photos).to(device)

    def batch(self, which: torch.Tensor, positions: np.ndarray, invert: np.ndarray | None = None) -> torch.Tensor:
        x = which[torch.from_numpy(np.asarray(positions)).to(self.device)].float()[:, None]
        if invert is not None:
            flip = torch.from_numpy(invert).to(self.device)[:, None, None, None]
            x = torch.where(flip, 255.0 - x, x)  # white-on-black prints of black-on-white references
        return x


def _device(name: str) -> torch.device:
    try:
        device = torch.device(name)
    except RuntimeError as exc:
        raise KybError(f"{name!r} is not a torch device ({exc})") from exc
    if device.type == "cuda" and not torch.cuda.is_available():
        raise KybError(f"{name!r}: this torch build sees no CUDA GPU; train with the device 'cpu'")
    return device


def _split(glyphs: Glyphs, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Reference positions for training and for validation, split by band."""
    bands = sorted(set(glyphs.bands))
    held = set(np.random.default_rng(seed).permutation(bands)[: round(len(bands) * fraction)])
    is_val = np.array([b in held for b in glyphs.bands])
    return np.nonzero(~is_val)[0], np.nonzero(is_val)[0]


@torch.no_grad()
def _nearest_of_other_bands(net: EmbedNet, data: _OnDevice, refs: np.ndarray, bands: np.ndarray,
                            count: int) -> np.ndarray:
    """(len(refs), count) positions in `refs` of each reference's nearest references of other bands
    (`bands`: the band of each of `refs`)."""
    net.eval()
    vectors = torch.cat([net(data.batch(data.references, refs[i:i + 256])) for i in range(0, len(refs), 256)])
    net.train()
    band = torch.from_numpy(np.unique(bands, return_inverse=True)[1]).to(data.device)
    sims = (vectors @ vectors.T).masked_fill_(band[:, None] == band[None, :], -torch.inf)
    return sims.topk(min(count, len(refs)), dim=1).indices.cpu().numpy()


def _draw(rng: np.random.Generator, refs: np.ndarray, bands: np.ndarray, batch: int, lookalikes: int,
          nearest: np.ndarray | None) -> np.ndarray:
    """`batch` random references; given their `nearest` (positions in `refs`), each random one is
    followed by `lookalikes` of its nearest, and no band comes twice."""
    if nearest is None:
        return rng.choice(refs, batch, replace=False)
    chosen: list[int] = []
    seen: set[str] = set()
    for seed in rng.permutation(len(refs)):
        for i in [seed, *rng.choice(nearest[seed], min(lookalikes, nearest.shape[1]), replace=False)]:
            if len(chosen) < batch and bands[i] not in seen:
                chosen.append(int(i))
                seen.add(bands[i])
        if len(chosen) == batch:
            break
    return refs[np.array(chosen)]


@torch.no_grad()
def validate(net: EmbedNet, glyphs: Glyphs, data: _OnDevice, val_refs: np.ndarray) -> dict:
    """Top-1 band accuracy of held-out bands' photographed views against every reference."""
    net.eval()
    if not len(val_refs):
        return {"val_top1": None, "val_views": 0}
    everyone = np.arange(len(glyphs.references))
    refs = torch.cat([net(data.batch(data.references, everyone[i:i + 256])) for i in range(0, len(everyone), 256)])
    views = np.nonzero(np.isin(glyphs.labels, val_refs))[0]
    right = 0
    for start in range(0, len(views), 256):
        batch = views[start:start + 256]
        best = (net(data.batch(data.photos, batch)) @ refs.T).argmax(1).cpu().numpy()
        right += sum(glyphs.bands[b] == glyphs.bands[t] for b, t in zip(best, glyphs.labels[batch]))
    net.train()
    return {"val_top1": round(right / len(views), 4), "val_views": int(len(views))}


def export_onnx(net: EmbedNet, path: Path, extra_meta: dict[str, str]) -> Path:
    """The graph shipped: `glyph` (N, 1, HEIGHT, WIDTH) float gray levels -> `embedding` (N, DIM)."""
    net.eval()
    buffer = io.BytesIO()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(net, torch.zeros(1, 1, HEIGHT, WIDTH), buffer, dynamo=False, opset_version=OPSET,
                          input_names=["glyph"], output_names=["embedding"],
                          dynamic_axes={"glyph": {0: "n"}, "embedding": {0: "n"}})
    meta = {"kyb_format": FORMAT, "height": str(HEIGHT), "width": str(WIDTH), "dim": str(DIM), **extra_meta}
    return save_model(buffer.getvalue(), path, meta)


def train_embedder(benches: list[Path | str], out: Path | str, config: EmbedTrainConfig | None = None,
                   on_log: Callable[[dict], None] | None = None) -> dict:
    """Train on benchmark folders' photographed logos and write the model to `out` (ONNX), with
    `out`.json (configuration, loss curve, validation) and `out`.pt (weights). Returns that history;
    `on_log` receives each row of its loss curve as it is written.

    Each step draws `batch` distinct training references and one photographed view of each (half of
    them inverted), and pulls every view towards its own reference and away from the others
    (symmetric InfoNCE). With `lookalikes`, each drawn reference brings that many of its nearest
    references of other bands: random references are mostly easy to tell apart, while a logo the
    catalogue lacks is named wrongly only when it looks like one it holds."""
    cfg = config or EmbedTrainConfig()
    out = Path(out)
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    rng = np.random.default_rng(cfg.seed)
    device = _device(cfg.device)  # before minutes of cutting glyphs
    glyphs = load_glyphs(benches, cfg.seed, cfg.workers)
    train_refs, val_refs = _split(glyphs, cfg.val_fraction, cfg.seed)
    views_of = {int(r): np.nonzero(glyphs.labels == r)[0] for r in train_refs}
    drawable = np.array([r for r, v in views_of.items() if len(v)])
    if len(drawable) < 2:
        raise KybError(f"{', '.join(map(str, benches))}: too few photographed logos to train on")
    batch = min(cfg.batch, len(drawable))
    bands = np.array(glyphs.bands)[drawable]
    data = _OnDevice(glyphs, device)
    net = EmbedNet()
    if cfg.init:
        try:
            net.load_state_dict(torch.load(cfg.init, map_location="cpu"))
        except (RuntimeError, OSError, pickle.UnpicklingError) as exc:
            raise KybError(f"{cfg.init}: not the weights of a logo embedder run ({exc})") from exc
    net.to(device)
    opt = torch.optim.AdamW(net.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    # Trained weights need no long warm-up.
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, cfg.lr, total_steps=cfg.steps,
                                                   pct_start=0.1 if cfg.init else 0.3)
    history: dict = {"config": asdict(cfg), "benches": [str(b) for b in benches],
                     "references": len(glyphs.references), "views": len(glyphs.photos),
                     "val_bands": len({glyphs.bands[i] for i in val_refs}), "log": []}
    started, running, nearest = time.perf_counter(), [], None
    for step in range(1, cfg.steps + 1):
        if cfg.lookalikes and (step - 1) % cfg.refresh == 0:
            nearest = _nearest_of_other_bands(net, data, drawable, bands, max(10, cfg.lookalikes))
        refs = _draw(rng, drawable, bands, batch, cfg.lookalikes, nearest)
        views = np.array([rng.choice(views_of[int(r)]) for r in refs])
        photos = net(data.batch(data.photos, views, rng.random(len(refs)) < 0.5))
        references = net(data.batch(data.references, refs))
        logits = photos @ references.T / cfg.temperature
        target = torch.arange(len(refs), device=device)
        loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        schedule.step()
        running.append(loss.detach())  # read back only when logged: a read per step would stall a GPU
        if step % 250 == 0 or step == cfg.steps:
            row = {"step": step, "loss": round(float(torch.stack(running).mean()), 4),
                   "minutes": round((time.perf_counter() - started) / 60, 2)}
            if step == cfg.steps:
                row.update(validate(net, glyphs, data, val_refs))
            running = []
            history["log"].append(row)
            log.info("step %d/%d %s", step, cfg.steps, row)
            if on_log is not None:
                on_log(row)
    net.cpu()
    torch.save(net.state_dict(), out.with_suffix(".pt"))
    export_onnx(net, out, {"seed": str(cfg.seed), "steps": str(cfg.steps)})
    history["final"] = history["log"][-1]
    out.with_suffix(".json").write_text(json.dumps(history, indent=1))
    return history
