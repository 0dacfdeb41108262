"""A polite, resumable HTTP fetcher: delay, identifying User-Agent, robots.txt, back-off, on-disk cache."""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx

from knowyourband import __version__
from knowyourband.collect.files import atomic_write_bytes, atomic_write_json
from knowyourband.errors import KybError

log = logging.getLogger(__name__)

# Names the program honestly; users are asked (docs/collect.md) to add a contact with --user-agent.
DEFAULT_USER_AGENT = f"KnowYourBand/{__version__} (catalogue collector; python-httpx)"
# Answers that will not change on a retry; they are cached so a rerun does not ask again.
FINAL_STATUSES = {200, 404, 410}
RETRY_STATUSES = {429, 500, 502, 503, 504, 520, 521, 522, 524}
ROBOTS_FINAL = {200} | (set(range(400, 500)) - {429})  # RFC 9309: a 4xx robots.txt means "no rules"


class FetchError(KybError):
    """A request failed for good (network down, unexpected status, tries used up)."""


class BlockedError(FetchError):
    """The site (Cloudflare) refuses our requests."""


class DisallowedError(FetchError):
    """robots.txt forbids the URL for our User-Agent."""


@dataclass
class FetchConfig:
    delay: float = 3.0  # seconds between two network requests to the site; cache hits do not wait
    user_agent: str = DEFAULT_USER_AGENT  # identifies us, so the site's admins can reach us
    base_url: str | None = None  # replaces scheme and host of every request (a local replay server)
    max_tries: int = 6  # per URL, counting the first; then the run stops with a message
    backoff: float = 2.0  # first wait after a 429/5xx/403, doubled each try, +-50 % jitter
    max_backoff: float = 300.0  # longest single wait
    timeout: float = 30.0  # seconds per request
    robots: bool = True  # honour robots.txt (Disallow and Crawl-delay)
    headers: dict[str, str] = field(default_factory=dict)  # e.g. Discogs' Authorization


@dataclass
class Response:
    url: str  # the source's own URL (before --base-url rewriting): what the catalogue cites
    status: int
    headers: dict[str, str]
    body: bytes
    fetched: str  # ISO 8601 UTC time of the network request (kept when served from the cache)
    from_cache: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise FetchError(f"{self.url} did not answer JSON ({exc}); the API may have changed") from exc


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def full_url(url: str, params: dict[str, Any] | None = None) -> str:
    """`url` with `params` appended as a query string, so one URL names one cache entry."""
    if not params:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(params)


def rewrite(url: str, base_url: str | None) -> str:
    """Replace scheme and host of `url` with those of `base_url` (None keeps `url`)."""
    if not base_url:
        return url
    base, parts = urlsplit(base_url), urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


def is_cloudflare_block(status: int, headers: dict[str, str], body: bytes) -> bool:
    """True for Cloudflare's 403/503 challenge pages, which a plain client cannot pass."""
    if status not in (403, 503):
        return False
    cloudflare = headers.get("server", "").lower() == "cloudflare" or "cf-ray" in headers
    challenge = any(mark in body[:20000] for mark in (b"Just a moment", b"cf-chl", b"Attention Required"))
    return cloudflare or challenge


class Fetcher:
    """GET with politeness and an on-disk cache under `cache_dir` (None: no cache)."""

    def __init__(
        self,
        config: FetchConfig,
        cache_dir: Path | None = None,
        pause_after: Callable[[dict[str, str]], float] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.cache_dir = cache_dir
        self.pause_after = pause_after  # a source's own rate-limit rule, from response headers
        self.sleep = sleep
        self.network_requests = 0
        self._last_request = 0.0
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._client = httpx.Client(
            headers={"User-Agent": config.user_agent, **config.headers},
            timeout=config.timeout,
            follow_redirects=True,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, params: dict[str, Any] | None = None, store_body: bool = True) -> Response:
        """The final answer for `url` (status 200, 404 or 410), from the cache or the network.

        `store_body=False` does not cache a 200 (images: the caller keeps their bytes), only 404/410.
        Raises `FetchError` when tries run out, `BlockedError` when Cloudflare blocks us, and
        `DisallowedError` when robots.txt forbids the URL.
        """
        url = full_url(url, params)
        cached = self._cached(url)
        if cached is not None:
            return cached
        self._check_robots(url)
        response = self._fetch(url)
        self._store(response, store_body)
        return response

    # -- cache -------------------------------------------------------------------------------
    def _paths(self, url: str) -> tuple[Path, Path]:
        assert self.cache_dir is not None
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        folder = self.cache_dir / digest[:2]
        return folder / f"{digest}.json", folder / f"{digest}.body"

    def _cached(self, url: str) -> Response | None:
        if self.cache_dir is None:
            return None
        meta_path, body_path = self._paths(url)
        if not meta_path.is_file():
            return None
        meta = json.loads(meta_path.read_text("utf-8"))
        if meta["has_body"] and not body_path.is_file():
            return None  # someone cleaned the bodies: ask again
        body = body_path.read_bytes() if meta["has_body"] else b""
        return Response(url, meta["status"], meta["headers"], body, meta["fetched"], from_cache=True)

    def _store(self, response: Response, store_body: bool) -> None:
        if self.cache_dir is None or (response.status == 200 and not store_body):
            return
        meta_path, body_path = self._paths(response.url)
        keep = response.status == 200
        if keep:  # the body first: a meta file always points at a complete body
            atomic_write_bytes(body_path, response.body)
        meta = {"url": response.url, "status": response.status, "fetched": response.fetched,
                "headers": response.headers, "has_body": keep}
        atomic_write_json(meta_path, meta)

    # -- network -----------------------------------------------------------------------------
    def _wait_turn(self) -> None:
        wait = self.config.delay - (time.monotonic() - self._last_request)
        if wait > 0:
            self.sleep(wait)
        self._last_request = time.monotonic()

    def _fetch(self, url: str, final: set[int] = FINAL_STATUSES) -> Response:
        target = rewrite(url, self.config.base_url)
        host = urlsplit(url).netloc
        problem = ""
        for attempt in range(1, self.config.max_tries + 1):
            self._wait_turn()
            self.network_requests += 1
            try:
                raw = self._client.get(target)
            except httpx.TransportError as exc:
                problem = f"network error: {exc}"
                retry_after = None
            else:
                headers = {k.lower(): v for k, v in raw.headers.items()}
                response = Response(url, raw.status_code, headers, raw.content, utc_now())
                if raw.status_code in final:
                    if self.pause_after is not None:
                        pause = self.pause_after(headers)
                        if pause > 0:
                            log.info("%s asks us to slow down: pausing %.1f s", host, pause)
                            self.sleep(pause)
                    return response
                blocked = is_cloudflare_block(raw.status_code, headers, raw.content)
                if raw.status_code == 401:
                    raise FetchError(f"{url} answered HTTP 401 (unauthorised): the token is missing or wrong; "
                                     "check --token / DISCOGS_TOKEN")
                if raw.status_code not in RETRY_STATUSES and not blocked:
                    raise FetchError(f"{url} answered HTTP {raw.status_code}; kyb does not know what to do with it")
                problem = "blocked by Cloudflare" if blocked else f"HTTP {raw.status_code}"
                retry_after = _retry_after(headers)
            if attempt == self.config.max_tries:
                break
            wait = self._backoff(attempt, retry_after)
            log.warning("%s: %s (try %d of %d); waiting %.0f s", url, problem, attempt, self.config.max_tries, wait)
            self.sleep(wait)
        tries = self.config.max_tries
        if problem == "blocked by Cloudflare":
            raise BlockedError(
                f"{host} blocks our requests (Cloudflare 403 challenge, {tries} tries). The site does not want "
                "automated traffic from this address right now: wait a few hours, raise --delay, and rerun the "
                "same command; it resumes where it stopped. kyb will not try to get around the block."
            )
        raise FetchError(
            f"giving up on {url} after {tries} tries ({problem}). Everything fetched so far is cached: "
            "rerun the same command later (with a larger --delay if the site said 429) and it resumes."
        )

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.config.max_backoff)
        base = self.config.backoff * 2 ** (attempt - 1)
        return min(base * random.uniform(0.5, 1.5), self.config.max_backoff)

    # -- robots.txt --------------------------------------------------------------------------
    def _check_robots(self, url: str) -> None:
        if not self.config.robots:
            return
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        parser = self._robots[origin]
        if parser is None:
            return
        if not parser.can_fetch(self.config.user_agent, url):
            raise DisallowedError(f"{origin}/robots.txt forbids {url} for crawlers; kyb respects that and stops here")
        crawl_delay = parser.crawl_delay(self.config.user_agent)
        if crawl_delay and float(crawl_delay) > self.config.delay:
            log.info("%s/robots.txt asks for %s s between requests; using that instead of --delay", origin, crawl_delay)
            self.config.delay = float(crawl_delay)

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        url = f"{origin}/robots.txt"
        response = self._cached(url)
        if response is None:
            response = self._fetch(url, final=ROBOTS_FINAL)
            self._store(response, store_body=True)
        if response.status != 200:
            return None  # no robots.txt (any 4xx, RFC 9309): everything is allowed
        parser = urllib.robotparser.RobotFileParser(url)
        parser.parse(response.text().splitlines())
        return parser


def _retry_after(headers: dict[str, str]) -> float | None:
    value = headers.get("retry-after", "")
    return float(value) if value.replace(".", "", 1).isdigit() else None
