"""Dated obligations read from a contract's text: reports, audits, minimum commitments, reviews.

Only a sentence that commits a party ("shall", "will", "must", "agrees to") to an obligation AND
says when it recurs produces events; a sentence without a frequency is skipped rather than given
an invented date. "Within N days after the end of each calendar quarter" dates each event N days
after the period's end; a "contract year" runs from the effective date.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from extraction.terms import DUR, parse_duration
from lifecycle.models import Event, Evidence

__all__ = ["obligation_events"]

_WHAT = re.compile(
    r"\b(?P<what>(?:[a-z]+\s+){0,2}reports?|statements?\s+of\s+account|royalty\s+statements?"
    r"|audits?|minimum\s+(?:purchase|order|commitment|volume|revenue|spend)\w*"
    r"|(?:business|service|performance|quarterly|annual)\s+reviews?)\b",
    re.I,
)
_MODAL = re.compile(r"\b(?:shall|will|must|agrees?\s+to|is\s+required\s+to)\b", re.I)
_FREQ = re.compile(
    r"\b(?P<q>(?:each|every|per)\s+(?:calendar\s+)?quarter|quarterly)\b"
    r"|\b(?P<m>(?:each|every|per)\s+(?:calendar\s+)?month|monthly)\b"
    r"|\b(?P<cy>(?:each|every|per)\s+calendar\s+year)\b"
    r"|\b(?P<y>(?:each|every|per)\s+(?:contract\s+|fiscal\s+)?year|annually|annual|yearly"
    r"|each\s+anniversary)\b",
    re.I,
)
_WITHIN = re.compile(
    rf"\bwithin\s+(?P<dur>{DUR})\s+(?:after|following|of)\s+(?:the\s+)?(?:end|close)\b", re.I
)
_SENT = re.compile(r"[^.;\n]+(?:[.;]|$)")
_LABEL = {"q": "Quarterly", "m": "Monthly", "cy": "Annual", "y": "Annual"}


def _period_ends(kind: str, effective: dt.date | None, lo: dt.date, hi: dt.date) -> list[dt.date]:
    """Ends of the periods (last day) falling within [lo - slack, hi]."""
    out: list[dt.date] = []
    if kind in ("q", "m", "cy"):
        step = {"q": 3, "m": 1, "cy": 12}[kind]
        # calendar periods end on the last day of a month divisible by the step
        d = dt.date(lo.year - 1, 1, 1)
        while d <= hi:
            d_next = d + relativedelta(months=step)
            end = d_next - dt.timedelta(days=1)
            if end >= lo - dt.timedelta(days=120):
                out.append(end)
            d = d_next
        return out
    if effective is None:
        return []
    k = 1
    while k < 200:
        end = effective + relativedelta(years=k) - dt.timedelta(days=1)
        if end > hi:
            break
        if end >= lo - dt.timedelta(days=120):
            out.append(end)
        k += 1
    return out


def obligation_events(
    text: str, *, effective: dt.date | None, today: dt.date, until: dt.date
) -> list[Event]:
    """Recurring obligations due from today to one year ahead (and not after `until`)."""
    lo = max(effective, today) if effective else today
    hi = min(until, today + relativedelta(years=1))
    if hi < lo:
        return []
    events: list[Event] = []
    seen: set[tuple[str, str]] = set()
    for sm in _SENT.finditer(text):
        sent = sm.group(0)
        if len(sent) > 800 or not _MODAL.search(sent):
            continue
        wm, fm = _WHAT.search(sent), _FREQ.search(sent)
        if not wm or not fm:
            continue
        kind = next(k for k in ("q", "m", "cy", "y") if fm.group(k))
        if kind == "y" and effective is None:
            continue
        what = re.sub(r"\s+", " ", wm.group("what")).strip().lower()
        if (what, kind) in seen:
            continue
        seen.add((what, kind))
        lag = 0
        within = _WITHIN.search(sent)
        if within:
            pd = parse_duration(within.group("dur"))
            if pd and pd[1] == "day":
                lag = round(pd[0])
            elif pd and pd[1] in ("week", "month"):
                lag = round(pd[0] * (7 if pd[1] == "week" else 30))
        s, e = sm.start(), sm.end()
        while s < e and text[s].isspace():
            s += 1
        ev = Evidence(term="obligation", text=text[s:e], start=s, end=e)
        when = f", {lag} days after the period ends" if lag else ", at the period's end"
        seq = 0
        for end in _period_ends(kind, effective, lo, hi):
            due = end + dt.timedelta(days=lag)
            if due < lo or due > hi:
                continue
            seq += 1
            events.append(
                Event(
                    kind="obligation",
                    date=due,
                    sequence=seq,
                    evidence=[ev],
                    title=f"{_LABEL[kind]} {what} due{when}",
                )
            )
    return events
