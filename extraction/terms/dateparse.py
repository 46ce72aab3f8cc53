"""Dates in contract text: full dates, template dates with blanks, and their parsing."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from extraction.terms.numbers import _ORDINAL_WORDS

# Dates
# ---------------------------------------------------------------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_abbr) if name
}
_MONTHS["sept"] = 9
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"(?:[0-3]?\d)\s?(?:s\s?t|n\s?d|r\s?d|t\s?h)?"
_YEAR = r"(?:19|20)\d\d"
# Days of the month written as ordinal words: "first" ... "twenty-first" ... "thirty-first"
_TEEN_ORDINALS = (
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth",
)  # fmt: skip
_UNIT_ORDINALS = [w for w, n in _ORDINAL_WORDS.items() if n < 10 and "-" not in w]
_DAY_WORDS = (
    {w: _ORDINAL_WORDS[w] for w in _UNIT_ORDINALS}
    | {w: 10 + i for i, w in enumerate(_TEEN_ORDINALS)}
    | {"twentieth": 20, "thirtieth": 30, "thirty-first": 31}
    | {f"twenty-{w}": 20 + _ORDINAL_WORDS[w] for w in _UNIT_ORDINALS}
)
_ORDW = (
    r"(?<![\w-])(?:"
    + "|".join(w.replace("-", r"[\s-]") for w in sorted(_DAY_WORDS, key=len, reverse=True))
    + r")\b"
)
DATE_RE = re.compile(
    rf"(?P<a>\b(?P<am>{_MON})\s+(?P<ad>{_DAY})\s*[,.]?\s*(?P<ay>{_YEAR})\b)"
    rf"|(?P<b>(?<!\d)(?P<bd>{_DAY}|{_ORDW}(?:\s*\(\s*\d+\s*(?:st|nd|rd|th)?\s*\))?)\s+"
    rf"(?:day\s+of\s+|of\s+)?(?P<bm>{_MON})(?:\s+day\s+of)?\s*,?\s*"
    rf"(?:in\s+the\s+year\s+|A\.?\s?D\.?,?\s+)?(?P<by>{_YEAR})\b)"
    rf"|(?P<c>\b(?P<cm>[0-3]?\d)[/.-](?P<cd>[0-3]?\d)[/.-](?P<cy>(?:19|20)?\d\d)\b)"
    rf"|(?P<d>\b(?P<dy>{_YEAR})-(?P<dm>[01]\d)-(?P<dd>[0-3]\d)\b)",
    re.I,
)


def _mk_date(y: str, m: str | int, d: str) -> dt.date | None:
    try:
        month = m if isinstance(m, int) else _MONTHS.get(m.lower().rstrip("."))
        if month is None:
            month = int(m)  # type: ignore[arg-type]
        year = int(y)
        if year < 100:
            year += 2000 if year < 40 else 1900
        digits = re.sub(r"\D", "", d)
        day = int(digits) if digits else _DAY_WORDS[re.sub(r"[\s-]+", "-", d.strip().lower())]
        return dt.date(year, month, day)
    except (ValueError, TypeError):
        return None


@functools.lru_cache(maxsize=2048)
def _dateparser_parse(s: str) -> dt.date | None:
    import dateparser  # heavy import, only for unusual strings

    res = dateparser.parse(
        s,
        languages=["en"],
        settings={"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"},
    )
    return res.date() if res else None


def _date_from_match(m: re.Match[str]) -> dt.date | None:
    if m.group("a"):
        return _mk_date(m.group("ay"), m.group("am"), m.group("ad"))
    if m.group("b"):
        return _mk_date(m.group("by"), m.group("bm"), m.group("bd"))
    if m.group("c"):
        month, day = int(m.group("cm")), m.group("cd")
        if month > 12 and int(day) <= 12:  # day/month/year ("13/07/05")
            month, day = int(day), m.group("cm")
        return _mk_date(m.group("cy"), month, day)
    if m.group("d"):
        return _mk_date(m.group("dy"), int(m.group("dm")), m.group("dd"))
    return _dateparser_parse(m.group(0))


def parse_date(s: str) -> dt.date | None:
    """Normalize a date string ("June 1st, 2020", "1 October 2019", "2/11/2019")."""
    m = DATE_RE.search(s)
    if m:
        return _date_from_match(m)
    return _dateparser_parse(s.strip())


@dataclass
class _Date:
    start: int
    end: int
    date: dt.date
    precision: str = "day"  # "month"/"year": a template date with the day (and month) blank

    @property
    def iso(self) -> str:
        return _iso(self.date, self.precision)


def _iso(date: dt.date, precision: str = "day") -> str:
    """ISO date, or "YYYY-MM"/"YYYY" for a partial date."""
    if precision == "year":
        return f"{date.year:04d}"
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


_MONTH_NAME = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)"
)
_BLANK = r"(?:_+|\[[^\]\n]{0,12}\]|\*+|\s)"
# Template dates with the day left blank: "September __, 2018", "March [  ], 2018", "July 2013",
# "____ day of May, 2000"; and the year alone: "made as of ______, 2013", "this day of , 2012".
_PARTIAL_DATE = re.compile(
    rf"(?<![\w,])(?P<m>{_MONTH_NAME})\s*(?:{_BLANK}*\s*,)?\s*(?P<y>{_YEAR})(?!\d)"
    rf"|(?:\b(?:as\s+of|dated|day\s+of|on|made|entered\s+into|effective)|^|\n"
    rf"|(?<=AGREEMENT)(?=[ \t]{{2,}}))"
    rf"(?P<blank>(?:[ \t]|_|\[[^\]\n]{{0,12}}\])*),[ \t]*(?P<y2>{_YEAR})(?!\d)"
)


_BLANK_DAY = re.compile(r"(?:_+|\[[^\]\n]{0,12}\])\s*(?:day\s+of\s+)?$", re.I)


def _partial_dates(text: str, start: int, end: int, full: list[_Date]) -> list[_Date]:
    """Partial template dates in text[start:end] that overlap no full date."""
    out: list[_Date] = []
    for m in _PARTIAL_DATE.finditer(text, start, end):
        if any(d.start < m.end() and m.start() < d.end for d in full):
            continue
        if m.group("m"):
            month = _MONTHS[m.group("m").lower()]
            s = m.start("m")
            # the blank day is part of the date: "this ____ day of June, 2017"
            lead = _BLANK_DAY.search(text, max(0, s - 40), s)
            if lead:
                s = lead.start()
            out.append(_Date(s, m.end(), dt.date(int(m.group("y")), month, 1), "month"))
        else:
            s = m.start("blank")
            while s < m.start("y2") and text[s] in " \t":
                s += 1
            out.append(_Date(s, m.end(), dt.date(int(m.group("y2")), 1, 1), "year"))
    return out


_DATE_ANCHOR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d[/.-]\d{1,2}[/.-]\d\d")


def _dates_in(text: str, start: int = 0, end: int | None = None) -> list[_Date]:
    """Dates in text[start:end]; DATE_RE only runs in windows around a year or d/m/y anchor."""
    end = len(text) if end is None else end
    out: list[_Date] = []
    last_end = start
    for a in _DATE_ANCHOR.finditer(text, start, end):
        if a.start() < last_end:
            continue
        lo = max(last_end, a.start() - 40)
        for m in DATE_RE.finditer(text, lo, min(end, a.end() + 7)):  # "2019-06-05"
            if m.end() < a.end() - 1:
                continue
            d = _date_from_match(m)
            if d is not None and 1950 <= d.year <= 2100:
                out.append(_Date(m.start(), m.end(), d))
            last_end = m.end()
            break
    return out
