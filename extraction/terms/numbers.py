"""Numbers and durations written in words or digits ("thirty (30) days")."""

from __future__ import annotations

import calendar
import datetime as dt
import re

# ---------------------------------------------------------------------------------------------
# Numbers and durations
# ---------------------------------------------------------------------------------------------

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "fifteenth": 15,
    "twentieth": 20, "twenty-fifth": 25, "thirtieth": 30, "fiftieth": 50,
}  # fmt: skip

_WORD = r"(?:" + "|".join(sorted([*_UNITS_WORDS, "hundred"], key=len, reverse=True)) + r")"
NUM_WORDS = rf"\b{_WORD}(?:(?:[\s-]+|\s+and\s+){_WORD})*\b"
# "thirty (30)", "30", "(30)", "30 (thirty)", "twenty-four", "a"/"an" (one).
NUM = (
    rf"(?:{NUM_WORDS}(?:\s*\(\s*\d+(?:\.\d+)?\s*\))?"
    rf"|\b\d+(?:\.\d+)?(?:\s*\(\s*[A-Za-z][A-Za-z\s-]*\))?"
    rf"|\(\s*\d+\s*\))"
)
UNIT = (
    r"(?:(?:calendar|business|working|full|contract|consecutive)\s+){0,2}"
    r"(?:days?|months?|years?|weeks?|yrs?|mos)\b"  # "3 yrs.", "18 mos."
)
DUR = rf"(?:{NUM})[\s-]*(?:\(\s*\d+\s*\)[\s-]*)?{UNIT}"
_DUR_RE = re.compile(DUR, re.I)
_PAREN_DIGITS = re.compile(r"\(\s*(\d+(?:\.\d+)?)\s*\)")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def parse_number(s: str) -> float | None:
    """Parse "thirty (30)", "30", "twenty-four", "one hundred and eighty" -> a number."""
    m = _PAREN_DIGITS.search(s)
    if m:
        return float(m.group(1))
    m = _DIGITS.search(s)
    if m:
        return float(m.group(0))
    total = 0
    current = 0
    seen = False
    for tok in re.split(r"[\s-]+", s.lower()):
        if tok in _UNITS_WORDS:
            current += _UNITS_WORDS[tok]
            seen = True
        elif tok == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif tok in ("a", "an"):
            current += 1
            seen = True
        elif tok == "and" or not tok:
            continue
        else:
            break
    total += current
    return float(total) if seen else None


_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def parse_duration(s: str) -> tuple[float, str] | None:
    """Parse "ninety (90) days", "one-year", "twenty-four months" -> (amount, unit)."""
    m = re.search(r"(?<![a-z])(day|week|month|year|yr|mo)s?\b", s, re.I)
    if not m:
        return None
    n = parse_number(s[: m.start()])
    if n is None:
        return None
    unit = m.group(1).lower()
    return n, {"yr": "year", "mo": "month"}.get(unit, unit)


def _months(amount: float, unit: str) -> int:
    if unit == "year":
        return round(amount * 12)
    if unit == "month":
        return round(amount)
    if unit == "week":
        return round(amount * 7 / 30)
    return round(amount / 30)


def _days(amount: float, unit: str) -> int:
    if unit == "month":
        return round(amount * 30)
    if unit == "year":
        return round(amount * 365)
    if unit == "week":
        return round(amount * 7)
    return round(amount)


def _add(date: dt.date, amount: float, unit: str) -> dt.date:
    if unit == "day":
        return date + dt.timedelta(days=round(amount))
    if unit == "week":
        return date + dt.timedelta(days=round(amount * 7))
    months = round(amount * 12) if unit == "year" else round(amount)
    y, m = divmod(date.month - 1 + months, 12)
    year, month = date.year + y, m + 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


# ---------------------------------------------------------------------------------------------
