"""Assigning the quantities in a question to a clause type's parameters. Judging them is the
playbook's (`playbook.decide`), the same decision the review renders flags from."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from clause_index import Parameter
from clause_index.schema import ParamKind
from playbook.params import find_jurisdiction
from playbook.quantities import Mention, Quantity

_COMPATIBLE: dict[str, set[ParamKind]] = {
    "money": {ParamKind.money},
    "percent": {ParamKind.percent, ParamKind.multiple},
    "multiple": {ParamKind.multiple},
    "days": {ParamKind.days},
    "months": {ParamKind.months, ParamKind.years, ParamKind.days, ParamKind.integer},
    "hours": {ParamKind.integer, ParamKind.days},
    "count": {ParamKind.integer},
}
_STOP = {
    "the", "a", "an", "of", "to", "in", "on", "for", "by", "or", "and", "at", "be", "is",
    "which", "that", "we", "our", "their", "after", "before", "within", "any", "each", "per",
}  # fmt: skip
# Words of a parameter's name that say only its unit or that it lasts ("cure period days"):
# they do not show that a quantity of another unit is that parameter.
_GENERIC = {"period", "days", "day", "months", "month", "years", "year", "percent", "hours"}
WINDOW = 4  # words either side of a number that may name it
# The words after a period that runs from a notice ("within 90 days after being notified",
# "of receipt of that notice"): the time left to act on it, never the notice period itself.
_FROM_NOTICE = re.compile(
    r"(?:after|of|from|following)\s+(?:\w+\s+){0,2}?(?:receiv\w*|receipt|notif\w*|notice|being\s+notified)\b"
)

_SYNONYMS = {
    "update": {"update", "refresh", "refreshed", "deposit"},
    "notice": {"notice", "notify", "opt", "cancel", "non", "written"},
    "net": {"net", "pay", "payment", "invoice", "due"},
    "uplift": {"uplift", "increase", "escalation", "raise", "bump", "price"},
    "cap": {"cap", "capped", "liability", "limit", "lol", "up", "max", "maximum"},
    "floor": {"floor", "minimum", "least"},
    "frequency": {"once", "per", "every", "year", "audit"},
    "duration": {"max", "long", "last", "business"},
    "renewal": {"renewal", "renewals", "renew", "renews", "auto"},
    "initial": {"initial", "term", "deal", "contract", "first"},
    "survival": {"survival", "survive", "survives", "last", "years"},
    "discount": {"discount", "off"},
    "uptime": {"uptime", "availability", "available", "sla"},
    "credit": {"credit", "credits"},
    "retrieval": {"retrieval", "export", "retrieve", "data", "window"},
    "hours": {"hours", "breach", "notify", "notification"},
    "cure": {"cure", "fix", "remedy", "remedied", "remedies", "rectify", "rectified"},
}


def stem(w: str) -> str:
    """A word without its common English endings, for comparing words across wordings."""
    for suffix in ("ly", "ies", "es", "s", "ing", "ed"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def _words(s: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z]+", s.lower()) if w not in _STOP}


def _param_words(name: str, spec: Parameter) -> tuple[set[str], set[str]]:
    name_words = set(name.split("_"))
    expanded = set(name_words)
    for w in name_words:
        expanded |= _SYNONYMS.get(w, set())
    return {stem(w) for w in expanded}, _words(spec.description) | _words(spec.unit or "")


def _interval(q: Quantity, name: str, spec: Parameter) -> bool:
    """A count per period ("twice a year") read as the interval a frequency in months
    names: every 6 months."""
    return (
        q.kind == "count"
        and bool(q.per)
        and spec.kind is ParamKind.months
        and ("frequency" in name or "interval" in (spec.description or "").lower())
    )


# "two hundred per cent (200%) of the Charges": a share of the fees, read as a multiple of them.
_OF_FEES = {"fees", "fee", "charges", "charge", "amounts", "price", "prices", "consideration"}


def _convert(q: Quantity, spec: Parameter, name: str) -> float | None:
    if spec.kind is ParamKind.multiple and q.kind == "percent":
        of = q.after[:1] == ["of"] and bool(_OF_FEES & set(q.after[1:4]))
        return q.value / 100 if of else None
    if _interval(q, name, spec):
        assert q.per is not None
        return q.per / q.value if q.value else None
    if spec.kind is ParamKind.integer and q.kind == "count" and q.per and "per_year" in name:
        return q.value * 12 / q.per  # "twice a month" is 24 a year
    if spec.kind is ParamKind.days:
        if q.kind == "hours":
            return q.value / 24  # "48 hours' notice" is 2 days' notice
        return q.value * 30 if q.kind == "months" else q.value
    if spec.kind is ParamKind.years:
        return q.value / 12 if q.kind == "months" else None
    if spec.kind is ParamKind.integer:
        if q.kind == "hours":
            return q.value if "hours" in name else None
        if q.kind == "months":
            return q.value if "months" in name or "per_year" in name else None
        return q.value
    if spec.kind is ParamKind.months and q.kind == "days":
        return None
    return q.value


def assign(
    quantities: Sequence[Quantity],
    mentions: Sequence[Mention],
    params: Mapping[str, Parameter],
    question: str,
    primary: frozenset[str] = frozenset(),
    min_score: float = 0.0,
) -> dict[str, tuple[Any, str]]:
    """{parameter: (value, the question's words)}; each quantity sets at most one parameter,
    chosen by kind and the words around it (`min_score`: how clearly they must name it)."""
    scored: list[tuple[float, int, str, float]] = []
    for qi, q in enumerate(quantities):
        near = [(stem(w), d, False) for d, w in enumerate(q.before[:WINDOW])]
        near += [(stem(w), d, True) for d, w in enumerate(q.after[:WINDOW])]
        if q.text.lower().startswith("net"):
            near.append(("net", 0, False))
        for name, spec in params.items():
            if spec.kind not in _COMPATIBLE[q.kind] and not _interval(q, name, spec):
                continue
            if q.per and not (_interval(q, name, spec) or "per_year" in name):
                continue  # "once a year" says how often, not how many of anything
            if q.period and "frequency" not in name and "per_year" not in name:
                continue  # "5% a year" is a rate's period, not a duration
            if q.period and any(o.kind == "count" for o in quantities):
                continue  # "2 reassignments a year": the count is the value, "a year" its unit
            if (
                spec.kind is ParamKind.integer
                and q.kind == "months"
                and "months" not in name
                and not (q.period and "per_year" in name)
            ):
                continue
            value = _convert(q, spec, name)
            if value is None:
                continue
            if "notice" in name.split("_") and _FROM_NOTICE.match(" ".join(q.after[:5])):
                # "within 90 days after receiving that notice" runs from a notice: never this
                # parameter, and still its rival (a window to object is no other parameter
                # either, unless words name it).
                scored.append((-1.0, qi, name, value))
                continue
            strong, weak = _param_words(name, spec)
            score = 0.0
            for w, d, after in near:
                # The noun right after a number names it best ("12-month initial term").
                closeness = (1.5 if after else 1.0) / (1.0 + d)
                score += 2.0 * closeness if w in strong else 0.5 * closeness if w in weak else 0
            converted = (q.kind in ("months", "hours") and spec.kind is ParamKind.days) or (
                q.kind == "days" and spec.kind is not ParamKind.days
            )
            if converted and q.kind == "months" and q.before[:1] in (["for"], ["over"]):
                continue  # "no price increase for 3 years" is a duration, never notice days
            if converted and not any(w in strong - _GENERIC for w, _, _ in near):
                continue  # "in any rolling six-month period" is a window, not a cure period
            if converted:
                score -= 1.0  # "3 years" is rarely a day count
                if score <= 0:
                    continue  # and never without a word saying so
            if spec.min is not None and spec.max is not None and spec.min <= value <= spec.max:
                score += 0.25  # a plausible value for this parameter
            if name in primary:
                score += 0.3  # the standard wording's own parameters come first
            scored.append((score, qi, name, value))
    out: dict[str, tuple[Any, str]] = {}
    used: set[int] = set()
    for score, qi, name, value in sorted(scored, key=lambda x: -x[0]):
        if qi in used or name in out or score < min_score:
            continue
        if score < 1.0 and any(v == value for v, _ in out.values()):
            continue  # "45 days ... net 45": one number said twice sets one parameter
        # Without any cue word, only an unambiguous kind match counts.
        rivals = [s for s in scored if s[1] == qi]
        if score < 0.5 and len(rivals) > 1:
            continue
        out[name] = (value, quantities[qi].text)
        used.add(qi)
    for m in mentions:
        for name, spec in params.items():
            if name in out:
                continue
            if spec.kind is ParamKind.jurisdiction:
                out[name] = (m.value, m.text)
                break
            if spec.kind is ParamKind.text and spec.allowed:
                hit = next((a for a in spec.allowed if m.value.lower() in a.lower()), None)
                if hit:
                    out[name] = (hit, m.text)
                    break
    # Text parameters with an approved list (venue, index) named in the question's words,
    # in full ("UK CPI") or by their first part ("London" for "London, England").
    low = question.lower()
    for name, spec in params.items():
        if name in out or spec.kind is not ParamKind.text or not spec.allowed:
            continue
        for a in spec.allowed:
            head = a.split(",")[0].strip().lower()
            if a.lower() in low or (len(head) > 3 and re.search(rf"\b{re.escape(head)}\b", low)):
                out[name] = (a, a)
                break
    # A place the words name that is none of the approved places ("seated in Paris,
    # France" for a venue approved in four US and UK cities) is the value, outside them.
    for name, spec in params.items():
        if name in out or not mentions or not is_place(spec):
            continue
        out[name] = (mentions[0].value, mentions[0].text)
    return out


_PLACE_WORDS = re.compile(r"\b(?:city|venue|seat|courts?|forum|place|location)\b", re.I)


def is_place(spec: Parameter) -> bool:
    """A text parameter whose approved values are places (a venue, a seat)."""
    return (
        spec.kind is ParamKind.text
        and bool(spec.allowed)
        and bool(_PLACE_WORDS.search(spec.description or ""))
        and all(find_jurisdiction(a) is not None for a in spec.allowed or [])
    )
