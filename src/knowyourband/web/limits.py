"""Refuse request bodies over the size limit before they are read whole (HTTP 413)."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """ASGI middleware: 413 for a declared `Content-Length` over `max_bytes` without reading
    anything, and 413 as soon as a streamed (chunked or lying) body passes `max_bytes`.

    When the limit trips mid-stream the application has already started parsing; whatever it
    answers (FastAPI calls a broken body a 400) is discarded and replaced by the 413.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, send, declared)
            return

        received = 0
        tripped = False
        app_started = False

        async def counting_receive() -> Message:
            nonlocal received, tripped
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    tripped = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal app_started
            if tripped:
                return  # the app's answer to a body we cut off; ours replaces it
            app_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLarge:
            pass
        if tripped and not app_started:
            await self._refuse(scope, send, None)

    async def _refuse(self, scope: Scope, send: Send, declared: int | None) -> None:
        size = _megabytes(declared) if declared is not None else "more than the limit"
        body = json.dumps(
            {
                "detail": f"the upload is too large ({size}); the limit is {_megabytes(self.max_bytes)} — "
                "send a smaller photo (the web client shrinks photos before sending)",
                "status": 413,
                "request_id": scope.get("state", {}).get("request_id"),
            },
            ensure_ascii=False,
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _megabytes(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.2g} MB"
