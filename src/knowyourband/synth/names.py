"""Fictional band names, album titles and band facts that read like a metal encyclopaedia."""

from __future__ import annotations

import re

import numpy as np

ADJECTIVES = (
    "Necrotic Frozen Eternal Black Grim Funeral Infernal Ancient Rotting Blasphemous Abyssal Cursed "
    "Burning Hollow Silent Iron Crimson Forsaken Profane Unholy Wretched Savage Morbid Desolate Obsidian "
    "Ashen Withered Ravenous Sepulchral Cryptic Nocturnal Putrid Venomous Howling Shattered Bleeding "
    "Malignant Astral Hateful Dying Wintry Pale Sunken Serpentine Barbaric Vile Lunar Primal Feral "
    "Mournful Thorned Woeful Godless Carnal Molten Chthonic Spectral Occult Frostbitten Storming"
).split()
NOUNS = (
    "Throne Grave Crypt Altar Serpent Raven Wolf Winter Storm Tomb Abyss Hammer Blade Flame Shadow Plague "
    "Oath Chalice Sepulchre Gallows Specter Wraith Harvest Cathedral Monolith Mist Forest Horde Legion Reaper "
    "Covenant Dominion Pyre Carcass Ossuary Maw Vortex Eclipse Void Citadel Scourge Gate Torment Requiem "
    "Banshee Crown Sigil Rune Gorgon Hydra Leviathan Behemoth Kraken Vulture Jackal Pestilence Dusk Dawn "
    "Frost Ember Ruin Relic Spire Cairn Fjord Glacier Chasm Labyrinth Obelisk Marrow Sinew Veil Morass"
).split()
COMPOUND_HEADS = "Grim Blood Frost Doom Hell Death Night Storm Dread Bone Dark Ash Gore Soul Fire Skull War Wolf Hate Iron".split()
COMPOUND_TAILS = "frost thorn wraith spire moor fang crown blade hammer gore lord mourn cult rot gate veil reign bane fall forge".split()
LATIN = "Mortis Infernum Tenebrae Sanguis Umbra Noctis Lux Ignis Aeternum Diaboli Obscura Mors Vox Rex Tempestas".split()
PREFIXES = "Ad In Ex Per Sub Ultra Anno".split()
PLURALS = "Executioners Gravediggers Heretics Defilers Apostates Lepers Invaders Conjurers Slayers Vandals".split()

TITLE_VERBS = "Under Beyond Beneath Through Into Against Upon Before Across Within".split()
TITLE_PLACES = (
    "the Frozen Moon|the Black Gate|a Dying Sun|the Iron Sky|Forgotten Halls|the Crimson Veil|the Seventh Seal|"
    "Ashen Fields|the Serpent's Coil|a Thousand Graves|the Northern Void|Eternal Night|the Last Pyre|"
    "Hollow Mountains|the Pale Throne|Silent Fjords|the Burning Abyss|Starless Skies|the Bleeding Woods"
).split("|")
TITLE_SUBTITLES = (
    "The Burning|Part II|A Requiem|The Final Hour|Chapter One|The Awakening|Revelations|In Memoriam|"
    "The Descent|Origins|Blood and Iron|The Return|Of Fire and Frost|Live Rituals|Demo 1991"
).split("|")
# How a title and its subtitle are joined: the same words, spelled differently (the hard case).
SUBTITLE_JOINS = (": {}", " ({})", "; {}", " - {}", " – {}")

COUNTRIES = {
    "Norway": ("Bergen", "Oslo", "Trondheim", "Tromsø"),
    "Sweden": ("Stockholm", "Gothenburg", "Umeå", "Uppsala"),
    "Finland": ("Helsinki", "Tampere", "Turku", "Oulu"),
    "Germany": ("Berlin", "Hamburg", "Essen", "Leipzig"),
    "United States": ("Tampa, Florida", "Los Angeles, California", "Chicago, Illinois", "Seattle, Washington"),
    "United Kingdom": ("Birmingham, England", "Glasgow, Scotland", "Leeds, England"),
    "Poland": ("Kraków", "Warsaw", "Gdańsk"),
    "Brazil": ("Belo Horizonte", "São Paulo", "Curitiba"),
    "Greece": ("Athens", "Thessaloniki"),
    "France": ("Paris", "Lyon", "Bordeaux"),
    "Netherlands": ("Amsterdam", "Eindhoven", "Utrecht"),
    "Canada": ("Montréal, Quebec", "Toronto, Ontario", "Vancouver, British Columbia"),
    "Italy": ("Rome", "Milan", "Turin"),
    "Czechia": ("Prague", "Brno"),
    "Chile": ("Santiago", "Valparaíso"),
    "Japan": ("Tokyo", "Osaka"),
    "Australia": ("Melbourne, Victoria", "Sydney, New South Wales"),
    "Ukraine": ("Kyiv", "Kharkiv"),
    "Colombia": ("Medellín", "Bogotá"),
    "Iceland": ("Reykjavík",),
}
GENRES = (
    "Black Metal|Death Metal|Thrash Metal|Doom Metal|Heavy Metal|Melodic Death Metal|Atmospheric Black Metal|"
    "Death/Doom Metal|Blackened Death Metal|Speed Metal|Grindcore|Funeral Doom Metal|Progressive Metal|"
    "Symphonic Black Metal|Folk Metal|Power Metal|Sludge Metal|Brutal Death Metal|Black/Thrash Metal|Viking Metal"
).split("|")
THEMES = (
    "Darkness|Winter|Death|Satanism|War|Mythology|Nature|Occultism|Misanthropy|Gore|Anti-religion|History|"
    "Paganism|Cosmos|Madness|Depression|Norse mythology|Horror|Apocalypse|Alchemy"
).split("|")
LABEL_WORDS = "Frostbite Obscure Hellion Nuclear Grave Iron Bone Shadow Necro Raven Abyss Crypt Vault Howling".split()
LABEL_SUFFIXES = ("Records", "Productions", "Music", "Recordings", "Prod.")
STATUSES = ("Active", "Active", "Active", "Split-up", "Split-up", "On hold", "Changed name", "Unknown")
RELEASE_TYPES = ("Full-length", "Full-length", "Full-length", "EP", "Demo", "Split", "Live album", "Compilation")


def _choice(rng: np.random.Generator, items: tuple[str, ...] | list[str]) -> str:
    return items[int(rng.integers(len(items)))]


def band_name(rng: np.random.Generator) -> str:
    """A plausible band name, e.g. "Necrotic Throne", "Grimfrost", "Temple of Ash", "Ad Infernum"."""
    pattern = int(rng.integers(7))
    if pattern == 0:
        return f"{_choice(rng, ADJECTIVES)} {_choice(rng, NOUNS)}"
    if pattern == 1:
        return _choice(rng, COMPOUND_HEADS) + _choice(rng, COMPOUND_TAILS)
    if pattern == 2:
        return f"{_choice(rng, NOUNS)} of {_choice(rng, NOUNS)}"
    if pattern == 3:
        return f"{_choice(rng, PREFIXES)} {_choice(rng, LATIN)}"
    if pattern == 4:
        return _choice(rng, NOUNS)
    if pattern == 5:
        return f"{_choice(rng, ADJECTIVES)} {_choice(rng, PLURALS)}"
    return f"{_choice(rng, LATIN)} {_choice(rng, LATIN)}"


def album_title(rng: np.random.Generator) -> tuple[str, str | None]:
    """A plausible album title and, sometimes, a subtitle (join them with `with_subtitle`)."""
    pattern = int(rng.integers(5))
    if pattern == 0:
        base = f"{_choice(rng, TITLE_VERBS)} {_choice(rng, TITLE_PLACES)}"
    elif pattern == 1:
        base = f"{_choice(rng, ADJECTIVES)} {_choice(rng, NOUNS)}"
    elif pattern == 2:
        base = f"{_choice(rng, NOUNS)}s of the {_choice(rng, ADJECTIVES)} {_choice(rng, NOUNS)}"
    elif pattern == 3:
        base = _choice(rng, LATIN) + " " + _choice(rng, LATIN)
    else:
        base = f"The {_choice(rng, NOUNS)} {_choice(rng, ['Rises', 'Falls', 'Awaits', 'Returns', 'Burns'])}"
    return base, (_choice(rng, TITLE_SUBTITLES) if rng.random() < 0.3 else None)


def with_subtitle(title: str, subtitle: str, style: int) -> str:
    """Join title and subtitle in spelling `style` (index into SUBTITLE_JOINS): "X: Y", "X (Y)", "X; Y"…"""
    return title + SUBTITLE_JOINS[style % len(SUBTITLE_JOINS)].format(subtitle)


def label_name(rng: np.random.Generator) -> str:
    """A record label, or the encyclopaedia's word for none."""
    if rng.random() < 0.12:
        return "Unsigned/independent"
    return f"{_choice(rng, LABEL_WORDS)} {_choice(rng, LABEL_SUFFIXES)}"


def band_facts(rng: np.random.Generator) -> dict[str, object]:
    """Country, location, status, formed, years_active, genres, themes and label of one band."""
    country = _choice(rng, sorted(COUNTRIES))
    formed = int(rng.integers(1980, 2021))
    status = _choice(rng, STATUSES)
    if status == "Active":
        if rng.random() < 0.2:
            pause = int(rng.integers(formed + 1, 2023))
            years = f"{formed}-{pause}, {int(rng.integers(pause + 1, 2025))}-present"
        else:
            years = f"{formed}-present"
    elif status == "Unknown":
        years = f"{formed}-?"
    else:
        years = f"{formed}-{int(rng.integers(formed + 1, 2025))}"
    genres = sorted({_choice(rng, GENRES) for _ in range(int(rng.integers(1, 3)))})
    themes = sorted({_choice(rng, THEMES) for _ in range(int(rng.integers(1, 4)))})
    return {
        "country": country,
        "location": _choice(rng, COUNTRIES[country]),
        "status": status,
        "formed": formed,
        "years_active": years,
        "genres": genres,
        "themes": themes,
        "label": label_name(rng),
    }


def active_until(facts: dict[str, object], now: int = 2025) -> int:
    """The last year a band was active, read from its `years_active` ("1991-2003, 2010-present")."""
    span = str(facts["years_active"]).rsplit("-", 1)[-1]
    return int(span) if re.fullmatch(r"\d{4}", span) else now


def release_type(rng: np.random.Generator) -> str:
    """Full-length (most often), EP, Demo, Split, Live album or Compilation."""
    return _choice(rng, RELEASE_TYPES)
