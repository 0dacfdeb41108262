"""The catalogue: sources (`catalog.json`/`catalog.csv`) and the SQLite store inside an index."""

from knowyourband.catalog.source import CatalogSource, load_source
from knowyourband.catalog.store import SCHEMA_VERSION, Catalog, Reference

__all__ = ["Catalog", "CatalogSource", "Reference", "SCHEMA_VERSION", "load_source"]
