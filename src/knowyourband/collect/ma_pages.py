"""Parsers for Metal Archives pages and JSON lists; a changed layout raises, naming what is missing."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from knowyourband.errors import KybError

_TRAILING_ID = re.compile(r"/(\d+)/?(?:[?#].*)?$")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_HREF = re.compile(r"""href=(["'])(.*?)\1""")
_TAGS = re.compile(r"<[^>]+>")
_SEPARATORS = re.compile(r"[;,]")


class LayoutError(KybError):
    """A Metal Archives page no longer has the structure the parser knows."""


@dataclass
class MaBand:
    id: int
    name: str
    url: str
    country: str | None = None
    location: str | None = None
    status: str | None = None
    formed: int | None = None
    years_active: str | None = None
    genres: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    label: str | None = None
    logo_url: str | None = None


@dataclass
class MaReleaseRow:
    id: int
    title: str
    url: str
    type: str | None
    year: int | None


@dataclass
class MaAlbum:
    id: int
    title: str
    url: str
    type: str | None = None
    release_date: str | None = None
    year: int | None = None
    label: str | None = None
    cover_url: str | None = None
    band_ids: list[int] = field(default_factory=list)


@dataclass
class MaBandHit:
    """One row of a band list (search, genre or letter browse)."""

    id: int
    name: str
    url: str
    country: str | None


def trailing_id(url: str) -> int:
    """The numeric id that ends a Metal Archives URL: `".../bands/Death/141"` -> 141."""
    match = _TRAILING_ID.search(url)
    if not match:
        raise LayoutError(f"expected a URL ending in a numeric id, got {url!r}")
    return int(match.group(1))


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    value = " ".join(node.text(separator="").split())
    return value or None


def _require(tree: HTMLParser, selector: str, page: str, url: str) -> Node:
    node = tree.css_first(selector)
    if node is None:
        raise LayoutError(
            f"the Metal Archives {page} {url} has no {selector!r}: the site layout has changed. "
            "Nothing was guessed; update knowyourband/collect/ma_pages.py to the new layout."
        )
    return node


def _definitions(container: Node) -> dict[str, Node]:
    """`<dt>Label:</dt><dd>value</dd>` pairs of every `<dl>` under `container`, keyed by the dt text."""
    pairs: dict[str, Node] = {}
    for dl in container.css("dl"):
        key = None
        for child in dl.iter():
            if child.tag == "dt":
                key = (_text(child) or "").rstrip(":").strip()
            elif child.tag == "dd" and key:
                pairs[key] = child
                key = None
    return pairs


def _split_list(value: str | None) -> list[str]:
    """MA separates eras with ";" and items with ","; the catalogue keeps a flat list of items."""
    return [part.strip() for part in _SEPARATORS.split(value or "") if part.strip() not in ("", "N/A")]


def _year(value: str | None) -> int | None:
    match = _YEAR.search(value or "")
    return int(match.group(1)) if match else None


def _fact(value: str | None) -> str | None:
    """MA writes unknown facts as "N/A"; the catalogue writes them as null."""
    return None if value in (None, "", "N/A", "Unknown") else value


def parse_band_page(html: str, url: str) -> MaBand:
    """Facts and logo URL of a band page (`/bands/<Name>/<id>` or `/band/view/id/<id>`)."""
    tree = HTMLParser(html)
    link = _require(tree, "#band_info h1.band_name a", "band page", url)
    stats = _require(tree, "#band_stats", "band page", url)
    facts = _definitions(stats)
    for required in ("Country of origin", "Status", "Genre"):
        if required not in facts:
            raise LayoutError(
                f"the Metal Archives band page {url} has no {required!r} field in #band_stats: the site layout "
                "has changed. Update knowyourband/collect/ma_pages.py to the new layout."
            )
    canonical = link.attributes.get("href") or url
    label = facts.get("Current label") or facts.get("Last label")
    logo = tree.css_first(".band_name_img a#logo")
    return MaBand(
        id=trailing_id(canonical),
        name=_text(link) or "",
        url=canonical,
        country=_fact(_text(facts["Country of origin"])),
        location=_fact(_text(facts.get("Location"))),
        status=_fact(_text(facts["Status"])),
        formed=_year(_text(facts.get("Formed in"))),
        years_active=_fact(_text(facts.get("Years active"))),
        genres=_split_list(_text(facts["Genre"])),
        themes=_split_list(_text(facts.get("Lyrical themes"))),
        label=_fact(_text(label)),
        logo_url=(logo.attributes.get("href") or None) if logo is not None else None,
    )


def parse_discography(html: str, url: str) -> list[MaReleaseRow]:
    """Rows of a discography fragment (`/band/discography/id/<id>/tab/all`), logged in or not.

    Columns are found by their header class, because logged-in pages add a first "Tools" column.
    """
    tree = HTMLParser(html)
    table = _require(tree, "table.discog", "discography", url)
    headers = [(th.attributes.get("class") or "").split() for th in table.css("thead th")]
    columns = {}
    for name in ("releaseCol", "typeCol", "yearCol"):
        found = [i for i, classes in enumerate(headers) if name in classes]
        if not found:
            raise LayoutError(f"the Metal Archives discography {url} has no 'th.{name}' column header: "
                              "the site layout has changed. Update knowyourband/collect/ma_pages.py.")
        columns[name] = found[0]
    rows = []
    for tr in table.css("tbody tr"):
        cells = tr.css("td")
        if len(cells) < len(headers):  # "Nothing entered yet" spans all columns
            continue
        link = cells[columns["releaseCol"]].css_first("a")
        if link is None:
            raise LayoutError(f"a row of the Metal Archives discography {url} has no release link")
        href = link.attributes.get("href") or ""
        rows.append(MaReleaseRow(
            id=trailing_id(href), title=_text(link) or "", url=href,
            type=_text(cells[columns["typeCol"]]), year=_year(_text(cells[columns["yearCol"]])),
        ))
    return rows


def parse_album_page(html: str, url: str) -> MaAlbum:
    """Facts and cover URL of an album page (`/albums/<Band>/<Album>/<id>` or `/albums/view/id/<id>`)."""
    tree = HTMLParser(html)
    link = _require(tree, "#album_info h1.album_name a", "album page", url)
    info = _require(tree, "#album_info", "album page", url)
    facts = _definitions(info)
    if "Type" not in facts:
        raise LayoutError(f"the Metal Archives album page {url} has no 'Type' field in #album_info: the site "
                          "layout has changed. Update knowyourband/collect/ma_pages.py.")
    canonical = link.attributes.get("href") or url
    cover = tree.css_first(".album_img a#cover")
    date = _fact(_text(facts.get("Release date")))
    return MaAlbum(
        id=trailing_id(canonical),
        title=_text(link) or "",
        url=canonical,
        type=_text(facts["Type"]),
        release_date=date,
        year=_year(date),
        label=_fact(_text(facts.get("Label"))),
        cover_url=(cover.attributes.get("href") or None) if cover is not None else None,
        band_ids=[trailing_id(a.attributes.get("href") or "") for a in tree.css("#album_info h2.band_name a")],
    )


def parse_band_list(body: str, url: str) -> tuple[list[MaBandHit], int]:
    """Band rows and the total count of a DataTables JSON list (band search, genre or letter browse).

    Search rows are [link (+ a.k.a. + score comment), genre, country, year]; browse rows are
    [link, country, genre, status]. The country column is told apart by the row's length and kind.
    """
    try:
        data = json.loads(body)
        rows, total = data["aaData"], int(data["iTotalRecords"])
    except (ValueError, KeyError, TypeError) as exc:
        raise LayoutError(f"the Metal Archives list {url} is not the DataTables JSON kyb knows ({exc!r})") from exc
    browse = "/browse/" in url
    hits = []
    for row in rows:
        match = _HREF.search(row[0]) if row else None
        if match is None:
            raise LayoutError(f"a row of the Metal Archives list {url} has no band link: {row!r}")
        href = match.group(2)
        name = _TAGS.sub("", row[0].split("</a>")[0]).strip()
        country = row[1] if browse else (row[2] if len(row) > 2 else None)
        hits.append(MaBandHit(id=trailing_id(href), name=html.unescape(name), url=href, country=_fact(country)))
    return hits, total
