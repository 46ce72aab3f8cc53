"""What reads as a party's legal name: entity suffixes (a spaCy Matcher over the name's
tokens), where a name ends in its slot (a description, an address, a defined term), and the
checks that keep clause text, role words and places out (`valid_name`). Shared by the preamble
reader (`parties`) and the signature-block readers (`signatures`)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from extraction.jurisdictions import canonical
from extraction.terms.context import ROLE_WORDS, _pipeline

# capital letters, accented ones included ("VÄRDE", "ÖRESUND")
_CAPS = "A-ZÀ-ÖØ-ÞĆČĐŁŃŐŘŚŠŰŹŻŽ"
_CAP = f"[{_CAPS}]"

_ENTITY_SUFFIXES = (
    "inc", "incorporated", "corp", "corporation", "company", "co", "llc", "l.l.c", "ltd",
    "limited", "llp", "lp", "l.p", "plc", "gmbh", "ag", "s.a", "sa", "b.v", "bv", "n.v", "nv",
    "s.p.a", "spa", "srl", "s.r.l", "pty", "ab", "asa", "a/s", "as", "kk", "oy", "trust",
    "partnership", "bank", "university", "association", "fund", "group", "s.à", "sarl", "kg",
    "lllp", "pllc", "pc", "p.c", "n.a", "fsb", "sas", "se", "bhd", "pte", "holdings", "foundation",
    "institute", "authority", "s/a", "g.i.e", "ltda", "ohg", "kgaa", "r.l", "s.a.r.l", "a.s",
    "s.r.o", "pvt", "p.a", "berhad", "tbk", "oyj", "aps", "s.l",
)  # fmt: skip
_SUFFIX_RE = (
    r"(?i:Inc|Incorporated|Corp|Corporation|Company|Co|LLC|L\.L\.C|Ltd|Limited|LLP|LP|L\.P|PLC"
    r"|plc|GmbH|AG|S\.A|SA|S/A|B\.V|BV|N\.V|NV|S\.p\.A|SRL|Pty|Pte|Bhd|AB|ASA|A/S|KK|Oy|KG|N\.A"
    r"|G\.I\.E|LTDA|KGaA|a\.s|s\.r\.o|P\.C|P\.A|PLLC|FSB|Berhad|Tbk|Oyj|ApS|S\.L)\.?"
)
# Where a name ends inside its slot: a description, an address, a defined term, a date
_NAME_CUT = re.compile(
    r",?\s+(?:a|an|A|AN)\s+(?:[\w.-]+\s+){0,5}?(?i:corporation|company|limited|partnership"
    r"|organi[sz]ation|entity|trust|bank|association|business|societ\w*|university|institution"
    r"|individual|resident|national|citizen|body|authority|agency|firm|LLC|corp)\b"
    r"|,\s*(?:a|an)\s+\w|\s+(?:a|an)\s+(?=[a-z]{3})"
    r"|,\s+(?:[A-Z][\w.]*\s+){1,3}(?:corporation|company|limited\s+liability|partnership)\b"
    r"|\s+(?=\d{2,6}\s+[A-Z][a-z])"
    r"|,?\s+(?:with|having|whose|located|organi[sz]ed|incorporated|existing|residing|acting"
    r"|registered|established|formed|duly|represented|on\s+behalf|c/o|herein|hereinafter|its\s+principal"
    r"|to\s+be\s+(?:formed|incorporated|organi[sz]ed|established)"
    r"|doing\s+business\s+at|together\s+with|each\s+of|both\s+of"
    # a trustee or servicer acting for another: "Beta Bank, N.A., not individually but solely
    # as Trustee", "Acme Trust Company, solely in its capacity as agent"
    r"|not\s+individually|not\s+in\s+its\s+individual|solely\s+(?:as|in\s+its))\b"
    r"|,?\s+(?:With|WITH|Having|HAVING)\s+(?:(?:its|their|a|an|the)\s+)?(?i:principal|registered"
    r"|offices?|head|place|address)\b"
    r"|,?\s+(?:of|at|OF|AT)\s+(?=\d|\()|,?\s+(?:an?\s+)?(?:address|offices?)\s+at\b"
    # "Acme (Pty) Ltd, registration no 2001/123", "Beta Ltd (company number 0123456)"
    r"|,?\s+\(?(?i:company|registration|registered|reg\.?)\s+(?i:no|nr|number)\b"
    # "GLACIER DRILLING LTD., of Calgary, Alberta": a place after a comma ("Bank of America",
    # "Alliance Bancorp, Inc. of Pennsylvania" have none)
    r"|,\s+(?:of|OF)\s+(?=[A-Z])"
    r"|,?\s*[（【「]|,\s*(?=\d)|\s*\((?![A-Z][A-Za-z .]{0,20}\)\s*(?:[A-Z][\w.,&-]*\s*){0,6}?"
    + _SUFFIX_RE
    + r")|\s*[\"“”]|\s*``|\s*\[(?=\s*(?:the\s+)?[\"“”'‘`])|\s*\n\s*\n|_{3,}|\s*\n\s*\d+\s*(?:\n|$)"
    r"|,?\s+(?:dated|as\s+of|effective)\b|,?\s+(?:a/k/a|aka|f/k/a|fka|formerly)\b"
    r"|,?\s+as\s+(?=[A-Z])"
    # a capacity in lower case: "Fenwick LLC, as sublandlord", "Beta Bank, as collateral agent"
    r"|(?<!known),?\s+as\s+(?:the\s+|an?\s+)?(?=[a-z])"
    # "Acme Inc. and its Affiliates", "The Bon-Ton Stores, Inc. and its associated debtors"
    r"|,?\s+and\s+(?:all\s+of\s+)?(?:its|their)\s+(?=[a-zA-Z])"
    r"|\s+(?=(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+\d)",
)

# Words a name never contains: clause words, dates, times of day
_NOT_NAME = re.compile(
    r"\b(?:dated|shall|may|will|hereby|herein|hereinafter|hereto|hereunder|referred|whereas"
    r"|agrees?|agreement|desires?|pursuant|including|set\s+forth|following|between|among"
    r"|individually|collectively|respectively|undersigned|effective)\b"
    r"|\d{1,2}:\d\d|\b[ap]\.\s?m\.|\|",
    re.I,
)
# Function words are clause text when written in lower case ("Food For Athletes" is a name)
_NOT_NAME_LOWER = re.compile(
    r"\b(?:each|both|either|its|their|this|which|who|is|are|has|have|be|been|for|to|from|with"
    r"|under|by|on|in|as\s+of)\b"
)
_GENERIC = frozenset(
    {*ROLE_WORDS, "the", "and", "or", "a", "an", "party", "parties", "company", "affiliates",
     "corporation", "inc", "llc", "ltd", "its", "each", "other", "corp", "name", "address",
     "signature", "title", "date", "by", "s", "[", "]", "services", "service", "member",
     "members", "limited", "co", "lender", "borrower", "guarantor", "principal", "recipient",
     "holder", "shipper", "transporter", "licensors", "licensees", "seller", "buyer", "us",
     "you", "we"}
)  # fmt: skip


@dataclass(frozen=True)
class _Party:
    start: int
    end: int
    name: str
    alias: str | None
    role: str | None
    conf: float


class _NameRules:
    """spaCy Matcher over a candidate name's tokens: an entity suffix at its end."""

    def __init__(self) -> None:
        from spacy.matcher import Matcher

        self.nlp = _pipeline().nlp
        self.suffix = Matcher(self.nlp.vocab)
        forms = sorted({s for x in _ENTITY_SUFFIXES for s in (x, x + ".")})
        self.suffix.add("SUFFIX", [[{"LOWER": {"IN": forms}}, {"IS_PUNCT": True, "OP": "*"}]])
        # "Mutual Insurance Corporation of America", "Bank of Nova Scotia", "Institute of Soil
        # and Water Studies"
        of_place: list[dict[str, Any]] = [
            {"LOWER": {"IN": forms}},
            {"LOWER": "of"},
            {"IS_TITLE": True, "OP": "+"},
        ]
        self.suffix.add(
            "SUFFIX_OF_PLACE",
            [
                of_place,
                [*of_place, {"LOWER": {"IN": ["and", "&"]}}, {"IS_TITLE": True, "OP": "+"}],
            ],
        )
        # suffixes the tokenizer splits ("S/A" -> "S", "/", "A")
        split = {tuple(t.lower_ for t in self.nlp.make_doc(x)) for x in forms}
        self.suffix.add(
            "SUFFIX_SPLIT",
            [
                [*({"LOWER": w} for w in toks), {"IS_PUNCT": True, "OP": "*"}]
                for toks in sorted(split)
                if len(toks) > 1
            ],
        )

    def has_suffix(self, name: str) -> bool:
        doc = self.nlp.make_doc(name)
        return any(e == len(doc) for _, _s, e in self.suffix(doc))


@functools.lru_cache(maxsize=1)
def _rules() -> _NameRules:
    return _NameRules()


def _clean_name(raw: str) -> str:
    """A name on one line: whitespace collapsed, a word hyphenated across a line break joined
    ("Chen-\nBin" -> "Chen-Bin")."""
    return re.sub(r"(?<=\w)- (?=[A-Z])", "-", " ".join(raw.split()))


def _plain_words(name: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", name.lower())


def _all_in(text: str, words: frozenset[str] | tuple[str, ...]) -> bool:
    return all(w in words for w in _plain_words(text))


def valid_name(name: str) -> bool:
    """Whether a candidate reads as a legal name rather than clause text or a role word."""
    if not 2 <= len(name) <= 120 or len(name.split()) > 12:
        return False
    first = name.lstrip('[("“')[:1]
    camel = re.match(r"[a-z]+[A-Z.]|[a-z]\d\w*\s+[A-Z]|[a-z][\w-]*\.(?:com|net)\b", name)
    if not (first.isupper() or first.isdigit() or camel):
        return False
    if (
        _NOT_NAME.search(name)
        or _NOT_NAME_LOWER.search(name)
        or not re.search(r"[A-Za-z]{2}", name)
    ):
        return False
    if re.search(
        r"\s\d+$|^\d+\s*$|\b(?:Suite|Floor|Street|Avenue|Road)\b|\b(?:Fax|Tel)\b(?!-)|\b\d{5}\b",
        name,
    ):
        return False  # a page number of a table of contents, an address ("Tel-Online" is a name)
    words = _plain_words(name)
    if not words or all(w in _GENERIC or w in _ENTITY_SUFFIXES for w in words):
        return False
    sides = re.split(r"\s+(?:and|AND|And)\s+", name)
    if len(sides) > 1 and any(
        (_all_in(x, _GENERIC) and not _all_in(x, _ENTITY_SUFFIXES))
        or re.fullmatch(r"[A-Z]{2,6}", x)
        for x in sides
    ):
        # "Adviser and FASC", "SEV and DCL": defined terms, not names ("Tamarind Bank and
        # Trust Company" is one)
        return False
    if canonical(name) is not None and not _rules().has_suffix(name):
        return False  # "Wales", "State of Delaware"
    # lower-case words are connectors only ("Bank of America", "Johnson and Johnson")
    lower = [
        w
        for w in name.split()
        if re.match(r"[a-z]", w) and not camel and not re.match(r"[a-z]+[A-Z]", w)
    ]
    if re.search(r"\b[A-Z]{2,}[ \t]+(?:corporation|company)$", name):
        lower = lower[:-1]  # "XIMAGE corporation"
    elif (
        lower
        and lower[-1] == name.split()[-1]
        and "." in (last := lower[-1].strip(",."))
        and last in _ENTITY_SUFFIXES
    ):
        lower = lower[:-1]  # a dotted suffix: "Ostrava Metals a.s.", "Brno Tools s.r.o."
    if len(lower) == 1 and lower[0] != name.split()[0] and _rules().has_suffix(name):
        # one lower-case word inside an entity's name ("Petro data Management Services
        # Limited"); function words were refused above
        return True
    return not any(w.strip(",.") not in {"of", "and", "de", "du", "la", "del", "the", "for",
                                         "&", "von", "van", "der", "y", "e", "d/b/a", "dba",
                                         "fka", "f/k/a", "a", "formerly", "known", "as",
                                         "inc", "llc", "ltd", "corp", "plc"}
                   for w in lower)  # fmt: skip


_NAME_WORD = rf"(?:[{_CAPS}0-9][\w&.'’/-]*|\([A-Z][A-Za-z .]{{0,20}}\))"
_NAME_RUN = re.compile(
    _NAME_WORD + r"(?:(?:,?[ \t]+|(?<=-)[ \t]*\n[ \t]*|[ \t]+(?:of|and|the|de|du|&|for)[ \t]+)"
    rf"{_NAME_WORD})*"
)
# the same in running prose, which a hard wrap breaks anywhere: one line break (never a blank
# line) between two words of a name ("... between MediaNet Group\nTechnologies, Inc., a ...");
# signature blocks keep `_NAME_RUN`, where a line break ends a field
_NAME_RUN_WRAPPED = re.compile(
    _NAME_WORD + r"(?:(?:,?[ \t]*\n[ \t]*|,?[ \t]+|[ \t]+(?:of|and|the|de|du|&|for)[ \t]+)"
    rf"{_NAME_WORD})*"
)
