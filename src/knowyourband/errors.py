"""Errors the user can act on; their messages say what went wrong and what to do."""


class KybError(Exception):
    """Base class: the CLI prints these without a traceback, the API maps them to 4xx."""


class ImageError(KybError):
    """An input image cannot be read: corrupt, unsupported, or too large."""


class IndexFormatError(KybError):
    """An index directory is missing, truncated, or of an unknown format version."""


class CatalogError(KybError):
    """A catalogue source (catalog.json / catalog.csv) is malformed or empty."""
