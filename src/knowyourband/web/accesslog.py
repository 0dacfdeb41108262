"""Request ids and one structured JSON access-log line per request."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import datetime, timezone

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("knowyourband.web.access")

REQUEST_ID_HEADER = "x-request-id"
# A client-sent id is echoed only when it is short and plain, so logs cannot be forged or flooded.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class AccessLog:
    """ASGI middleware: takes or makes the request id, echoes it as `X-Request-ID`, stores it in
    `scope["state"]["request_id"]` and logs method, path, status, bytes and duration as JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        start = time.perf_counter()
        status = 500
        sent_bytes = 0

        async def tagging_send(message: Message) -> None:
            nonlocal status, sent_bytes
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                sent_bytes += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, tagging_send)
        finally:
            log.info(
                "access",
                extra={
                    "access": {
                        "request_id": request_id,
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status,
                        "bytes_out": sent_bytes,
                        "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                        "client": (scope.get("client") or (None,))[0],
                    }
                },
            )


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _SAFE_ID.match(text) else None
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any structured `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in ("access", "event"):
            if hasattr(record, key):
                entry.update(getattr(record, key))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
