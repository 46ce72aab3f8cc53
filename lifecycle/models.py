"""Typed results of the timeline: events with their evidence, and the timeline that holds them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from extraction.types import Term

EventKind = Literal[
    "effective",
    "notice_deadline",
    "renewal",
    "expiration",
    "termination_window",
    "price_escalation",
    "payment_due",
    "obligation",
]
EVENT_KINDS: tuple[str, ...] = (
    "effective",
    "notice_deadline",
    "renewal",
    "expiration",
    "termination_window",
    "price_escalation",
    "payment_due",
    "obligation",
)


class Evidence(BaseModel):
    """The span of a contract (or of one of its amendments) a date was computed from."""

    term: str  # the extracted term's name ("renewal_notice_days") or "obligation"
    text: str
    start: int
    end: int
    page: int | None = None
    contract_id: str | None = None  # set when the span is in an amendment, not the contract


class Event(BaseModel):
    """One dated event of a contract's life."""

    kind: EventKind
    date: dt.date
    title: str
    evidence: list[Evidence] = Field(default_factory=list)
    amount: float | None = None  # the amount due / the escalated price, where known
    currency: str | None = None
    end_date: dt.date | None = None  # a window's last day (termination_window)
    sequence: int = 0  # 0: initial term; n: the n-th renewal / escalation / instalment


class Amendment(BaseModel):
    """An amendment's extracted terms; later amendments override earlier ones."""

    contract_id: str
    terms: list[Term] = Field(default_factory=list)
    text: str | None = None


class Timeline(BaseModel):
    """A contract's computed life: the events, plus the figures they were computed from.

    Fields are None where the contract does not determine them: nothing is invented.
    """

    events: list[Event] = Field(default_factory=list)
    effective_date: dt.date | None = None
    initial_term_end: dt.date | None = None
    perpetual: bool = False
    auto_renewal: bool | None = None
    renewal_term_months: int | None = None
    notice_days: int | None = None
    fee_amount: float | None = None
    fee_currency: str | None = None
    fee_period: str | None = None  # "month" | "year" | "one-time"
    payment_net_days: int | None = None
    escalation_percent: float | None = None
    escalation_months: int | None = None  # months between escalations (12: annual)
    notes: list[str] = Field(default_factory=list)  # why a date could not be computed

    def of_kind(self, *kinds: str) -> list[Event]:
        return [e for e in self.events if e.kind in kinds]

    def term_end_on(self, day: dt.date) -> dt.date | None:
        """The end of the term running on `day` (initial or renewal), None if unknown/over."""
        ends = [e.date for e in self.events if e.kind in ("expiration", "renewal")]
        if self.initial_term_end:
            ends.append(self.initial_term_end)
        later = sorted(d for d in ends if d >= day)
        return later[0] if later else None

    def is_active_on(self, day: dt.date) -> bool | None:
        """Whether the contract runs on `day`; None when its dates are not known."""
        if self.effective_date is None:
            return None
        if day < self.effective_date:
            return False
        if self.perpetual:
            return True
        if self.initial_term_end is None:
            return None
        if day < self.initial_term_end:
            return True
        if self.auto_renewal:
            return self.term_end_on(day) is not None or None
        return False

    def next_notice_deadline(self, day: dt.date) -> Event | None:
        """The first non-renewal notice deadline on or after `day`."""
        nxt = sorted(
            (e for e in self.of_kind("notice_deadline") if e.date >= day), key=lambda e: e.date
        )
        return nxt[0] if nxt else None

    def price_on(self, day: dt.date) -> float | None:
        """The fee in force on `day` after the escalations due by then; None if unknown."""
        if self.fee_amount is None:
            return None
        price = self.fee_amount
        for e in sorted(self.of_kind("price_escalation"), key=lambda e: e.date):
            if e.date <= day and e.amount is not None:
                price = e.amount
        return price

    def escalations_due(self, day: dt.date) -> list[Event]:
        """Price escalations whose date has come by `day`."""
        return [e for e in self.of_kind("price_escalation") if e.date <= day]
