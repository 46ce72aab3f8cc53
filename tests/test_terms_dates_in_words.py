"""Dates written in words, term ends written "until the 31st day of ...", and effective dates
that recitals give to other documents (snippets written for these tests)."""

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


_CABLE = (
    "CONSTRUCTION AND MAINTENANCE AGREEMENT\n\nTHIS AGREEMENT, made and entered into this 18th "
    "day of April 2010, between Harbor Cable Ltd. and Isthmus Telecom Inc.\n\nWHEREAS, the "
    "parties signed a Memorandum of Understanding effective from 16th June 2009 (hereinafter "
    'referred to as the "MOU"); and\n\nWHEREAS, the First Supplemental MOU was effective from '
    "October 5, 2009.\n\nNOW, THEREFORE, the parties agree as follows:\n\n18. Duration. {term}\n"
)


def test_a_recital_about_another_documents_effect_is_not_the_effective_date() -> None:
    text = _CABLE.format(
        term="This Agreement shall become effective on the date and year first above written "
        "and shall continue in operation for an initial period of ten (10) years."
    )
    assert _one(text, "effective_date") == "2010-04-18"
    assert _one(text, "expiration_date") == "2020-04-18"


def test_a_term_that_commences_on_its_own_date_keeps_it() -> None:
    # no sentence ties the start to the signing: the term's own start is the effective date
    text = _CABLE.format(
        term="The term of this Agreement shall commence on January 1, 2011 and continue for "
        "a period of ten (10) years."
    )
    assert _one(text, "effective_date") == "2011-01-01"
    assert _one(text, "expiration_date") == "2021-01-01"


_SIGNED = (
    "LICENSE AGREEMENT\n\nMay 3, 2016\n\nThis License Agreement is entered into by and between "
    'Hopewell University ("Licensor") and Cresta Surgical, Inc. ("Licensee").\n\n1. {clause}\n\n'
    "2. Term. The term of this Agreement is five (5) years from the Effective Date.\n\n"
    "IN WITNESS WHEREOF, the parties have signed this Agreement.\n\nHOPEWELL UNIVERSITY\n"
    "By: /s/ A. Roe\nDate: May 9, 2016\n\nCRESTA SURGICAL, INC.\nBy: /s/ B. Doe\n"
    "Date: May 11, 2016\n"
)


@pytest.mark.parametrize(
    "clause",
    [
        '"Effective Date" of this Agreement shall mean the date the last party hereto has '
        "executed this Agreement.",
        "This Agreement is effective as of the later of the two signature dates below.",
        "This Agreement shall become effective upon the completion of the execution by both "
        "Parties.",
    ],
)
def test_an_agreement_effective_when_the_last_party_signs(clause: str) -> None:
    text = _SIGNED.format(clause=clause)
    assert _one(text, "effective_date") == "2016-05-11"
    assert _one(text, "expiration_date") == "2021-05-11"


def test_an_agreement_effective_simultaneously_with_its_execution() -> None:
    text = (
        "INTELLECTUAL PROPERTY AGREEMENT\n\nThis Agreement is entered into in Shenzhen on "
        "February 08, 2007 between the following two parties: Party A: Jingwei Tech Co., Ltd. "
        "Party B: Hengtong Data Co., Ltd.\n\n6.1 This Agreement has been duly executed as of the "
        "date first set forth above and shall be effective simultaneously. The term of this "
        "Agreement is five (5) years.\n"
    )
    assert _one(text, "effective_date") == "2007-02-08"
    assert _one(text, "expiration_date") == "2012-02-08"
