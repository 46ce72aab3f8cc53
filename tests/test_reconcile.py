"""Reconciliation rules, one mismatch kind at a time, on terms extracted from contract text
(pure: no service)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from deals import Record, contract_facts, reconcile
from deals.contract_terms import ContractFacts
from extraction.terms import extract_terms

TEXT = (
    "SUBSCRIPTION AGREEMENT\n\nThis Subscription Agreement is made as of March 1, 2024 (the "
    '"Effective Date") between Helios Cloud Ltd ("Supplier") and Marble Health Inc. '
    '("Customer").\n\n1. TERM. This Agreement begins on the Effective Date and continues for '
    "an initial term of two (2) years.\n\n2. FEES. Customer shall pay a subscription fee of "
    "USD 10,000 per month, invoiced monthly in advance. Supplier grants Customer a discount of "
    "10% on the subscription fee for the first six (6) months. Customer shall pay each invoice "
    "within forty-five (45) days of receipt.\n\n3. The fees shall increase by three percent (3%) "
    "on each anniversary of the Effective Date.\n"
)
RENEWING = TEXT.replace(
    "two (2) years.", "two (2) years and renews automatically for successive one (1) year terms."
)


def facts(text: str = TEXT) -> ContractFacts:
    terms = [t.model_dump() for t in extract_terms(text)]
    return contract_facts("c1", "Helios", text, terms)


CLEAN = Record(
    id="r1",
    source="billing",
    external_id="sub_1",
    customer="Marble Health",
    amount=10000.0,
    amount_period="month",
    currency="USD",
    start_date=date(2024, 3, 1),
    end_date=None,
    term_months=24,
    billing_frequency="monthly",
    payment_net_days=45,
    discount_percent=None,
    discount_end_date=None,
    escalation_percent=3.0,
    auto_renew=None,
    status="active",
)
EARLY = date(2024, 12, 1)  # in year one: no escalation due, discount over


def kinds(rec: Record, as_of: date = EARLY, text: str = TEXT) -> list[str]:
    return sorted(m.kind for m in reconcile(facts(text), [rec], as_of))


def test_facts_read_from_the_text() -> None:
    f = facts()
    assert f.start and f.start.value == date(2024, 3, 1)
    assert f.term_months and f.term_months.value == 24
    assert f.fee and f.fee.value == {"amount": 10000.0, "currency": "USD", "period": "month"}
    assert f.billing_frequency and f.billing_frequency.value == "monthly"
    assert f.net_days and f.net_days.value == 45
    assert f.discount and f.discount.value["end_date"] == "2024-08-31"
    assert f.escalation and f.escalation.value["percent"] == 3.0


def test_a_clean_record_has_no_mismatch() -> None:
    assert kinds(CLEAN) == []
    # written differently but equal: a yearly amount, a start two days late, cents
    same = replace(CLEAN, amount=120_000.4, amount_period="year", start_date=date(2024, 3, 3))
    assert kinds(same) == []
    # CRM records carry the contracted base price even after escalations
    assert kinds(replace(CLEAN, source="crm"), as_of=date(2025, 6, 1)) == []


@pytest.mark.parametrize(
    ("change", "kind", "impact"),
    [
        ({"amount": 9000.0}, "price", 12000.0),
        ({"currency": "EUR"}, "currency", None),
        ({"term_months": 12}, "term", None),
        ({"start_date": date(2024, 4, 1)}, "start_date", None),
        ({"payment_net_days": 60}, "payment_terms", None),
        ({"billing_frequency": "annual", "amount": 120000.0, "amount_period": "year"},
         "billing_frequency", None),
        ({"discount_percent": 10.0, "discount_end_date": None}, "discount_past_end", 12000.0),
        ({"discount_percent": 25.0}, "discount", 18000.0),
    ],
)  # fmt: skip
def test_each_planted_difference_is_found(
    change: dict[str, Any], kind: str, impact: float | None
) -> None:
    found = reconcile(facts(), [replace(CLEAN, **change)], EARLY)
    assert kind in [m.kind for m in found], found
    m = next(m for m in found if m.kind == kind)
    if impact is not None:
        assert m.yearly_impact == pytest.approx(impact)
    assert m.evidence is not None
    assert TEXT[m.evidence.start : m.evidence.end] == m.evidence.text
    assert m.contract_value != m.record_value


def test_escalation_due_but_not_billed() -> None:
    # after the first anniversary billing should be 10,300 a month
    found = reconcile(facts(), [CLEAN], date(2025, 3, 2))
    assert [m.kind for m in found] == ["escalation_not_applied"]
    assert found[0].yearly_impact == pytest.approx(3600.0)
    assert "3%" in found[0].evidence.text  # type: ignore[union-attr]
    applied = replace(CLEAN, amount=10300.0)
    assert kinds(applied, date(2025, 3, 2)) == []
    assert kinds(CLEAN, date(2025, 2, 28)) == []  # not due yet


def test_contract_life_against_billing() -> None:
    after = date(2026, 6, 1)  # the two-year term ended 2026-03-01
    escalated = replace(CLEAN, amount=round(10000 * 1.03**2, 2))
    assert "billed_after_end" in kinds(escalated, after)  # no renewal: billing should stop
    stopped = replace(escalated, status="cancelled", end_date=date(2026, 3, 1))
    assert kinds(stopped, after) == []
    found = reconcile(facts(RENEWING), [stopped], after)
    assert [m.kind for m in found] == ["renewed_not_billed"]
    assert found[0].yearly_impact == pytest.approx(120000 * 1.03**2, rel=1e-6)
    assert "renews automatically" in found[0].evidence.text  # type: ignore[union-attr]


def test_unknown_contract_values_raise_nothing() -> None:
    bare = "AGREEMENT between Foo Inc. and Bar LLC. The parties agree to cooperate."
    assert kinds(replace(CLEAN, amount=1.0, payment_net_days=90), text=bare) == []
