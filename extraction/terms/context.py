"""Shared reading context: the spaCy rule pipeline, sentences and the term list."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from typing import Any

from extraction.jurisdictions import canonical, surface_forms
from extraction.terms.dateparse import _Date, _dates_in
from extraction.types import Term

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
    "company": "company", "affiliate": "affiliate", "adviser": "adviser", "agency": "agent",
    "principal": "principal",
    "advisor": "adviser", "marketer": "marketer", "endorser": "endorser",
    "host": "host", "owner": "owner", "lessor": "lessor", "lessee": "lessee",
    "employer": "employer", "employee": "employee", "investor": "investor",
    "collaborator": "collaborator", "operator": "operator", "sub-advisor": "sub-adviser",
    "sub-adviser": "sub-adviser", "trust": "trust", "fund": "fund", "bank": "bank",
    "landlord": "lessor", "tenant": "lessee", "lender": "lender", "borrower": "borrower",
    "guarantor": "guarantor", "executive": "employee",
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
        # template blanks run into dates ("as of _March 8, 2019"); same length, same offsets
        self.dates = _dates_in(text.replace("_", " "))
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
