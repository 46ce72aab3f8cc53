"""The timeline's date arithmetic: month ends, leap years, year boundaries, unknown terms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from extraction.types import Term
from lifecycle import Amendment, Timeline, timeline

TODAY = dt.date(2025, 6, 1)


def t(name: str, value: Any, text: str = "", conf: float = 0.8) -> Term:
    return Term(
        name=name,
        value=value,
        text=text or str(value),
        start=0,
        end=len(text or str(value)),
        confidence=conf,
    )


def dates(tl: Timeline, kind: str) -> list[dt.date]:
    return [e.date for e in tl.of_kind(kind)]


def test_auto_renewal_chain_and_notice_deadlines() -> None:
    tl = timeline(
        [
            t("effective_date", "2024-03-15"),
            t("initial_term_months", 12),
            t("auto_renewal", True),
            t("renewal_term_months", 12),
            t("renewal_notice_days", 60),
        ],
        today=TODAY,
        horizon_years=2,
    )
    assert tl.initial_term_end == dt.date(2025, 3, 15)
    assert dates(tl, "renewal") == [
        dt.date(2025, 3, 15),
        dt.date(2026, 3, 15),
        dt.date(2027, 3, 15),
    ]
    assert dates(tl, "notice_deadline")[0] == dt.date(2025, 1, 14)
    assert not tl.of_kind("expiration")
    nxt = tl.next_notice_deadline(TODAY)
    assert nxt is not None and nxt.date == dt.date(2026, 1, 14)
    assert tl.term_end_on(TODAY) == dt.date(2026, 3, 15)
    assert tl.is_active_on(TODAY) is True
    # every event carries the span it came from
    assert all(e.evidence for e in tl.events)


def test_month_end_chain_does_not_drift() -> None:
    tl = timeline(
        [
            t("effective_date", "2023-01-31"),
            t("initial_term_months", 1),
            t("auto_renewal", True),
            t("renewal_term_months", 1),
        ],
        today=dt.date(2023, 1, 1),
        horizon_years=1,
    )
    got = dates(tl, "renewal")[:4]
    assert got == [
        dt.date(2023, 2, 28),
        dt.date(2023, 3, 31),
        dt.date(2023, 4, 30),
        dt.date(2023, 5, 31),
    ]


def test_leap_day_anniversary() -> None:
    tl = timeline(
        [
            t("effective_date", "2024-02-29"),
            t("initial_term_months", 12),
            t("auto_renewal", True),
            t("renewal_term_months", 12),
            t("renewal_notice_days", 30),
        ],
        today=dt.date(2024, 3, 1),
        horizon_years=4,
    )
    assert dates(tl, "renewal")[:4] == [
        dt.date(2025, 2, 28),
        dt.date(2026, 2, 28),
        dt.date(2027, 2, 28),
        dt.date(2028, 2, 29),
    ]
    assert dates(tl, "notice_deadline")[0] == dt.date(2025, 1, 29)


def test_notice_deadline_across_year_boundary() -> None:
    tl = timeline(
        [
            t("effective_date", "2022-01-10"),
            t("expiration_date", "2025-01-10"),
            t("auto_renewal", True),
            t("renewal_term_months", 24),
            t("renewal_notice_days", 90),
        ],
        today=dt.date(2024, 1, 1),
    )
    assert dates(tl, "notice_deadline")[0] == dt.date(2024, 10, 12)
    assert dates(tl, "renewal")[1] == dt.date(2027, 1, 10)


def test_perpetual_and_unknown_terms_invent_no_dates() -> None:
    tl = timeline(
        [
            t("effective_date", "2020-05-01"),
            t("expiration_date", "perpetual"),
            t("auto_renewal", True),
            t("renewal_notice_days", 30),
        ],
        today=TODAY,
    )
    assert tl.perpetual
    assert not tl.of_kind("renewal", "expiration", "notice_deadline")
    assert tl.is_active_on(TODAY) is True
    event_end = timeline(
        [t("effective_date", "2020-05-01"), t("expiration_date", "indefinite")], today=TODAY
    )
    assert not event_end.perpetual and not event_end.of_kind("expiration", "renewal")
    assert event_end.is_active_on(TODAY) is None  # unknown: the event may have happened
    assert any("ends on an event" in n for n in event_end.notes)
    partial = timeline(
        [
            t("effective_date", "2019-05"),
            t("initial_term_months", 12),
            t("renewal_notice_days", 30),
        ],
        today=TODAY,
    )
    assert partial.effective_date is None and not partial.events
    assert any("not a full date" in n for n in partial.notes)
    nothing = timeline([], today=TODAY)
    assert nothing.events == [] and nothing.is_active_on(TODAY) is None


def test_fixed_term_expires_without_notice_deadline() -> None:
    tl = timeline(
        [
            t("effective_date", "2024-07-01"),
            t("initial_term_months", 24),
            t("auto_renewal", False),
            t("renewal_notice_days", 30),
        ],
        today=TODAY,
    )
    assert dates(tl, "expiration") == [dt.date(2026, 7, 1)]
    assert not tl.of_kind("renewal", "notice_deadline")
    assert tl.is_active_on(dt.date(2026, 7, 2)) is False


def test_escalation_and_payment_schedule() -> None:
    fee = {"amount": 1000.0, "currency": "USD", "period": "month"}
    esc = {"percent": 5.0, "index": None, "frequency": "annual", "cap_percent": None}
    tl = timeline(
        [
            t("effective_date", "2024-01-01"),
            t("initial_term_months", 36),
            t("auto_renewal", False),
            t("fees", fee, "$1,000 per month"),
            t("payment_net_days", 30, "net 30"),
            t("price_escalation", esc, "increase by 5% annually"),
        ],
        today=dt.date(2024, 1, 1),
    )
    esc_events = tl.of_kind("price_escalation")
    assert [e.date for e in esc_events] == [
        dt.date(2025, 1, 1),
        dt.date(2026, 1, 1),
        dt.date(2027, 1, 1),
    ]
    assert [e.amount for e in esc_events] == [1050.0, 1102.5, 1157.63]
    pays = tl.of_kind("payment_due")
    assert pays[0].date == dt.date(2024, 1, 31) and pays[0].amount == 1000.0
    assert len(pays) == 24  # two years ahead of `today`, monthly
    feb25 = next(p for p in pays if p.date == dt.date(2025, 1, 31))
    assert feb25.amount == 1050.0
    assert tl.price_on(dt.date(2026, 6, 1)) == 1102.5
    assert [e.date for e in tl.escalations_due(dt.date(2025, 6, 1))] == [dt.date(2025, 1, 1)]


def test_escalation_without_frequency_has_no_dates() -> None:
    esc = {"percent": 3.0, "index": None, "frequency": None, "cap_percent": None}
    tl = timeline([t("effective_date", "2024-01-01"), t("price_escalation", esc)], today=TODAY)
    assert not tl.of_kind("price_escalation")
    assert any("frequency" in n for n in tl.notes)


def test_termination_for_convenience_window() -> None:
    tl = timeline(
        [
            t("effective_date", "2024-01-01"),
            t("initial_term_months", 12),
            t("termination_for_convenience", {"party": "customer", "notice_days": 30}),
        ],
        today=TODAY,
    )
    (w,) = tl.of_kind("termination_window")
    assert w.date == dt.date(2024, 1, 1) and w.end_date == dt.date(2025, 1, 1)
    assert "30 days" in w.title


def test_amendment_overrides_the_terms_it_changes() -> None:
    base = [
        t("effective_date", "2023-01-01"),
        t("initial_term_months", 12),
        t("auto_renewal", True),
        t("renewal_term_months", 12),
        t("renewal_notice_days", 30),
    ]
    am = Amendment(
        contract_id="amend-1",
        terms=[
            t("effective_date", "2023-06-01"),
            t("expiration_date", "2024-12-31", "until December 31, 2024"),
            t("renewal_notice_days", 90, "ninety (90) days"),
        ],
    )
    tl = timeline(base, amendments=[am], today=dt.date(2023, 7, 1), horizon_years=2)
    assert tl.effective_date == dt.date(2023, 1, 1)  # the amendment's own date does not move it
    assert tl.initial_term_end == dt.date(2024, 12, 31)
    first = tl.of_kind("notice_deadline")[0]
    assert first.date == dt.date(2024, 10, 2)
    assert {e.contract_id for e in first.evidence} == {"amend-1"}


def test_notice_in_months_is_counted_in_calendar_months() -> None:
    notice = Term(
        name="renewal_notice_days",
        value=180,
        text="six (6) months",
        start=0,
        end=14,
        confidence=0.8,
    )
    tl = timeline(
        [
            t("effective_date", "2023-08-31"),
            t("initial_term_months", 12),
            t("auto_renewal", True),
            t("renewal_term_months", 12),
            notice,
        ],
        today=dt.date(2024, 1, 1),
    )
    assert dates(tl, "notice_deadline")[0] == dt.date(2024, 2, 29)
    assert "six (6) months" in tl.of_kind("notice_deadline")[0].title


def test_obligations_need_a_commitment_and_a_frequency() -> None:
    from lifecycle.obligations import obligation_events

    text = (
        "Supplier shall deliver a service level report within fifteen (15) days after the end "
        "of each calendar quarter. Customer may request an audit from time to time. "
        "The parties will hold a business review annually."
    )
    evs = obligation_events(
        text, effective=dt.date(2024, 3, 1), today=dt.date(2025, 1, 1), until=dt.date(2030, 1, 1)
    )
    reports = [e for e in evs if "report" in e.title]
    assert [e.date for e in reports] == [
        dt.date(2025, 1, 15),
        dt.date(2025, 4, 15),
        dt.date(2025, 7, 15),
        dt.date(2025, 10, 15),
    ]
    assert reports[0].evidence[0].text.startswith("Supplier shall deliver")
    assert (
        text[reports[0].evidence[0].start : reports[0].evidence[0].end]
        == reports[0].evidence[0].text
    )
    assert not [e for e in evs if "audit" in e.title]  # no frequency: no invented date
    reviews = [e for e in evs if "review" in e.title]
    assert [e.date for e in reviews] == [dt.date(2025, 2, 28)]  # end of the contract year
    # nothing past the contract's end
    assert not obligation_events(
        text, effective=dt.date(2024, 3, 1), today=dt.date(2025, 1, 1), until=dt.date(2025, 1, 10)
    )
