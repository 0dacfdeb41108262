"""The catalogue a collector builds, merged into what the output folder already holds, written atomically."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from knowyourband.collect.files import atomic_write_json
from knowyourband.collect.http import utc_now
from knowyourband.errors import CatalogError

log = logging.getLogger(__name__)

CATALOG_FILE = "catalog.json"


class CatalogBuilder:
    """Bands, releases and references keyed by their stable ids, in `docs/formats.md`'s shape.

    Adding an entry that exists merges it: new non-empty facts win, sources are joined. So a second
    collector run into the same folder (another band, another source) grows one catalogue.
    """

    def __init__(self, name: str, generator: dict[str, Any]) -> None:
        self.name = name
        self.generator = generator
        self.created = utc_now()
        self.bands: dict[str, dict[str, Any]] = {}
        self.releases: dict[str, dict[str, Any]] = {}
        self.references: dict[str, dict[str, Any]] = {}
        self.missing: dict[str, dict[str, Any]] = {}  # url -> what could not be fetched (404s)
        self.flags: list[dict[str, Any]] = []  # bands/references a person should look at

    @classmethod
    def open(cls, out_dir: Path, name: str, generator: dict[str, Any]) -> CatalogBuilder:
        """A builder holding `out_dir/catalog.json` when it exists (so runs accumulate), else an empty one."""
        builder = cls(name, generator)
        path = out_dir / CATALOG_FILE
        if not path.is_file():
            return builder
        try:
            data = json.loads(path.read_text("utf-8"))
        except ValueError as exc:
            hint = "move it away and rerun (the cache makes the rerun quick)"
            raise CatalogError(f"{path} is not valid JSON ({exc}); {hint}") from exc
        builder.created = data.get("created", builder.created)
        for key in ("bands", "releases", "references"):
            getattr(builder, key).update({item["id"]: item for item in data.get(key, [])})
        builder.missing.update({item["url"]: item for item in data.get("missing", [])})
        builder.flags = list(data.get("flags", []))
        return builder

    def add_band(self, band: dict[str, Any]) -> None:
        _merge(self.bands, band)

    def add_release(self, release: dict[str, Any]) -> None:
        _merge(self.releases, release)

    def add_reference(self, reference: dict[str, Any]) -> None:
        self.references[reference["id"]] = reference

    def drop_reference(self, ref_id: str) -> None:
        self.references.pop(ref_id, None)

    def add_missing(self, url: str, status: int, what: str) -> None:
        self.missing[url] = {"url": url, "status": status, "what": what}

    def found(self, url: str) -> None:
        """`url` answered after all (a rerun with a fresh cache): it is no longer missing."""
        self.missing.pop(url, None)

    def add_flag(self, item_id: str, reason: str) -> None:
        """Note a band or reference a person should look at (once per id)."""
        if not any(flag["id"] == item_id for flag in self.flags):
            self.flags.append({"id": item_id, "reason": reason})

    def to_dict(self, partial: bool = False) -> dict[str, Any]:
        return {
            "format": "kyb-catalog",
            "version": 1,
            "name": self.name,
            "created": self.created,
            "updated": utc_now(),
            "generator": {**self.generator, "partial": partial},
            "bands": list(self.bands.values()),
            "releases": list(self.releases.values()),
            "references": list(self.references.values()),
            "missing": list(self.missing.values()),
            "flags": self.flags,
        }

    def write(self, out_dir: Path, partial: bool = False) -> Path:
        """Write `out_dir/catalog.json` atomically; `partial=True` marks a checkpoint of an unfinished run."""
        path = out_dir / CATALOG_FILE
        atomic_write_json(path, self.to_dict(partial))
        log.info("wrote %s: %d bands, %d releases, %d references", path, len(self.bands),
                 len(self.releases), len(self.references))
        return path


def _merge(table: dict[str, dict[str, Any]], entry: dict[str, Any]) -> None:
    """Insert `entry`, or fold it into the entry with the same id: facts that are set win, sources join."""
    entry = {key: value for key, value in entry.items() if value not in ("", None, [])}
    old = table.get(entry["id"])
    if old is None:
        entry.setdefault("sources", [])
        table[entry["id"]] = entry
        return
    sources = list(old.get("sources", []))
    for source in entry.pop("sources", []):
        sources = [s for s in sources if s.get("url") != source.get("url")] + [source]
    old.update(entry)
    old["sources"] = sources
