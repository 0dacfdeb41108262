"""Perceptual hashes (dHash, pHash) to find the same picture uploaded twice, resized or recompressed."""

from __future__ import annotations

import cv2
import numpy as np

# Bits of 64 (docs/collect.md): a cover resized + recompressed moves pHash <= 2 and dHash <= 3 bits;
# different covers are >= 14 (pHash) and >= 13 (dHash) apart. A duplicate must be close on both.
PHASH_MAX_DISTANCE = 8
DHASH_MAX_DISTANCE = 10


def dhash(grey: np.ndarray) -> int:
    """64-bit difference hash of a `(H, W) uint8` image: is each pixel of a 9x8 thumbnail brighter than the next."""
    small = cv2.resize(grey, (9, 8), interpolation=cv2.INTER_AREA).astype(np.int16)
    return _pack(small[:, 1:] > small[:, :-1])


def phash(grey: np.ndarray) -> int:
    """64-bit DCT hash of a `(H, W) uint8` image: the 8x8 lowest frequencies of a 32x32 thumbnail against their median.

    The DC term is left out of the median: it only says how bright the image is.
    """
    small = cv2.resize(grey, (32, 32), interpolation=cv2.INTER_AREA).astype(np.float32)
    low = cv2.dct(small)[:8, :8]
    median = np.median(low.flatten()[1:])
    return _pack(low > median)


def _pack(bits: np.ndarray) -> int:
    value = 0
    for bit in bits.flatten():
        value = (value << 1) | int(bit)
    return value


def distance(a: int, b: int) -> int:
    """Hamming distance between two 64-bit hashes."""
    return (a ^ b).bit_count()


def to_hex(value: int) -> str:
    return f"{value:016x}"


def find_duplicates(hashes: dict[str, tuple[int, int]], groups: dict[str, str]) -> dict[str, str]:
    """Which references repeat an earlier one of the same group: `{duplicate_id: kept_id}`.

    `hashes` maps reference id -> (pHash, dHash), in the order references were collected (the first
    one is kept); `groups` maps reference id -> identity (a release for covers, a band for logos). Only
    pictures of the same identity are dropped: two releases sharing one cover stay apart, because the
    index tells identities apart and a missing reference would lose a release.
    """
    kept: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    duplicates = {}
    for ref_id, (p, d) in hashes.items():
        group = kept.setdefault(groups[ref_id], [])
        match = next((other for other, (op, od) in group
                      if distance(p, op) <= PHASH_MAX_DISTANCE and distance(d, od) <= DHASH_MAX_DISTANCE), None)
        if match is None:
            group.append((ref_id, (p, d)))
        else:
            duplicates[ref_id] = match
    return duplicates


def image_hashes(grey: np.ndarray) -> dict[str, str]:
    """The `phash` and `dhash` keys a reference carries, as 16 hex digits each, for a `(H, W) uint8` image."""
    return {"phash": to_hex(phash(grey)), "dhash": to_hex(dhash(grey))}
