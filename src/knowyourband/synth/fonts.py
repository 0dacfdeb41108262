"""Font discovery: the installed Debian font faces KYB-Synth draws logos and covers with."""

from __future__ import annotations

import functools
import logging
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import ImageFont

from knowyourband.errors import KybError

log = logging.getLogger(__name__)

FONT_ROOT = Path("/usr/share/fonts")
FONT_SUFFIXES = {".ttf", ".otf"}
# Which folder (one per Debian package) gives which kind of lettering. Anything not named here is
# treated as decorative: fonts-aenigma alone brings 465 display faces.
BLACKLETTER_DIRS = {"blankenburg", "gotico-antiqua"}
PLAIN_DIRS = {"dejavu", "liberation", "urw-base35", "fonts-oldstandard", "junicode", "radisnoir",
              "yanone-kaffeesatz"}
PACKAGES = ("fonts-aenigma", "fonts-gotico-antiqua", "fonts-blankenburg", "fonts-dejavu-core",
            "fonts-liberation", "fonts-urw-base35")
PROBE_SIZE = 40


class FontError(KybError):
    """No usable font is installed."""


@dataclass(frozen=True)
class Fonts:
    """Usable font files by kind, each list sorted by path so choices are reproducible."""

    blackletter: tuple[str, ...]
    decorative: tuple[str, ...]
    plain: tuple[str, ...]

    def pick(self, rng: np.random.Generator, kind: str) -> str:
        """One font path of `kind` (`blackletter`, `decorative` or `plain`), falling back to any kind."""
        pool = getattr(self, kind) or self.decorative or self.plain or self.blackletter
        return pool[int(rng.integers(len(pool)))]


def _mask_bytes(font: ImageFont.FreeTypeFont, ch: str) -> bytes:
    return bytes(font.getmask(ch))


def usable(path: Path) -> bool:
    """Whether a face draws every Latin letter as a real glyph (not a missing-glyph box, not dingbats)."""
    try:
        font = ImageFont.truetype(str(path), PROBE_SIZE)
        missing = _mask_bytes(font, "\U0010fffd")
        seen = set()
        for ch in string.ascii_letters:
            mask = _mask_bytes(font, ch)
            if not mask.strip(b"\x00") or mask == missing:
                return False
            seen.add(mask)
        # Dingbat faces draw pictures of similar width for every letter; real type has a narrow I.
        width_i = font.getbbox("I")[2] - font.getbbox("I")[0]
        width_w = font.getbbox("W")[2] - font.getbbox("W")[0]
        return len(seen) >= 26 and width_i < 0.8 * width_w
    except (OSError, ValueError):
        return False


@functools.lru_cache(maxsize=4)
def discover(root: Path = FONT_ROOT) -> Fonts:
    """Scan `root` for usable faces, sorted by path; raises FontError naming the packages if none."""
    groups: dict[str, list[str]] = {"blackletter": [], "decorative": [], "plain": []}
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in FONT_SUFFIXES) if root.is_dir() else []
    for path in files:
        if not usable(path):
            continue
        folder = path.parent.name
        kind = "blackletter" if folder in BLACKLETTER_DIRS else "plain" if folder in PLAIN_DIRS else "decorative"
        groups[kind].append(str(path))
    fonts = Fonts(**{k: tuple(v) for k, v in groups.items()})
    total = sum(len(v) for v in groups.values())
    if total == 0:
        raise FontError(
            f"no usable .ttf/.otf fonts under {root}: install the Debian packages "
            f"{', '.join(PACKAGES)} (all are listed in scripts/system-packages.txt; "
            "`bash tasks.sh setup` installs them)"
        )
    log.info("fonts: %d blackletter, %d decorative, %d plain", *(len(v) for v in groups.values()))
    return fonts


@functools.lru_cache(maxsize=256)
def load(path: str, size: int) -> ImageFont.FreeTypeFont:
    """A cached FreeType face at a pixel size."""
    return ImageFont.truetype(path, size)


@functools.lru_cache(maxsize=8192)
def has_glyph(path: str, ch: str) -> bool:
    """Whether the face draws `ch` as its own glyph rather than the missing-glyph box or nothing."""
    if ch.isspace():
        return True
    font = load(path, PROBE_SIZE)
    mask = _mask_bytes(font, ch)
    return bool(mask.strip(b"\x00")) and mask != _mask_bytes(font, "\U0010fffd")


# What a typesetter would use when a face lacks a character.
SUBSTITUTES = {"–": "-", "—": "-", "’": "'", ";": ":", "(": "-", ")": ""}


def drawable(path: str, text: str) -> str:
    """`text` with characters the face lacks replaced by a near equivalent, or dropped."""
    out = []
    for ch in text:
        if not has_glyph(path, ch):
            ch = SUBSTITUTES.get(ch, "")
            ch = ch if ch and has_glyph(path, ch) else ""
        out.append(ch)
    return "".join(out)
