"""A tiny logo-embedder training run end to end: synthetic photos, steps, export, ONNX inference."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

torch = pytest.importorskip("torch", reason="the train extra (torch) is not installed")
pytest.importorskip("onnx", reason="the train extra (onnx) is not installed")

from knowyourband.cli import main  # noqa: E402
from knowyourband.embed import Embedder  # noqa: E402
from knowyourband.embed.glyph import HEIGHT, WIDTH  # noqa: E402
from knowyourband.embed.train.data import JITTERS, load_glyphs  # noqa: E402
from knowyourband.embed.train.fit import _draw  # noqa: E402


def _poster_bench(root: Path, seed: int) -> Path:
    runner = CliRunner()
    for args in (["synth", "catalog", str(root / "cat"), "--bands", "8", "--albums-per-band", "1", "--seed", str(seed)],
                 ["synth", "photos", str(root / "photos"), "--catalog", str(root / "cat" / "catalog.json"),
                  "--count", "3", "--scenes", "poster", "--seed", str(seed + 1), "--megapixels", "0.4"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    return root / "photos"


@pytest.fixture(scope="module")
def poster_bench(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _poster_bench(tmp_path_factory.mktemp("embed"), seed=3)


def test_every_photographed_logo_becomes_jittered_glyphs_of_its_reference(poster_bench: Path) -> None:
    glyphs = load_glyphs([poster_bench], seed=0)
    annotations = json.loads((poster_bench / "annotations.json").read_text())["annotations"]
    logos = [a for a in annotations if a["kind"] == "logo"]
    assert glyphs.photos.shape == (JITTERS * len(logos), HEIGHT, WIDTH)
    assert glyphs.references.shape[1:] == (HEIGHT, WIDTH) and len(glyphs.bands) == len(glyphs.references)
    assert {glyphs.bands[i].rsplit("#", 1)[1] for i in glyphs.labels} == {a["band_id"] for a in logos}


def test_bands_of_two_catalogues_stay_apart_though_their_ids_repeat(poster_bench: Path, tmp_path: Path) -> None:
    other = _poster_bench(tmp_path, seed=5)  # a second catalogue numbers its bands from b00001 too
    first, second = (set(load_glyphs([bench], seed=0).bands) for bench in (poster_bench, other))
    assert {b.rsplit("#", 1)[1] for b in first} & {b.rsplit("#", 1)[1] for b in second}
    assert set(load_glyphs([poster_bench, other], seed=0).bands) == first | second and not first & second


def test_kyb_train_embedder_writes_a_model_that_inference_opens(poster_bench: Path, tmp_path: Path) -> None:
    out = tmp_path / "emb.onnx"
    args = ["train", "embedder", "--bench", str(poster_bench), "--out", str(out), "--steps", "3", "--batch", "4",
            "--threads", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    history = json.loads(out.with_suffix(".json").read_text())
    assert history["final"]["step"] == 3 and "val_top1" in history["final"]
    embedder = Embedder.open(out)
    vectors = embedder.embed(np.zeros((2, HEIGHT, WIDTH), np.uint8))
    assert vectors.shape == (2, 128) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_lookalike_batches_bring_each_references_nearest_ones_of_other_bands() -> None:
    refs = np.arange(100, 112)  # positions in the glyphs; references 2k and 2k + 1 share a band
    bands = np.array([f"b{i // 2}" for i in range(12)])
    nearest = np.array([[(i + 2) % 12, (i + 4) % 12] for i in range(12)])  # positions in refs
    rng = np.random.default_rng(0)
    drawn = _draw(rng, refs, bands, 6, 2, nearest)
    assert len(drawn) == 6 and len({bands[r - 100] for r in drawn}) == 6  # one reference a band
    first = int(drawn[0]) - 100
    assert {int(r) - 100 for r in drawn[1:3]} == {(first + 2) % 12, (first + 4) % 12}
    random = _draw(rng, refs, bands, 6, 0, None)
    assert len(random) == 6 and set(random) <= set(refs)


def test_kyb_train_embedder_fine_tunes_with_lookalike_batches(poster_bench: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.onnx", tmp_path / "b.onnx"
    common = ["train", "embedder", "--bench", str(poster_bench), "--steps", "2", "--batch", "4", "--threads", "1"]
    assert CliRunner().invoke(main, [*common, "--out", str(first)]).exit_code == 0
    result = CliRunner().invoke(main, [*common, "--out", str(second), "--init", str(first.with_suffix(".pt")),
                                       "--lookalikes", "1", "--refresh", "1", "--lr", "1e-4"])
    assert result.exit_code == 0, result.output
    config = json.loads(second.with_suffix(".json").read_text())["config"]
    assert config["lookalikes"] == 1 and config["refresh"] == 1 and config["init"] == str(first.with_suffix(".pt"))
    assert Embedder.open(second).model_id != Embedder.open(first).model_id
    result = CliRunner().invoke(main, [*common, "--out", str(second), "--init", str(first)])  # the ONNX file
    assert result.exit_code == 1 and "not the weights of a logo embedder run" in result.output


def test_a_bench_without_its_catalogue_is_refused(tmp_path: Path) -> None:
    bench = tmp_path / "bench"
    bench.mkdir()
    (bench / "annotations.json").write_text(json.dumps({"images": [], "annotations": [], "catalog": None}))
    result = CliRunner().invoke(main, ["train", "embedder", "--bench", str(bench), "--out", str(tmp_path / "m.onnx")])
    assert result.exit_code == 1 and "names no catalogue" in result.output


def test_glyphs_cut_by_two_worker_processes_are_those_cut_by_one(poster_bench: Path) -> None:
    one, two = load_glyphs([poster_bench], seed=0), load_glyphs([poster_bench], seed=0, workers=2)
    assert np.array_equal(one.photos, two.photos) and np.array_equal(one.labels, two.labels)
    assert np.array_equal(one.references, two.references) and one.bands == two.bands


@pytest.mark.parametrize("device, message", [("gpu0", "is not a torch device"), ("cuda", "sees no CUDA GPU")])
def test_a_device_torch_cannot_train_on_is_refused(poster_bench: Path, tmp_path: Path, device: str,
                                                   message: str) -> None:
    if device == "cuda" and torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    result = CliRunner().invoke(main, ["train", "embedder", "--bench", str(poster_bench), "--out",
                                       str(tmp_path / "m.onnx"), "--device", device, "--workers", "1"])
    assert result.exit_code == 1 and message in result.output
