"""Quantities and jurisdictions in words: "sixty (60) days' notice", "net 45", "2x fees",
"German law". One reader for a rep's question and for a counterparty's clause, so a value is
read the same way whichever path asks the playbook.

A blank spaCy English pipeline gives tokens; the words around each quantity tell which
parameter it sets ("60 days' notice" vs "net 60").
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from pydantic import BaseModel

from extraction import canonical_jurisdiction, jurisdiction_names, parse_number

QuantityKind = Literal["money", "percent", "multiple", "days", "months", "hours", "count"]


class Quantity(BaseModel):
    kind: QuantityKind
    value: float
    text: str
    start: int
    end: int
    context: list[str]  # lower-case words around it, for assigning it to a parameter
    before: list[str] = []  # the words just before it, nearest first
    after: list[str] = []  # the words just after it, nearest first
    period: bool = False  # a rate's period ("a year", "monthly"), not a duration
    # A count's period in months: "twice a year" is 2 per 12 months, "4 times a month" 4 per 1.
    per: float | None = None


class Mention(BaseModel):
    value: str
    text: str
    start: int
    end: int


_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "bn": 1e9}
_NUMW = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|forty-five|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|a)"
)
_NUM = rf"(?:\d+(?:[.,]\d+)*|{_NUMW}(?:(?:[\s-]+|(?<=hundred)\s+and\s+){_NUMW})*)"
# How often, in words: "twice a year" is a count of 2 per year, not a multiple of fees.
_TIMES = {"once": 1.0, "twice": 2.0, "thrice": 3.0}
_RATE = r"(?:a|per|each|every)\s+(year|month|quarter)\b"
_PATTERNS: list[tuple[QuantityKind, re.Pattern[str]]] = [
    ("count", re.compile(rf"\b(once|twice|thrice)\b(?=\s+{_RATE})", re.I)),
    (
        "count",
        re.compile(
            rf"\b({_NUM})\s+(?:\(\d+\)\s*)?(?:(?:named\s+)?(?:competitors?|reassignments?|audits?)\b|"
            r"times\s+(?=(?:a|per|each)\s+(?:year|month)\b))",
            re.I,
        ),
    ),
    ("months", re.compile(r"\b(?:a|per|each|every)\s+(year|month|quarter)\b", re.I)),
    (
        "money",
        re.compile(
            r"(?:(?:US)?\$|USD\s?|€|EUR\s?|£|GBP\s?)\s?(\d[\d,]*(?:\.\d+)?)\s*"
            r"(k|m|mm|million|thousand|bn)?\b"
            r"|\b(\d[\d,]*(?:\.\d+)?)\s*(k|m|mm|million|bn)\b(?!\s*(?:months?|days?))",
            re.I,
        ),
    ),
    (
        "percent",
        re.compile(
            rf"\b({_NUM})\s*(?:%|percent\b|pct\b|per\s+cent\b)(?:\s*\(\d+(?:\.\d+)?\s*%\))?",
            re.I,
        ),
    ),
    (
        "multiple",
        re.compile(
            rf"\b({_NUM}(?:\s+and\s+a\s+half)?)\s*(?:\(\d+(?:\.\d+)?\)\s*)?(?:x\b|×|times\b)"
            r"|\b(twice|double|triple)\b",
            re.I,
        ),
    ),
    ("days", re.compile(r"\bnet[\s-]?(\d+)\b", re.I)),
    (
        "days",
        re.compile(
            rf"\b({_NUM})[\s-]*(?:\(\d+\)\s*)?(business\s+|calendar\s+|consecutive\s+)?"
            r"(days?|weeks?)\b",
            re.I,
        ),
    ),
    (
        "months",
        re.compile(rf"\b({_NUM})[\s-]*(?:\(\d+\)\s*)?(months?|mos?|years?|yrs?)\b", re.I),
    ),
    ("hours", re.compile(rf"\b({_NUM})[\s-]*(?:\(\d+\)\s*)?(?:hours?|hrs?|h)\b", re.I)),
    ("months", re.compile(r"\b(annual(?:ly)?|yearly|quarterly|monthly)\b", re.I)),
]
_PERIOD_WORDS = {
    "annual": 12, "annually": 12, "yearly": 12, "quarterly": 3, "monthly": 1,
    "year": 12, "month": 1, "quarter": 3,
}  # fmt: skip
# A value the rep is moving away from ("2x instead of 1x") is not the one asked for.
_REPLACED = re.compile(r"(?:instead\s+of|rather\s+than|up\s+from|vs\.?|versus|not)\s*$", re.I)
_DEMONYMS = {
    "english": "England and Wales",
    "uk": "England and Wales",
    "british": "England and Wales",
    "ny": "New York",
    "texan": "Texas",
    "californian": "California",
    "german": "Germany",
    "irish": "Ireland",
    "french": "France",
    "singaporean": "Singapore",
    "delaware": "Delaware",
}


@functools.lru_cache(maxsize=1)
def _nlp():  # type: ignore[no-untyped-def]
    import spacy

    return spacy.blank("en")


@functools.lru_cache(maxsize=1)
def _juris_re() -> re.Pattern[str]:
    names = sorted({*jurisdiction_names(), *_DEMONYMS}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.I)


# The words that name a quantity stand in its own phrase: "credits of 5% for each 0.5%
# shortfall, capped at 15%" caps at 15, not 0.5; "a minimum increase of 3% and a maximum of
# 8%" floors at 3. A comma, a stop or a coordinating word ends the phrase.
_PHRASE_END = {",", ";", ":", ".", "and", "or", "but"}


def _around(
    text: str, start: int, end: int, others: list[tuple[int, int]], window: int = 6
) -> tuple[list[str], list[str]]:
    """The words of the quantity's phrase either side, nearest first; another quantity
    (`others`) ends the phrase too: "3 months during any six-month period" names 3 "months",
    the 6 is named by its own words."""
    doc = _nlp().make_doc(text)

    def phrase(tokens: list) -> list[str]:  # type: ignore[type-arg]
        out: list[str] = []
        for t in tokens:
            if t.lower_ in _PHRASE_END or any(a <= t.idx < b for a, b in others):
                break
            if t.is_alpha:
                out.append(t.lower_)
        return out[:window]

    before = phrase([t for t in doc if t.idx + len(t) <= start][::-1])
    after = phrase([t for t in doc if t.idx >= end])
    return before, after


def _num(s: str) -> float | None:
    s = s.strip()
    half = re.search(r"\s+and\s+a\s+half$", s, re.I)
    if half:
        n = _num(s[: half.start()])
        return None if n is None else n + 0.5
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"a", s, re.I):
        return 1.0
    return parse_number(s)


def quantities(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    found: list[tuple[QuantityKind, float, re.Match[str], bool]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            if _REPLACED.search(text[: m.start()]):
                taken.append((m.start(), m.end()))
                continue
            period = False
            value: float | None
            if kind == "money":
                raw = m.group(1) or m.group(3)
                scale = (m.group(2) or m.group(4) or "").lower()
                value = float(raw.replace(",", "")) * _SCALE.get(scale, 1.0)
            elif kind == "count" and m.group(1).lower() in _TIMES:
                value = _TIMES[m.group(1).lower()]
            elif kind == "multiple" and m.group(2):
                value = {"twice": 2.0, "double": 2.0, "triple": 3.0}[m.group(2).lower()]
            elif kind == "months" and m.group(1).lower() in _PERIOD_WORDS:
                value = float(_PERIOD_WORDS[m.group(1).lower()])
                period = True
            else:
                value = _num(m.group(1))
                # "one hundred and twenty (120) days": the digits in brackets are the value.
                digits = re.search(r"\((\d+(?:\.\d+)?)\)", m.group(0)[len(m.group(1)) :])
                if digits and kind != "multiple":
                    value = float(digits.group(1))
                if value is None:
                    continue
                unit = m.group(0).lower()
                if kind == "days" and "week" in unit:
                    value *= 7
                if kind == "months" and re.search(r"\by(?:ea)?rs?\b", unit):
                    value *= 12
            taken.append((m.start(), m.end()))
            found.append((kind, value, m, period))
    # A rate's period does not end the phrase of the number it qualifies: in "a 2% annual
    # price increase" the 2% is named by "annual price increase".
    periods = {(m.start(), m.end()) for _, _, m, period in found if period}
    for kind, value, m, period in found:
        others = [
            (a, b) for a, b in taken if (a, b) != (m.start(), m.end()) and (a, b) not in periods
        ]
        before, after = _around(text, m.start(), m.end(), others)
        # "two (2) business days": the qualifier inside the quantity names it too.
        after = re.findall(r"\b(?:business|calendar|consecutive)\b", m.group(0).lower()) + after
        rate = re.match(rf"\s*{_RATE}", text[m.end() :], re.I) if kind == "count" else None
        out.append(
            Quantity(
                kind=kind,
                value=value,
                text=m.group(0),
                start=m.start(),
                end=m.end(),
                context=before + after,
                before=before,
                after=after,
                period=period,
                per=float(_PERIOD_WORDS[rate.group(1).lower()]) if rate else None,
            )
        )
    return sorted(out, key=lambda q: q.start)


def jurisdictions(text: str) -> list[Mention]:
    """Jurisdictions named, the one asked for first: a rep writes "won't take Delaware,
    wants New York", so later mentions win, and one "instead of" is dropped."""
    out = []
    for m in _juris_re().finditer(text):
        if _REPLACED.search(text[: m.start()]):
            continue
        raw = m.group(1)
        if raw.isupper() is False and raw.lower() in {"ny", "uk"}:
            continue  # "ny"/"uk" only as abbreviations
        name = _DEMONYMS.get(raw.lower()) or canonical_jurisdiction(raw)
        if name:
            out.append(Mention(value=name, text=raw, start=m.start(), end=m.end()))
    return out[::-1]
