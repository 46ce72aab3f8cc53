"""Dates written in words, and term ends written "until the 31st day of ..." (snippets written
for these tests)."""

from __future__ import annotations

import pytest

from extraction.terms import parse_date
from tests.test_terms_third_party import _one

_PRE = (
    "SERVICES AGREEMENT\n\nThis Services Agreement is entered into as of {date} by and between "
    'Acme Inc. ("Customer") and Beta LLC ("Vendor").\n\n'
)


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("the twenty-first day of March, two thousand and five", "2005-03-21"),
        ("this twentieth day of March, two thousand eighteen", "2018-03-20"),
        ("December thirty-first, two thousand and twenty", "2020-12-31"),
        ("the first day of July, nineteen hundred ninety-eight", "1998-07-01"),
        ("the 4th day of June in the year two thousand", "2000-06-04"),
        ("March twentieth, 2018", "2018-03-20"),
    ],
)
def test_an_agreement_date_in_words(written: str, iso: str) -> None:
    assert _one(_PRE.format(date=written), "agreement_date") == iso
    parsed = parse_date(written)
    assert parsed is not None and parsed.isoformat() == iso


def test_a_number_of_years_that_is_no_date_is_not_read_as_one() -> None:
    text = _PRE.format(date="March 20, 2018") + (
        "4. Fees. Customer shall pay two thousand and five hundred dollars per month.\n"
    )
    assert _one(text, "agreement_date") == "2018-03-20"
    assert _one(text, "expiration_date") is None


@pytest.mark.parametrize(
    "end",
    [
        "until the thirty-first day of December, two thousand and twenty",
        "until the 31st day of December, 2020",
        "until December 31, 2020",
    ],
)
def test_a_term_that_runs_until_the_nth_day_of_a_month(end: str) -> None:
    text = (
        _PRE.format(date="March 20, 2018")
        + f"5. Term. This Agreement shall remain in force {end}.\n"
    )
    assert _one(text, "expiration_date") == "2020-12-31"
