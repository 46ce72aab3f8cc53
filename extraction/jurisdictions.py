"""Jurisdiction names used by term extraction (governing law), with normalization."""

from __future__ import annotations

US_STATES: tuple[str, ...] = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
    "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan",
    "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire",
    "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
    "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota",
    "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "West Virginia",
    "Wisconsin", "Wyoming", "District of Columbia", "Puerto Rico",
)  # fmt: skip

CANADIAN_PROVINCES: tuple[str, ...] = (
    "Ontario", "Quebec", "British Columbia", "Alberta", "Manitoba", "Saskatchewan",
    "Nova Scotia", "New Brunswick", "Newfoundland and Labrador", "Prince Edward Island",
)  # fmt: skip

AUSTRALIAN_STATES: tuple[str, ...] = (
    "New South Wales", "Victoria", "Queensland", "Western Australia", "South Australia",
    "Tasmania",
)  # fmt: skip

COUNTRIES: tuple[str, ...] = (
    "England and Wales", "England", "Scotland", "Northern Ireland", "United Kingdom", "Ireland",
    "Hong Kong", "Singapore", "China", "Taiwan", "Japan", "Korea", "India", "Israel",
    "Switzerland", "Germany", "France", "Italy", "Spain", "Netherlands", "Belgium", "Sweden",
    "Norway", "Denmark", "Finland", "Austria", "Luxembourg", "Canada", "Australia",
    "New Zealand", "South Africa", "Brazil", "Mexico", "Argentina", "Chile", "Kazakhstan",
    "Russia", "Cayman Islands", "Bermuda", "British Virgin Islands", "Cyprus", "Malta",
    "Philippines", "Malaysia", "Thailand", "Indonesia", "Vietnam", "United States",
)  # fmt: skip

# Alternative spellings -> canonical name.
ALIASES: dict[str, str] = {
    "people's republic of china": "China",
    "peoples republic of china": "China",
    "the prc": "China",
    "prc": "China",
    "p.r.c.": "China",
    "p.r. china": "China",
    "pr china": "China",
    "republic of china": "Taiwan",
    "r.o.c.": "Taiwan",
    "r.o.c": "Taiwan",
    "hong kong sar": "Hong Kong",
    "hong kong special administrative region": "Hong Kong",
    "federal republic of germany": "Germany",
    "republic of south africa": "South Africa",
    "republic of kazakhstan": "Kazakhstan",
    "republic of korea": "Korea",
    "south korea": "Korea",
    "the netherlands": "Netherlands",
    "commonwealth of massachusetts": "Massachusetts",
    "commonwealth of pennsylvania": "Pennsylvania",
    "commonwealth of virginia": "Virginia",
    "commonwealth of kentucky": "Kentucky",
    "england & wales": "England and Wales",
    "state of israel": "Israel",
    "u.k.": "United Kingdom",
    "uk": "United Kingdom",
    "great britain": "United Kingdom",
    "united states of america": "United States",
    "u.s.a.": "United States",
    "nyc": "New York",
}

ALL_JURISDICTIONS: tuple[str, ...] = US_STATES + CANADIAN_PROVINCES + AUSTRALIAN_STATES + COUNTRIES

_CANON = {j.lower(): j for j in ALL_JURISDICTIONS}


def canonical(name: str) -> str | None:
    """The canonical jurisdiction for a surface form, or None when unknown."""
    key = " ".join(name.lower().replace("’", "'").split())
    if key in ALIASES:
        return ALIASES[key]
    return _CANON.get(key)


def surface_forms() -> list[str]:
    """Every surface form to match (canonical names and aliases)."""
    forms = list(ALL_JURISDICTIONS)
    forms.extend(ALIASES)
    return forms
