"""The app factory: one FastAPI app per index, built on demand (no module-level app)."""

from __future__ import annotations

import logging
import mimetypes
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any, AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

import knowyourband
from knowyourband.catalog import Catalog
from knowyourband.errors import KybError
from knowyourband.web.accesslog import AccessLog
from knowyourband.web.api import health_router, router
from knowyourband.web.limits import BodySizeLimit
from knowyourband.web.recognition import RecognitionService, SupportsRecognize
from knowyourband.web.settings import Settings
from knowyourband.web.thumbnails import Thumbnails

log = logging.getLogger(__name__)

# Tight by default: the client is same-origin only, pictures come from /media or the user's own blob.
_SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
     b"object-src 'none'; base-uri 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


def create_app(settings: Settings, recognizer: SupportsRecognize | None = None) -> FastAPI:
    """Open the index in `settings.index_dir` and build the service around it.

    `recognizer` replaces the index's own `Recognizer` (e.g. one already opened by the caller).
    Raises `KybError` (IndexFormatError, CatalogError) when the index cannot be opened.
    """
    catalog = Catalog.open(settings.index_dir / "catalog.sqlite")
    if recognizer is None:
        from knowyourband.recognize import Recognizer  # heavy (OpenCV, FAISS): only when serving
        from knowyourband.recognize.recognizer import load_conf

        conf = load_conf(settings.conf_file) if settings.conf_file else None
        recognizer = Recognizer.open(settings.index_dir, conf=conf)
    service = RecognitionService(
        recognizer,
        threads=settings.recognition_threads,
        cache_size=settings.cache_size,
        timeout_s=settings.request_timeout_s,
        max_waiting=settings.max_waiting,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()
        catalog.close()

    app = FastAPI(
        title="Know Your Band",
        version=knowyourband.__version__,
        description="Find every heavy-metal band logo and album cover in a photo, and say whose it is.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.catalog = catalog
    app.state.recognition = service
    app.state.thumbnails = Thumbnails(catalog)

    app.include_router(router)
    app.include_router(health_router)
    _add_error_handlers(app)
    # Registered before the client so `/media/...` never falls through to the static shell.
    app.mount("/media", StaticFiles(directory=settings.index_dir / "media", check_dir=False), name="media")
    mimetypes.add_type("application/manifest+json", ".webmanifest")
    static = resources.files("knowyourband.web") / "static"
    app.mount("/", StaticFiles(directory=str(static), html=True), name="client")

    # Outermost first: the access log sees every answer, including the size limit's 413s.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(AccessLog)
    app.add_middleware(_SecurityHeaders)
    return app


class _SecurityHeaders:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        # FastAPI's /docs page loads Swagger UI from a CDN; the strict policy would blank it.
        docs = scope["path"] in ("/docs", "/redoc", "/docs/oauth2-redirect")

        async def add_headers(message: Any) -> None:
            if message["type"] == "http.response.start" and not docs:
                message = {**message, "headers": [*message.get("headers", []), *_SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, add_headers)


def _error(request: Request, status: int, detail: str, **extra: Any) -> JSONResponse:
    request_id = request.scope.get("state", {}).get("request_id")
    body = {"detail": detail, "status": status, "request_id": request_id, **extra}
    return JSONResponse(body, status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    """Every error answers JSON `{"detail": <a sentence a person understands>, "status", "request_id"}`."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = _error(request, exc.status_code, str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
            problems.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
        if any(err.get("loc", ())[-1:] == ("image",) for err in exc.errors()):
            detail = "send the photo as a multipart/form-data file field named 'image'"
        else:
            detail = "the request is not valid: " + "; ".join(problems)
        return _error(request, 422, detail)

    @app.exception_handler(KybError)
    async def kyb_error(request: Request, exc: KybError) -> JSONResponse:
        return _error(request, 422, str(exc))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(request, 500, "something went wrong on the server; the error is logged — try again")

