"""Parties of contracts written as letters, which name no parties in a "between" preamble:

* a letter agreement's addressee, in the address block above the salutation ("February 15,
  2011 / Barclays Capital Inc. / 745 Seventh Avenue ... / Ladies and Gentlemen:"), whose
  writers define themselves in the first sentence ("Acme Inc., a Missouri corporation (the
  "Company"), ... confirms its agreement with you");
* a confirmation's "To:" and "From:" header lines ("To: Beta Bank, N.A. ("Counterparty") /
  From: Acme AG, London Branch ("Acme")").

The addressee only completes parties read from the letter's first sentence (`parties`); the
header lines make parties on their own only when both are there and both read as names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extraction.terms.context import _trim
from extraction.terms.dateparse import _MONTH_NAME
from extraction.terms.names import (
    _ENTITY_SUFFIXES,
    _NAME_CUT,
    _clean_name,
    _Party,
    _plain_words,
    _rules,
    valid_name,
)

_LETTER_OPENING = 3000  # a letter's address block and salutation come first

_SALUTATION = re.compile(
    r"(?:^|(?<=\s))(?:Dear\s+)?(?:Ladies\s+and\s+Gentlemen|Gentlemen|Sirs(?:\s+and\s+Madams?)?)"
    r"\s*[:,]|(?:^|(?<=\s))Dear\s+Sirs?\s*[:,]?",
)
# the letter's date, which opens the address block: "February 15, 2011", "November ___, 2006"
_LETTER_DATE = re.compile(
    rf"\b{_MONTH_NAME}\s+(?:\d{{1,2}}|_+|\[[^\]]{{0,6}}\])\s*,?\s*(?:19|20)\d\d\b"
    rf"|\b\d{{1,2}}\s+{_MONTH_NAME}\s+(?:19|20)\d\d\b"
)
# where a name ends in an address line: the street number, a comma before a place
_ADDRESS_START = re.compile(r"\s+(?=\d{1,6}\s+[A-Z])|\s+(?=P\.?\s?O\.?\s+Box)|[ \t]{2,}|\n", re.I)


def addressee(text: str) -> _Party | None:
    """The entity a letter agreement is addressed to: the first line of the address block
    between the letter's date (or its title) and the salutation, when it reads as an entity's
    name; None for a text that is no letter."""
    sal = _SALUTATION.search(text, 0, min(len(text), _LETTER_OPENING))
    if sal is None:
        return None
    lo = max(0, sal.start() - 600)
    dates = list(_LETTER_DATE.finditer(text, lo, sal.start()))
    if not dates:
        return None  # no dated letter head: the block above may be anything
    s = dates[-1].end()
    s, e = _trim(text, s, sal.start())
    if s >= e:
        return None
    end = _ADDRESS_START.search(text, s, e)
    ne = end.start() if end else e
    cut = _NAME_CUT.search(text, s, ne)
    ne = cut.start() if cut and cut.start() > s + 1 else ne
    ne = s + len(text[s:ne].rstrip(" ,;:"))
    name = _clean_name(text[s:ne])
    if not (valid_name(name) and _rules().has_suffix(name)):
        return None
    return _Party(s, ne, name, None, None, 0.55)


# a header line and its indented continuation lines ("To: Beta Bank, N.A., not individually
# but solely as Servicer on / <indent> behalf of Beta Trust ("Counterparty")")
_HEADER = re.compile(
    r"(?m)^[ \t]*(?P<label>To|From)\s*:[ \t]*(?P<body>[^\n]{2,300}"
    r"(?:\n[ \t]{4,}(?![A-Z][\w ]{0,20}:)[^\n]{2,200}){0,3})"
)


def from_to_lines(text: str, read_slot: Callable[[str, int, int], _Party | None]) -> list[_Party]:
    """The parties of a confirmation's "To:" and "From:" header lines (each read as one
    preamble slot by ``read_slot``); both or none."""
    found: dict[str, _Party] = {}
    for m in _HEADER.finditer(text, 0, min(len(text), 1500)):
        label = m.group("label")
        if label in found:
            continue
        p = read_slot(text, m.start("body"), m.end("body"))
        if p is not None:
            found[label] = p
    if len(found) < 2:
        return []
    parties = [found["To"], found["From"]]
    if _plain_words(parties[0].name) == _plain_words(parties[1].name):
        return []
    return parties


def with_addressee(text: str, parties: list[_Party]) -> list[_Party]:
    """A letter agreement's parties: those its first sentence defines and the addressee."""
    to = addressee(text)
    if to is None:
        return parties
    own = {" ".join(w for w in _plain_words(q.name) if w not in _ENTITY_SUFFIXES) for q in parties}
    if " ".join(w for w in _plain_words(to.name) if w not in _ENTITY_SUFFIXES) in own:
        return parties
    return [*parties, to]
