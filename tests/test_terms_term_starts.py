"""A term's start and end on third-party wordings (snippets written for these tests): a dated
start stated after the duration, a list of ends that opens with "(a)", abbreviated units."""

from __future__ import annotations

from tests.test_terms_third_party import _one

_OPENING = (
    'THIS SERVICES AGREEMENT (the "Agreement") is made as of March 15, 2010 (the "Effective '
    'Date") by and between Halden Rail, Inc. ("Customer") and Tessaly Works LLC ("Provider").'
    "\n\n"
)


def test_a_dated_start_after_the_duration_is_counted_from() -> None:
    for clause, end in (
        (
            "1. Term. The term of this Agreement shall be for a period of two years commencing "
            "on April 1, 2010.",
            "2012-04-01",
        ),
        (
            "1. Term. This Agreement shall continue for three (3) years beginning January 1, "
            "2011, unless terminated earlier.",
            "2014-01-01",
        ),
    ):
        assert _one(_OPENING + clause, "expiration_date") == end, clause


def test_a_list_of_ends_that_opens_with_a_label_ends_on_an_event() -> None:
    clause = (
        "1. Term. This Agreement shall continue in effect until the later of (a) the expiration "
        "of the last to expire Licensed Patent or (b) ten years from the first commercial sale."
    )
    assert _one(_OPENING + clause, "expiration_date") == "indefinite"


def test_abbreviated_years_are_a_duration() -> None:
    clause = "1. Term. This Agreement shall continue for 3 yrs. from the Effective Date."
    assert _one(_OPENING + clause, "expiration_date") == "2013-03-15"
    assert _one(_OPENING + clause, "initial_term_months") == 36
