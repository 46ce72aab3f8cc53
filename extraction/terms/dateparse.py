"""Dates in contract text: full dates, template dates with blanks, and their parsing."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from extraction.terms.numbers import _ORDINAL_WORDS, _UNITS_WORDS

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
    rf"(?P<a>\b(?P<am>{_MON})\s+(?P<ad>{_DAY}|{_ORDW})\s*[,.]?\s*(?P<ay>{_YEAR})\b)"
    rf"|(?P<b>(?<!\d)(?P<bd>{_DAY}|{_ORDW}(?:\s*\(\s*\d+\s*(?:st|nd|rd|th)?\s*\))?)\s+"
    rf"(?:day\s+of\s+|of\s+)?(?P<bm>{_MON})(?:\s+day\s+of)?\s*,?\s*"
    rf"(?:in\s+the\s+year\s+|A\.?\s?D\.?,?\s+)?(?P<by>{_YEAR})\b)"
    rf"|(?P<c>\b(?P<cm>[0-3]?\d)[/.-](?P<cd>[0-3]?\d)[/.-](?P<cy>(?:19|20)?\d\d)\b)"
    rf"|(?P<d>\b(?P<dy>{_YEAR})-(?P<dm>[01]\d)-(?P<dd>[0-3]\d)\b)",
    re.I,
)


# Years written in words, as deeds and older contracts write them: "two thousand and five",
# "two thousand eighteen", "nineteen hundred and ninety-eight", "nineteen ninety-eight"
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
_ONES = {w: n for w, n in _UNITS_WORDS.items() if 0 < n < 20}
_UNDER_100 = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[\s-]+(?:{'|'.join(w for w, n in _ONES.items() if n < 10)}))?"
    rf"|{'|'.join(sorted(_ONES, key=len, reverse=True))})"
)
_YEAR_WORDS = (
    rf"(?:two\s+thousand(?:(?:\s+and)?[\s-]+{_UNDER_100}\b)?"
    rf"|nineteen(?:\s+hundred(?:\s+and)?)?[\s-]+{_UNDER_100}\b)"
)
_WORD_YEAR_DATE = re.compile(
    rf"(?<![\w-])(?:(?P<d>{_DAY}|{_ORDW})\s+(?:day\s+of\s+|of\s+)?(?P<m>{_MON})"
    rf"|(?P<m2>{_MON})\s+(?P<d2>{_DAY}|{_ORDW}))\s*,?\s*(?:in\s+the\s+year\s+(?:of\s+)?)?"
    rf"(?P<y>{_YEAR_WORDS})",
    re.I,
)
_YEAR_WORD_CUE = re.compile(r"\b(?:thousand|nineteen)\b", re.I)


def _word_year(words: str) -> int | None:
    """1900-2099 from a year in words (`_YEAR_WORDS`)."""
    toks = [t for t in re.split(r"[\s-]+", words.lower()) if t not in {"and", "hundred"}]
    if toks[:2] == ["two", "thousand"]:
        base, rest = 2000, toks[2:]
    elif toks[:1] == ["nineteen"]:
        base, rest = 1900, toks[1:]
    else:
        return None
    if not all(t in _TENS or t in _ONES for t in rest):
        return None
    return base + sum(_TENS.get(t, 0) + _ONES.get(t, 0) for t in rest)


def _word_year_dates(text: str, start: int, end: int) -> list[tuple[int, int, dt.date]]:
    """Dates whose year is written in words ("the twenty-first day of March, two thousand
    and five"), which `DATE_RE` leaves out."""
    if not _YEAR_WORD_CUE.search(text, start, end):
        return []
    out = []
    for m in _WORD_YEAR_DATE.finditer(text, start, end):
        year = _word_year(m.group("y"))
        d = (
            _mk_date(str(year), m.group("m") or m.group("m2"), m.group("d") or m.group("d2"))
            if year
            else None
        )
        if d is not None:
            out.append((m.start(), m.end(), d))
    return out


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
    """Normalize a date string ("June 1st, 2020", "1 October 2019", "2/11/2019", "the first
    day of May, two thousand and six")."""
    m = DATE_RE.search(s)
    if m:
        return _date_from_match(m)
    words = _word_year_dates(s, 0, len(s))
    if words:
        return words[0][2]
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
    for s, e, d in _word_year_dates(text, start, end):
        if all(x.end <= s or e <= x.start for x in out):
            out.append(_Date(s, e, d))
    return sorted(out, key=lambda x: x.start)
