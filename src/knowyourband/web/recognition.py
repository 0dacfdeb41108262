"""Recognition off the event loop: a thread pool sized to the cores, a content-hash LRU cache, a deadline."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from knowyourband.errors import KybError
from knowyourband.result import Result

log = logging.getLogger(__name__)


class RecognitionTimeout(KybError):
    """The photo was not recognised within the request deadline (the server is busy or the photo is hard)."""


class ServerBusy(KybError):
    """More photos are waiting than the server will queue; the client should retry shortly."""


class SupportsRecognize(Protocol):
    def recognize(self, image: Any) -> Result: ...


class RecognitionService:
    """Runs `recognizer.recognize` in `threads` worker threads and remembers the last `cache_size` answers.

    At most `max_waiting` distinct photos are running or queued; more are refused (`ServerBusy`).

    The same bytes sent twice (a retry on a flaky festival network, two friends with the same
    screenshot) are answered from the cache; identical uploads arriving together share one run.
    """

    def __init__(
        self,
        recognizer: SupportsRecognize,
        *,
        threads: int,
        cache_size: int,
        timeout_s: float,
        max_waiting: int,
    ) -> None:
        self.recognizer = recognizer
        self.cache_size = cache_size
        self.timeout_s = timeout_s
        self.max_waiting = max_waiting
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kyb-recognize")
        self._cache: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._running: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.hits = 0
        self.misses = 0

    async def recognize(self, data: bytes) -> tuple[dict[str, Any], bool]:
        """Recognise an encoded photo; returns (the result contract as a dict, whether it came from the cache).

        Raises `ImageError` for unreadable images, `ServerBusy` when `max_waiting` photos are already in
        flight, and `RecognitionTimeout` past the deadline (the run itself goes on and fills the cache:
        a thread cannot be stopped, and a retry of the same photo then gets the answer at once).
        """
        key = hashlib.sha256(data).hexdigest()
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self.hits += 1
            return cached, True
        self.misses += 1
        running = self._running.get(key)
        if running is None:
            # Each waiting upload holds its bytes in memory: past the bound, refuse rather than swell.
            if len(self._running) >= self.max_waiting:
                raise ServerBusy(f"the server is busy with {len(self._running)} photos; try again in a few seconds")
            loop = asyncio.get_running_loop()
            running = asyncio.ensure_future(loop.run_in_executor(self._pool, self._run, data))
            self._running[key] = running
            running.add_done_callback(lambda fut, key=key: self._finish(key, fut))
        try:
            # shield: one impatient client must not cancel a run that others (or the cache) wait on
            return await asyncio.wait_for(asyncio.shield(running), self.timeout_s), False
        except TimeoutError as exc:
            raise RecognitionTimeout(
                f"recognition took longer than {self.timeout_s:g} s (the server is busy); try again in a moment"
            ) from exc

    def _run(self, data: bytes) -> dict[str, Any]:
        start = time.perf_counter()
        # The recogniser decodes the bytes itself, at the size its features need (reduced JPEG decode).
        result = self.recognizer.recognize(data)
        answer = result.to_dict()
        answer.setdefault("timing_ms", {})["request"] = round((time.perf_counter() - start) * 1000, 1)
        return answer

    def _finish(self, key: str, fut: asyncio.Future[dict[str, Any]]) -> None:
        self._running.pop(key, None)
        if fut.cancelled() or fut.exception() is not None or self.cache_size == 0:
            return
        self._cache[key] = fut.result()
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    @property
    def cache_entries(self) -> int:
        return len(self._cache)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
