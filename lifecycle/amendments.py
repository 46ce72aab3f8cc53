"""Which stored contract an amendment amends: a scored suggestion a person confirms.

Pure: the caller passes the amendment's text, title and parties, and the candidates' titles,
parties and dates. Three signals, each shown to the person as a reason:
- the parties: names shared with the candidate (the strongest signal);
- the date: the amendment refers to an agreement "dated" on the candidate's agreement or
  effective date;
- the title: the amendment names the candidate's title ("Amendment No. 1 to the Supply
  Agreement").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from extraction.terms import DATE_RE, parse_date

__all__ = ["Candidate", "ParentSuggestion", "looks_like_amendment", "suggest_parents"]

_AMEND = re.compile(
    r"\b(?:amendment|amending|amended\s+and\s+restated|addendum|supplement(?:al)?\s+agreement"
    r"|extension\s+agreement|side\s+letter|variation\s+agreement|change\s+order)\b",
    re.I,
)
_GENERIC = {
    "agreement",
    "the",
    "of",
    "and",
    "to",
    "no",
    "a",
    "an",
    "inc",
    "llc",
    "ltd",
    "corp",
    "corporation",
    "company",
    "co",
    "amendment",
    "first",
    "second",
    "third",
    "fourth",
    "contract",
    "dated",
    "this",
    "limited",
    "plc",
    "gmbh",
    "sa",
    "ag",
    "lp",
    "l",
    "p",
}
_MIN_SCORE = 0.35


class Candidate(BaseModel):
    contract_id: str
    title: str
    parties: list[str] = Field(default_factory=list)
    dates: list[dt.date] = Field(default_factory=list)  # agreement and effective dates


class ParentSuggestion(BaseModel):
    parent_id: str
    score: float
    reasons: list[str]


def looks_like_amendment(title: str, text: str) -> bool:
    """An amendment says so in its title or its opening lines."""
    return bool(_AMEND.search(title or "") or _AMEND.search((text or "")[:1500]))


def _words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", s.lower()) if w not in _GENERIC and len(w) > 1}


def _party_overlap(mine: Sequence[str], theirs: Sequence[str]) -> list[str]:
    shared = []
    for p in theirs:
        pw = _words(p)
        if pw and any(len(pw & _words(m)) >= max(1, min(len(pw), 2)) for m in mine):
            shared.append(p)
    return shared


def _referenced_dates(text: str) -> set[dt.date]:
    """Dates the amendment's opening refers to ("the Agreement dated March 1, 2020")."""
    head = text[:4000]
    out: set[dt.date] = set()
    for m in DATE_RE.finditer(head):
        before = head[max(0, m.start() - 60) : m.start()].lower()
        if (
            re.search(r"\b(?:dated|effective|entered\s+into|made)\b", before)
            or "agreement" in before
        ):
            d = parse_date(m.group(0))
            if d:
                out.add(d)
    return out


def suggest_parents(
    title: str,
    text: str,
    parties: Sequence[str],
    candidates: Sequence[Candidate],
    *,
    limit: int = 3,
) -> list[ParentSuggestion]:
    """Candidates this amendment may amend, best first; empty when nothing is close."""
    refs = _referenced_dates(text)
    head_words = _words(title + " " + text[:1500])
    out: list[ParentSuggestion] = []
    for c in candidates:
        reasons: list[str] = []
        score = 0.0
        shared = _party_overlap(parties, c.parties)
        if shared:
            score += 0.45 if len(shared) >= 2 else 0.3
            reasons.append("shared parties: " + ", ".join(shared))
        hit = sorted(refs.intersection(c.dates))
        if hit:
            score += 0.4
            reasons.append("refers to the agreement dated " + hit[0].isoformat())
        tw = _words(c.title)
        if tw and len(tw & head_words) >= max(1, (len(tw) + 1) // 2):
            score += 0.2
            reasons.append(f"names its title ({c.title})")
        if score >= _MIN_SCORE:
            out.append(
                ParentSuggestion(
                    parent_id=c.contract_id, score=round(min(score, 1.0), 2), reasons=reasons
                )
            )
    out.sort(key=lambda s: -s.score)
    return out[:limit]
