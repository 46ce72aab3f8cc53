"""Fees and payment terms on third-party layouts (snippets written for these tests): a fee is
what the customer pays for the contract's subject, not any amount of money in a sentence."""

from __future__ import annotations

import pytest

from tests.test_terms_third_party import _one


@pytest.mark.parametrize(
    ("text", "amount", "period"),
    [
        (
            "In consideration for the Services, Customer shall pay Supplier USD 10,000 per month.",
            10000.0,
            "month",
        ),
        ("The Company shall pay the Consultant a monthly retainer of $5,000.", 5000.0, "month"),
        (
            "Customer shall pay Vendor a monthly fee of $2,000, and Vendor shall carry general "
            "liability insurance of not less than $1,000,000.",
            2000.0,
            "month",
        ),
        (
            "Fees. Customers with revenues in excess of $10,000,000 pay an annual fee of $20,000.",
            20000.0,
            "year",
        ),
        (
            "Upon signature, the Licensee shall pay to the Licensor, for the rights granted in "
            "Article 2, the non-refundable sum of USD 1'500'000.",
            1500000.0,
            None,
        ),
    ],
)
def test_the_amount_the_customer_pays_is_the_fee(
    text: str, amount: float, period: str | None
) -> None:
    fee = _one(text, "fees")
    assert fee is not None
    assert (fee["amount"], fee["period"]) == (amount, period)


@pytest.mark.parametrize(
    "text",
    [
        "The Fund has $25,000,000 in assets. The Adviser shall receive a fee of 0.5% of net "
        "assets.",
        "Supplier shall carry umbrella insurance, excluding Workers' Compensation, in the "
        "amount of ten million dollars ($10,000,000).",
        "Consultant shall pay its own costs. Each party's liability for damages shall not "
        "exceed $500,000.",
        "The Sponsor will pay up to a total of $3 million of development costs.",
        "Reseller shall pay the fees set out in Exhibit A. Supplier shall reimburse the "
        "Reseller's travel expenses of up to $2,000 per trip.",
    ],
)
def test_thresholds_cover_caps_and_expenses_are_not_fees(text: str) -> None:
    assert _one(text, "fees") is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Customer shall pay each invoice within sixty (60) days of receipt of invoice.", 60),
        ("Payment is due thirty (30) days after the date of invoice.", 30),
        ("Invoices are payable 45 days from receipt.", 45),
        ("All amounts invoiced are due net thirty (30) days.", 30),
        ("All payments shall be due and payable 15 days after the invoice date.", 15),
    ],
)
def test_due_dates_counted_from_the_invoice_are_net_terms(text: str, days: int) -> None:
    assert _one(text, "payment_net_days") == days


def test_a_notice_received_within_days_is_no_payment_term() -> None:
    text = "A notice sent by courier is deemed received within five (5) days after dispatch."
    assert _one(text, "payment_net_days") is None
