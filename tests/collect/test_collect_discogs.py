"""`kyb collect discogs` end to end against the recorded API answers served on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from collect_replay import ReplayServer

from knowyourband.catalog.source import load_source
from knowyourband.cli import main


def _run(server: ReplayServer, out: Path, *args: str, env: dict | None = None) -> tuple[int, str, dict]:
    result = CliRunner().invoke(main, ["collect", *args, "--base-url", server.url, "--delay", "0", "--out", str(out)],
                                env=env or {"DISCOGS_TOKEN": ""})
    catalog = json.loads((out / "catalog.json").read_text()) if (out / "catalog.json").is_file() else {}
    return result.exit_code, result.output, catalog


def test_release_with_its_cover(replay: ReplayServer, tmp_path: Path) -> None:
    code, output, catalog = _run(replay, tmp_path / "Y", "discogs", "--release", "71989", "--token", "T")
    assert code == 0, output
    [release] = catalog["releases"]
    assert (release["id"], release["title"], release["year"]) == ("discogs-release-71989", "Barcelona #023", 2002)
    assert release["band_id"] == "discogs-artist-21209" and release["label"] == "Global Underground"
    assert release["sources"][0]["url"].startswith("https://www.discogs.com/release/71989")
    [cover] = catalog["references"]
    assert cover["kind"] == "album" and cover["release_id"] == "discogs-release-71989"
    assert cover["source_url"].startswith("https://i.discogs.com/") and (tmp_path / "Y" / cover["image"]).is_file()
    assert load_source(tmp_path / "Y").references


def test_token_from_environment_and_artist_pages(replay: ReplayServer, tmp_path: Path) -> None:
    code, output, catalog = _run(replay, tmp_path / "Y", "discogs", "--artist-id", "6418741",
                                 env={"DISCOGS_TOKEN": "T"})
    assert code == 0, output
    assert [r["id"] for r in catalog["releases"]] == ["discogs-master-1521183"]  # only the "Main" role
    assert [b["name"] for b in catalog["bands"]] == ["DJ Healer"]
    assert len(catalog["references"]) == 1


def test_unauthenticated_answers_say_a_token_is_needed(replay: ReplayServer, sources: Path, tmp_path: Path) -> None:
    body = (sources / "discogs" / "discogs_master_718441_unauthenticated.json").read_bytes()
    replay.overrides["/masters/718441"] = (200, body, "application/json")
    code, output, catalog = _run(replay, tmp_path / "Z", "discogs", "--master", "718441")
    assert code == 1
    assert "no Discogs token" in output and "empty image URLs" in output and "--token" in output
    assert catalog["releases"] and not catalog["references"]  # the facts are kept for the rerun


def test_same_album_on_both_sites_is_linked_and_duplicate_cover_dropped(
        replay: ReplayServer, sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "both"
    assert _run(replay, out, "metal-archives", "--band-id", "141")[0] == 0
    # A Discogs answer for Death's album, derived from a recorded one (no Death release was recorded).
    release = json.loads((sources / "discogs" / "discogs_release_71989.json").read_text())
    release.update({"id": 900001, "title": "The Sound Of Perseverance", "year": 1998})
    release["artists"][0].update({"name": "Death (2)", "id": 900002})
    replay.overrides["/releases/900001"] = (200, json.dumps(release).encode(), "application/json")
    primary = next(img for img in release["images"] if img["type"] == "primary")["uri"]
    replay.image_aliases[primary.split("discogs.com", 1)[1]] = "/images/6/1/8/618.jpg"  # same picture
    code, output, catalog = _run(replay, out, "discogs", "--release", "900001", "--token", "T")
    assert code == 0, output
    assert not any(r["id"].startswith("discogs-") for r in catalog["releases"])
    linked = next(r for r in catalog["releases"] if r["id"] == "ma-release-618")
    assert {s["name"] for s in linked["sources"]} == {"metal-archives", "discogs"}
    assert linked["title"] == "The Sound of Perseverance"  # MA's facts stay
    band = next(b for b in catalog["bands"] if b["id"] == "ma-band-141")
    assert {s["name"] for s in band["sources"]} == {"metal-archives", "discogs"}
    covers = [r["id"] for r in catalog["references"] if r.get("release_id") == "ma-release-618"]
    assert covers == ["ma-cover-618"]  # the Discogs copy had the same pHash
    # Another Discogs artist of the same name ("Death (3)") is a different band to Discogs: not merged.
    other = dict(release, id=900003, title="Barcelona #023")
    other["artists"] = [dict(release["artists"][0], name="Death (3)", id=900004)]
    replay.overrides["/releases/900003"] = (200, json.dumps(other).encode(), "application/json")
    code, output, catalog = _run(replay, out, "discogs", "--release", "900003", "--token", "T")
    assert code == 0, output
    added = next(r for r in catalog["releases"] if r["id"] == "discogs-release-900003")
    assert added["band_id"] == "discogs-artist-900004"
    assert {b["name"] for b in catalog["bands"]} == {"Death"}  # two bands, both named Death
    assert len(catalog["bands"]) == 2
