"""A contract's timeline computed from its extracted terms: pure functions, no I/O.

Conventions (one place, every caller renders from them):
- A term ends on the date the contract states (`expiration_date`), or on the anniversary
  `effective + initial_term_months` (the same arithmetic extraction uses for a stated term).
- A renewal chain is computed from one anchor (the effective date, or a stated expiry) plus
  k x renewal months, never step by step: a term started on 31 January renews on 28/29 February
  and then on 31 March, and one started on 29 February is back on 29 February in leap years.
- The last day to send a non-renewal notice is the term's end minus the notice period, in
  the contract's own unit (months are calendar months, days are days).
- Partial ("2019-05"), missing or perpetual dates produce no dated event: a note says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from dateutil.relativedelta import relativedelta

from extraction.terms import parse_duration
from extraction.types import Term
from lifecycle.models import Amendment, Event, Evidence, Timeline

__all__ = ["effective_terms", "timeline"]

# Term names an amendment may change; names in one group are replaced together (an amendment
# that restates the term's length makes the original's stated expiry meaningless).
_OVERRIDE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("expiration_date", "initial_term_months"),
    ("auto_renewal",),
    ("renewal_term_months",),
    ("renewal_notice_days",),
    ("termination_for_convenience",),
    ("payment_net_days",),
    ("fees",),
    ("price_escalation",),
    ("liability_cap",),
)
_MAX_CHAIN = 200  # renewals; a monthly renewal over the horizon stays well below
_ESCALATION_MONTHS = {"annual": 12, "quarterly": 3, "monthly": 1}
_PERIOD_MONTHS = {"month": 1, "year": 12}


def effective_terms(
    terms: Sequence[Term], amendments: Sequence[Amendment] = ()
) -> list[tuple[Term, str | None]]:
    """The contract's terms with each amendment's changes applied in order.

    Returns (term, contract_id) pairs; contract_id is None for the contract's own terms and the
    amendment's id for a term an amendment replaced.
    """
    out: list[tuple[Term, str | None]] = [(t, None) for t in terms]
    for am in amendments:
        am_terms = am.terms
        names = {t.name for t in am_terms}
        for group in _OVERRIDE_GROUPS:
            if names.intersection(group):
                out = [(t, c) for t, c in out if t.name not in group]
                out += [(t, am.contract_id) for t in am_terms if t.name in group]
    return out


def _best(pairs: Iterable[tuple[Term, str | None]], name: str) -> tuple[Term, str | None] | None:
    found = [(t, c) for t, c in pairs if t.name == name]
    if not found:
        return None
    return max(found, key=lambda tc: tc[0].confidence)


def _ev(pair: tuple[Term, str | None]) -> Evidence:
    t, cid = pair
    return Evidence(
        term=t.name, text=t.text, start=t.start, end=t.end, page=t.page, contract_id=cid
    )


def _day(value: Any) -> dt.date | None:
    """A full ISO date, or None for a partial ("2019-05"), "perpetual" or unparsable value."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if value > 0 else None


def _notice_delta(term: Term, days: int) -> relativedelta:
    """The notice period as the contract words it: "six (6) months" before the 31 August end
    is 28 February, not 180 days before. Falls back to the stored days."""
    pd = parse_duration(term.text)
    if pd and pd[1] in ("month", "year") and pd[0] == int(pd[0]):
        months = int(pd[0]) * (12 if pd[1] == "year" else 1)
        if abs(months * 30 - days) <= months * 6:  # the evidence states this very period
            return relativedelta(months=months)
    return relativedelta(days=days)


def _money(amount: float) -> float:
    return round(amount, 2)


def timeline(
    terms: Sequence[Term],
    *,
    amendments: Sequence[Amendment] = (),
    today: dt.date | None = None,
    horizon_years: int = 5,
    text: str | None = None,
) -> Timeline:
    """Compute a contract's timeline from its extracted terms (and its amendments').

    `today` anchors the windows: renewals and escalations are listed up to `horizon_years`
    after it, payments from a year before it to two years after it. `text`, when given, is
    searched for dated obligations (reports, audits, minimum commitments, service reviews).
    """
    today = today or dt.date.today()
    horizon = today + relativedelta(years=horizon_years)
    pairs = effective_terms(terms, amendments)
    tl = Timeline()
    events: list[Event] = []

    eff_p = _best(pairs, "effective_date") or _best(pairs, "agreement_date")
    effective = _day(eff_p[0].value) if eff_p else None
    tl.effective_date = effective
    if eff_p and effective is None:
        tl.notes.append(f"effective date {eff_p[0].value!r} is not a full date")
    elif eff_p is None:
        tl.notes.append("no effective or agreement date")
    if effective and eff_p:
        events.append(
            Event(kind="effective", date=effective, title="Effective date", evidence=[_ev(eff_p)])
        )

    # --- end of the initial term -------------------------------------------------------------
    exp_p = _best(pairs, "expiration_date")
    init_p = _best(pairs, "initial_term_months")
    end: dt.date | None = None
    end_ev: list[Evidence] = []
    # the chain is computed from its anchor (the effective date when the term was counted from
    # it) so that a term started on the 31st keeps renewing on month ends
    anchor, offset = None, 0
    if exp_p and exp_p[0].value == "perpetual":
        tl.perpetual = True
        tl.notes.append("perpetual term: no expiration or renewal dates")
    elif exp_p and exp_p[0].value == "indefinite":
        tl.notes.append("the term ends on an event, not a date: no expiration or renewal dates")
    elif exp_p and _day(exp_p[0].value):
        end = _day(exp_p[0].value)
        anchor = end
        end_ev = [_ev(exp_p)]
    elif init_p and effective and _int(init_p[0].value):
        anchor, offset = effective, _int(init_p[0].value) or 0
        end = effective + relativedelta(months=offset)
        end_ev = [_ev(init_p), *([_ev(eff_p)] if eff_p else [])]
    elif exp_p or init_p:
        tl.notes.append("term length stated but its start or end is not a full date")
    else:
        tl.notes.append("no term length or expiration date")
    tl.initial_term_end = end

    # --- renewal chain and notice deadlines --------------------------------------------------
    auto_p = _best(pairs, "auto_renewal")
    ren_p = _best(pairs, "renewal_term_months")
    not_p = _best(pairs, "renewal_notice_days")
    tl.auto_renewal = bool(auto_p[0].value) if auto_p else None
    tl.renewal_term_months = _int(ren_p[0].value) if ren_p else None
    tl.notice_days = _int(not_p[0].value) if not_p else None
    # term ends: (date, sequence); sequence 0 is the initial term
    ends: list[tuple[dt.date, int]] = []
    if end and anchor and not tl.perpetual:
        ends.append((end, 0))
        if tl.auto_renewal and tl.renewal_term_months:
            k = 1
            while k <= _MAX_CHAIN:
                d = anchor + relativedelta(months=offset + k * tl.renewal_term_months)
                if d > horizon:
                    break
                ends.append((d, k))
                k += 1
        elif tl.auto_renewal:
            tl.notes.append("renewal length not stated: only the first renewal date is known")
    notice_words = ""
    if not_p:
        said = " ".join(not_p[0].text.split())
        notice_words = said if parse_duration(said) else f"{tl.notice_days} days"
    for d, k in ends:
        if tl.auto_renewal:
            ev = [e for e in (auto_p, ren_p) if e]
            months = tl.renewal_term_months
            length = f" for {months} month{'s' if months != 1 else ''}" if months else ""
            events.append(
                Event(
                    kind="renewal",
                    date=d,
                    sequence=k + 1,
                    title=(
                        f"Renews automatically{length}"
                        if k == 0
                        else f"Renewal term {k} ends; renews{length}"
                    ),
                    evidence=[*(end_ev if k == 0 else []), *(_ev(p) for p in ev)],
                )
            )
        else:
            events.append(
                Event(kind="expiration", date=d, title="Initial term expires", evidence=end_ev)
            )
        # a notice period matters when the contract renews unless told otherwise
        if tl.notice_days and not_p and tl.auto_renewal is not False:
            deadline = d - _notice_delta(not_p[0], tl.notice_days)
            events.append(
                Event(
                    kind="notice_deadline",
                    date=deadline,
                    sequence=k,
                    title=(
                        f"Last day to send non-renewal notice ({notice_words} before "
                        f"the term ends on {d.isoformat()})"
                    ),
                    evidence=[_ev(not_p), *(end_ev if k == 0 else [])],
                )
            )

    # --- termination for convenience ---------------------------------------------------------
    tfc_p = _best(pairs, "termination_for_convenience")
    if tfc_p and effective and isinstance(tfc_p[0].value, dict):
        who = tfc_p[0].value.get("party") or "a party"
        notice = _int(tfc_p[0].value.get("notice_days"))
        last = ends[-1][0] if ends and not tl.auto_renewal else None
        on = f" on {notice} days' notice" if notice else ""
        events.append(
            Event(
                kind="termination_window",
                date=effective,
                end_date=last,
                title=f"{str(who).capitalize()} may terminate for convenience{on}",
                evidence=[_ev(tfc_p)],
            )
        )

    # --- fees, escalation, payment schedule --------------------------------------------------
    fee_p = _best(pairs, "fees")
    net_p = _best(pairs, "payment_net_days")
    esc_p = _best(pairs, "price_escalation")
    if fee_p and isinstance(fee_p[0].value, dict):
        fv = fee_p[0].value
        tl.fee_amount = float(fv["amount"]) if fv.get("amount") else None
        tl.fee_currency = fv.get("currency")
        tl.fee_period = fv.get("period")
    tl.payment_net_days = _int(net_p[0].value) if net_p else None
    # where the contract stops (None: runs past the horizon or unknown)
    stop: dt.date | None = None
    if ends and not tl.auto_renewal:
        stop = ends[-1][0]
    elif ends and tl.auto_renewal and not tl.renewal_term_months:
        stop = ends[0][0]  # unknown beyond the first renewal date
    limit = min(stop, horizon) if stop else horizon

    esc_dates: list[tuple[dt.date, float | None]] = []
    if esc_p and isinstance(esc_p[0].value, dict):
        sv = esc_p[0].value
        tl.escalation_percent = sv.get("percent")
        tl.escalation_months = _ESCALATION_MONTHS.get(sv.get("frequency") or "")
        if tl.escalation_months is None:
            tl.notes.append("price escalation without a stated frequency: no dates")
        elif effective is None:
            tl.notes.append("price escalation without a full effective date: no dates")
        else:
            recurring = tl.fee_period in _PERIOD_MONTHS and tl.fee_amount
            k = 1
            while k <= _MAX_CHAIN:
                d = effective + relativedelta(months=k * tl.escalation_months)
                if d > limit:
                    break
                price = None
                if recurring and tl.escalation_percent and tl.fee_amount:
                    price = _money(tl.fee_amount * (1 + tl.escalation_percent / 100) ** k)
                esc_dates.append((d, price))
                if sv.get("percent"):
                    what = f"{sv['percent']:g}%"
                elif sv.get("index"):
                    what = f"by {sv['index']}"
                else:
                    what = f"up to {sv.get('cap_percent'):g}%"
                title = f"Price escalation {k} ({what})"
                if price is not None:
                    title += f": {price:,.2f} {tl.fee_currency or ''} per {tl.fee_period}".rstrip()
                events.append(
                    Event(
                        kind="price_escalation",
                        date=d,
                        sequence=k,
                        title=title,
                        amount=price,
                        currency=tl.fee_currency if price is not None else None,
                        evidence=[
                            _ev(esc_p),
                            *([_ev(fee_p)] if price is not None and fee_p else []),
                        ],
                    )
                )
                k += 1

    if fee_p and tl.fee_amount and effective:
        net = tl.payment_net_days or 0
        terms_ev = [_ev(fee_p), *([_ev(net_p)] if net_p else [])]
        how = f"net {net} days" if tl.payment_net_days else "payment terms not stated"
        if tl.fee_period == "one-time":
            events.append(
                Event(
                    kind="payment_due",
                    date=effective + dt.timedelta(days=net),
                    sequence=1,
                    title=f"One-time fee due ({how})",
                    amount=_money(tl.fee_amount),
                    currency=tl.fee_currency,
                    evidence=terms_ev,
                )
            )
        elif tl.fee_period in _PERIOD_MONTHS:
            step = _PERIOD_MONTHS[tl.fee_period]
            lo, hi = today - relativedelta(years=1), min(limit, today + relativedelta(years=2))
            k = 0
            while k <= 12 * 100:
                start = effective + relativedelta(months=k * step)
                if start >= hi or (stop and start >= stop):
                    break
                if start >= lo:
                    price = tl.fee_amount
                    for d, p in esc_dates:
                        if d <= start and p is not None:
                            price = p
                    events.append(
                        Event(
                            kind="payment_due",
                            date=start + dt.timedelta(days=net),
                            sequence=k + 1,
                            title=(
                                f"{'Monthly' if step == 1 else 'Annual'} fee for the period from "
                                f"{start.isoformat()} due ({how})"
                            ),
                            amount=_money(price),
                            currency=tl.fee_currency,
                            evidence=terms_ev,
                        )
                    )
                k += 1
        else:
            tl.notes.append("fee without a billing period: no payment schedule")

    if text:
        from lifecycle.obligations import obligation_events

        events += obligation_events(text, effective=effective, today=today, until=limit)

    order = {"notice_deadline": 0}
    events.sort(key=lambda e: (e.date, order.get(e.kind, 1), e.kind, e.sequence))
    tl.events = events
    return tl
