"""The effective date on third-party wordings (snippets written for these tests): form layouts,
labels and definitions, another document's effective date, wordings that take the last
signature's date, and dates something other than the agreement begins on."""

from __future__ import annotations

from tests.test_terms_third_party import _one

_PARTIES = 'by and between Corvane Labs, Inc. ("Corvane") and Dellwyn Analytics LLC ("Dellwyn").'


def test_a_form_layout_label_belongs_to_the_date_on_its_own_line() -> None:
    text = (
        "CONFIRMATION\n\nThe terms of the transaction are as follows:\n\n"
        "Trade Date:                       12 May 2019\n\n"
        "Effective Date                    01 May 2019\n\n"
        "Termination Date:                 1 May 2022\n"
    )
    assert _one(text, "effective_date") == "2019-05-01"


def test_labels_and_definitions_that_name_the_date() -> None:
    for text, want in (
        (
            "MAINTENANCE ADDENDUM\n\nThis addendum is between Corvane Labs, Inc. and Dellwyn "
            "Analytics LLC.\n\nSTART DATE OF SERVICES UNDER THIS ORDER:  JUNE 1, 2015\n",
            "2015-06-01",
        ),
        (
            '1. Definitions. "Effective Date" means 9:00 a.m. Central Time on June 2, 2014.',
            "2014-06-02",
        ),
        (
            "1. Definitions. EFFECTIVE DATE shall mean the date on which the System is accepted, "
            "i.e. August 4, 2008.",
            "2008-08-04",
        ),
        (
            "Content License\n\nEffective Dates: March 1, 2012, February 28, 2013\n\nThe "
            "Licensor grants the Operator the right to show the Programs.",
            "2012-03-01",
        ),
    ):
        assert _one(text, "effective_date") == want, text


def test_a_definition_that_counts_from_a_date_is_not_that_date() -> None:
    text = '1. Definitions. "Effective Date" means the date thirty (30) days after June 2, 2014.'
    assert _one(text, "effective_date") != "2014-06-02"


def test_another_documents_effective_date_is_not_this_ones() -> None:
    amendment = (
        "FIRST AMENDMENT\n\nThis Amendment is entered into effective August 1, 2011 "
        + _PARTIES
        + "\n\nCorvane and Dellwyn having previously entered into a Supply Agreement with an "
        "Effective Date of May 5, 2009, now agree to amend that agreement as follows."
    )
    assert _one(amendment, "effective_date") == "2011-08-01"
    schedule = (
        "SCHEDULE 4\n\nThis Schedule covers the support services which form part of the "
        "original Purchase and License Contract, made effective on 3 March 2004.\n\n"
        "It shall be effective on 9 September 2006 and shall have a duration of three years."
    )
    assert _one(schedule, "effective_date") == "2006-09-09"


def test_the_later_signature_date_below_is_the_effective_date() -> None:
    signatures = (
        "\n\nCORVANE LABS, INC.            DELLWYN ANALYTICS LLC\n"
        "By: /s/ Ann Roe                By: /s/ Ben Poe\n"
        "Date: 6-20-17                  Date: 6-12-17\n"
    )
    for clause in (
        "The Effective Date of this Addendum shall be the later of the dates shown by the "
        "signatures below.",
        "This Agreement shall be effective on the later of the dates on which it is executed by "
        "Corvane and Dellwyn.",
        "IN WITNESS WHEREOF, the parties have signed this Agreement effective as of the latest "
        "date set forth below.",
    ):
        text = (
            "HOSTING ADDENDUM\n\nThis Addendum is " + _PARTIES + "\n\nWHEREAS, Corvane and "
            'Dellwyn have entered into a Hosting Agreement dated June 3, 2017 (the "Effective '
            'Date").\n\n' + clause + signatures
        )
        assert _one(text, "effective_date") == "2017-06-20", clause


def test_the_day_after_the_last_signature() -> None:
    text = (
        "SERVICE TERMS\n\nThis Agreement is " + _PARTIES + "\n\nThis Agreement will be "
        "effective at 12:01 a.m. on the day after the date of last signature below and will "
        "continue until all Orders have expired.\n\n"
        "CORVANE LABS, INC.            DELLWYN ANALYTICS LLC\n"
        "By: /s/ Ann Roe                By: /s/ Ben Poe\n"
        "Date: 3/8/21                   Date: 3/11/21\n"
    )
    assert _one(text, "effective_date") == "2021-03-12"


def test_coming_into_force_and_taking_effect() -> None:
    for clause, want in (
        (
            "12.1 This Agreement shall come into force as of July 1, 2016 and remain valid for "
            "two years.",
            "2016-07-01",
        ),
        ("9. This Agreement takes effect on 15 January 2020.", "2020-01-15"),
    ):
        text = "COOPERATION AGREEMENT\n\nThis Agreement is " + _PARTIES + "\n\n" + clause
        assert _one(text, "effective_date") == want, clause


def test_effective_from_the_date_first_written_above() -> None:
    text = (
        "MARKETING AGREEMENT\n\nTHIS AGREEMENT made in duplicate this 4 day of May, 2001.\n\n"
        "BETWEEN: Corvane Labs, Inc. and Dellwyn Analytics LLC.\n\n2. TERM\n\n2.1 This "
        "Agreement shall be effective from the date first above written and shall continue "
        "until terminated by either party."
    )
    assert _one(text, "effective_date") == "2001-05-04"


def test_a_date_something_else_begins_on_deep_in_the_text() -> None:
    filler = "The Agent shall use its reasonable efforts to sell the Shares as agreed. " * 120
    text = (
        "SALES AGENCY AGREEMENT\n\nThis Agreement is " + _PARTIES + "\n\n" + filler + "\n\n"
        "The Preferred Shares will be redeemable at the option of the holders beginning "
        "October 1, 2030 as provided in the Articles."
    )
    assert _one(text, "effective_date") != "2030-10-01"
