"""Rule-based structured term extraction from a contract's full text.

`extract_terms(text)` returns one `Term` per extracted value (one per party), each with its
evidence span (`text[start:end] == term.text`, code-point offsets) and a rule confidence.

The pipeline is a spaCy blank("en") tokenizer with rule components (a PhraseMatcher for
jurisdictions, a Matcher for party role words) built once per process, and regular expressions
for dates, durations and money, where they are clearer than token patterns. spaCy only runs on
short candidate windows (the preamble, governing-law sentences), which keeps a 50 KB contract
well under 50 ms.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from extraction.jurisdictions import canonical, surface_forms
from extraction.types import Term

__all__ = ["extract_terms", "parse_duration", "parse_number"]

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
    r"(?:days?|months?|years?|weeks?)\b"
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
    m = re.search(r"(day|week|month|year)s?\b", s, re.I)
    if not m:
        return None
    n = parse_number(s[: m.start()])
    if n is None:
        return None
    return n, m.group(1).lower()


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
_ORDW = r"\b(?:" + "|".join(w for w in _ORDINAL_WORDS if "-" not in w) + r")\b"
DATE_RE = re.compile(
    rf"(?P<a>\b(?P<am>{_MON})\s+(?P<ad>{_DAY})\s*[,.]?\s*(?P<ay>{_YEAR})\b)"
    rf"|(?P<b>(?<!\d)(?P<bd>{_DAY}|{_ORDW}(?:\s*\(\s*\d+\s*(?:st|nd|rd|th)?\s*\))?)\s+"
    rf"(?:day\s+of\s+)?(?P<bm>{_MON})\s*,?\s*"
    rf"(?:in\s+the\s+year\s+)?(?P<by>{_YEAR})\b)"
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
        day = int(digits) if digits else _ORDINAL_WORDS[d.strip().lower()]
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
    rf"|(?:\b(?:as\s+of|dated|day\s+of|on|made|entered\s+into|effective)|^|\n)"
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
        for m in DATE_RE.finditer(text, lo, min(end, a.end() + 3)):
            if m.end() < a.end() - 1:
                continue
            d = _date_from_match(m)
            if d is not None and 1950 <= d.year <= 2100:
                out.append(_Date(m.start(), m.end(), d))
            last_end = m.end()
            break
    return out


# ---------------------------------------------------------------------------------------------
# spaCy pipeline (built once per process)
# ---------------------------------------------------------------------------------------------

ROLE_WORDS: dict[str, str] = {
    "customer": "customer", "client": "customer", "buyer": "customer", "purchaser": "customer",
    "subscriber": "customer", "vendor": "vendor", "provider": "vendor",
    "service provider": "vendor", "seller": "vendor", "contractor": "vendor",
    "licensor": "licensor", "licensee": "licensee", "sublicensee": "licensee",
    "distributor": "distributor", "reseller": "reseller", "supplier": "supplier",
    "manufacturer": "manufacturer", "consultant": "consultant", "agent": "agent",
    "franchisor": "franchisor", "franchisee": "franchisee", "sponsor": "sponsor",
    "developer": "developer", "publisher": "publisher", "partner": "partner",
    "company": "company", "affiliate": "affiliate", "adviser": "adviser",
    "advisor": "adviser", "marketer": "marketer", "endorser": "endorser",
    "host": "host", "owner": "owner", "lessor": "lessor", "lessee": "lessee",
    "employer": "employer", "employee": "employee", "investor": "investor",
    "collaborator": "collaborator", "operator": "operator", "sub-advisor": "sub-adviser",
    "sub-adviser": "sub-adviser", "trust": "trust", "fund": "fund", "bank": "bank",
}  # fmt: skip


class _Pipeline:
    """spaCy blank English tokenizer plus rule components (created once)."""

    def __init__(self) -> None:
        import spacy
        from spacy.matcher import Matcher, PhraseMatcher

        self.nlp = spacy.blank("en")
        self.juris = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.juris.add("JURIS", [self.nlp.make_doc(f) for f in surface_forms()])
        self.roles = Matcher(self.nlp.vocab)
        self.roles.add(
            "ROLE",
            [[{"LOWER": {"IN": [w for w in ROLE_WORDS if " " not in w and "-" not in w]}}]],
        )

    def jurisdictions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical) jurisdiction mentions, char offsets into `text`."""
        # collapse whitespace runs so "British  Columbia" matches; map offsets back
        offsets: list[int] = []
        parts: list[str] = []
        for m in re.finditer(r"\S+", text):
            if parts:
                parts.append(" ")
                offsets.append(m.start() - 1)
            parts.append(m.group(0))
            offsets.extend(range(m.start(), m.end()))
        flat = "".join(parts)
        offsets.append(len(text))
        doc = self.nlp.make_doc(flat)
        spans = []
        for _, s, e in self.juris(doc):
            span = doc[s:e]
            canon = canonical(span.text)
            if canon:
                spans.append((offsets[span.start_char], offsets[span.end_char - 1] + 1, canon))
        # keep the longest of overlapping matches ("England and Wales" over "England")
        spans.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        out: list[tuple[int, int, str]] = []
        for sp in spans:
            if out and sp[0] < out[-1][1]:
                continue
            out.append(sp)
        return out

    def role_of(self, alias: str) -> str | None:
        """The party role named by a defined term ("Licensor" -> "licensor")."""
        key = alias.lower().strip()
        if key in ROLE_WORDS:
            return ROLE_WORDS[key]
        doc = self.nlp.make_doc(alias)
        matches = self.roles(doc)
        if matches and len(doc) <= 3:
            _, s, _e = matches[-1]
            return ROLE_WORDS.get(doc[s].lower_)
        return None


@functools.lru_cache(maxsize=1)
def _pipeline() -> _Pipeline:
    return _Pipeline()


# ---------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------

_SENT_CAND = re.compile(r"[.;!?]\s+(?=[\"“(]?[A-Z0-9(])|\n[ \t]*\n\s*")
_NO_BREAK = re.compile(r"(?:\b[A-Z]|\b(?:Inc|Ltd|Co|No|Corp|Sec|St|Mr|Ms|Dr|vs|U\.S|etc|S\.A))\.$")


_DAY_DOT_YEAR = re.compile(r"(?:\d\d|\s\d)\.\s+(?:19|20)\d\d\b")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for m in _SENT_CAND.finditer(text):
        if text[m.start()] == "." and _NO_BREAK.search(text, max(0, m.start() - 4), m.start() + 1):
            continue
        if text[m.start()] == "." and _DAY_DOT_YEAR.match(text, max(0, m.start() - 2)):
            continue  # "June 30. 2025"
        cut = m.start() + 1 if text[m.start()] in ".;!?" else m.start()
        if cut > pos:
            spans.append((pos, cut))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class _Ctx:
    def __init__(self, text: str) -> None:
        self.text = text
        self.sents = _sentences(text)
        self.sent_starts = [s for s, _ in self.sents]
        self.dates = _dates_in(text)
        self.date_starts = [d.start for d in self.dates]
        self.terms: list[Term] = []

    def dates_in(self, start: int, end: int) -> list[_Date]:
        i = bisect.bisect_left(self.date_starts, start)
        out = []
        while i < len(self.dates) and self.dates[i].end <= end:
            out.append(self.dates[i])
            i += 1
        return out

    def sent_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, offset) - 1)

    def add(self, name: str, value: Any, start: int, end: int, conf: float) -> None:
        start, end = _trim(self.text, start, end)
        self.terms.append(
            Term(
                name=name,
                value=value,
                text=self.text[start:end],
                start=start,
                end=end,
                confidence=round(max(0.0, min(1.0, conf)), 2),
            )
        )

    def find_sents(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, int, re.Match[str]]]:
        last = -1
        for fm in pattern.finditer(self.text):
            # a match running across sentences may hide one wholly inside a later sentence it
            # covers: each sentence it touches is searched on its own
            for i in range(max(last + 1, self.sent_at(fm.start())), self.sent_at(fm.end() - 1) + 1):
                s, e = self.sents[i]
                m = pattern.search(self.text, s, e)  # a match wholly inside the sentence
                if m:
                    last = i
                    yield s, e, m


# ---------------------------------------------------------------------------------------------
# Document name
# ---------------------------------------------------------------------------------------------

_DOC_KIND = (
    r"(?:AGREEMENT|CONTRACT|LICEN[CS]E|ADDENDUM|AMENDMENT|MEMORANDUM\s+OF\s+UNDERSTANDING"
    r"|POWER\s+OF\s+ATTORNEY|TERMS\s+AND\s+CONDITIONS|ORDER\s+FORM|STATEMENT\s+OF\s+WORK"
    r"|ARRANGEMENT|UNDERTAKING|DEED|COVENANT|GUARANTY|GUARANTEE|INDENTURE|LEASE|STATEMENT)"
)
_TITLE_LINE = re.compile(
    rf"(?P<t>(?:[A-Z0-9&/\-,.'’®]+[ \t]+){{0,9}}?(?:[A-Z0-9&/\-'’®]+[ \t]+)?{_DOC_KIND}"
    rf"(?:[ \t]+{_DOC_KIND})*)(?![A-Za-z])",
    re.I,
)
_TITLE_BAD = re.compile(
    r"^(?:this|the|such|said|any|each|an?|of|and|that|which|exhibit|to|by|confidential"
    r"|execution|copy|form|dated|between)$",
    re.I,
)
_PREAMBLE_TITLE = re.compile(
    rf"\b(?:This|THIS)\s+(?P<t>(?:[A-Z][\w&/\-'’.]*\s+){{0,8}}?{_DOC_KIND})\b"
    r"(?=\s*(?:\(|,|is|dated|made|entered|by|between|\"|“))"
)


def _title_case_ok(words: list[str]) -> bool:
    caps = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit() or w in ("and", "of"))
    return caps == len(words)


def _extract_document_name(ctx: _Ctx, title: str | None) -> None:
    text = ctx.text
    head = text[:2500]
    best: tuple[int, int, float] | None = None
    single: tuple[int, int, float] | None = None
    for m in _TITLE_LINE.finditer(head):
        s, e = m.span("t")
        # a sentence or company name before the title ("... DISCLOSED. SUPPLY AGREEMENT")
        cut = max(text.rfind(". ", s, e), text.rfind(".\t", s, e))
        if cut >= 0:
            s = cut + 2
        words = text[s:e].split()
        # drop leading junk words ("EXHIBIT 10.1", "THIS", "EXECUTION VERSION")
        while words and (
            _TITLE_BAD.match(words[0])
            or re.fullmatch(r"[\d.,\-()]+|[A-Z]\.?|VERSION|COPY|EXECUTION|FINAL", words[0])
        ):
            s = text.index(words[0], s) + len(words[0])
            words = words[1:]
        if not words or not _title_case_ok(words):
            continue
        raw = text[s:e]
        if re.search(r"[a-z]", raw) and not re.search(r"\b[A-Z][a-z]", raw):
            continue
        if raw.upper() != raw and words[-1].isupper():
            # mixed case line ending in an all-caps title: keep the all-caps run
            k = len(words)
            while k > 0 and (words[k - 1].isupper() or not re.search(r"[A-Za-z]", words[k - 1])):
                k -= 1
            for w in words[:k]:
                s = text.index(w, s) + len(w)
            words = words[k:]
            raw = text[s:e]
        upper = raw.upper() == raw
        conf = 0.85 if upper else 0.7
        if len(words) == 1:
            if single is None:
                single = (s, e, conf - 0.3)
            continue
        best = (s, e, conf)
        break
    m2 = _PREAMBLE_TITLE.search(text, 0, 5000)
    if m2 and best is None:
        s2, e2 = m2.span("t")
        if len(text[s2:e2].split()) > 1:
            best = (s2, e2, 0.65)
    if best is None and title:
        i = text.lower().find(title.lower().strip())
        if i >= 0:
            best = (i, i + len(title.strip()), 0.5)
    best = best or single
    if best is None:
        return
    s, e, conf = best
    s, e = _trim(text, s, e)
    name = " ".join(text[s:e].split())
    ctx.add("document_name", name, s, e, conf)


# ---------------------------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------------------------

_BETWEEN = re.compile(r"\b(?:by\s+and\s+)?(?:between|among|amongst)\b(?:\s*:)?", re.I)
_PREAMBLE_END = re.compile(
    r"\b(?:WHEREAS|W\s*I\s*T\s*N\s*E\s*S\s*S|RECITALS?|BACKGROUND|NOW,?\s+THEREFORE|PREAMBLE"
    r"|IN\s+CONSIDERATION|The\s+parties\s+(?:hereby\s+)?agree|Table\s+of\s+Contents)\b"
)
_ALIAS = re.compile(
    r"\(\s*(?:(?:hereinafter|herein|together|collectively|individually)[^\"“”)]*?)?"
    r"(?:referred\s+to\s+)?(?:as\s+)?(?:the\s+|a\s+)?[\"“”']+\s*(?P<a>[^\"“”']{1,60}?)\s*[\"“”']+"
)
_ENTITY_SUFFIX = (
    r"(?:Inc|Incorporated|Corp|Corporation|Company|Co|LLC|L\.L\.C|Ltd|Limited|LLP|LP|L\.P"
    r"|PLC|GmbH|AG|S\.A|SA|B\.V|BV|N\.V|NV|S\.p\.A|SRL|Pty|PTY|Trust|AB|ASA|A/S|KK|Oy)\.?"
)
_PARTY_CUT = re.compile(
    r",?\s+(?:a|an)\s+(?:[A-Z][\w.]*\s+){0,4}?(?:corporation|company|limited|partnership"
    r"|organization|entity|trust|bank|association|business|societ|stock|public|private|"
    r"[a-z]+\s+(?:corporation|company|partnership))"
    r"|,?\s+(?:a|an)\s+(?:[A-Z][a-zA-Z]+\s*){1,3}(?:corporation|company|limited)"
    r"|,\s+(?:a|an)\s+\w"
    r"|,?\s+(?:with|having|whose|located|organized|incorporated|existing|residing|of\s+\d|at\s+\d)\b"
    r"|,\s+(?=\d)"
    r"|\s*\n\s*(?:\d+(?:\.\d+)*\.?|ARTICLE|SECTION)\s+(?=[A-Z])"  # a numbered section starts
    r"|\s*\(|\s*[\"“]|\s*\n\s*\n|_{3,}|\s+(?=(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December)\s+\d)",
    re.I,
)
_SUFFIX_COMMA = re.compile(
    r"\b(?:Inc|Ltd|LLC|Corp|LP|plc|PLC|AG|SA|BV|NV|Corporation|Company|Limited|Incorporated"
    r"|GmbH)\.?(?=,\s+[A-Z0-9])"
)
_SPLIT_PARTIES = re.compile(r"(?:,|;)?\s+(?:and|AND|And)\s+(?=[A-Z\d])|;\s+(?=[A-Z])|\n\s*and\s*\n")


def _clean_party(text: str, s: int, e: int) -> tuple[int, int] | None:
    s, e = _trim(text, s, e)
    seg = text[s:e]
    m = _PARTY_CUT.search(seg)
    if m and m.start() > 1:
        e = s + m.start()
    # "Acme Inc., 12 Main Street, ..." -> cut after the entity suffix
    sm = _SUFFIX_COMMA.search(text, s, e)
    if sm:
        e = sm.end()
    # strip leading determiners/labels
    lead = re.match(r"\s*(?:the\s+|THE\s+|Party\s+[AB]\s*:\s*|[:,]\s*)?", text[s:e])
    if lead:
        s += lead.end()
    # strip trailing punctuation except the period of an entity suffix
    while e > s and text[e - 1] in " ,;:\n\t":
        e -= 1
    if e > s and text[e - 1] == "." and not re.search(rf"\b{_ENTITY_SUFFIX}$", text[s:e]):
        e -= 1
    s, e = _trim(text, s, e)
    name = text[s:e]
    if not (2 <= len(name) <= 120) or not re.match(r"[A-Z0-9\[]", name):
        return None
    if len(name.split()) > 14 or re.match(r"(?:each|both|the\s+parties)\b", name, re.I):
        return None
    return s, e


def _extract_parties(ctx: _Ctx) -> None:
    text = ctx.text
    pipe = _pipeline()
    m = _BETWEEN.search(text, 0, min(len(text), 6000))
    if not m:
        return
    start = m.end()
    end_m = _PREAMBLE_END.search(text, start, min(len(text), start + 3000))
    end = end_m.start() if end_m else min(len(text), start + 1500)
    # stop at the first full stop that ends a sentence after the last alias
    chunk_end = end
    dot = re.search(r"\.\s*\n\s*\n|\)\s*\.\s+(?=[A-Z])", text[start:end])
    if dot:
        chunk_end = start + dot.end()
    chunk = text[start:chunk_end]
    pieces: list[tuple[int, int]] = []
    pos = 0
    for sm in _SPLIT_PARTIES.finditer(chunk):
        # don't split inside parentheses or an entity name ("Johnson and Johnson")
        before = chunk[pos : sm.start()]
        if before.count("(") > before.count(")"):
            continue
        if len(before.strip()) < 3:
            continue
        pieces.append((start + pos, start + sm.start()))
        pos = sm.end()
    pieces.append((start + pos, start + len(chunk)))
    seen: set[str] = set()
    n = 0
    for ps, pe in pieces[:8]:
        span = _clean_party(text, ps, pe)
        if span is None:
            continue
        s, e = span
        name = " ".join(text[s:e].split())
        if name.lower() in seen:
            continue
        alias_m = _ALIAS.search(text, e, pe)
        alias = alias_m.group("a").strip() if alias_m else None
        role = pipe.role_of(alias) if alias else None
        seen.add(name.lower())
        conf = 0.85 if alias else 0.6
        if not re.search(rf"\b{_ENTITY_SUFFIX}(?:\W|$)", name) and not alias:
            conf = 0.45
        ctx.add("parties", {"name": name, "role": role, "alias": alias}, s, e, conf)
        n += 1
        if n >= 6:
            break


# ---------------------------------------------------------------------------------------------
# Agreement and effective dates
# ---------------------------------------------------------------------------------------------

_AGREEMENT_DATE_STRONG = re.compile(
    r"(?:dated|made|entered(?:\s+into)?|executed|concluded|signed|effective|as\s+of|\bdate\s*:)"
    r"(?:\s+(?:and\s+)?(?:effective|entered\s+into|executed))?\s*"
    r"(?:(?:on|as\s+of|of|this|the|day|and|with\s+effect\s+from|from)\W+){0,4}$",
    re.I,
)
_SKIP_DATE = re.compile(
    r"(?:Source\s*:[^\n]{0,80}|\b\d{1,2}-[A-Z](?:/A)?,?|amended|restated|revised|supersed\w*|filed|printed|Trade\s+Date\s*:)"
    r"(?:\W+(?:on|as\s+of|the|this|day|of)){0,3}\W*$",
    re.I,
)
_SIGN_DATE = re.compile(r"\b(?:Date\s*:|Dated\s*:?|Signed\s*:|Date\s+of\s+signing\s*:?)\s*", re.I)
_REF_OTHER = re.compile(
    r"(?:that\s+certain|pursuant\s+to|under\s+(?:the|that|a|an)|entered\s+into\s+(?:a|an)\s"
    r"|party\s+to|defined\s+in|in\s+connection\s+with)[^.;]{0,100}$",
    re.I,
)
_AGREEMENT_DATE_CUE = re.compile(
    r"(?:dated|dated\s+as\s+of|made|entered\s+into|executed|concluded|signed|as\s+of|effective"
    r"|this|date[d]?\s*:)\W*(?:(?:on|as\s+of|this|the|day|of|and)\W+){0,4}$",
    re.I,
)
_EFFECTIVE_LABEL = re.compile(
    r"^\W{0,4}(?:(?:the|this|hereinafter|referred\s+to\s+as|herein|such\s+date|being)\W+){0,4}"
    r"[\"“”']*\s*Effective\s+Date",
    re.I,
)
_EFFECTIVE_BEFORE = re.compile(
    r"(?:(?:Effective|Commencement|Start)\s+Date[\"”]?\s*\)?\s*(?:shall\s+)?(?:means?|is|be|:|-)?"
    r"|Contract\s+start\s*:)\W*(?:(?:on|as\s+of|the|this|day|of)\W+){0,3}$",
    re.I,
)
_EFFECTIVE_SOFT = re.compile(
    r"\beffective\s+(?:as\s+(?:of|from)|on|from|date\s+(?:of|is|shall\s+be|means?))?"
    r"\W*(?:(?:on|as\s+of|the|this|day|of)\W+){0,3}$",
    re.I,
)
_TERM_START = re.compile(
    r"(?:\b(?:term|Agreement|Appointment|Contract|period|Venture|Services?)\b[^.;]{0,80}?"
    r"\b(?:commenc\w*|begin\w*|start\w*)|\bbeginning|\bcommencing)\s*(?:on|upon|as\s+of|from|with\s+effect\s+from)?"
    r"\W*(?:(?:on|as\s+of|the|this|day|of)\W+){0,3}$",
    re.I,
)
_EFFECTIVE_IS_SIGNING = re.compile(
    r"[\"“”]?Effective\s+Date[\"“”]?\s*(?:\)|\s)?\s*(?:shall\s+)?(?:means?|is|be|:)\s+(?:the\s+)?"
    r"(?:later\s+of\s+the\s+)?(?:date\s+(?:of\s+(?:execution|signing|this\s+Agreement)|hereof"
    r"|(?:first\s+)?(?:set\s+forth|written)\s+above|on\s+which\s+this\s+Agreement\s+is"
    r"\s+(?:signed|executed))|Execution\s+Date|date\s+(?:the|that)\s+(?:last|both|each|this))"
    r"|effective\s+(?:as\s+of|on)\s+the\s+date\s+(?:hereof|(?:first\s+)?(?:written|set\s+forth)"
    r"\s+above|of\s+(?:its\s+)?(?:execution|signing))",
    re.I,
)


# "to the Supply Agreement dated", "a letter agreement dated", "the Agreement between the parties
# dated": the date of another document, not of this one
_OTHER_DOC_DATED = re.compile(
    r"(?:\b(?:to|under|with|of|and|the|a|an|that|such|said|certain|in|by)\s+(?:(?:the|an?)\s+)?"
    r"(?:[A-Z][\w&.'/-]*\s+|(?:of|and|for|to)\s+){0,8}"
    r"(?:Agreements?|Contracts?|Amendments?|Memorand(?:um|a)|Letters?|Plan|Lease|Notes?|Indenture"
    r"|Schedule\s+\S+)|\b(?:letter|memorandum|agreements|amendment)s?)\b[^.;()]{0,80}?"
    r"\bdated\W+(?:as\s+of\W+)?$"
)
# the cue names when the agreement takes effect, not when it was made ("made effective as of")
_EFFECTIVE_CUE = re.compile(
    r"\beffective\W+(?:(?:as\s+of|on|from|this|the|day|of)\W+){0,4}$|\bas\s+of\W+$", re.I
)
_EXEC_CUE = re.compile(
    r"\b(?:dated|made|entered\s+into|executed|concluded|signed)\W+(?:(?:on|as\s+of|of|this|the"
    r"|day|and|effective|being)\W+){0,4}$",
    re.I,
)
# signature blocks: "Date: 1/19/07", "Date 13/07/05", "IN WITNESS WHEREOF ... on November 8, 2002",
# "SIGNED at Pretoria on this 31st day of March 2001", "Rome/Houston, 2 April 2020"
_SIGN_CUE = re.compile(
    r"\b(?:Date|Dated|DATE|DATED)\b\s*:?\s*$|\bSigned\s*:\s*$|\bDate\s+of\s+signing\s*:?\s*$"
    r"|\b(?:IN\s+WITNESS\s+WHEREOF|SIGNED|[Ss]igned|EXECUTED|[Ee]xecuted)\b[^.]{0,200}?\b(?:on|as"
    r"\s+of|at\s+\w+)\W+(?:(?:this|the|day|of|on)\W+){0,3}$"
    r"|(?:^|\n)[ \t]*[A-Z][\w/ .-]{1,40},[ \t]*$"
    r"|(?i:\bthis\s+(?:agreement|contract)\s+(?:is|was|has\s+been)\s+(?:dated|signed|executed|made)"
    r"(?:\s+(?:on|as\s+of))?\s*$)"
)


def _signature_date(ctx: _Ctx) -> _Date | None:
    """The signing date from the signature blocks: the latest date of the last block."""
    text = ctx.text
    sig: list[_Date] = []
    for d in ctx.dates:
        before = text[max(0, d.start - 250) : d.start]
        if _SIGN_CUE.search(before):
            sig.append(d)
    if not sig:
        return None
    last = [d for d in sig if sig[-1].start - d.start <= 1500]
    return max(last, key=lambda d: d.date)


def _extract_dates(ctx: _Ctx) -> tuple[_Date | None, _Date | None]:
    text = ctx.text
    limit = min(len(text), 8000)
    full = ctx.dates_in(0, limit)
    dates = sorted(full + _partial_dates(text, 0, limit, full), key=lambda d: d.start)
    agreement: _Date | None = None
    conf = 0.0
    uncued: _Date | None = None
    effective_cued: _Date | None = None
    for d in dates:
        before = text[max(0, d.start - 60) : d.start]
        if (
            _SKIP_DATE.search(before)
            or _REF_OTHER.search(text, max(0, d.start - 150), d.start)
            or _OTHER_DOC_DATED.search(text, max(0, d.start - 200), d.start)
        ):
            continue
        if _AGREEMENT_DATE_STRONG.search(before):
            if re.search(r"\bdate\s*:\s*$", before, re.I) and d.start > 600:
                # a signature block's "Date:": the latest signature of that block
                sig = _signature_date(ctx)
                ok = sig is not None and abs(sig.start - d.start) < 1500
                agreement, conf = (sig if ok and sig is not None else d), 0.9
                break
            if _EFFECTIVE_CUE.search(before) and not _EXEC_CUE.search(before):
                # "effective as of <date>": keep looking for the date it was made or signed
                effective_cued = effective_cued or d
                continue
            if effective_cued is not None and d.start - effective_cued.start > 2000:
                break  # too far from the preamble's "effective as of" date
            agreement, conf = d, 0.9
            break
        if d.precision != "day":
            continue  # a template date counts only with a cue
        if d.start < 3000 and agreement is None and uncued is None:
            if _AGREEMENT_DATE_CUE.search(before):
                agreement, conf = d, 0.7
            else:
                uncued = d
    if agreement is None and effective_cued is not None:
        agreement, conf = effective_cued, 0.8
    if agreement is None:
        sig = _signature_date(ctx)
        if sig is not None:
            agreement, conf = sig, 0.55
    if agreement is None and uncued is not None:
        agreement, conf = uncued, 0.5
    if agreement is not None:
        ctx.add("agreement_date", agreement.iso, agreement.start, agreement.end, conf)

    effective: _Date | None = None
    eff_conf = 0.0
    best_tier = 9
    candidates = sorted(ctx.dates + _partial_dates(text, 0, limit, full), key=lambda d: d.start)
    for d in candidates:
        after = text[d.end : d.end + 60]
        before = text[max(0, d.start - 100) : d.start]
        if _EFFECTIVE_LABEL.search(after) or _EFFECTIVE_BEFORE.search(before):
            tier, conf = 1, 0.9
        elif _EFFECTIVE_SOFT.search(before):
            tier, conf = 2, 0.8
        elif _TERM_START.search(before) and d.precision == "day":
            tier, conf = 3, 0.7
        else:
            continue
        if tier < best_tier:
            effective, eff_conf, best_tier = d, conf, tier
            if tier == 1:
                break
    if effective is not None:
        ctx.add("effective_date", effective.iso, effective.start, effective.end, eff_conf)
        return agreement, effective
    if agreement is not None:
        sm = _EFFECTIVE_IS_SIGNING.search(text)
        if sm:
            ctx.add("effective_date", agreement.iso, sm.start(), sm.end(), 0.75)
            return agreement, agreement
        # "made and entered into as of <date>" with no separate effective date: the agreement
        # date is the effective date (strong when the preamble says "as of"/"effective")
        before = text[max(0, agreement.start - 60) : agreement.start]
        as_of = re.search(r"(?:as\s+of|effective)\W+(?:(?:the|this|day|of)\W+){0,3}$", before, re.I)
        if as_of or conf >= 0.9:
            ctx.add(
                "effective_date",
                agreement.iso,
                agreement.start,
                agreement.end,
                0.6 if as_of else 0.45,
            )
            return agreement, agreement
    return agreement, None


# ---------------------------------------------------------------------------------------------
# Term, expiration and renewal
# ---------------------------------------------------------------------------------------------

_TERM_SENT = re.compile(
    r"\b(?:term\s+of\s+this\s+(?:Agreement|Contract)|initial\s+term|(?:original|initial)\s+period"
    r"|\b(?:terminat\w*|expir\w*|ending|end|through)\s+(?:on\s+)?(?:the\s+)?(?=(?:Jan|Feb|Mar|Apr|May"
    r"|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\.?\s+\d|\d{1,2}(?:st|nd|rd|th)?\s+(?:day|[A-Z][a-z]+\s+\d)|\d{1,2}/)"
    r"|(?:Termination|Expiration|Expiry|End)\s+Date\s*:|(?:shall|will)\s+be\s+valid\s+for"
    r"|(?:effective|continue|remain\s+in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?)\s+"
    r"(?:until|through|for\s+(?:a\s+period\s+of\s+)?(?:\w+\s+)?\(?\d)"
    r"|this\s+(?:Agreement|Contract)\s+(?:shall\s+|will\s+)?(?:commences?|become\s+effective|continue"
    r"|remain|be\s+(?:in\s+(?:full\s+)?(?:force|effect)|effective)|expire|terminate|end|have\s+a\s+(?:term"
    r"|duration))|(?:the\s+)?Term\b[^.]{0,40}?\b(?:shall|will)\s+(?:be|commence|begin|continue"
    r"|remain|expire|end)|duration\s+of\s+this|(?:Agreement|Term)\s+(?:shall|will)\s+expire"
    r"|shall\s+expire\s+on|in\s+perpetuity|perpetual\s+term|\bTerm\s*:"
    r"|[\"“]Term[\"”]\s+(?:means|shall\s+mean)|anniversary\s+of\s+the\s+(?:Effective|Commencement)\s+Date"
    r"|(?:shall|will)\s+(?:expire|terminate|end)\s+(?:up)?on\s+the\s+(?:earlier|later)"
    r"|term\s+of\s+(?:the|this)\s+agreement|(?:Agreement|Contract)\s+(?:is|shall\s+be|will\s+be)\s+"
    r"for\s+(?:a|the)\s+(?:term|period)|(?<=[\"“])(?:[A-Z]\w+\s+)?(?:Term|Period)[\"”]\s+(?:shall\s+)?"
    r"means?|remain\s+(?:effective|valid)\s+for|this\s+(?:Agreement|Contract)\s+(?:shall\s+|will\s+)?"
    r"begins?\b|(?:continue|remain)\w*\s+(?:in\s+(?:full\s+)?(?:force|effect)\s+)?(?:indefinitely"
    r"|for\s+perpetuity|in\s+perpetuity|unless\s+and\s+until)"
    r"|(?:continue|remain)\w*\s+(?:in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?\s+)?for\s+"
    r"at\s+least)",
    re.I,
)
_BASE_REF = (
    r"(?:the\s+)?(?:date\s+of\s+(?:the\s+)?Effective\s+Date|date\s+of\s+this\s+document"
    r"|Effective\s+Date|date\s+(?:hereof|of\s+(?:this\s+Agreement|execution|signing)"
    r"|(?:first\s+)?(?:written|set\s+forth)\s+above|on\s+which)|Execution\s+Date|signing\s+date"
    r"|Commencement\s+Date|execution\s+(?:date\s+)?(?:of|hereof)|(?:the\s+)?date\s+this"
    r"|date\s+of\s+(?:the|this)\s+(?:Agreement|Contract))"
)
_REL_EXPIRY = re.compile(
    rf"(?P<dur>{DUR})\s*(?:\([^)]{{0,40}}\)\s*)?(?:from|after|following|commencing\s+(?:on|from|with)"
    rf"|beginning\s+(?:on|with)?|starting\s+(?:on|from)?|of|as\s+of)\s+(?:and\s+including\s+)?"
    rf"{_BASE_REF}",
    re.I,
)
# "shall begin on the Effective Date and shall end fifteen months therefrom"
_REL_THEREAFTER = re.compile(
    rf"\b(?:begin|commence|start)\w*\s+(?:on|as\s+of|upon)\s+{_BASE_REF}[^.;]{{0,80}}?"
    rf"(?P<dur>{DUR})\s+(?:therefrom|thereafter|after\s+such\s+date)",
    re.I,
)
_TERM_DUR = re.compile(
    rf"(?:(?:term|period|duration)\b[^.;]{{0,80}}?(?:of|for|be|is|until|through)"
    rf"|(?:continue|remain)\s+(?:in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?\s+"
    rf"|effective\s+|valid\s+)?(?:initially\s+)?for(?:\s+at\s+least)?"
    rf"|Term\s*:)\s+"
    rf"(?:a\s+(?:period|term)\s+of\s+|an?\s+(?:initial\s+)?(?:period|term)\s+of\s+|an?\s+"
    rf"|the\s+(?=[^.;]{{0,30}}\bterm\b))?"
    rf"(?P<dur>{DUR})",
    re.I,
)
# Title-case words only (a section heading run into its first sentence), e.g. "4. Term and "
_HEADING_RUN = re.compile(
    r"\s*(?:(?:Section|Article)\s+)?(?:[\dIVX]+[.)]?[\d.]*\s*)?(?:[A-Z][a-z]*\.?\s+(?:(?:and|&)\s+)?)*$"
)
_ANNIV = re.compile(
    rf"(?P<ord>\w+(?:-\w+)?|\d+(?:st|nd|rd|th))\s*(?:\(\s*\d+(?:st|nd|rd|th)?\s*\)\s*)?"
    rf"anniversary\s+of\s+{_BASE_REF}"
    rf"|(?P<dur>{DUR})\s+anniversary\s+of\s+{_BASE_REF}",
    re.I,
)
_UNTIL_DATE = re.compile(
    r"(?:(?:Termination|Expiration|Expiry|End)\s+Date\s*:?|until|through(?:\s+to)?|conclud\w*(?:\s+on)?"
    r"|end(?:s|ing)?\s+as\s+of|(?:19|20)\d\d\s*(?:to|-|–)|expire[sd]?(?:\s+(?:on|at))?|terminat\w+(?:\s+on)?|end(?:s|ing)?\s+on|ending"
    r"|continue\s+(?:in\s+(?:full\s+)?(?:force\s+and\s+)?effect\s+)?(?:until|through)|to\s+and"
    r"|no\s+event\s+later\s+than"
    r"\s+including|up\s+to|and\s+ending)\W+(?:(?:and\s+)?(?:including|the\s+close\s+of\s+business"
    r"\s+on|midnight\s+on|\d+:\d+\s*[ap]\.?m\.?[^,]{0,30}on|on)\W+)?$",
    re.I,
)
_PERPETUAL = re.compile(
    r"\b(?:in\s+perpetuity|perpetual(?:ly)?|indefinite(?:ly)?|(?:continue|remain)(?:\s+in\s+(?:full\s+)?"
    r"(?:force|effect)(?:\s+and\s+(?:effect|force))?)?\s+(?:indefinitely\s+)?until\b(?!\s+(?:the\s+)?"
    r"(?:expiration|end)\s+of\s+the\s+(?:Initial\s+)?Term)|until\s+terminated|for\s+perpetuity"
    r"|(?:continue|remain)\w*\s+unless\s+and\s+until)",
    re.I,
)
_RENEW_SENT = re.compile(
    r"\b(?:renew\w*|extend\w*|extension|successive|evergreen|year[\s-]+to[\s-]+year"
    r"|month[\s-]+to[\s-]+month)\b",
    re.I,
)
_RENEW_CUT = re.compile(
    r"\b(?:renew\w*|successive|evergreen|(?:be|automatically)\s+extended|extension)\b", re.I
)
_TERM_STRONG = re.compile(
    r"\b(?:(?:the\s+)?term\s+of\s+this\s+(?:Agreement|Contract)\s+(?:shall|will|is)|initial\s+term"
    r"|[\"“]Term[\"”]|Term\s*[.:]|duration|this\s+(?:Agreement|Contract)\s+(?:shall|will)\s+"
    r"(?:commence|become\s+effective|continue|remain|expire|be\s+(?:valid|effective|in\s+force)))",
    re.I,
)
_TERM_AVOID = re.compile(
    r"\b(?:during\s+the\s+(?:term|Term)|(?:after|following|survive\w*)\s+(?:the\s+|any\s+)?"
    r"(?:expiration|termination|expiry))",
    re.I,
)
_AUTO_RENEW = re.compile(
    r"\b(?:automatic(?:ally)?\s+(?:be\s+)?(?:renew|extend|continue)\w*|renew\w*\s+"
    r"(?:automatically|itself)|(?:auto|automatic)[\s-]+renew\w*|automatic\s+(?:annual\s+)?"
    r"(?:renewal|extension)s?|shall\s+(?:thereafter\s+)?(?:be\s+)?(?:renewed|extended|continue)"
    r"[^.;]{0,40}?(?:for\s+)?(?:successive|additional|subsequent|consecutive|further)"
    r"|(?:renewed|extended|extend|renew)\s+(?:tacitly|automatically)|tacit\w*\s+renew\w*"
    r"|continue\s+(?:thereafter\s+)?(?:on\s+a\s+)?(?:from\s+)?(?:year[\s-]+to[\s-]+year"
    r"|month[\s-]+to[\s-]+month)|evergreen)",
    re.I,
)
_MANUAL_RENEW = re.compile(
    r"\b(?:may\s+be\s+(?:renewed|extended)|mutual(?:ly)?\s+(?:written\s+)?agree\w*"
    r"|upon\s+(?:the\s+)?mutual|option\s+to\s+(?:renew|extend)|may\s+(?:renew|extend))",
    re.I,
)
_RENEW_DUR = re.compile(
    rf"(?:(?:successive|additional|subsequent|consecutive|further|renewal|extension|renewed|"
    rf"extended|renew|extend)\b[^.;]{{0,60}}?)(?:periods?\s+of\s+|terms?\s+of\s+)?"
    rf"(?P<dur>{DUR})",
    re.I,
)
_RENEW_UNIT = re.compile(
    r"\b(?P<u>year[\s-]+to[\s-]+year|month[\s-]+to[\s-]+month|(?:successive\s+)?"
    r"(?:annual|yearly|monthly)\s+(?:renewal|basis|period|term|extension)s?"
    r"|renew\w*\s+annually|(?:additional|successive)\s+(?:one[\s-]+)?years?\b(?!\s*\()"
    r"|(?:every|each|per)\s+(?:calendar\s+)?(?P<y>year)|monthly\s+periods?)",
    re.I,
)
_NOTICE_DUR = re.compile(
    rf"(?P<dur>{DUR})['’]?\s*(?:\([^)]{{0,30}}\)\s*)?(?:(?:prior|advance|written|advanced|"
    rf"or\s+more|or\s+longer)\s+)*(?:written\s+)?(?:notice|notification|before|prior|in\s+advance"
    rf"|preceding)|(?:notice|notif\w+)[^.;]{{0,80}}?(?:at\s+least|not\s+less\s+than|no\s+less"
    rf"\s+than|no\s+later\s+than|a\s+minimum\s+of|within|more\s+than)\s+(?P<dur2>{DUR})",
    re.I,
)


def _ordinal(s: str) -> int | None:
    s = s.lower()
    if s in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[s]
    m = re.match(r"(\d+)", s)
    if m:
        return int(m.group(1))
    parts = s.split("-")
    if len(parts) == 2 and parts[0] in _UNITS_WORDS and parts[1] in _ORDINAL_WORDS:
        return _UNITS_WORDS[parts[0]] + _ORDINAL_WORDS[parts[1]]
    return None


def _extract_term(ctx: _Ctx, agreement_d: _Date | None, effective_d: _Date | None) -> None:
    text = ctx.text
    agreement = agreement_d.date if agreement_d else None
    base_d = effective_d or agreement_d
    base = base_d.date if base_d else None

    def precision_of(b: dt.date) -> str:
        """A date computed from a partial base date is as partial as the base."""
        for d in (effective_d, agreement_d):
            if d is not None and d.date == b:
                return d.precision
        return "day"

    term_sents = [(s, e) for s, e, _ in ctx.find_sents(_TERM_SENT)]
    # sentences that talk about the agreement's term come first (stable by position)
    term_sents = [se for se in term_sents if not _TERM_AVOID.search(text, se[0], se[1])]
    term_sents.sort(key=lambda se: 0 if _TERM_STRONG.search(text, max(0, se[0] - 30), se[1]) else 1)
    expiration_done = False
    initial_done = False
    for s, e in term_sents[:12]:
        sent = text[s:e]
        if re.search(r"\b(?:confidential|warrant|non-?compet|survive|indemn|payment)", sent, re.I):
            continue
        renew_pos = _RENEW_CUT.search(text, s, e)
        if renew_pos and _HEADING_RUN.match(text, s, renew_pos.start()):
            renew_pos = _RENEW_CUT.search(text, renew_pos.end(), e)  # "Term and Renewal" heading
        main_end = renew_pos.start() if renew_pos else e
        # explicit expiration date
        if not expiration_done:
            for d in ctx.dates_in(s, e):
                before = text[max(s, d.start - 80) : d.start]
                if _UNTIL_DATE.search(before):
                    ctx.add("expiration_date", d.iso, d.start, d.end, 0.85)
                    expiration_done = True
                    break
        if not expiration_done:
            am = _ANNIV.search(text, s, main_end)
            n: float | None = None
            if am and am.group("ord"):
                n = _ordinal(am.group("ord"))
                if n is None:  # "four-year anniversary"
                    pdo = parse_duration(am.group("ord"))
                    n = pdo[0] if pdo and pdo[1] == "year" else None
            elif am:
                pd0 = parse_duration(am.group("dur"))
                n = pd0[0] if pd0 and pd0[1] == "year" else None
            if am and n:
                ref = am.group(0).lower()
                b = agreement if ("hereof" in ref or "execution" in ref) and agreement else base
                if b:
                    ctx.add(
                        "expiration_date",
                        _iso(_add(b, n, "year"), precision_of(b)),
                        am.start(),
                        am.end(),
                        0.8,
                    )
                    expiration_done = True
                    if not initial_done:
                        ctx.add("initial_term_months", round(n * 12), am.start(), am.end(), 0.75)
                        initial_done = True
        dur_m = (
            _REL_EXPIRY.search(text, s, main_end)
            or _REL_THEREAFTER.search(text, s, main_end)
            or _TERM_DUR.search(text, s, main_end)
        )
        if dur_m:
            after = text[dur_m.end("dur") : dur_m.end("dur") + 40]
            if re.match(
                r"['’]?\s*(?:\([^)]*\)\s*)?(?:prior\s+)?(?:written\s+)?notice", after, re.I
            ):
                dur_m = None
        if dur_m:
            pd = parse_duration(dur_m.group("dur"))
            if pd and pd[0] > 0:
                amount, unit = pd
                if not initial_done and unit in ("year", "month"):
                    ctx.add(
                        "initial_term_months",
                        _months(amount, unit),
                        dur_m.start("dur"),
                        dur_m.end("dur"),
                        0.8,
                    )
                    initial_done = True
                if not expiration_done:
                    ref = dur_m.group(0).lower()
                    b = agreement if ("hereof" in ref or "execution" in ref) and agreement else base
                    if b and unit in ("year", "month", "day"):
                        exp = _iso(
                            _add(b, amount, unit), precision_of(b) if unit != "day" else "day"
                        )
                        conf = 0.65 if dur_m.re is _TERM_DUR else 0.8
                        ctx.add("expiration_date", exp, dur_m.start(), dur_m.end(), conf)
                        expiration_done = True
        if not expiration_done:
            pm = _PERPETUAL.search(text, s, e)
            if pm and not _DUR_RE.search(text, s, pm.start()):
                ctx.add("expiration_date", "perpetual", pm.start(), pm.end(), 0.6)
                expiration_done = True
        if expiration_done and initial_done:
            break
    _extract_renewal(ctx, term_sents)


_NONRENEW = re.compile(
    r"\b(?:non-?\s?renew\w*|not\s+(?:to\s+)?(?:renew|extend)|intention\s+not|elect\w*\s+not"
    r"|(?:prior\s+to|before)\s+the\s+(?:end|expiration|expiry)\s+of\s+(?:the|any|such|each)\s+"
    r"(?:then[\s-]+)?(?:current|initial|renewal|applicable|Term|existing)|desire\w*\s+(?:that\s+)?"
    r"(?:this\s+Agreement\s+)?(?:to\s+)?terminate)",
    re.I,
)


def _renewal_duration(ctx: _Ctx, s: int, e: int) -> tuple[int, int, int, float] | None:
    text = ctx.text
    rm = _RENEW_DUR.search(text, s, e)
    while rm:
        after = text[rm.end("dur") : rm.end("dur") + 30]
        if not re.match(
            r"['’]?\s*(?:\([^)]*\)\s*)?(?:prior|advance|written|notice|before|after|following)",
            after,
        ):
            pd = parse_duration(rm.group("dur"))
            if pd and pd[1] in ("year", "month") and pd[0] > 0:
                return _months(*pd), rm.start("dur"), rm.end("dur"), 0.8
        rm = _RENEW_DUR.search(text, rm.end(), e)
    um = _RENEW_UNIT.search(text, s, e)
    if um:
        months = 1 if "month" in um.group("u").lower() else 12
        return months, um.start(), um.end(), 0.7
    return None


def _extract_renewal(ctx: _Ctx, term_sents: list[tuple[int, int]]) -> None:
    text = ctx.text
    cands: list[tuple[int, int]] = []
    for s, e, _m in ctx.find_sents(_RENEW_SENT):
        sent = text[s:e]
        if re.search(r"\b(?:term|agreement|period|contract|renew)", sent, re.I) and not re.search(
            r"\b(?:license\s+key|patent\s+term|warranty|statute|insurance|lease\s+term|"
            r"confidential\w*|extend(?:ed)?\s+(?:the\s+)?(?:time|deadline|due\s+date))\b",
            sent,
            re.I,
        ):
            cands.append((s, e))
    if not cands:
        return
    auto: tuple[int, int, bool, float] | None = None
    for s, e in cands:
        m = _AUTO_RENEW.search(text, s, e)
        if m:
            auto = (m.start(), m.end(), True, 0.85)
            break
    if auto is None:
        for s, e in cands:
            m = _MANUAL_RENEW.search(text, s, e)
            if m and re.search(r"renew|extend", text[s:e], re.I):
                auto = (m.start(), m.end(), False, 0.6)
                break
    if auto is not None:
        ctx.add("auto_renewal", auto[2], auto[0], auto[1], auto[3])
        idx = ctx.sent_at(auto[0])
        ordered = [ctx.sents[idx]] + [c for c in cands if c != ctx.sents[idx]]
    else:
        ordered = cands
    for s, e in ordered[:6]:
        rd = _renewal_duration(ctx, s, e)
        if rd:
            ctx.add("renewal_term_months", rd[0], rd[1], rd[2], rd[3] if auto else rd[3] - 0.2)
            break
    # notice to prevent renewal: in the renewal sentence, its neighbours, or a non-renewal clause
    windows: list[tuple[int, int, float]] = []
    if auto is not None:
        idx = ctx.sent_at(auto[0])
        ren_s, ren_e = ctx.sents[idx]
        nxt_e = ctx.sents[idx + 1][1] if idx + 1 < len(ctx.sents) else ren_e
        prev_s = ctx.sents[idx - 1][0] if idx > 0 else ren_s
        windows += [(ren_s, ren_e, 0.8), (prev_s, nxt_e, 0.6)]
    windows += [(s, e, 0.7) for s, e in cands if _NONRENEW.search(text, s, e)]
    for lo, hi, conf in windows:
        if auto is None and not _NONRENEW.search(text, lo, hi):
            continue
        nm = _NOTICE_DUR.search(text, lo, hi)
        if nm:
            g = "dur" if nm.group("dur") else "dur2"
            pd = parse_duration(nm.group(g))
            if pd and pd[0] > 0:
                ctx.add("renewal_notice_days", _days(*pd), nm.start(g), nm.end(g), conf)
                break


# ---------------------------------------------------------------------------------------------
# Termination for convenience
# ---------------------------------------------------------------------------------------------

_TFC = re.compile(
    r"(?P<who>[Ee]ither\s+[Pp]arty|[Ee]ach\s+[Pp]arty|[Aa]ny\s+[Pp]arty|(?:the\s+)?[A-Z][\w&\-]*"
    r"(?:[ \t]+[A-Z][\w&\-]*){0,3}|[Ii]t)\s+(?:shall\s+have\s+the\s+right\s+to"
    r"|may(?:,\s+[^,]{0,60},)?|(?:will|shall)\s+(?:be\s+entitled|have\s+the\s+(?:right|option))\s+to|can)\s+"
    r"(?:at\s+any\s+time\s+)?(?:and\s+)?terminate\s+this\s+(?:Agreement|Contract)"
    r"(?P<rest>[^.;]{0,200}?)(?:[.;]|$)",
)
_CONVENIENCE = re.compile(
    r"\b(?:for\s+(?:its\s+|their\s+)?convenience|without\s+(?:any\s+)?(?:cause|reason)|with\s+or"
    r"\s+without\s+cause|for\s+any\s+(?:or\s+no\s+)?reason|at\s+any\s+time\s+(?:and\s+)?for\s+any"
    r"|at\s+(?:its\s+)?(?:sole\s+)?discretion|for\s+no\s+reason)",
    re.I,
)


def _party_role(who: str) -> str:
    w = who.lower()
    if re.match(r"(?:either|each|any)\s+party", w):
        return "either"
    w = re.sub(r"^the\s+", "", w)
    role = ROLE_WORDS.get(w)
    if role in ("customer",):
        return "customer"
    if role in ("vendor", "supplier", "licensor", "consultant", "developer"):
        return "vendor" if role != "licensor" else "licensor"
    return re.sub(r"^the\s+", "", who, flags=re.I)


def _extract_tfc(ctx: _Ctx) -> None:
    text = ctx.text
    for anchor in re.finditer(r"terminate\s+this\s+(?:Agreement|Contract)", text):
        m = _TFC.search(text, max(0, anchor.start() - 150), anchor.end() + 200)
        if not m or m.start() > anchor.start():
            continue
        window = text[m.start() : min(len(text), m.end() + 120)]
        sent_start = text.rfind(".", max(0, m.start() - 200), m.start())
        pre = text[sent_start + 1 : m.start()] if sent_start >= 0 else ""
        if not (_CONVENIENCE.search(window) or _CONVENIENCE.search(pre)):
            continue
        who = m.group("who")
        generic = who.lower() == "it" or who.split()[0] in (
            "This",
            "The",
            "Agreement",
            "Notwithstanding",
        )
        if generic and who.lower() not in (
            "the customer",
            "the client",
            "the company",
            "the licensee",
        ):
            continue
        notice = None
        nm = re.search(rf"(?P<dur>{DUR})", window, re.I)
        if nm:
            pd = parse_duration(nm.group("dur"))
            if pd:
                notice = _days(*pd)
        ctx.add(
            "termination_for_convenience",
            {"party": _party_role(who), "notice_days": notice},
            m.start(),
            m.end(),
            0.8 if notice is not None else 0.65,
        )
        return


# ---------------------------------------------------------------------------------------------
# Governing law
# ---------------------------------------------------------------------------------------------

_GOV_SENT = re.compile(
    r"\b(?:govern\w*|construed|interpreted|governing\s+law|applicable\s+law|laws?\s+of\s+the\s+"
    r"(?:State|Province|Commonwealth)|in\s+accordance\s+with\s+the\s+laws?|subject\s+to\s+the\s+"
    r"laws?|choice\s+of\s+law|legislation\s+of|laws?\s+of|application\s+of\s+(?:the\s+)?(?:\w+\s+){0,2}laws?)"
    r"\b",
    re.I,
)
_LAWS_OF = re.compile(r"\b(?:laws?|legislation)\b", re.I)
_VENUE = re.compile(
    r"\b(?:courts?|venue|jurisdiction|arbitration|tribunal|forum|seated|located\s+in|situated)\b",
    re.I,
)


_ADJ_LAW = re.compile(
    r"\b(?P<adj>English|Italian|German|French|Swiss|Dutch|Japanese|Chinese|PRC|Israeli|Indian"
    r"|Spanish|Irish|Scottish|Singapore|Singaporean|Hong\s+Kong|Swedish|Korean|Taiwanese|Canadian"
    r"|Australian|Brazilian|Mexican|Belgian|Austrian|Danish|Norwegian|Finnish|Luxembourg)\s+"
    r"(?:substantive\s+)?[Ll](?:aws?|AWS?)\b"
)
_ADJ_CANON = {
    "english": "England", "italian": "Italy", "german": "Germany", "french": "France",
    "swiss": "Switzerland", "dutch": "Netherlands", "japanese": "Japan", "chinese": "China",
    "prc": "China", "israeli": "Israel", "indian": "India", "spanish": "Spain",
    "irish": "Ireland", "scottish": "Scotland", "singapore": "Singapore",
    "singaporean": "Singapore", "hong kong": "Hong Kong", "swedish": "Sweden",
    "korean": "Korea", "taiwanese": "Taiwan", "canadian": "Canada", "australian": "Australia",
    "brazilian": "Brazil", "mexican": "Mexico", "belgian": "Belgium", "austrian": "Austria",
    "danish": "Denmark", "norwegian": "Norway", "finnish": "Finland",
    "luxembourg": "Luxembourg",
}  # fmt: skip
# "laws of X (a parenthetical) shall govern", "legislation of X shall apply"
_GOV_STRONG = re.compile(
    r"\b(?:governed|construed|governing\s+law|interpreted|controlled|applicable\s+law|(?:laws?"
    r"|legislation)(?:\s+(?:[\w,.]+|\([^()]{0,200}\))){0,8}?\s+(?:shall\s+|will\s+)?(?:apply"
    r"|applies|govern)|subject\s+to\s+the\s+(?:\w+\s+)?laws?|application\s+of\s+(?:the\s+)?"
    r"(?:\w+\s+){0,2}laws?|accordance\s+with\s+(?:the\s+)?(?:\w+\s+)?laws?)\b",
    re.I,
)
_NATIONS = ("United States", "Canada", "Australia", "United Kingdom")
# "<jurisdiction> law" ("in accordance with Ohio law", "New York substantive law")
_LAW_AFTER = re.compile(r"\s*(?:substantive\s+|statutory\s+)?laws?\b", re.I)
# "the laws thereof" / "the laws of such state": the jurisdiction is named earlier in the sentence
_LAWS_THEREOF = re.compile(
    r"\blaws\s+(?:thereof|of\s+(?:such|that|said)\s+(?:state|country))\b", re.I
)
# OCR-glued words ("the laws ofthe State ofTexas"): a direct regex beside the gazetteer
_STATE_OF = re.compile(
    r"\blaws?\s+of\s*(?:the\s*)?(?:State|Commonwealth|Province)\s+of\s*"
    r"(?P<j>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
)
_INCORPORATION = re.compile(r"\b(?:organized|incorporated|existing|formed|registered)\b", re.I)


def _gov_candidates(pipe: _Pipeline, sent: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical) governing-law jurisdictions in one sentence, in order."""
    cands: list[tuple[int, int, str]] = []
    for am in _ADJ_LAW.finditer(sent):
        canon = _ADJ_CANON[" ".join(am.group("adj").lower().split())]
        cands.append((am.start(), am.end(), canon))
    thereof = _LAWS_THEREOF.search(sent)
    for js, je, canon in pipe.jurisdictions(sent):
        before = sent[max(0, js - 80) : js]
        lm = list(_LAWS_OF.finditer(before))
        law_after = _LAW_AFTER.match(sent, je)
        gap = before[lm[-1].end() :] if lm else ""
        if lm and not _VENUE.search(gap) and not re.search(r"[(;]", gap):
            pass  # "laws of X", not "courts of X"/"jurisdiction of X"
        elif law_after:
            je = law_after.end()
        elif thereof and je <= thereof.start() and not _VENUE.search(before[-40:]):
            pass  # "accepted in the State of Nevada and governed by the laws thereof"
        else:
            continue
        if canon == "England":
            tail = re.match(r"\s*(?:and|&)\s*Wales", sent[je : je + 20])
            if tail:
                canon = "England and Wales"
                je += tail.end()
        cands.append((js, je, canon))
    if not cands:
        for sm in _STATE_OF.finditer(sent):
            for k in (2, 1):
                words = sm.group("j").split()[:k]
                found = canonical(" ".join(words))
                if found:
                    cands.append((sm.start("j"), sm.start("j") + len(" ".join(words)), found))
                    break
    cands.sort()
    return cands


def _gov_sentences(ctx: _Ctx) -> Iterator[tuple[int, int]]:
    """Governing-law sentences; one cut by a page break mid-sentence is joined to the next."""
    text = ctx.text
    for s, e, _m in ctx.find_sents(_GOV_SENT):
        i = ctx.sent_at(s)
        if text[e - 1] not in ".;!?" and i + 1 < len(ctx.sents):
            ns, ne = ctx.sents[i + 1]
            if text[ns : ns + 1].islower() and ns - e < 400:
                e = ne
        yield s, e


def _extract_governing_law(ctx: _Ctx) -> None:
    text = ctx.text
    pipe = _pipeline()
    best: tuple[float, int, list[tuple[int, int, str]]] | None = None
    for s, e in _gov_sentences(ctx):
        sent = text[s:e]
        strong = _GOV_STRONG.search(sent)
        if _INCORPORATION.search(sent) and not re.search(r"\b(?:governed|construed)\b", sent, re.I):
            continue
        if strong:
            score = 0.85
            if re.search(r"\b(?:governed|construed|governing\s+law)\b", sent, re.I):
                score += 0.05
            if re.search(r"\b(?:this|the)\s+(?:Agreement|Contract)\b|\bhereunder\b", sent, re.I):
                score += 0.05
        elif re.search(r"\blaws?\s+of\b", sent, re.I):
            score = 0.5  # fallback: "pursuant to the laws of X" with no governing-law wording
        else:
            continue
        if best is not None and score <= best[0]:
            continue
        cands = _gov_candidates(pipe, sent)
        if not cands:
            continue
        best = (score, s, cands)
        if score >= 0.95:
            break
    if best is None:
        return
    score, sent_s, cands = best
    # every jurisdiction named ("the laws of California and the laws of Hong Kong"); a nation is
    # dropped when a state or province remains ("Ontario and the federal laws of Canada")
    names: list[str] = []
    for _, _, canon in cands:
        if canon not in names:
            names.append(canon)
    narrower = [n for n in names if n not in _NATIONS]
    names = narrower or names
    first = next(c for c in cands if c[2] == names[0])
    last = max((c for c in cands if c[2] in names), key=lambda c: c[1])
    js, je = sent_s + first[0], sent_s + last[1]
    # evidence: from "laws of" through the jurisdiction name(s)
    ls = text.rfind("law", max(sent_s, js - 80), js)
    start = ls if ls >= 0 else js
    ctx.add("governing_law", "; ".join(names), start, je, min(score, 0.95))


# ---------------------------------------------------------------------------------------------
# Payment, fees, escalation, liability
# ---------------------------------------------------------------------------------------------

_NET = re.compile(
    rf"\b[Nn]et[\s-]+(?P<n>\d+)\b|\bwithin\s+(?P<dur>{DUR})\s+(?:(?:of|after|from|following)\s+"
    rf"(?:the\s+)?(?:(?:date\s+of\s+)?(?:receipt|the\s+date|date|issuance|submission)\s+"
    rf"(?:of\s+|by\s+\w+\s+of\s+)?)?(?:(?:the|an|each|such|any|a|its|such\s+)\s*)?(?:properly\s+"
    rf"submitted\s+|undisputed\s+|correct\s+)?invoice)"
    rf"|\bpa(?:y|id)\s+(?:each|all|any|the|such|every)\s+(?:\w+\s+)?invoices?\s+within\s+"
    rf"(?P<dur2>{DUR})",
    re.I,
)
_CURRENCY = {
    "$": "USD", "us$": "USD", "usd": "USD", "u.s.$": "USD", "€": "EUR", "eur": "EUR",
    "£": "GBP", "gbp": "GBP", "¥": "JPY", "jpy": "JPY", "cad": "CAD", "c$": "CAD",
    "rmb": "CNY", "cny": "CNY", "chf": "CHF", "aud": "AUD", "a$": "AUD", "inr": "INR",
    "euro": "EUR", "euros": "EUR", "dollars": "USD", "hk$": "HKD", "hkd": "HKD",
}  # fmt: skip
_MONEY = re.compile(
    r"(?P<cur>US\$|U\.S\.\$|HK\$|C\$|A\$|\$|€|£|¥|\b(?:USD|EUR|GBP|JPY|CAD|RMB|CNY|CHF|AUD|INR|HKD)"
    r"\b)\s?(?P<amt>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s*(?P<mult>million|billion"
    r"|thousand|[MK]\b))?",
    re.I,
)
_FEE_SENT = re.compile(
    r"\b(?:fees?|subscription|price|royalt(?:y|ies)|compensation|charges?|pay\s+to)\b", re.I
)
_PERIOD = re.compile(
    r"\b(?P<m>per\s+(?:calendar\s+)?month|monthly|each\s+month|a\s+month|/\s*month|/\s*mo\b)"
    r"|\b(?P<y>per\s+(?:calendar\s+|contract\s+)?year|per\s+annum|annual(?:ly)?|yearly|each\s+year"
    r"|/\s*(?:year|yr)\b)"
    r"|\b(?P<o>one[\s-]time|non-?recurring|lump[\s-]sum|upfront|up-front|signing\s+fee"
    r"|initial\s+fee)",
    re.I,
)


def _money(m: re.Match[str]) -> tuple[float, str]:
    amt = float(m.group("amt").replace(",", ""))
    mult = (m.group("mult") or "").lower()
    amt *= {"million": 1e6, "m": 1e6, "billion": 1e9, "thousand": 1e3, "k": 1e3}.get(mult, 1)
    return amt, _CURRENCY.get(m.group("cur").lower(), m.group("cur").upper())


def _extract_payment(ctx: _Ctx) -> None:
    text = ctx.text
    for m in _NET.finditer(text):
        if m.group("n"):
            days = int(m.group("n"))
            if days > 180:
                continue
            ctx.add("payment_net_days", days, m.start(), m.end(), 0.9)
            break
        pd = parse_duration(m.group("dur") or m.group("dur2"))
        if pd:
            ctx.add("payment_net_days", _days(*pd), m.start(), m.end(), 0.8)
            break
    # fees: first money amount in a fee sentence, preferring one with a period
    first: tuple[int, int, dict[str, Any], float] | None = None
    for s, e, _m in ctx.find_sents(_FEE_SENT):
        sent = text[s:e]
        if re.search(r"\b(?:liabilit|insurance|damages|penalt|indemn)", sent, re.I):
            continue
        for mm in _MONEY.finditer(text, s, e):
            amt, cur = _money(mm)
            if amt <= 0:
                continue
            pm = _PERIOD.search(text, mm.end(), min(e, mm.end() + 60)) or _PERIOD.search(
                text, max(s, mm.start() - 60), mm.start()
            )
            period = None
            if pm:
                period = "month" if pm.group("m") else "year" if pm.group("y") else "one-time"
            value = {"amount": amt, "currency": cur, "period": period}
            if period:
                ctx.add("fees", value, mm.start(), mm.end(), 0.6)
                return
            if first is None:
                first = (mm.start(), mm.end(), value, 0.4)
            break
    if first:
        ctx.add("fees", first[2], first[0], first[1], first[3])


_ESCALATION = re.compile(
    r"\b(?:increase[sd]?|escalat\w+|adjust\w*)\b[^.;]{0,160}?"
    r"(?:(?P<pct>\d+(?:\.\d+)?)\s*(?:%|percent|per\s+cent)|(?P<cpi>Consumer\s+Price\s+Index|CPI"
    r"|RPI|Retail\s+Price\s+Index))",
    re.I,
)


def _extract_escalation(ctx: _Ctx) -> None:
    text = ctx.text
    for m in _ESCALATION.finditer(text):
        s = max(0, text.rfind(".", 0, m.start()) + 1)
        e = text.find(".", m.end())
        e = len(text) if e < 0 else e
        sent = text[s:e]
        if not re.search(r"\b(?:price|fee|rate|charge|royalt)", sent, re.I):
            continue
        index = None
        if re.search(r"Consumer\s+Price\s+Index|\bCPI\b", sent, re.I):
            index = "CPI"
        elif re.search(r"Retail\s+Price\s+Index|\bRPI\b", sent, re.I):
            index = "RPI"
        percent: float | None = None
        cap: float | None = None
        for pm in re.finditer(r"(\d+(?:\.\d+)?)\s*(?:%|percent|per\s+cent)", sent, re.I):
            val = float(pm.group(1))
            before = sent[max(0, pm.start() - 40) : pm.start()]
            if re.search(
                r"(?:not\s+(?:to\s+)?exceed|no\s+more\s+than|up\s+to|maximum|cap)", before, re.I
            ):
                cap = val
            elif percent is None:
                percent = val
        if percent is None and cap is None and index is None:
            continue
        freq = None
        if re.search(r"\b(?:annual(?:ly)?|each\s+year|per\s+year|yearly|every\s+year|anniversary)",
                     sent, re.I):  # fmt: skip
            freq = "annual"
        elif re.search(r"\b(?:quarter(?:ly)?)", sent, re.I):
            freq = "quarterly"
        elif re.search(r"\b(?:month(?:ly)?)\b", sent, re.I):
            freq = "monthly"
        ctx.add(
            "price_escalation",
            {"percent": percent, "index": index, "frequency": freq, "cap_percent": cap},
            m.start(),
            m.end(),
            0.7 if (percent or index) else 0.5,
        )
        return


_LIAB_SENT = re.compile(r"\bliab(?:ility|le)\b", re.I)
_CAP_CUE = re.compile(
    r"\b(?:shall|will|may)\s+not\s+exceed|\bin\s+no\s+event\s+exceed|\blimited\s+to\b|\bnot\s+to"
    r"\s+exceed\b|\bmaximum\b|\bcap(?:ped)?\b|\bin\s+excess\s+of\b|\bexceed\b",
    re.I,
)
_UNCAPPED = re.compile(
    r"\b(?:unlimited\s+liability|liability\s+(?:shall|will)\s+be\s+unlimited|without\s+limit(?:ation)?"
    r"\s+(?:as\s+to|of)\s+amount|no\s+(?:limit|cap)\s+(?:on|to)\s+(?:its|the|either)\s+liability"
    r"|uncapped)\b",
    re.I,
)
_MULTIPLE = re.compile(
    rf"(?:(?P<x>{NUM_WORDS}|\d+(?:\.\d+)?)\s*(?:\(\s*\d+(?:\.\d+)?\s*\)\s*)?(?:times|x)\s+)?"
    r"(?:the\s+)?(?:total\s+|aggregate\s+|amount\s+of\s+(?:the\s+)?|sum\s+of\s+(?:the\s+)?)*"
    r"(?:fees|amounts?|charges|compensation|consideration|sums?|payments?)"
    r"\s+(?:actually\s+)?(?:paid|payable|received|due)",
    re.I,
)
_PERIOD_MONTHS = re.compile(
    rf"(?:preceding|prior\s+to|before|during|in|within|over)\s+(?:the\s+)?(?:(?:immediately\s+)?"
    rf"(?:preceding|prior)\s+)?(?P<dur>{DUR})",
    re.I,
)


def _extract_liability(ctx: _Ctx) -> None:
    text = ctx.text
    for s, e, _m in ctx.find_sents(_LIAB_SENT):
        sent = text[s:e]
        cm = _CAP_CUE.search(sent)
        if not cm or not re.search(r"\b(?:aggregate|total|cumulative|entire|maximum|liability\s+"
                                   r"(?:of|under|hereunder|for)|exceed)", sent, re.I):  # fmt: skip
            continue
        money = _MONEY.search(text, s + cm.start(), e)
        mult = _MULTIPLE.search(text, s + cm.start(), e)
        if not money and not mult:
            continue
        value: dict[str, Any] = {
            "uncapped": False,
            "amount": None,
            "currency": None,
            "multiple": None,
            "period_months": None,
        }
        ev_s, ev_e = s + cm.start(), s + cm.end()
        if money and (not mult or money.start() < mult.start()):
            value["amount"], value["currency"] = _money(money)
            ev_e = money.end()
        if mult:
            x = mult.group("x")
            value["multiple"] = parse_number(x) if x else 1.0
            ev_e = max(ev_e, mult.end())
            pm = _PERIOD_MONTHS.search(text, mult.end(), min(e, mult.end() + 150))
            if pm:
                pd = parse_duration(pm.group("dur"))
                if pd:
                    value["period_months"] = _months(*pd)
                    ev_e = max(ev_e, pm.end())
        ctx.add("liability_cap", value, ev_s, ev_e, 0.75)
        return
    m = _UNCAPPED.search(text)
    if m:
        value = {
            "uncapped": True,
            "amount": None,
            "currency": None,
            "multiple": None,
            "period_months": None,
        }
        ctx.add("liability_cap", value, m.start(), m.end(), 0.6)


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def extract_terms(text: str, title: str | None = None) -> list[Term]:
    """Extract structured terms (see module docstring) from a contract's full text."""
    if not text or not text.strip():
        return []
    ctx = _Ctx(text)
    _extract_document_name(ctx, title)
    _extract_parties(ctx)
    agreement, effective = _extract_dates(ctx)
    _extract_term(ctx, agreement, effective)
    _extract_tfc(ctx)
    _extract_governing_law(ctx)
    _extract_payment(ctx)
    _extract_escalation(ctx)
    _extract_liability(ctx)
    return ctx.terms
