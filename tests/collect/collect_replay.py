"""A local stand-in for Metal Archives and Discogs: the recorded responses of ../shared/fixtures/sources
(routed by its replay.py) over real HTTP on 127.0.0.1, plus generated images for every image URL.

No image was recorded, so images are drawn here: a one-logo PNG for most bands, two stacked logos
for Pathfinder (122302), a distinct JPEG per cover, 404 for Rhapsody of Fire's logo. Tests can add
answers (`overrides`), 429 storms (`storms`), a hanging URL (`hang`) and read the request log.

Run it by hand for the "Done when" commands (covers included):
    python tests/collect/collect_replay.py --port 8765
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

from PIL import Image, ImageDraw, ImageFont

MULTI_LOGO_BANDS = {"122302"}
MISSING_IMAGES = {"/images/3/2/32_logo.jpg"}
_LOGO = re.compile(r"/(\d+)_logo\.\w+$")


def find_sources() -> Path | None:
    """`shared/fixtures/sources` next to the repository (CI: ../shared), searching upward from here."""
    for parent in Path(__file__).resolve().parents:
        for candidate in (parent / "shared", parent.parent / "shared"):
            if (candidate / "fixtures" / "sources" / "replay.py").is_file():
                return candidate / "fixtures" / "sources"
    return None


def load_replay(sources: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("kyb_fixture_replay", sources / "replay.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def logo_png(text: str, lines: int = 1) -> bytes:
    """Black text logo(s) on white; `lines=2` stacks two different logos with a wide gap."""
    image = Image.new("RGB", (480, 110 * lines + 20), "white")
    draw = ImageDraw.Draw(image)
    for i in range(lines):
        draw.text((30, 25 + 110 * i), text if i == 0 else text[::-1].upper(), fill="black", font=_font(56))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def cover_jpeg(seed: int) -> bytes:
    """A 300x300 cover with seed-dependent shapes and colours, so different covers hash differently."""
    import random

    rng = random.Random(seed)
    image = Image.new("RGB", (300, 300), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(260), rng.randrange(260)
        box = (x, y, x + rng.randrange(20, 140), y + rng.randrange(20, 140))
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    for _ in range(4):  # corners and letters give an index's local features something to hold
        colour = tuple(rng.randrange(256) for _ in range(3))
        word = "".join(rng.choice("ABCDEFGHKMNPRSTVWXZ") for _ in range(5))
        draw.text((rng.randrange(10, 150), rng.randrange(10, 250)), word, fill=colour, font=_font(30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


class ReplayServer:
    """The server, run in a thread: `with ReplayServer(sources) as server: server.url`."""

    def __init__(self, sources: Path, port: int = 0) -> None:
        self.replay = load_replay(sources)
        self.log: list[str] = []  # path?query of every request, in order
        self.overrides: dict[str, tuple[int, bytes, str]] = {}  # path -> (status, body, content type)
        self.image_aliases: dict[str, str] = {}  # image path -> path whose image it serves (duplicates)
        self.storms: dict[str, int] = {}  # path -> how many 429s to answer before the real answer
        self.hang = threading.Event()  # released by the test; paths in `hang_paths` wait on it
        self.hang_paths: set[str] = set()
        self.robots: bytes | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def counts(self) -> Counter:
        return Counter(self.log)

    def __enter__(self) -> ReplayServer:
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.hang.set()
        self._server.shutdown()
        self._server.server_close()

    def answer(self, path: str, query: str) -> tuple[int, bytes, str]:
        if path in self.overrides:
            return self.overrides[path]
        if path == "/robots.txt":
            return (200, self.robots, "text/plain") if self.robots is not None else (404, b"", "text/plain")
        if path in MISSING_IMAGES:
            return 404, b"Not found", "text/plain"
        image_path = self.image_aliases.get(path, path)
        logo = _LOGO.search(image_path)
        if logo:
            lines = 2 if logo.group(1) in MULTI_LOGO_BANDS else 1
            return 200, logo_png(f"BAND {logo.group(1)}", lines), "image/png"
        if image_path.startswith("/images/") or "/rs:fit/" in image_path:
            return 200, cover_jpeg(sum(image_path.encode())), "image/jpeg"
        for pattern, where, ctype in self.replay.ROUTES:
            match = re.match(pattern, path)
            if match:
                found = where(match) if where else self.replay.search_file(path, query)
                if found.is_file():
                    return 200, found.read_bytes(), ctype + "; charset=UTF-8"
                break
        return 404, b"Not found", "text/plain"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms delayed-ACK stall

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                server.log.append(parts.path + (f"?{parts.query}" if parts.query else ""))
                if parts.path in server.hang_paths:
                    server.hang.wait(30)
                if server.storms.get(parts.path, 0) > 0:
                    server.storms[parts.path] -= 1
                    return self._send(429, b'{"message": "You are making requests too quickly."}', "application/json")
                self._send(*server.answer(parts.path, parts.query))

            def _send(self, status: int, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if ctype.startswith("application/json"):
                    self.send_header("X-Discogs-Ratelimit", "60")
                    self.send_header("X-Discogs-Ratelimit-Used", "1")
                    self.send_header("X-Discogs-Ratelimit-Remaining", "59")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    sources = find_sources()
    if sources is None:
        raise SystemExit("shared/fixtures/sources not found next to the repository")
    with ReplayServer(sources, args.port) as server:
        print(f"listening on {server.url}", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
