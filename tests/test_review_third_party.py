"""Reading other companies' paper (session 22): numbers that name a place in the document
are no values, a unit tells which of two parameters a number is, numbers in words with
"hundred and", a percentage of fees is a multiple; facts read payment carve-outs worded with
"save", titles as no covenant, an indemnity worded as conducting the defence, a merger
exception worded as "an entity that succeeds", a jurisdiction named twice, a dispute window
that is not the payment term, and the notice among other durations. Clauses written for these
tests, not taken from any eval file."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from clause_index.schema import ParamKind
from extraction import analyze
from playbook import Fact, match_clause, parse_value
from playbook.positions import merged_parameters
from playbook.quantities import quantities
from playbook.values import assign
from review import LibrarySnapshot, Reviewer
from review.facts import compute_facts
from review.library import clauses_from_files


@cache
def snapshot() -> LibrarySnapshot:
    return LibrarySnapshot.build(clauses_from_files())


def _fact(text: str, name: str) -> Fact:
    return compute_facts(text, analyze(text))[f"term.{name}"]


def _decide(clause_type: str, text: str) -> Any:
    facts = compute_facts(text, analyze(text))
    _, d, _ = Reviewer(snapshot()).decide_clause(clause_type, text, facts)
    return d


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        (ParamKind.days, ". 7.4 Amounts not paid when due", None),  # a sub-clause number
        (ParamKind.multiple, "the cap in Section 12.1 (being one", None),  # a cross-reference
        (ParamKind.percent, "a maximum", None),  # an article, not "one"
        (ParamKind.months, "thirty (30) days", None),  # days never set a number of months
        (ParamKind.multiple, "one hundred and fifty per cent (150%)", 1.5),
        (ParamKind.percent, "1.5 percent", 1.5),
        (ParamKind.months, "a year", 12),
    ],
)
def test_only_quantities_are_read_as_values(kind: ParamKind, text: str, value: Any) -> None:
    assert parse_value(kind, text) == value


def test_the_unit_after_a_number_tells_which_parameter_it_is() -> None:
    info = snapshot().types["audit_rights"]
    text = (
        "Usage review. Once in any twelve (12) month period, on not less than sixty (60) days' "
        "written notice, the Supplier may check the Client's use of the Service against the "
        "quantities ordered and may invoice any excess under this Agreement."
    )
    m = match_clause(text, info.positions, info.type)
    freq = [p.value for p in m.parameters if p.name == "audit_frequency_months"]
    assert 60 not in freq


def test_numbers_in_words_with_hundred_and_take_the_digits() -> None:
    qs = quantities("by notice served no later than one hundred and fifty (150) days before")
    assert [(q.kind, q.value) for q in qs] == [("days", 150.0)]


def test_a_sub_clause_number_is_not_the_payment_term() -> None:
    text = (
        "6. CHARGES. 6.1 The Supplier shall invoice the Charges yearly in advance. 6.2 The Client "
        "shall pay each invoice in full no later than thirty (30) days after the date of invoice. "
        "6.3 Amounts unpaid when due carry interest at one per cent (1%) per month or, if lower, "
        "the maximum lawful rate. 6.4 The Client must notify any good-faith dispute within "
        "twenty (20) days of the invoice date and shall pay undisputed sums on time. 6.5 If an "
        "undisputed sum is still unpaid fifteen (15) days after the Supplier's written notice "
        "that it is overdue, the Supplier may suspend the Services until it is paid."
    )
    assert _fact(text, "payment_net_days").value == 30  # not the dispute window's 20
    d = _decide("payment_terms", text)
    assert d.values.get("net_days") == 30
    assert d.outcome == "standard", d.reasons


def test_the_dispute_window_is_not_the_payment_term() -> None:
    text = (
        "Any invoice query must be raised within ten (10) days of the invoice date. Invoices "
        "are due and payable fifty (50) days after the Client's receipt of a correct invoice."
    )
    assert _fact(text, "payment_net_days").value == 50


def test_payment_carved_out_with_save_for_is_not_excused() -> None:
    text = (
        "A party has no liability, and is not in breach, for failing to perform its obligations "
        "(save for paying money) while prevented by circumstances beyond its reasonable "
        "control, such as flood, fire, war or epidemic."
    )
    assert _fact(text, "force_majeure_excuses_payment").value is False


def test_a_title_that_names_competition_binds_no_one() -> None:
    text = (
        "Competitive Products. Each party remains free to develop, buy, market or sell offerings "
        "that compete with the other's, provided it does not misuse the other's Confidential "
        "Information. The Client shall not use the Service to build a rival offering."
    )
    assert _fact(text, "non_compete").value is not True


def test_an_indemnity_worded_as_conducting_the_defence_is_mutual() -> None:
    text = (
        "12.1 If a third party claims that the Service infringes its rights, the Supplier will "
        "conduct the Client's defence and pay any damages finally awarded. 12.2 The Client will "
        "likewise defend the Supplier against third-party claims arising from Client Data."
    )
    assert _fact(text, "indemnity_mutual").value is True


def test_a_merger_exception_to_an_entity_that_succeeds_is_no_free_assignment() -> None:
    text = (
        "Neither party may assign this Agreement without the other's written consent, not to be "
        "unreasonably withheld. Either party may transfer this Agreement without the other's "
        "consent to an entity that succeeds to its business on a merger or sale of "
        "substantially all of its assets, if that entity agrees in writing to be bound."
    )
    assert _fact(text, "assignment_without_consent").value is not True


def test_a_jurisdiction_named_twice_is_one_law() -> None:
    text = "English law (the law of England and Wales) governs this Agreement."
    assert _fact(text, "governing_law").value == "England and Wales"


def test_the_convenience_notice_is_the_duration_called_notice() -> None:
    text = (
        "On a multi-year Order Form, the Client may terminate for convenience with effect from "
        "the end of any twelve-month contract year by giving the Supplier at least sixty (60) "
        "days' written notice."
    )
    assert _fact(text, "termination_for_convenience_notice_days").value == 60


def test_confidence_without_the_words_confidential_information_is_read() -> None:
    text = (
        "Secrecy. The Contractor shall hold in strictest confidence all information it receives "
        "from the Authority and shall not disclose it to anyone without the Authority's written "
        "consent. The Authority owes no duty of confidence to the Contractor."
    )
    assert _fact(text, "confidentiality_mutual").value is False


def test_a_share_of_the_fees_is_a_multiple_of_them() -> None:
    info = snapshot().types["limitation_of_liability"]
    text = (
        "each party's aggregate liability shall not exceed one hundred and fifty per cent "
        "(150%) of the Charges paid in the twelve (12) months before the claim"
    )
    got = assign(quantities(text), [], merged_parameters(info.positions), text)
    assert got["cap_multiple"][0] == 1.5
