"""The SQLite catalogue of an index: bands, releases and reference images, with schema migrations."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from knowyourband.catalog.source import CatalogSource
from knowyourband.errors import CatalogError
from knowyourband.result import BandRef, ReleaseRef
from knowyourband.text import normalize

SCHEMA_VERSION = 1

# One script per schema version; opening an older file applies the missing ones in order.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE bands (
        id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, name_norm TEXT NOT NULL,
        country TEXT, location TEXT, status TEXT, formed INTEGER, years_active TEXT,
        genres TEXT NOT NULL DEFAULT '[]', themes TEXT NOT NULL DEFAULT '[]', label TEXT,
        sources TEXT NOT NULL DEFAULT '[]', extra TEXT NOT NULL DEFAULT '{}');
    CREATE INDEX bands_name_norm ON bands(name_norm);
    CREATE TABLE releases (
        id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, band_id INTEGER NOT NULL REFERENCES bands(id),
        title TEXT NOT NULL, title_norm TEXT NOT NULL, year INTEGER, type TEXT, label TEXT,
        sources TEXT NOT NULL DEFAULT '[]', extra TEXT NOT NULL DEFAULT '{}');
    CREATE INDEX releases_band ON releases(band_id);
    CREATE INDEX releases_title_norm ON releases(title_norm);
    CREATE TABLE refs (
        id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL CHECK (kind IN ('logo', 'album')),
        band_id INTEGER NOT NULL REFERENCES bands(id), release_id INTEGER REFERENCES releases(id),
        image TEXT NOT NULL, source_url TEXT, distractor INTEGER NOT NULL DEFAULT 0,
        sha256 TEXT, phash TEXT, width INTEGER, height INTEGER, thumbnail TEXT,
        extra TEXT NOT NULL DEFAULT '{}');
    CREATE INDEX refs_band ON refs(band_id);
    CREATE INDEX refs_release ON refs(release_id);
    """,
}

_BAND_FIELDS = ("country", "location", "status", "formed", "years_active", "label")
_RELEASE_FIELDS = ("year", "type", "label")


@dataclass(frozen=True)
class Reference:
    """One reference image row."""

    id: int
    key: str
    kind: str
    band_id: int
    release_id: int | None
    image: str
    source_url: str | None
    distractor: bool
    sha256: str | None
    phash: str | None
    width: int | None
    height: int | None
    thumbnail: str | None


class Catalog:
    """Bands, releases and references of one index. Thread-safe: one connection behind a lock."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self.path = path

    @classmethod
    def create(cls, path: str | Path) -> "Catalog":
        path = Path(path)
        if path.exists():
            raise CatalogError(f"{path} already exists")
        conn = sqlite3.connect(path, check_same_thread=False)
        catalog = cls(conn, path)
        catalog._migrate(0)
        return catalog

    @classmethod
    def open(cls, path: str | Path, readonly: bool = True) -> "Catalog":
        path = Path(path)
        if not path.is_file():
            raise CatalogError(f"{path}: catalogue database is missing; rebuild the index with `kyb index build`")
        uri = f"file:{path.resolve()}?mode={'ro' if readonly else 'rw'}"
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise CatalogError(f"{path}: not a readable catalogue database ({exc}); rebuild the index") from exc
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            conn.close()
            raise CatalogError(f"{path}: catalogue schema {version} is newer than this kyb ({SCHEMA_VERSION}): upgrade knowyourband")
        catalog = cls(conn, path)
        if version < SCHEMA_VERSION:
            if readonly:
                conn.close()
                raise CatalogError(f"{path}: catalogue schema {version} is old; run `kyb index add` once to migrate it")
            catalog._migrate(version)
        return catalog

    def _migrate(self, current: int) -> None:
        with self._lock, self._conn:
            for version in range(current + 1, SCHEMA_VERSION + 1):
                self._conn.executescript(MIGRATIONS[version])
            self._conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    def close(self) -> None:
        self._conn.close()

    # -- writing -------------------------------------------------------------------------------

    def add_source(self, source: CatalogSource) -> list[Reference]:
        """Insert the source's bands, releases and references; known keys are updated, not duplicated.

        Returns the references that are new to this catalogue (those an index must still process).
        """
        with self._lock, self._conn:
            band_ids = {b["id"]: self._upsert_band(b) for b in source.bands}
            release_ids = {r["id"]: self._upsert_release(r, band_ids[r["band_id"]]) for r in source.releases}
            known = {k for (k,) in self._conn.execute("SELECT key FROM refs")}
            new_keys = []
            for ref in source.references:
                if ref["id"] in known:
                    continue
                extra = {k: v for k, v in ref.items() if k not in (
                    "id", "kind", "band_id", "release_id", "image", "source_url", "distractor")}
                self._conn.execute(
                    "INSERT INTO refs (key, kind, band_id, release_id, image, source_url, distractor, extra)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (ref["id"], ref["kind"], band_ids[ref["band_id"]],
                     release_ids.get(ref.get("release_id")) if ref.get("release_id") else None,
                     ref["image"], ref.get("source_url"), int(bool(ref.get("distractor"))), json.dumps(extra)),
                )
                known.add(ref["id"])
                new_keys.append(ref["id"])
        return [self.reference_by_key(key) for key in new_keys]

    def _upsert_band(self, band: dict[str, Any]) -> int:
        values = [band.get(f) for f in _BAND_FIELDS]
        extra = {k: v for k, v in band.items() if k not in ("id", "name", "genres", "themes", "sources", *_BAND_FIELDS)}
        self._conn.execute(
            "INSERT INTO bands (key, name, name_norm, country, location, status, formed, years_active, label,"
            " genres, themes, sources, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET name=excluded.name, name_norm=excluded.name_norm,"
            " country=excluded.country, location=excluded.location, status=excluded.status,"
            " formed=excluded.formed, years_active=excluded.years_active, label=excluded.label,"
            " genres=excluded.genres, themes=excluded.themes, sources=excluded.sources, extra=excluded.extra",
            (band["id"], band["name"], normalize(band["name"]), *values,
             json.dumps(band.get("genres") or []), json.dumps(band.get("themes") or []),
             json.dumps(band.get("sources") or []), json.dumps(extra)),
        )
        return self._conn.execute("SELECT id FROM bands WHERE key = ?", (band["id"],)).fetchone()[0]

    def _upsert_release(self, release: dict[str, Any], band_id: int) -> int:
        extra = {k: v for k, v in release.items() if k not in ("id", "band_id", "title", "sources", *_RELEASE_FIELDS)}
        self._conn.execute(
            "INSERT INTO releases (key, band_id, title, title_norm, year, type, label, sources, extra)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET band_id=excluded.band_id, title=excluded.title,"
            " title_norm=excluded.title_norm, year=excluded.year, type=excluded.type, label=excluded.label,"
            " sources=excluded.sources, extra=excluded.extra",
            (release["id"], band_id, release["title"], normalize(release["title"]), release.get("year"),
             release.get("type"), release.get("label"), json.dumps(release.get("sources") or []), json.dumps(extra)),
        )
        return self._conn.execute("SELECT id FROM releases WHERE key = ?", (release["id"],)).fetchone()[0]

    def set_image_info(self, reference_id: int, *, sha256: str, phash: str | None, width: int, height: int,
                       thumbnail: str | None) -> None:
        with self._lock, self._conn:
            self._conn.execute(
                "UPDATE refs SET sha256 = ?, phash = ?, width = ?, height = ?, thumbnail = ? WHERE id = ?",
                (sha256, phash, width, height, thumbnail, reference_id),
            )

    def remove_references(self, reference_ids: list[int]) -> None:
        """Drop references (e.g. images that could not be read during a build)."""
        with self._lock, self._conn:
            self._conn.executemany("DELETE FROM refs WHERE id = ?", [(i,) for i in reference_ids])

    # -- reading -------------------------------------------------------------------------------

    def _rows(self, sql: str, args: tuple = ()) -> list[dict[str, Any]]:
        with self._lock:
            cur = self._conn.execute(sql, args)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]

    def references(self) -> Iterator[Reference]:
        for row in self._rows("SELECT * FROM refs ORDER BY id"):
            yield _reference(row)

    def reference(self, reference_id: int) -> Reference | None:
        rows = self._rows("SELECT * FROM refs WHERE id = ?", (reference_id,))
        return _reference(rows[0]) if rows else None

    def reference_by_key(self, key: str) -> Reference | None:
        rows = self._rows("SELECT * FROM refs WHERE key = ?", (key,))
        return _reference(rows[0]) if rows else None

    def count(self, table: str) -> int:
        if table not in ("bands", "releases", "refs"):
            raise ValueError(table)
        return self._rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]

    def band(self, band_id: int) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM bands WHERE id = ?", (band_id,))
        return _decode_json(rows[0]) if rows else None

    def release(self, release_id: int) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM releases WHERE id = ?", (release_id,))
        return _decode_json(rows[0]) if rows else None

    def band_releases(self, band_id: int) -> list[dict[str, Any]]:
        rows = self._rows("SELECT * FROM releases WHERE band_id = ? ORDER BY year IS NULL, year, title", (band_id,))
        return [_decode_json(r) for r in rows]

    def band_references(self, band_id: int) -> list[Reference]:
        return [_reference(r) for r in self._rows("SELECT * FROM refs WHERE band_id = ? ORDER BY id", (band_id,))]

    def release_references(self, release_id: int) -> list[Reference]:
        return [_reference(r) for r in self._rows("SELECT * FROM refs WHERE release_id = ? ORDER BY id", (release_id,))]

    def band_ref(self, band_id: int) -> BandRef:
        row = self._rows("SELECT id, key, name, country FROM bands WHERE id = ?", (band_id,))[0]
        return BandRef(id=row["id"], key=row["key"], name=row["name"], country=row["country"])

    def release_ref(self, release_id: int | None) -> ReleaseRef | None:
        if release_id is None:
            return None
        row = self._rows("SELECT id, key, title, year FROM releases WHERE id = ?", (release_id,))[0]
        return ReleaseRef(id=row["id"], key=row["key"], title=row["title"], year=row["year"])

    def search(self, query: str, limit: int = 20) -> dict[str, list[dict[str, Any]]]:
        """Bands and releases whose name contains `query`, folding case, accents and punctuation.

        Exact matches rank first, then prefixes, then the rest alphabetically.
        """
        q = normalize(query)
        if not q:
            return {"bands": [], "releases": []}
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rank = "CASE WHEN {col} = ? THEN 0 WHEN {col} LIKE ? ESCAPE '\\' THEN 1 ELSE 2 END"
        prefix = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        bands = self._rows(
            f"SELECT * FROM bands WHERE name_norm LIKE ? ESCAPE '\\' ORDER BY {rank.format(col='name_norm')}, name LIMIT ?",
            (like, q, prefix, limit),
        )
        releases = self._rows(
            f"SELECT * FROM releases WHERE title_norm LIKE ? ESCAPE '\\'"
            f" ORDER BY {rank.format(col='title_norm')}, title LIMIT ?",
            (like, q, prefix, limit),
        )
        return {"bands": [_decode_json(b) for b in bands], "releases": [_decode_json(r) for r in releases]}


def _decode_json(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key in ("genres", "themes", "sources"):
        if key in out:
            out[key] = json.loads(out[key])
    extra = json.loads(out.pop("extra", "{}") or "{}")
    return {**extra, **out}


def _reference(row: dict[str, Any]) -> Reference:
    return Reference(**{k: row[k] for k in Reference.__dataclass_fields__ if k != "distractor"},
                     distractor=bool(row["distractor"]))
