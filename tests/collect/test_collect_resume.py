"""Interrupt and resume: kill -9 a collector mid-run, rerun it, and nothing answered is asked again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from collect_replay import ReplayServer

from knowyourband.catalog.source import load_source
from knowyourband.collect.http import FetchConfig
from knowyourband.collect.metal_archives import MaSelection, collect


def _command(server: ReplayServer, out: Path, band_id: str) -> list[str]:
    return [sys.executable, "-m", "knowyourband", "collect", "metal-archives", "--band-id", band_id,
            "--base-url", server.url, "--delay", "0", "--out", str(out)]


def test_kill_minus_9_then_resume(replay: ReplayServer, tmp_path: Path) -> None:
    out = tmp_path / "X"
    collect(MaSelection(band_ids=[122302]), out, FetchConfig(delay=0, base_url=replay.url))  # an earlier run
    before = (out / "catalog.json").read_bytes()

    hanging = "/albums/view/id/618"  # the 37th of Death's 58 album pages
    replay.hang_paths.add(hanging)
    process = subprocess.Popen(_command(replay, out, "141"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while hanging not in replay.log and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hanging in replay.log, "the collector never reached the hanging page"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    answered = Counter(replay.log[: replay.log.index(hanging)])
    assert answered["/band/view/id/141"] == 1 and sum(answered.values()) > 30

    assert (out / "catalog.json").read_bytes() == before  # the old catalogue, whole
    load_source(out / "catalog.json")
    assert not list(out.rglob("*.tmp"))  # no half-written file is left where a reader looks

    replay.hang.set()
    replay.hang_paths.clear()
    start = len(replay.log)
    subprocess.run(_command(replay, out, "141"), check=True, capture_output=True, timeout=60)
    again = Counter(replay.log[start:])
    repeated = {path for path in again if path in answered}
    assert not repeated, f"asked again after resuming: {sorted(repeated)}"
    assert again[hanging] == 1

    source = load_source(out / "catalog.json")
    assert {b["id"] for b in source.bands} == {"ma-band-122302", "ma-band-141"}
    assert len(source.releases) == 5 + 58
    assert {"ma-logo-141", "ma-cover-618"} <= {r["id"] for r in source.references}


def _ctrl_c_as_in_a_terminal() -> None:
    # A non-interactive shell starts background jobs with SIGINT ignored and a child inherits that:
    # under a test run started that way the collector would ignore Ctrl-C. Give it a terminal's default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_saves_a_partial_catalogue_then_resumes(replay: ReplayServer, tmp_path: Path) -> None:
    out = tmp_path / "X"
    hanging = "/albums/view/id/618"
    replay.hang_paths.add(hanging)
    process = subprocess.Popen(_command(replay, out, "141"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               preexec_fn=_ctrl_c_as_in_a_terminal)
    deadline = time.monotonic() + 60
    while hanging not in replay.log and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 1 and b"run the same command again to resume" in output
    partial = load_source(out / "catalog.json")  # valid, holding the band and its first releases
    assert partial.info["generator"]["partial"] is True and len(partial.releases) >= 30

    replay.hang.set()
    replay.hang_paths.clear()
    subprocess.run(_command(replay, out, "141"), check=True, capture_output=True, timeout=60)
    done = load_source(out / "catalog.json")
    assert done.info["generator"]["partial"] is False and len(done.releases) == 58
