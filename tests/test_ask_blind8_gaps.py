"""The kinds of risky ask blind sets 8 and 9 answered "yes" to, in wordings of our own: a customer
exit if its competitor acquires us (or takes the contract by assignment), a counter-offer
after a quoted objection, and pasted clauses that say what the guidance rules out (payment
on the customer's approval of the invoice, insurance limits as a floor on liability, a
fitness-for-purpose warranty, assignment to anyone on notice). None of them is a "yes"."""

from __future__ import annotations

import pytest

from drafting.understand import cue_facts, parse
from extraction import analyze
from review.facts import compute_facts
from tests.conftest import Api, ask


@pytest.fixture(scope="module")
def api(ask_api: Api) -> Api:
    return ask_api


def _approvers(a: dict[str, object]) -> set[str]:
    return {x for ap in a["approvals"] for x in ap["approvers"]}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "exit_asked"),
    [
        ("Halvorsen Foods fear a rival of theirs could acquire us. They would like the option "
         "to terminate if that happens.", True),
        ("they want out should we come under the control of one of their competitors", True),
        ("client wants the right to walk if we end up owned by a company they compete with", True),
        ("Osterby Tools think we might sell the company to a competitor of theirs; they want to "
         "be able to cancel if so", True),
        ("we got acquired last year. can we terminate the reseller deal early?", False),
        ("if the customer is bought by our competitor can we terminate?", False),
    ],
)  # fmt: skip
def test_a_customer_exit_on_our_change_of_control_is_read(text: str, exit_asked: bool) -> None:
    got = cue_facts(text).get("term.customer_coc_termination_right")
    assert (got is not None and got.value is True) is exit_asked


@pytest.mark.parametrize(
    ("question", "clause_type"),
    [
        ("Halvorsen Foods fear a rival of theirs could acquire us. They'd like to be able to "
         "terminate within 60 days, with prepaid fees refunded, if we come under the control of "
         "one of their competitors. who signs off?", "change_of_control"),
        ("Brightwater Labs ask for the right to end the contract and get a refund of prepaid "
         "fees if we ever assign it to a direct competitor of theirs. what approval?",
         "assignment"),
    ],
)  # fmt: skip
def test_an_exit_if_their_competitor_gets_us_is_an_approval(
    api: Api, question: str, clause_type: str
) -> None:
    a = ask(api, question)
    assert a["decision"] == "approval"
    assert {"legal", "executive"} <= _approvers(a)


def test_a_counter_offer_after_a_quoted_objection_is_the_question() -> None:
    p = parse(
        'their GC wrote "a liability limit at three months of fees is far too low for us". '
        "if we offer two times annual fees, who approves?"
    )
    assert p.intent == "can_i"
    assert p.pasted is None
    assert [q.value for q in p.quantities if q.kind == "multiple"] == [2.0]
    # The quoted three months is the other side's words, not a value asked for.
    assert not [q for q in p.quantities if q.value == 3.0]


def test_the_counter_offer_is_judged_as_a_cap(api: Api) -> None:
    a = ask(
        api,
        'their GC wrote "a liability limit at three months of fees is far too low for us". '
        "if we offer two times annual fees, who approves?",
    )
    assert a["clause_type"] == "limitation_of_liability"
    assert a["decision"] == "approval"


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("Invoices approved in writing by the Client shall be paid within forty days.",
         "payment_on_customer_approval"),
        ("Amounts become payable 30 days after the Buyer has certified the relevant invoice.",
         "payment_on_customer_approval"),
        ("The Contractor's liability shall not be less than the sums insured under the policies "
         "required by this Schedule.", "insurance_floor_on_liability"),
        ("The Provider warrants that the Platform will be fit for the Bank's intended purpose.",
         "warranty_unlimited"),
        ("Licensor warrants that the Software will run without any interruption.",
         "warranty_unlimited"),
        ("The Buyer may transfer this contract, in whole or in part, to any person on thirty "
         "days' notice to the Seller.", "assignment_without_consent"),
    ],
)  # fmt: skip
def test_what_the_guidance_rules_out_is_read_from_clauses(text: str, fact: str) -> None:
    got = compute_facts(text, analyze(text))[f"term.{fact}"]
    assert got.value is True


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("Customer will pay each invoice within 30 days of the invoice date.",
         "payment_on_customer_approval"),
        ("Vendor will maintain cyber cover of 5,000,000; these limits do not change the "
         "liability cap.", "insurance_floor_on_liability"),
        ("EXCEPT AS STATED ABOVE, VENDOR DISCLAIMS ALL WARRANTIES, INCLUDING FITNESS FOR A "
         "PARTICULAR PURPOSE.", "warranty_unlimited"),
        ("The Buyer may transfer this contract to any person with the Seller's prior written "
         "consent.", "assignment_without_consent"),
    ],
)  # fmt: skip
def test_our_own_terms_are_not_read_as_ruled_out(text: str, fact: str) -> None:
    got = compute_facts(text, analyze(text)).get(f"term.{fact}")
    assert got is None or got.value is not True


@pytest.mark.parametrize(
    ("pasted", "clause_type"),
    [
        ("Invoices approved in writing by the Client shall be paid within thirty days of that "
         "approval.", "payment_terms"),
        ("In no event shall the Contractor's liability be lower than the limits of the insurance "
         "it carries under this Agreement.", "insurance"),
        ("The Provider warrants that the Platform will be fit for the Bank's intended purpose "
         "and will run without interruption.", "warranties"),
        ("The Customer may transfer this Agreement, in whole or in part, to any person on "
         "thirty days' notice to the Provider.", "assignment"),
    ],
)  # fmt: skip
def test_a_pasted_clause_the_guidance_rules_out_is_a_no(
    api: Api, pasted: str, clause_type: str
) -> None:
    a = ask(api, f'their paper says "{pasted}" can we accept that?')
    assert a["clause_type"] == clause_type
    assert a["decision"] == "no"
