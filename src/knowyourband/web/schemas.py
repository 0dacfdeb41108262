"""API response models: what clients see, kept apart from the catalogue's storage rows."""

from __future__ import annotations

from pydantic import BaseModel, Field

from knowyourband.result import RecognizedObject, UnknownRegion


class ImageSize(BaseModel):
    width: int
    height: int


class MediaLinks(BaseModel):
    """Thumbnail URLs for everything a recognition result mentions, served by this server."""

    references: dict[int, str] = Field(default_factory=dict, description="reference id → thumbnail URL")
    band_logos: dict[int, str] = Field(default_factory=dict, description="band id → its logo's thumbnail URL")


class RecognizeResponse(BaseModel):
    """The recognition result contract (docs/formats.md) plus `media` links and the cache flag."""

    image: ImageSize
    objects: list[RecognizedObject]
    unknown: list[UnknownRegion]
    timing_ms: dict[str, float]
    media: MediaLinks
    cached: bool


class SourceLink(BaseModel):
    name: str | None = None
    url: str | None = None


class ReferenceOut(BaseModel):
    id: int
    key: str
    kind: str
    thumbnail: str | None = Field(description="URL of the self-hosted thumbnail")
    source_url: str | None = None


class BandSummary(BaseModel):
    id: int
    key: str
    name: str
    country: str | None = None
    genres: list[str] = Field(default_factory=list)
    logo: str | None = Field(default=None, description="URL of the band's logo thumbnail")


class ReleaseSummary(BaseModel):
    id: int
    key: str
    title: str
    year: int | None = None
    type: str | None = None
    label: str | None = None
    cover: str | None = Field(default=None, description="URL of the cover thumbnail")


class BandDetail(BaseModel):
    id: int
    key: str
    name: str
    country: str | None = None
    location: str | None = None
    status: str | None = None
    formed: int | None = None
    years_active: str | None = None
    genres: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    label: str | None = None
    sources: list[SourceLink] = Field(default_factory=list)
    logos: list[ReferenceOut] = Field(default_factory=list)
    releases: list[ReleaseSummary] = Field(default_factory=list)


class ReleaseDetail(ReleaseSummary):
    band: BandSummary
    sources: list[SourceLink] = Field(default_factory=list)
    covers: list[ReferenceOut] = Field(default_factory=list)


class ReleaseHit(ReleaseSummary):
    band: BandSummary


class SearchResponse(BaseModel):
    query: str
    bands: list[BandSummary]
    releases: list[ReleaseHit]


class Health(BaseModel):
    status: str
    bands: int
    releases: int
    references: int
    cache_entries: int
    cache_hits: int
    cache_misses: int


class ErrorBody(BaseModel):
    detail: str
    status: int
    request_id: str | None = None
