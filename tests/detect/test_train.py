"""One tiny training run end to end: data, augmentation, a step, export, ONNX inference, scoring."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

torch = pytest.importorskip("torch", reason="the train extra (torch) is not installed")
pytest.importorskip("onnx", reason="the train extra (onnx) is not installed")

from knowyourband.cli import main  # noqa: E402
from knowyourband.detect import Detector  # noqa: E402
from knowyourband.detect.evaluation import evaluate_detector  # noqa: E402
from knowyourband.detect.train import dataset  # noqa: E402
from knowyourband.detect.train.fit import _batch  # noqa: E402
from knowyourband.detect.train.loss import detection_loss  # noqa: E402
from knowyourband.detect.train.model import DetectorNet  # noqa: E402


def test_augmented_views_keep_boxes_on_the_canvas(tiny_bench: Path) -> None:
    samples = dataset.load_samples(tiny_bench, 128)
    rng = np.random.default_rng(0)
    for sample in samples:
        canvas, boxes, classes = dataset.augmented(sample, 128, rng)
        assert canvas.shape == (128, 128, 3) and canvas.dtype == np.uint8
        assert len(boxes) == len(classes) and ((boxes >= 0) & (boxes <= 128)).all()
        assert (boxes[:, 2] > boxes[:, 0]).all() and (boxes[:, 3] > boxes[:, 1]).all()


def test_one_training_step_lowers_the_loss_on_its_batch(tiny_bench: Path) -> None:
    torch.manual_seed(0)
    samples = dataset.load_samples(tiny_bench, 128)
    images, targets = _batch([dataset.plain(s, 128) for s in samples[:4]], 128, 8)
    net = DetectorNet()
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3)
    losses = []
    for _ in range(3):
        heat, ltrb = net(images)
        loss = detection_loss(heat, ltrb, targets, 8)["loss"]
        assert torch.isfinite(loss)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]


def test_kyb_train_detector_writes_a_model_that_inference_opens(tiny_bench: Path, tmp_path: Path) -> None:
    out = tmp_path / "tiny.onnx"
    args = ["train", "detector", "--bench", str(tiny_bench), "--out", str(out),
            "--epochs", "1", "--size", "128", "--batch", "4", "--seed", "5"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    history = json.loads(out.with_suffix(".json").read_text())
    assert history["best_epoch"] == 1 and "val_map50" in history["epochs"][0]
    detector = Detector.open(out)
    assert detector.size == 128 and detector.kinds == ("album", "logo")
    metrics = evaluate_detector(detector, tiny_bench)
    assert set(metrics) >= {"ap_album", "ap_logo", "map50", "recall", "precision"}
    assert metrics["photos"] == 6


def test_kyb_train_refuses_a_size_the_network_cannot_take(tiny_bench: Path, tmp_path: Path) -> None:
    args = ["train", "detector", "--bench", str(tiny_bench), "--out", str(tmp_path / "m.onnx"), "--size", "100"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "multiple of 32" in result.output


def test_the_same_seed_trains_the_same_weights(tiny_bench: Path, tmp_path: Path) -> None:
    from knowyourband.detect.train.fit import TrainConfig, train_detector

    weights = []
    for run in ("a", "b"):
        out = tmp_path / run / "m.onnx"
        train_detector([tiny_bench], out, TrainConfig(size=64, epochs=1, batch=4, seed=9, threads=1))
        weights.append(torch.load(out.with_suffix(".pt"), weights_only=True))
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])


def test_init_starts_from_a_previous_runs_weights(tiny_bench: Path, tmp_path: Path) -> None:
    from knowyourband.detect.train.fit import TrainConfig, train_detector

    first = tmp_path / "first" / "m.onnx"
    train_detector([tiny_bench], first, TrainConfig(size=64, epochs=1, batch=4, seed=9, threads=1))
    tuned = tmp_path / "tuned" / "m.onnx"
    history = train_detector([tiny_bench], tuned, TrainConfig(size=64, epochs=1, batch=4, seed=9, threads=1,
                                                              init=str(first.with_suffix(".pt"))))
    fresh = json.loads(first.with_suffix(".json").read_text())
    # Same data, seed and schedule: only the starting weights differ, so the first epoch's loss does.
    assert history["epochs"][0]["loss"] != fresh["epochs"][0]["loss"]
    assert history["config"]["init"] == str(first.with_suffix(".pt"))


def test_init_refuses_weights_of_another_network(tiny_bench: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.pt"
    torch.save({"conv.weight": torch.zeros(1)}, other)
    args = ["train", "detector", "--bench", str(tiny_bench), "--out", str(tmp_path / "m.onnx"),
            "--size", "64", "--epochs", "1", "--init", str(other)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "another network shape" in result.output
