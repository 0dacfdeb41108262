"""`kyb collect folder`: a user's own images, by folder layout or by catalog.csv."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from PIL import Image, ImageDraw

from knowyourband.catalog.source import load_source
from knowyourband.cli import main


def _image(path: Path, colour: tuple[int, int, int], fmt: str = "JPEG") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (200, 200), colour)
    box = (20 + colour[0] % 90, 30, 120, 60 + colour[1] % 120)
    ImageDraw.Draw(image).rectangle(box, fill=(255 - colour[0], 40, 200))
    image.save(path, fmt)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["collect", "folder", *args])
    return result.exit_code, result.output


def test_layout_folder(tmp_path: Path) -> None:
    src = tmp_path / "mine"
    _image(src / "Necrotic Throne" / "logo.png", (10, 10, 10), "PNG")
    _image(src / "Necrotic Throne" / "1994 - Under the Frozen Moon.jpg", (200, 30, 30))
    _image(src / "Necrotic Throne" / "Ashes.webp", (30, 200, 90), "WEBP")
    (src / "Necrotic Throne" / "notes.txt").write_text("not an image")
    (src / "Necrotic Throne" / "broken.jpg").write_bytes(b"not a jpeg")
    code, output = _run(str(src), "--out", str(tmp_path / "out"))
    assert code == 0, output
    data = json.loads((tmp_path / "out" / "catalog.json").read_text())
    assert [b["name"] for b in data["bands"]] == ["Necrotic Throne"]
    titles = {(r["title"], r.get("year")) for r in data["releases"]}
    assert ("Under the Frozen Moon", 1994) in titles and any(t == "Ashes" for t, _ in titles)
    assert len(titles) == 2  # broken.jpg brings no release
    assert sorted(r["kind"] for r in data["references"]) == ["album", "album", "logo"]
    assert all(r["image"].endswith((".jpg", ".png")) for r in data["references"])  # WebP re-encoded for OpenCV
    assert len(data["missing"]) == 1  # broken.jpg
    assert len(load_source(tmp_path / "out").references) == 3


def test_csv_folder_keeps_its_ids_and_drops_duplicates(tmp_path: Path) -> None:
    src = tmp_path / "csv"
    _image(src / "a.jpg", (200, 30, 30))
    _image(src / "a_copy.jpg", (200, 30, 30))
    _image(src / "b.png", (0, 0, 0), "PNG")
    (src / "catalog.csv").write_text(
        "image,kind,band,release,year,country\n"
        "a.jpg,album,Frostmoon,First Light,2001,Norway\n"
        "a_copy.jpg,album,Frostmoon,First Light,2001,Norway\n"
        "b.png,logo,Frostmoon,,,Norway\n")
    code, output = _run(str(src), "--out", str(tmp_path / "out"))
    assert code == 0, output
    source = load_source(tmp_path / "out")
    assert len(source.references) == 2 and all(r["id"].startswith("csv-ref-") for r in source.references)
    assert source.bands[0]["country"] == "Norway"


def test_empty_folder_says_how_to_lay_it_out(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, output = _run(str(tmp_path / "empty"), "--out", str(tmp_path / "out"))
    assert code == 1 and "<Band>/logo.png" in output
