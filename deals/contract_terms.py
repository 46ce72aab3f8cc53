"""The contract side of reconciliation: the extracted terms a record is compared with, each
with its evidence span. Most come from the extraction pipeline's terms; billing frequency and
a time-limited discount are read here from the text, since only reconciliation needs them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from deals.entities import Evidence
from extraction.terms import parse_date, parse_duration
from extraction.types import Term
from lifecycle import Timeline, timeline


@dataclass(frozen=True)
class Fact:
    value: Any
    evidence: Evidence | None


@dataclass
class ContractFacts:
    contract_id: str
    title: str | None
    parties: list[str]
    start: Fact | None = None  # date
    end: Fact | None = None  # date: end of the initial term
    term_months: Fact | None = None  # int
    auto_renewal: Fact | None = None  # bool
    renewal_term_months: Fact | None = None  # int
    net_days: Fact | None = None  # int
    fee: Fact | None = None  # {"amount", "currency", "period"}
    escalation: Fact | None = None  # {"percent", "index", "frequency"}
    billing_frequency: Fact | None = None  # monthly | quarterly | semiannual | annual
    discount: Fact | None = None  # {"percent", "months", "end_date"}
    # The contract's life (renewal chain, escalation dates): lifecycle's one computation.
    timeline: Timeline | None = None


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def months_between(a: date, b: date) -> int:
    """Whole months from a to b, counting a term that ends the day before an anniversary as
    complete ("1 January 2020 to 31 December 2022" is 36 months)."""
    months = (b.year - a.year) * 12 + (b.month - a.month)
    if add_months(a, months) > b + _ONE_DAY:
        months -= 1
    return months


_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)


def _iso_date(v: Any) -> date | None:
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        try:
            return date.fromisoformat(v)
        except ValueError:
            return None
    return None


_FREQ_WORDS = {
    "month": "monthly",
    "monthly": "monthly",
    "quarter": "quarterly",
    "quarterly": "quarterly",
    "calendar quarter": "quarterly",
    "semi-annually": "semiannual",
    "semi-annual": "semiannual",
    "semiannually": "semiannual",
    "year": "annual",
    "annually": "annual",
    "annual": "annual",
    "yearly": "annual",
}
_BILLING = re.compile(
    r"\b(?:invoice[sd]?|invoicing|bill(?:ed|s|ing)?)\b[^.;:]{0,60}?"
    r"(?:\b(?P<a>monthly|quarterly|semi-?annually|semi-annual|annually|yearly)\b"
    r"|\b(?:each|every)\s+(?:calendar\s+)?(?P<b>month|quarter|year)\b"
    r"|\bon\s+an?\s+(?P<c>monthly|quarterly|annual|yearly|semi-annual)\s+basis\b)"
    r"|\bpayable\s+(?:\w+\s+){0,2}?(?P<d>monthly|quarterly|semi-?annually|annually|yearly)\b",
    re.I,
)
_DISCOUNT = re.compile(
    r"\b(?P<pct>\d{1,2}(?:\.\d+)?)\s*(?:%|percent|per\s+cent)\s+(?:\w+\s+){0,3}?discount\b"
    r"|\bdiscount\s+of\s+(?P<pct2>\d{1,2}(?:\.\d+)?)\s*(?:%|percent|per\s+cent)",
    re.I,
)
_DISC_UNTIL = re.compile(
    r"\b(?:for\s+the\s+first|during\s+the\s+first|for\s+a\s+period\s+of)\s+(?P<dur>[\w\s()-]{1,40}?"
    r"\b(?:months?|years?))\b|\b(?:until|through|ending\s+on|expir\w+\s+on)\s+(?P<date>"
    r"[A-Z][a-z]+\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})",
    re.I,
)


def billing_frequency(text: str) -> Fact | None:
    for m in _BILLING.finditer(text):
        word = (m.group("a") or m.group("b") or m.group("c") or m.group("d") or "").lower()
        freq = _FREQ_WORDS.get(word) or _FREQ_WORDS.get(word.replace("semi", "semi-"))
        if freq:
            return Fact(
                freq,
                Evidence(term="billing_frequency", text=m.group(0), start=m.start(), end=m.end()),
            )
    return None


def discount(text: str, start: date | None) -> Fact | None:
    """A discount limited in time ("a 20% discount for the first twelve (12) months")."""
    for m in _DISCOUNT.finditer(text):
        s = max(0, text.rfind(".", 0, m.start()) + 1)
        e = text.find(".", m.end())
        e = len(text) if e < 0 else e
        if not re.search(r"\b(?:fee|price|subscription|charge|rate|invoice)", text[s:e], re.I):
            continue
        pct = float(m.group("pct") or m.group("pct2"))
        months: int | None = None
        end: date | None = None
        um = _DISC_UNTIL.search(text, s, e)
        if um and um.group("dur"):
            pd = parse_duration(um.group("dur"))
            if pd:
                amount, unit = pd
                months = round(amount * 12) if unit.startswith("year") else round(amount)
                end = add_months(start, months) - _ONE_DAY if start else None
        elif um and um.group("date"):
            end = parse_date(um.group("date"))
        stop = um.end() if um else m.end()
        ev = Evidence(term="discount", text=text[m.start() : stop], start=m.start(), end=stop)
        value = {"percent": pct, "months": months, "end_date": end.isoformat() if end else None}
        return Fact(value, ev)
    return None


def contract_facts(
    contract_id: str,
    title: str | None,
    text: str,
    terms: list[dict[str, Any]],
    life: Timeline | None = None,
    today: date | None = None,
) -> ContractFacts:
    """Facts from stored terms (dicts with name, value, text, start, end, page, confidence).
    `life`: the contract's timeline (with its amendments); unset: computed from `terms`."""
    by: dict[str, dict[str, Any]] = {}
    parties: list[str] = []
    for t in terms:
        if t["name"] == "parties":
            if isinstance(t["value"], dict) and t["value"].get("name"):
                parties.append(str(t["value"]["name"]))
            continue
        by.setdefault(t["name"], t)

    def fact(name: str, value: Any = None) -> Fact | None:
        t = by.get(name)
        if t is None:
            return None
        ev = Evidence(term=name, text=t["text"], start=t["start"], end=t["end"], page=t["page"])
        return Fact(t["value"] if value is None else value, ev)

    f = ContractFacts(contract_id, title, parties)
    for name in ("effective_date", "agreement_date"):
        d = _iso_date(by.get(name, {}).get("value"))
        if d:
            f.start = fact(name, d)
            break
    end = _iso_date(by.get("expiration_date", {}).get("value"))
    if end:
        f.end = fact("expiration_date", end)
    months = by.get("initial_term_months", {}).get("value")
    if isinstance(months, int | float) and months > 0:
        f.term_months = fact("initial_term_months", int(months))
    elif f.start and f.end and f.end.value > f.start.value:
        f.term_months = Fact(months_between(f.start.value, f.end.value), f.end.evidence)
    if isinstance(by.get("auto_renewal", {}).get("value"), bool):
        f.auto_renewal = fact("auto_renewal")
    if isinstance(by.get("renewal_term_months", {}).get("value"), int):
        f.renewal_term_months = fact("renewal_term_months")
    if isinstance(by.get("payment_net_days", {}).get("value"), int):
        f.net_days = fact("payment_net_days")
    fee = by.get("fees", {}).get("value")
    if isinstance(fee, dict) and fee.get("amount"):
        f.fee = fact("fees")
    esc = by.get("price_escalation", {}).get("value")
    if isinstance(esc, dict) and (esc.get("percent") or esc.get("index")):
        f.escalation = fact("price_escalation")
    f.billing_frequency = billing_frequency(text)
    f.discount = discount(text, f.start.value if f.start else None)
    f.timeline = life or timeline(
        [Term.model_validate({"confidence": 1.0, **t}) for t in terms], today=today
    )
    return f
