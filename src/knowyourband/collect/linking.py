"""Link what two sources say about one band or album (thesis §5.3): same-name bands, differently spelled titles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from knowyourband.text import main_title_key, name_key, title_key

_RANGE = re.compile(r"(\d{4}|\?)\s*-\s*(\d{4}|present|\?)|(\d{4})")
MIN_SCORE = 0.5  # below this, several same-name candidates stay unlinked rather than guessed
YEAR_SLACK = 1  # reissues and late registrations: a year either side still counts


@dataclass
class BandEvidence:
    """What a second source knows about a band it wants to link: its name, titles, country and years."""

    name: str
    titles: list[str]
    country: str | None = None
    years: list[int] | None = None


def active_ranges(years_active: str | None, formed: int | None = None) -> list[tuple[int, int]]:
    """`"1983-1984 (as Mantas), 1984-2001"` -> `[(1983, 1984), (1984, 2001)]`; "present" is this year."""
    ranges = []
    for start, end, single in _RANGE.findall(years_active or ""):
        if single:
            ranges.append((int(single), int(single)))
        elif start != "?":
            last = date.today().year if end in ("present", "?") else int(end)
            ranges.append((int(start), last))
    if not ranges and formed:
        ranges.append((formed, date.today().year))
    return ranges


def titles_match(a: str, b: str) -> bool:
    """Same release title however spelled: full keys equal, or one side lacks the other's subtitle."""
    if title_key(a) == title_key(b):
        return True
    return main_title_key(a) == main_title_key(b) and (main_title_key(a) in (title_key(a), title_key(b)))


def band_score(band: dict[str, Any], band_titles: list[str], evidence: BandEvidence) -> float:
    """How well `evidence` fits `band` (a catalogue band dict): 0 (nothing shared) to 5.

    Discography overlap weighs most (3 x the share of the evidence's titles the band has), then
    country (1 when both are known and equal, -1 when they differ) and years (1 x the share of the
    evidence's release years inside the band's active years).
    """
    score = 0.0
    if evidence.titles:
        shared = sum(any(titles_match(t, mine) for mine in band_titles) for t in evidence.titles)
        score += 3.0 * shared / len(evidence.titles)
    if evidence.country and band.get("country"):
        score += 1.0 if evidence.country.casefold() == band["country"].casefold() else -1.0
    ranges = active_ranges(band.get("years_active"), band.get("formed"))
    if evidence.years and ranges:
        inside = sum(any(a - YEAR_SLACK <= y <= b + YEAR_SLACK for a, b in ranges) for y in evidence.years)
        score += inside / len(evidence.years)
    return score


def choose_band(bands: dict[str, dict[str, Any]], releases: dict[str, dict[str, Any]],
                evidence: BandEvidence) -> tuple[str | None, str]:
    """The id of the catalogue band `evidence` describes, or None, with the reason.

    One band of that name is taken unless the evidence contradicts it (nothing shared: score <= 0);
    among several same-name bands the best score wins when it reaches `MIN_SCORE` and beats the
    runner-up, otherwise none is chosen (a wrong link would give one band the other's covers).
    """
    key = name_key(evidence.name)
    candidates = [b for b in bands.values() if name_key(b["name"]) == key]
    if not candidates:
        return None, "no band of that name yet"
    titles_of: dict[str, list[str]] = {}
    for release in releases.values():
        titles_of.setdefault(release["band_id"], []).append(release["title"])
    scored = sorted(((band_score(b, titles_of.get(b["id"], []), evidence), b["id"]) for b in candidates), reverse=True)
    if len(candidates) == 1:
        if scored[0][0] > 0 or not (evidence.titles or evidence.years or evidence.country):
            return candidates[0]["id"], "the only band of that name"
        return None, "the only band of that name shares no release, years or country with it"
    (best, best_id), (second, _) = scored[0], scored[1]
    if best >= MIN_SCORE and best > second:
        return best_id, f"best of {len(candidates)} same-name bands (score {best:.2f} vs {second:.2f})"
    return None, f"{len(candidates)} bands share the name and the facts do not tell them apart"


def find_release(releases: dict[str, dict[str, Any]], band_id: str, title: str, year: int | None) -> str | None:
    """The id of `band_id`'s release titled `title` (spelling-tolerant), the nearest year winning a tie."""
    matches = [r for r in releases.values() if r["band_id"] == band_id and titles_match(r["title"], title)]
    if not matches:
        return None
    if year is None:
        return matches[0]["id"]
    return min(matches, key=lambda r: abs((r.get("year") or year) - year))["id"]
