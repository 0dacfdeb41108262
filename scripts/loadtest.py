"""Load benchmark for `kyb serve`: N concurrent clients upload benchmark photos over real HTTP.

    python scripts/loadtest.py --index bench/standard/index --photos bench/standard/photos \
        --clients 4 --requests 1000 [--out loadtest.json]
    python scripts/loadtest.py --url http://127.0.0.1:8000 --pid 1234 --photos DIR   # a server you run

With --index it starts `kyb serve` itself on a free 127.0.0.1 port and stops it at the end. It reports
throughput, latency percentiles, errors by kind, and the server's resident memory (RSS, read from
/proc) sampled through the run. Each upload gets a few random bytes appended after the JPEG's end
(decoders ignore them) so every request misses the server's content-hash cache and measures
recognition; --repeat-bytes sends the files unchanged. Bounded: it stops after --requests uploads or
--max-seconds, whichever comes first.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic"}


def find_photos(folder: Path) -> list[Path]:
    """The photos of a benchmark folder (those annotations.json lists, else every image file)."""
    annotations = folder / "annotations.json"
    if annotations.is_file():
        images = json.loads(annotations.read_text(encoding="utf-8"))["images"]
        return [folder / img["file_name"] for img in images]
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(index: Path, threads: int | None) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "knowyourband", "serve", str(index), "--port", str(port)]
    if threads:
        command += ["--threads", str(threads)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"kyb serve exited with status {proc.returncode}; run it by hand to see why")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("kyb serve did not answer /healthz within 120 s")


class Run:
    """Shared state of one load run: the request counter, the per-request records and RSS samples."""

    def __init__(self, photos: list[bytes], total: int, deadline: float, unique: bool) -> None:
        self.photos = photos
        self.total = total
        self.deadline = deadline
        self.unique = unique
        self.lock = threading.Lock()
        self.next = 0
        self.records: list[dict] = []

    def take(self) -> int | None:
        with self.lock:
            if self.next >= self.total or time.monotonic() > self.deadline:
                return None
            self.next += 1
            return self.next - 1

    def body(self, n: int) -> bytes:
        data = self.photos[n % len(self.photos)]
        return data + os.urandom(16) if self.unique else data


def client(run: Run, url: str, timeout: float) -> None:
    with httpx.Client(base_url=url, timeout=timeout) as http:
        while (n := run.take()) is not None:
            start = time.perf_counter()
            try:
                response = http.post("/api/v1/recognize", files={"image": (f"{n}.jpg", run.body(n), "image/jpeg")})
                error = None if response.status_code == 200 else f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            with run.lock:
                run.records.append({"n": n, "ms": (time.perf_counter() - start) * 1000, "error": error,
                                    "done": time.monotonic()})


def sample_memory(pid: int | None, run: Run, stop: threading.Event, samples: list[dict]) -> None:
    while not stop.wait(1.0):
        if pid is not None and (mb := rss_mb(pid)) is not None:
            samples.append({"t": time.monotonic(), "requests": len(run.records), "rss_mb": round(mb, 1)})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summarise(run: Run, began: float, samples: list[dict], args: argparse.Namespace) -> dict:
    done = run.records
    ok = [r["ms"] for r in done if r["error"] is None]
    errors: dict[str, int] = {}
    for r in done:
        if r["error"]:
            errors[r["error"]] = errors.get(r["error"], 0) + 1
    elapsed = max(r["done"] for r in done) - began if done else 0.0
    memory = {}
    if samples:
        # Flatness: RSS over the second half of the run vs the first half (after warm-up).
        half = len(samples) // 2
        memory = {
            "start_mb": samples[0]["rss_mb"], "end_mb": samples[-1]["rss_mb"],
            "max_mb": max(s["rss_mb"] for s in samples),
            "first_half_median_mb": statistics.median(s["rss_mb"] for s in samples[: max(half, 1)]),
            "second_half_median_mb": statistics.median(s["rss_mb"] for s in samples[half:]),
            "samples": samples,
        }
    return {
        "clients": args.clients, "requests": len(done), "ok": len(ok), "errors": errors,
        "seconds": round(elapsed, 1), "photos_per_s": round(len(ok) / elapsed, 2) if elapsed else 0.0,
        "latency_ms": {"p50": round(percentile(ok, 50), 1), "p95": round(percentile(ok, 95), 1),
                       "max": round(max(ok), 1), "mean": round(statistics.fmean(ok), 1)} if ok else {},
        "memory": memory,
        "unique_bytes": run.unique,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--index", type=Path, help="start `kyb serve` on this index directory")
    target.add_argument("--url", help="an already running server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, for its memory")
    parser.add_argument("--photos", type=Path, required=True, help="a benchmark photos folder (or any image folder)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=8, help="uploads before the clock starts")
    parser.add_argument("--max-seconds", type=float, default=1800, help="stop after this long whatever is left")
    parser.add_argument("--timeout", type=float, default=60, help="per-request client timeout (s)")
    parser.add_argument("--threads", type=int, help="with --index: recognition threads in the server")
    parser.add_argument("--repeat-bytes", action="store_true", help="send files unchanged (cache hits on repeats)")
    parser.add_argument("--out", type=Path, help="write the summary (and RSS samples) as JSON here")
    args = parser.parse_args()

    paths = find_photos(args.photos)
    if not paths:
        raise SystemExit(f"{args.photos}: no photos found")
    photos = [p.read_bytes() for p in paths]
    proc, url, pid = None, args.url, args.pid
    if args.index:
        proc, url = start_server(args.index, args.threads)
        pid = proc.pid
    try:
        warm = Run(photos, args.warmup, time.monotonic() + 300, unique=True)
        threads = [threading.Thread(target=client, args=(warm, url, args.timeout)) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        began = time.monotonic()
        run = Run(photos, args.requests, began + args.max_seconds, unique=not args.repeat_bytes)
        samples: list[dict] = []
        stop = threading.Event()
        cpu_before = cpu_seconds(pid) if pid is not None else None
        if pid is not None and (mb := rss_mb(pid)) is not None:
            samples.append({"t": began, "requests": 0, "rss_mb": round(mb, 1)})
        sampler = threading.Thread(target=sample_memory, args=(pid, run, stop, samples), daemon=True)
        sampler.start()
        threads = [threading.Thread(target=client, args=(run, url, args.timeout)) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stop.set()
        sampler.join()
        summary = summarise(run, began, samples, args)
        if cpu_before is not None and summary["ok"]:
            # CPU the server burnt per photo: less noisy than wall time on a shared machine
            summary["server_cpu_s_per_photo"] = round((cpu_seconds(pid) - cpu_before) / summary["ok"], 3)
        summary["load_average"] = os.getloadavg()
        summary["photos_in_set"] = len(photos)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)

    brief = {k: v for k, v in summary.items() if k != "memory"}
    brief["memory"] = {k: v for k, v in summary.get("memory", {}).items() if k != "samples"}
    print(json.dumps(brief, indent=2))
    if args.out:
        args.out.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
