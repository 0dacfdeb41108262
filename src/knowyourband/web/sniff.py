"""Tell an image upload from anything else by its first bytes (HTTP 415 vs 422)."""

from __future__ import annotations

# Signatures of the formats `imageio.load_image` decodes. A file that starts like none of them
# is the wrong media type (415); one that starts right but will not decode is corrupt (422).
_PREFIXES = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",  # PNG
    b"GIF87a",
    b"GIF89a",
    b"BM",  # BMP
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
)
_ISO_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis")


def looks_like_image(head: bytes) -> bool:
    """True when `head` (the first ≥ 16 bytes of a file) starts like a supported image format."""
    if head.startswith(_PREFIXES):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    return head[4:8] == b"ftyp" and head[8:12] in _ISO_BRANDS
