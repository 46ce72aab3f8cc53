"""How a term ends: on an event, on an anniversary in a list of ends, or after a duration stated
past an "unless ... extended" aside (snippets written for these tests)."""

from __future__ import annotations

from extraction.terms import extract_terms
from tests.test_terms_third_party import _one

_OPENING = (
    'THIS SUPPLY AGREEMENT (the "Agreement") is made as of March 1, 2021 (the "Effective '
    'Date") by and between Pellam Foods, Inc. ("Buyer") and Orrin Mills LLC ("Supplier").\n\n'
)


def test_a_term_that_runs_until_an_event_has_no_fixed_end() -> None:
    # "indefinite": no end date known in advance, which is not "perpetual" (never ending)
    for clause in (
        "14.1 This Agreement shall become effective on the Effective Date and, unless earlier "
        "terminated under this Article 14, shall remain in effect on a country-by-country basis "
        'until the expiration of the last Royalty Period in that country (the "Term").',
        "9. Term. The term of this Agreement shall continue in effect until Buyer ceases to "
        "sell the Products in the Territory.",
        "3. This Agreement will be effective beginning on the Effective Date and ending on the "
        "expiration or termination of all Purchase Schedules, unless terminated earlier.",
        "2. Duration. This Agreement shall continue until the expiration or earlier "
        "termination of the Master Lease between the parties.",
        "5. The term of this Agreement will begin on the Effective Date and will not end until "
        "Supplier has delivered ten thousand tonnes of flour to Buyer.",
    ):
        assert _one(_OPENING + clause, "expiration_date") == "indefinite", clause


def test_an_event_in_a_termination_right_or_the_own_term_is_no_open_end() -> None:
    # how the agreement may end early, not how long it runs
    right = _OPENING + (
        "12. Termination. Either party may terminate this Agreement upon the expiration of the "
        "Master Lease by written notice to the other."
    )
    assert _one(right, "expiration_date") is None
    # the end of its own initial term is no outside event
    own = _OPENING + (
        "2. This Agreement shall continue until the expiration of the Initial Term set out in "
        "Schedule 1."
    )
    assert _one(own, "expiration_date") not in ("perpetual", "indefinite")
    # a stated duration outweighs a later "until" event
    stated = _OPENING + (
        "2. Term. This Agreement shall continue in effect for two (2) years from the Effective "
        "Date and thereafter until the expiration of the last Purchase Schedule."
    )
    assert _one(stated, "expiration_date") == "2023-03-01"
    # a confidentiality duty lasting until an event is not the agreement's term
    duty = _OPENING + (
        "8. The confidentiality obligations of this Agreement shall continue until the "
        "expiration of the Master Lease."
    )
    assert _one(duty, "expiration_date") is None


def test_an_anniversary_listed_after_until_the_earlier_of() -> None:
    # the list items follow the colon as sentences of their own; the ordinal's suffix is split
    # as text extracted from a PDF often splits it
    text = _OPENING + (
        "6.2 Unless the parties agree otherwise, this Agreement shall remain in effect until "
        "the earlier of the following events occur:\n\n (a) The fourth (4t h) anniversary of "
        "this Agreement; and\n\n (b) Buyer ceasing to hold an interest in Supplier."
    )
    assert _one(text, "expiration_date") == "2025-03-01"
    # a termination right on an anniversary, after a long list header, stays no end
    right = _OPENING + (
        "11.2 Buyer shall have the right to terminate this Agreement in its entirety: (a) on "
        "or after the second (2nd) anniversary of the Effective Date, upon written notice."
    )
    assert _one(right, "expiration_date") is None


def test_a_duration_after_an_unless_extended_aside() -> None:
    text = _OPENING + (
        "1. Term. The Agreement shall commence on the Effective Date and, unless terminated "
        "earlier under this Agreement or extended by mutual agreement of the parties, shall "
        'continue in effect for twenty four (24) months following the Effective Date (the "Term").'
    )
    assert _one(text, "expiration_date") == "2023-03-01"
    assert _one(text, "initial_term_months") == 24


def test_a_denied_automatic_renewal_is_no_auto_renewal() -> None:
    """The words of an automatic renewal under a denial say the contract does not renew by
    itself; a denial in another clause of the sentence ("does not wish to renew, ...") does
    not."""

    def auto(text: str) -> object:
        return next((t.value for t in extract_terms(text) if t.name == "auto_renewal"), None)

    assert auto("The Order Term is one (1) year and shall not automatically renew.") is False
    assert auto("The Subscription Period will not renew automatically.") is False
    assert auto("There shall be no automatic renewal of this Agreement.") is False
    assert (
        auto(
            "Unless either party gives notice that it does not wish to renew, this Agreement "
            "shall automatically renew for successive one (1) year terms."
        )
        is True
    )
    assert auto("Thereafter the term will automatically renew for one-year periods.") is True
