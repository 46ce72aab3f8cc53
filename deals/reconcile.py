"""Reconciliation: every difference between a signed contract's terms and a CRM or billing
record, with both values, the contract's evidence and the yearly revenue impact. Pure.

Tolerances (one place, documented in the README):
- price: the larger of 0.5% of the contract's yearly value and 1.00 of its currency, after
  both are converted to a yearly value (rounding a monthly fee to cents must not fire);
- start date: 3 days (exports write UTC timestamps; a start on the next business day);
- term, payment terms, billing frequency, currency, auto-renewal: exact;
- escalation: due on each anniversary of the start date; "applied" when the billed price is
  within the price tolerance of the escalated price.
Yearly impact is what the company loses a year when the record is left as it is (positive:
billed less than the contract allows); None where a value it needs is unknown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from deals.contract_terms import ContractFacts, Fact
from deals.entities import PERIODS_PER_YEAR, Evidence, Mismatch

PRICE_REL_TOLERANCE = 0.005
PRICE_ABS_TOLERANCE = 1.0
START_DATE_TOLERANCE_DAYS = 3

KINDS = (
    "price",
    "currency",
    "term",
    "start_date",
    "payment_terms",
    "billing_frequency",
    "auto_renew",
    "escalation_not_applied",
    "discount",
    "discount_past_end",
    "renewed_not_billed",
    "billed_after_end",
)


@dataclass(frozen=True)
class Record:
    """The record fields reconciliation reads (a DealRow or DealIn both fit)."""

    id: str
    source: str
    external_id: str
    customer: str
    amount: float | None
    amount_period: str | None
    currency: str | None
    start_date: date | None
    end_date: date | None
    term_months: int | None
    billing_frequency: str | None
    payment_net_days: int | None
    discount_percent: float | None
    discount_end_date: date | None
    escalation_percent: float | None
    auto_renew: bool | None
    status: str

    @classmethod
    def of(cls, row: Any) -> Record:
        return cls(**{k: getattr(row, k) for k in cls.__dataclass_fields__})


_FREQ_PERIOD = {
    "monthly": "month",
    "quarterly": "quarter",
    "semiannual": "half_year",
    "annual": "year",
    "one_time": "total",
}


def record_yearly(r: Record, contract_term: int | None) -> float | None:
    if r.amount is None:
        return None
    period = r.amount_period or _FREQ_PERIOD.get(r.billing_frequency or "")
    if period in PERIODS_PER_YEAR:
        return r.amount * PERIODS_PER_YEAR[period]
    if period == "total":
        term = r.term_months or contract_term
        return r.amount * 12 / term if term else None
    return None


def contract_yearly(f: ContractFacts) -> float | None:
    if f.fee is None:
        return None
    period = f.fee.value.get("period")
    amount = float(f.fee.value["amount"])
    if period == "month":
        return amount * 12
    if period == "year":
        return amount
    return None


def price_tolerance(yearly: float) -> float:
    return max(PRICE_REL_TOLERANCE * abs(yearly), PRICE_ABS_TOLERANCE)


def escalations_due(f: ContractFacts, as_of: date) -> int:
    """Escalation dates of the contract's timeline (lifecycle) passed by `as_of`."""
    if f.timeline is None or escalation_rate(f) is None:
        return 0
    return sum(1 for e in f.timeline.of_kind("price_escalation") if e.date <= as_of)


def escalation_rate(f: ContractFacts) -> float | None:
    """The yearly increase the contract allows: its fixed rate, else its cap ("may increase
    the fees by up to 5%": billing that never applies it leaves that much on the table)."""
    if f.escalation is None:
        return None
    v = f.escalation.value
    rate = v.get("percent") or v.get("cap_percent")
    return float(rate) if rate else None


def contract_state(f: ContractFacts, as_of: date) -> str:
    """From the contract's timeline (lifecycle): 'initial' (in its first term), 'renewed'
    (past it, renewing automatically; no notice of non-renewal is known here), 'ended', or
    'unknown' (no end date)."""
    tl = f.timeline
    if tl is None or tl.effective_date is None or as_of < tl.effective_date:
        return "unknown"
    if tl.perpetual:
        return "initial"
    if tl.initial_term_end is None:
        return "unknown"
    if as_of < tl.initial_term_end:
        return "initial"
    return "renewed" if tl.auto_renewal else "ended"


def _mid(contract_id: str, record_id: str, kind: str, a: Any, b: Any) -> str:
    raw = f"{contract_id}|{record_id}|{kind}|{a}|{b}"
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def reconcile(f: ContractFacts, records: list[Record], as_of: date | None = None) -> list[Mismatch]:
    as_of = as_of or date.today()
    out: list[Mismatch] = []
    for r in records:
        out.extend(_one(f, r, as_of))
    return out


def _one(f: ContractFacts, r: Record, as_of: date) -> list[Mismatch]:
    found: list[Mismatch] = []
    c_currency = f.fee.value.get("currency") if f.fee else None
    currency = c_currency or r.currency

    def add(
        kind: str,
        field: str,
        cval: Any,
        rval: Any,
        message: str,
        fact: Fact | Evidence | None,
        impact: float | None = None,
    ) -> None:
        ev = fact.evidence if isinstance(fact, Fact) else fact
        cv = cval.isoformat() if isinstance(cval, date) else cval
        rv = rval.isoformat() if isinstance(rval, date) else rval
        found.append(
            Mismatch(
                id=_mid(f.contract_id, r.id, kind, cv, rv),
                contract_id=f.contract_id,
                contract_title=f.title,
                record_id=r.id,
                source=r.source,  # type: ignore[arg-type]
                external_id=r.external_id,
                customer=r.customer,
                kind=kind,
                field=field,
                contract_value=cv,
                record_value=rv,
                message=message,
                evidence=ev,
                yearly_impact=_round(impact),
                currency=currency,
            )
        )

    c_yearly = contract_yearly(f)
    r_yearly = record_yearly(r, f.term_months.value if f.term_months else None)
    due = escalations_due(f, as_of)
    pct = (escalation_rate(f) or 0.0) if due else 0.0
    expected = c_yearly * (1 + pct / 100) ** due if c_yearly is not None else None

    # currency: compared before price; a price in another currency is not compared
    same_currency = True
    if c_currency and r.currency and c_currency.upper() != r.currency.upper():
        same_currency = False
        add(
            "currency",
            "currency",
            c_currency,
            r.currency,
            f"The contract is in {c_currency}; the record is in {r.currency}.",
            f.fee,
        )

    if c_yearly is not None and r_yearly is not None and same_currency:
        tol = price_tolerance(c_yearly)
        assert expected is not None
        at_base = abs(r_yearly - c_yearly) <= tol
        at_expected = abs(r_yearly - expected) <= price_tolerance(expected)
        if due and r.source == "billing" and at_base and not at_expected:
            assert f.escalation is not None
            add(
                "escalation_not_applied",
                "amount",
                _round(expected),
                _round(r_yearly),
                f"{due} yearly escalation(s) of {pct:g}% are due by {as_of.isoformat()}: "
                f"the contract allows {expected:,.2f} a year; billing still charges "
                f"{r_yearly:,.2f}.",
                f.escalation,
                expected - r_yearly,
            )
        elif not at_base and not at_expected:
            target = expected if r.source == "billing" else c_yearly
            add(
                "price",
                "amount",
                _round(target),
                _round(r_yearly),
                f"Yearly price: the contract says {target:,.2f}, the record {r_yearly:,.2f}.",
                f.fee,
                target - r_yearly,
            )

    if f.term_months and r.term_months is not None and r.term_months != f.term_months.value:
        add(
            "term",
            "term_months",
            f.term_months.value,
            r.term_months,
            f"Term: the contract runs {f.term_months.value} months, the record {r.term_months}.",
            f.term_months,
        )

    if f.start and r.start_date:
        gap = abs((r.start_date - f.start.value).days)
        if gap > START_DATE_TOLERANCE_DAYS:
            add(
                "start_date",
                "start_date",
                f.start.value,
                r.start_date,
                f"Start date: the contract starts {f.start.value.isoformat()}, the record "
                f"{r.start_date.isoformat()} ({gap} days apart).",
                f.start,
            )

    if f.net_days and r.payment_net_days is not None and r.payment_net_days != f.net_days.value:
        later = r.payment_net_days - f.net_days.value
        # paid later than agreed: a year's money arrives `later` days late (a cost of cash,
        # not lost revenue), so no yearly impact is claimed
        add(
            "payment_terms",
            "payment_net_days",
            f.net_days.value,
            r.payment_net_days,
            f"Payment terms: the contract says net {f.net_days.value} days, the record net "
            f"{r.payment_net_days}" + (f" ({later} days later)." if later > 0 else "."),
            f.net_days,
        )

    if (
        f.billing_frequency
        and r.billing_frequency
        and r.billing_frequency != f.billing_frequency.value
    ):
        add(
            "billing_frequency",
            "billing_frequency",
            f.billing_frequency.value,
            r.billing_frequency,
            f"Billing: the contract says {f.billing_frequency.value}, "
            f"the record {r.billing_frequency}.",
            f.billing_frequency,
        )

    if f.auto_renewal and r.auto_renew is not None and r.auto_renew != f.auto_renewal.value:
        add(
            "auto_renew",
            "auto_renew",
            f.auto_renewal.value,
            r.auto_renew,
            "Auto-renewal: the contract "
            + ("renews" if f.auto_renewal.value else "does not renew")
            + " automatically; the record says the opposite.",
            f.auto_renewal,
        )

    # discounts
    if r.discount_percent:
        base = r_yearly if r_yearly is not None else None
        cost = base * r.discount_percent / 100 if base is not None else None
        c_disc = f.discount.value if f.discount else None
        c_end = date.fromisoformat(c_disc["end_date"]) if c_disc and c_disc["end_date"] else None
        end = c_end or r.discount_end_date
        if c_disc is None:
            add(
                "discount",
                "discount_percent",
                None,
                r.discount_percent,
                f"The record gives a {r.discount_percent:g}% discount the contract does not grant.",
                f.fee,
                cost,
            )
        elif abs(float(c_disc["percent"]) - r.discount_percent) > 0.01:
            extra = (
                base * (r.discount_percent - float(c_disc["percent"])) / 100
                if base is not None
                else None
            )
            add(
                "discount",
                "discount_percent",
                c_disc["percent"],
                r.discount_percent,
                f"Discount: the contract grants {c_disc['percent']:g}%, the record "
                f"{r.discount_percent:g}%.",
                f.discount,
                extra,
            )
        # (a discount the contract never grants is reported once, above, not also here)
        if c_disc is not None and end is not None and as_of > end and _billing_live(r, as_of):
            add(
                "discount_past_end",
                "discount_end_date",
                end,
                r.discount_end_date or "open",
                f"The {r.discount_percent:g}% discount ended {end.isoformat()} but is still "
                "applied.",
                f.discount or f.fee,
                cost,
            )

    # the contract's life against the record's
    state = contract_state(f, as_of)
    live = _billing_live(r, as_of)
    term_end = f.timeline.initial_term_end if f.timeline else None
    ended = term_end.isoformat() if term_end else "?"
    if state == "renewed" and not live:
        yearly = expected if expected is not None else c_yearly
        stopped = r.end_date.isoformat() if r.end_date else r.status
        add(
            "renewed_not_billed",
            "status",
            "renewed",
            stopped,
            f"The contract renewed automatically after {ended} but the record stopped ({stopped}).",
            f.auto_renewal,
            yearly,
        )
    elif state == "ended" and live and r.source == "billing":
        add(
            "billed_after_end",
            "status",
            f"ended {ended}",
            r.status,
            f"The contract ended {ended} without renewal, but billing continues.",
            f.end,
            -(r_yearly or 0) if r_yearly else None,
        )
    return found


def _billing_live(r: Record, as_of: date) -> bool:
    if r.status != "active":
        return False
    return r.end_date is None or r.end_date > as_of
