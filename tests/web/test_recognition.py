"""The recognition pool with the real recognizer: cache, shared runs, bounded queue."""

from __future__ import annotations

import asyncio

import pytest

from knowyourband.recognize import Recognizer
from knowyourband.web.recognition import RecognitionService, ServerBusy


@pytest.fixture(scope="module")
def recognizer(tiny_index):
    return Recognizer.open(tiny_index.path)


def service(recognizer, **overrides) -> RecognitionService:
    conf = {"threads": 2, "cache_size": 4, "timeout_s": 60.0, "max_waiting": 8, **overrides}
    return RecognitionService(recognizer, **conf)


def test_identical_uploads_share_one_run_and_then_the_cache(recognizer, tiny_index):
    pool = service(recognizer)

    async def go():
        together = await asyncio.gather(*(pool.recognize(tiny_index.photo) for _ in range(3)))
        later = await pool.recognize(tiny_index.photo)
        return together, later

    together, later = asyncio.run(go())
    assert all(answer == together[0][0] for answer, _ in together)
    assert later[1] is True and pool.cache_entries == 1
    pool.close()


def test_cache_keeps_only_the_newest(recognizer, blank_photo):
    pool = service(recognizer, cache_size=2)

    async def go():
        for extra in (b"1", b"2", b"3"):
            await pool.recognize(blank_photo + extra)
        return await pool.recognize(blank_photo + b"1")

    _, cached = asyncio.run(go())
    assert cached is False and pool.cache_entries == 2
    pool.close()


def test_past_the_queue_bound_new_photos_are_refused(recognizer, tiny_index):
    pool = service(recognizer, threads=1, max_waiting=2)

    async def go():
        return await asyncio.gather(*(pool.recognize(tiny_index.photo + bytes([i])) for i in range(4)),
                                    return_exceptions=True)

    outcomes = asyncio.run(go())
    assert sum(isinstance(o, ServerBusy) for o in outcomes) == 2
    assert sum(isinstance(o, tuple) for o in outcomes) == 2
    pool.close()
