"""The JSON API: recognise a photo, read bands and releases, search names, health."""

from __future__ import annotations

import copy
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from knowyourband.catalog import Catalog, Reference
from knowyourband.errors import ImageError
from knowyourband.web.recognition import RecognitionService, RecognitionTimeout, ServerBusy
from knowyourband.web.schemas import (
    BandDetail,
    BandSummary,
    ErrorBody,
    Health,
    RecognizeResponse,
    ReferenceOut,
    ReleaseDetail,
    ReleaseHit,
    ReleaseSummary,
    SearchResponse,
    SourceLink,
)
from knowyourband.web.settings import Settings
from knowyourband.web.sniff import looks_like_image
from knowyourband.web.thumbnails import MEDIA_PREFIX, Thumbnails, media_path

router = APIRouter(prefix="/api/v1")
health_router = APIRouter()


def _catalog(request: Request) -> Catalog:
    return request.app.state.catalog


def _service(request: Request) -> RecognitionService:
    return request.app.state.recognition


def _thumbs(request: Request) -> Thumbnails:
    return request.app.state.thumbnails


def _settings(request: Request) -> Settings:
    return request.app.state.settings


CatalogDep = Annotated[Catalog, Depends(_catalog)]
ServiceDep = Annotated[RecognitionService, Depends(_service)]
ThumbsDep = Annotated[Thumbnails, Depends(_thumbs)]
SettingsDep = Annotated[Settings, Depends(_settings)]

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in {
        404: "no such band or release",
        413: "the upload is over the size limit, or the image has too many pixels",
        415: "the upload is not an image",
        422: "the image is corrupt or the request is malformed",
        503: "the server is too busy, or recognition did not finish within the request timeout",
    }.items()
}


@router.post(
    "/recognize",
    response_model=RecognizeResponse,
    responses={k: _ERRORS[k] for k in (413, 415, 422, 503)},
    summary="Find and identify every band logo and album cover in a photo",
)
async def recognize(
    request: Request,
    image: Annotated[UploadFile, File(description="the photo: JPEG, PNG, WebP, HEIC, GIF, BMP or TIFF")],
    service: ServiceDep,
    thumbs: ThumbsDep,
    settings: SettingsDep,
    top: Annotated[int | None, Form(ge=1, le=100, description="candidates kept per object")] = None,
) -> JSONResponse:
    data = await image.read()
    if not data:
        raise HTTPException(422, "the uploaded photo is empty (0 bytes)")
    if not looks_like_image(data[:32]):
        raise HTTPException(
            415, "the upload is not an image: send a photo as JPEG, PNG, WebP, HEIC, GIF, BMP or TIFF"
        )
    try:
        result, cached = await service.recognize(data)
    except ImageError as exc:
        raise HTTPException(422, f"the photo cannot be read: {exc}") from exc
    except (RecognitionTimeout, ServerBusy) as exc:
        raise HTTPException(503, str(exc), headers={"Retry-After": "10"}) from exc
    # The cached dict is shared between requests: answer with a copy, trimmed to `top`.
    body = copy.deepcopy(result)
    keep = min(top or settings.max_top, settings.max_top)
    for obj in body["objects"]:
        obj["candidates"] = obj["candidates"][:keep]
    # thumbnail look-ups may touch SQLite: keep them off the event loop
    body["media"] = await run_in_threadpool(thumbs.links_for, body, request.scope.get("root_path", ""))
    body["cached"] = cached
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.get("/bands/{band_id}", response_model=BandDetail, responses={404: _ERRORS[404]},
            summary="A band's facts, logos, discography with covers, and sources")
def band(band_id: str, catalog: CatalogDep, request: Request) -> BandDetail:
    row = catalog.band(_int_id(band_id, "band"))
    if row is None:
        raise HTTPException(404, f"no band with id {band_id!r} in this index")
    root = request.scope.get("root_path", "")
    refs = catalog.band_references(row["id"])
    covers = {r.release_id: _url(r, root) for r in refs if r.kind == "album" and r.release_id and r.thumbnail}
    return BandDetail(
        **{k: row.get(k) for k in ("id", "key", "name", "country", "location", "status", "formed",
                                   "years_active", "label")},
        genres=row.get("genres") or [],
        themes=row.get("themes") or [],
        sources=[SourceLink(**_source(s)) for s in row.get("sources") or []],
        logos=[_reference_out(r, root) for r in refs if r.kind == "logo"],
        releases=[_release_summary(rel, covers.get(rel["id"])) for rel in catalog.band_releases(row["id"])],
    )


@router.get("/releases/{release_id}", response_model=ReleaseDetail, responses={404: _ERRORS[404]},
            summary="A release's facts, covers, band and sources")
def release(release_id: str, catalog: CatalogDep, thumbs: ThumbsDep, request: Request) -> ReleaseDetail:
    row = catalog.release(_int_id(release_id, "release"))
    if row is None:
        raise HTTPException(404, f"no release with id {release_id!r} in this index")
    root = request.scope.get("root_path", "")
    covers = [_reference_out(r, root) for r in catalog.release_references(row["id"])]
    summary = _release_summary(row, next((c.thumbnail for c in covers if c.thumbnail), None))
    return ReleaseDetail(
        **summary.model_dump(),
        band=_band_summary(catalog.band(row["band_id"]) or {}, thumbs, root),
        sources=[SourceLink(**_source(s)) for s in row.get("sources") or []],
        covers=covers,
    )


@router.get("/search", response_model=SearchResponse, summary="Bands and releases by name (case, accents and punctuation folded)")
def search(
    q: Annotated[str, Query(min_length=1, max_length=200, description="part of a band name or album title")],
    catalog: CatalogDep,
    thumbs: ThumbsDep,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchResponse:
    root = request.scope.get("root_path", "")
    found = catalog.search(q, limit=limit)
    bands: dict[int, BandSummary] = {}

    def band_of(band_id: int) -> BandSummary:
        if band_id not in bands:
            bands[band_id] = _band_summary(catalog.band(band_id) or {}, thumbs, root)
        return bands[band_id]

    return SearchResponse(
        query=q,
        bands=[band_of(b["id"]) for b in found["bands"]],
        releases=[
            ReleaseHit(**_release_summary(r, _cover(catalog, r["id"], root)).model_dump(),
                       band=band_of(r["band_id"]))
            for r in found["releases"]
        ],
    )


@health_router.get("/healthz", response_model=Health, summary="Liveness and what the index holds")
def health(catalog: CatalogDep, service: ServiceDep) -> Health:
    return Health(
        status="ok",
        bands=catalog.count("bands"),
        releases=catalog.count("releases"),
        references=catalog.count("refs"),
        cache_entries=service.cache_entries,
        cache_hits=service.hits,
        cache_misses=service.misses,
    )


def _int_id(raw: str, what: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise HTTPException(404, f"no {what} with id {raw!r}: ids are whole numbers, as in a recognition result")
    return int(raw)


def _url(ref: Reference, root: str) -> str | None:
    path = media_path(ref)
    return root + MEDIA_PREFIX + path if path else None


def _reference_out(ref: Reference, root: str) -> ReferenceOut:
    return ReferenceOut(id=ref.id, key=ref.key, kind=ref.kind, thumbnail=_url(ref, root), source_url=ref.source_url)


def _release_summary(row: dict[str, Any], cover: str | None) -> ReleaseSummary:
    return ReleaseSummary(**{k: row.get(k) for k in ("id", "key", "title", "year", "type", "label")}, cover=cover)


def _band_summary(row: dict[str, Any], thumbs: Thumbnails, root: str) -> BandSummary:
    logo = thumbs.band_logo_path(row["id"]) if row else None
    return BandSummary(
        id=row.get("id", 0), key=row.get("key", ""), name=row.get("name", ""), country=row.get("country"),
        genres=row.get("genres") or [], logo=root + MEDIA_PREFIX + logo if logo else None,
    )


def _cover(catalog: Catalog, release_id: int, root: str) -> str | None:
    for ref in catalog.release_references(release_id):
        if ref.thumbnail:
            return _url(ref, root)
    return None


def _source(source: Any) -> dict[str, Any]:
    if isinstance(source, str):
        return {"url": source}
    return {"name": source.get("name"), "url": source.get("url")}
