"""The polite fetcher against a real local server: back-off, give-up, Cloudflare, robots.txt, cache, rewriting."""

from __future__ import annotations

from pathlib import Path

import pytest
from collect_replay import ReplayServer

from knowyourband.collect.discogs import ratelimit_pause
from knowyourband.collect.http import BlockedError, DisallowedError, FetchConfig, Fetcher, FetchError, rewrite

MA = "https://www.metal-archives.com"


def _fetcher(server: ReplayServer, tmp_path: Path, waits: list[float], **kwargs: object) -> Fetcher:
    config = FetchConfig(delay=0, base_url=server.url, **kwargs)  # type: ignore[arg-type]
    return Fetcher(config, tmp_path / "cache", sleep=waits.append)


def test_rewrite_replaces_scheme_and_host_only() -> None:
    assert rewrite("https://i.discogs.com/a/b.jpeg?x=1", "http://127.0.0.1:9") == "http://127.0.0.1:9/a/b.jpeg?x=1"
    assert rewrite("https://www.metal-archives.com/x", None) == "https://www.metal-archives.com/x"


def test_429_storm_backs_off_then_succeeds(replay: ReplayServer, tmp_path: Path) -> None:
    replay.storms["/band/view/id/141"] = 3
    waits: list[float] = []
    with _fetcher(replay, tmp_path, waits, backoff=1.0) as fetcher:
        response = fetcher.get(f"{MA}/band/view/id/141")
    assert response.ok and b"Altamonte Springs" in response.body
    assert replay.counts()["/band/view/id/141"] == 4
    assert len(waits) == 3 and waits[2] > waits[0]  # growing waits (1, 2, 4 s with +-50 % jitter)
    assert all(0.5 <= w <= 6.0 for w in waits)


def test_429_storm_gives_up_with_a_resume_hint(replay: ReplayServer, tmp_path: Path) -> None:
    replay.storms["/band/view/id/141"] = 100
    with _fetcher(replay, tmp_path, [], max_tries=3) as fetcher:
        with pytest.raises(FetchError, match=r"giving up .* after 3 tries \(HTTP 429\).*resumes"):
            fetcher.get(f"{MA}/band/view/id/141")
    assert replay.counts()["/band/view/id/141"] == 3


def test_cloudflare_block_says_the_site_blocks_us(replay: ReplayServer, tmp_path: Path) -> None:
    page = b"<html><title>Just a moment...</title><div id='cf-chl-widget'></div></html>"
    replay.overrides["/band/view/id/141"] = (403, page, "text/html")
    with _fetcher(replay, tmp_path, [], max_tries=2) as fetcher:
        with pytest.raises(BlockedError, match="blocks our requests"):
            fetcher.get(f"{MA}/band/view/id/141")


def test_robots_txt_disallow_is_respected(replay: ReplayServer, tmp_path: Path) -> None:
    replay.robots = b"User-agent: *\nDisallow: /search/\nCrawl-delay: 0\n"
    with _fetcher(replay, tmp_path, []) as fetcher:
        assert fetcher.get(f"{MA}/band/view/id/141").ok
        with pytest.raises(DisallowedError, match="robots.txt forbids"):
            fetcher.get(f"{MA}/search/ajax-advanced/searching/bands", {"bandName": "Slayer"})
    assert not any(path.startswith("/search/") for path in replay.log)


def test_cache_answers_reruns_including_404s(replay: ReplayServer, tmp_path: Path) -> None:
    for _ in range(2):
        with _fetcher(replay, tmp_path, []) as fetcher:
            assert fetcher.get(f"{MA}/band/view/id/141").ok
            assert fetcher.get(f"{MA}/albums/view/id/35807").status == 404
    counts = replay.counts()
    assert counts["/band/view/id/141"] == 1 and counts["/albums/view/id/35807"] == 1 and counts["/robots.txt"] == 1


def test_unexpected_status_is_an_error_not_a_retry(replay: ReplayServer, tmp_path: Path) -> None:
    replay.overrides["/band/view/id/141"] = (401, b"no", "text/plain")
    with _fetcher(replay, tmp_path, []) as fetcher:
        with pytest.raises(FetchError, match="HTTP 401"):
            fetcher.get(f"{MA}/band/view/id/141")
    assert replay.counts()["/band/view/id/141"] == 1


def test_discogs_ratelimit_headers() -> None:
    assert ratelimit_pause({"x-discogs-ratelimit": "60", "x-discogs-ratelimit-remaining": "40"}) == 0
    assert ratelimit_pause({"x-discogs-ratelimit": "60", "x-discogs-ratelimit-remaining": "5"}) == pytest.approx(1.0)
    assert ratelimit_pause({"x-discogs-ratelimit": "60", "x-discogs-ratelimit-remaining": "0"}) == 60
    assert ratelimit_pause({}) == 0


def test_robots_txt_answering_4xx_means_no_rules(replay: ReplayServer, tmp_path: Path) -> None:
    replay.overrides["/robots.txt"] = (403, b"forbidden", "text/plain")
    with _fetcher(replay, tmp_path, []) as fetcher:
        assert fetcher.get(f"{MA}/band/view/id/141").ok


def test_401_names_the_token(replay: ReplayServer, tmp_path: Path) -> None:
    replay.overrides["/releases/71989"] = (401, b'{"message": "You must authenticate."}', "application/json")
    with _fetcher(replay, tmp_path, []) as fetcher:
        with pytest.raises(FetchError, match="DISCOGS_TOKEN"):
            fetcher.get("https://api.discogs.com/releases/71989")


def test_delay_spaces_network_requests_but_not_cache_hits(replay: ReplayServer, tmp_path: Path) -> None:
    waits: list[float] = []
    config = FetchConfig(delay=5.0, base_url=replay.url)
    with Fetcher(config, tmp_path / "cache", sleep=waits.append) as fetcher:
        fetcher.get(f"{MA}/band/view/id/141")  # robots.txt, then the page: one wait between them
        fetcher.get(f"{MA}/band/view/id/141")  # from the cache: no wait
        fetcher.get(f"{MA}/band/discography/id/141/tab/all")
    assert len(waits) == 2 and all(4.0 < w <= 5.0 for w in waits)
